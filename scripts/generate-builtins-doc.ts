// Writes docs/builtins.md from the builtin table (src/policy/builtins/table.ts): every builtin
// credgov's Rego compiler accepts, how it runs, and which are off by default.
//   node scripts/generate-builtins-doc.ts           rewrite docs/builtins.md
//   node scripts/generate-builtins-doc.ts --check   exit 1 when docs/builtins.md is stale
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { builtinsDoc } from "../src/policy/builtins/doc.ts";

const target = fileURLToPath(new URL("../docs/builtins.md", import.meta.url));
const text = builtinsDoc();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error("docs/builtins.md is stale: run `node scripts/generate-builtins-doc.ts` and commit it");
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
