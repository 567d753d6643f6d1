// Applies exceptions to findings. Decision (documented in policies/README.md): an excepted
// finding keeps status `fail` and gains `excepted: {reason, approver, ticket, expires}`, so
// auditors still see that the control failed and who accepted the risk; `--fail-on` and the
// exit code ignore excepted findings. Expired exceptions stop applying and are reported.
import type { Finding } from "../engine/finding.ts";
import { expiryTime } from "./load.ts";
import { globToRegExp, type SubjectPattern } from "./subject-pattern.ts";
import type { PolicyException } from "./types.ts";

export interface ExceptionOutcome {
  findings: Finding[];
  /** Human-readable warnings: expired exceptions, exceptions that matched nothing. */
  warnings: string[];
  exceptedCount: number;
}

export function applyExceptions(findings: readonly Finding[], exceptions: readonly PolicyException[], now: Date = new Date()): ExceptionOutcome {
  const warnings: string[] = [];
  const active: Array<{ exception: PolicyException; control: SubjectPattern; subject: SubjectPattern; used: boolean }> = [];
  for (const exception of exceptions) {
    if (expiryTime(exception.expires) < now.getTime()) {
      const matches = findings.filter((f) => f.status === "fail" && matchesOne(exception, f)).length;
      warnings.push(
        `${exception.file}:${exception.line}: exception for ${exception.control} ${exception.subject} (ticket ${exception.ticket}) expired on ${exception.expires} and no longer applies` +
          (matches > 0 ? ` (${matches} failing finding${matches === 1 ? "" : "s"} would have matched)` : ""),
      );
      continue;
    }
    active.push({ exception, control: globToRegExp(exception.control), subject: globToRegExp(exception.subject), used: false });
  }
  let exceptedCount = 0;
  const out = findings.map((finding) => {
    if (finding.status !== "fail") return finding;
    const hit = active.find((a) => a.control.test(finding.controlId) && (a.subject.test(finding.subject.id) || a.subject.test(finding.subject.name)));
    if (!hit) return finding;
    hit.used = true;
    exceptedCount++;
    const { reason, approver, ticket, expires, file, line } = hit.exception;
    return { ...finding, excepted: { reason, approver, ticket, expires, file, line } };
  });
  for (const a of active) {
    // Broad and long-lived exceptions are accepted only when marked, and always shown.
    if (a.exception.broad !== undefined) {
      const count = out.filter((f) => f.excepted?.file === a.exception.file && f.excepted.line === a.exception.line).length;
      warnings.push(`${a.exception.file}:${a.exception.line}: allowBroad exception for ${a.exception.control} ${a.exception.subject} until ${a.exception.expires} (${a.exception.broad}) excepted ${count} failing finding(s)`);
    }
    if (!a.used) warnings.push(`${a.exception.file}:${a.exception.line}: exception for ${a.exception.control} ${a.exception.subject} matched no failing finding`);
  }
  return { findings: out, warnings, exceptedCount };
}

function matchesOne(exception: PolicyException, finding: Finding): boolean {
  const subject = globToRegExp(exception.subject);
  return globToRegExp(exception.control).test(finding.controlId) && (subject.test(finding.subject.id) || subject.test(finding.subject.name));
}
