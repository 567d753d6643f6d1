// Reads the official identifier lists transcribed under test/fixtures/frameworks/.
import { readFileSync } from "node:fs";

export function officialIds(file: string): Map<string, string> {
  const text = readFileSync(new URL(`../../fixtures/frameworks/${file}`, import.meta.url), "utf8");
  const ids = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const [id, title] = line.split("\t");
    ids.set(id, title);
  }
  return ids;
}
