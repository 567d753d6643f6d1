// A service principal without owners of its own, whose application is registered in the same
// tenant, is governed by the application's owners (relation applicationOwner); one of another
// tenant's application, or of an application without owners, stays ownerless. Whichever of the
// two arrives first (live calls page side by side).
import { describe, expect, it } from "vitest";
import { fixtureTenant } from "./fixture-tenant.ts";
import { createEntraNormalizer, normalizeEntra } from "../../../src/collectors/entra/normalize.ts";
import type { EntraGraphData, GraphServicePrincipal } from "../../../src/collectors/entra/graph-types.ts";

const fixture: EntraGraphData = fixtureTenant();
const invoiceApp = fixture.applications!.find((a) => a.displayName === "Invoice Sync")!;
const orphanApp = fixture.applications!.find((a) => a.displayName === "Orphan Reporter")!;
const sp = (n: string, appId: string, extra: Partial<GraphServicePrincipal> = {}): GraphServicePrincipal => ({
  id: `77777777-0000-4000-8000-00000000000${n}`,
  appId,
  displayName: `sp ${n}`,
  accountEnabled: true,
  servicePrincipalType: "Application",
  appOwnerOrganizationId: "22222222-0000-4000-8000-000000000000",
  passwordCredentials: [],
  keyCredentials: [],
  owners: [],
  ...extra,
});
// The invoice app's second service principal cannot exist in Graph (one per appId and tenant),
// so the fixture's own one is replaced: no owners, and a secret of its own.
const inherits = sp("1", invoiceApp.appId!, {
  passwordCredentials: [{ keyId: "88888888-0000-4000-8000-000000000001", displayName: "sp secret", startDateTime: "2025-01-01T00:00:00Z", endDateTime: "2027-01-01T00:00:00Z" }],
});
const foreign = sp("2", "99999999-0000-4000-8000-000000000002", { appOwnerOrganizationId: "aaaaaaaa-0000-4000-8000-00000000000a" });
const ofOrphan = sp("3", orphanApp.appId!);
const tenant: EntraGraphData = {
  ...fixture,
  servicePrincipals: [...fixture.servicePrincipals!.filter((s) => s.appId !== invoiceApp.appId), inherits, foreign, ofOrphan],
};

describe("service principal owners from the application registration", () => {
  const part = normalizeEntra("entra", tenant);
  const account = (id: string) => part.accounts.find((a) => a.id === `entra:${id}`)!;
  const app = account(invoiceApp.id);

  it("gives an ownerless service principal its application's owners, marked applicationOwner", () => {
    expect(app.owners.length).toBeGreaterThan(0);
    expect(account(inherits.id).owners).toEqual(app.owners.map((o) => ({ ...o, relation: "applicationOwner" })));
    // The application's own list is not changed.
    expect(app.owners.every((o) => o.relation === "owner")).toBe(true);
  });

  it("its credentials get the same owners and are managed by a user", () => {
    const secret = part.credentials.find((c) => c.account === `entra:${inherits.id}`)!;
    expect(secret).toMatchObject({ type: "clientSecret", managedBy: "user" });
    expect(secret.owners).toEqual(account(inherits.id).owners);
  });

  it("leaves ownerless a service principal of another tenant's application, or of an application without owners", () => {
    expect(account(foreign.id).owners).toEqual([]);
    expect(account(ofOrphan.id).owners).toEqual([]);
  });

  it("keeps a service principal's own owners", () => {
    const own = fixture.servicePrincipals!.find((s) => s.appId === invoiceApp.appId)!;
    const withOwn = normalizeEntra("entra", fixture).accounts.find((a) => a.id === `entra:${own.id}`)!;
    expect(withOwn.owners.length).toBe(own.owners!.length);
    expect(withOwn.owners.every((o) => o.relation === "owner")).toBe(true);
  });

  it("gives the same part when the service principal arrives before its application and the users", () => {
    const normalizer = createEntraNormalizer("entra", tenant);
    for (const s of tenant.servicePrincipals!) normalizer.addServicePrincipal(s);
    for (const a of tenant.applications!) normalizer.addApplication(a);
    for (const details of tenant.userRegistrationDetails!) normalizer.addRegistrationDetails(details);
    for (const u of tenant.users!) normalizer.addUser(u);
    const early = normalizer.finish({ users: true, userRegistrationDetails: true });
    expect(early.accounts).toEqual(part.accounts);
    expect(early.credentials).toEqual(part.credentials);
  });
});
