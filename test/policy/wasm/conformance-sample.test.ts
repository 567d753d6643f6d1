// A quick pass over core-language folders of OPA's conformance suite through the back end
// with the project's host builtins: every case's IR plan is compiled, run with the stock SDK and
// compared with want_plan_result. The full suite runs with `npm run conformance -- --backend DIR`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { compilePlan } from "../../../src/policy/wasm/compile-plan.ts";
import { canonicalResultSet } from "../../../src/policy/conformance/compare.ts";
import { hostBuiltins } from "../../../src/policy/wasm/host-builtins/index.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const suite = path.resolve(repoRoot, process.env.CREDGOV_CONFORMANCE_DIR ?? "../shared/conformance/opa-v1");
// core language plus the folders that exercise CallDynamic, ObjectMerge and result-set order
const folders = [
  "helloworld", "assignments", "eqexpr", "virtualdocs", "withkeyword", "comprehensions", "aggregates", "every",
  "negation", "functions", "elsekeyword", "partialobjectdoc", "planner-ir", "topdowndynamicdispatch",
  "baseandvirtualdocs", "refheads", "disjunction", "sets", "sprintf", "arithmetic",
];

interface Case {
  note: string;
  plan: unknown;
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_plan_result: unknown[] | null;
  sort_bindings?: boolean;
}

function loadCases(): [string, Case][] {
  const out: [string, Case][] = [];
  for (const folder of folders) {
    const dir = path.join(suite, folder);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const { cases } = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { cases: Case[] };
      for (const c of cases) {
        // input_term is a Rego term; the JSON-compatible ones are used, the others left out
        if (c.input === undefined && c.input_term !== undefined) {
          try {
            c.input = JSON.parse(c.input_term);
          } catch {
            continue;
          }
        }
        out.push([`${folder}/${file}: ${c.note}`, c]);
      }
    }
  }
  return out;
}

const cases = existsSync(suite) ? loadCases() : [];

describe.skipIf(cases.length === 0)(`conformance sample (OPA's Rego conformance suite in swift-opa's JSON form, expected at ${suite}; set CREDGOV_CONFORMANCE_DIR)`, () => {
  it.each(cases)("%s", async (_name, c) => {
    const policy = await loadPolicy(compilePlan(c.plan).wasm, undefined, hostBuiltins);
    if (c.data !== undefined) policy.setData(c.data as object);
    let got: unknown;
    try {
      got = policy.evaluate(c.input);
    } catch (err) {
      // an expected error (want_plan_result null) must come out as an OPA error code
      expect(c.want_plan_result).toBeNull();
      expect(String(err)).toMatch(/eval_[a-z_]+_error/);
      return;
    }
    if (c.want_plan_result === null) {
      expect(got).toEqual([]);
      return;
    }
    const unordered = c.sort_bindings === true;
    expect(canonicalResultSet(got, unordered)).toBe(canonicalResultSet(c.want_plan_result, unordered));
  });
});
