// The vocabulary shared by a source error's `affects` and the areas a policy declares it reads
// (policies/lib/lib.rego `coverage`): `*` (everything), a top-level snapshot collection, or a
// dotted path inside one (`settings.ssprEnabled`, `accounts.owners`). An error blocks a control
// when one name is a dotted prefix of the other, so only names from this vocabulary ever match:
// a label such as "accounts (applications)" would block nothing and let a control pass on data
// that was never collected. test/policy/library/areas.test.ts checks every name declared in
// src/collectors and every name the policies use against it.

export const everything = "*";

export const snapshotAreas = ["accounts", "credentials", "resetPaths", "passwordPolicies", "identities", "settings"] as const;
export type SnapshotArea = (typeof snapshotAreas)[number];

const areaPattern = new RegExp(`^(?:${snapshotAreas.join("|")})(?:\\.[A-Za-z][A-Za-z0-9]*)*$`);

/** Whether `name` belongs to the vocabulary. */
export function isArea(name: string): boolean {
  return name === everything || areaPattern.test(name);
}

/** The matching rule lib.rego applies: equal, or one is a dotted prefix of the other; `*` matches all. */
export function areasOverlap(affected: string, area: string): boolean {
  if (affected === everything || area === everything) return true;
  return affected === area || area.startsWith(`${affected}.`) || affected.startsWith(`${area}.`);
}
