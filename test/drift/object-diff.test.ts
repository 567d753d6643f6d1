// Scan-to-scan at object level: every kind of object added, removed and changed, with
// before/after values, matched by id.
import { describe, expect, it } from "vitest";
import { diffSnapshots, objectKinds } from "../../src/drift/object-diff.ts";
import { estate } from "./estate-fixture.ts";

describe("object-level changes between two snapshots", () => {
  it("finds nothing between a snapshot and its copy", () => {
    const diff = diffSnapshots(estate(), estate());
    expect(diff.changes).toEqual([]);
    expect(diff.counts.accounts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 4 });
  });

  it("reports every kind: accounts, credentials, reset paths, password policies, identities and settings", () => {
    const before = estate();
    before.identities = [{ id: "person:alice", name: "Alice", kind: "person", accounts: ["corp-ad:alice"], links: [] }];
    const after = estate();
    // accounts: one disabled, one removed, one added
    after.accounts[0].enabled = false;
    after.accounts[0].flags = { passwordNeverExpires: true };
    after.accounts = after.accounts.filter((a) => a.name !== "alice");
    after.accounts.push({ id: "corp-ad:bob", source: "corp-ad", nativeIds: {}, name: "bob", kind: "human", enabled: true, privileged: false, owners: [], flags: {} });
    // credentials: one rotated, one removed
    after.credentials[0].created = "2026-10-30T00:00:00.000Z";
    after.credentials = after.credentials.filter((c) => c.id !== "entra:app:cert");
    // reset paths: the Help Desk loses its right, a new one appears
    after.resetPaths = after.resetPaths.filter((r) => r.id !== "r1");
    after.resetPaths.push({ id: "r5", source: "corp-ad", target: "corp-ad:bob", mechanism: "delegated-acl", actor: { kind: "group", id: "CN=Help Desk", name: "Help Desk" }, requiresUserCompletion: false });
    // password policies: the domain minimum length raised
    after.passwordPolicies[0].minLength = 14;
    // identities: one changed (a new account), one added
    after.identities = [
      { id: "person:alice", name: "Alice", kind: "person", accounts: ["corp-ad:alice", "entra:alice"], links: [] },
      { id: "person:bob", name: "Bob", kind: "person", accounts: ["corp-ad:bob"], links: [] },
    ];
    // settings: writeback turned on, a source's settings removed
    after.settings.entra = { ...after.settings.entra, passwordWritebackEnabled: true };
    delete after.settings.legacy;

    const diff = diffSnapshots(before, after);
    const find = (kind: string, id: string) => diff.changes.find((c) => c.kind === kind && c.id === id);
    expect(find("accounts", "corp-ad:svc-a")).toMatchObject({
      change: "changed",
      name: "svc-a",
      source: "corp-ad",
      fields: [
        { field: "enabled", before: true, after: false },
        { field: "flags.passwordNeverExpires", before: null, after: true },
      ],
    });
    expect(find("accounts", "corp-ad:alice")).toMatchObject({ change: "removed", before: { name: "alice" } });
    expect(find("accounts", "corp-ad:bob")).toMatchObject({ change: "added", after: { name: "bob" } });
    expect(find("credentials", "entra:app:secret")?.fields).toEqual([{ field: "created", before: before.credentials[0].created, after: "2026-10-30T00:00:00.000Z" }]);
    expect(find("credentials", "entra:app:cert")?.change).toBe("removed");
    expect(find("resetPaths", "r1")).toMatchObject({ change: "removed", name: "Help Desk -> corp-ad:svc-a (delegated-acl)" });
    expect(find("resetPaths", "r5")?.change).toBe("added");
    expect(find("passwordPolicies", "corp-ad:policy:domain")?.fields).toEqual([{ field: "minLength", before: 8, after: 14 }]);
    expect(find("identities", "person:alice")?.fields).toEqual([{ field: "accounts", before: ["corp-ad:alice"], after: ["corp-ad:alice", "entra:alice"] }]);
    expect(find("identities", "person:bob")?.change).toBe("added");
    expect(find("settings", "entra")?.fields).toEqual([{ field: "passwordWritebackEnabled", before: false, after: true }]);
    expect(find("settings", "legacy")?.change).toBe("removed");
    for (const kind of objectKinds) expect(diff.changes.some((c) => c.kind === kind)).toBe(true);
    expect(diff.counts.accounts).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 2 });
    expect(diff.counts.settings).toEqual({ added: 0, removed: 1, changed: 1, unchanged: 2 });
  });

  it("ignores key order and usage timestamps that move on every scan", () => {
    const before = estate();
    const after = estate();
    before.accounts[2].lastLogon = "2026-10-01T00:00:00.000Z";
    after.accounts[2] = Object.fromEntries(Object.entries(after.accounts[2]).reverse()) as typeof after.accounts[2];
    after.accounts[2].lastLogon = "2026-10-31T00:00:00.000Z";
    after.credentials[2].lastUsed = "2026-10-31T00:00:00.000Z";
    expect(diffSnapshots(before, after).changes).toEqual([]);
  });
});
