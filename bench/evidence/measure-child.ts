// Writes one evidence pack format into a fresh copy of a scan's output folder through the report
// stage, as `credgov report --format FORMAT` does (read findings.json, read the snapshot header,
// build the model, subject CSVs, render, hash every file into manifest.json, sign), and reports
// on fd 3: wall and CPU seconds, peak RSS, and the document's size.
import { generateKeyPairSync } from "node:crypto";
import { statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { libraryHash } from "../../src/policy/engine/build-library.ts";
import { builtinPoliciesDir, readPolicyLibrary } from "../../src/policy/engine/policy-sources.ts";
import { readFindingsJson } from "../../src/report/outputs/json.ts";
import { runEvidencePack } from "../../src/report/evidence/run-evidence-pack.ts";
import { evidenceFiles, type EvidenceFormat } from "../../src/report/evidence/write-evidence-pack.ts";

const [dir, format] = process.argv.slice(2) as [string, EvidenceFormat];
const key = join(dir, "..", `signing-${format}.pem`);
writeFileSync(key, generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }));
const start = performance.now();
const cpuStart = process.cpuUsage();
await runEvidencePack({
  dir,
  formats: [format],
  findings: await readFindingsJson(join(dir, "findings.json")),
  snapshotFile: join(dir, "snapshot.json"),
  catalog: loadCatalog(),
  exceptions: [],
  toolVersion: "bench",
  policyHash: libraryHash(readPolicyLibrary([builtinPoliciesDir])),
  generatedAt: new Date().toISOString(),
  warnings: [],
  signingKeyFile: key,
});
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
writeSync(
  3,
  JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024, bytes: statSync(join(dir, evidenceFiles[format])).size }),
);
