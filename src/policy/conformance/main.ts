// Conformance runner: `npm run conformance -- --backend DIR` (IR plans through our back end) or
// `--source DIR` (Rego through the whole compiler). Prints a per-folder table and, last, the line
// `conformance: P passed, F failed, S skipped`. Exit 0 whatever the counts, unless --min-passed
// sets a floor (CI's regression guard): then 1 when fewer cases pass; 2 on unusable arguments.
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { UserInputError, ExitCode } from "../../errors.ts";
import { collectCases } from "./case-file.ts";
import { createModuleSource, type Mode } from "./module-source.ts";
import { runPool } from "./pool.ts";
import { countByFolder, formatTable, jsonReport, summaryLine } from "./report.ts";

const usage = `usage: npm run conformance -- (--backend DIR | --source DIR) [--filter REGEX] [--jobs N] [--timeout MS] [--report FILE]

  --backend DIR   compile each case's IR plan with the Wasm back end; compare with want_plan_result
  --source DIR    compile each case's Rego with the front end, then the back end; compare with want_result
  --filter REGEX  only cases whose note or file path matches
  --jobs N        worker threads (default 2)
  --timeout MS    per-case deadline (default 10000)
  --optimize      run the back end's optimizer on every module (much slower)
  --min-passed N  exit 1 when fewer than N cases pass (the floor CI keeps)
  --report FILE   JSON report of failures and skips (default .cache/conformance-report.json)`;

interface Options {
  mode: Mode;
  optimize: boolean;
  dir: string;
  filter?: RegExp;
  jobs: number;
  timeoutMs: number;
  reportFile: string;
  minPassed?: number;
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value)) throw new UserInputError(`must be a positive integer, got "${value}"`, { field: flag });
  return Number(value);
}

export function parseOptions(argv: string[]): Options | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        backend: { type: "string" },
        source: { type: "string" },
        filter: { type: "string" },
        jobs: { type: "string" },
        timeout: { type: "string" },
        report: { type: "string" },
        optimize: { type: "boolean" },
        "min-passed": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UserInputError(`${(err as Error).message}\n${usage}`);
  }
  const v = parsed.values;
  if (v.help) return "help";
  if ((v.backend === undefined) === (v.source === undefined)) {
    throw new UserInputError(`give exactly one of --backend DIR or --source DIR\n${usage}`);
  }
  let filter: RegExp | undefined;
  if (v.filter !== undefined) {
    try {
      filter = new RegExp(v.filter);
    } catch (err) {
      throw new UserInputError(`not a valid regular expression: ${(err as Error).message}`, { field: "--filter" });
    }
  }
  return {
    mode: v.backend !== undefined ? "backend" : "source",
    optimize: v.optimize === true,
    dir: path.resolve((v.backend ?? v.source)!),
    filter,
    jobs: positiveInt(v.jobs, "--jobs", 2),
    timeoutMs: positiveInt(v.timeout, "--timeout", 10_000),
    reportFile: path.resolve(v.report ?? path.join(".cache", "conformance-report.json")),
    minPassed: v["min-passed"] === undefined ? undefined : positiveInt(v["min-passed"], "--min-passed", 0),
  };
}

async function run(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === "help") {
    console.log(usage);
    return ExitCode.ok;
  }
  const flag = options.mode === "backend" ? "--backend" : "--source";
  const info = await stat(options.dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserInputError(`not a directory: ${options.dir}`, { field: flag });

  // Fail fast, in the main thread, when a compiler stage is missing, rather than once per case.
  try {
    await createModuleSource(options.mode, { optimize: options.optimize });
  } catch (err) {
    throw new UserInputError(`${(err as Error).message}; ${flag} cannot run`, { field: flag });
  }

  const refs = await collectCases(options.dir, options.filter);
  const verdicts = await runPool(refs, { mode: options.mode, source: { optimize: options.optimize }, jobs: options.jobs, timeoutMs: options.timeoutMs });
  const rows = countByFolder(refs, verdicts);

  await mkdir(path.dirname(options.reportFile), { recursive: true });
  await writeFile(options.reportFile, `${JSON.stringify(jsonReport(options.mode, options.dir, refs, verdicts, rows), null, 2)}\n`);

  console.log(formatTable(rows));
  console.log(`report: ${path.relative(process.cwd(), options.reportFile) || options.reportFile}`);
  console.log(summaryLine(rows));
  const passed = rows.reduce((n, r) => n + r.passed, 0);
  if (options.minPassed !== undefined && passed < options.minPassed) {
    console.error(`conformance: ${passed} cases passed, below the floor of ${options.minPassed} (--min-passed): a regression`);
    return ExitCode.findings;
  }
  return ExitCode.ok;
}

if (import.meta.main) {
  try {
    process.exitCode = await run(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UserInputError) {
      console.error(`conformance: ${err.format()}`);
      process.exitCode = err.exitCode;
    } else {
      console.error(`conformance: internal error: ${(err as Error)?.message ?? String(err)}`);
      process.exitCode = 1;
    }
  }
}
