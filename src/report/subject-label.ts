// How a finding's subject reads to a person in every human-facing output: its name in its
// directory, then the directory ("svc-backup / password (corp-ad)"). Ids stay in the evidence.
import type { FindingSubject } from "../policy/engine/finding.ts";

export function subjectLabel(subject: FindingSubject): string {
  const where = subject.source && subject.source !== subject.name ? ` (${subject.source})` : "";
  return `${subject.name || subject.id}${where}`;
}
