// The official identifier lists live next to the catalog (src/policy/catalog/frameworks/).
import { frameworkTitles, type FrameworkList } from "../../../src/policy/catalog/framework-titles.ts";

export function officialIds(file: string): Map<string, string> {
  return new Map(frameworkTitles(file.replace(/\.tsv$/, "") as FrameworkList));
}
