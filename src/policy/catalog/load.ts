// Loads policies/catalog.yaml (or an organisation's own catalog) and validates it with ajv;
// every problem is reported as `file:line:col field: message` (exit 2), never a stack trace.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createAjv } from "../../snapshot/ajv.ts";
import { LineCounter, parseDocument } from "yaml";
import { UserInputError } from "../../cli/errors.ts";
import { describeSchemaErrors } from "../../config/schema-messages.ts";
import { formatField, locate } from "../../config/yaml-positions.ts";
import { catalogSchema } from "./schema.ts";
import type { Catalog } from "./types.ts";

export const builtinCatalogPath: string = fileURLToPath(new URL("../../../policies/catalog.yaml", import.meta.url));

const validate = createAjv().compile(catalogSchema);

export function loadCatalog(file: string = builtinCatalogPath): Catalog {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserInputError(`cannot read the control catalog: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file });
  }
  return parseCatalog(text, file);
}

export function parseCatalog(text: string, file: string): Catalog {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new UserInputError(`invalid YAML: ${first.message.split("\n")[0]}`, { file, line, column: col });
  }
  const raw: unknown = doc.toJS();
  if (!validate(raw)) {
    const issue = describeSchemaErrors(validate.errors ?? [])[0];
    const segments = issue?.segments ?? [];
    const position = locate(doc, lineCounter, segments);
    throw new UserInputError(issue?.message ?? "invalid catalog", { file, ...position, field: formatField(segments) || undefined });
  }
  const catalog = raw as unknown as Catalog;
  // Control IDs are the join key with the Rego results: a duplicate would silently merge controls.
  const seen = new Map<string, number>();
  catalog.controls.forEach((control, index) => {
    const previous = seen.get(control.id);
    if (previous !== undefined) {
      const position = locate(doc, lineCounter, ["controls", index, "id"]);
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
