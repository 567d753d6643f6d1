// One way to build a JSON Schema 2020-12 validator for credgov's two published schemas
// (snapshot and config): all errors at once, formats checked, unknown keywords rejected.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { withFastDateTime } from "./date-time-format.ts";

export interface AjvOptions {
  /**
   * Check each schema against the JSON Schema meta-schema before compiling it (default true).
   * Compiling the 2020-12 meta-schema costs about 35 ms; schemas built in code (collectors'
   * item shapes), whose keywords strict mode checks anyway, may skip it.
   */
  checkSchemas?: boolean;
}

export function createAjv(options: AjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true, validateSchema: options.checkSchemas ?? true });
  // ajv-formats is CommonJS; under NodeNext its plugin is the module's `default` export.
  addFormats.default(ajv);
  // Same acceptance as ajv-formats' date-time, faster for the timestamps APIs send.
  const dateTime = ajv.formats["date-time"] as { validate: (value: string) => boolean; compare: (a: string, b: string) => number | undefined };
  ajv.addFormat("date-time", { type: "string", validate: withFastDateTime(dateTime.validate), compare: dateTime.compare });
  // Annotation: the human message to show when the keyword next to it fails (e.g. a oneOf).
  ajv.addKeyword({ keyword: "x-error", schemaType: "string" });
  return ajv;
}
