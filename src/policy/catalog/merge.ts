// The catalog an evaluation joins findings with: the built-in one plus any catalog.yaml shipped
// next to extra policy folders. A control id may be defined only once across them.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserInputError } from "../../errors.ts";
import { loadCatalog } from "./load.ts";
import type { Catalog } from "./types.ts";

/**
 * The built-in catalog is kept even without the built-in policies: a bundle compiled from
 * them emits the same ids.
 */
export function loadMergedCatalog(dirs: readonly string[]): Catalog {
  const controls: Catalog["controls"] = [...loadCatalog().controls];
  for (const dir of dirs) {
    const file = join(dir, "catalog.yaml");
    if (!existsSync(file)) continue;
    for (const control of loadCatalog(file).controls) {
      if (controls.some((c) => c.id === control.id)) throw new UserInputError(`control ${control.id} is already defined by another catalog`, { file, field: "controls" });
      controls.push(control);
    }
  }
  return { version: 1, controls };
}
