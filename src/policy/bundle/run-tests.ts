// `credgov policy test`: every `test_*` rule of every package in a policy directory is compiled as
// its own entrypoint, evaluated without input against the directory's data, and reported like
// `opa test`: PASS when the rule is true, FAIL when it is undefined or false, ERROR when it throws;
// `todo_test_*` rules are listed as SKIPPED without being run.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import path from "node:path";
import { compileRego } from "../rego/index.ts";
import { readPolicyDirectory } from "./sources.ts";
import { loadBackEnd } from "./wasm-backend.ts";

export type TestStatus = "PASS" | "FAIL" | "ERROR" | "SKIPPED";

export interface TestOutcome {
  /** `data.pkg.test_name` */
  name: string;
  status: TestStatus;
  durationMs: number;
  error?: string;
}

export function isTestRule(path: string, kind: string): boolean {
  const last = path.split("/").pop() ?? "";
  return kind !== "function" && last.startsWith("test_");
}

export function isTodoTestRule(path: string, kind: string): boolean {
  const last = path.split("/").pop() ?? "";
  return kind !== "function" && last.startsWith("todo_test_");
}

export async function runPolicyTests(dir: string, run?: RegExp): Promise<TestOutcome[]> {
  const pd = readPolicyDirectory(dir);
  const modules = pd.rego.map((f) => ({ file: path.join(dir, f.file), source: f.source }));
  const selected = (p: string): boolean => !run || run.test(`data.${p.replaceAll("/", ".")}`);
  let skipped: TestOutcome[] = [];
  const compiled = compileRego({
    modules,
    selectEntrypoints: (rules) => {
      skipped = rules
        .filter((r) => isTodoTestRule(r.path, r.kind) && selected(r.path))
        .map((r) => ({ name: `data.${r.path.replaceAll("/", ".")}`, status: "SKIPPED" as const, durationMs: 0 }));
      return rules
        .filter((r) => isTestRule(r.path, r.kind))
        .map((r) => r.path)
        .filter(selected)
        .sort();
    },
  });
  if (compiled.entrypoints.length === 0) return skipped;
  const backEnd = await loadBackEnd();
  const { wasm } = backEnd.compilePlan(compiled.plan);
  const policy = await loadPolicy(wasm, undefined, backEnd.hostBuiltins as never);
  policy.setData(pd.data);
  const outcomes: TestOutcome[] = [];
  for (const ep of compiled.entrypoints) {
    const name = `data.${ep.replaceAll("/", ".")}`;
    const t0 = performance.now();
    try {
      const rs = policy.evaluate(undefined, ep) as Array<{ result?: unknown }>;
      const passed = rs.length > 0 && rs.every((r) => r.result !== false);
      outcomes.push({ name, status: passed ? "PASS" : "FAIL", durationMs: performance.now() - t0 });
    } catch (e) {
      outcomes.push({ name, status: "ERROR", durationMs: performance.now() - t0, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return [...outcomes, ...skipped];
}
