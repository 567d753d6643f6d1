/**
 * Errors of the Rego front end (parser and compile passes), with the codes OPA uses
 * so messages read like OPA's: `policies/reset.rego:12:5: rego_parse_error: unexpected ...`.
 */
import type { Location } from "./ast.ts";

export type RegoErrorCode =
  | "rego_parse_error"
  | "rego_compile_error"
  | "rego_type_error"
  | "rego_unsafe_var_error"
  | "rego_recursion_error";

export interface RegoErrorDetails {
  file: string;
  row: number;
  col: number;
  code: RegoErrorCode;
  message: string;
}

export class RegoError extends Error implements RegoErrorDetails {
  readonly file: string;
  readonly row: number;
  readonly col: number;
  readonly code: RegoErrorCode;
  /** The message without location and code; `message` (from Error) is the full formatted line. */
  readonly detail: string;

  constructor(code: RegoErrorCode, detail: string, location: Location) {
    super(formatRegoError({ file: location.file, row: location.row, col: location.col, code, message: detail }));
    this.name = "RegoError";
    this.file = location.file;
    this.row = location.row;
    this.col = location.col;
    this.code = code;
    this.detail = detail;
  }

  toJSON(): RegoErrorDetails {
    return { file: this.file, row: this.row, col: this.col, code: this.code, message: this.detail };
  }
}

export function formatRegoError(e: RegoErrorDetails): string {
  const where = e.file ? `${e.file}:${e.row}:${e.col}: ` : `${e.row}:${e.col}: `;
  return `${where}${e.code}: ${e.message}`;
}

/** Several errors at once (OPA reports up to 10 per compile by default), sorted by position. */
export class RegoErrors extends Error {
  readonly errors: RegoError[];

  constructor(errors: RegoError[]) {
    const sorted = [...errors].sort(
      (a, b) => a.file.localeCompare(b.file) || a.row - b.row || a.col - b.col,
    );
    const n = sorted.length;
    super(`${n} error${n === 1 ? "" : "s"} occurred:\n${sorted.map((e) => e.message).join("\n")}`);
    this.name = "RegoErrors";
    this.errors = sorted;
  }
}
