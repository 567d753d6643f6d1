// Baseline vs snapshot: every declared value compared with what was collected. Pure: takes the
// parsed baseline and snapshot, returns drift items (differences, and values that could not be
// judged because they were not collected; those are never reported as matching).
import type { Account, PasswordPolicy, ResetPath, Snapshot, SourceSettings } from "../../snapshot/types.ts";
import type { DriftItem, DriftSubject } from "./drift-item.ts";
import { dnKey, firstRdnValue, isBelowDnKey } from "../../collectors/ldap-common/distinguished-name.ts";
import type { Baseline, BaselineDirectory, BaselinePasswordPolicy, BaselineResetRight, BaselineSettings } from "./types.ts";

type Path = (string | number)[];

/** How a declared value is compared with the collected one. */
type Bound = "equal" | "atLeast" | "atMost" | "lockout";

const policyBounds: Record<Exclude<keyof BaselinePasswordPolicy, "select">, Bound> = {
  minLength: "atLeast",
  historyLength: "atLeast",
  maxAgeDays: "equal",
  minAgeDays: "atLeast",
  lockoutThreshold: "lockout",
  lockoutDurationMinutes: "atLeast",
  complexity: "equal",
  reversibleEncryption: "equal",
  mustChangeAfterReset: "equal",
  allowUserChange: "equal",
};

const settingBounds: Record<Exclude<keyof BaselineSettings, "krbtgtMaxAgeDays">, Bound> = {
  ssprEnabled: "equal",
  ssprForAdmins: "equal",
  passwordWritebackEnabled: "equal",
  passwordHashSyncEnabled: "equal",
  cloudPasswordPolicyForSyncedUsers: "equal",
  userForcePasswordChangeOnLogonSynced: "equal",
  onPremisesSyncEnabled: "equal",
  syncIntervalMinutes: "atMost",
  twoFactorRequired: "equal",
  samlEnabled: "equal",
  lapsSchema: "equal",
  functionalLevel: "atLeast",
};

const defaultCredentialTypes = ["clientSecret", "certificate", "sshKey", "token"];
const dayMs = 86_400_000;

export function compareWithBaseline(baseline: Baseline, snapshot: Snapshot): DriftItem[] {
  const items: DriftItem[] = [];
  const accounts = new Map(snapshot.accounts.map((a) => [a.id, a]));
  for (const [sourceId, directory] of Object.entries(baseline.document.directories)) {
    const context = new DirectoryContext(baseline, snapshot, sourceId, directory, accounts, items);
    if (!context.present()) continue;
    directory.passwordPolicies?.forEach((declared, index) => context.passwordPolicy(declared, index));
    if (directory.settings) context.settings(directory.settings);
    directory.resetRights?.forEach((_, index) => context.resetRight(index));
    directory.owners?.forEach((_, index) => context.owners(index));
    if (directory.credentials) context.credentials();
  }
  return items;
}

class DirectoryContext {
  private readonly baseline: Baseline;
  private readonly snapshot: Snapshot;
  private readonly sourceId: string;
  private readonly directory: BaselineDirectory;
  private readonly accounts: Map<string, Account>;
  private readonly items: DriftItem[];

  constructor(baseline: Baseline, snapshot: Snapshot, sourceId: string, directory: BaselineDirectory, accounts: Map<string, Account>, items: DriftItem[]) {
    this.baseline = baseline;
    this.snapshot = snapshot;
    this.sourceId = sourceId;
    this.directory = directory;
    this.accounts = accounts;
    this.items = items;
  }

  private get source() {
    return this.snapshot.sources.find((s) => s.id === this.sourceId);
  }

  private path(...rest: Path): Path {
    return ["directories", this.sourceId, ...rest];
  }

  private add(item: Omit<DriftItem, "key" | "source" | "baseline" | "setting"> & { at: Path }): void {
    const setting = fieldName(item.at.slice(2)) || "directory";
    const { at, ...rest } = item;
    this.items.push({ key: `${this.sourceId}|${setting}|${item.subject.id}`, source: this.sourceId, setting, baseline: this.baseline.locate(at), ...rest });
  }

  private sourceSubject(): DriftSubject {
    return { kind: "source", id: this.sourceId, name: this.source?.namingContext ?? this.sourceId };
  }

  /** A declared directory that was not collected, or collected as another kind, cannot be judged. */
  present(): boolean {
    const source = this.source;
    if (!source) {
      this.add({ at: this.path(), status: "unknown", expected: `a ${this.directory.kind} source`, actual: null, subject: this.sourceSubject(), evidence: {}, message: `the baseline declares ${this.sourceId}, but the snapshot has no source with that id` });
      return false;
    }
    if (source.kind !== this.directory.kind) {
      this.add({ at: this.path("kind"), status: "drift", expected: this.directory.kind, actual: source.kind, subject: this.sourceSubject(), evidence: { endpoint: source.endpoint }, message: `${this.sourceId} is declared as ${this.directory.kind} but was collected as ${source.kind}` });
      return false;
    }
    return true;
  }

  /** Whether a null in the snapshot is a failed collection (unknown) or a real absence. */
  private notCollected(area: string): boolean {
    const source = this.source;
    if (!source || source.status === "error") return true;
    return source.errors.some((e) => (e.affects ?? []).some((a) => a === area || area.startsWith(`${a}.`) || a.startsWith(`${area}.`)));
  }

  passwordPolicy(declared: BaselinePasswordPolicy, index: number): void {
    const matches = this.snapshot.passwordPolicies.filter(
      (p) => p.source === this.sourceId && p.scope === declared.select.scope && (declared.select.name === undefined || p.name.toLowerCase() === declared.select.name.toLowerCase()),
    );
    const at = this.path("passwordPolicies", index);
    if (matches.length === 0) {
      const what = declared.select.name ? `${declared.select.scope} policy ${declared.select.name}` : `any ${declared.select.scope} policy`;
      const status = this.notCollected("passwordPolicies") ? "unknown" : "drift";
      this.add({ at: [...at, "select"], status, expected: declared.select, actual: null, subject: this.sourceSubject(), evidence: { collected: this.snapshot.passwordPolicies.filter((p) => p.source === this.sourceId).map((p) => `${p.scope}:${p.name}`) }, message: `${this.sourceId} has no ${what}` });
      return;
    }
    for (const policy of matches) {
      for (const [field, bound] of Object.entries(policyBounds) as [keyof typeof policyBounds, Bound][]) {
        const expected = declared[field];
        if (expected === undefined) continue;
        const actual = policy[field as keyof PasswordPolicy] ?? null;
        const subject = { kind: "passwordPolicy", id: policy.id, name: policy.name };
        if (actual === null) {
          this.add({ at: [...at, field], status: "unknown", expected, actual, subject, evidence: { scope: policy.scope }, message: `${field} of password policy ${policy.name} in ${this.sourceId} was not collected` });
        } else if (!satisfies(bound, expected, actual)) {
          this.add({ at: [...at, field], status: "drift", expected, actual, subject, evidence: { scope: policy.scope, appliesTo: policy.appliesTo }, message: `password policy ${policy.name} in ${this.sourceId}: ${field} is ${String(actual)}, the baseline wants ${describe(bound, expected)}` });
        }
      }
    }
  }

  settings(declared: BaselineSettings): void {
    const collected: SourceSettings = this.snapshot.settings[this.sourceId] ?? {};
    const subject = this.sourceSubject();
    for (const [field, expected] of Object.entries(declared) as [keyof BaselineSettings, unknown][]) {
      const at = this.path("settings", field);
      if (field === "krbtgtMaxAgeDays") {
        const lastSet = collected.krbtgtPasswordLastSet ?? null;
        if (lastSet === null) {
          this.add({ at, status: "unknown", expected, actual: null, subject, evidence: {}, message: `the krbtgt password age of ${this.sourceId} was not collected` });
          continue;
        }
        const age = Math.floor((Date.parse(this.snapshot.generatedAt) - Date.parse(lastSet)) / dayMs);
        if (age > (expected as number)) {
          this.add({ at, status: "drift", expected, actual: age, subject, evidence: { krbtgtPasswordLastSet: lastSet }, message: `the krbtgt password of ${this.sourceId} is ${age} days old; the baseline allows ${String(expected)}` });
        }
        continue;
      }
      const actual = collected[field] ?? null;
      if (actual === null) {
        this.add({ at, status: "unknown", expected, actual, subject, evidence: {}, message: `setting ${field} of ${this.sourceId} was not collected` });
      } else if (!satisfies(settingBounds[field], expected, actual)) {
        this.add({ at, status: "drift", expected, actual, subject, evidence: {}, message: `${this.sourceId}: ${field} is ${JSON.stringify(actual)}, the baseline wants ${describe(settingBounds[field], expected)}` });
      }
    }
  }

  resetRight(index: number): void {
    const rule = this.directory.resetRights![index];
    const at = this.path("resetRights", index);
    if (this.notCollected("resetPaths")) {
      this.add({ at, status: "unknown", expected: rule, actual: null, subject: this.sourceSubject(), evidence: {}, message: `reset paths of ${this.sourceId} were not fully collected` });
      return;
    }
    const allowedActors = rule.allowedActors?.map((a) => a.toLowerCase());
    // One item per offending actor and mechanism: "Help Desk can reset 13 service accounts" reads
    // better than 13 items, and the evidence keeps the targets.
    const offences = new Map<string, { path: ResetPath; targets: string[]; field: string; expected: unknown; actual: unknown; why: string }>();
    for (const path of this.snapshot.resetPaths) {
      if (path.source !== this.sourceId) continue;
      const target = this.accounts.get(path.target);
      if (!target || !targetMatches(rule.targets, target)) continue;
      const problems: { field: string; expected: unknown; actual: unknown; why: string }[] = [];
      if (allowedActors && !actorAllowed(path, allowedActors)) {
        problems.push({ field: "allowedActors", expected: rule.allowedActors, actual: path.actor.name ?? path.actor.id, why: `${path.actor.name ?? path.actor.id} (${path.mechanism}) is not an allowed actor` });
      }
      if (rule.allowedMechanisms && !rule.allowedMechanisms.includes(path.mechanism)) {
        problems.push({ field: "allowedMechanisms", expected: rule.allowedMechanisms, actual: path.mechanism, why: `mechanism ${path.mechanism} is not allowed` });
      }
      if (rule.allowUserCompletion === false && path.requiresUserCompletion) {
        problems.push({ field: "allowUserCompletion", expected: false, actual: true, why: `a ${path.mechanism} reset leaves a password a person must finish` });
      }
      for (const p of problems) {
        const key = `${p.field}\0${path.actor.id}\0${path.mechanism}`;
        const entry = offences.get(key) ?? { path, targets: [], ...p };
        entry.targets.push(target.name);
        offences.set(key, entry);
      }
    }
    const scope = describeTargets(rule.targets);
    for (const o of offences.values()) {
      const actor = o.path.actor;
      this.add({
        at: [...at, o.field === "allowedActors" && !rule.allowedActors ? "targets" : o.field],
        status: "drift",
        expected: o.expected,
        actual: o.actual,
        subject: { kind: "resetActor", id: `${actor.id}|${o.path.mechanism}|${scope}`, name: actor.name ?? actor.id },
        evidence: { mechanism: o.path.mechanism, right: o.path.right ?? null, via: o.path.via ?? null, targetCount: o.targets.length, targets: o.targets.slice(0, 20) },
        message: `${this.sourceId}: ${o.why} for ${o.targets.length} account(s) in ${scope}`,
      });
    }
  }

  owners(index: number): void {
    const rule = this.directory.owners![index];
    const at = this.path("owners", index);
    const minOwners = rule.minOwners ?? 1;
    const unknown = this.notCollected("accounts");
    for (const account of this.snapshot.accounts) {
      if (account.source !== this.sourceId || account.kind !== rule.accountKind) continue;
      if (rule.privileged !== undefined && account.privileged !== rule.privileged) continue;
      if (!account.enabled) continue;
      const enabledOwners = account.owners.filter((o) => o.status === "enabled");
      if (enabledOwners.length >= minOwners) continue;
      this.add({
        at: [...at, "minOwners"],
        status: unknown ? "unknown" : "drift",
        expected: minOwners,
        actual: enabledOwners.length,
        subject: { kind: account.kind, id: account.id, name: account.name },
        evidence: { owners: account.owners.map((o) => ({ name: o.name ?? o.ref, status: o.status })) },
        message: `${account.kind} account ${account.name} in ${this.sourceId} has ${enabledOwners.length} enabled owner(s); the baseline wants at least ${minOwners}`,
      });
    }
  }

  credentials(): void {
    const rule = this.directory.credentials!;
    const at = this.path("credentials", "maxLifetimeDays");
    const types = rule.types ?? defaultCredentialTypes;
    for (const credential of this.snapshot.credentials) {
      if (credential.source !== this.sourceId || !types.includes(credential.type)) continue;
      const holder = this.accounts.get(credential.account);
      const name = `${holder?.name ?? credential.account} / ${credential.name ?? credential.type}`;
      const subject = { kind: "credential", id: credential.id, name };
      if (credential.neverExpires === true) {
        this.add({ at, status: "drift", expected: rule.maxLifetimeDays, actual: "never expires", subject, evidence: { type: credential.type, created: credential.created ?? null }, message: `${name} never expires; the baseline allows ${rule.maxLifetimeDays} days` });
        continue;
      }
      if (!credential.created || !credential.expires) continue; // lifetime unknown by nature (e.g. Actions secrets have no expiry date)
      const lifetime = Math.floor((Date.parse(credential.expires) - Date.parse(credential.created)) / dayMs);
      if (lifetime > rule.maxLifetimeDays) {
        this.add({ at, status: "drift", expected: rule.maxLifetimeDays, actual: lifetime, subject, evidence: { type: credential.type, created: credential.created, expires: credential.expires }, message: `${name} lives ${lifetime} days; the baseline allows ${rule.maxLifetimeDays}` });
      }
    }
  }
}

function satisfies(bound: Bound, expected: unknown, actual: unknown): boolean {
  switch (bound) {
    case "equal":
      return expected === actual;
    case "atLeast":
      return typeof actual === "number" && actual >= (expected as number);
    case "atMost":
      return typeof actual === "number" && actual <= (expected as number);
    case "lockout":
      // 0 means the policy never locks out: weaker than any threshold.
      return typeof actual === "number" && actual > 0 && actual <= (expected as number);
  }
}

function describe(bound: Bound, expected: unknown): string {
  switch (bound) {
    case "equal":
      return JSON.stringify(expected);
    case "atLeast":
      return `at least ${String(expected)}`;
    case "atMost":
    case "lockout":
      return `at most ${String(expected)}`;
  }
}

function targetMatches(targets: BaselineResetRight["targets"], account: Account): boolean {
  if (targets.accountKind && account.kind !== targets.accountKind) return false;
  if (targets.ou) {
    if (!isBelowDnKey(dnKey(account.nativeIds.dn ?? ""), dnKey(targets.ou))) return false;
  }
  if (targets.role) {
    const role = targets.role.toLowerCase();
    // A reason names the group (`Domain Admins (nested)`); `groups` holds DNs, named by their first RDN.
    const held = [...(account.privilegedReasons ?? []).map((r) => r.replace(/ \(nested\)$/, "")), ...(account.groups ?? []).map(firstRdnValue)];
    const roleKey = dnKey(targets.role);
    if (!held.some((r) => r.toLowerCase() === role) && !(account.groups ?? []).some((g) => dnKey(g) === roleKey)) return false;
  }
  return true;
}

function actorAllowed(path: ResetPath, allowed: readonly string[]): boolean {
  if (path.actor.kind === "self") return allowed.includes("self");
  return [path.actor.name, path.actor.id].some((n) => n !== null && n !== undefined && allowed.includes(n.toLowerCase()));
}

function describeTargets(targets: { ou?: string; role?: string; accountKind?: string }): string {
  return [targets.accountKind ? `${targets.accountKind} accounts` : "", targets.ou ? `OU ${targets.ou}` : "", targets.role ? `role ${targets.role}` : ""].filter(Boolean).join(", ");
}

function fieldName(segments: Path): string {
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out;
}
