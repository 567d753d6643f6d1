// `npm run bench -- policy-test`: a generated suite of 1,000 tests (about 12,000 Rego lines, see
// generate.ts) built and run by `credgov policy test`, end to end in a child process (what a user
// waits for) and phase by phase in this process (where the time goes). Prints a markdown table
// with wall time and, for the in-process phases, CPU time (the machine may be shared: the load
// average is printed too).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPaths } from "../../src/policy/bundle/load-paths.ts";
import { runPolicyTests } from "../../src/policy/bundle/run-tests.ts";
import { compilePlan, loadOptimizer } from "../../src/policy/wasm/compile-plan.ts";
import { compileRego } from "../../src/policy/rego/index.ts";
import { parseModule } from "../../src/policy/rego/parser.ts";
import { generateSuite } from "./generate.ts";

const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), "credgov-bench-policy-test-"));
try {
  const suite = generateSuite(dir);
  const rows: Array<[string, string, string]> = [];
  const ms = (t: number) => `${t.toFixed(0)} ms`;
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const measure = async <T>(what: string, fn: () => T | Promise<T>): Promise<T> => {
    const [t, c] = [performance.now(), cpuNow()];
    const out = await fn();
    rows.push([what, ms(performance.now() - t), ms(cpuNow() - c)]);
    return out;
  };
  // CPU time of waited-for children (Linux: cutime + cstime in /proc/self/stat, in clock ticks).
  const childCpu = (): number | undefined => {
    if (!existsSync("/proc/self/stat")) return undefined;
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  };

  const t0 = performance.now();
  const c0 = childCpu();
  const cli = spawnSync(process.execPath, [bin, "policy", "test", dir], { encoding: "utf8" });
  const endToEnd = performance.now() - t0;
  const c1 = childCpu();
  if (cli.status !== 0) throw new Error(`policy test failed (exit ${cli.status}):\n${cli.stdout}\n${cli.stderr}`);
  rows.push([
    `\`credgov policy test\` end to end (${suite.tests} tests, ${suite.lines} lines, new process)`,
    ms(endToEnd),
    c0 === undefined || c1 === undefined ? "-" : ms(c1 - c0),
  ]);

  const loaded = loadPaths([dir]);
  await measure("parse (lexer + parser)", () => {
    for (const m of loaded.modules) parseModule(m.source, m.file);
  });
  const compiled = await measure("front end: parse + compile passes + planner", () =>
    compileRego({ modules: loaded.modules, tests: true, enablePrint: true, selectEntrypoints: (rules) => rules.filter((r) => r.path.split("/").pop()!.startsWith("test_")).map((r) => r.path) }),
  );
  await measure("back end: IR -> Wasm, as `policy test` builds it (no optimizer)", () => compilePlan(compiled.plan, { optimize: false }));
  await measure("loading binaryen's optimizer (`policy build` only)", () => loadOptimizer());
  await measure("back end with binaryen's optimizer, as `policy build` builds it", () => compilePlan(compiled.plan, { optimize: true }));
  const report = await measure("runPolicyTests in process (compile + worker + 1,000 evaluations; CPU of this thread)", () => runPolicyTests([dir]));
  const failed = report.outcomes.filter((o) => o.status !== "PASS").length;
  if (failed > 0) throw new Error(`${failed} generated tests did not pass`);

  console.log("| what | wall | CPU |\n|---|---|---|");
  for (const [what, time, cpu] of rows) console.log(`| ${what} | ${time} | ${cpu} |`);
  console.log(`\nload average (1 min) at the end: ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} CPUs`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
