// Derives TypeScript types from the JSON Schemas (the single sources of truth):
//   src/snapshot/schema.json            -> src/snapshot/types.ts
//   schemas/credgov.config.schema.json  -> src/config/schema-types.ts (the file as written;
//                                          src/config/types.ts adds the loaded, defaulted view)
// `--check` fails when a committed file is stale, so CI catches a schema edit without regeneration.
import { readFileSync, writeFileSync } from "node:fs";
import { compile, type JSONSchema } from "json-schema-to-typescript";

interface Target {
  schema: string;
  types: string;
  rootName: string;
  /** Turns the schema into the shape the types describe (validation-only keywords dropped). */
  shape?: (schema: JSONSchema) => JSONSchema;
}

const targets: Target[] = [
  { schema: "src/snapshot/schema.json", types: "src/snapshot/types.ts", rootName: "Snapshot" },
  { schema: "schemas/credgov.config.schema.json", types: "src/config/schema-types.ts", rootName: "CredgovConfigFile", shape: configShape },
];

/**
 * The config schema states "exactly one of url or file" and "kind ad needs DirectorySource"
 * with oneOf / anyOf / allOf-if-then; as types those become index signatures that hide every field.
 * They are validation, not shape: drop them (and the root title and $id, so the root type keeps
 * its name), and leave the per-kind narrowing to src/config/types.ts.
 */
function configShape(schema: JSONSchema): JSONSchema {
  const copy = structuredClone(schema) as JSONSchema & { $defs: Record<string, JSONSchema> };
  delete copy.title;
  delete copy.$id;
  for (const def of Object.values(copy.$defs)) {
    delete def.oneOf;
    delete def.anyOf;
    delete def.allOf;
  }
  return copy;
}

const stale: string[] = [];
for (const target of targets) {
  const schema = JSON.parse(readFileSync(new URL(`../${target.schema}`, import.meta.url), "utf8")) as JSONSchema;
  const ts = await compile(target.shape ? target.shape(schema) : schema, target.rootName, {
    bannerComment: `// Generated from ${target.schema} by \`npm run gen:types\`. Do not edit by hand.`,
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { singleQuote: false },
  });
  const typesPath = new URL(`../${target.types}`, import.meta.url);
  if (!process.argv.includes("--check")) writeFileSync(typesPath, ts);
  else if (readFileSync(typesPath, "utf8") !== ts) stale.push(target.types);
}
if (stale.length > 0) {
  process.stderr.write(`${stale.join(", ")} stale: run \`npm run gen:types\` and commit the result.\n`);
  process.exit(1);
}
