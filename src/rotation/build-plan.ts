// Builds a rotation plan from failing, rotation-eligible findings (filtered by control and
// subject), or for a mass reset from an account selector over a snapshot. Pure: the snapshot,
// findings and rotators come in, a Plan goes out; nothing here touches a directory.
import { createHash } from "node:crypto";
import type { Finding } from "../policy/engine/finding.ts";
import type { Account, Credential, PasswordPolicy, Snapshot } from "../snapshot/types.ts";
import type { Plan, PlanAccount, PlanItem, RotatorKind, SinkLocation, SkippedItem } from "./plan.ts";
import type { Rotator } from "./rotator.ts";
import { constraintsFor } from "./secret-constraints.ts";
import type { AccountSelector } from "./account-selector.ts";

export interface PlanInput {
  snapshot: Snapshot;
  snapshotPath: string;
  /** Rotator per source id; a source without one gets its items skipped with the reason. */
  rotators: ReadonlyMap<string, Rotator>;
  sinkKind: SinkLocation["kind"];
  generatorVersion: string;
  now?: Date;
}

export interface FindingSelection {
  findings: Finding[];
  findingsPath: string;
  controls?: string[];
  subjects?: string[];
}

const rotatorKinds = new Set<string>(["ad", "ldap", "entra", "github"]);

/** Plan for the credentials behind failing, eligible, non-excepted findings. */
export function planFromFindings(input: PlanInput, selection: FindingSelection): Plan {
  const index = new SnapshotIndex(input.snapshot);
  const subjectPatterns = (selection.subjects ?? []).map(globToRegExp);
  const wanted = new Map<string, { credential: Credential; reasons: Set<string> }>();
  for (const finding of selection.findings) {
    if (finding.status !== "fail" || !finding.rotation.eligible || finding.excepted) continue;
    if (selection.controls && selection.controls.length > 0 && !selection.controls.includes(finding.controlId)) continue;
    if (subjectPatterns.length > 0 && !subjectPatterns.some((p) => p.test(finding.subject.id) || p.test(finding.subject.name))) continue;
    const credential = index.credentialFor(finding.subject.id);
    if (!credential) continue;
    const entry = wanted.get(credential.id) ?? { credential, reasons: new Set<string>() };
    entry.reasons.add(finding.controlId);
    wanted.set(credential.id, entry);
  }
  const plan = buildPlan(input, index, [...wanted.values()].map((w) => ({ credential: w.credential, reasons: [...w.reasons].sort() })));
  plan.input = {
    ...plan.input,
    findings: selection.findingsPath,
    ...(selection.controls?.length ? { controls: selection.controls } : {}),
    ...(selection.subjects?.length ? { subjects: selection.subjects } : {}),
  };
  return plan;
}

/** Mass reset: the password of every account the selector matches. */
export function planFromSelector(input: PlanInput, selector: AccountSelector): Plan {
  const index = new SnapshotIndex(input.snapshot);
  const chosen: Array<{ credential: Credential; reasons: string[] }> = [];
  for (const account of input.snapshot.accounts) {
    if (!selector.matches(account)) continue;
    const credential = index.credentialFor(account.id);
    if (credential?.type === "password") chosen.push({ credential, reasons: [`selector:${selector.text}`] });
  }
  const plan = buildPlan(input, index, chosen);
  plan.input = { ...plan.input, accounts: selector.text };
  return plan;
}

function buildPlan(input: PlanInput, index: SnapshotIndex, chosen: Array<{ credential: Credential; reasons: string[] }>): Plan {
  const items: PlanItem[] = [];
  const skipped: SkippedItem[] = [];
  const locations = new SinkLocations(input.snapshot.credentials, (c) => index.accounts.get(c.account)?.name ?? c.account);
  const rows = chosen
    .map((c) => ({ ...c, account: index.accounts.get(c.credential.account) }))
    .sort((a, b) => compare(a.credential.source, b.credential.source) || compare(a.account?.name ?? a.credential.account, b.account?.name ?? b.credential.account) || compare(a.credential.id, b.credential.id));
  for (const row of rows) {
    const { credential, reasons } = row;
    const source = input.snapshot.sources.find((s) => s.id === credential.source);
    const kind = source?.kind ?? "unknown";
    const name = row.account?.name ?? credential.account;
    const skip = (why: string) => skipped.push({ credential: credential.id, account: credential.account, name, source: credential.source, reasons, skip: why });
    if (!rotatorKinds.has(kind)) {
      skip(`no rotator for source kind ${kind}`);
      continue;
    }
    const account = row.account ?? syntheticAccount(credential);
    const item: PlanItem = {
      id: "",
      order: 0,
      credential: credential.id,
      credentialType: credential.type,
      account: planAccount(account, credential),
      source: { id: credential.source, kind, endpoint: source?.endpoint ?? "" },
      rotator: kind as RotatorKind,
      sink: { kind: input.sinkKind, location: locations.of(credential, name) },
      reasons,
      constraints: constraintsFor(account, kind, index.policies),
      linkedAccounts: index.linkedAccounts(account.id),
    };
    if (credential.rotation === "gmsa" || credential.rotation === "laps") {
      skip(credential.rotation === "gmsa" ? "gMSA: the domain rotates its password" : "LAPS-managed: the computer rotates it");
      continue;
    }
    const rotator = input.rotators.get(credential.source);
    if (!rotator) {
      skip(`no ${kind} rotator configured for source ${credential.source} (live source needed in the config)`);
      continue;
    }
    const reason = rotator.canRotate(item);
    if (reason) {
      skip(reason);
      continue;
    }
    item.constraints = rotator.constraints(item);
    items.push(item);
  }
  const width = Math.max(4, String(items.length).length);
  items.forEach((item, i) => {
    item.order = i + 1;
    item.id = String(i + 1).padStart(width, "0");
  });
  return {
    planVersion: 1,
    createdAt: (input.now ?? new Date()).toISOString(),
    generator: { name: "credgov", version: input.generatorVersion },
    input: { snapshot: input.snapshotPath, snapshotGeneratedAt: input.snapshot.generatedAt },
    items,
    skipped,
  };
}

function planAccount(account: Account, credential: Credential): PlanAccount {
  const ids = account.nativeIds;
  const nativeIds: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(ids)) if (value !== undefined) nativeIds[key] = value;
  return {
    id: account.id,
    name: account.name,
    kind: account.kind,
    enabled: account.enabled,
    ...(ids.dn ? { dn: ids.dn } : {}),
    ...(ids.samAccountName ? { samAccountName: ids.samAccountName } : {}),
    ...(ids.userPrincipalName ? { userPrincipalName: ids.userPrincipalName } : {}),
    ...(ids.uid ? { uid: ids.uid } : {}),
    nativeIds,
    ...(account.gmsa || credential.rotation === "gmsa" ? { gmsa: true } : {}),
    ...(credential.rotation === "laps" || (account.laps && account.laps.kind !== "none") ? { laps: true } : {}),
    passwordLastSet: account.passwordLastSet ?? null,
  };
}

/** Holders that are not accounts (a repository for an Actions secret) still get an item. */
function syntheticAccount(credential: Credential): Account {
  return { id: credential.account, source: credential.source, nativeIds: {}, name: credential.account, kind: "application", enabled: true, privileged: false, owners: [], flags: {} };
}

/**
 * Where each credential's secret is delivered: `<source>/<account>` (+ `/<type>-<name>` for
 * non-password credentials), path-safe. A path that is not one credential's alone gets `-` and
 * 8 hex digits of the SHA-256 of the credential id: one whose text had characters replaced (an
 * environment secret `prod/X_Y` and a secret `prod_X_Y` would both read `prod_X_Y`), and every
 * one of the snapshot's credentials that read the same (two client secrets of one application
 * named alike). Two credentials sharing a location would each find the other's secret there.
 */
class SinkLocations {
  readonly #taken = new Map<string, number>();

  constructor(credentials: Iterable<Credential>, accountName: (credential: Credential) => string) {
    for (const credential of credentials) {
      const { path } = readablePath(credential, accountName(credential));
      this.#taken.set(path, (this.#taken.get(path) ?? 0) + 1);
    }
  }

  of(credential: Credential, accountName: string): string {
    const { path, lossy } = readablePath(credential, accountName);
    if (!lossy && (this.#taken.get(path) ?? 0) <= 1) return path;
    return `${path}-${createHash("sha256").update(credential.id).digest("hex").slice(0, 8)}`;
  }
}

function readablePath(credential: Credential, accountName: string): { path: string; lossy: boolean } {
  const parts = [credential.source, accountName];
  if (credential.type !== "password") parts.push(`${credential.type}-${credential.name ?? credential.id}`);
  const safe = parts.map((p) => p.replace(/[^A-Za-z0-9._@-]+/g, "_").replace(/^\.+/, "_"));
  return { path: safe.join("/"), lossy: safe.some((p, i) => p !== parts[i]) };
}

class SnapshotIndex {
  readonly accounts = new Map<string, Account>();
  readonly policies = new Map<string, PasswordPolicy>();
  private readonly credentials = new Map<string, Credential>();
  private readonly passwordOf = new Map<string, Credential>();
  private readonly identityOf = new Map<string, Snapshot["identities"][number]>();
  private readonly sourceKind = new Map<string, string>();

  constructor(snapshot: Snapshot) {
    for (const a of snapshot.accounts) this.accounts.set(a.id, a);
    for (const s of snapshot.sources) this.sourceKind.set(s.id, s.kind);
    for (const p of snapshot.passwordPolicies) this.policies.set(p.id, p);
    for (const c of snapshot.credentials) {
      this.credentials.set(c.id, c);
      if (c.type === "password" && !this.passwordOf.has(c.account)) this.passwordOf.set(c.account, c);
    }
    for (const identity of snapshot.identities) for (const a of identity.accounts) this.identityOf.set(a, identity);
  }

  /** A finding's subject is a credential, or an account whose password is meant. */
  credentialFor(subjectId: string): Credential | undefined {
    const direct = this.credentials.get(subjectId);
    if (direct) return direct;
    const password = this.passwordOf.get(subjectId);
    if (password) return password;
    const account = this.accounts.get(subjectId);
    if (!account) return undefined;
    return { id: `${account.id}:password`, account: account.id, source: account.source, type: "password", managedBy: "unknown", rotation: account.gmsa ? "gmsa" : "none" };
  }

  linkedAccounts(accountId: string): PlanItem["linkedAccounts"] {
    const identity = this.identityOf.get(accountId);
    if (!identity) return [];
    return identity.accounts
      .filter((id) => id !== accountId)
      .map((id) => {
        const account = this.accounts.get(id);
        const link = identity.links.find((l) => (l.from === accountId && l.to === id) || (l.to === accountId && l.from === id)) ?? identity.links.find((l) => l.from === id || l.to === id);
        const source = account?.source ?? id.split(":")[0]!;
        const sharesPassword = this.sourceKind.get(source) === "entra" && account?.syncedFromOnPrem === true && this.sourceKind.get(this.accounts.get(accountId)?.source ?? "") === "ad";
        return { id, source, kind: account?.kind ?? "unknown", name: account?.name ?? id, via: link?.method ?? "identity", sharesPassword };
      });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `*` any run, `?` one character, case-insensitive, whole string. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}
