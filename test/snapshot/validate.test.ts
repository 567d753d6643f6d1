import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateSnapshot } from "../../src/snapshot/validate.ts";
import { assembleSnapshot } from "../../src/snapshot/assemble.ts";
import { readSnapshot, writeSnapshot } from "../../src/snapshot/store.ts";
import { parseJsonText } from "../../src/io/read-json.ts";
import { checkIntegrity } from "../../src/snapshot/integrity.ts";
import { UserInputError } from "../../src/errors.ts";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import type { Owner } from "../../src/snapshot/types.ts";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

function part(): SourcePart {
  return {
    source: {
      id: "cloud",
      kind: "entra",
      transport: "file",
      endpoint: "entra/",
      collectedAt: "2026-01-01T00:00:00.000Z",
      status: "ok",
      errors: [],
      counts: { accounts: 1 },
      queries: [{ step: "users", call: "GET /v1.0/users", resultCount: 1 }],
    },
    settings: { kind: "entra", ssprEnabled: "all" },
    passwordPolicies: [],
    accounts: [
      { id: "cloud:u1", source: "cloud", nativeIds: { objectId: "u1" }, name: "alice", kind: "human", enabled: true, privileged: false, owners: [], flags: {} },
    ],
    credentials: [],
    resetPaths: [
      { id: "cloud:reset:sspr:u1", source: "cloud", target: "cloud:u1", mechanism: "sspr", actor: { kind: "self", id: "cloud:u1" }, requiresUserCompletion: true },
    ],
  };
}

const goodSnapshot = () => assembleSnapshot([part()], { generator: { name: "credgov", version: "0.0.0" } }).snapshot;

describe("validateSnapshot", () => {
  it("accepts an assembled snapshot", () => {
    expect(validateSnapshot(goodSnapshot())).toEqual([]);
  });

  it("reports each problem as a JSON pointer and what is expected", () => {
    const bad = goodSnapshot() as unknown as { accounts: Record<string, unknown>[]; sources: Record<string, unknown>[] };
    bad.accounts[0].kind = "robot";
    delete bad.sources[0].status;
    bad.accounts[0].lastLogon = "yesterday";
    expect(validateSnapshot(bad)).toEqual(
      expect.arrayContaining([
        { pointer: "/accounts/0/kind", message: "must be one of human, service, computer, application, servicePrincipal, bot" },
        { pointer: "/sources/0/status", message: "is required" },
        { pointer: "/accounts/0/lastLogon", message: 'must match format "date-time"' },
      ]),
    );
  });
});

describe("snapshot store", () => {
  it("writes a snapshot that reads back identical and valid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-snap-"));
    const file = join(dir, "snapshot.json");
    const snapshot = goodSnapshot();
    await writeSnapshot(file, snapshot);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(snapshot);
    expect(await readSnapshot(file)).toEqual(snapshot);
  });
});

describe("parseJsonText", () => {
  it("names file, line and column of malformed JSON without quoting the content", () => {
    const text = '{\n  "value": [\n    {"id": "1", "secretText": "s3cr3t"},\n    {"id": "2",]\n}\n';
    try {
      parseJsonText(text, "entra/applications.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserInputError);
      const message = (error as UserInputError).format();
      expect(message).toMatch(/^entra\/applications\.json:4:16 malformed JSON: /);
      expect(message).not.toContain("s3cr3t");
    }
  });

  it("reports truncated input at its end and accepts a byte-order mark", () => {
    expect(() => parseJsonText('{"a": [1, 2', "x.json")).toThrow(/unexpected end of input/);
    try {
      parseJsonText('{"a": [1, 2', "x.json");
    } catch (error) {
      expect((error as UserInputError).column).toBe(12);
    }
    expect(parseJsonText('\ufeff{"a": 1}', "bom.json")).toEqual({ a: 1 });
  });

  it("reports a malformed document nested too deep to walk instead of overflowing the stack", () => {
    const deep = "[".repeat(200_000);
    expect(() => parseJsonText(deep, "deep.json")).toThrow(UserInputError);
    expect(() => parseJsonText(deep, "deep.json")).toThrow(/^malformed JSON: nested more than 2000 levels deep: not a document credgov reads$/);
    // Shallower malformed nesting still gets its exact position.
    expect(() => parseJsonText(`${"[".repeat(1500)}x`, "d.json")).toThrow(/expected a JSON value, unexpected character "x"/);
  });

  it("says how to save pages written one after another (gh api --paginate without --slurp)", () => {
    const refused = (text: string) => {
      try {
        parseJsonText(text, "github/members.json");
      } catch (error) {
        return (error as UserInputError).format();
      }
      return "accepted";
    };
    const hint = "a second JSON document starts after the first (pages saved one after another?): save every page in one JSON array (gh api --paginate --slurp, or jq -s .)";
    expect(refused('[{"id": 1}][{"id": 2}]\n')).toBe(`github/members.json:1:12 malformed JSON: ${hint}`);
    expect(refused('{"value": []}\n{"value": []}\n')).toBe(`github/members.json:2:1 malformed JSON: ${hint}`);
    expect(refused('[1] x')).toMatch(/:1:5 malformed JSON: unexpected data after the JSON value, unexpected character "x"$/);
  });
});

describe("credgov snapshot validate", () => {
  it("exits 0 on a valid snapshot and 2 with JSON pointers on an invalid one", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-snap-cli-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(goodSnapshot()));
    const ok = run("snapshot", "validate", good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("valid");

    const broken = goodSnapshot() as unknown as { accounts: Record<string, unknown>[] };
    broken.accounts[0].kind = "robot";
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(broken));
    const r = run("snapshot", "validate", bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("/accounts/0/kind: must be one of human, service, computer, application, servicePrincipal, bot");
  });

  it("exits 2 naming file:line:col for malformed JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-snap-cli-"));
    const file = join(dir, "broken.json");
    writeFileSync(file, '{\n  "schemaVersion": 1,\n  "sources": [}\n');
    const r = run("snapshot", "validate", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:3:15 malformed JSON`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("shows per-source counts", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-snap-cli-"));
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify(goodSnapshot()));
    const r = run("snapshot", "show", file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("cloud (entra, file) ok: accounts=1");
  });
});

describe("validateSnapshot on unknown keys", () => {
  it("names the unexpected key and the allowed ones", () => {
    const bad = goodSnapshot() as unknown as { credentials: unknown[] };
    bad.credentials = [{ id: "c", account: "a", source: "cloud", type: "token", managedBy: "user", rotation: "none", secretValue: "x" }];
    const problems = validateSnapshot(bad);
    expect(problems).toHaveLength(1);
    expect(problems[0].pointer).toBe("/credentials/0/secretValue");
    expect(problems[0].message).toMatch(/^is not a known key here \(expected one of id, account, source, type, /);
  });
});

describe("snapshot integrity", () => {
  it("reports duplicate ids and dangling references as JSON pointers", () => {
    const snapshot = goodSnapshot();
    snapshot.accounts.push({ ...snapshot.accounts[0] });
    snapshot.resetPaths[0].target = "cloud:nobody";
    snapshot.identities[0].accounts.push("gh:ghost");
    snapshot.settings.elsewhere = { kind: "github" };
    expect(checkIntegrity(snapshot)).toEqual([
      { pointer: "/accounts/1/id", message: 'duplicates the id of /accounts/0 ("cloud:u1")' },
      { pointer: "/resetPaths/0/target", message: 'names "cloud:nobody", which is neither an account nor a credential id' },
      { pointer: "/identities/0/accounts/1", message: 'names account "gh:ghost", which is not in /accounts' },
      { pointer: "/settings/elsewhere", message: "is keyed by a source id that is not in /sources" },
    ]);
    expect(checkIntegrity(goodSnapshot())).toEqual([]);
  });

  it("checks every id reference: credential holders, password policies, self actors, owners, ambiguous links", () => {
    const snapshot = goodSnapshot();
    const credential = (id: string, type: "password" | "actionsSecret" | "deployKey", account: string) => ({
      id,
      account,
      source: "cloud",
      type,
      managedBy: "unknown" as const,
      rotation: "none" as const,
      owners: [] as Owner[],
    });
    snapshot.credentials.push(
      credential("c0", "password", "cloud:u1"),
      credential("c1", "password", "nope:ghost"),
      // Actions secrets and deploy keys may be held by an org or repository of their source.
      credential("c2", "actionsSecret", "cloud:org:acme"),
      credential("c3", "deployKey", "cloud:repo:api"),
      // ... but a password never is, and a holder of another source is dangling.
      credential("c4", "password", "cloud:repo:api"),
      credential("c5", "deployKey", "other:repo:api"),
    );
    snapshot.credentials[0].owners!.push(
      { ref: "cloud:u1", name: "alice", source: "cloud", relation: "owner", status: "enabled" },
      { ref: "CN=raw,DC=example", name: null, source: "cloud", relation: "owner", status: "enabled" },
      { ref: "cloud:u9", name: null, source: "cloud", relation: "owner", status: "enabled" },
    );
    snapshot.accounts[0].passwordPolicy = "cloud:policy:none";
    snapshot.resetPaths[0].actor.id = "cloud:u2";
    snapshot.correlation = { ambiguous: [{ account: "cloud:u3", method: "upn", value: "x", candidates: [] }] };
    expect(checkIntegrity(snapshot)).toEqual([
      { pointer: "/credentials/1/account", message: 'names "nope:ghost", which is not in /accounts' },
      { pointer: "/credentials/4/account", message: 'names "cloud:repo:api", which is not in /accounts' },
      {
        pointer: "/credentials/5/account",
        message: 'names "other:repo:api", which is not in /accounts nor an organization/repository holder ("cloud:org:<name>", "cloud:repo:<name>")',
      },
      { pointer: "/accounts/0/passwordPolicy", message: 'names "cloud:policy:none", which is not in /passwordPolicies' },
      { pointer: "/resetPaths/0/actor/id", message: 'names account "cloud:u2" (actor kind self), which is not in /accounts' },
      { pointer: "/credentials/0/owners/2/ref", message: 'names account "cloud:u9", which is not in /accounts (an unresolved owner keeps its raw reference)' },
      { pointer: "/correlation/ambiguous/0/account", message: 'names account "cloud:u3", which is not in /accounts' },
    ]);
  });

  it("checks 300k accounts with credentials and reset paths and finds nothing to report (speed: npm run bench)", () => {
    const snapshot = goodSnapshot();
    const base = snapshot.accounts[0];
    for (let i = 0; i < 300_000; i++) {
      const id = `cloud:n${i}`;
      snapshot.accounts.push({ ...base, id, owners: [{ ref: "cloud:u1", name: null, source: "cloud", relation: "owner", status: "enabled" }] });
      snapshot.credentials.push({ id: `${id}:password`, account: id, source: "cloud", type: "password", managedBy: "user", rotation: "none", owners: [] });
      snapshot.resetPaths.push({ ...snapshot.resetPaths[0], id: `${id}:reset`, target: id, actor: { kind: "self", id } });
    }
    expect(checkIntegrity(snapshot)).toEqual([]);
  });

  it("makes credgov snapshot validate exit 2 on a dangling reference", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-snap-cli-"));
    const snapshot = goodSnapshot();
    snapshot.resetPaths[0].target = "cloud:nobody";
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify(snapshot));
    const r = run("snapshot", "validate", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/resetPaths/0/target: names "cloud:nobody", which is neither an account nor a credential id');
  });
});
