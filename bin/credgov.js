#!/usr/bin/env node
// Launcher. A checkout runs the TypeScript sources directly with Node's type stripping; the
// published package has no src/ and runs the JavaScript that `npm pack` built into dist/
// (Node does not strip types under node_modules).
import { existsSync } from "node:fs";
import module from "node:module";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`credgov needs Node.js >= 22.18 (this is ${process.versions.node}).\n`);
  process.exit(2);
}
// Node's on-disk compile cache (in the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off):
// a command loads a few hundred modules, and reusing their compiled code (and type stripping)
// saves about a third of the CPU time of starting up.
module.enableCompileCache?.();
// A reader that stops early (`credgov controls | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of a stack trace from the next write.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});
const source = new URL("../src/cli/main.ts", import.meta.url);
const entry = existsSync(source) ? source : new URL("../dist/cli/main.js", import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
