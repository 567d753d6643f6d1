// Planning, secret generation and the rotation report, without servers: a small snapshot of an
// AD account synchronised to Entra (one identity), a gMSA, a disabled account, and the report's
// cross-directory completion from a later collection, validated against its published schema.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/policy/engine/finding.ts";
import { planFromFindings, planFromSelector } from "../../src/rotation/build-plan.ts";
import { parseAccountSelector } from "../../src/rotation/account-selector.ts";
import { generateSecret } from "../../src/rotation/generate-secret.ts";
import type { JournalContents } from "../../src/rotation/journal.ts";
import type { SecretConstraints } from "../../src/rotation/plan.ts";
import { buildRotationReport, renderRotationMarkdown } from "../../src/rotation/report.ts";
import type { Rotator } from "../../src/rotation/rotator.ts";
import { AdRotator } from "../../src/rotation/rotators/ad.ts";
import { rotationEvidence } from "../../src/report/evidence/rotation-report.ts";
import { createAjv } from "../../src/json-schema/ajv.ts";
import type { Account, Snapshot } from "../../src/snapshot/types.ts";

const base = "DC=corp,DC=example";
function adAccount(name: string, extra: Partial<Account> = {}): Account {
  return {
    id: `corp-ad:${name}`, source: "corp-ad", name, kind: "service", enabled: true, privileged: false, owners: [], flags: {},
    nativeIds: { dn: `CN=${name},OU=Service Accounts,${base}`, samAccountName: name, objectGuid: `guid-${name}` },
    passwordPolicy: "corp-ad:policy:domain", ...extra,
  };
}

const snapshot: Snapshot = {
  schemaVersion: 1,
  generatedAt: "2026-12-01T00:00:00Z",
  generator: { name: "credgov", version: "test" },
  sources: [
    { id: "corp-ad", kind: "ad", transport: "live", endpoint: "ldaps://dc1.corp.example:636", collectedAt: "2026-12-01T00:00:00Z", status: "ok", errors: [], counts: {}, queries: [] },
    { id: "entra", kind: "entra", transport: "file", endpoint: "exports/entra", collectedAt: "2026-12-01T00:00:00Z", status: "ok", errors: [], counts: {}, queries: [] },
  ],
  passwordPolicies: [{ id: "corp-ad:policy:domain", source: "corp-ad", scope: "domain", name: "Default Domain Policy", appliesTo: ["*"], minLength: 40, complexity: true }],
  accounts: [
    adAccount("svc-sync", { displayName: "Payroll Sync Agent" }),
    adAccount("gmsa-app$", { gmsa: true }),
    adAccount("svc-old", { enabled: false }),
    { id: "entra:u1", source: "entra", name: "svc-sync@corp.example", kind: "service", enabled: true, privileged: false, owners: [], flags: {}, nativeIds: { objectId: "u1", onPremisesImmutableId: "x" }, syncedFromOnPrem: true, passwordLastSet: "2026-01-01T00:00:00Z" },
  ],
  credentials: [
    { id: "corp-ad:svc-sync:password", account: "corp-ad:svc-sync", source: "corp-ad", type: "password", managedBy: "user", rotation: "none" },
    { id: "corp-ad:gmsa-app$:password", account: "corp-ad:gmsa-app$", source: "corp-ad", type: "password", managedBy: "enterprise", rotation: "gmsa" },
    { id: "corp-ad:svc-old:password", account: "corp-ad:svc-old", source: "corp-ad", type: "password", managedBy: "user", rotation: "none" },
  ],
  resetPaths: [],
  identities: [{ id: "identity:svc-sync", kind: "workload", accounts: ["corp-ad:svc-sync", "entra:u1"], links: [{ from: "corp-ad:svc-sync", to: "entra:u1", method: "objectGuid-immutableId", value: "x" }] }],
  settings: {},
};

function finding(controlId: string, subjectId: string, name: string, extra: Partial<Finding> = {}): Finding {
  return {
    controlId, title: controlId, severity: "high", status: "fail", subject: { source: "corp-ad", kind: "service", id: subjectId, name }, message: "", evidence: {},
    mappings: { nist_csf_2: [], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [] }, remediation: "", rotation: { eligible: true, rotator: "ad" }, ...extra,
  };
}

const adSource = { id: "corp-ad", kind: "ad" as const, url: "ldaps://dc1.corp.example:636", startTLS: false, tls: { rejectUnauthorized: true }, pageSize: 1000, timeoutMs: 1000 };
const rotators = new Map<string, Rotator>([["corp-ad", new AdRotator({ source: adSource, configDir: "/", env: {} })]]);
const input = { snapshot, snapshotPath: "snapshot.json", rotators, sinkKind: "age-file" as const, generatorVersion: "test", now: new Date("2026-12-02T00:00:00Z") };

describe("rotation plan", () => {
  const findings = [
    finding("CG-RESET-005", "corp-ad:svc-sync", "svc-sync"),
    finding("CG-NHI-001", "corp-ad:svc-sync:password", "svc-sync / password"),
    finding("CG-NHI-001", "corp-ad:gmsa-app$:password", "gmsa-app$ / password"),
    finding("CG-NHI-001", "corp-ad:svc-old:password", "svc-old / password"),
    finding("CG-HYG-006", "corp-ad:svc-sync", "svc-sync", { status: "pass" }),
    finding("CG-RESET-003", "corp-ad:svc-sync", "svc-sync", { rotation: { eligible: false, rotator: null } }),
  ];

  it("merges the findings of one credential, takes constraints from the effective policy, and lists skips with reasons", () => {
    const plan = planFromFindings(input, { findings, findingsPath: "findings.json" });
    expect(plan.items).toHaveLength(1);
    const item = plan.items[0]!;
    expect(item).toMatchObject({ id: "0001", order: 1, credential: "corp-ad:svc-sync:password", rotator: "ad", reasons: ["CG-NHI-001", "CG-RESET-005"], sink: { kind: "age-file", location: "corp-ad/svc-sync" } });
    expect(item.source.endpoint).toBe("ldaps://dc1.corp.example:636");
    expect(item.constraints).toMatchObject({ minLength: 40, maxLength: 256, policy: "corp-ad:policy:domain" });
    expect(item.constraints.forbiddenSubstrings).toEqual(["svc-sync", "payroll", "sync", "agent"]);
    expect(item.linkedAccounts).toEqual([{ id: "entra:u1", source: "entra", kind: "service", name: "svc-sync@corp.example", via: "objectGuid-immutableId", sharesPassword: true }]);
    expect(plan.skipped.map((s) => [s.name, s.skip])).toEqual([
      ["gmsa-app$", "gMSA: the domain rotates its password"],
      ["svc-old", "disabled account: a new password could not be verified by binding"],
    ]);
  });

  it("gives every credential a location of its own: one whose name had characters replaced, or that reads like another's, gets a hash of its id", () => {
    const names = ["svc a+b", "svc a_b", "svc_a_b"];
    const crowded: Snapshot = {
      ...snapshot,
      accounts: [...snapshot.accounts, ...names.map((n) => adAccount(n))],
      credentials: [...snapshot.credentials, ...names.map((n) => ({ id: `corp-ad:${n}:password`, account: `corp-ad:${n}`, source: "corp-ad", type: "password" as const, managedBy: "user" as const, rotation: "none" as const }))],
    };
    const plan = planFromSelector({ ...input, snapshot: crowded }, parseAccountSelector("source=corp-ad"));
    const location = (name: string) => plan.items.find((i) => i.account.name === name)!.sink.location;
    const crowdedLocations = names.map(location);
    expect(new Set(crowdedLocations).size).toBe(3);
    for (const l of crowdedLocations) expect(l).toMatch(/^corp-ad\/svc_a_b-[0-9a-f]{8}$/);
    // The same credential gets the same location in every plan.
    expect(location("svc a+b")).toBe(planFromSelector({ ...input, snapshot: crowded }, parseAccountSelector("source=corp-ad")).items.find((i) => i.account.name === "svc a+b")!.sink.location);
    // A name that is already path-safe and nobody else's stays as it is.
    expect(location("svc-sync")).toBe("corp-ad/svc-sync");
  });

  it("filters by control and by subject glob", () => {
    expect(planFromFindings(input, { findings, findingsPath: "f", controls: ["CG-RESET-005"] }).items[0]!.reasons).toEqual(["CG-RESET-005"]);
    expect(planFromFindings(input, { findings, findingsPath: "f", subjects: ["gmsa*"] }).items).toHaveLength(0);
    expect(planFromFindings(input, { findings, findingsPath: "f", subjects: ["SVC-SYNC"] }).items).toHaveLength(1);
  });

  it("selects accounts for a mass reset (enabled only unless enabled=any) and refuses an empty or unknown selector", () => {
    const plan = planFromSelector(input, parseAccountSelector(`source=corp-ad;ou=OU=Service Accounts,${base}`));
    expect(plan.items.map((i) => i.account.name)).toEqual(["svc-sync"]);
    expect(plan.skipped.map((s) => s.name)).toEqual(["gmsa-app$"]);
    // The OU spelled another way (RFC 4514: case, spaces, a hex escape) selects the same accounts.
    const respelled = planFromSelector(input, parseAccountSelector("source=corp-ad;ou=ou = Service\\20Accounts , dc=CORP,dc=example"));
    expect(respelled.items.map((i) => i.account.name)).toEqual(["svc-sync"]);
    expect(planFromSelector(input, parseAccountSelector("source=corp-ad;enabled=any")).skipped.map((s) => s.name)).toEqual(["gmsa-app$", "svc-old"]);
    expect(() => parseAccountSelector("enabled=true")).toThrow(/at least one of source/);
    expect(() => parseAccountSelector("colour=blue")).toThrow(/key one of source, kind, ou/);
  });

  it("refuses plain LDAP for AD password writes", () => {
    const plain = new AdRotator({ source: { ...adSource, url: "ldap://dc1.corp.example:389" }, configDir: "/", env: {} });
    const plan = planFromFindings({ ...input, rotators: new Map([["corp-ad", plain]]) }, { findings, findingsPath: "f" });
    expect(plan.items).toHaveLength(0);
    expect(plan.skipped.find((s) => s.name === "svc-sync")!.skip).toBe("plain LDAP: password writes need ldaps:// or startTLS: true");
  });
});

describe("secret generation", () => {
  const constraints: SecretConstraints = { minLength: 20, maxLength: 256, requiredClasses: ["lower", "upper", "digit", "symbol"], forbiddenSubstrings: ["ab", "svc-sync"] };

  it("meets length, every class, and avoids forbidden substrings, in every draw", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const secret = generateSecret(constraints, 24);
      expect(secret).toHaveLength(24);
      expect(secret).toMatch(/[a-z]/);
      expect(secret).toMatch(/[A-Z]/);
      expect(secret).toMatch(/[0-9]/);
      expect(secret).toMatch(/[^A-Za-z0-9]/);
      expect(secret).not.toMatch(/["'\\ $`]/);
      expect(secret.toLowerCase()).not.toContain("ab");
      seen.add(secret);
    }
    expect(seen.size).toBe(2000);
  });

  it("takes the policy's length when it is longer than the configured minimum, and refuses impossible limits", () => {
    expect(generateSecret({ ...constraints, minLength: 64 }, 32)).toHaveLength(64);
    expect(() => generateSecret({ ...constraints, minLength: 300 }, 32)).toThrow(/exceeds maximum 256/);
  });
});

describe("rotation report", () => {
  const plan = planFromFindings(input, { findings: [finding("CG-RESET-005", "corp-ad:svc-sync", "svc-sync")], findingsPath: "findings.json" });
  const journal: JournalContents = {
    run: { type: "run", journalVersion: 1, planDigest: "a".repeat(64), plan: "plan.json", startedAt: "2026-12-02T10:00:00.000Z", fingerprintSalt: "00", host: "h", pid: 1 },
    items: new Map([["0001", { item: "0001", state: "committed", lastGood: "committed", attempt: 1, sinkVersion: 3, firstAt: "2026-12-02T10:00:00.100Z", lastAt: "2026-12-02T10:00:01.000Z", verifiedAt: "2026-12-02T10:00:00.800Z", committedAt: "2026-12-02T10:00:01.000Z" }]]),
    sessions: [{ type: "session", event: "start", at: "2026-12-02T10:00:00.000Z", command: "apply", pid: 1 }, { type: "session", event: "end", at: "2026-12-02T10:00:02.000Z", command: "apply", pid: 1, outcome: "completed" }],
    completeLength: 0,
  };
  const validate = createAjv().compile(JSON.parse(readFileSync(new URL("../../schemas/rotation-report.schema.json", import.meta.url), "utf8")));
  const entraChangedAt = (at: string): Snapshot => ({ ...snapshot, generatedAt: "2026-12-02T11:00:00Z", accounts: snapshot.accounts.map((a) => (a.id === "entra:u1" ? { ...a, passwordLastSet: at } : a)) });

  it("marks the synchronised Entra account pending until a later collection shows the change", () => {
    const report = buildRotationReport({ plan, planPath: "plan.json", journal, journalPath: "plan.journal.jsonl", now: new Date("2026-12-02T10:05:00Z") });
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.items[0]!.directories.map((d) => [d.source, d.status])).toEqual([["corp-ad", "rotated"], ["entra", "pending"]]);
    expect(report.items[0]!.complete).toBe(false);
    expect(report.summary).toMatchObject({ committed: 1, complete: 0, crossDirectoryPending: 1 });
    // The evidence pack reads every directory of the report rotate writes.
    expect(rotationEvidence(report, "plan.report.json").items[0]!.agreement).toBe("corp-ad: rotated, entra: pending (incomplete)");
    // A later collection from before the rotation does not count.
    const stale = buildRotationReport({ plan, planPath: "plan.json", journal, journalPath: "j", later: { snapshot: entraChangedAt("2026-12-02T09:00:00Z"), path: "later.json" } });
    expect(stale.items[0]!.directories[1]!.status).toBe("pending");
  });

  it("marks the item complete when the later collection shows Entra took the change", () => {
    const report = buildRotationReport({ plan, planPath: "plan.json", journal, journalPath: "j", later: { snapshot: entraChangedAt("2026-12-02T10:03:00Z"), path: "later.json" } });
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.items[0]!.directories[1]).toMatchObject({ status: "changed", evidence: "later collection shows the password changed at 2026-12-02T10:03:00Z" });
    expect(report.items[0]!.complete).toBe(true);
    expect(report.summary).toMatchObject({ complete: 1, crossDirectoryPending: 0 });
    expect(rotationEvidence(JSON.parse(JSON.stringify(report)), "plan.report.json").items[0]!.agreement).toBe("corp-ad: rotated, entra: changed (complete)");
    const markdown = renderRotationMarkdown(report);
    expect(markdown).toContain("| 0001 | svc-sync | corp-ad | CG-RESET-005 | committed | 2026-12-02T10:00:00.800Z | 3 | entra: changed | yes |");
  });

  it("reports a failed item with its step and leaves it incomplete", () => {
    const failed: JournalContents = { ...journal, items: new Map([["0001", { item: "0001", state: "failed", lastGood: "stored-pending", attempt: 2, firstAt: "x", lastAt: "y", error: { step: "set unicodePwd", message: "ldaps://dc1: set unicodePwd: constraint violation", code: "ldap-19" } }]]) };
    const report = buildRotationReport({ plan, planPath: "plan.json", journal: failed, journalPath: "j" });
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.items[0]).toMatchObject({ state: "failed", complete: false, verification: "not-verified", sink: { version: null }, error: { step: "set unicodePwd", code: "ldap-19" } });
    expect(report.summary).toMatchObject({ failed: 1, committed: 0 });
  });
});

