// graph.reachable_paths as OPA evaluates it since its fix of issue 5871 (pull request 8510): each
// branch of the walk has its own set of reached nodes, so a node reached through one sibling is
// still followed through the next. OPA's own case cycle_1022_3 now expects the path
// one-five-six-seven-eight-three; the copy of OPA's conformance suite CI runs (.ci/run) predates
// the fix and still expects the truncated one-five-six, which is the one case of that suite
// credgov does not pass.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../../src/policy/bundle/eval-query.ts";

async function paths(graph: unknown, initial: unknown): Promise<unknown> {
  const source = "package t\n\np := graph.reachable_paths(input.graph, input.initial)\n";
  const rs = await evalQuery({ modules: [{ file: "t.rego", source }], query: "x := data.t.p", input: { graph, initial } });
  return rs.map((r) => r.bindings.x);
}

describe("graph.reachable_paths (through compiler, Wasm back end and SDK)", () => {
  it("OPA's cycle_1022_3: a node reached through one sibling is still followed through the next", async () => {
    const graph = { one: ["two", "five"], two: ["four"], three: [""], four: ["three"], five: ["seven", "six"], six: ["nine", "seven"], seven: ["eight"], eight: ["three"], nine: [""] };
    expect(await paths(graph, ["one"])).toEqual([
      [
        ["one", "five", "seven", "eight", "three"],
        ["one", "five", "six", "nine"],
        ["one", "five", "six", "seven", "eight", "three"],
        ["one", "two", "four", "three"],
      ],
    ]);
  });

  it("issue 5871's graph: both routes from 4 to 1", async () => {
    const graph = { "1": [], "2": ["1"], "3": ["2"], "4": ["3", "2"], "5": ["4"] };
    expect(await paths(graph, ["5"])).toEqual([
      [
        ["5", "4", "2", "1"],
        ["5", "4", "3", "2", "1"],
      ],
    ]);
  });
});
