// `credgov snapshot`: inspect snapshot files; `validate` checks the schema, unique ids and references.
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { readJsonDocument } from "../../io/read-large-json.ts";
import { validateSnapshot } from "../../snapshot/validate.ts";
import { checkIntegrity } from "../../snapshot/integrity.ts";
import type { Snapshot } from "../../snapshot/types.ts";
import { readSnapshot } from "../../snapshot/store.ts";

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
      for (const p of problems) ctx.output.error(`${p.pointer || "(document root)"}: ${p.message}`);
      ctx.output.info(`${file}: ${problems.length} ${schemaProblems.length > 0 ? "schema" : "integrity"} problem(s)`);
      ctx.exitCode = ExitCode.usage;
    });

  snapshot
    .command("show")
    .description("summarize a snapshot: sources, their status and counts")
    .argument("<file>", "snapshot JSON file")
    .action(async (file: string) => {
      const s = await readSnapshot(file);
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
}
