// Directory data (names, DNs, descriptions) may hold control characters: an escape sequence in
// a display name could rewrite the terminal, a bidi override could reverse what an auditor
// reads in summary.md. They are shown escaped (\x1b, \u202e) wherever text reaches a
// terminal or Markdown; line feeds and tabs are left to the caller.
// eslint-disable-next-line no-control-regex -- matching exactly those characters is the point
const controlCharacters = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function escapeControlCharacters(text: string): string {
  return text.replace(controlCharacters, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
