// The baseline as the estate it declares: a snapshot holding only declared facts, so the policy
// library judges the baseline with the same controls and thresholds it applies to a real scan.
// A baseline that allows 8-character passwords fails CG-HYG-004 exactly as a domain would.
// Every object made here remembers the baseline field it stands for (`declaredAt`).
import type { Account, Credential, PasswordPolicy, Snapshot, SourceSettings } from "../../snapshot/types.ts";
import type { Baseline, BaselineSettings } from "./types.ts";

type Path = (string | number)[];

export interface DeclaredSnapshot {
  snapshot: Snapshot;
  /** Subject id -> baseline path of the field it was made from. */
  declaredAt: Map<string, Path>;
  /** Source id -> setting name (as the policies see it) -> baseline path. */
  settingsAt: Map<string, Map<string, Path>>;
}

const dayMs = 86_400_000;

export function declaredSnapshot(baseline: Baseline, now: string): DeclaredSnapshot {
  const declaredAt = new Map<string, Path>();
  const settingsAt = new Map<string, Map<string, Path>>();
  const snapshot: Snapshot = { schemaVersion: 1, generatedAt: now, generator: { name: "credgov baseline", version: "1" }, sources: [], passwordPolicies: [], accounts: [], credentials: [], resetPaths: [], identities: [], settings: {} };
  const nowMs = Date.parse(now);
  for (const [sourceId, directory] of Object.entries(baseline.document.directories)) {
    const at = (...rest: Path): Path => ["directories", sourceId, ...rest];
    declaredAt.set(sourceId, at());
    snapshot.sources.push({ id: sourceId, kind: directory.kind, transport: "file", endpoint: baseline.file, collectedAt: now, status: "ok", errors: [], counts: {}, queries: [] });
    directory.passwordPolicies?.forEach((declared, index) => {
      const id = `${sourceId}:baseline:passwordPolicies[${index}]`;
      const policy: PasswordPolicy = { id, source: sourceId, scope: declared.select.scope, name: declared.select.name ?? `${declared.select.scope} policy`, appliesTo: ["*"] };
      for (const field of ["minLength", "historyLength", "maxAgeDays", "minAgeDays", "lockoutThreshold", "lockoutDurationMinutes", "complexity", "reversibleEncryption", "mustChangeAfterReset", "allowUserChange"] as const) {
        if (declared[field] !== undefined) (policy as unknown as Record<string, unknown>)[field] = declared[field];
      }
      snapshot.passwordPolicies.push(policy);
      declaredAt.set(id, at("passwordPolicies", index));
    });
    const settings: SourceSettings = { kind: directory.kind };
    const settingPaths = new Map<string, Path>();
    for (const [name, value] of Object.entries(directory.settings ?? {}) as [keyof BaselineSettings, unknown][]) {
      if (name === "krbtgtMaxAgeDays") {
        settings.krbtgtPasswordLastSet = new Date(nowMs - (value as number) * dayMs).toISOString();
        settingPaths.set("krbtgtPasswordLastSet", at("settings", name));
      } else {
        (settings as Record<string, unknown>)[name] = value;
        settingPaths.set(name, at("settings", name));
      }
    }
    snapshot.settings[sourceId] = settings;
    settingsAt.set(sourceId, settingPaths);
    if (directory.settings?.ssprForAdmins === true) {
      // Allowing administrators to use SSPR only matters for an administrator: declare one.
      const account = declaredAccount(sourceId, "settings.ssprForAdmins", "human", "declared administrator");
      account.privileged = true;
      account.privilegedReasons = ["Global Administrator"];
      snapshot.accounts.push(account);
      declaredAt.set(account.id, at("settings", "ssprForAdmins"));
    }
    if (directory.credentials) {
      const holder = declaredAccount(sourceId, "credentials", "application", "declared application");
      const credential: Credential = {
        id: `${holder.id}:secret`,
        account: holder.id,
        source: sourceId,
        type: directory.credentials.types?.[0] ?? "clientSecret",
        name: `secret living ${directory.credentials.maxLifetimeDays} days`,
        created: now,
        lastRotated: now,
        expires: new Date(nowMs + directory.credentials.maxLifetimeDays * dayMs).toISOString(),
        neverExpires: false,
        managedBy: "enterprise",
        owners: holder.owners,
        rotation: "credgov",
      };
      snapshot.accounts.push(holder);
      snapshot.credentials.push(credential);
      declaredAt.set(credential.id, at("credentials", "maxLifetimeDays"));
    }
  }
  return { snapshot, declaredAt, settingsAt };
}

function declaredAccount(sourceId: string, field: string, kind: Account["kind"], name: string): Account {
  const id = `${sourceId}:baseline:${field}`;
  return {
    id,
    source: sourceId,
    nativeIds: {},
    name,
    kind,
    enabled: true,
    privileged: false,
    owners: [{ ref: `${sourceId}:baseline:owner`, name: "baseline owner", source: sourceId, relation: "owner", status: "enabled" }],
    flags: {},
  };
}
