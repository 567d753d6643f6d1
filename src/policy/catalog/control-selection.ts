// --controls / --skip-controls (Prowler's --checks / --excluded-checks): control ids or globs
// (`CG-RESET-*`, `CG-???-001`), matched case-insensitively. A plain id that names no control is
// an error with the closest id suggested, so a typo never silently selects nothing.
import { UserInputError } from "../../errors.ts";
import { closestMatch } from "../../closest-match.ts";

export interface ControlSelection {
  include?: readonly string[];
  exclude?: readonly string[];
}

/** Splits `a,b c` (commas or spaces, repeated flags) into patterns. */
export function controlPatterns(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

/** A predicate over control ids; throws (exit 2) on a pattern that matches no known control. */
export function selectControls(knownIds: readonly string[], selection: ControlSelection): (controlId: string) => boolean {
  const compile = (patterns: readonly string[] | undefined, field: string): RegExp[] | undefined => {
    if (patterns === undefined) return undefined;
    return patterns.map((pattern) => {
      const re = globToRegExp(pattern);
      if (!knownIds.some((id) => re.test(id))) {
        const suggestion = /[*?]/.test(pattern) ? undefined : closestMatch(pattern, knownIds);
        throw new UserInputError(`${JSON.stringify(pattern)} matches no control${suggestion ? `; did you mean ${suggestion}?` : ""} (see \`credgov controls\`)`, { field });
      }
      return re;
    });
  };
  const include = compile(selection.include, "--controls");
  const exclude = compile(selection.exclude, "--skip-controls");
  return (id) => (include === undefined || include.some((re) => re.test(id))) && !(exclude ?? []).some((re) => re.test(id));
}
