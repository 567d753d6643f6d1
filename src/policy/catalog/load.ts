// Loads policies/catalog.yaml (or an organisation's own catalog) and validates it with ajv;
// every problem is reported as `file:line:col field: message` (exit 2), never a stack trace.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createAjv } from "../../json-schema/ajv.ts";
import { UserInputError } from "../../errors.ts";
import { decodeText } from "../../io/decode-text.ts";
import { parseValidatedYaml } from "../../config/validated-yaml.ts";
import { catalogSchema } from "./schema.ts";
import type { Catalog } from "./types.ts";

export const builtinCatalogPath: string = fileURLToPath(new URL("../../../policies/catalog.yaml", import.meta.url));

const validate = createAjv().compile(catalogSchema);

export function loadCatalog(file: string = builtinCatalogPath): Catalog {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UserInputError(`cannot read the control catalog: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file });
  }
  // UTF-8 or UTF-16 with a byte-order mark, as the other YAML files; anything else at its line.
  return parseCatalog(decodeText(bytes, file), file);
}

export function parseCatalog(text: string, file: string): Catalog {
  const { value, positionOf } = parseValidatedYaml(text, file, validate, "catalog");
  const catalog = value as Catalog;
  // Control IDs are the join key with the Rego results: a duplicate would silently merge controls.
  const seen = new Map<string, number>();
  catalog.controls.forEach((control, index) => {
    const previous = seen.get(control.id);
    if (previous !== undefined) {
      const position = positionOf(["controls", index, "id"]);
      throw new UserInputError(`duplicate control id ${control.id} (first defined at controls[${previous}])`, {
        file,
        ...position,
        field: `controls[${index}].id`,
      });
    }
    seen.set(control.id, index);
  });
  return catalog;
}
