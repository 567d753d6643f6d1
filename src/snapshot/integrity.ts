// Checks the schema cannot express: ids are unique and references point at something in the
// snapshot. Reported like schema errors, as JSON pointers, so `snapshot validate` shows both.
// The checks run element by element (IntegrityCheck), so a snapshot too large to hold parsed
// (1M accounts) is checked while its elements are read one at a time
// (check-serialized.ts); checkIntegrity runs the same checks over a parsed snapshot.
import { containerHeld, isContainerHolder } from "./credential-holder.ts";
import type { Account, Credential, CorrelationReport, Identity, Owner, PasswordPolicy, ResetPath, Snapshot } from "./types.ts";
import type { SnapshotProblem } from "./validate.ts";

/** The snapshot arrays whose elements carry an id, in the order duplicate ids are reported. */
export const idAreas = ["sources", "accounts", "credentials", "resetPaths", "passwordPolicies", "identities"] as const;
export type IdArea = (typeof idAreas)[number];

// Problems are reported grouped by check, in this order, each group in element order, whatever
// order the elements are visited in.
const checkOrder = [
  ...idAreas.map((a) => `duplicate:${a}`),
  "source:accounts",
  "source:credentials",
  "source:resetPaths",
  "source:passwordPolicies",
  "resetPath:target",
  "credential:account",
  "account:passwordPolicy",
  "resetPath:actor",
  "owner:accounts",
  "owner:credentials",
  "correlation",
  "identity:accounts",
  "settings",
] as const;
type Check = (typeof checkOrder)[number];

/**
 * Two passes: `id()` for every element of every id area (element order within an area), then
 * the element checks, which need every id known. Memory: the id sets, never the elements.
 */
export class IntegrityCheck {
  readonly #firstIndex = new Map<IdArea, Map<string, number>>(idAreas.map((a) => [a, new Map()]));
  readonly #found = new Map<Check, SnapshotProblem[]>();

  /** Pass 1: the id of element `index` of `area`. */
  id(area: IdArea, id: string, index: number): void {
    const seen = this.#firstIndex.get(area)!;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else this.#add(`duplicate:${area}`, { pointer: `/${area}/${index}/id`, message: `duplicates the id of /${area}/${first} ("${id}")` });
  }

  #has(area: IdArea, id: string): boolean {
    return this.#firstIndex.get(area)!.has(id);
  }

  #add(check: Check, problem: SnapshotProblem): void {
    let list = this.#found.get(check);
    if (!list) this.#found.set(check, (list = []));
    list.push(problem);
  }

  #knownSource(area: "accounts" | "credentials" | "resetPaths" | "passwordPolicies", item: { source: string }, i: number): void {
    if (!this.#has("sources", item.source)) this.#add(`source:${area}`, { pointer: `/${area}/${i}/source`, message: `names source "${item.source}", which is not in /sources` });
  }

  // An owner ref is the owner's account id once resolved, else the raw DN/objectId/login. Account
  // ids start with "<source id>:", raw references never do, so such a ref claims to be resolved.
  #owners(area: "accounts" | "credentials", owners: readonly Owner[] | undefined, i: number): void {
    owners?.forEach((o, j) => {
      if (this.#has("sources", o.source) && o.ref.startsWith(`${o.source}:`) && !this.#has("accounts", o.ref)) {
        this.#add(`owner:${area}`, { pointer: `/${area}/${i}/owners/${j}/ref`, message: `names account "${o.ref}", which is not in /accounts (an unresolved owner keeps its raw reference)` });
      }
    });
  }

  /** Pass 2, one element at a time (sources need no check beyond their ids). */
  account(a: Account, i: number): void {
    this.#knownSource("accounts", a, i);
    if (a.passwordPolicy && !this.#has("passwordPolicies", a.passwordPolicy)) {
      this.#add("account:passwordPolicy", { pointer: `/accounts/${i}/passwordPolicy`, message: `names "${a.passwordPolicy}", which is not in /passwordPolicies` });
    }
    this.#owners("accounts", a.owners, i);
  }

  credential(c: Credential, i: number): void {
    this.#knownSource("credentials", c, i);
    if (!this.#has("accounts", c.account) && !isContainerHolder(c.type, c.source, c.account)) {
      const also = containerHeld(c.type) ? ` nor an organization/repository holder ("${c.source}:org:<name>", "${c.source}:repo:<name>")` : "";
      this.#add("credential:account", { pointer: `/credentials/${i}/account`, message: `names "${c.account}", which is not in /accounts${also}` });
    }
    this.#owners("credentials", c.owners, i);
  }

  resetPath(p: ResetPath, i: number): void {
    this.#knownSource("resetPaths", p, i);
    if (!this.#has("accounts", p.target) && !this.#has("credentials", p.target)) {
      this.#add("resetPath:target", { pointer: `/resetPaths/${i}/target`, message: `names "${p.target}", which is neither an account nor a credential id` });
    }
    if (p.actor.kind === "self" && !this.#has("accounts", p.actor.id)) {
      this.#add("resetPath:actor", { pointer: `/resetPaths/${i}/actor/id`, message: `names account "${p.actor.id}" (actor kind self), which is not in /accounts` });
    }
  }

  passwordPolicy(p: PasswordPolicy, i: number): void {
    this.#knownSource("passwordPolicies", p, i);
  }

  identity(identity: Identity, i: number): void {
    identity.accounts.forEach((id, j) => {
      if (!this.#has("accounts", id)) this.#add("identity:accounts", { pointer: `/identities/${i}/accounts/${j}`, message: `names account "${id}", which is not in /accounts` });
    });
  }

  correlation(report: CorrelationReport | undefined): void {
    report?.ambiguous.forEach((link, i) => {
      if (!this.#has("accounts", link.account)) this.#add("correlation", { pointer: `/correlation/ambiguous/${i}/account`, message: `names account "${link.account}", which is not in /accounts` });
    });
  }

  settings(settings: Snapshot["settings"]): void {
    for (const id of Object.keys(settings)) {
      if (!this.#has("sources", id)) this.#add("settings", { pointer: `/settings/${id.replace(/~/g, "~0").replace(/\//g, "~1")}`, message: "is keyed by a source id that is not in /sources" });
    }
  }

  problems(): SnapshotProblem[] {
    return checkOrder.flatMap((check) => this.#found.get(check) ?? []);
  }
}

export function checkIntegrity(snapshot: Snapshot): SnapshotProblem[] {
  const check = new IntegrityCheck();
  const areas: Record<IdArea, readonly { id: string }[]> = {
    sources: snapshot.sources,
    accounts: snapshot.accounts,
    credentials: snapshot.credentials,
    resetPaths: snapshot.resetPaths,
    passwordPolicies: snapshot.passwordPolicies,
    identities: snapshot.identities,
  };
  for (const area of idAreas) areas[area].forEach((item, i) => check.id(area, item.id, i));
  snapshot.accounts.forEach((a, i) => check.account(a, i));
  snapshot.credentials.forEach((c, i) => check.credential(c, i));
  snapshot.resetPaths.forEach((p, i) => check.resetPath(p, i));
  snapshot.passwordPolicies.forEach((p, i) => check.passwordPolicy(p, i));
  snapshot.identities.forEach((identity, i) => check.identity(identity, i));
  check.correlation(snapshot.correlation);
  check.settings(snapshot.settings);
  return check.problems();
}
