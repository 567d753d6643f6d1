// `credgov export entra`: the live Graph calls written as the export folder the file transport
// reads (docs/exports.md): collections as an array of their pages, entities as their body.
import type { Query, SourceError } from "../../snapshot/types.ts";
import type { CollectionProgress } from "../collector.ts";
import { ExportFolder, type ExportFileWriter } from "../export-folder.ts";
import { entraExports as files } from "./export-files.ts";
import { EntraLiveCalls, entraCallOrder, entraEntityCalls } from "./live-calls.ts";
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
  await calls.batchFirstPages(entraCallOrder);
  await Promise.all(
    entraCallOrder.map(async (call) => {
      const file = files[call];
      const entity = entraEntityCalls.has(call);
      let writer: ExportFileWriter | undefined;
      const outcome = await calls.read(call, {
        page: async (body, index) => {
          writer ??= await folder.open(file.path);
          await writer.append(entity ? JSON.stringify(body, null, 2) : `${index === 0 ? "[\n" : ",\n"}${JSON.stringify(body)}`);
        },
      });
      if (!writer) return;
      if (!outcome.complete) return writer.discard();
      if (!entity) await writer.append("\n]\n");
      await writer.commit();
    }),
  );
  return { written: folder.written.sort(), queries: calls.orderedQueries(), errors: calls.errors };
}
