// The official identifier lists of the frameworks the catalog maps to (frameworks/*.tsv,
// one "id<TAB>title" per line): the catalog test checks every mapping against them, and the
// evidence pack prints the official titles next to the ids.
import { readFileSync } from "node:fs";

export type FrameworkList = "nist-csf-2.0" | "owasp-nhi-2025" | "cis-controls-v8" | "iso27001-2022-annex-a";

const cache = new Map<FrameworkList, Map<string, string>>();

export function frameworkTitles(list: FrameworkList): Map<string, string> {
  let titles = cache.get(list);
  if (!titles) {
    titles = new Map();
    const text = readFileSync(new URL(`./frameworks/${list}.tsv`, import.meta.url), "utf8");
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const [id, title] = line.split("\t");
      titles.set(id, title);
    }
    cache.set(list, titles);
  }
  return titles;
}
