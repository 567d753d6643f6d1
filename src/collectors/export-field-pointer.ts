// The export readers name a bad value by a path written for people (`page 2 [0].id`,
// `(body).two_factor_requirement_enabled`, `value[3].passwordCredentials[0].endDateTime`); the
// same path as a JSON pointer lets the export reader find the value's line and column in the
// file. Property names here are the API's (letters, digits, `_`, and Graph's `@odata.` prefix):
// another name with a `.` or a `[` would split wrongly, and the pointer then stops at the
// deepest value that matches.

/** `page 2 [0].id` -> `/1/0/id`; undefined when the text is not such a path. */
export function exportFieldPointer(field: string): string | undefined {
  let rest = field;
  const segments: string[] = [];
  const page = /^page (\d+)(?: |$)/.exec(rest);
  if (page) {
    segments.push(String(Number(page[1]) - 1));
    rest = rest.slice(page[0].length);
  }
  if (rest.startsWith("(body)")) rest = rest.slice("(body)".length);
  // Graph's annotations (`@odata.count`) are the one family of names with a dot.
  const step = /^(?:\.?(@odata\.[^.[\]]+|[^.[\]]+)|\[(\d+)\])/;
  while (rest !== "") {
    const m = step.exec(rest);
    if (!m) return undefined;
    segments.push(m[2] ?? m[1]!);
    rest = rest.slice(m[0].length);
  }
  return segments.map((s) => `/${s.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
