// Roles assigned at the scope of an administrative unit reach the unit's members only, and of
// them only users holding no directory role, but for the Privileged Authentication Administrator,
// which reaches any; a custom role's unconditional reset permissions likewise. The unit's
// Authentication Administrator issues passes to the same users. A unit whose members were not
// read gives its administrators no path (the transports report the call).
import { describe, expect, it } from "vitest";
import { normalizeEntra } from "../../../src/collectors/entra/normalize.ts";
import type { EntraGraphData, GraphRoleAssignment } from "../../../src/collectors/entra/graph-types.ts";
import { roleIds } from "../../../src/collectors/entra/roles.ts";
import { fixtureTenant } from "./fixture-tenant.ts";

const [alice, bob, carol, dave, erin, frank] = [1, 2, 3, 4, 5, 6].map((n) => `11111111-0000-4000-8000-00000000000${n}`);
const unit = "77777777-0000-4000-8000-000000000002";
const resetDesk = "c2000000-0000-4000-8000-000000000001";

const scoped = (principalId: string, roleId: string, definition: GraphRoleAssignment["roleDefinition"] = { id: roleId, templateId: roleId, isBuiltIn: true }): GraphRoleAssignment => ({
  id: `ra-${principalId}-${roleId}`,
  principalId,
  roleDefinitionId: roleId,
  directoryScopeId: `/administrativeUnits/${unit}`,
  principal: { "@odata.type": "#microsoft.graph.user", id: principalId },
  roleDefinition: definition,
});

/** The fixture tenant, its scoped User Administrator (dave) left out, with these assignments and the unit's members. */
function tenant(assignments: GraphRoleAssignment[], members: string[] | undefined): EntraGraphData {
  const data = fixtureTenant();
  data.roleAssignments = [...data.roleAssignments!.filter((a) => a.principalId !== dave), ...assignments];
  data.administrativeUnitMembers = new Map(members === undefined ? [] : [[unit, new Set(members)]]);
  return data;
}

const byActor = (part: ReturnType<typeof normalizeEntra>, roleId: string) =>
  part.resetPaths
    .filter((p) => p.actor.id === roleId)
    .map((p) => `${p.target.slice(-1)} ${p.mechanism}`)
    .sort();

describe("roles scoped to an administrative unit", () => {
  it("reach the unit's users holding no role; a Privileged Authentication Administrator reaches its admins too", () => {
    // Members: alice (no role), erin (Password Administrator), frank (Directory Readers); bob is outside.
    const part = normalizeEntra("entra", tenant([scoped(dave, roleIds.helpdeskAdministrator), scoped(frank, roleIds.privilegedAuthenticationAdministrator)], [alice, erin, frank]));
    // The tenant-wide Helpdesk Administrator (bob) already reaches alice: no second path.
    expect(part.resetPaths.filter((p) => p.target === `entra:${alice}` && p.actor.id === roleIds.helpdeskAdministrator).map((p) => p.id)).toEqual([`entra:${alice}:reset:role:${roleIds.helpdeskAdministrator}`]);
    expect(byActor(part, roleIds.privilegedAuthenticationAdministrator)).toEqual(["1 helpdesk", "1 temporary-access-pass", "5 helpdesk", "5 temporary-access-pass", "6 helpdesk", "6 temporary-access-pass"]);
    const toErin = part.resetPaths.find((p) => p.target === `entra:${erin}` && p.actor.id === roleIds.privilegedAuthenticationAdministrator && p.mechanism === "helpdesk");
    expect(toErin).toMatchObject({ actor: { kind: "role", admin: true }, right: `Privileged Authentication Administrator (/administrativeUnits/${unit})`, via: `administrative unit ${unit}` });
    expect(part.resetPaths.some((p) => p.target === `entra:${bob}` && p.actor.id === roleIds.privilegedAuthenticationAdministrator)).toBe(false);
  });

  it("a scoped Authentication Administrator issues passes and resets passwords of the unit's users holding no role", () => {
    const part = normalizeEntra("entra", tenant([scoped(dave, roleIds.authenticationAdministrator)], [alice, erin, carol]));
    expect(byActor(part, roleIds.authenticationAdministrator)).toEqual(["1 helpdesk", "1 temporary-access-pass"]);
    expect(part.resetPaths.find((p) => p.actor.id === roleIds.authenticationAdministrator && p.mechanism === "temporary-access-pass")?.right).toBe(`Authentication Administrator (/administrativeUnits/${unit}): Temporary Access Pass`);
  });

  it("a scoped custom role with an unconditional reset permission reaches the unit's users holding no role", () => {
    const definition = { id: resetDesk, displayName: "Reset Desk", templateId: resetDesk, isBuiltIn: false, rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/password/update"], condition: null }] };
    const part = normalizeEntra("entra", tenant([scoped(dave, resetDesk, definition)], [alice, erin]));
    expect(byActor(part, resetDesk)).toEqual(["1 helpdesk"]);
    expect(part.resetPaths.find((p) => p.actor.id === resetDesk)).toMatchObject({ actor: { name: "Reset Desk", admin: false }, right: `Reset Desk (custom role: microsoft.directory/users/password/update) (/administrativeUnits/${unit})` });
  });

  it("a unit whose members were not read gives no path, and says so", () => {
    const part = normalizeEntra("entra", tenant([scoped(frank, roleIds.privilegedAuthenticationAdministrator)], undefined));
    expect(byActor(part, roleIds.privilegedAuthenticationAdministrator)).toEqual([]);
    expect(part.notes).toContain(`reset-capable roles are scoped to administrative units whose members were not read (${unit}): whom they reach is unknown`);
  });
});
