// Builds the published package: compiles src/ to dist/ (JavaScript + source maps with the
// sources inlined) and copies the non-TypeScript files the code reads at run time next to it,
// so every `new URL("...", import.meta.url)` resolves the same way in dist/ as in src/.
import { cpSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
/** Files under src/ that code loads by path at run time (schemas, the Wasm runtime). */
export const runtimeAssets = ["snapshot/schema.json", "policy/wasm/runtime/build/runtime.wasm"];

rmSync(`${root}dist`, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", `${root}tsconfig.build.json`], { stdio: "inherit" });
for (const asset of runtimeAssets) cpSync(`${root}src/${asset}`, `${root}dist/${asset}`);
