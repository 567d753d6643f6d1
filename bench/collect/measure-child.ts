// Runs one collect stage (config load, every source, snapshot written) in this process and
// reports wall time and peak RSS as JSON on fd 3, so the parent measures the collector alone
// (not the estate generation).
import { writeSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/config/load.ts";
import { collectAll } from "../../src/collectors/collect-all.ts";
import { writeSnapshot } from "../../src/snapshot/store.ts";
import { ExitCode } from "../../src/errors.ts";
import { holdYoungGenerationSize } from "../../src/young-generation.ts";

// The heap setting every credgov command runs with (src/cli/main.ts).
holdYoungGenerationSize();

const { values } = parseArgs({ options: { config: { type: "string" }, out: { type: "string" } } });
const start = process.hrtime.bigint();
const collected = await collectAll({ config: loadConfig(values.config!), configFile: values.config!, env: process.env });
await writeSnapshot(values.out!, collected.snapshot);
const code = collected.incomplete.length > 0 ? ExitCode.collectionIncomplete : ExitCode.ok;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
writeSync(3, JSON.stringify({ code, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
