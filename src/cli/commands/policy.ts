// `credgov policy build|test|check|eval`: compile Rego with credgov's own compiler, run `test_*`
// rules like `opa test`, check modules like `opa check`, evaluate a query like `opa eval`.
// Exit codes: 0 success; 1 a test failed or errored (test), the result is undefined (eval --fail);
// 2 compile errors, an evaluation error (eval), bad arguments or unreadable input.
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildPolicy } from "../../policy/bundle/build.ts";
import { writeBundle } from "../../policy/bundle/bundle.ts";
import { checkPolicies } from "../../policy/bundle/check.ts";
import { parseDataFile } from "../../policy/bundle/data-file.ts";
import { evalQuery, RegoEvaluationError } from "../../policy/bundle/eval-query.ts";
import { EVAL_FORMATS, formatEvalResult, isEvalFormat } from "../eval-formats.ts";
import { loadPaths } from "../../policy/bundle/load-paths.ts";
import { DEFAULT_TEST_TIMEOUT_MS, runPolicyTests, type TestOutcome, type TestReport } from "../../policy/bundle/run-tests.ts";
import { ALLOW_BUILTIN_FLAG, RESTRICTED_BUILTINS } from "../../policy/builtins/table.ts";
import { RegoCompileError, type RegoVersion } from "../../policy/rego/index.ts";
import { COMPILE_ERROR_LIMIT, isErrorLimit } from "../../policy/rego/errors.ts";
import type { CommandContext } from "../context.ts";
import { UserInputError, ExitCode } from "../../errors.ts";
import { decodeText } from "../../io/decode-text.ts";
import { parseJsonText } from "../../io/read-json.ts";

/**
 * Compile errors print one positioned line each (`file:row:col: code: message`) and exit 2;
 * `hasMaxErrors`: the command takes -m (check, test), so the summary may point to it.
 */
function reportCompileErrors(e: unknown, ctx: CommandContext, hasMaxErrors = false): boolean {
  if (!(e instanceof RegoCompileError)) return false;
  for (const err of e.errors) ctx.output.error(err.message);
  const limited = e.errors.some(isErrorLimit);
  const n = e.errors.length - (limited ? 1 : 0);
  const why = hasMaxErrors ? " (stopped at the limit; -m 0 reports every one)" : " (stopped at the limit)";
  ctx.output.info(`${n} compile error${n === 1 ? "" : "s"}${limited ? why : ""}`);
  ctx.exitCode = ExitCode.usage;
  return true;
}

interface RegoFlags {
  v0Compatible?: boolean;
  v1Compatible?: boolean;
  /** `policy check --v0-v1` only. */
  v0V1?: boolean;
  allowBuiltin?: string[];
}

/** Help of `--ignore PATTERN` (repeatable), as `opa test|check|eval` take it. */
const IGNORE_HELP = "skip files and folders below the paths whose name matches (e.g. '*.yaml', '.*'; comma-separated and repeatable), like OPA's flag";

/** The options every subcommand that reads Rego offers. */
function regoOptions(cmd: Command): Command {
  return cmd
    .option("--v0-compatible", "read the modules as Rego v0 (pre-1.0 syntax: rules without if/contains, future.keywords imports), like OPA's flag")
    // OPA 1.x keeps the flag for CI lines written for 0.x; --v0-compatible takes precedence, as in OPA.
    .option("--v1-compatible", "read the modules as Rego v1, the default (accepted like OPA's flag)")
    .option(
      `${ALLOW_BUILTIN_FLAG} <name>`,
      `allow a builtin that is off by default (${Object.keys(RESTRICTED_BUILTINS).join(", ")}): they reach the network or the running process (repeatable)`,
      collect,
      [],
    );
}

/** `-m, --max-errors N`, as `opa check|test` take it. */
const MAX_ERRORS_HELP = `compile errors to report before stopping with "error limit reached", like OPA's flag (0: no limit)`;

function maxErrors(value: string): number {
  if (!/^\d+$/.test(value)) throw new UserInputError(`must be a whole number (0 for no limit), got "${value}"`, { field: "--max-errors" });
  return Number(value);
}

/** Repeatable options: `-d a -d b`. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `--ignore` is a string-slice flag in OPA (pflag): each value is a comma-separated list read as
 * one CSV record, so `--ignore '*.yml,*.yaml'` is two patterns; a double-quoted field keeps its
 * commas (`""` in it is a quote).
 */
function collectCommaSeparated(value: string, previous: string[]): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') field += value[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  if (value !== "") fields.push(field);
  return [...previous, ...fields];
}

function regoVersion(opts: RegoFlags): RegoVersion {
  // As OPA: --v0-v1 takes precedence over --v0-compatible.
  return opts.v0V1 ? "v0v1" : opts.v0Compatible ? "v0" : "v1";
}

function allowedBuiltins(opts: RegoFlags): ReadonlySet<string> {
  const names = new Set(opts.allowBuiltin ?? []);
  for (const n of names) {
    if (!(n in RESTRICTED_BUILTINS)) {
      throw new UserInputError(`${n} is not a restricted builtin; the restricted ones are ${Object.keys(RESTRICTED_BUILTINS).join(", ")}`, { field: ALLOW_BUILTIN_FLAG });
    }
  }
  return names;
}

function positiveDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  if (!m || Number(m[1]) <= 0) throw new UserInputError(`must be a duration like 5s, 500ms or 1m, got "${value}"`, { field: "--timeout" });
  const n = Number(m[1]);
  return m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000;
}

/** `--threshold`: a percentage from 0 to 100, as OPA accepts it. */
function coverageThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) throw new UserInputError(`must be a percentage between 0 and 100, got "${value}"`, { field: "--threshold" });
  return n;
}

/** Sorted rows as runs of consecutive rows: [3, 4, 7] -> [[3, 4], [7, 7]]. */
function rowSpans(rows: number[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const row of [...rows].sort((a, b) => a - b)) {
    const last = spans.at(-1);
    if (last && row === last[1] + 1) last[1] = row;
    else spans.push([row, row]);
  }
  return spans;
}

function regex(value: string | undefined, field: string): RegExp | undefined {
  if (value === undefined) return undefined;
  try {
    return new RegExp(value);
  } catch (e) {
    throw new UserInputError(`invalid regular expression: ${(e as Error).message}`, { field });
  }
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms.toFixed(1)}ms`;
}

function testText(report: TestReport, verbose: boolean): string {
  const lines: string[] = [];
  const outcomes = report.outcomes;
  let lastFile = "";
  for (const o of outcomes) {
    const shown = verbose || o.status === "FAIL" || o.status === "ERROR";
    if (!shown) continue;
    if (o.file !== lastFile && o.file) {
      lines.push(`${o.file}:`);
      lastFile = o.file;
    }
    const bench = o.bench ? ` ${Math.round(o.bench.nsPerOp)} ns/op (${o.bench.iterations} runs)` : "";
    lines.push(`${o.name}: ${o.status} (${formatDuration(o.durationMs)})${bench}`);
    for (const s of o.subResults ?? []) if (verbose || s.status !== "PASS") lines.push(`  ${s.name}: ${s.status}`);
    if (o.error) lines.push(`  ${o.error}`);
    if (o.output.length > 0) {
      lines.push("", ...o.output.map((l) => `  ${l}`), "");
    }
  }
  const count = (s: TestOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
  if (lines.length > 0) lines.push("-".repeat(80));
  if (outcomes.length === 0) lines.push("no tests found");
  else {
    lines.push(`PASS: ${count("PASS")}/${outcomes.length}`);
    if (count("SKIPPED") > 0) lines.push(`SKIPPED: ${count("SKIPPED")}/${outcomes.length}`);
    if (count("FAIL") > 0) lines.push(`FAIL: ${count("FAIL")}/${outcomes.length}`);
    if (count("ERROR") > 0) lines.push(`ERROR: ${count("ERROR")}/${outcomes.length}`);
  }
  if (report.coverage) {
    lines.push("", "coverage:");
    for (const [file, c] of Object.entries(report.coverage.files)) {
      lines.push(`  ${file}: ${c.coverage}%${c.notCovered.length > 0 ? ` (not covered: lines ${c.notCovered.join(", ")})` : ""}`);
    }
    lines.push(`  total: ${report.coverage.coverage}%`);
  }
  return lines.join("\n");
}

/** `--format json`: one object per test (OPA's field names where they exist), plus coverage. */
function testJson(report: TestReport): string {
  const tests = report.outcomes.map((o) => ({
    location: { file: o.file },
    package: o.package,
    name: o.name.slice(o.package.length + 1),
    duration: Math.round(o.durationMs * 1e6),
    ...(o.status === "FAIL" ? { fail: true } : {}),
    ...(o.status === "ERROR" ? { error: { message: o.error } } : {}),
    ...(o.status === "SKIPPED" ? { skip: true } : {}),
    ...(o.output.length > 0 ? { output: o.output } : {}),
    ...(o.subResults ? { sub_results: o.subResults.map((s) => ({ name: s.name, ...(s.status === "FAIL" ? { fail: true } : {}) })) } : {}),
    ...(o.bench ? { benchmark_result: { ns_per_op: Math.round(o.bench.nsPerOp), iterations: o.bench.iterations } } : {}),
  }));
  if (!report.coverage) return JSON.stringify(tests, null, 2);
  const files = Object.fromEntries(
    Object.entries(report.coverage.files).map(([f, c]) => [
      f,
      { covered: c.covered.map((row) => ({ start: { row }, end: { row } })), not_covered: c.notCovered.map((row) => ({ start: { row }, end: { row } })), coverage: c.coverage },
    ]),
  );
  return JSON.stringify({ tests, coverage: { files, coverage: report.coverage.coverage } }, null, 2);
}

function readJsonFile(file: string, field: string, warn: (message: string) => void): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UserInputError("cannot read file", { file, field });
  }
  const ext = path.extname(file);
  if (ext === ".yaml" || ext === ".yml") {
    const loaded = loadPaths([file], { warn }).data;
    return loaded;
  }
  // credgov's JSON reader: file:line:col, UTF-8 or UTF-16 with a byte-order mark, a repeated key
  // and nesting too deep to evaluate refused (as every other JSON credgov reads).
  return parseJsonText(decodeText(bytes, file), file);
}

/** `policy eval -I`: OPA's util.Unmarshal reads stdin as JSON, else as YAML. */
function readStdinInput(warn: (message: string) => void): unknown {
  const text = decodeText(readFileSync(0), "<stdin>");
  try {
    return parseJsonText(text, "<stdin>");
  } catch (jsonError) {
    if (!(jsonError instanceof UserInputError) || /^\s*[[{]/.test(text)) throw jsonError;
    const read = parseDataFile("<stdin>", text);
    for (const warning of read.warnings) warn(warning);
    return read.value;
  }
}

export function registerPolicy(program: Command, ctx: CommandContext): void {
  const policy = program.command("policy").description("build, test, check and evaluate Rego policies (compiled to WebAssembly by credgov)");

  regoOptions(
    policy
      .command("build")
      .description(
        "compile a directory of .rego files (+ data.json/data.yaml) into policy.wasm, data.json, manifest.json and an OPA-style bundle.tar.gz. " +
          "Default entrypoints: every rule named results, violations or deny in a package under credgov (e.g. credgov/reset/violations); *_test.rego files are left out",
      )
      .option("--policies <dir>", "policy directory", "policies")
      .option("--out <dir>", "output directory", "out/policy")
      .option("--entrypoint <path...>", "rule path to expose, e.g. credgov/reset/violations (repeatable)"),
  ).action(async (opts: { policies: string; out: string; entrypoint?: string[] } & RegoFlags) => {
    let result;
    try {
      result = await buildPolicy(opts.policies, opts.entrypoint ?? [], { regoVersion: regoVersion(opts), allowBuiltins: allowedBuiltins(opts), warn: ctx.output.warn });
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

  regoOptions(
    policy
      .command("test")
      .description(
        "run every test_* rule found under the paths (files and folders; *.rego modules, *.json/*.yaml data mounted at their folder's path), like `opa test`. " +
          "A test passes when it is true. Exit 0 all passed, 1 a test failed, errored or was skipped (todo_test_*; -z: skipped tests pass the run), 2 compile errors",
      )
      .argument("[paths...]", "Rego files and folders", ["policies"])
      .option("-r, --run <regex>", "only tests whose full name (data.pkg.test_x) matches")
      .option("-v, --verbose", "print every test and its print() output, not only failures (the global -v does the same)")
      .option("-f, --format <format>", "pretty or json", "pretty")
      .option("-c, --coverage", "report which lines of each file the tests reached")
      .option("-b, --bundle", "read each path as a bundle folder, like opa test -b: only data.json / data.yaml files are data")
      .option("--explain <mode>", "fails: print the output of failed tests (OPA's default; credgov has no trace explanations: full, notes and debug are refused)", "fails")
      .option("--threshold <percent>", "exit 1 when the tests reach less than this percent of the lines (0-100; turns on --coverage), like opa test --threshold")
      .option("--timeout <duration>", "per test, e.g. 5s, 500ms", `${DEFAULT_TEST_TIMEOUT_MS / 1000}s`)
      .option("--bench", "also time each test over repeated runs (ns/op)")
      .option("-z, --exit-zero-on-skipped", "skipped tests (todo_test_*) do not fail the run, like OPA's flag")
      .option("-m, --max-errors <n>", MAX_ERRORS_HELP, String(COMPILE_ERROR_LIMIT))
      .option("--ignore <pattern>", IGNORE_HELP, collectCommaSeparated, []),
  ).action(async (paths: string[], opts: { run?: string; verbose?: boolean; format: string; coverage?: boolean; bundle?: boolean; explain: string; threshold?: string; timeout: string; bench?: boolean; exitZeroOnSkipped?: boolean; maxErrors: string; ignore: string[] } & RegoFlags) => {
    const verbose = opts.verbose === true || ctx.output.verbosity === "verbose";
    if (opts.format !== "pretty" && opts.format !== "json") throw new UserInputError(`must be pretty or json, got "${opts.format}"`, { field: "--format" });
    if (opts.explain !== "fails") throw new UserInputError(`credgov explains failed tests only (fails); it has no evaluation traces for "${opts.explain}"`, { field: "--explain" });
    const threshold = coverageThreshold(opts.threshold);
    let report: TestReport;
    try {
      report = await runPolicyTests(paths, {
        run: regex(opts.run, "--run"),
        timeoutMs: positiveDuration(opts.timeout),
        coverage: opts.coverage === true || threshold !== undefined,
        bench: opts.bench === true,
        regoVersion: regoVersion(opts),
        allowBuiltins: allowedBuiltins(opts),
        ignore: opts.ignore,
        bundle: opts.bundle === true,
        warn: ctx.output.warn,
        maxErrors: maxErrors(opts.maxErrors),
      });
    } catch (e) {
      if (reportCompileErrors(e, ctx, true)) return;
      throw e;
    }
    ctx.output.result(opts.format === "json" ? testJson(report) : testText(report, verbose));
    // As opa test: a skipped test fails the run too unless -z says otherwise.
    const failing = (o: TestOutcome): boolean => o.status === "FAIL" || o.status === "ERROR" || (o.status === "SKIPPED" && opts.exitZeroOnSkipped !== true);
    if (report.outcomes.some(failing)) ctx.exitCode = ExitCode.findings;
    if (threshold !== undefined && report.coverage && report.coverage.coverage < threshold) {
      // OPA's message; with -v also the lines not covered, as OPA lists them.
      ctx.output.error(`Code coverage threshold not met: got ${report.coverage.coverage.toFixed(2)} instead of ${threshold.toFixed(2)}`);
      if (verbose) {
        ctx.output.info("Lines not covered:");
        for (const file of Object.keys(report.coverage.files).sort()) {
          for (const [from, to] of rowSpans(report.coverage.files[file].notCovered)) ctx.output.info(`  ${file}:${from === to ? from : `${from}-${to}`}`);
        }
      }
      ctx.exitCode = ExitCode.findings;
    }
  });

  regoOptions(
    policy
      .command("check")
      .description("parse and compile every .rego file under the paths and report the errors, like `opa check` (exit 0 clean, 2 errors)")
      .argument("[paths...]", "Rego files and folders", ["policies"])
      .option("--strict", "also report what OPA's strict mode reports: deprecated builtins, unused imports, vars assigned and never used")
      .option("--v0-v1", "check that the modules read alike as Rego v0 and v1, like OPA's flag: v1 rule forms and checks, future keywords only where imported (import rego.v1 or future.keywords)")
      .option("-m, --max-errors <n>", MAX_ERRORS_HELP, String(COMPILE_ERROR_LIMIT))
      .option("--ignore <pattern>", IGNORE_HELP, collectCommaSeparated, []),
  ).action((paths: string[], opts: { strict?: boolean; maxErrors: string; ignore: string[] } & RegoFlags) => {
    const result = checkPolicies(paths, { strict: opts.strict === true, regoVersion: regoVersion(opts), ignore: opts.ignore, maxErrors: maxErrors(opts.maxErrors) });
    if (result.errors.length === 0) {
      ctx.output.info(`${result.modules} module${result.modules === 1 ? "" : "s"} checked: no errors`);
      return;
    }
    reportCompileErrors(new RegoCompileError(result.errors), ctx, true);
  });

  regoOptions(
    policy
      .command("eval")
      .description("evaluate a Rego query against modules and data from the -d paths and an input document, like `opa eval`; prints the result set as JSON")
      .argument("<query>", "e.g. data.credgov.reset.violations or x := count(input.accounts)")
      .option("-d, --data <path>", "Rego files, data files and folders (repeatable)", collect, [])
      .option("-i, --input <file>", "input document (JSON or YAML)")
      .option("-f, --format <format>", `${EVAL_FORMATS.join(", ")}: how the result set is printed, like opa eval's flag`, "json")
      .option("-I, --stdin-input", "read the input document from standard input (JSON, else YAML), like opa eval's flag")
      .option("--fail", "exit 1 when the result set is empty (the query is undefined)")
      .option("--fail-defined", "exit 1 when the result set is not empty, like opa eval's flag")
      .option("--ignore <pattern>", IGNORE_HELP, collectCommaSeparated, []),
  ).action(async (query: string, opts: { data: string[]; input?: string; stdinInput?: boolean; format: string; fail?: boolean; failDefined?: boolean; ignore: string[] } & RegoFlags) => {
    const format = opts.format;
    if (!isEvalFormat(format)) throw new UserInputError(`must be one of ${EVAL_FORMATS.join(", ")}, got "${format}"`, { field: "--format" });
    if (opts.input !== undefined && opts.stdinInput) throw new UserInputError("give the input either as a file (-i) or on standard input (-I), not both", { field: "--stdin-input" });
    if (opts.fail && opts.failDefined) throw new UserInputError("--fail and --fail-defined exclude each other", { field: "--fail-defined" });
    const loaded = loadPaths(opts.data, { ignore: opts.ignore, warn: ctx.output.warn });
    const input = opts.input !== undefined ? readJsonFile(opts.input, "--input", ctx.output.warn) : opts.stdinInput ? readStdinInput(ctx.output.warn) : undefined;
    let rs;
    try {
      rs = await evalQuery({
        modules: loaded.modules,
        query,
        data: loaded.data,
        input,
        regoVersion: regoVersion(opts),
        allowBuiltins: allowedBuiltins(opts),
        print: (line) => process.stderr.write(`${line}\n`),
      });
    } catch (e) {
      if (reportCompileErrors(e, ctx)) return;
      if (e instanceof RegoEvaluationError) throw new UserInputError(`evaluation error: ${e.message}`);
      throw e;
    }
    const printed = formatEvalResult(rs, format);
    if (printed !== "") ctx.output.result(printed);
    if ((opts.fail && rs.length === 0) || (opts.failDefined && rs.length > 0)) ctx.exitCode = ExitCode.findings;
  });
}
