import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { readBundle } from "../../../src/policy/bundle/bundle.ts";
import { loadBackEnd } from "../../../src/policy/bundle/wasm-backend.ts";

const bin = new URL("../../../bin/credgov.js", import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

function policyDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "credgov-policy-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const RESET = [
  "package credgov.reset",
  "",
  "violations contains id if {",
  "\tsome a in input.accounts",
  "\ta.mustChange",
  "\tnot a.id in data.exempt",
  "\tid := a.id",
  "}",
  "",
].join("\n");

describe("credgov policy build", () => {
  it("builds policy.wasm, manifest and an OPA-style bundle that the SDK evaluates", async () => {
    const dir = policyDir({ "credgov/reset/reset.rego": RESET, "exempt/data.json": '["u2"]', "lib/helpers.rego": "package lib\n\nf(x) := x\n" });
    const out = path.join(dir, "out");
    const r = run("policy", "build", "--policies", dir, "--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("credgov/reset/violations");
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.wasm).toEqual([{ entrypoint: "credgov/reset/violations", module: "/policy.wasm" }]);
    expect(Object.keys(manifest.metadata.credgov.sources).sort()).toEqual(["credgov/reset/reset.rego", "exempt/data.json", "lib/helpers.rego"]);
    expect(manifest.metadata.credgov.sources["credgov/reset/reset.rego"]).toMatch(/^[0-9a-f]{64}$/);

    const bundle = await readBundle(path.join(out, "bundle.tar.gz"));
    expect(bundle.data).toEqual({ exempt: ["u2"] });
    const policy = await loadPolicy(bundle.wasm, undefined, (await loadBackEnd()).hostBuiltins as never);
    policy.setData(bundle.data);
    const input = { accounts: [{ id: "u1", mustChange: true }, { id: "u2", mustChange: true }, { id: "u3" }] };
    expect(policy.evaluate(input, "credgov/reset/violations")).toEqual([{ result: ["u1"] }]);
  });

  it("prints compile errors with positions and exits 2", () => {
    const dir = policyDir({ "credgov/x/x.rego": "package credgov.x\n\ndeny contains m if {\n\tm := y\n}\n" });
    const r = run("policy", "build", "--policies", dir, "--out", path.join(dir, "out"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, "credgov/x/x.rego")}:4:2: rego_unsafe_var_error: var y is unsafe`);
    expect(r.stderr).not.toContain("    at ");
  });

  it("names the file and line of malformed data", () => {
    const dir = policyDir({ "credgov/x/x.rego": "package credgov.x\n\ndeny contains 1\n", "data.json": '{\n  "a": 1,\n  oops\n}' });
    const r = run("policy", "build", "--policies", dir, "--out", path.join(dir, "out"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/data\.json:3:\d+ invalid JSON/);
  });
});

describe("credgov policy test", () => {
  const TESTS = [
    "package credgov.reset_test",
    "",
    "import data.credgov.reset",
    "",
    'test_flags_user if { reset.violations == {"u1"} with input as {"accounts": [{"id": "u1", "mustChange": true}]} }',
    'test_exempt_user if { count(reset.violations) == 0 with input as {"accounts": [{"id": "u2", "mustChange": true}]} }',
    'test_wrong if { reset.violations == {"nobody"} with input as {"accounts": []} }',
    "todo_test_later if { false }",
    "",
  ].join("\n");

  it("reports PASS/FAIL per test and exits 1 on a failure", () => {
    const dir = policyDir({ "reset.rego": RESET, "reset_test.rego": TESTS, "exempt/data.json": '["u2"]' });
    const r = run("policy", "test", dir, "-v");
    expect(r.stdout).toContain("data.credgov.reset_test.test_flags_user: PASS");
    expect(r.stdout).toContain("data.credgov.reset_test.test_exempt_user: PASS");
    expect(r.stdout).toContain("data.credgov.reset_test.test_wrong: FAIL");
    expect(r.stdout).toContain("data.credgov.reset_test.todo_test_later: SKIPPED");
    expect(r.stdout).toContain("PASS: 2/4");
    expect(r.stdout).toContain("SKIPPED: 1/4");
    expect(r.status).toBe(1);
  });

  it("--run selects tests and exits 0 when all selected pass", () => {
    const dir = policyDir({ "reset.rego": RESET, "reset_test.rego": TESTS, "exempt/data.json": '["u2"]' });
    const r = run("policy", "test", dir, "--run", "test_(flags|exempt)");
    expect(r.stdout).toContain("PASS: 2/2");
    expect(r.stdout).not.toContain("todo_test_later");
    expect(r.status).toBe(0);
  });

  it("exits 2 with positioned compile errors", () => {
    const dir = policyDir({ "a_test.rego": "package t\n\ntest_x if {\n\tnosuch(1)\n}\n" });
    const r = run("policy", "test", dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("a_test.rego:4:2: rego_type_error: undefined function nosuch");
  });
});
