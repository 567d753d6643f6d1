// The benchmark's twenty checks written directly in TypeScript: the baseline the compiled policy
// (policy.rego) is measured against. Same logic, same result shape (a count per check).
import type { BenchInput } from "./snapshot-data.ts";

export function runChecks(input: BenchInput): Record<string, number> {
  const { days90, days180, now } = input.cutoffs;
  const ids = () => new Set<string>();
  const r = {
    never_expires: ids(), not_required: ids(), reversible: ids(), stale_password: ids(), privileged_unowned: ids(),
    kerberoastable: ids(), disabled_privileged: ids(), des_only: ids(), no_preauth: ids(), unconstrained_delegation: ids(),
    dormant: ids(), owner_disabled: ids(), laps_missing: ids(), user_managed_secret: ids(), expired_credential: ids(),
    unrotated_secret: ids(), user_completes_reset: ids(), helpdesk_resets_admin: ids(), synced_privileged: ids(), misfiled_service: ids(),
  };
  const privileged = new Set<string>();
  for (const a of input.accounts) {
    const f = a.flags;
    if (a.enabled && a.kind === "human" && f.passwordNeverExpires) r.never_expires.add(a.id);
    if (f.passwordNotRequired) r.not_required.add(a.id);
    if (f.reversibleEncryption) r.reversible.add(a.id);
    // Rego orders values across types (null < boolean < number < string): a null timestamp is "less".
    if (a.enabled && (a.passwordLastSet === null || (a.passwordLastSet !== undefined && a.passwordLastSet < days90))) r.stale_password.add(a.id);
    if (a.privileged && a.owners.length === 0) r.privileged_unowned.add(a.id);
    if (a.kind === "service" && (a.spns?.length ?? 0) > 0 && !a.gmsa) r.kerberoastable.add(a.id);
    if (!a.enabled && a.privileged) r.disabled_privileged.add(a.id);
    if (f.desOnly) r.des_only.add(a.id);
    if (f.noPreauth) r.no_preauth.add(a.id);
    if (f.trustedForDelegation && a.kind !== "computer") r.unconstrained_delegation.add(a.id);
    if (a.enabled && (a.lastLogon === null || (a.lastLogon !== undefined && a.lastLogon < days180))) r.dormant.add(a.id);
    if (a.owners.some((o) => o.status === "disabled")) r.owner_disabled.add(a.id);
    if (a.kind === "computer" && a.laps?.kind === "none") r.laps_missing.add(a.id);
    if (a.privileged) privileged.add(a.id);
    if (a.syncedFromOnPrem && a.privileged) r.synced_privileged.add(a.id);
    if (a.kind === "human" && a.name.startsWith("svc-")) r.misfiled_service.add(a.id);
  }
  for (const c of input.credentials) {
    if (c.managedBy === "user" && c.type !== "password") r.user_managed_secret.add(c.id);
    if (typeof c.expires === "string" && c.expires < now) r.expired_credential.add(c.id);
    if (c.type === "clientSecret" && c.rotation === "none" && typeof c.created === "string" && c.created < days90) r.unrotated_secret.add(c.id);
  }
  for (const p of input.resetPaths) {
    if (p.requiresUserCompletion) r.user_completes_reset.add(p.target);
    if (p.mechanism === "helpdesk" && privileged.has(p.target)) r.helpdesk_resets_admin.add(p.target);
  }
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.size]));
}
