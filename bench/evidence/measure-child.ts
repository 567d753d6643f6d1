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
import { loadPackContext } from "../../src/report/evidence/load-pack-context.ts";
import { outputFor } from "../../src/report/outputs/formats.ts";
import { writeOutputs } from "../../src/report/write-outputs.ts";
import { holdYoungGenerationSize } from "../../src/young-generation.ts";

// The heap setting every credgov command runs with (src/cli/main.ts).
holdYoungGenerationSize();

const [dir, format] = process.argv.slice(2) as [string, "pdf" | "html"];
const key = join(dir, "..", `signing-${format}.pem`);
writeFileSync(key, generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }));
const start = performance.now();
const cpuStart = process.cpuUsage();
const findings = await readFindingsJson(join(dir, "findings.json"));
const generatedAt = new Date().toISOString();
const pack = await loadPackContext({
  documents: true,
  snapshotFile: join(dir, "snapshot.json"),
  catalog: loadCatalog(),
  exceptions: [],
  toolVersion: "bench",
  policyHash: libraryHash(readPolicyLibrary([builtinPoliciesDir])),
  generatedAt,
  warnings: [],
  signingKeyFile: key,
});
await writeOutputs(findings, { dir, formats: [format], pack, toolVersion: "bench", scope: dir, generatedAt });
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
writeSync(
  3,
  JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024, bytes: statSync(join(dir, outputFor(format).files[0])).size }),
);
