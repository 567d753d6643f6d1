// Writes LDIF the way `ldapsearch -LLL` does: `attr:: base64` for values that are binary or
// not safe strings (RFC 2849), lines folded at 76 columns with a leading space, blank line
// between entries. Streams to a file so 300k-account exports never sit in memory.
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

export type LdifValue = string | number | Uint8Array;
export type LdifAttributes = Array<[string, LdifValue | LdifValue[] | undefined | null]>;

const WRAP = 76;

function isSafeString(value: string): boolean {
  if (value.length === 0) return true;
  if (/^[ :<]/.test(value) || value.endsWith(" ")) return false;
  // SAFE-CHAR excludes NUL, LF, CR and anything outside 7-bit ASCII.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 10 || c === 13 || c > 127) return false;
  }
  return true;
}

function fold(line: string): string {
  if (line.length <= WRAP) return line;
  const parts = [line.slice(0, WRAP)];
  for (let i = WRAP; i < line.length; i += WRAP - 1) parts.push(" " + line.slice(i, i + WRAP - 1));
  return parts.join("\n");
}

export function formatAttribute(name: string, value: LdifValue): string {
  if (value instanceof Uint8Array) return fold(`${name}:: ${Buffer.from(value).toString("base64")}`);
  const text = String(value);
  if (isSafeString(text)) return fold(`${name}: ${text}`);
  return fold(`${name}:: ${Buffer.from(text, "utf8").toString("base64")}`);
}

export function formatEntry(dn: string, attributes: LdifAttributes): string {
  const lines = [formatAttribute("dn", dn)];
  for (const [name, raw] of attributes) {
    if (raw === undefined || raw === null) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) lines.push(formatAttribute(name, value));
  }
  return lines.join("\n") + "\n\n";
}

export class LdifFileWriter {
  private readonly stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path, { encoding: "utf8" });
  }
  async entry(dn: string, attributes: LdifAttributes): Promise<void> {
    if (!this.stream.write(formatEntry(dn, attributes))) await once(this.stream, "drain");
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, "finish");
  }
}
