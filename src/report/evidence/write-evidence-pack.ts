// Writes the evidence pack into an output folder that already holds the run's other outputs
// (findings.json, SARIF, ...): the full failing-subject lists as CSV, then each chosen document
// of the output table (PDF, HTML: src/report/outputs), rendered from one evidence model whose
// appendix lists the hashes of everything written before them, then manifest.json over every
// file of the folder and, with a key, manifest.json.sig.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Catalog } from "../../policy/catalog/types.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import type { PolicyException } from "../../policy/exceptions/types.ts";
import { writeFileAtomically } from "../../io/atomic-write.ts";
import type { DocumentOutput } from "../outputs/output.ts";
import { buildEvidenceModel } from "./build-model.ts";
import { hashPackFiles, manifestFile, packFiles, signatureFile, type Manifest } from "./manifest.ts";
import type { RotationEvidence, TrendPoint } from "./model.ts";
import { signBytes, type SigningKey } from "./signing-key.ts";
import type { SnapshotHeader } from "./snapshot-header.ts";
import { subjectCsvLines, subjectCsvPath } from "./subject-csv.ts";

/** What the pack shows beside the findings (loaded by load-pack-context.ts). */
export interface PackContext {
  snapshot: SnapshotHeader | null;
  snapshotFile?: string | null;
  catalog: Catalog;
  exceptions?: readonly PolicyException[];
  rotation?: RotationEvidence | null;
  trend?: readonly TrendPoint[];
  organisation?: string;
  toolVersion: string;
  policyHash: string | null;
  /** Evaluation time of the findings. */
  generatedAt: string;
  maxSubjectsPerControl?: number;
  signingKey?: SigningKey | null;
  warnings?: readonly string[];
  /** Wall-clock time the pack is written (manifest createdAt); default now. */
  now?: () => Date;
}

export interface EvidencePackOptions extends PackContext {
  dir: string;
  /** The documents to write; none writes only manifest.json (+ signature) over the folder. */
  documents: readonly DocumentOutput[];
  findings: readonly Finding[];
}

export interface EvidencePackResult {
  written: string[];
  manifest: Manifest;
}

export async function writeEvidencePack(options: EvidencePackOptions): Promise<EvidencePackResult> {
  const written: string[] = [];
  const byControl = new Map<string, Finding[]>();
  // The subject lists accompany the documents; a manifest alone covers what is already there.
  for (const f of options.documents.length > 0 ? options.findings : []) {
    if (f.status !== "fail") continue;
    const list = byControl.get(f.controlId);
    if (list) list.push(f);
    else byControl.set(f.controlId, [f]);
  }
  if (byControl.size > 0) await mkdir(join(options.dir, "subjects"), { recursive: true });
  for (const [controlId, list] of byControl) {
    const file = join(options.dir, subjectCsvPath(controlId));
    await writeFileAtomically(file, subjectCsvLines(list));
    written.push(file);
  }

  const documentFiles = new Set(options.documents.flatMap((d) => d.files));
  const inputFiles = await hashPackFiles(options.dir, (await packFiles(options.dir)).filter((p) => !documentFiles.has(p)));
  const model = buildEvidenceModel({
    findings: options.findings,
    snapshot: options.snapshot,
    snapshotFile: options.snapshotFile,
    catalog: options.catalog,
    exceptions: options.exceptions,
    rotation: options.rotation,
    trend: options.trend,
    organisation: options.organisation,
    toolVersion: options.toolVersion,
    nodeVersion: process.version,
    policyHash: options.policyHash,
    generatedAt: options.generatedAt,
    maxSubjectsPerControl: options.maxSubjectsPerControl,
    signing: options.signingKey ? { algorithm: "Ed25519", publicKeyFingerprint: options.signingKey.fingerprint } : null,
    inputFiles,
    warnings: options.warnings,
  });
  for (const document of options.documents) {
    const content = await document.render(model);
    for (const name of document.files) {
      const file = join(options.dir, name);
      const body = content[name];
      if (body === undefined) throw new Error(`output format ${document.name} rendered no ${name}`);
      if (typeof body === "string") await writeFileAtomically(file, [body]);
      else await writeBytesAtomically(file, body);
      written.push(file);
    }
  }

  const manifest: Manifest = {
    manifestVersion: 1,
    generator: { name: "credgov", version: options.toolVersion, node: process.version },
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    evaluatedAt: options.generatedAt,
    snapshotGeneratedAt: options.snapshot?.generatedAt ?? null,
    collectionWindow: model.collectionWindow,
    policyHash: options.policyHash,
    configSha256: model.configHash,
    files: await hashPackFiles(options.dir, await packFiles(options.dir)),
    signature: options.signingKey
      ? { algorithm: "Ed25519", publicKey: options.signingKey.publicKeyDer, publicKeyFingerprint: options.signingKey.fingerprint, file: signatureFile }
      : null,
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  await writeBytesAtomically(join(options.dir, manifestFile), manifestBytes);
  written.push(join(options.dir, manifestFile));
  if (options.signingKey) {
    await writeBytesAtomically(join(options.dir, signatureFile), Buffer.from(`${signBytes(options.signingKey, manifestBytes).toString("base64")}\n`));
    written.push(join(options.dir, signatureFile));
  } else {
    // A signature left by an earlier run would sit next to a manifest it does not sign.
    await rm(join(options.dir, signatureFile), { force: true });
  }
  return { written, manifest };
}

/** Through the output folder's atomic, exclusive writes (a random temp name, never a predictable one). */
function writeBytesAtomically(path: string, bytes: Uint8Array): Promise<void> {
  return writeFileAtomically(path, [bytes]);
}
