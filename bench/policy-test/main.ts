// `npm run bench -- policy-test`: a generated suite of 1,000 tests (about 12,000 Rego lines, see
// generate.ts) built and run by `credgov policy test`, end to end in a child process (what a user
// waits for) and phase by phase in this process (where the time goes: parse, each compile pass,
// plan, Wasm emit, instantiate, run). Prints a markdown table with wall time and CPU time (the
// machine may be shared: the load average is printed too).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { loadPaths } from "../../src/policy/bundle/load-paths.ts";
import { isTestRule, runPolicyTests } from "../../src/policy/bundle/run-tests.ts";
import { COMPILE_PASSES, compileModules, type CompilePass } from "../../src/policy/rego/compiler/compile.ts";
import type { Module } from "../../src/policy/rego/ast.ts";
import { parseModule } from "../../src/policy/rego/parser.ts";
import { Planner } from "../../src/policy/rego/planner/planner.ts";
import { compilePlan, loadOptimizer } from "../../src/policy/wasm/compile-plan.ts";
import { hostBuiltins } from "../../src/policy/wasm/host-builtins/index.ts";
import { withEvaluationHooks } from "../../src/policy/wasm/host-builtins/evaluation-hooks.ts";
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
  const modules = await measure("parse (lexer + parser)", () => {
    const out: Module[] = [];
    for (const m of loaded.modules) {
      const parsed = parseModule(m.source, m.file);
      if (!parsed.module) throw new Error(`${m.file}: ${parsed.errors.map((e) => e.message).join("; ")}`);
      out.push(parsed.module);
    }
    return out;
  });
  // Each compile pass timed on its own (the bench wraps the passes' run functions).
  const passTimes = new Map<string, [number, number]>();
  for (const pass of COMPILE_PASSES as readonly CompilePass[]) {
    const run = pass.run.bind(pass);
    (pass as { run: CompilePass["run"] }).run = (state) => {
      const [t, c] = [performance.now(), cpuNow()];
      run(state);
      const [wall, cpu] = passTimes.get(pass.name) ?? [0, 0];
      passTimes.set(pass.name, [wall + performance.now() - t, cpu + cpuNow() - c]);
    };
  }
  const compiled = await measure("compile passes (all)", () => compileModules({ modules, tests: true, enablePrint: true }));
  if (compiled.errors.length > 0) throw new Error(compiled.errors.map((e) => e.message).join("\n"));
  for (const [name, [wall, cpu]] of [...passTimes].sort((a, b) => b[1][1] - a[1][1])) rows.push([`&nbsp;&nbsp;compile pass ${name}`, ms(wall), ms(cpu)]);
  const tests = [...compiled.policy.ruleSets.values()].filter((set) => isTestRule(set.path.join("/"), set.kind)).map((set) => ({ name: set.path.join("/"), path: set.path }));
  const plan = await measure("plan (planner -> IR)", () => new Planner(compiled.policy).plan({ entrypoints: tests }));
  const { wasm } = await measure("Wasm emit (IR -> Wasm, as `policy test` builds it: no optimizer)", () => compilePlan(plan, { optimize: false }));
  const policy = await measure("instantiate (SDK loadPolicy + data)", async () => {
    const p = await loadPolicy(wasm, undefined, hostBuiltins);
    p.setData(loaded.data);
    return p;
  });
  await measure(`run (${tests.length} test evaluations)`, () => {
    const hooks = { print() {}, testCase() {}, cover() {} };
    for (const t of tests) {
      const rs = withEvaluationHooks(hooks, () => policy.evaluate(undefined, t.name)) as Array<{ result?: unknown }>;
      if (rs[0]?.result !== true) throw new Error(`${t.name} did not pass`);
    }
  });
  await measure("loading binaryen's optimizer (`policy build` only)", () => loadOptimizer());
  await measure("Wasm emit with binaryen's optimizer, as `policy build` builds it", () => compilePlan(plan, { optimize: true }));
  const report = await measure("runPolicyTests in process (compile + worker + 1,000 evaluations; CPU of this process)", () => runPolicyTests([dir]));
  const failed = report.outcomes.filter((o) => o.status !== "PASS").length;
  if (failed > 0) throw new Error(`${failed} generated tests did not pass`);

  console.log("| what | wall | CPU |\n|---|---|---|");
  for (const [what, time, cpu] of rows) console.log(`| ${what} | ${time} | ${cpu} |`);
  console.log(`\nload average (1 min) at the end: ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} CPUs`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
