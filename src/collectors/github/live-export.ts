// `credgov export github`: the live REST and GraphQL calls written as the export folder the file
// transport reads (docs/exports.md): lists as an array of their pages, the organization as its body.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Octokit } from "octokit";
import type { CollectionProgress } from "../collector.ts";
import type { ExportFolder } from "../export-folder.ts";
import type { LiveExportResult } from "../entra/live-export.ts";
import { GithubLiveReader } from "./live-transport.ts";

export async function exportGithubLive(octokit: Octokit, org: string, concurrency: number, folder: ExportFolder, progress: CollectionProgress, scrub: (message: string) => string): Promise<LiveExportResult> {
  await folder.prepare();
  const reader = new GithubLiveReader(octokit, org, progress, scrub, (file, body) => folder.writeBody(file.path, body));
  const data = await reader.read(concurrency);
  // One folder per listed repository even when both its calls failed: the file transport then
  // reports the missing files instead of not knowing the repository exists.
  for (const repo of data.repos ?? []) await mkdir(join(folder.dir, "repos", repo.name), { recursive: true });
  return { written: folder.written.sort(), queries: reader.orderedQueries(), errors: reader.errors };
}
