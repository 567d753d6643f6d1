// Heap an evaluation takes beyond its input: the bump heap frees nothing until the next
// evaluation, so garbage per element of a large input is memory and cache misses. Iterating an
// array whose index nobody reads must not build a number per element, number literals are built
// once, and small integers (counts, lengths, sums) are shared values.
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/policy/rego/index.ts";
import { compilePlan } from "../../../src/policy/wasm/compile-plan.ts";
import { instantiate, parseJson } from "./wasm-api.ts";

/** Evaluates query over input through opa_eval; returns the result and the heap the evaluation took. */
function evaluate(source: string, query: string, input: unknown): { result: unknown; heap: number } {
  const { plan } = compileRego({ modules: [{ file: "t.rego", source }], query });
  const inst = instantiate(compilePlan(plan).wasm);
  const data = parseJson(inst, "{}");
  const text = new TextEncoder().encode(JSON.stringify(input));
  const addr = inst.exports.opa_malloc(text.length);
  new Uint8Array(inst.memory.buffer).set(text, addr);
  const start = inst.exports.opa_heap_ptr_get();
  const out = inst.exports.opa_eval(0, 0, data, addr, text.length, start, 0);
  const bytes = new Uint8Array(inst.memory.buffer);
  let end = out;
  while (bytes[end] !== 0) end++;
  const result = JSON.parse(new TextDecoder().decode(bytes.subarray(out, end))) as unknown;
  return { result, heap: inst.exports.opa_heap_ptr_get() - start };
}

describe("evaluation heap", () => {
  const n = 20_000;
  const input = { xs: Array.from({ length: n }, (_, i) => i % 3), ys: [1, 2] };
  // What parsing the input and answering takes: the queries below must add little to it.
  const parse = evaluate("package t\nk := 1", "x := data.t.k", input).heap;

  it("iterates an array without building its unused indices", () => {
    const source = "package t\nkinds := count({x | some x in input.xs})\nlarge := count({x | some x in input.xs; x > 1})";
    const { result, heap } = evaluate(source, "x := [data.t.kinds, data.t.large]", input);
    expect(result).toEqual([{ x: [3, 1] }]);
    // Before: a number per element and pass for the index and for the literal 1, 960 KB here.
    expect(heap - parse).toBeLessThan(4096);
  });

  it("still builds the index where the body reads it", () => {
    const source = "package t\nlast := [i | some i, x in input.xs; i > 19997]\ntwos := count([i | some i, x in input.xs; x == 2])";
    const { result } = evaluate(source, "x := [data.t.last, data.t.twos]", input);
    expect(result).toEqual([{ x: [[19998, 19999], Math.floor(n / 3)] }]);
  });

  it("shares small integers: a count and a sum per element allocate nothing", () => {
    const source = "package t\nsizes := count({d | some x in input.xs; d := x + count(input.ys)})";
    const { result, heap } = evaluate(source, "x := data.t.sizes", input);
    expect(result).toEqual([{ x: 3 }]);
    // Before: 16 bytes per element for the sum and as much for the count.
    expect(heap - parse).toBeLessThan(4096);
  });
});
