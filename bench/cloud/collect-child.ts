// Runs one live collector (entra or github) in this process and reports wall time, peak RSS
// and what it collected as JSON on fd 3.
import { writeSync } from "node:fs";
import { entraCollector } from "../../src/collectors/entra/collector.ts";
import { githubCollector } from "../../src/collectors/github/collector.ts";
import type { SourceSettingsOf } from "../../src/config/types.ts";
import { holdYoungGenerationSize } from "../../src/young-generation.ts";

// The heap setting every credgov command runs with (src/cli/main.ts); the plain-fetch baseline
// keeps Node's defaults.
holdYoungGenerationSize();

const sourceJson = process.argv[3]; // argv[2] names the kind, which the source itself carries
const source = JSON.parse(sourceJson) as SourceSettingsOf<"entra"> | SourceSettingsOf<"github">;
const context = { configDir: process.cwd(), env: process.env, progress: { step() {}, tick() {} }, log() {} };
// Minor page faults (first touches of fresh memory) over the run: on some virtual machines each
// costs tens of microseconds, so they explain much of the CPU a retained heap costs.
const faultsAtStart = process.resourceUsage().minorPageFault;
const start = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
const part = source.kind === "entra" ? await entraCollector.collect({ ...context, source }) : await githubCollector.collect({ ...context, source });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuAtStart);
writeSync(
  3,
  JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, pageFaults: process.resourceUsage().minorPageFault - faultsAtStart, maxRssBytes: process.resourceUsage().maxRSS * 1024, status: part.source.status, errors: part.source.errors, accounts: part.accounts.length, credentials: part.credentials.length }),
);
