// strings.split_n as OPA evaluates it (OPA's own cases, test-splitn.yaml of its test suite): n > 0
// keeps the first n parts and drops the rest of the string, n < 0 keeps the last -n parts, 0 gives
// none; an empty delimiter splits into characters. Not Go's strings.SplitN, whose last part is
// the unsplit remainder.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../../src/policy/bundle/eval-query.ts";
import { splitN as hostSplitN } from "../../../../src/policy/wasm/host-builtins/strings.ts";

async function splitN(s: string, delimiter: string, n: number): Promise<unknown> {
  const source = "package t\n\np := strings.split_n(input.s, input.d, input.n)\n";
  const rs = await evalQuery({ modules: [{ file: "t.rego", source }], query: "x := data.t.p", input: { s, d: delimiter, n } });
  return rs.map((r) => r.bindings.x);
}

describe("strings.split_n (through compiler, Wasm back end and SDK)", () => {
  it.each([
    ["positive_basic", "a.b.c.d", ".", 2, ["a", "b"]],
    ["positive_one", "a.b.c.d", ".", 1, ["a"]],
    ["positive_exact", "a.b.c.d", ".", 4, ["a", "b", "c", "d"]],
    ["positive_more_than_parts", "a.b.c.d", ".", 10, ["a", "b", "c", "d"]],
    ["zero", "a.b.c.d", ".", 0, []],
    ["negative_basic", "a.b.c.d", ".", -2, ["c", "d"]],
    ["negative_one", "a.b.c.d", ".", -1, ["d"]],
    ["negative_exact", "a.b.c.d", ".", -4, ["a", "b", "c", "d"]],
    ["negative_more_than_parts", "a.b.c.d", ".", -10, ["a", "b", "c", "d"]],
    ["no_delimiter_found_positive", "abc", ".", 2, ["abc"]],
    ["no_delimiter_found_negative", "abc", ".", -2, ["abc"]],
    ["empty_string", "", ".", 2, [""]],
    ["empty_delimiter_positive", "abc", "", 2, ["a", "b"]],
    ["empty_delimiter_negative", "abc", "", -2, ["b", "c"]],
  ] as const)("%s", async (_note, s, delimiter, n, want) => {
    expect(await splitN(s, delimiter, n)).toEqual([want]);
  });

  it("usecase_positive and usecase_negative: destructure the first or last two fields", async () => {
    const source = "package t\n\nfirst := [a, b] if [a, b] := strings.split_n(input.u, \";\", 2)\n\nlast := [a, b] if [a, b] := strings.split_n(input.v, \";\", -2)\n";
    const rs = await evalQuery({
      modules: [{ file: "t.rego", source }],
      query: "x := [data.t.first, data.t.last]",
      input: { u: "alice;alice@example.com;admin;active", v: "admin;active;alice;alice@example.com" },
    });
    expect(rs.map((r) => r.bindings.x)).toEqual([[["alice", "alice@example.com"], ["alice", "alice@example.com"]]]);
  });

  // Wasm evaluation reports a builtin error as no result (OPA's Wasm target does too), so OPA's
  // strict error is checked on the host implementation the compiled policy calls.
  it("non_integer_n: OPA's eval_type_error", async () => {
    expect(await splitN("a.b.c", ".", 1.5)).toEqual([]);
    expect(() => hostSplitN("a.b.c", ".", 1.5)).toThrow("strings.split_n: operand 3 must be integer number but got floating-point number");
  });
});
