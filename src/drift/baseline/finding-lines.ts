// Where the baseline declares what a finding of a scan judged: a failing password policy on the
// line of the declared value it fails (minLength of its passwordPolicies entry), a source-level
// setting (writeback, 2FA, krbtgt age) on its settings line, an account without enough owners
// on the owners rule of its kind, a credential past its lifetime on credentials.maxLifetimeDays.
// SARIF results and annotations of `scan --baseline` point there: the line a reviewer changes
// or defends in a pull request. Findings the baseline says nothing about have no line here.
import type { Finding } from "../../policy/engine/finding.ts";
import { declaredSnapshot } from "./declared-snapshot.ts";
import type { Baseline, BaselineDirectory, BaselineLocation } from "./types.ts";

type Path = (string | number)[];

/** Evidence that a finding judged a credential's lifetime (CG-NHI-001 and the like). */
const lifetimeEvidence = ["maxSecretLifetimeDays", "neverExpires"];

export function baselineFindingLines(baseline: Baseline): (finding: Finding) => BaselineLocation | undefined {
  // The names the policies give settings, mapped to the baseline fields that declare them.
  const { settingsAt } = declaredSnapshot(baseline, new Date(0).toISOString());
  const directories = baseline.document.directories;
  return (finding) => {
    for (const source of finding.subject.source.split(",").map((s) => s.trim())) {
      const directory = Object.hasOwn(directories, source) ? directories[source] : undefined;
      if (!directory) continue;
      const path = declaredPath(finding, source, directory, settingsAt.get(source));
      if (path) return baseline.locate(path);
    }
    return undefined;
  };
}

function declaredPath(finding: Finding, source: string, directory: BaselineDirectory, settings: Map<string, Path> | undefined): Path | undefined {
  const { subject, evidence } = finding;
  const at = (...rest: Path): Path => ["directories", source, ...rest];
  if (subject.kind === "passwordPolicy") {
    const index = (directory.passwordPolicies ?? []).findIndex(
      (p) => p.select.scope === evidence.scope && (p.select.name === undefined || p.select.name.toLowerCase() === subject.name.toLowerCase()),
    );
    if (index < 0) return undefined;
    const declared = (directory.passwordPolicies ?? [])[index] as unknown as Record<string, unknown>;
    const field = judged(evidence, Object.keys(declared).filter((key) => key !== "select"), (key) => declared[key]);
    return field ? at("passwordPolicies", index, field) : at("passwordPolicies", index);
  }
  const declaredSettings = directory.settings as Record<string, unknown> | undefined;
  const setting = judged(evidence, [...(settings?.keys() ?? [])], (key) => declaredSettings?.[String(settings?.get(key)?.at(-1))]);
  if (setting) return settings?.get(setting);
  if ("owners" in evidence) {
    const index = (directory.owners ?? []).findIndex((rule) => rule.accountKind === subject.kind);
    if (index >= 0) return at("owners", index);
  }
  const rule = directory.credentials;
  // The rule covers secrets other than passwords, of its types when it names them (as drift compares them).
  const covered = rule && subject.kind !== "password" && (rule.types === undefined || (rule.types as string[]).includes(subject.kind));
  if (covered && lifetimeEvidence.some((key) => key in evidence)) return at("credentials", "maxLifetimeDays");
  return undefined;
}

/**
 * Of the declared fields the evidence names, the one the finding is about: a value that differs
 * from the declared one (writeback off where the baseline wants it on) before one that agrees
 * (on-premises sync, on as declared, merely shown beside it).
 */
function judged(evidence: Record<string, unknown>, declared: readonly string[], declaredValue: (key: string) => unknown): string | undefined {
  const named = Object.keys(evidence).filter((key) => declared.includes(key));
  return named.find((key) => JSON.stringify(evidence[key]) !== JSON.stringify(declaredValue(key))) ?? named[0];
}
