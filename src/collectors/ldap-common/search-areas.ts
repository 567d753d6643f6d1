// What a failed LDAP search leaves unknown, in the area vocabulary the policies use
// (src/snapshot/areas.ts). A search step not listed here blocks everything: an unknown step
// must never leave a control passing on data it did not see.
const areasByStep: Record<string, string[]> = {
  domain: ["passwordPolicies", "accounts.passwordPolicy", "settings"],
  passwordSettings: ["passwordPolicies", "accounts.passwordPolicy"],
  passwordPolicies: ["passwordPolicies", "accounts.passwordPolicy"],
  containers: ["resetPaths"],
  groups: ["accounts.privileged", "resetPaths", "identities"],
  accounts: ["accounts", "credentials", "resetPaths", "identities", "settings.krbtgtPasswordLastSet"],
  trustees: ["resetPaths"],
};

export const searchSteps: readonly string[] = Object.keys(areasByStep);

export function searchAreas(step: string): string[] {
  return areasByStep[step] ?? ["*"];
}
