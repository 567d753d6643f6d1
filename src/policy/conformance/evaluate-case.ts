// Judge one case: compile it (via the mode's module source), load it with the stock SDK and our
// host builtins, evaluate, and compare. Runs inside a worker thread; never throws.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { hostBuiltins, sdkHostBuiltins } from "../wasm/host-builtins/index.ts";
import type { ConformanceCase } from "./case-file.ts";
import { isTermExpr, type Term } from "../rego/ast.ts";
import { parseQuery } from "../rego/parser.ts";
import { resultsEqual } from "./compare.ts";
import type { createModuleSource } from "./module-source.ts";

export type Verdict =
  | { status: "pass" }
  | { status: "skip"; reason: string }
  | { status: "fail"; reason: string; got?: unknown; want?: unknown };

type Source = Awaited<ReturnType<typeof createModuleSource>>;

function expectsError(c: ConformanceCase): boolean {
  return c.want_error_code !== undefined || c.want_error !== undefined;
}

function describe(err: unknown): string {
  if (typeof err === "string") return err;
  if (err && typeof err === "object" && "message" in err) return String((err as { message: unknown }).message);
  return String(err);
}

/**
 * A ground Rego term as the JSON the module parses: sets as {"\u0000set": [...]}, which the
 * runtime's JSON parser reads back as sets (the tag host builtins use). undefined when the term
 * is not ground or has a key that JSON cannot carry.
 */
function termJson(t: Term): unknown {
  const v = t.value;
  switch (v.type) {
    case "null":
      return null;
    case "boolean":
    case "string":
      return v.value;
    case "number":
      return Number(v.value);
    case "array":
      return v.value.map(termJson);
    case "set":
      return { "\u0000set": v.value.map(termJson) };
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v.value) {
        if (k.value.type !== "string") throw new Error("non-string key");
        out[k.value.value] = termJson(x);
      }
      return out;
    }
    default:
      throw new Error(`not a ground term: ${v.type}`);
  }
}

/** The input the SDK should receive, or a skip reason (an `input_term` that JSON cannot carry). */
function caseInput(c: ConformanceCase): { input: unknown } | { skip: string } {
  if (c.input !== undefined) return { input: c.input };
  if (c.input_term !== undefined) {
    try {
      return { input: JSON.parse(c.input_term) };
    } catch {
      const parsed = parseQuery(c.input_term, "input_term");
      const e = parsed.body?.length === 1 ? parsed.body[0] : undefined;
      if (e && isTermExpr(e)) {
        try {
          return { input: termJson(e.terms) };
        } catch {
          // falls through to the skip
        }
      }
      return { skip: "input_term is a Rego term that JSON cannot carry" };
    }
  }
  return { input: undefined };
}

export async function evaluateCase(c: ConformanceCase, source: Source): Promise<Verdict> {
  const want = source.expected(c);
  const inputs = caseInput(c);
  if ("skip" in inputs) return { status: "skip", reason: inputs.skip };

  let prepared;
  try {
    prepared = await source.prepare(c);
  } catch (err) {
    return { status: "fail", reason: `compile error: ${describe(err)}` };
  }
  if ("skip" in prepared) return { status: "skip", reason: prepared.skip };

  // A builtin nobody implements would throw inside evaluation, and that throw could pass for an
  // expected error; report it as the failure it is.
  const missing = prepared.compiled.hostBuiltins.filter((b) => !(b in hostBuiltins) && !sdkHostBuiltins.has(b));
  if (missing.length > 0) return { status: "fail", reason: `host builtin not implemented: ${missing.join(", ")}` };

  let got: unknown;
  try {
    const policy = await loadPolicy(prepared.compiled.wasm, undefined, hostBuiltins);
    if (c.data !== undefined) policy.setData(c.data as object);
    const entrypoint = c.entrypoints?.find((e) => Object.hasOwn(policy.entrypoints, e)) ?? 0;
    got = policy.evaluate(inputs.input, entrypoint);
  } catch (err) {
    if (want === null || want === undefined) {
      if (!expectsError(c)) return { status: "fail", reason: `evaluation error: ${describe(err)}` };
      // Errors leave the module as opa_abort strings; when one names an OPA error code, it must be the expected one.
      const code = /\beval_[a-z_]+_error\b/.exec(describe(err))?.[0];
      if (code && c.want_error_code && code !== c.want_error_code) {
        return { status: "fail", reason: `expected ${c.want_error_code}, got error: ${describe(err)}` };
      }
      return { status: "pass" };
    }
    return { status: "fail", reason: `evaluation error: ${describe(err)}`, want };
  }

  if (want === null || want === undefined) {
    // OPA's Wasm target reports a (strict) builtin or type error as an empty result set.
    if (Array.isArray(got) && got.length === 0) return { status: "pass" };
    const expectation = expectsError(c) ? `an error (${c.want_error_code ?? c.want_error})` : "no result";
    return { status: "fail", reason: `expected ${expectation}, got a result`, got };
  }
  if (resultsEqual(got, want, c.sort_bindings === true)) return { status: "pass" };
  return { status: "fail", reason: "result differs", got, want };
}
