// --severity and --status (Prowler's output filters): which findings the outputs show. The exit
// code is not filtered: --fail-on still judges every finding.
import { UserInputError } from "../errors.ts";
import { closestMatch } from "../closest-match.ts";
import { severities, type Severity } from "../policy/catalog/types.ts";
import { findingStatuses, type Finding, type FindingStatus } from "../policy/engine/finding.ts";

export interface FindingFilter {
  severities?: ReadonlySet<Severity>;
  statuses?: ReadonlySet<FindingStatus>;
}

function parseList<T extends string>(values: readonly string[] | undefined, allowed: readonly T[], field: string): Set<T> | undefined {
  if (values === undefined) return undefined;
  const out = new Set<T>();
  for (const value of values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean)) {
    const v = value.toLowerCase();
    if (!(allowed as readonly string[]).includes(v)) {
      const suggestion = closestMatch(v, allowed);
      throw new UserInputError(`${JSON.stringify(value)} is not one of ${allowed.join(", ")}${suggestion ? `; did you mean ${suggestion}?` : ""}`, { field });
    }
    out.add(v as T);
  }
  return out;
}

export function parseFindingFilter(options: { severity?: readonly string[]; status?: readonly string[] }): FindingFilter {
  return { severities: parseList(options.severity, severities, "--severity"), statuses: parseList(options.status, findingStatuses, "--status") };
}

export function filterFindings(findings: readonly Finding[], filter: FindingFilter): readonly Finding[] {
  if (!filter.severities && !filter.statuses) return findings;
  return findings.filter((f) => (!filter.severities || filter.severities.has(f.severity)) && (!filter.statuses || filter.statuses.has(f.status)));
}
