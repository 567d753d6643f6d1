// Glob patterns of exceptions.yaml: `*` any run of characters, `?` one character, all else
// literal (subject ids contain `:`, `/`, `.`, `=` and `,`, so no other syntax is special).
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}
