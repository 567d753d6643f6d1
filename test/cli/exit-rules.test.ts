// The incomplete-run rule, end to end through the CLI: an `error` or `not_evaluated` finding,
// or a source that is not ok, exits 3 (before --fail-on) unless --allow-incomplete;
// not_applicable never does; evaluate checks snapshot integrity and refuses unusable bundles.
// Each case is one of the "errors that do not fail the run".
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as tar from "tar";
import type { Snapshot } from "../../src/snapshot/types.ts";

const TIMEOUT = 300_000;
const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));
const fixtures = fileURLToPath(new URL("../fixtures/snapshots/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "credgov-exit-"));

function credgov(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const allControls = () => JSON.parse(readFileSync(join(fixtures, "all-controls.json"), "utf8")) as Snapshot;

function write(name: string, snapshot: Snapshot | string): string {
  const file = join(dir, name);
  writeFileSync(file, typeof snapshot === "string" ? snapshot : JSON.stringify(snapshot));
  return file;
}

describe("exit 3 for an incomplete run", () => {
  it(
    "a complete snapshot with high failures exits 1; the same run over collection errors exits 3, or 1 with --allow-incomplete",
    () => {
      expect(credgov("evaluate", "--snapshot", join(fixtures, "all-controls.json"), "--fail-on", "high").code).toBe(1);
      const r = credgov("evaluate", "--snapshot", join(fixtures, "collection-errors.json"), "--fail-on", "high");
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/incomplete: source\(s\) not collected in full: corp-entra \(partial\), gh-acme \(error\)/);
      expect(r.stderr).toMatch(/incomplete: \d+ control\(s\) could not be evaluated \(error\): CG-/);
      expect(credgov("evaluate", "--snapshot", join(fixtures, "collection-errors.json"), "--fail-on", "high", "--allow-incomplete").code).toBe(1);
    },
    TIMEOUT,
  );

  it(
    "a snapshot whose only source has status error exits 3 even with --fail-on none",
    () => {
      const s = allControls();
      s.sources = [{ ...s.sources.find((x) => x.kind === "ad")!, status: "error", errors: [{ step: "connect", message: "connection refused" }] }];
      const id = s.sources[0].id;
      s.accounts = s.accounts.filter((a) => a.source === id);
      s.credentials = [];
      s.resetPaths = [];
      s.identities = [];
      s.passwordPolicies = [];
      s.correlation = { ambiguous: [] };
      for (const a of s.accounts) delete a.passwordPolicy;
      s.settings = { [id]: s.settings[id] };
      const r = credgov("evaluate", "--snapshot", write("only-error.json", s), "--fail-on", "none");
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(3);
    },
    TIMEOUT,
  );

  it(
    "a partial source without errors gets no pass, only error (and the fails its data shows), and exits 3",
    () => {
      const s = allControls();
      s.sources = s.sources.map((x) => (x.kind === "ad" ? { ...x, status: "partial" as const, errors: [] } : x));
      const out = join(dir, "partial-out");
      const r = credgov("evaluate", "--snapshot", write("partial.json", s), "--fail-on", "none", "--out", out);
      expect(r.code).toBe(3);
      const findings = JSON.parse(readFileSync(join(out, "findings.json"), "utf8")) as { controlId: string; status: string; subject: { source: string } }[];
      const adIds = new Set(s.sources.filter((x) => x.kind === "ad").map((x) => x.id));
      const ad = findings.filter((f) => f.controlId === "CG-HYG-001" && adIds.has(f.subject.source));
      expect(ad.filter((f) => f.status === "error")).toHaveLength(adIds.size);
      expect(ad.filter((f) => f.status === "pass")).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "not_applicable (no source of a control's kind) does not make the run incomplete",
    () => {
      const s = allControls();
      const keep = new Set(s.sources.filter((x) => x.kind === "ad").map((x) => x.id));
      s.sources = s.sources.filter((x) => keep.has(x.id));
      s.accounts = s.accounts.filter((a) => keep.has(a.source));
      const ids = new Set(s.accounts.map((a) => a.id));
      s.credentials = s.credentials.filter((c) => keep.has(c.source) && ids.has(c.account));
      s.resetPaths = s.resetPaths.filter((p) => keep.has(p.source) && (ids.has(p.target) || s.credentials.some((c) => c.id === p.target)) && (p.actor.kind !== "self" || ids.has(p.actor.id)));
      s.passwordPolicies = s.passwordPolicies.filter((p) => keep.has(p.source));
      s.identities = s.identities.map((i) => ({ ...i, accounts: i.accounts.filter((a) => ids.has(a)) })).filter((i) => i.accounts.length > 0);
      s.correlation = { ambiguous: [] };
      s.settings = Object.fromEntries(Object.entries(s.settings).filter(([k]) => keep.has(k)));
      for (const a of s.accounts) a.owners = a.owners.filter((o) => !o.ref.includes(":") || ids.has(o.ref) || !keep.has(o.source));
      const out = join(dir, "ad-only");
      const r = credgov("evaluate", "--snapshot", write("ad-only.json", s), "--fail-on", "none", "--out", out);
      expect(r.stderr).not.toMatch(/integrity/);
      expect(r.code).toBe(0);
      const findings = JSON.parse(readFileSync(join(out, "findings.json"), "utf8")) as { controlId: string; status: string; message: string }[];
      const saas = findings.filter((f) => f.controlId === "CG-SAAS-001");
      expect(saas).toEqual([expect.objectContaining({ status: "not_applicable", message: "CG-SAAS-001 not applicable to estate: no github source in the snapshot" })]);
    },
    TIMEOUT,
  );
});

describe("a subject left unjudged", () => {
  // CG-HYG-006 needs a privileged password's age and whether it expires.
  const unjudged = (edit: (s: Snapshot) => void, name: string) => {
    const s = allControls();
    edit(s);
    const out = join(dir, name);
    const r = credgov("evaluate", "--snapshot", write(`${name}.json`, s), "--fail-on", "none", "--out", out);
    const findings = JSON.parse(readFileSync(join(out, "findings.json"), "utf8")) as { controlId: string; status: string; subject: { id: string }; evidence: Record<string, unknown> }[];
    return { code: r.code, stderr: r.stderr, hyg006: findings.filter((f) => f.controlId === "CG-HYG-006" && (f.status === "fail" || f.status === "not_evaluated")) };
  };
  const account = (s: Snapshot, id: string) => s.accounts.find((a) => a.id === id)!;

  it(
    "by a time the source keeps no value for (AD pwdLastSet 0) is not_evaluated and leaves the run complete",
    () => {
      const r = unjudged((s) => {
        Object.assign(account(s, "corp-ad:da-ops"), { passwordLastSet: null, created: "2020-01-01T00:00:00Z" });
      }, "pending-reset");
      expect(r.code, r.stderr).toBe(0);
      expect(r.hyg006.map((f) => [f.subject.id, f.status, f.evidence.notRecordedBySource])).toEqual([
        ["corp-ad:da-admin", "fail", undefined],
        ["corp-ad:da-ops", "not_evaluated", true],
      ]);
    },
    TIMEOUT,
  );

  it(
    "by a fact collection should have supplied (no password policy known) is not_evaluated and exits 3",
    () => {
      const r = unjudged((s) => {
        account(s, "corp-entra:gadmin").passwordLastSet = "2020-01-01T00:00:00Z";
      }, "expiry-unknown");
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/incomplete: 1 control\(s\) not evaluated for lack of data: CG-HYG-006/);
      expect(r.hyg006.filter((f) => f.status === "not_evaluated").map((f) => [f.subject.id, f.evidence.notRecordedBySource])).toEqual([["corp-entra:gadmin", false]]);
    },
    TIMEOUT,
  );
});

describe("input errors that used to pass quietly", () => {
  it(
    "a snapshot starting with a byte-order mark is evaluated like the same snapshot without one",
    () => {
      const text = readFileSync(join(fixtures, "all-controls.json"), "utf8");
      const plain = join(dir, "plain-out");
      const bom = join(dir, "bom-out");
      expect(credgov("evaluate", "--snapshot", write("plain.json", text), "--out", plain, "--fail-on", "none").code).toBe(0);
      const r = credgov("evaluate", "--snapshot", write("bom.json", `\uFEFF${text}`), "--out", bom, "--fail-on", "none");
      expect(r.code, r.stderr).toBe(0);
      const strip = (f: string) => (JSON.parse(readFileSync(f, "utf8")) as { status: string }[]).map((x) => x.status).join();
      expect(strip(join(bom, "findings.json"))).toBe(strip(join(plain, "findings.json")));
      expect(readFileSync(join(bom, "findings.json"), "utf8")).not.toMatch(/"status": ?"error"/);
    },
    TIMEOUT,
  );

  it(
    "evaluate runs the integrity checks: a duplicate account id is an input error naming both places",
    () => {
      const s = allControls();
      s.accounts.push({ ...s.accounts[0] });
      const r = credgov("evaluate", "--snapshot", write("dup.json", s), "--fail-on", "none");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`/accounts/${s.accounts.length - 1}/id: duplicates the id of /accounts/0`);
    },
    TIMEOUT,
  );

  it(
    "a bundle with a garbage policy.wasm is an input error (exit 2), not a run of errors",
    async () => {
      const root = join(dir, "bundle-root");
      const { mkdirSync } = await import("node:fs");
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, "policy.wasm"), "this is not wasm");
      writeFileSync(join(root, "data.json"), "{}");
      writeFileSync(join(root, ".manifest"), JSON.stringify({ revision: "", roots: [""], wasm: [{ entrypoint: "credgov/x/results", module: "/policy.wasm" }] }));
      const bundle = join(dir, "garbage.tar.gz");
      await tar.create({ gzip: true, file: bundle, cwd: root }, ["/policy.wasm", "/data.json", "/.manifest"].map((p) => p.slice(1)));
      const r = credgov("evaluate", "--snapshot", join(fixtures, "all-controls.json"), "--no-builtin-policies", "--bundle", bundle, "--fail-on", "none");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/garbage\.tar\.gz --bundle: (unusable policy bundle|cannot read the policy bundle)/);
    },
    TIMEOUT,
  );
});
