// `credgov export entra`: the live Graph calls written as the export folder the file transport
// reads (docs/exports.md): collections as an array of their pages, entities as their body.
import type { Query, SourceError } from "../../snapshot/types.ts";
import type { CollectionProgress } from "../collector.ts";
import { ExportFolder, type ExportFileWriter } from "../export-folder.ts";
import { entraExports as files } from "./export-files.ts";
import type { ExportFile } from "../export-reader.ts";
import { graphCollection, graphEntity } from "./graph-body.ts";
import * as shapes from "./graph-shapes.ts";
import { EntraLiveCalls, entraCallOrder, entraCallFiles, entraEntityCalls, type CallHandler } from "./live-calls.ts";
import { UserInputError } from "../../errors.ts";
import { readAdministrativeUnits, readRoleAssignmentGroups, readTemporaryAccessPassGroups } from "./live-members.ts";
import type { GraphCallError, GraphSession } from "./live-graph-session.ts";

export interface LiveExportResult {
  written: string[];
  queries: Query[];
  errors: SourceError[];
}

export async function exportEntraLive(session: GraphSession, folder: ExportFolder, progress: CollectionProgress): Promise<LiveExportResult> {
  await folder.prepare();
  try {
    await session.signIn();
  } catch (error) {
    return { written: [], queries: [], errors: [{ step: "sign-in", code: "auth", message: `sign-in to Microsoft Entra ID failed: ${(error as GraphCallError).message}`, affects: [] }] };
  }
  const calls = new EntraLiveCalls(session, progress);
  await calls.batchFirstPages(entraCallFiles);
  /** A call's pages written as its file: a collection as an array of its pages, an entity as its body. */
  const fileOf = (file: ExportFile, entity: boolean, seen?: (body: unknown) => void) => {
    let writer: ExportFileWriter | undefined;
    const handler: CallHandler = {
      page: async (body, index) => {
        seen?.(body);
        writer ??= await folder.open(file.path);
        await writer.append(entity ? JSON.stringify(body, null, 2) : `${index === 0 ? "[\n" : ",\n"}${JSON.stringify(body)}`);
      },
    };
    const finish = async (complete: boolean) => {
      if (!writer) return;
      if (!complete) return writer.discard();
      if (!entity) await writer.append("\n]\n");
      await writer.commit();
    };
    return { handler, finish };
  };
  await Promise.all(
    entraCallOrder.map(async (call) => {
      const bodies: unknown[] = [];
      const namesGroups = call === "temporaryAccessPass" || call === "roleAssignments";
      const out = fileOf(files[call], entraEntityCalls.has(call), namesGroups ? (body) => bodies.push(body) : undefined);
      const outcome = await calls.read(call, out.handler);
      await out.finish(outcome.complete);
      if (!namesGroups || !outcome.complete) return;
      // The configuration and the role assignments name the groups (and the role assignments
      // the administrative units) whose members the file transport needs: one more file each.
      const groups = new Map<string, ReturnType<typeof fileOf>>();
      const handlerFor = (groupId: string, file: ExportFile) => {
        const group = fileOf(file, false);
        groups.set(groupId, group);
        return group.handler;
      };
      const assignments = () => readable(() => bodies.flatMap((body) => graphCollection(shapes.graphRoleAssignmentShape)(body, files.roleAssignments.call).value));
      const read =
        call === "temporaryAccessPass"
          ? await readTemporaryAccessPassGroups(calls, readable(() => graphEntity(shapes.graphTemporaryAccessPassShape)(bodies[0], files.temporaryAccessPass.call).value), handlerFor)
          : (await Promise.all([readRoleAssignmentGroups(calls, assignments(), handlerFor), readAdministrativeUnits(calls, assignments(), handlerFor)])).flat();
      await Promise.all([...groups].map(([groupId, group]) => group.finish(read.includes(groupId))));
    }),
  );
  return { written: folder.written.sort(), queries: calls.orderedQueries(), errors: calls.errors };
}

/** A body as the file transport will read it; one it cannot read names no group (the file transport reports it). */
function readable<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof UserInputError) return undefined;
    throw error;
  }
}
