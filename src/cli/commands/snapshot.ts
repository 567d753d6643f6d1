// `credgov snapshot`: inspect snapshot files; `validate` checks the schema, unique ids and references.
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { readJsonDocument } from "../../io/read-large-json.ts";
import { validateSnapshot } from "../../snapshot/validate.ts";
import { checkIntegrity } from "../../snapshot/integrity.ts";
import type { Snapshot } from "../../snapshot/types.ts";
import { problemLines, readSnapshot, writeSnapshot } from "../../snapshot/store.ts";
import { readFileBytes } from "../../io/read-file-bytes.ts";
import { mergeSnapshotParts } from "../../snapshot/merge.ts";
import type { SourcePart } from "../../snapshot/source-part.ts";
import type { SourceConfigEntry } from "../../config/types.ts";
import { failedSourcePart } from "../../collectors/failed-part.ts";
import { sourceOrigin } from "../../collectors/collect-all.ts";
import { loadConfig } from "../../config/load.ts";
import { prepareOutputFile } from "../output-path.ts";
import { replaceSpecialTargets } from "../../io/atomic-write.ts";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export function registerSnapshot(program: Command, ctx: CommandContext): void {
  const snapshot = program.command("snapshot").description("inspect and validate snapshot files");

  snapshot
    .command("validate")
    .description("check a snapshot against the snapshot schema, unique ids and references (exit 0 valid, 2 invalid; errors as JSON pointers)")
    .argument("<file>", "snapshot JSON file")
    .action(async (file: string) => {
      let data: unknown;
      try {
        data = await readJsonDocument(file, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UserInputError("no such snapshot file", { file });
        throw error;
      }
      // Integrity (unique ids, references) is only meaningful once the shape is right.
      const schemaProblems = validateSnapshot(data);
      const problems = schemaProblems.length > 0 ? schemaProblems : checkIntegrity(data as Snapshot);
      if (problems.length === 0) {
        ctx.output.result(`${file}: valid credgov snapshot`);
        return;
      }
      const bytes = await readFileBytes(file);
      for (const line of problemLines(problems, file, bytes, 200).split("\n")) ctx.output.error(line);
      ctx.output.info(`${file}: ${problems.length} ${schemaProblems.length > 0 ? "schema" : "integrity"} problem(s)`);
      ctx.exitCode = ExitCode.usage;
    });

  snapshot
    .command("show")
    .description("summarize a snapshot: sources, their status and counts")
    .argument("<file>", "snapshot JSON file")
    .action(async (file: string) => {
      const s = await readSnapshot(file, { integrity: false });
      const lines = [`generated ${s.generatedAt} by ${s.generator.name} ${s.generator.version}`];
      for (const source of s.sources) {
        const counts = Object.entries(source.counts)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ");
        lines.push(`${source.id} (${source.kind}, ${source.transport}) ${source.status}: ${counts}${source.errors.length ? ` errors=${source.errors.length}` : ""}`);
      }
      lines.push(
        `total: accounts=${s.accounts.length} credentials=${s.credentials.length} resetPaths=${s.resetPaths.length} ` +
          `passwordPolicies=${s.passwordPolicies.length} identities=${s.identities.length} ambiguousLinks=${s.correlation?.ambiguous.length ?? 0}`,
      );
      ctx.output.result(lines.join("\n"));
    });

  snapshot
    .command("merge")
    .description("merge snapshot parts collected per source (collect --source ID) into one snapshot, correlating identities across them")
    .argument("<part...>", "snapshot files written by `credgov collect --source ID` (.json or .json.gz)")
    .requiredOption("-c, --config <file>", "the credgov.yaml the parts were collected with (source order, correlation.links)")
    .requiredOption("-o, --out <file>", "snapshot file to write (.json.gz: gzip-compressed)")
    .option("--force", "replace an output path that is a symbolic link or not a regular file (a device, a FIFO); refused by default")
    .addHelpText(
      "after",
      `
The result is the snapshot one \`credgov collect\` of every source would have written: each
source's facts as its part holds them, identities correlated again across all sources.
Exit codes: 0 every source complete, 2 bad part or config (two parts with one source, parts
collected with another config), 3 a source is partial or failed (as collect).

Example (one job per source, then one that merges):
  $ credgov collect --config credgov.yaml --source corp-ad --out parts/corp-ad.json.gz
  $ credgov collect --config credgov.yaml --source entra --out parts/entra.json.gz
  $ credgov snapshot merge --config credgov.yaml parts/*.json.gz --out snapshot.json.gz`,
    )
    .action(async (files: string[], options: { config: string; out: string; force?: boolean }) => {
      replaceSpecialTargets(options.force === true);
      const config = loadConfig(options.config);
      const out = prepareOutputFile(options.out);
      const parts = [];
      for (const file of files) parts.push({ file, snapshot: await readSnapshot(file) });
      const configSha256 = createHash("sha256").update(readFileSync(config.file)).digest("hex");
      for (const { file, snapshot: part } of parts) {
        if (part.generator.configSha256 && part.generator.configSha256 !== configSha256) {
          throw new UserInputError(`was collected with another configuration than ${options.config} (configSha256 differs)`, { file, field: "generator.configSha256" });
        }
      }
      const { snapshot: merged, unresolvedLinks } = mergeSnapshotParts(parts, { links: config.correlation.links, sourceOrder: config.sources.map((s) => s.id), missing: missingParts(config.sources, parts) });
      for (const id of unresolvedLinks) ctx.output.warn(`correlation.links names account ${id}, which no part holds`);
      for (const p of checkIntegrity(merged).slice(0, 10)) ctx.output.warn(`snapshot integrity: ${p.pointer}: ${p.message}`);
      await writeSnapshot(out, merged);
      ctx.output.info(
        `wrote ${options.out}: ${merged.sources.length} sources, ${merged.accounts.length} accounts, ${merged.identities.length} identities (${merged.correlation?.ambiguous.length ?? 0} ambiguous links)`,
      );
      const incomplete = merged.sources.filter((s) => s.status !== "ok");
      if (incomplete.length > 0) {
        ctx.output.warn(`collection incomplete: ${incomplete.map((s) => `${s.id} ${s.status}`).join(", ")}`);
        ctx.exitCode = ExitCode.collectionIncomplete;
      }
    });
}

/** A failed part for each configured source no part holds, so that its controls come out as `error`. */
function missingParts(sources: readonly SourceConfigEntry[], parts: readonly { snapshot: Snapshot }[]): SourcePart[] {
  const present = new Set(parts.flatMap((p) => p.snapshot.sources.map((s) => s.id)));
  const failure = { step: "merge", code: "part-missing", message: "no part of this source was given to snapshot merge (its collect job failed or did not run)" };
  return sources
    .filter((s) => !present.has(s.id))
    .map((s) => failedSourcePart(s, failure, sourceOrigin(s)));
}
