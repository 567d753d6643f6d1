// Policy bundles: the compiled module, the base data and a manifest, written both as plain
// files (policy.wasm, data.json, manifest.json) and as an OPA-style bundle.tar.gz
// (`/policy.wasm`, `/data.json`, `/.manifest`) so the engine loads ours and `opa build -t wasm` ones alike.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tar from "tar";

export interface BundleManifest {
  revision: string;
  roots: string[];
  wasm: Array<{ entrypoint: string; module: string }>;
  metadata?: {
    credgov?: {
      compiler: string;
      /** Source file (relative to the policy directory) -> sha256 of its content. */
      sources: Record<string, string>;
    };
  };
}

export interface Bundle {
  wasm: Uint8Array;
  data: Record<string, unknown>;
  manifest: BundleManifest;
}

export interface WrittenBundle {
  dir: string;
  tarball: string;
}

/** Writes `dir/policy.wasm`, `dir/data.json`, `dir/manifest.json` and `dir/bundle.tar.gz`. */
export async function writeBundle(bundle: Bundle, dir: string): Promise<WrittenBundle> {
  mkdirSync(dir, { recursive: true });
  const manifestText = `${JSON.stringify(bundle.manifest, null, 2)}\n`;
  const dataText = `${JSON.stringify(bundle.data)}\n`;
  writeFileSync(path.join(dir, "policy.wasm"), bundle.wasm);
  writeFileSync(path.join(dir, "data.json"), dataText);
  writeFileSync(path.join(dir, "manifest.json"), manifestText);
  const staging = mkdtempSync(path.join(os.tmpdir(), "credgov-bundle-"));
  try {
    writeFileSync(path.join(staging, "policy.wasm"), bundle.wasm);
    writeFileSync(path.join(staging, "data.json"), dataText);
    writeFileSync(path.join(staging, ".manifest"), manifestText);
    const tarball = path.join(dir, "bundle.tar.gz");
    // portable + fixed mtime: the same inputs give the same archive bytes.
    await tar.create({ gzip: true, file: tarball, cwd: staging, portable: true, mtime: new Date(0) }, ["policy.wasm", "data.json", ".manifest"]);
    return { dir, tarball };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Reads an OPA bundle tarball (ours or `opa build -t wasm`): the first Wasm module, data and manifest. */
export async function readBundle(file: string): Promise<Bundle> {
  const entries = new Map<string, Buffer>();
  await tar.list({
    file,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => entries.set(entry.path.replace(/^\/+/, ""), Buffer.concat(chunks)));
    },
  });
  const manifestRaw = entries.get(".manifest");
  const manifest: BundleManifest = manifestRaw ? (JSON.parse(manifestRaw.toString("utf8")) as BundleManifest) : { revision: "", roots: [""], wasm: [] };
  const modulePath = (manifest.wasm?.[0]?.module ?? "/policy.wasm").replace(/^\/+/, "");
  const wasm = entries.get(modulePath);
  if (!wasm) throw new Error(`${file}: bundle has no ${modulePath}`);
  const dataRaw = entries.get("data.json");
  const data = dataRaw ? (JSON.parse(dataRaw.toString("utf8")) as Record<string, unknown>) : {};
  return { wasm: new Uint8Array(wasm), data, manifest };
}

export function readBundleDir(dir: string): Bundle {
  return {
    wasm: new Uint8Array(readFileSync(path.join(dir, "policy.wasm"))),
    data: JSON.parse(readFileSync(path.join(dir, "data.json"), "utf8")) as Record<string, unknown>,
    manifest: JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as BundleManifest,
  };
}
