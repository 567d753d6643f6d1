// Who holds a credential. Usually an account; GitHub secrets and deploy keys belong to a GitHub
// organization or repository, which the snapshot does not list as accounts (the schema says so
// for credentials[].account). Their holder ids have one form, made here for the collector and
// recognised here by the integrity check, so both agree.

export type HolderKind = "org" | "repo";

export function holderId(source: string, kind: HolderKind, name: string): string {
  return `${source}:${kind}:${name}`;
}

/** Credential types whose holder may be an organization or repository instead of an account. */
const heldByContainers: ReadonlySet<string> = new Set(["actionsSecret", "dependabotSecret", "codespacesSecret", "deployKey"]);

/** Whether a credential of `type` may be held by an organization or repository. */
export function containerHeld(type: string): boolean {
  return heldByContainers.has(type);
}

/** Whether `account` is a well-formed org/repo holder id of `source` for a credential of `type`. */
export function isContainerHolder(type: string, source: string, account: string): boolean {
  if (!containerHeld(type)) return false;
  for (const kind of ["org", "repo"] as const) {
    const prefix = `${source}:${kind}:`;
    if (account.startsWith(prefix) && account.length > prefix.length) return true;
  }
  return false;
}
