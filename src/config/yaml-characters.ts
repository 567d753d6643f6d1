// A YAML stream holds printable characters only (YAML 1.2 section 5.1, c-printable, as 1.1):
// tab, line feed, carriage return, U+0020-U+007E, NEL, U+00A0 and above, except U+FFFE and
// U+FFFF. The yaml library reads a raw NUL or another control character into the value as it
// stands (a name or id changed without a word); go-yaml, OPA's loader, refuses the file ("control
// characters are not allowed"). credgov refuses it too, at its line and column.
import { UserInputError } from "../errors.ts";

function allowed(code: number): boolean {
  if (code >= 0x20 && code <= 0x7e) return true;
  if (code === 0x09 || code === 0x0a || code === 0x0d || code === 0x85) return true;
  return code >= 0xa0 && code !== 0xfffe && code !== 0xffff;
}

/** Throws at the first character a YAML stream may not hold. `file` is the name errors show. */
export function assertYamlCharacters(text: string, file: string): void {
  for (let i = 0; i < text.length; i++) {
    if (allowed(text.charCodeAt(i))) continue;
    const before = text.slice(0, i);
    const line = before.split("\n").length;
    const column = i - before.lastIndexOf("\n");
    const code = text.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
    throw new UserInputError(
      `character U+${code} (a control character) is not allowed in YAML: the file is damaged, or the character must be written escaped in a double-quoted string ("\\u${code}")`,
      { file, line, column },
    );
  }
}
