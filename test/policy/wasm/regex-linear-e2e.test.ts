// regex builtins through a compiled policy: patterns the in-module matcher answers and patterns
// it leaves to the host ((?i) flags, regex.split) both run on linear-time engines, so a policy
// with a pathological pattern over a long value returns its answer instead of hanging.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../src/policy/bundle/eval-query.ts";

const module = {
  file: "p.rego",
  source: `package p

in_module := regex.match("^(a+)+$", input.text)
on_host := regex.match("(?i)^(a+)+$", input.text)
parts := regex.split("(,)+", input.list)
`,
};

async function value(rule: string, input: unknown): Promise<unknown> {
  const rs = await evalQuery({ modules: [module], query: `x := data.p.${rule}`, input });
  return rs[0]?.bindings.x;
}

describe("regex builtins in a compiled policy", () => {
  const text = "a".repeat(30000) + "b";
  it("answer (a+)+$ over 30,000 characters in the module and on the host", async () => {
    expect(await value("in_module", { text })).toBe(false);
    expect(await value("on_host", { text })).toBe(false);
    expect(await value("on_host", { text: "A".repeat(30000) })).toBe(true);
  }, 60_000);

  it("split with Go's semantics (the SDK's own regex.split is JavaScript's)", async () => {
    expect(await value("parts", { list: "a,b,,c" })).toEqual(["a", "b", "c"]);
  }, 60_000);
});
