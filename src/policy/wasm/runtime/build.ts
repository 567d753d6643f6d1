// Builds the C runtime into build/runtime.wasm with clang-16 and wasm-ld-16.
//   node src/policy/wasm/runtime/build.ts           rebuild build/runtime.wasm
//   node src/policy/wasm/runtime/build.ts --check   rebuild into a temp dir; exit 1 if it differs
// The output is committed so that users need no C toolchain; CI runs --check.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const srcDir = join(here, "src");
const committed = join(here, "build", "runtime.wasm");
const clang = process.env.CLANG ?? "clang-16";
const wasmLd = process.env.WASM_LD ?? "wasm-ld-16";

function build(out: string, work: string): void {
  const objects: string[] = [];
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith(".c")).sort()) {
    const obj = join(work, `${basename(file, ".c")}.o`);
    execFileSync(clang, [
      "--target=wasm32", "-mbulk-memory", "-nostdlib", "-ffreestanding", "-O2", "-Wall", "-Werror",
      `-ffile-prefix-map=${here}=.`, "-c", join(srcDir, file), "-o", obj,
    ], { stdio: "inherit" });
    objects.push(obj);
  }
  // --export-all keeps every runtime function reachable by name for the code generator,
  // which drops the exports the ABI does not need; memory is imported (the SDK owns it).
  // --stack-first puts the stack below the data, so an overflow traps instead of
  // silently overwriting static data.
  execFileSync(wasmLd, [
    "--no-entry", "--import-memory", "--export-all", "--export=__heap_base", "--stack-first",
    "-z", "stack-size=131072", "--initial-memory=196608", ...objects, "-o", out,
  ], { stdio: "inherit" });
}

const check = process.argv.includes("--check");
const work = mkdtempSync(join(tmpdir(), "credgov-runtime-"));
try {
  const out = check ? join(work, "runtime.wasm") : committed;
  build(out, work);
  if (check) {
    const same = Buffer.compare(readFileSync(out), readFileSync(committed)) === 0;
    if (!same) {
      console.error("src/policy/wasm/runtime/build/runtime.wasm is stale: run `npm run build:runtime` and commit it");
      process.exitCode = 1;
    } else {
      console.log("runtime.wasm is up to date");
    }
  } else {
    console.log(`built ${out} (${readFileSync(out).length} bytes)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
