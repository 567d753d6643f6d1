// A config file can have several mistakes; report them all at once, one line each,
// each naming file:line:col and the field, instead of making the user fix them one run at a time.
import { UserInputError } from "../errors.ts";

export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  field?: string;
  message: string;
}

export class ConfigError extends UserInputError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const first = issues[0];
    super(first.message, { file: first.file, line: first.line, column: first.column, field: first.field });
    this.name = "ConfigError";
    this.issues = issues;
  }

  override format(): string {
    return this.issues
      .map((i) => new UserInputError(i.message, { file: i.file, line: i.line, column: i.column, field: i.field }).format())
      .join("\n");
  }
}
