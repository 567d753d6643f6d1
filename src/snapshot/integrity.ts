// Checks the schema cannot express: ids are unique and references point at something in the
// snapshot. Reported like schema errors, as JSON pointers, so `snapshot validate` shows both.
import type { Snapshot } from "./types.ts";
import type { SnapshotProblem } from "./validate.ts";

export function checkIntegrity(snapshot: Snapshot): SnapshotProblem[] {
  const problems: SnapshotProblem[] = [];
  const sources = uniqueIds("sources", snapshot.sources, problems);
  const accounts = uniqueIds("accounts", snapshot.accounts, problems);
  const credentials = uniqueIds("credentials", snapshot.credentials, problems);
  uniqueIds("resetPaths", snapshot.resetPaths, problems);
  uniqueIds("passwordPolicies", snapshot.passwordPolicies, problems);
  uniqueIds("identities", snapshot.identities, problems);

  const knownSource = (area: string, items: readonly { source: string }[]) =>
    items.forEach((item, i) => {
      if (!sources.has(item.source)) problems.push({ pointer: `/${area}/${i}/source`, message: `names source "${item.source}", which is not in /sources` });
    });
  knownSource("accounts", snapshot.accounts);
  knownSource("credentials", snapshot.credentials);
  knownSource("resetPaths", snapshot.resetPaths);
  knownSource("passwordPolicies", snapshot.passwordPolicies);

  snapshot.resetPaths.forEach((p, i) => {
    if (!accounts.has(p.target) && !credentials.has(p.target)) {
      problems.push({ pointer: `/resetPaths/${i}/target`, message: `names "${p.target}", which is neither an account nor a credential id` });
    }
  });
  snapshot.identities.forEach((identity, i) =>
    identity.accounts.forEach((id, j) => {
      if (!accounts.has(id)) problems.push({ pointer: `/identities/${i}/accounts/${j}`, message: `names account "${id}", which is not in /accounts` });
    }),
  );
  for (const id of Object.keys(snapshot.settings)) {
    if (!sources.has(id)) problems.push({ pointer: `/settings/${id.replace(/~/g, "~0").replace(/\//g, "~1")}`, message: "is keyed by a source id that is not in /sources" });
  }
  return problems;
}

function uniqueIds(area: string, items: readonly { id: string }[], problems: SnapshotProblem[]): Set<string> {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first === undefined) seen.set(item.id, i);
    else problems.push({ pointer: `/${area}/${i}/id`, message: `duplicates the id of /${area}/${first} ("${item.id}")` });
  });
  return new Set(seen.keys());
}
