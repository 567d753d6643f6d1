// Role assignments scoped to an administrative unit. "When a Microsoft Entra role is assigned at
// the scope of an administrative unit, role permissions apply only when managing members of the
// administrative unit itself"; "Adding a group to an administrative unit brings the group itself
// into the management scope of the administrative unit, but not the members of the group"; and
// scoped roles reset passwords and authentication methods only of users who "don't have
// administrator roles" (Microsoft Entra: Assign Microsoft Entra roles with administrative unit
// scope; Administrative units). The Privileged Authentication Administrator is the exception the
// same page names: it may act on "any user (admin or non-admin)" of its unit.
import type { GraphRoleAssignment } from "./graph-types.ts";
import { customRoleRights, resetterRoleIds } from "./roles.ts";

const unitScope = "/administrativeUnits/";

/** The administrative unit a directory scope names (`/administrativeUnits/<id>`), else undefined. */
export function administrativeUnitOf(scope: string | null | undefined): string | undefined {
  return scope?.startsWith(unitScope) ? scope.slice(unitScope.length) : undefined;
}

/** Whether holders of the assignment's role may reset passwords or issue passes (built-in table, or a custom role's permissions). */
export function assignmentResets(assignment: GraphRoleAssignment): boolean {
  const templateId = assignment.roleDefinition?.templateId ?? assignment.roleDefinitionId ?? "";
  if ((resetterRoleIds as readonly string[]).includes(templateId)) return true;
  const definition = assignment.roleDefinition;
  if (definition?.isBuiltIn !== false || !definition.rolePermissions) return false;
  const rights = customRoleRights(definition.rolePermissions);
  return rights.resetsPasswords || rights.issuesTemporaryAccessPass;
}

/** The units a reset-capable role is assigned at the scope of, each once, in the assignments' order: whose members it reaches. */
export function resetScopedUnits(assignments: readonly GraphRoleAssignment[] | undefined): string[] {
  const units = new Set<string>();
  for (const assignment of assignments ?? []) {
    const unit = administrativeUnitOf(assignment.directoryScopeId);
    if (unit !== undefined && assignmentResets(assignment)) units.add(unit);
  }
  return [...units];
}
