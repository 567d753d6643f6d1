#!/usr/bin/env node
// Thin launcher: credgov runs its TypeScript sources directly with Node's built-in
// type stripping (Node >= 22.18), so there is no build step between `npm ci` and use.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`credgov needs Node.js >= 22.18 (this is ${process.versions.node}).\n`);
  process.exit(2);
}
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
