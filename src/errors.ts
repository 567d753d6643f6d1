// Exit codes are part of credgov's contract with CI pipelines (see ARCHITECTURE.md).
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  collectionIncomplete: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can fix: bad config, bad input file, bad arguments.
 * Printed as one line (`file:line:col field: message`) with no stack trace; exit code 2.
 */
export class UserInputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  readonly exitCode: ExitCode;

  constructor(
    message: string,
    where: { file?: string; line?: number; column?: number; field?: string } = {},
    exitCode: ExitCode = ExitCode.usage,
  ) {
    super(message);
    this.name = "UserInputError";
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.field = where.field;
    this.exitCode = exitCode;
  }

  /** `credgov.yaml:7:5 sources[1].kind: must be one of ad, ldap, entra, github` */
  format(): string {
    let location = this.file ?? "";
    if (this.file && this.line !== undefined) location += `:${this.line}`;
    if (this.file && this.line !== undefined && this.column !== undefined) location += `:${this.column}`;
    const field = this.field ? `${this.field}: ` : "";
    return location ? `${location} ${field}${this.message}` : `${field}${this.message}`;
  }
}

/** A command that exists but whose capability has not been built yet. */
export class NotImplementedError extends UserInputError {
  constructor(what: string) {
    super(`${what} is not implemented yet`);
    this.name = "NotImplementedError";
  }
}
