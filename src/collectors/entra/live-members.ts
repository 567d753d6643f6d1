// The members of the groups and administrative units a collection needs, read live: one paged
// call each (GET /groups/{id}/transitiveMembers?$select=id, GET /directory/administrativeUnits/
// {id}/members?$select=id), their first pages in one $batch when there are several. The groups
// a Temporary Access Pass configuration targets (only while the method is enabled and names
// groups), the groups holding directory roles, and the units reset-capable roles are scoped to:
// a tenant with none of them pays no request for them.
import type { ExportFile } from "../export-reader.ts";
import { administrativeUnitMembersExport, roleAssignmentGroupExport, temporaryAccessPassGroupExport } from "./export-files.ts";
import type { GraphRoleAssignment, GraphTemporaryAccessPassConfiguration } from "./graph-types.ts";
import { administrativeUnitMembersPermission, groupMembersPermission, type CallHandler, type EntraLiveCalls } from "./live-calls.ts";
import { resetScopedUnits } from "./administrative-unit-scopes.ts";
import { roleAssignmentGroups } from "./role-assignment-groups.ts";
import { temporaryAccessPassGroups } from "./temporary-access-pass.ts";

export type MembersHandlerFor = (id: string, file: ExportFile) => CallHandler;

/** The groups the Temporary Access Pass configuration targets; returns the groups read in full. */
export function readTemporaryAccessPassGroups(calls: EntraLiveCalls, config: GraphTemporaryAccessPassConfiguration | undefined, handlerFor: MembersHandlerFor): Promise<string[]> {
  return readMembers(calls, temporaryAccessPassGroups(config), temporaryAccessPassGroupExport, groupMembersPermission, handlerFor);
}

/** The groups the role assignments name as principals; returns the groups read in full. */
export function readRoleAssignmentGroups(calls: EntraLiveCalls, assignments: readonly GraphRoleAssignment[] | undefined, handlerFor: MembersHandlerFor): Promise<string[]> {
  return readMembers(calls, roleAssignmentGroups(assignments), roleAssignmentGroupExport, groupMembersPermission, handlerFor);
}

/** The administrative units reset-capable roles are scoped to; returns the units read in full. */
export function readAdministrativeUnits(calls: EntraLiveCalls, assignments: readonly GraphRoleAssignment[] | undefined, handlerFor: MembersHandlerFor): Promise<string[]> {
  return readMembers(calls, resetScopedUnits(assignments), administrativeUnitMembersExport, administrativeUnitMembersPermission, handlerFor);
}

/** Reads each one's call into the handler `handlerFor` gives it, side by side (the session's concurrency limit applies). */
async function readMembers(calls: EntraLiveCalls, ids: readonly string[], fileOf: (id: string) => ExportFile, permission: string, handlerFor: MembersHandlerFor): Promise<string[]> {
  const files = ids.map(fileOf);
  // One first page alone costs one request either way.
  if (files.length > 1) await calls.batchFirstPages(files);
  const complete = await Promise.all(ids.map(async (id, index) => (await calls.readFile(files[index], permission, handlerFor(id, files[index]))).complete));
  return ids.filter((_, index) => complete[index]);
}
