// The transitive members of the groups a Temporary Access Pass configuration targets, read live:
// one paged call per group (GET /groups/{id}/transitiveMembers?$select=id), their first pages in
// one $batch when there are several. Only made while the method is enabled and names groups, so
// a tenant whose policy targets all users (or is off) pays no request for it.
import type { ExportFile } from "../export-reader.ts";
import { temporaryAccessPassGroupExport } from "./export-files.ts";
import type { GraphTemporaryAccessPassConfiguration } from "./graph-types.ts";
import { groupMembersPermission, type CallHandler, type EntraLiveCalls } from "./live-calls.ts";
import { temporaryAccessPassGroups } from "./temporary-access-pass.ts";

/**
 * Reads each targeted group's call into the handler `handlerFor` gives it; returns the groups
 * read in full. The calls run side by side (the session's concurrency limit applies).
 */
export async function readTemporaryAccessPassGroups(
  calls: EntraLiveCalls,
  config: GraphTemporaryAccessPassConfiguration | undefined,
  handlerFor: (groupId: string, file: ExportFile) => CallHandler,
): Promise<string[]> {
  const groups = temporaryAccessPassGroups(config);
  const files = groups.map(temporaryAccessPassGroupExport);
  // One group's first page alone costs one request either way.
  if (files.length > 1) await calls.batchFirstPages(files);
  const complete = await Promise.all(groups.map(async (groupId, index) => (await calls.readFile(files[index], groupMembersPermission, handlerFor(groupId, files[index]))).complete));
  return groups.filter((_, index) => complete[index]);
}
