// Applications and service principals may reach the normalizer before or between users (the
// live transport pages every call side by side): the part is the one the file transport's
// order (users first) gives, accounts and credentials in that order, and each owner matched to
// the user it names (account id, and its UPN and enabled state when Graph's owner object leaves
// them out) whenever that user arrived.
import { describe, expect, it } from "vitest";
import { fixtureTenant } from "./fixture-tenant.ts";
import { createEntraNormalizer, normalizeEntra } from "../../../src/collectors/entra/normalize.ts";
import type { EntraGraphData, GraphApplication } from "../../../src/collectors/entra/graph-types.ts";

const fixture: EntraGraphData = fixtureTenant();
const [first, second] = fixture.users!;
// Owners as Graph may give them: only an id (to be completed from the user), and an id no user has.
const bareOwners: GraphApplication = {
  id: "33333333-0000-4000-8000-0000000000ff",
  appId: "44444444-0000-4000-8000-0000000000ff",
  displayName: "bare owners",
  passwordCredentials: [{ keyId: "55555555-0000-4000-8000-0000000000ff", displayName: "s", startDateTime: "2024-01-01T00:00:00Z", endDateTime: "2026-01-01T00:00:00Z" }],
  owners: [{ id: second.id }, { id: "deadbeef-0000-4000-8000-000000000000", displayName: "gone" }],
};
const tenant: EntraGraphData = { ...fixture, applications: [...fixture.applications!, bareOwners] };

function fed(order: ("user" | "app" | "sp")[]) {
  const normalizer = createEntraNormalizer("entra", tenant);
  const queues = { user: [...tenant.users!], app: [...tenant.applications!], sp: [...tenant.servicePrincipals!] };
  for (const details of tenant.userRegistrationDetails!) normalizer.addRegistrationDetails(details);
  const feed = (kind: keyof typeof queues) => {
    const next = queues[kind].shift();
    if (!next) return;
    if (kind === "user") normalizer.addUser(next);
    else if (kind === "app") normalizer.addApplication(next as GraphApplication);
    else normalizer.addServicePrincipal(next);
  };
  for (const kind of order) feed(kind);
  for (const kind of ["user", "app", "sp"] as const) while (queues[kind].length > 0) feed(kind);
  return normalizer.finish({ users: true, userRegistrationDetails: true });
}

describe("Entra workloads arriving before their owners' users", () => {
  const expected = normalizeEntra("entra", tenant);

  it("the bare owner is completed from its user, the unknown one kept as Graph named it", () => {
    const app = expected.accounts.find((a) => a.id === `entra:${bareOwners.id}`)!;
    expect(app.owners).toEqual([
      { ref: `entra:${second.id}`, name: second.userPrincipalName, source: "entra", relation: "owner", status: second.accountEnabled === false ? "disabled" : "enabled" },
      { ref: "deadbeef-0000-4000-8000-000000000000", name: "gone", source: "entra", relation: "owner", status: "unknown" },
    ]);
    expect(expected.credentials.find((c) => c.account === app.id)?.owners).toEqual(app.owners);
  });

  it("applications and service principals first, or between users, give the part users-first gives", () => {
    const apps = tenant.applications!.length;
    const sps = tenant.servicePrincipals!.length;
    expect(fed([...Array<"app">(apps).fill("app"), ...Array<"sp">(sps).fill("sp")])).toEqual(expected);
    expect(fed(["sp", "app", "user", "sp", "app", "user", "app"])).toEqual(expected);
    expect(fed(["user", "app", "sp"])).toEqual(expected);
    // The first user's account is first whatever came before it.
    expect(fed(["app", "sp", "user"]).accounts[0].id).toBe(`entra:${first.id}`);
  });
});
