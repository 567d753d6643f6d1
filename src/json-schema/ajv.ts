// One way to build a JSON Schema 2020-12 validator for credgov's two published schemas
// (snapshot and config): all errors at once, formats checked, unknown keywords rejected.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
  // ajv-formats is CommonJS; under NodeNext its plugin is the module's `default` export.
  addFormats.default(ajv);
  // Annotation: the human message to show when the keyword next to it fails (e.g. a oneOf).
  ajv.addKeyword({ keyword: "x-error", schemaType: "string" });
  return ajv;
}
