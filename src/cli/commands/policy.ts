import type { Command } from "commander";
import path from "node:path";
import { buildPolicy } from "../../policy/bundle/build.ts";
import { writeBundle } from "../../policy/bundle/bundle.ts";
import { runPolicyTests } from "../../policy/bundle/run-tests.ts";
import { RegoCompileError } from "../../policy/rego/index.ts";
import type { CommandContext } from "../context.ts";
import { UserInputError, ExitCode } from "../../errors.ts";

/** Compile errors print one positioned line each (`file:row:col: code: message`) and exit 2. */
function reportCompileErrors(e: unknown, ctx: CommandContext): boolean {
  if (!(e instanceof RegoCompileError)) return false;
  for (const err of e.errors) ctx.output.error(err.message);
  ctx.output.info(`${e.errors.length} compile error${e.errors.length === 1 ? "" : "s"}`);
  ctx.exitCode = ExitCode.usage;
  return true;
}

export function registerPolicy(program: Command, ctx: CommandContext): void {
  const policy = program.command("policy").description("build and test Rego policies (compiled to WebAssembly)");

  policy
    .command("build")
    .description(
      "compile a directory of .rego files (+ data.json/data.yaml) into policy.wasm, data.json, manifest.json and an OPA-style bundle.tar.gz. " +
        "Default entrypoints: every rule named results, violations or deny in a package under credgov (e.g. credgov/reset/violations); *_test.rego files are left out",
    )
    .option("--policies <dir>", "policy directory", "policies")
    .option("--out <dir>", "output directory", "out/policy")
    .option("--entrypoint <path...>", "rule path to expose, e.g. credgov/reset/violations (repeatable)")
    .action(async (opts: { policies: string; out: string; entrypoint?: string[] }) => {
      let result;
      try {
        result = await buildPolicy(opts.policies, opts.entrypoint ?? []);
      } catch (e) {
        if (reportCompileErrors(e, ctx)) return;
        if (e instanceof UserInputError) throw e;
        if (e instanceof Error && e.message.startsWith("no entrypoints")) throw new UserInputError(e.message, { file: opts.policies });
        throw e;
      }
      const written = await writeBundle(result.bundle, opts.out);
      ctx.output.result(
        `built ${path.join(written.dir, "policy.wasm")} and ${written.tarball}: ${result.entrypoints.length} entrypoint(s) ` +
          `(${result.entrypoints.join(", ")}); front end ${result.timings.frontEndMs.toFixed(0)} ms, back end ${result.timings.backEndMs.toFixed(0)} ms`,
      );
    });

  policy
    .command("test")
    .description("run every test_* rule in the directory's packages, like `opa test` (exit 1 on a failure, 2 on compile errors)")
    .argument("[dir]", "policy directory", "policies")
    .option("--run <regex>", "only tests whose full name (data.pkg.test_x) matches")
    .option("-v, --verbose", "print every test, not only failures (the global -v does the same)")
    .action(async (dir: string, opts: { run?: string; verbose?: boolean }) => {
      const verbose = opts.verbose === true || ctx.output.verbosity === "verbose";
      let run: RegExp | undefined;
      if (opts.run !== undefined) {
        try {
          run = new RegExp(opts.run);
        } catch (e) {
          throw new UserInputError(`invalid regular expression: ${(e as Error).message}`, { field: "--run" });
        }
      }
      let outcomes;
      try {
        outcomes = await runPolicyTests(dir, run);
      } catch (e) {
        if (reportCompileErrors(e, ctx)) return;
        throw e;
      }
      const lines: string[] = [];
      for (const o of outcomes) {
        if ((o.status === "PASS" || o.status === "SKIPPED") && !verbose) continue;
        lines.push(`${o.name}: ${o.status} (${o.durationMs.toFixed(1)}ms)${o.error ? `\n  ${o.error}` : ""}`);
      }
      const passed = outcomes.filter((o) => o.status === "PASS").length;
      const failed = outcomes.filter((o) => o.status === "FAIL").length;
      const errored = outcomes.filter((o) => o.status === "ERROR").length;
      const skipped = outcomes.filter((o) => o.status === "SKIPPED").length;
      if (lines.length > 0) lines.push("-".repeat(80));
      if (outcomes.length === 0) lines.push("no tests found");
      else {
        lines.push(`PASS: ${passed}/${outcomes.length}`);
        if (skipped > 0) lines.push(`SKIPPED: ${skipped}/${outcomes.length}`);
        if (failed > 0) lines.push(`FAIL: ${failed}/${outcomes.length}`);
        if (errored > 0) lines.push(`ERROR: ${errored}/${outcomes.length}`);
      }
      ctx.output.result(lines.join("\n"));
      if (failed + errored > 0) ctx.exitCode = ExitCode.findings;
    });
}
