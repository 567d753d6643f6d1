// `npm run bench -- policy-test`: a generated suite of 1,000 tests (about 12,000 Rego lines, see
// generate.ts) built and run by `credgov policy test`, end to end in a child process (what a user
// waits for) and phase by phase in this process (where the time goes). Prints a markdown table.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPaths } from "../../src/policy/bundle/load-paths.ts";
import { runPolicyTests } from "../../src/policy/bundle/run-tests.ts";
import { loadBackEnd } from "../../src/policy/bundle/wasm-backend.ts";
import { compileRego } from "../../src/policy/rego/index.ts";
import { parseModule } from "../../src/policy/rego/parser.ts";
import { generateSuite } from "./generate.ts";

const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), "credgov-bench-policy-test-"));
try {
  const suite = generateSuite(dir);
  const rows: Array<[string, string]> = [];
  const ms = (t: number) => `${t.toFixed(0)} ms`;

  const t0 = performance.now();
  const cli = spawnSync(process.execPath, [bin, "policy", "test", dir], { encoding: "utf8" });
  const endToEnd = performance.now() - t0;
  if (cli.status !== 0) throw new Error(`policy test failed (exit ${cli.status}):\n${cli.stdout}\n${cli.stderr}`);
  rows.push([`\`credgov policy test\` end to end (${suite.tests} tests, ${suite.lines} lines, new process)`, ms(endToEnd)]);

  const loaded = loadPaths([dir]);
  let t = performance.now();
  for (const m of loaded.modules) parseModule(m.source, m.file);
  rows.push(["parse (lexer + parser)", ms(performance.now() - t)]);
  t = performance.now();
  const compiled = compileRego({ modules: loaded.modules, tests: true, enablePrint: true, selectEntrypoints: (rules) => rules.filter((r) => r.path.split("/").pop()!.startsWith("test_")).map((r) => r.path) });
  const frontEnd = performance.now() - t;
  rows.push(["front end: parse + compile passes + planner", ms(frontEnd)]);
  const backEnd = await loadBackEnd();
  t = performance.now();
  backEnd.compilePlan(compiled.plan);
  rows.push(["back end: IR -> Wasm", ms(performance.now() - t)]);
  t = performance.now();
  const report = await runPolicyTests([dir]);
  rows.push(["runPolicyTests in process (compile + worker start + 1,000 evaluations)", ms(performance.now() - t)]);
  const failed = report.outcomes.filter((o) => o.status !== "PASS").length;
  if (failed > 0) throw new Error(`${failed} generated tests did not pass`);

  console.log("| what | time |\n|---|---|");
  for (const [what, time] of rows) console.log(`| ${what} | ${time} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
