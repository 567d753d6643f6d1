// Writes one evidence pack format into a fresh copy of a scan's output folder the way
// `credgov report --format FORMAT` does (read findings.json, read the snapshot header, build
// the model, subject CSVs, render, hash every file into manifest.json, sign), and reports on
// fd 3: wall and CPU seconds, peak RSS, and the document's size.
import { generateKeyPairSync } from "node:crypto";
import { statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { evidenceFiles, type EvidenceFormat } from "../../src/report/evidence/write-evidence-pack.ts";

const [dir, format] = process.argv.slice(2) as [string, EvidenceFormat];
const key = join(dir, "..", `signing-${format}.pem`);
writeFileSync(key, generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }));
const start = performance.now();
const cpuStart = process.cpuUsage();
const code = await main([process.argv[0], "credgov", "report", "--quiet", "--findings", join(dir, "findings.json"), "--format", format, "--out", dir, "--signing-key", key]);
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
if (code !== 0) process.exit(code);
writeSync(
  3,
  JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024, bytes: statSync(join(dir, evidenceFiles[format])).size }),
);
