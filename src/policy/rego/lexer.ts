/**
 * Rego lexer: source text -> tokens (comments kept apart).
 *
 * Whitespace matters in two ways in Rego, so every token records it:
 * - `nlBefore`: a newline separates body expressions like `;` does.
 * - `wsBefore`: `.`, `[` and `(` continue a ref or a call only when they touch the
 *   preceding term (`x [1]` is not `x[1]`), as in OPA's scanner/parser.
 *
 * Template strings (`$"a {x} b"`) are lexed recursively: each `{...}` part carries its
 * own token list, which the parser parses as an expression.
 */
import type { Location } from "./ast.ts";
import { RegoError } from "./errors.ts";

export type TokenKind =
  | "ident"
  | "number"
  | "string"
  | "rawstring"
  | "template"
  | "punct"
  | "illegal"
  | "eof";

export type TemplatePart = { kind: "text"; value: string } | { kind: "expr"; tokens: Token[]; location: Location };

export interface Token {
  kind: TokenKind;
  /** Source text for idents, numbers and punctuation; decoded value for strings. */
  text: string;
  row: number;
  col: number;
  offset: number;
  end: number;
  nlBefore: boolean;
  wsBefore: boolean;
  /** Template string parts, only for kind "template". */
  parts?: TemplatePart[];
  multiLine?: boolean;
}

export interface Comment {
  text: string;
  row: number;
  col: number;
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  errors: RegoError[];
}

// Longest first so that `:=` wins over `:`.
const PUNCTUATION = [":=", "==", "!=", "<=", ">=", "{", "}", "[", "]", "(", ")", ".", ",", ";", ":", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|"];

/** Interpolations nested deeper than this are rejected instead of overflowing the stack. */
const MAX_TEMPLATE_DEPTH = 20;

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isIdentStart = (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c);

export function lex(source: string, file: string): LexResult {
  // A UTF-8 byte order mark is an editor artefact, not input.
  const lexer = new Lexer(source.startsWith("\uFEFF") ? source.slice(1) : source, file);
  const tokens = lexer.run(false);
  return { tokens, comments: lexer.comments, errors: lexer.errors };
}

class Lexer {
  readonly source: string;
  readonly file: string;
  pos = 0;
  row = 1;
  col = 1;
  readonly comments: Comment[] = [];
  readonly errors: RegoError[] = [];
  private templateDepth = 0;
  /** Set after a fatal error that skipped the rest of the input, to avoid follow-on noise. */
  private aborted = false;

  constructor(source: string, file: string) {
    this.source = source;
    this.file = file;
  }

  private error(message: string, row: number, col: number): void {
    this.errors.push(new RegoError("rego_parse_error", message, { file: this.file, row, col }));
  }

  private advance(n = 1): void {
    for (let i = 0; i < n && this.pos < this.source.length; i++) {
      if (this.source[this.pos] === "\n") {
        this.row++;
        this.col = 1;
      } else {
        this.col++;
      }
      this.pos++;
    }
  }

  /**
   * Lex until EOF, or (when `inTemplate`) until the `}` that closes a template
   * interpolation; that brace is consumed but not returned.
   */
  run(inTemplate: boolean): Token[] {
    const tokens: Token[] = [];
    let depth = 0;
    while (true) {
      const { nl, ws } = this.skipSpace(inTemplate);
      const row = this.row;
      const col = this.col;
      const offset = this.pos;
      const make = (kind: TokenKind, text: string): Token => ({
        kind, text, row, col, offset, end: this.pos, nlBefore: nl, wsBefore: ws,
      });
      if (this.pos >= this.source.length) {
        if (inTemplate && !this.aborted) {
          this.error("unterminated template string interpolation", row, col);
        }
        tokens.push(make("eof", ""));
        return tokens;
      }
      const c = this.source[this.pos];
      if (inTemplate && c === "}" && depth === 0) {
        this.advance();
        tokens.push(make("eof", ""));
        return tokens;
      }
      if (isIdentStart(c)) {
        let end = this.pos + 1;
        while (end < this.source.length && isIdentPart(this.source[end])) end++;
        const text = this.source.slice(this.pos, end);
        this.advance(end - this.pos);
        tokens.push(make("ident", text));
      } else if (isDigit(c)) {
        tokens.push(make("number", this.number()));
      } else if (c === '"') {
        const value = this.string(row, col);
        tokens.push(make(value === undefined ? "illegal" : "string", value ?? ""));
      } else if (c === "`") {
        const value = this.rawString(row, col);
        tokens.push(make(value === undefined ? "illegal" : "rawstring", value ?? ""));
      } else if (c === "$" && (this.source[this.pos + 1] === '"' || this.source[this.pos + 1] === "`")) {
        const multiLine = this.source[this.pos + 1] === "`";
        this.advance(2);
        const parts = this.template(multiLine, row, col);
        const token = make(parts === undefined ? "illegal" : "template", "");
        token.parts = parts;
        token.multiLine = multiLine;
        tokens.push(token);
      } else {
        const p = PUNCTUATION.find((q) => this.source.startsWith(q, this.pos));
        if (p === undefined) {
          this.error(`illegal token: unexpected character ${JSON.stringify(c)}`, row, col);
          this.advance();
          tokens.push(make("illegal", c));
        } else {
          this.advance(p.length);
          if (p === "{") depth++;
          if (p === "}") depth--;
          tokens.push(make("punct", p));
        }
      }
    }
  }

  /** Skips whitespace and comments; reports whether a newline or any space was skipped. */
  private skipSpace(inTemplate: boolean): { nl: boolean; ws: boolean } {
    let nl = false;
    let ws = false;
    while (this.pos < this.source.length) {
      const c = this.source[this.pos];
      if (c === "\n") {
        nl = true;
        ws = true;
        this.advance();
      } else if (c === " " || c === "\t" || c === "\r") {
        ws = true;
        this.advance();
      } else if (c === "#" && !inTemplate) {
        const start = this.pos;
        const row = this.row;
        const col = this.col;
        while (this.pos < this.source.length && this.source[this.pos] !== "\n") this.advance();
        this.comments.push({ text: this.source.slice(start + 1, this.pos).replace(/\r$/, ""), row, col });
        ws = true;
      } else {
        break;
      }
    }
    return { nl, ws };
  }

  /** JSON-style number: int, fraction, exponent. A sign is the parser's business. */
  private number(): string {
    const s = this.source;
    let end = this.pos;
    while (end < s.length && isDigit(s[end])) end++;
    if (s[end] === "." && isDigit(s[end + 1] ?? "")) {
      end++;
      while (end < s.length && isDigit(s[end])) end++;
    }
    if ((s[end] === "e" || s[end] === "E") && (isDigit(s[end + 1] ?? "") || ((s[end + 1] === "+" || s[end + 1] === "-") && isDigit(s[end + 2] ?? "")))) {
      end += 2;
      while (end < s.length && isDigit(s[end])) end++;
    }
    const text = s.slice(this.pos, end);
    this.advance(end - this.pos);
    return text;
  }

  /** Reads one escape after a backslash (the backslash already consumed) into `out`. */
  private escape(row: number, col: number): string | undefined {
    const e = this.source[this.pos];
    const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
    if (e !== undefined && e in simple) {
      this.advance();
      return simple[e];
    }
    if (e === "u") {
      const hex = this.source.slice(this.pos + 1, this.pos + 5);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        this.advance(5);
        return String.fromCharCode(parseInt(hex, 16));
      }
    }
    this.error(`illegal escape sequence in string: \\${e ?? ""}`, row, col);
    return undefined;
  }

  private string(row: number, col: number): string | undefined {
    this.advance(); // opening quote
    let out = "";
    let ok = true;
    while (true) {
      const c = this.source[this.pos];
      if (c === undefined || c === "\n") {
        this.error("non-terminated string", row, col);
        return undefined;
      }
      if (c === '"') {
        this.advance();
        return ok ? out : undefined;
      }
      if (c === "\\") {
        const erow = this.row;
        const ecol = this.col;
        this.advance();
        const v = this.escape(erow, ecol);
        if (v === undefined) ok = false;
        else out += v;
        continue;
      }
      out += c;
      this.advance();
    }
  }

  private rawString(row: number, col: number): string | undefined {
    const end = this.source.indexOf("`", this.pos + 1);
    if (end < 0) {
      this.error("non-terminated raw string", row, col);
      this.advance(this.source.length - this.pos);
      return undefined;
    }
    const value = this.source.slice(this.pos + 1, end);
    this.advance(end + 1 - this.pos);
    return value;
  }

  /** Body of `$"..."` or `` $`...` `` after the opening delimiter. */
  private template(multiLine: boolean, row: number, col: number): TemplatePart[] | undefined {
    const parts: TemplatePart[] = [];
    const close = multiLine ? "`" : '"';
    let text = "";
    let ok = true;
    while (true) {
      const c = this.source[this.pos];
      if (c === undefined || (!multiLine && c === "\n")) {
        if (!this.aborted) this.error("non-terminated template string", row, col);
        return undefined;
      }
      if (c === close) {
        this.advance();
        if (text !== "") parts.push({ kind: "text", value: text });
        return ok ? parts : undefined;
      }
      if (c === "{") {
        if (text !== "") parts.push({ kind: "text", value: text });
        text = "";
        const location = { file: this.file, row: this.row, col: this.col };
        this.advance();
        if (this.templateDepth >= MAX_TEMPLATE_DEPTH) {
          this.error("template strings nested too deeply", location.row, location.col);
          this.aborted = true;
          this.advance(this.source.length - this.pos);
          return undefined;
        }
        const before = this.errors.length;
        this.templateDepth++;
        const tokens = this.run(true);
        this.templateDepth--;
        if (this.errors.length > before) return undefined;
        parts.push({ kind: "expr", tokens, location });
        continue;
      }
      if (c === "\\" && !multiLine) {
        const erow = this.row;
        const ecol = this.col;
        this.advance();
        if (this.source[this.pos] === "{") {
          // `\{` is a literal brace in template strings.
          this.advance();
          text += "{";
          continue;
        }
        const v = this.escape(erow, ecol);
        if (v === undefined) ok = false;
        else text += v;
        continue;
      }
      text += c;
      this.advance();
    }
  }
}
