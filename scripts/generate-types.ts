// Derives src/snapshot/types.ts from src/snapshot/schema.json (the single source of truth).
// `--check` fails when the committed types are stale, so CI catches a schema edit without regeneration.
import { readFileSync, writeFileSync } from "node:fs";
import { compile } from "json-schema-to-typescript";

const schemaPath = new URL("../src/snapshot/schema.json", import.meta.url);
const typesPath = new URL("../src/snapshot/types.ts", import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
const banner = "// Generated from src/snapshot/schema.json by `npm run gen:types`. Do not edit by hand.";
const ts = await compile(schema, "Snapshot", {
  bannerComment: banner,
  additionalProperties: false,
  unreachableDefinitions: true,
  style: { singleQuote: false },
});
if (process.argv.includes("--check")) {
  const current = readFileSync(typesPath, "utf8");
  if (current !== ts) {
    process.stderr.write("src/snapshot/types.ts is stale: run `npm run gen:types` and commit the result.\n");
    process.exit(1);
  }
} else {
  writeFileSync(typesPath, ts);
}
