// yaml.marshal's text as OPA produces it: OPA writes the value as JSON and converts that with
// sigs.k8s.io/yaml's JSONToYAML, which reads the JSON with go-yaml v2 and writes it back with
// go-yaml v2's emitter (a port of libyaml). So the output follows libyaml's rules, which differ
// from other YAML writers in ways policies compare against:
// - block style with a two-space indent; a sequence that is a mapping's value is not indented;
// - mapping keys in go-yaml's order (letters after other characters, digit runs by value);
// - a string is plain unless it would read back as another type (`"yes"`, `"1.0"`, `"~"`,
//   `"2024-01-01"`) - then double-quoted - or libyaml cannot write it plain (indicators,
//   leading or trailing spaces) - then single-quoted; a string with a line break is a literal
//   block (`|-`); control characters and characters beyond U+FFFF are escaped in double quotes;
// - plain and quoted scalars longer than 80 columns fold at a space onto the next line.
// Mapping keys are written as simple keys, as libyaml does for keys of one line and at most
// 128 characters (longer or multi-line keys, which libyaml writes in the `? ` form, are not).

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

type Style = "plain" | "single" | "double" | "literal";

const isBreak = (c: string | undefined): boolean => c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlankOrEnd = (c: string | undefined): boolean => c === undefined || c === " " || c === "\t" || isBreak(c);

/** libyaml's IS_PRINTABLE (with unicode output on, as go-yaml sets it). */
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

/** Which styles libyaml's scalar analysis allows for `chars` outside flow collections. */
function allowedStyles(chars: string[]): { plain: boolean; single: boolean; block: boolean } {
  let indicators = chars.length >= 3 && ["---", "..."].includes(chars.slice(0, 3).join(""));
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByBlank = true;
  const last = chars.length - 1;
  for (const [i, c] of chars.entries()) {
    const followedByBlank = isBlankOrEnd(chars[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) indicators = true;
      if ((c === "?" || c === ":" || c === "-") && followedByBlank) indicators = true;
    } else if ((c === ":" && followedByBlank) || (c === "#" && precededByBlank)) {
      indicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByBlank = isBlankOrEnd(c);
  }
  let plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || indicators);
  let single = true;
  let block = !trailingSpace;
  if (breakSpace) plain = single = false;
  if (spaceBreak || special) plain = single = block = false;
  return { plain, single, block };
}

// go-yaml v2's resolve(): the plain scalars that read back as something other than a string.
const NON_STRING_WORDS = new Set([
  ...["", "~", "null", "Null", "NULL", "<<"],
  ...["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"],
  ...["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"],
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"],
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// Go's ParseInt/ParseUint with base 0 after go-yaml drops the underscores, and its 0b form.
const GO_INTEGER = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;
const BASE_60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]| +)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?: *(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;

function readsAsString(s: string): boolean {
  if (NON_STRING_WORDS.has(s)) return false;
  if (!/^[-+.0-9]/.test(s)) return true;
  const digits = s.replace(/_/g, "");
  return !(GO_INTEGER.test(digits) || YAML_FLOAT.test(digits) || BASE_60_FLOAT.test(s) || TIMESTAMP.test(s));
}

/** go-yaml v2's encoder picks a style, then libyaml's emitter overrides what it cannot write. */
function scalarStyle(s: string, chars: string[], simpleKey: boolean): Style {
  let style: Style = s.includes("\n") ? "literal" : readsAsString(s) ? "plain" : "double";
  const allowed = allowedStyles(chars);
  if (style === "plain" && !allowed.plain) style = "single";
  if (style === "single" && !allowed.single) style = "double";
  if (style === "literal" && (!allowed.block || simpleKey)) style = "double";
  return style;
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r", "\x1b": "e",
  '"': '"', "\\": "\\", "\u0085": "N", "\u00a0": "_", "\u2028": "L", "\u2029": "P",
};

function escape(c: string): string {
  const named = ESCAPES[c];
  if (named) return `\\${named}`;
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}

/** go-yaml v2's key order (its keyList.Less): letters sort after other characters, digit runs by value. */
function keyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);
  const digit = (c: string): number => (c.codePointAt(0) ?? 48) - 48;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return (ar[i].codePointAt(0) ?? 0) < (br[i].codePointAt(0) ?? 0);
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; isDigit(ar[ai]); ai++) an = an * 10 + digit(ar[ai]);
    for (; isDigit(br[bi]); bi++) bn = bn * 10 + digit(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (ar[i].codePointAt(0) ?? 0) < (br[i].codePointAt(0) ?? 0);
  }
  return ar.length < br.length;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), as go-yaml writes a float. */
function goFloat(n: number): string {
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const shortest = n.toExponential(); // shortest round-trip digits, e.g. 1.5e+6
  const exp = Number(shortest.slice(shortest.indexOf("e") + 1));
  if (exp < -4 || exp >= 6) {
    const [mantissa] = shortest.split("e");
    const sign = exp < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(n);
}

function number(n: number): string {
  // JSON numbers that go-yaml reads as int64 print as integers, the others as floats.
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return goFloat(n);
}

/** Writes one YAML document with libyaml's column and indentation bookkeeping. */
class GoYamlEmitter {
  private out = "";
  private column = 0;
  /** The last character written is a blank (or the line is empty). */
  private whitespace = true;
  /** Only indentation has been written on this line. */
  private indention = true;

  private put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }
  private lineBreak(): void {
    this.out += "\n";
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
  }
  private writeIndent(indent: number): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }
  private indicator(text: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    this.put(text);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** The document so far, ended as libyaml ends it (a line break unless the line is empty). */
  text(): string {
    this.writeIndent(0);
    return this.out;
  }

  node(value: unknown, indent: number, inMappingValue: boolean): void {
    if (Array.isArray(value)) {
      if (value.length === 0) return this.indicator("[]", true, false, false);
      // A sequence that is a mapping's value is indentless, as libyaml writes it.
      const at = inMappingValue ? Math.max(indent - BEST_INDENT, 0) : indent;
      for (const item of value) {
        this.writeIndent(at);
        this.indicator("-", true, false, true);
        this.node(item, at + BEST_INDENT, false);
      }
      return;
    }
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value).sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
      if (keys.length === 0) return this.indicator("{}", true, false, false);
      for (const key of keys) {
        this.writeIndent(indent);
        this.scalar(key, indent + BEST_INDENT, true);
        this.indicator(":", false, false, false);
        this.node((value as Record<string, unknown>)[key], indent + BEST_INDENT, true);
      }
      return;
    }
    if (typeof value === "string") return this.scalar(value, indent, false);
    const text = typeof value === "number" ? number(value) : typeof value === "bigint" ? value.toString() : String(value);
    this.plain([...text], indent, false);
  }

  private scalar(s: string, indent: number, simpleKey: boolean): void {
    const chars = [...s];
    const style = scalarStyle(s, chars, simpleKey);
    if (style === "plain") this.plain(chars, indent, !simpleKey);
    else if (style === "single") this.singleQuoted(chars, indent, !simpleKey);
    else if (style === "double") this.doubleQuoted(chars, indent, !simpleKey);
    else this.literal(chars, indent);
  }

  private plain(chars: string[], indent: number, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    let spaces = false;
    for (const [i, c] of chars.entries()) {
      if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== " ") this.writeIndent(indent);
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(chars: string[], indent: number, allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    const last = chars.length - 1;
    for (const [i, c] of chars.entries()) {
      if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== last && chars[i + 1] !== " ") this.writeIndent(indent);
        else this.put(c);
        spaces = true;
      } else {
        this.put(c === "'" ? "''" : c);
        this.indention = false;
        spaces = false;
      }
    }
    this.indicator("'", false, false, false);
  }

  private doubleQuoted(chars: string[], indent: number, allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    let spaces = false;
    const last = chars.length - 1;
    for (const [i, c] of chars.entries()) {
      if (!isPrintable(c) || isBreak(c) || c === '"' || c === "\\") {
        this.put(escape(c));
        spaces = false;
      } else if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== last) {
          this.writeIndent(indent);
          if (chars[i + 1] === " ") this.put("\\");
        } else {
          this.put(c);
        }
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.indicator('"', false, false, false);
  }

  private literal(chars: string[], indent: number): void {
    this.indicator("|", true, false, false);
    if (chars[0] === " " || isBreak(chars[0])) this.put(String(BEST_INDENT));
    const last = chars.length - 1;
    // Chomping: "-" without a final line break, "+" with more than one (or only one).
    if (!isBreak(chars[last])) this.put("-");
    else if (last === 0 || isBreak(chars[last - 1])) this.put("+");
    this.lineBreak();
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.lineBreak();
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** `value` (JSON: objects, arrays, strings, numbers, booleans, null) as go-yaml v2 writes it. */
export function goYamlMarshal(value: unknown): string {
  const emitter = new GoYamlEmitter();
  // A document's root scalar is indented as libyaml's first increase_indent leaves it.
  emitter.node(value, Array.isArray(value) || (value !== null && typeof value === "object") ? 0 : BEST_INDENT, false);
  return emitter.text();
}
