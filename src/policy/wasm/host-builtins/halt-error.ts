// An error that must stop evaluation (OPA "halts" with it) rather than make the expression undefined,
// e.g. a template string producing more than one output (eval_conflict_error).
export class HaltError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = "HaltError";
    this.code = code;
  }
}
