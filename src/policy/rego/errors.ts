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
  // An error of the whole compile (OPA's "error limit reached") has no position at all.
  if (!e.file && e.row === 0) return `${e.code}: ${e.message}`;
  const where = e.file ? `${e.file}:${e.row}:${e.col}: ` : `${e.row}:${e.col}: `;
  return `${where}${e.code}: ${e.message}`;
}

/** OPA's compiler default (ast.CompileErrorLimitDefault; `opa check/test -m`): 0 means no limit. */
export const COMPILE_ERROR_LIMIT = 10;

/**
 * The first `limit` errors by position and, when there were more, OPA's closing
 * `rego_compile_error: error limit reached`: its compiler stops at the limit, so a policy
 * tree with many errors prints a screenful instead of every one.
 */
export function limitErrors(errors: RegoError[], limit: number = COMPILE_ERROR_LIMIT): RegoError[] {
  if (limit <= 0 || errors.length <= limit) return errors;
  const kept = sortByPosition(errors).slice(0, limit);
  return [...kept, new RegoError("rego_compile_error", ERROR_LIMIT_REACHED, { file: "", row: 0, col: 0 })];
}

const ERROR_LIMIT_REACHED = "error limit reached";

/** The closing error limitErrors adds, not an error of the policy itself. */
export function isErrorLimit(e: RegoError): boolean {
  return e.code === "rego_compile_error" && e.detail === ERROR_LIMIT_REACHED && !e.file && e.row === 0;
}

function sortByPosition(errors: RegoError[]): RegoError[] {
  // Errors without a position (the limit, a missing entrypoint) close the list.
  const unplaced = (e: RegoError): number => (!e.file && e.row === 0 ? 1 : 0);
  return [...errors].sort((a, b) => unplaced(a) - unplaced(b) || a.file.localeCompare(b.file) || a.row - b.row || a.col - b.col);
}

/** Several errors at once (OPA reports up to 10 per compile by default, see limitErrors), sorted by position. */
export class RegoErrors extends Error {
  readonly errors: RegoError[];

  constructor(errors: RegoError[]) {
    const sorted = sortByPosition(errors);
    const n = sorted.length;
    super(`${n} error${n === 1 ? "" : "s"} occurred:\n${sorted.map((e) => e.message).join("\n")}`);
    this.name = "RegoErrors";
    this.errors = sorted;
  }
}
