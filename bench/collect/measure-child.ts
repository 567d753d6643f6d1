// Runs one `credgov collect` in this process and reports wall time and peak RSS as JSON on
// fd 3, so the parent measures the collector alone (not the estate generation).
import { writeSync } from "node:fs";
import { main } from "../../src/cli/main.ts";

const start = process.hrtime.bigint();
const code = await main([process.argv[0], "credgov", "collect", "--quiet", ...process.argv.slice(2)]);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
writeSync(3, JSON.stringify({ code, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
