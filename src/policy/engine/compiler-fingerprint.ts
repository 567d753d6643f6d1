// A hash of credgov's own Rego compiler (front end + back end + runtime), so a compiled
// library in the cache is rebuilt whenever the compiler that produced it changes.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const compilerDirs = ["../rego/", "../wasm/"].map((d) => fileURLToPath(new URL(d, import.meta.url)));

let cached: string | undefined;

export function compilerFingerprint(): string {
  if (cached) return cached;
  const hash = createHash("sha256");
  for (const dir of compilerDirs) {
    for (const file of listFiles(dir)) {
      hash.update(file.slice(dir.length));
      hash.update(readFileSync(file));
    }
  }
  cached = hash.digest("hex");
  return cached;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith(".")) continue; // editor and scratch files are not the compiler
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (/\.(ts|js|wasm|c|h)$/.test(entry.name)) out.push(path);
  }
  return out;
}
