// A small estate whose every value the drift tests compare is known: each baseline field has a
// case below that the estate violates and one it meets.
import type { Account, Snapshot } from "../../src/snapshot/types.ts";

export const generatedAt = "2026-11-01T00:00:00.000Z";
const daysAgo = (n: number) => new Date(Date.parse(generatedAt) - n * 86_400_000).toISOString();

function account(source: string, id: string, name: string, kind: Account["kind"], extra: Partial<Account> = {}): Account {
  return { id: `${source}:${id}`, source, nativeIds: {}, name, kind, enabled: true, privileged: false, owners: [], flags: {}, ...extra };
}

export function estate(): Snapshot {
  const source = (id: string, kind: "ad" | "ldap" | "entra" | "github") => ({ id, kind, transport: "file" as const, endpoint: `${id}.export`, collectedAt: generatedAt, status: "ok" as const, errors: [], counts: {}, queries: [], namingContext: `${id}.example` });
  return {
    schemaVersion: 1,
    generatedAt,
    generator: { name: "credgov", version: "test" },
    sources: [source("corp-ad", "ad"), source("legacy", "ldap"), source("entra", "entra"), source("gh", "github")],
    passwordPolicies: [
      { id: "corp-ad:policy:domain", source: "corp-ad", scope: "domain", name: "corp.example", appliesTo: ["*"], minLength: 8, historyLength: 10, maxAgeDays: 90, minAgeDays: 0, lockoutThreshold: 0, lockoutDurationMinutes: 5, complexity: false, reversibleEncryption: true },
      { id: "corp-ad:policy:tier0", source: "corp-ad", scope: "pso", name: "PSO:Tier0", appliesTo: ["CN=Domain Admins"], minLength: 15, historyLength: 24, maxAgeDays: 0, minAgeDays: 1, lockoutThreshold: 5, lockoutDurationMinutes: 30, complexity: true, reversibleEncryption: false },
      { id: "legacy:policy:default", source: "legacy", scope: "ppolicy", name: "default", appliesTo: ["*"], minLength: 10, mustChangeAfterReset: true, allowUserChange: true, complexity: null },
    ],
    accounts: [
      account("corp-ad", "svc-a", "svc-a", "service", { nativeIds: { dn: "CN=svc-a,OU=Service Accounts,DC=corp,DC=example" } }),
      account("corp-ad", "adm", "adm", "human", { privileged: true, privilegedReasons: ["Domain Admins"], nativeIds: { dn: "CN=adm,OU=Admins,DC=corp,DC=example" }, owners: [{ ref: "x", source: "corp-ad", relation: "manager", status: "enabled" }] }),
      account("corp-ad", "alice", "alice", "human", { nativeIds: { dn: "CN=alice,OU=Staff,DC=corp,DC=example" } }),
      account("entra", "app", "Payroll", "application", { owners: [{ ref: "bob@corp.example", name: "bob", source: "entra", relation: "owner", status: "disabled" }] }),
    ],
    credentials: [
      { id: "entra:app:secret", account: "entra:app", source: "entra", type: "clientSecret", name: "2025", created: daysAgo(100), expires: new Date(Date.parse(daysAgo(100)) + 730 * 86_400_000).toISOString(), neverExpires: false, managedBy: "user", rotation: "none" },
      { id: "entra:app:cert", account: "entra:app", source: "entra", type: "certificate", name: "signing", created: daysAgo(10), expires: null, neverExpires: true, managedBy: "user", rotation: "none" },
      { id: "gh:repo:secret", account: "gh:repo:api", source: "gh", type: "actionsSecret", name: "DEPLOY", created: daysAgo(900), managedBy: "user", rotation: "none" },
    ],
    resetPaths: [
      { id: "r1", source: "corp-ad", target: "corp-ad:svc-a", mechanism: "delegated-acl", actor: { kind: "group", id: "CN=Help Desk", name: "Help Desk" }, right: "User-Force-Change-Password", via: "OU=Service Accounts,DC=corp,DC=example", requiresUserCompletion: false },
      { id: "r2", source: "corp-ad", target: "corp-ad:svc-a", mechanism: "admin-role", actor: { kind: "group", id: "CN=Domain Admins", name: "Domain Admins", admin: true }, requiresUserCompletion: false },
      { id: "r3", source: "corp-ad", target: "corp-ad:adm", mechanism: "force-change-at-logon", actor: { kind: "self", id: "corp-ad:adm", name: "adm" }, requiresUserCompletion: true },
      { id: "r4", source: "corp-ad", target: "corp-ad:adm", mechanism: "admin-role", actor: { kind: "group", id: "CN=Domain Admins", name: "Domain Admins", admin: true }, requiresUserCompletion: false },
    ],
    identities: [],
    settings: {
      "corp-ad": { kind: "ad", krbtgtPasswordLastSet: daysAgo(400), lapsSchema: "legacy", functionalLevel: 6 },
      legacy: { kind: "ldap" },
      entra: {
        kind: "entra",
        ssprEnabled: "all",
        ssprForAdmins: true,
        passwordWritebackEnabled: false,
        passwordHashSyncEnabled: false,
        cloudPasswordPolicyForSyncedUsers: false,
        userForcePasswordChangeOnLogonSynced: null,
        onPremisesSyncEnabled: true,
        syncIntervalMinutes: 30,
      },
      gh: { kind: "github", twoFactorRequired: false, samlEnabled: false },
    },
  };
}
