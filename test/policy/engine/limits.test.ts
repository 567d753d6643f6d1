// Evaluation limits: a package running past its deadline is stopped (its worker terminated) and
// its controls become `error` naming the deadline; a package past the memory ceiling, one calling
// test.sleep and one asking numbers.range for more than its limit are `error` with the reason; the
// other package still evaluates. Nothing here depends on how fast the machine is: the runaway
// package would run for hours, the others finish in milliseconds, and the deadline sits between.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCatalog } from "../../../src/policy/catalog/load.ts";
import type { Finding } from "../../../src/policy/engine/index.ts";
import { evaluateFixture } from "./fixtures.ts";

const packages: Record<string, string> = {
  // 10^12 iterations over a set's own members with a body that never holds: hours of pure Wasm
  // that allocate nothing (so the 64 MiB ceiling is not what stops it).
  runaway: `s := {x | some x in numbers.range(1, 10000)}
spin := count([1 | s[a]; s[b]; s[c]; a == b; b == c; a != c])
results contains {"control": "CG-LIM-001", "status": "pass", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if spin == 0`,
  // Tens of millions of values: far past a 64 MiB ceiling.
  hog: `r := numbers.range(1, 6000)
big := [x | some a in r; some b in r; x := a * b]
results contains {"control": "CG-LIM-002", "status": "pass", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if count(big) > 0`,
  sleeper: `results contains {"control": "CG-LIM-003", "status": "pass", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if test.sleep("1h")`,
  ranger: `results contains {"control": "CG-LIM-004", "status": "pass", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if count(numbers.range(1, 60000000)) > 0`,
  healthy: `results contains {"control": "CG-LIM-005", "status": "pass", "subject": {"id": "s"}, "evidence": {"accounts": count(input.accounts)}, "message": "m"} if true`,
};

const controlIds: Record<string, string> = { runaway: "CG-LIM-001", hog: "CG-LIM-002", sleeper: "CG-LIM-003", ranger: "CG-LIM-004", healthy: "CG-LIM-005" };

function setup(): { dir: string; catalog: ReturnType<typeof parseCatalog> } {
  const dir = mkdtempSync(join(tmpdir(), "credgov-limits-"));
  for (const [name, body] of Object.entries(packages)) writeFileSync(join(dir, `${name}.rego`), `package credgov.limits.${name}\n\n${body}\n`);
  const controls = Object.entries(controlIds).map(
    ([name, id]) => `  - id: ${id}
    title: Limit ${name}
    severity: high
    package: credgov.limits.${name}
    rationale: tests the engine's limits
    remediation: none
    rotation: { eligible: false, rotator: null }
    mappings: { nist_csf_2: [PR.AA-01], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [A.5.17] }`,
  );
  const catalog = parseCatalog(`version: 1\ncontrols:\n${controls.join("\n")}\n`, "catalog.yaml");
  return { dir, catalog };
}

describe("evaluation limits", () => {
  let findings: Finding[];
  let warnings: string[];
  beforeAll(async () => {
    const { dir, catalog } = setup();
    ({ findings, warnings } = await evaluateFixture("all-controls", { catalog, builtin: false, policyDirs: [dir], packageDeadlineMs: 8000, maxMemoryMiB: 64 }));
  }, 180_000);

  const statusOf = (id: string) => findings.filter((f) => f.controlId === id).map((f) => f.status);
  const warningFor = (name: string) => warnings.find((w) => w.startsWith(`credgov.limits.${name}:`)) ?? "";

  it("stops a package past its deadline; its controls are error naming the deadline", () => {
    expect(statusOf("CG-LIM-001")).toEqual(["error"]);
    expect(warningFor("runaway")).toContain("was stopped after 8 s (the per-package evaluation deadline; raise it with --eval-timeout or policies.evalTimeout in credgov.yaml)");
    expect(findings.find((f) => f.controlId === "CG-LIM-001")?.message).toContain("was stopped after 8 s");
  });

  it("reports a package past the memory ceiling as error, naming the ceiling and the flag", () => {
    expect(statusOf("CG-LIM-002")).toEqual(["error"]);
    expect(warningFor("hog")).toMatch(/the evaluation memory ceiling is 64 MiB; raise it with --eval-memory/);
  });

  it("refuses test.sleep during evaluation", () => {
    expect(statusOf("CG-LIM-003")).toEqual(["error"]);
    expect(warningFor("sleeper")).toContain("test.sleep is not allowed when evaluating a snapshot");
  });

  it("halts numbers.range past its limit instead of leaving the rule silently empty", () => {
    expect(statusOf("CG-LIM-004")).toEqual(["error"]);
    expect(warningFor("ranger")).toContain("numbers.range: range of 60000000 numbers is larger than the limit of 50000000");
  });

  it("still evaluates the other packages", () => {
    expect(statusOf("CG-LIM-005")).toEqual(["pass"]);
    expect(findings.find((f) => f.controlId === "CG-LIM-005")?.evidence).toEqual({ accounts: 25 });
  });
});
