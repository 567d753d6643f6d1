import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { loadConfig } from "../../config/load.ts";
import { prepareOutputDir } from "../output-path.ts";
import type { CredgovConfig } from "../../config/types.ts";
import { loadCatalog } from "../../policy/catalog/load.ts";
import type { Catalog } from "../../policy/catalog/types.ts";
import { evaluateSnapshot, type Finding, type SerializedSnapshot, type Thresholds } from "../../policy/engine/index.ts";
import { applyExceptions } from "../../policy/exceptions/apply.ts";
import { loadExceptions } from "../../policy/exceptions/load.ts";
import { gatingFindings, parseFailOn, type FailOn } from "../../report/fail-on.ts";
import { incompleteness } from "../../report/completeness.ts";
import { checkIntegrity } from "../../snapshot/integrity.ts";
import { renderTerminalTable } from "../../report/terminal-table.ts";
import { writeOutputs, type OutputFormat } from "../../report/write-outputs.ts";
import type { EvidenceFormat } from "../../report/evidence/write-evidence-pack.ts";
import { addEvidenceOptions, runEvidencePack, type EvidenceCliOptions } from "../evidence-pack.ts";
import { readSnapshot } from "../../snapshot/store.ts";
import type { Snapshot } from "../../snapshot/types.ts";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

export interface EvaluationRunOptions {
  snapshotFile: string;
  out?: string;
  failOn: FailOn;
  exceptions?: string;
  policies: string[];
  builtin: boolean;
  bundle?: string;
  thresholds?: Partial<Thresholds>;
  now?: string;
  scope: string;
  /** Output formats from credgov.yaml `output.formats`; findings.json is always written. */
  formats?: readonly string[];
  /** Evidence pack flags (signing key, rotation report, organisation, subjects per control). */
  evidence?: EvidenceCliOptions;
}

export interface EvaluationRunResult {
  findings: Finding[];
  gating: Finding[];
  /** sha256 of the compiled policy library (null for a bundle alone). */
  policyHash: string | null;
  /** Why the run is incomplete (exit 3 unless --allow-incomplete); empty when complete. */
  incomplete: string[];
}

/** Evaluate a snapshot file, apply exceptions, write outputs, print the table. Shared with `scan`. */
export async function runEvaluation(options: EvaluationRunOptions, ctx: CommandContext): Promise<EvaluationRunResult> {
  const exceptions = options.exceptions ? loadExceptions(options.exceptions) : [];
  const catalog = mergedCatalog(options.policies);
  const input = await validatedSnapshotBytes(options.snapshotFile, ctx);
  const evaluation = await evaluateSnapshot(input, {
    catalog,
    thresholds: options.thresholds,
    now: options.now,
    builtin: options.builtin,
    policyDirs: options.policies,
    bundle: options.bundle,
    warn: (m) => ctx.output.warn(m),
    verbose: (m) => ctx.output.verbose(m),
  });
  ctx.output.verbose(
    `policies ${evaluation.stats.compiledFromCache ? "loaded from cache" : "compiled"} in ${evaluation.stats.compileSeconds.toFixed(2)} s; evaluated in ${evaluation.stats.evaluateSeconds.toFixed(2)} s`,
  );
  const applied = applyExceptions(evaluation.findings, exceptions);
  for (const w of applied.warnings) ctx.output.warn(w);
  const findings = applied.findings;
  if (options.out) {
    const formats = outputFormats(options.formats, ctx);
    const written = await writeOutputs(findings, {
      dir: options.out,
      formats,
      toolVersion: pkg.version,
      controls: catalog.controls,
      snapshotFile: options.snapshotFile,
      scope: options.scope,
      generatedAt: options.now ?? input.generatedAt,
      warnings: applied.warnings,
    });
    const documents = evidenceFormats.filter((f) => options.formats?.includes(f));
    if (documents.length > 0 || options.formats?.includes("manifest")) {
      written.push(
        ...(await runEvidencePack(
          {
            dir: options.out,
            formats: documents,
            findings,
            snapshotFile: options.snapshotFile,
            catalog,
            exceptions,
            toolVersion: pkg.version,
            policyHash: evaluation.stats.policyHash,
            generatedAt: options.now ?? input.generatedAt,
            warnings: applied.warnings,
          },
          options.evidence ?? {},
          ctx,
        )),
      );
    }
    ctx.output.info(`wrote ${written.join(", ")}`); // as given in --out, never a ../../ path
  }
  ctx.output.result(renderTerminalTable(findings, ctx.output.color));
  const gating = gatingFindings(findings, options.failOn);
  if (gating.length > 0) ctx.output.info(`${gating.length} failing finding(s) at or above --fail-on ${options.failOn}`);
  const incomplete = incompleteness(findings, input.sources);
  for (const reason of incomplete) ctx.output.warn(`incomplete: ${reason}`);
  return { findings, gating, policyHash: evaluation.stats.policyHash, incomplete };
}

const renderable: readonly OutputFormat[] = ["json", "sarif", "junit", "md"];
const evidenceFormats: readonly EvidenceFormat[] = ["pdf", "html"];

function outputFormats(configured: readonly string[] | undefined, ctx: CommandContext): OutputFormat[] {
  if (!configured) return [...renderable];
  const unsupported = configured.filter((f) => !(renderable as readonly string[]).includes(f) && !(evidenceFormats as readonly string[]).includes(f) && f !== "manifest");
  if (unsupported.length > 0) ctx.output.warn(`output.formats ${unsupported.join(", ")}: not written by evaluate/scan yet`);
  return ["json", ...renderable.filter((f) => f !== "json" && configured.includes(f))];
}

/**
 * Validates the snapshot, then keeps only its bytes (handed to the policy module as they are)
 * and the few fields the engine needs, so the parsed 100k-account object can be collected
 * before evaluation allocates its own copy.
 */
async function validatedSnapshotBytes(file: string, ctx: CommandContext): Promise<SerializedSnapshot & { generatedAt: string }> {
  const snapshot: Snapshot = await readSnapshot(file);
  // The same checks as `snapshot validate`: duplicate ids and dangling references would make
  // policies join the wrong records.
  const problems = checkIntegrity(snapshot);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).map((p) => `${p.pointer}: ${p.message}`);
    const more = problems.length > 20 ? `\n... and ${problems.length - 20} more` : "";
    throw new UserInputError(`snapshot integrity problems (run \`credgov snapshot validate\`):\n${shown.join("\n")}${more}`, { file });
  }
  ctx.output.info(`evaluating ${snapshot.accounts.length} accounts, ${snapshot.credentials.length} credentials from ${snapshot.sources.length} sources`);
  const bytes = await readFile(file);
  // A byte-order mark (editors on Windows add one) is not JSON: the policy module would reject
  // the whole input and report every control as error.
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { bytes: bom ? bytes.subarray(3) : bytes, sources: snapshot.sources, generatedAt: snapshot.generatedAt };
}

/**
 * The built-in catalog plus any catalog.yaml shipped next to extra policies. The built-in one
 * is kept without the built-in policies too: a bundle compiled from them emits the same ids.
 */
function mergedCatalog(dirs: readonly string[]): Catalog {
  const controls: Catalog["controls"] = [...loadCatalog().controls];
  for (const dir of dirs) {
    const file = join(dir, "catalog.yaml");
    if (!existsSync(file)) continue;
    for (const control of loadCatalog(file).controls) {
      if (controls.some((c) => c.id === control.id)) throw new UserInputError(`control ${control.id} is already defined by another catalog`, { file, field: "controls" });
      controls.push(control);
    }
  }
  return { version: 1, controls };
}

interface EvaluateCliOptions extends EvidenceCliOptions {
  snapshot: string;
  out?: string;
  failOn?: string;
  exceptions?: string;
  policies?: string[];
  builtinPolicies: boolean;
  bundle?: string;
  config?: string;
  now?: string;
  allowIncomplete?: boolean;
}

/** Options that `evaluate` and `scan` share: flags win over credgov.yaml. */
export function resolveEvaluationSettings(
  cli: { failOn?: string; exceptions?: string; policies?: string[]; builtinPolicies: boolean; bundle?: string },
  config: CredgovConfig | undefined,
): Pick<EvaluationRunOptions, "failOn" | "exceptions" | "policies" | "builtin" | "bundle" | "thresholds" | "formats"> {
  const failOnText = cli.failOn ?? config?.output.failOn ?? "high";
  return {
    failOn: parseFailOn(failOnText, cli.failOn ? "--fail-on" : "output.failOn"),
    exceptions: cli.exceptions ?? config?.exceptions?.file,
    policies: [...(config?.policies.dirs ?? []), ...(cli.policies ?? [])],
    builtin: cli.builtinPolicies && (config?.policies.builtin ?? true),
    bundle: cli.bundle ?? config?.policies.bundle,
    thresholds: config?.thresholds,
    formats: config?.output.formats,
  };
}

export function checkRfc3339(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UserInputError(`must be an RFC 3339 time such as 2026-06-01T00:00:00Z (got ${JSON.stringify(value)})`, { field: "--now" });
  }
  return value;
}

export function registerEvaluate(program: Command, ctx: CommandContext): void {
  addEvidenceOptions(program.command("evaluate"))
    .description("evaluate a snapshot against the policy library and write findings")
    .requiredOption("-s, --snapshot <file>", "snapshot JSON file (from credgov collect)")
    .option("-o, --out <dir>", "write findings.json, results.sarif, junit.xml and summary.md here")
    .option("--fail-on <severity>", "exit 1 when a non-excepted failing finding is at or above: critical, high, medium, low, info, none (default high)")
    .option("-e, --exceptions <file>", "exceptions.yaml with approved, expiring waivers")
    .option("-p, --policies <dir...>", "extra Rego policy directories (with an optional catalog.yaml)")
    .option("--no-builtin-policies", "evaluate only the extra policies or bundle")
    .option("-b, --bundle <file>", "an OPA-built bundle.tar.gz (opa build -t wasm -e <pkg>/results ...)")
    .option("-c, --config <file>", "credgov.yaml to take thresholds, exceptions, policies and fail-on from")
    .option("--now <time>", "evaluation time, RFC 3339 (default: the snapshot's generatedAt)")
    .option("--allow-incomplete", "exit 0/1 even when a source was not ok or a control could not be judged (error, not_evaluated)")
    .addHelpText(
      "after",
      `
Exit codes: 0 nothing at or above --fail-on, 1 failing findings at or above it, 2 usage or input error,
3 incomplete: a source in the snapshot was not ok, or a control is error or not_evaluated (takes
precedence; --allow-incomplete turns it off). not_applicable never makes a run incomplete.

Examples:
  $ credgov evaluate --snapshot snapshot.json
  $ credgov evaluate --snapshot snapshot.json --out reports/today --fail-on critical --exceptions exceptions.yaml`,
    )
    .action(async (options: EvaluateCliOptions) => {
      const config = options.config ? loadConfig(options.config) : undefined;
      const settings = resolveEvaluationSettings(options, config);
      if (options.out) prepareOutputDir(options.out); // before evaluating, not after
      const { gating, incomplete } = await runEvaluation(
        { ...settings, snapshotFile: options.snapshot, out: options.out, now: checkRfc3339(options.now), scope: options.snapshot, evidence: options },
        ctx,
      );
      ctx.exitCode = runExitCode(gating.length > 0, incomplete, options.allowIncomplete === true);
    });
}

/** Exit 3 for an incomplete run takes precedence over findings, unless the user accepts it. */
export function runExitCode(failing: boolean, incomplete: readonly string[], allowIncomplete: boolean): ExitCode {
  if (incomplete.length > 0 && !allowIncomplete) return ExitCode.collectionIncomplete;
  return failing ? ExitCode.findings : ExitCode.ok;
}
