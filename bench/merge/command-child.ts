// Runs one credgov command line in this process (as bin/credgov.js does) and reports its exit
// code and the process's peak RSS as JSON on fd 3.
import { writeSync } from "node:fs";
import { main } from "../../src/cli/main.ts";

const code = await main([process.execPath, "credgov", ...process.argv.slice(2)]);
writeSync(3, JSON.stringify({ code, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
