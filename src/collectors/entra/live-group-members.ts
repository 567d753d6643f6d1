// The members of the groups a collection needs, read live: one paged call per group (GET
// /groups/{id}/transitiveMembers?$select=id), their first pages in one $batch when there are
// several. Two kinds of groups: those a Temporary Access Pass configuration targets (only while
// the method is enabled and names groups) and those holding directory roles; a tenant with
// neither pays no request for them.
import type { ExportFile } from "../export-reader.ts";
import { roleAssignmentGroupExport, temporaryAccessPassGroupExport } from "./export-files.ts";
import type { GraphRoleAssignment, GraphTemporaryAccessPassConfiguration } from "./graph-types.ts";
import { groupMembersPermission, type CallHandler, type EntraLiveCalls } from "./live-calls.ts";
import { roleAssignmentGroups } from "./role-assignment-groups.ts";
import { temporaryAccessPassGroups } from "./temporary-access-pass.ts";

type HandlerFor = (groupId: string, file: ExportFile) => CallHandler;

/** The groups the Temporary Access Pass configuration targets; returns the groups read in full. */
export function readTemporaryAccessPassGroups(calls: EntraLiveCalls, config: GraphTemporaryAccessPassConfiguration | undefined, handlerFor: HandlerFor): Promise<string[]> {
  return readGroups(calls, temporaryAccessPassGroups(config), temporaryAccessPassGroupExport, handlerFor);
}

/** The groups the role assignments name as principals; returns the groups read in full. */
export function readRoleAssignmentGroups(calls: EntraLiveCalls, assignments: readonly GraphRoleAssignment[] | undefined, handlerFor: HandlerFor): Promise<string[]> {
  return readGroups(calls, roleAssignmentGroups(assignments), roleAssignmentGroupExport, handlerFor);
}

/** Reads each group's call into the handler `handlerFor` gives it, side by side (the session's concurrency limit applies). */
async function readGroups(calls: EntraLiveCalls, groups: readonly string[], fileOf: (groupId: string) => ExportFile, handlerFor: HandlerFor): Promise<string[]> {
  const files = groups.map(fileOf);
  // One group's first page alone costs one request either way.
  if (files.length > 1) await calls.batchFirstPages(files);
  const complete = await Promise.all(groups.map(async (groupId, index) => (await calls.readFile(files[index], groupMembersPermission, handlerFor(groupId, files[index]))).complete));
  return groups.filter((_, index) => complete[index]);
}
