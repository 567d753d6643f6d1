// Compiles the policy library with credgov's own compiler (Rego -> OPA IR -> Wasm) on first
// use and caches the module by a hash of the sources, the entrypoints and the compiler, so
// later runs skip the (seconds-long) optimisation.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserInputError } from "../../errors.ts";
import { compileRego, RegoCompileError } from "../rego/index.ts";
import { loadBackEnd } from "../bundle/wasm-backend.ts";
import { compilerFingerprint } from "./compiler-fingerprint.ts";
import type { PolicyLibrary } from "./policy-sources.ts";

export interface BuiltLibrary {
  wasm: Uint8Array;
  entrypoints: string[];
  /** sha256 of the sources + compiler: identifies the exact policy build in evidence. */
  hash: string;
  fromCache: boolean;
}

// A checkout caches beside its sources (.cache/ is git-ignored); the built, installed package
// (this file is .js) never writes inside itself: it uses the user's cache folder.
const defaultCacheDir = import.meta.url.endsWith(".ts")
  ? fileURLToPath(new URL("../../../.cache/policy/", import.meta.url))
  : join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "credgov", "policy");
const fallbackCacheDir = join(tmpdir(), "credgov-policy-cache");

export function libraryHash(library: PolicyLibrary): string {
  const hash = createHash("sha256");
  hash.update(compilerFingerprint());
  for (const ep of library.entrypoints) hash.update(`ep\0${ep}\0`);
  for (const m of library.modules) hash.update(`mod\0${m.file}\0${m.source}\0`);
  return hash.digest("hex");
}

export async function buildLibrary(library: PolicyLibrary, cacheDir: string = process.env.CREDGOV_CACHE_DIR ?? defaultCacheDir): Promise<BuiltLibrary> {
  const hash = libraryHash(library);
  const dirs = [cacheDir, fallbackCacheDir];
  for (const dir of dirs) {
    try {
      return { wasm: new Uint8Array(readFileSync(join(dir, `${hash}.wasm`))), entrypoints: library.entrypoints, hash, fromCache: true };
    } catch {
      // not cached there
    }
  }
  if (library.entrypoints.length === 0) {
    const read = library.modules.map((m) => m.file);
    throw new UserInputError(`no policy package defines a \`results\` rule (${read.length > 0 ? `read ${read.join(", ")}` : "no .rego file"}); nothing to evaluate`, { field: "--policies" });
  }
  let plan;
  try {
    plan = compileRego({ modules: library.modules, entrypoints: library.entrypoints }).plan;
  } catch (error) {
    if (error instanceof RegoCompileError) throw new UserInputError(`policy compilation failed:\n${error.message}`);
    throw error;
  }
  const compiled = (await loadBackEnd()).compilePlan(plan);
  storeInCache(dirs, `${hash}.wasm`, compiled.wasm);
  return { wasm: compiled.wasm, entrypoints: library.entrypoints, hash, fromCache: false };
}

// A read-only install directory must not stop evaluation: fall back to the temp dir, then
// to no cache at all.
function storeInCache(dirs: readonly string[], name: string, wasm: Uint8Array): void {
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true });
      const temp = join(dir, `${name}.${process.pid}.tmp`);
      writeFileSync(temp, wasm);
      renameSync(temp, join(dir, name));
      return;
    } catch {
      // try the next location
    }
  }
}
