// Builds the published package: compiles src/ to dist/ (JavaScript + source maps with the
// sources inlined) and copies every data file under src/ (schemas, the Wasm runtime, framework
// lists, ...) to the same place in dist/, so each `new URL("...", import.meta.url)` resolves
// alike in dist/ and src/. C sources and READMEs are for developers and stay out.
import { cpSync, readdirSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const notData = /\.(ts|c|h|md)$/;

rmSync(`${root}dist`, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", `${root}tsconfig.build.json`], { stdio: "inherit" });
for (const entry of readdirSync(`${root}src`, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || notData.test(entry.name)) continue;
  const relative = `${entry.parentPath}/${entry.name}`.slice(`${root}src/`.length);
  cpSync(`${root}src/${relative}`, `${root}dist/${relative}`);
}
