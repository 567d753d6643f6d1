// An import as OPA prints it in messages (ast.Import.String): `import data.a.b`, `import
// input.x as y`; a path segment that is not a plain name prints as `[...]`.
import type { Import } from "./ast.ts";

export function importText(imp: Import): string {
  const path = imp.path.value.type === "ref" ? imp.path.value.value : [imp.path];
  const ref = path.map((t, i) => (i === 0 && t.value.type === "var" ? t.value.value : t.value.type === "string" ? `.${t.value.value}` : "[...]")).join("");
  return `import ${ref}${imp.alias ? ` as ${imp.alias}` : ""}`;
}

/** The name an import binds (OPA's Import.Name): its alias, else its last path segment. */
export function importName(imp: Import): string {
  if (imp.alias) return imp.alias;
  const path = imp.path.value.type === "ref" ? imp.path.value.value : [imp.path];
  const last = path[path.length - 1];
  return last.value.type === "string" || last.value.type === "var" ? last.value.value : "";
}
