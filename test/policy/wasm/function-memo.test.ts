// Functions of one argument called from several places are cached per evaluation by the
// argument's address (compile-plan.ts argumentMemoized, runtime/src/memo.c): the cache must
// never change a result, under `with` in particular, where the same argument meets other input.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/policy/rego/index.ts";
import { loadBackEnd } from "../../../src/policy/bundle/wasm-backend.ts";

async function evalQuery(source: string, query: string, input: unknown): Promise<unknown> {
  const { plan } = compileRego({ modules: [{ file: "t.rego", source }], query });
  const backEnd = await loadBackEnd();
  const policy = await loadPolicy(backEnd.compilePlan(plan).wasm, undefined, backEnd.hostBuiltins as never);
  return policy.evaluate(input);
}

const source = [
  "package t",
  "label(a) := concat(\":\", [input.tag, a.name]) if a.n > 0",
  "scope(a) if a.n > 1",
  "plain := [label(a) | some a in input.xs]",
  "tagged := x if x := plain with input.tag as \"w\"",
  "again := [label(a) | some a in input.xs]",
  "scoped := [a.name | some a in input.xs; scope(a)]",
  "unscoped := [a.name | some a in input.xs; not scope(a)]",
  "backwards := [label(input.xs[i]) | some i in numbers.range(count(input.xs) - 1, 0)]",
  "twice := [scope(a) | some a in input.xs; scope(a)]",
].join("\n");

describe("function results cached by argument", () => {
  const input = { tag: "v", xs: [{ name: "a", n: 1 }, { name: "b", n: 2 }, { name: "c", n: 0 }, { name: "a", n: 1 }] };

  it("gives each call the result of its own argument, in any order", async () => {
    expect(await evalQuery(source, "x := [data.t.plain, data.t.again, data.t.backwards]", input)).toEqual([
      { x: [["v:a", "v:b", "v:a"], ["v:a", "v:b", "v:a"], ["v:a", "v:b", "v:a"]] },
    ]);
    expect(await evalQuery(source, "x := [data.t.scoped, data.t.unscoped, data.t.twice]", input)).toEqual([{ x: [["b"], ["a", "c", "a"], [true]] }]);
  });

  it("keeps each `with` frame's results apart from the outer frame's", async () => {
    // The same array elements (same addresses) meet another input.tag under `with`.
    expect(await evalQuery(source, "x := [data.t.plain, data.t.tagged, data.t.again]", input)).toEqual([
      { x: [["v:a", "v:b", "v:a"], ["w:a", "w:b", "w:a"], ["v:a", "v:b", "v:a"]] },
    ]);
    expect(await evalQuery(source, "x := [data.t.tagged, data.t.plain]", input)).toEqual([{ x: [["w:a", "w:b", "w:a"], ["v:a", "v:b", "v:a"]] }]);
  });

  it("starts every evaluation with an empty cache", async () => {
    const { plan } = compileRego({ modules: [{ file: "t.rego", source }], query: "x := data.t.plain" });
    const backEnd = await loadBackEnd();
    const policy = await loadPolicy(backEnd.compilePlan(plan).wasm, undefined, backEnd.hostBuiltins as never);
    const text = (tag: string) => new TextEncoder().encode(JSON.stringify({ ...input, tag })).buffer;
    // Same text length, so the input (and its elements) land at the same addresses each time.
    expect(policy.evaluate(text("p"))).toEqual([{ x: ["p:a", "p:b", "p:a"] }]);
    expect(policy.evaluate(text("q"))).toEqual([{ x: ["q:a", "q:b", "q:a"] }]);
  });
});
