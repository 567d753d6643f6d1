// Checks the schema cannot express: ids are unique and references point at something in the
// snapshot. Reported like schema errors, as JSON pointers, so `snapshot validate` shows both.
import { isContainerHolder } from "./credential-holder.ts";
import type { Owner, Snapshot } from "./types.ts";
import type { SnapshotProblem } from "./validate.ts";

export function checkIntegrity(snapshot: Snapshot): SnapshotProblem[] {
  const problems: SnapshotProblem[] = [];
  const sources = uniqueIds("sources", snapshot.sources, problems);
  const accounts = uniqueIds("accounts", snapshot.accounts, problems);
  const credentials = uniqueIds("credentials", snapshot.credentials, problems);
  uniqueIds("resetPaths", snapshot.resetPaths, problems);
  const policies = uniqueIds("passwordPolicies", snapshot.passwordPolicies, problems);
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
  snapshot.credentials.forEach((c, i) => {
    if (!accounts.has(c.account) && !isContainerHolder(c.type, c.source, c.account)) {
      const also = c.type === "actionsSecret" || c.type === "deployKey" ? ` nor an organization/repository holder ("${c.source}:org:<name>", "${c.source}:repo:<name>")` : "";
      problems.push({ pointer: `/credentials/${i}/account`, message: `names "${c.account}", which is not in /accounts${also}` });
    }
  });
  snapshot.accounts.forEach((a, i) => {
    if (a.passwordPolicy && !policies.has(a.passwordPolicy)) {
      problems.push({ pointer: `/accounts/${i}/passwordPolicy`, message: `names "${a.passwordPolicy}", which is not in /passwordPolicies` });
    }
  });
  snapshot.resetPaths.forEach((p, i) => {
    if (p.actor.kind === "self" && !accounts.has(p.actor.id)) {
      problems.push({ pointer: `/resetPaths/${i}/actor/id`, message: `names account "${p.actor.id}" (actor kind self), which is not in /accounts` });
    }
  });
  // An owner ref is the owner's account id once resolved, else the raw DN/objectId/login. Account
  // ids start with "<source id>:", raw references never do, so such a ref claims to be resolved.
  const checkOwners = (area: string, items: readonly { owners?: Owner[] }[]) =>
    items.forEach((item, i) =>
      item.owners?.forEach((o, j) => {
        if (sources.has(o.source) && o.ref.startsWith(`${o.source}:`) && !accounts.has(o.ref)) {
          problems.push({ pointer: `/${area}/${i}/owners/${j}/ref`, message: `names account "${o.ref}", which is not in /accounts (an unresolved owner keeps its raw reference)` });
        }
      }),
    );
  checkOwners("accounts", snapshot.accounts);
  checkOwners("credentials", snapshot.credentials);
  snapshot.correlation?.ambiguous.forEach((link, i) => {
    if (!accounts.has(link.account)) problems.push({ pointer: `/correlation/ambiguous/${i}/account`, message: `names account "${link.account}", which is not in /accounts` });
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
