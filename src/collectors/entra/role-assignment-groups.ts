// Groups that hold directory roles. A role assigned to a group (a role-assignable group, created
// with isAssignableToRole) is held by the group's members: "When people join the group, they're
// assigned the role indirectly" (Microsoft Entra: Use Microsoft Entra groups to manage role
// assignments). Such groups cannot nest groups, so their members are users and service principals.
import type { GraphRoleAssignment } from "./graph-types.ts";

const groupType = "#microsoft.graph.group";

/** The groups the assignments name as principals, each once, in the assignments' order. */
export function roleAssignmentGroups(assignments: readonly GraphRoleAssignment[] | undefined): string[] {
  const groups = new Set<string>();
  for (const assignment of assignments ?? []) {
    const id = assignment.principalId ?? assignment.principal?.id;
    if (id && assignment.principal?.["@odata.type"] === groupType) groups.add(id);
  }
  return [...groups];
}
