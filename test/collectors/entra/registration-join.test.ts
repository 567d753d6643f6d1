// Registration details join their user in the normalizer whichever arrives first (the live
// transport normalizes users while the details call still pages): every arrival order gives
// the snapshot part the file transport's order (details first) gives, and details not read in
// full count for nobody.
import { describe, expect, it } from "vitest";
import { fixtureTenant } from "./fixture-tenant.ts";
import { createEntraNormalizer, normalizeEntra } from "../../../src/collectors/entra/normalize.ts";
import type { EntraGraphData, GraphUser, GraphUserRegistrationDetails } from "../../../src/collectors/entra/graph-types.ts";

const tenant: EntraGraphData = fixtureTenant();

function fed(order: ("user" | "details")[], users: GraphUser[], details: GraphUserRegistrationDetails[], detailsComplete = true) {
  const normalizer = createEntraNormalizer("entra", tenant);
  const u = [...users];
  const d = [...details];
  for (const next of order) {
    if (next === "user" && u.length > 0) normalizer.addUser(u.shift()!);
    if (next === "details" && d.length > 0) normalizer.addRegistrationDetails(d.shift()!);
  }
  u.forEach((x) => normalizer.addUser(x));
  d.forEach((x) => normalizer.addRegistrationDetails(x));
  for (const app of tenant.applications!) normalizer.addApplication(app);
  for (const sp of tenant.servicePrincipals!) normalizer.addServicePrincipal(sp);
  return normalizer.finish({ users: true, userRegistrationDetails: detailsComplete });
}

describe("Entra registration details join", () => {
  const users = tenant.users!;
  const details = tenant.userRegistrationDetails!;
  const expected = normalizeEntra("entra", tenant);

  it("the fixture exercises the join: SSPR paths and registration facts are there", () => {
    expect(details.length).toBeGreaterThan(2);
    expect(expected.resetPaths.some((p) => p.mechanism === "sspr")).toBe(true);
    expect(expected.accounts.some((a) => a.ssprRegistered === true)).toBe(true);
    expect(expected.settings.ssprEnabled).not.toBeNull();
  });

  it("users before details, details reversed, and interleaved all give the same part", () => {
    expect(fed(users.map(() => "user" as const), users, details)).toEqual(expected);
    expect(fed(users.map(() => "user" as const), users, [...details].reverse())).toEqual(expected);
    expect(fed(users.flatMap(() => ["details", "user", "user"] as const), users, details)).toEqual(expected);
    expect(fed(users.flatMap(() => ["user", "details"] as const), [...users].reverse(), details)).not.toEqual(expected); // users' order is the part's order
  });

  it("details not read in full: the part is the one without the call, whatever was joined", () => {
    const withoutDetails = normalizeEntra("entra", { ...tenant, userRegistrationDetails: undefined });
    expect(withoutDetails.settings.ssprEnabled).toBeNull();
    expect(fed(users.flatMap(() => ["details", "user"] as const), users, details.slice(0, -1), false)).toEqual(withoutDetails);
  });
});
