// An exception whose control pattern matches no control of the library can never apply: a typo
// (CG-HYG-01) would leave the finding it was written for failing while the file reads as if it
// were waived. It is refused like a --controls id that names nothing, with the closest id.
import { closestMatch } from "../../closest-match.ts";
import { UserInputError } from "../../errors.ts";
import { globToRegExp } from "./subject-pattern.ts";
import type { PolicyException } from "./types.ts";

export function assertExceptionControlsKnown(exceptions: readonly PolicyException[], knownIds: readonly string[]): void {
  exceptions.forEach((exception, index) => {
    const pattern = globToRegExp(exception.control);
    if (knownIds.some((id) => pattern.test(id))) return;
    const suggestion = /[*?]/.test(exception.control) ? undefined : closestMatch(exception.control, knownIds);
    throw new UserInputError(`${JSON.stringify(exception.control)} matches no control${suggestion ? `; did you mean ${suggestion}?` : ""} (see \`credgov controls\`)`, {
      file: exception.file,
      line: exception.line,
      field: `exceptions[${index}].control`,
    });
  });
}
