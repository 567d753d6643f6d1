// The evaluate stage as a library function: a snapshot file -> findings joined with the
// catalog, exceptions applied. Callers (the CLI, benchmarks) choose the outputs to render.
import { readFileBytes } from "../../io/read-file-bytes.ts";
import type { Thresholds } from "../../config/types.ts";
import { silentLog, type RunLog } from "../../run-log.ts";
import { UserInputError } from "../../errors.ts";
import { assertRegularFileIfPresent } from "../../io/regular-file.ts";
import { assertUtf8 } from "../../io/utf8-check.ts";
import { checkSerializedSnapshot, SerializedSnapshotSyntaxError } from "../../snapshot/check-serialized.ts";
import { problemLines, readSnapshot, snapshotSchemaError } from "../../snapshot/store.ts";
import type { Snapshot } from "../../snapshot/types.ts";
import { selectControls, type ControlSelection } from "../catalog/control-selection.ts";
import { loadMergedCatalog } from "../catalog/merge.ts";
import type { Catalog } from "../catalog/types.ts";
import { applyExceptions } from "../exceptions/apply.ts";
import { assertExceptionControlsKnown } from "../exceptions/known-controls.ts";
import { loadExceptions } from "../exceptions/load.ts";
import type { PolicyException } from "../exceptions/types.ts";
import { evaluateSnapshot, type EvaluationStats, type SerializedSnapshot } from "./evaluate.ts";
import type { Finding } from "./finding.ts";

export interface EvaluationRunOptions {
  snapshotFile: string;
  /** exceptions.yaml with approved, expiring waivers. */
  exceptions?: string;
  /** Extra policy folders (each with an optional catalog.yaml). */
  policies: readonly string[];
  /** Evaluate the built-in policy library. */
  builtin: boolean;
  /** An OPA-built bundle.tar.gz evaluated alongside. */
  bundle?: string;
  thresholds?: Partial<Thresholds>;
  /** Evaluation time (RFC 3339); default: the snapshot's generatedAt. */
  now?: string;
  /** --controls/--skip-controls: findings and exceptions of other controls are dropped. */
  controls?: ControlSelection;
  log?: RunLog;
  /** Wasm memory ceiling of an evaluation in MiB (--eval-memory). */
  maxMemoryMiB?: number;
  /** Deadline of one policy package's evaluation (--eval-timeout). */
  packageDeadlineMs?: number;
}

export interface EvaluationRun {
  /** Every finding, exceptions applied. */
  findings: Finding[];
  /** The catalog the findings were joined with. */
  catalog: Catalog;
  /** The exceptions that were applied (as loaded from the exceptions file, of the selected controls). */
  exceptions: PolicyException[];
  /** Exceptions that matched nothing, expired, and the like. */
  exceptionWarnings: string[];
  /** The snapshot's sources (status, errors): what the run's completeness is judged from. */
  sources: Snapshot["sources"];
  /** The evaluation time: `now`, or the snapshot's generatedAt. */
  evaluatedAt: string;
  stats: EvaluationStats;
}

export async function runEvaluation(options: EvaluationRunOptions): Promise<EvaluationRun> {
  const log = options.log ?? silentLog;
  // The small inputs first: a bad catalog or exceptions file fails before a large snapshot is read.
  const catalog = loadMergedCatalog(options.policies);
  const selected = selectControls(
    catalog.controls.map((c) => c.id),
    options.controls ?? {},
  );
  const loaded = options.exceptions ? loadExceptions(options.exceptions) : [];
  assertExceptionControlsKnown(loaded, catalog.controls.map((c) => c.id));
  const exceptions = loaded.filter((e) => selected(e.control));
  const input = await validatedSnapshotBytes(options.snapshotFile, log);
  const evaluation = await evaluateSnapshot(input, {
    catalog,
    thresholds: options.thresholds,
    now: options.now,
    builtin: options.builtin,
    policyDirs: [...options.policies],
    bundle: options.bundle,
    warn: (m) => log.warn(m),
    verbose: (m) => log.verbose(m),
    maxMemoryMiB: options.maxMemoryMiB,
    packageDeadlineMs: options.packageDeadlineMs,
  });
  log.verbose(
    `policies ${evaluation.stats.compiledFromCache ? "loaded from cache" : "compiled"} in ${evaluation.stats.compileSeconds.toFixed(2)} s; evaluated in ${evaluation.stats.evaluateSeconds.toFixed(2)} s`,
  );
  const applied = applyExceptions(
    evaluation.findings.filter((f) => selected(f.controlId)),
    exceptions,
  );
  for (const w of applied.warnings) log.warn(w);
  return { findings: applied.findings, catalog, exceptions, exceptionWarnings: applied.warnings, sources: input.sources, evaluatedAt: options.now ?? input.generatedAt, stats: evaluation.stats };
}

/**
 * Reads the snapshot's bytes once (handed to the policy module as they are) and validates them
 * element by element (schema and integrity, as `snapshot validate`): a 1M-account snapshot is
 * never held parsed, nor as one string.
 */
async function validatedSnapshotBytes(file: string, log: RunLog): Promise<SerializedSnapshot & { generatedAt: string }> {
  assertRegularFileIfPresent(file, file);
  let bytes: Uint8Array;
  try {
    // Gunzips a .gz snapshot; reads past 2 GiB; shared with the sharded evaluation's workers.
    bytes = await readFileBytes(file, { shared: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UserInputError("no such snapshot file", { file });
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code.startsWith("Z_")) throw new UserInputError(`is not a readable gzip file (${(error as Error).message})`, { file });
    throw error;
  }
  // The bytes go to the policy module as they are: a byte that is not UTF-8 would be read as
  // U+FFFD (a name changed without a word), and UTF-16 is not JSON to the module at all.
  assertUtf8(bytes, file);
  let checked;
  try {
    checked = checkSerializedSnapshot(bytes);
  } catch (error) {
    if (!(error instanceof SerializedSnapshotSyntaxError)) throw error;
    // Malformed JSON: the streaming reader says where (file:line:col) and what.
    await readSnapshot(file);
    throw new UserInputError(`malformed snapshot JSON: ${error.message}`, { file });
  }
  if (checked.schema.length > 0) throw snapshotSchemaError(checked.schema, file, bytes);
  // Duplicate ids and dangling references would make policies join the wrong records.
  const problems = checked.integrity;
  if (problems.length > 0) {
    throw new UserInputError(`snapshot integrity problems (run \`credgov snapshot validate\`):\n${problemLines(problems, file, bytes)}`, { file });
  }
  log.info(`evaluating ${checked.counts.accounts} accounts, ${checked.counts.credentials} credentials from ${checked.head.sources.length} sources`);
  // A byte-order mark (editors on Windows add one) is not JSON: the policy module would reject
  // the whole input and report every control as error.
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { bytes: bom ? bytes.subarray(3) : bytes, sources: checked.head.sources, generatedAt: checked.head.generatedAt };
}
