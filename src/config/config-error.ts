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

const shownIssues = 20;

export class ConfigError extends UserInputError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const first = issues[0];
    super(first.message, { file: first.file, line: first.line, column: first.column, field: first.field });
    this.name = "ConfigError";
    this.issues = issues;
  }

  /** At most `shownIssues` lines: a broken file (a stray bracket deep in YAML) can yield hundreds of the same one. */
  override format(): string {
    const lines = this.issues.slice(0, shownIssues).map((i) => new UserInputError(i.message, { file: i.file, line: i.line, column: i.column, field: i.field }).format());
    if (this.issues.length > shownIssues) lines.push(`... and ${this.issues.length - shownIssues} more problem(s); fix the ones above first`);
    return lines.join("\n");
  }
}
