// A place inside a JSON (or YAML) document, as the segments of its path: what schema errors
// point at and what the YAML locator walks to find a line and column.
export type PathSegment = string | number;

/** JSON pointer (`/sources/1/kind`) -> segments, numeric where the document has a sequence. */
export function pointerToSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
