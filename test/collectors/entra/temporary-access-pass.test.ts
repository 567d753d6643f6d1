// Temporary Access Pass paths: built from the tenant's method configuration and the role
// assignments, never from a per-user call. Each role that may issue a pass reaches the users
// Microsoft's table lets it reach; nobody gets a path while the method is off or targets nobody.
import { describe, expect, it } from "vitest";
import { normalizeEntra } from "../../../src/collectors/entra/normalize.ts";
import type { EntraGraphData, GraphRoleAssignment, GraphUser } from "../../../src/collectors/entra/graph-types.ts";
import { roleIds } from "../../../src/collectors/entra/roles.ts";
import { fixtureTenant } from "./fixture-tenant.ts";

const base = fixtureTenant();
const authAdmin = "99999999-0000-4000-8000-000000000001";
const pwAdmin = "99999999-0000-4000-8000-000000000002";
const member = "99999999-0000-4000-8000-000000000003";
const guest = "99999999-0000-4000-8000-000000000004";

const user = (id: string, upn: string): GraphUser => ({ ...base.users![1], id, userPrincipalName: upn, mail: upn, displayName: upn });
const assignment = (principalId: string, templateId: string): GraphRoleAssignment => ({
  id: `ra-${principalId}`,
  principalId,
  roleDefinitionId: templateId,
  directoryScopeId: "/",
  principal: { "@odata.type": "#microsoft.graph.user", id: principalId },
  roleDefinition: { id: templateId, templateId },
});

/** The fixture tenant with an Authentication Administrator, a Password Administrator, a member and a guest added. */
function tenant(temporaryAccessPass: EntraGraphData["temporaryAccessPass"]): EntraGraphData {
  return {
    ...base,
    temporaryAccessPass,
    users: [...base.users!, user(authAdmin, "auth@fixture.example"), user(pwAdmin, "pw@fixture.example"), user(member, "member@fixture.example"), user(guest, "g_partner.example#EXT#@fixture.example")],
    roleAssignments: [...base.roleAssignments!, assignment(authAdmin, roleIds.authenticationAdministrator), assignment(pwAdmin, roleIds.passwordAdministrator)],
  };
}

const enabled = { id: "TemporaryAccessPass", state: "enabled", isUsableOnce: true, includeTargets: [{ id: "all_users", targetType: "group" }], excludeTargets: [] };
const issuers = (part: ReturnType<typeof normalizeEntra>, objectId: string) =>
  part.resetPaths
    .filter((p) => p.target === `entra:${objectId}` && p.mechanism === "temporary-access-pass")
    .map((p) => p.actor.name)
    .sort();

describe("Temporary Access Pass reset paths", () => {
  it("each issuing role reaches the users Microsoft's table lets it reach", () => {
    const part = normalizeEntra("entra", tenant(enabled));
    // A member: Authentication Administrator and Global Administrator (held by carol) alike.
    expect(issuers(part, member)).toEqual(["Authentication Administrator", "Global Administrator"]);
    // A Password Administrator is within the Authentication Administrator's reach too.
    expect(issuers(part, pwAdmin)).toEqual(["Authentication Administrator", "Global Administrator"]);
    // A Global Administrator is not.
    expect(issuers(part, "11111111-0000-4000-8000-000000000003")).toEqual(["Global Administrator"]);
    // Helpdesk and Password Administrators reset passwords but issue no pass.
    expect(part.resetPaths.some((p) => p.mechanism === "temporary-access-pass" && /Helpdesk|Password/.test(p.actor.name ?? ""))).toBe(false);
    // No pass can be added to an invited external guest.
    expect(issuers(part, guest)).toEqual([]);
    const path = part.resetPaths.find((p) => p.id === `entra:${member}:reset:temporary-access-pass:role:${roleIds.authenticationAdministrator}`);
    expect(path).toMatchObject({ right: "Authentication Administrator: Temporary Access Pass", via: "Temporary Access Pass policy (all users)", requiresUserCompletion: true, actor: { kind: "role", admin: false } });
    expect(part.settings.temporaryAccessPass).toMatchObject({ state: "enabled", isUsableOnce: true, includeTargets: ["all_users"] });
  });

  it("gives no path while the method is off or targets nobody", () => {
    expect(normalizeEntra("entra", tenant({ ...enabled, state: "disabled" })).resetPaths.some((p) => p.mechanism === "temporary-access-pass")).toBe(false);
    expect(normalizeEntra("entra", tenant({ ...enabled, includeTargets: [] })).resetPaths.some((p) => p.mechanism === "temporary-access-pass")).toBe(false);
  });

  it("a policy scoped to groups reaches their members, less the excluded ones; members not read leave no path and a note", () => {
    const included = "44444444-0000-4000-8000-000000000001";
    const excluded = "44444444-0000-4000-8000-000000000002";
    const scoped = { ...enabled, includeTargets: [{ id: included, targetType: "group" }], excludeTargets: [{ id: excluded, targetType: "group" }] };
    const members = new Map([
      [included, new Set([member, pwAdmin])],
      [excluded, new Set([pwAdmin])],
    ]);
    const part = normalizeEntra("entra", { ...tenant(scoped), temporaryAccessPassGroupMembers: members });
    expect(issuers(part, member)).toEqual(["Authentication Administrator", "Global Administrator"]);
    expect(issuers(part, pwAdmin)).toEqual([]);
    expect(issuers(part, authAdmin)).toEqual([]);
    expect(part.resetPaths.find((p) => p.target === `entra:${member}` && p.mechanism === "temporary-access-pass")?.via).toBe(`Temporary Access Pass policy (groups ${included}, except groups ${excluded})`);
    // The exclude group's members unknown: nobody is taken as in or out of scope.
    const unread = normalizeEntra("entra", { ...tenant(scoped), temporaryAccessPassGroupMembers: new Map([[included, members.get(included)!]]) });
    expect(unread.resetPaths.some((p) => p.mechanism === "temporary-access-pass")).toBe(false);
    expect(unread.notes).toContain(`the Temporary Access Pass policy targets groups whose members were not read (${excluded}): who may sign in with a pass is unknown, no pass path is modelled`);
  });
  it("a custom role whose unconditional permissions reset passwords or add authentication methods reaches users holding no role", () => {
    const customRole = (id: string, isBuiltIn: boolean, actions: string[], condition: string | null = null): GraphRoleAssignment => ({
      ...assignment(authAdmin, id),
      id: `ra-${id}`,
      roleDefinition: { id, displayName: `role ${id.slice(0, 4)}`, templateId: id, isBuiltIn, rolePermissions: [{ allowedResourceActions: actions, condition }] },
    });
    const both = ["microsoft.directory/users/password/update", "microsoft.directory/users/authenticationMethods/create"];
    const data = tenant(enabled);
    data.roleAssignments = [
      ...data.roleAssignments!,
      customRole("c0000000-0000-4000-8000-000000000001", false, both),
      // Under a condition the permission applies to some users only: not read as everyone.
      customRole("c0000000-0000-4000-8000-000000000002", false, both, "$ResourceIsSelf"),
      // A built-in role credgov's table does not list: its reach is not known, so not guessed.
      customRole("c0000000-0000-4000-8000-000000000003", true, both),
    ];
    const part = normalizeEntra("entra", data);
    const byCustom = (id: string) => part.resetPaths.filter((p) => p.actor.id === id).map((p) => [p.target, p.mechanism]);
    // alice and the member hold no role; the guest is external; everyone else holds a role.
    const alice = "11111111-0000-4000-8000-000000000001";
    expect(byCustom("c0000000-0000-4000-8000-000000000001").sort()).toEqual([
      [`entra:${alice}`, "helpdesk"],
      [`entra:${alice}`, "temporary-access-pass"],
      [`entra:${member}`, "helpdesk"],
      [`entra:${member}`, "temporary-access-pass"],
    ]);
    expect(part.resetPaths.find((p) => p.actor.id === "c0000000-0000-4000-8000-000000000001")).toMatchObject({ actor: { kind: "role", admin: false }, requiresUserCompletion: true });
    expect(byCustom("c0000000-0000-4000-8000-000000000002")).toEqual([]);
    expect(byCustom("c0000000-0000-4000-8000-000000000003")).toEqual([]);
    // With the method off, the custom role still resets passwords but issues no pass.
    const off = normalizeEntra("entra", { ...data, temporaryAccessPass: { ...enabled, state: "disabled" } });
    expect(off.resetPaths.filter((p) => p.actor.id === "c0000000-0000-4000-8000-000000000001").map((p) => p.mechanism)).toEqual(["helpdesk", "helpdesk"]);
  });
});
