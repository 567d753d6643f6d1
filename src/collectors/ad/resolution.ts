// Second phase of the AD normalizer: with every entry ingested, cross-references (membership,
// PSOs, owners, ACL trustees) are resolved with hash maps, so the cost stays linear in the
// number of entries. Reset paths are derived by reset-paths.ts.
import type { Account, Credential, Owner, PasswordPolicy, ResetPath, SourceSettings } from "../../snapshot/types.ts";
import { dnKey, dnsNameOf, firstRdnValue } from "../ldap-common/distinguished-name.ts";
import { decodeFiletime } from "../ldap-common/filetime.ts";
import { serviceReason } from "../ldap-common/service-account-rules.ts";
import { sidRid } from "../ldap-common/sid.ts";
import type { NormalizedDirectoryFacts } from "../normalized-facts.ts";
import { privilegedGroupName, isAdminTrustee, wellKnownSidName } from "./well-known-principals.ts";
import type { AccountRecord, AdNormalizerOptions, Collected, GroupRecord, PolicyRecord } from "./records.ts";
import { AdResetPaths } from "./reset-paths.ts";
import { psoAppliesThroughGroup, psoAppliesToAccount, psosApplyAtLevel } from "./pso-scope.ts";
import { firstNames } from "../first-names.ts";

/** Second phase: everything is known, resolve references. */
export class AdResolution {
  private readonly options: AdNormalizerOptions;
  private readonly c: Collected;
  private readonly accountByKey = new Map<string, AccountRecord>();
  private readonly accountBySid = new Map<string, AccountRecord>();
  private readonly groupBySid = new Map<string, GroupRecord>();
  private readonly kindOf = new Map<AccountRecord, Account["kind"]>();
  private readonly policyIdByKey = new Map<string, string>();
  private readonly psoByAppliesTo = new Map<string, PolicyRecord[]>();
  /** PSOs that accounts' msDS-ResultantPSO names and that were not read, by DN key. */
  private readonly unreadPsos = new Map<string, { dn: string; accounts: number }>();
  /** PSOs that msDS-PSOApplied of an account or group names and that were not read, by target DN key. */
  private readonly unreadAppliedByTarget = new Map<string, string[]>();
  /** PSOs tied on precedence that AD ranks by objectGUID, read without one, by DN key; and the accounts they left unknown. */
  private readonly tiedWithoutGuid = new Map<string, string>();
  private accountsOfUnbrokenTies = 0;
  /** Groups a PSO is linked to whose groupType was not read, by DN key, with the accounts it left unknown. */
  private readonly untypedPsoGroups = new Map<string, { dn: string; accounts: number }>();
  private readonly resetPaths: AdResetPaths;

  constructor(options: AdNormalizerOptions, collected: Collected) {
    this.options = options;
    this.c = collected;
    this.resetPaths = new AdResetPaths(options.sourceId, collected.containerAces, (sid) => this.resolveActor(sid));
  }

  private accountId(a: AccountRecord): string {
    return `${this.options.sourceId}:${a.guid ?? a.key}`;
  }

  private policyId(p: PolicyRecord): string {
    return `${this.options.sourceId}:policy:${p.key}`;
  }

  run(): NormalizedDirectoryFacts {
    const { accounts, groups, psos, domain } = this.c;
    for (const a of accounts) {
      this.accountByKey.set(a.key, a);
      if (a.sid) this.accountBySid.set(a.sid, a);
    }
    for (const g of groups.values()) if (g.sid) this.groupBySid.set(g.sid, g);
    // primaryGroupID is not in member/memberOf: add it as an edge (Domain Users, Domain Computers, ...).
    for (const a of accounts) {
      if (a.primaryGroupId === undefined || !a.sid) continue;
      const prefix = a.sid.slice(0, a.sid.lastIndexOf("-"));
      const group = this.groupBySid.get(`${prefix}-${a.primaryGroupId}`);
      if (group) this.c.membership.add(a.key, group.key);
    }
    if (domain) this.policyIdByKey.set(domain.policy.key, this.policyId(domain.policy));
    for (const p of psos) {
      this.policyIdByKey.set(p.key, this.policyId(p));
      for (const target of p.appliesTo) {
        const k = dnKey(target);
        const list = this.psoByAppliesTo.get(k);
        if (list) list.push(p);
        else this.psoByAppliesTo.set(k, [p]);
      }
    }

    // msDS-PSOApplied (a back link, returned with '*' where the PSO itself may not be readable)
    // naming a PSO the read does not hold: the PSO governs whom it reaches, with unknown settings.
    const readPsos = new Set(psos.map((p) => p.key));
    const linkUnread = (targetKey: string, applied: string[]) => {
      for (const dn of applied) {
        if (readPsos.has(dnKey(dn))) continue;
        const list = this.unreadAppliedByTarget.get(targetKey);
        if (list) list.push(dn);
        else this.unreadAppliedByTarget.set(targetKey, [dn]);
      }
    };
    for (const a of accounts) linkUnread(a.key, a.psoApplied);
    for (const g of groups.values()) linkUnread(g.key, g.psoApplied);

    const gaps: NormalizedDirectoryFacts["gaps"] = [];
    if (!domain) {
      gaps.push({
        step: "domain",
        message:
          this.options.transport === "live"
            ? "the domain head entry (objectClass=domainDNS) was not read from the directory: the domain password policy and functional level are unknown"
            : "the export has no domain head entry (objectClass=domainDNS): the domain password policy and functional level are unknown",
        affects: ["passwordPolicies", "settings.functionalLevel", "accounts.passwordPolicy"],
      });
    }

    const privilegedGroups = this.privilegedGroupKeys();
    const outAccounts: Account[] = [];
    const credentials: Credential[] = [];
    const resetPaths: ResetPath[] = [];
    let krbtgtPasswordLastSet: string | null = null;

    for (const a of accounts) {
      const id = this.accountId(a);
      const kind = this.kindFor(a);
      const allGroups = this.c.membership.groupsOfLeaf(a.key);
      const reasons: string[] = [];
      for (const g of allGroups) {
        const names = privilegedGroups.get(g);
        if (names) reasons.push(this.c.membership.directGroups(a.key).has(g) ? names.direct : names.nested);
      }
      if (a.adminCount) reasons.push("adminCount=1");
      if (a.sid && sidRid(a.sid) === 500) reasons.push("built-in Administrator");
      reasons.sort();

      const pwd = a.pwdLastSet === undefined ? undefined : decodeFiletime(a.pwdLastSet);
      const passwordLastSet = pwd?.kind === "time" ? pwd.iso : null;
      const mustChange = pwd?.kind === "zero";
      const policy = this.effectivePolicy(a, allGroups);
      const name = a.sam ?? firstRdnValue(a.dn);
      // The domain's own krbtgt is RID 502 (RODC krbtgt_NNNNN accounts have other RIDs).
      if (a.sid ? sidRid(a.sid) === 502 : name.toLowerCase() === "krbtgt") krbtgtPasswordLastSet = passwordLastSet;

      const laps: Account["laps"] =
        a.cls === "computer"
          ? a.lapsWindows !== undefined
            ? { kind: "windows", expires: a.lapsWindows }
            : a.lapsLegacy !== undefined
              ? { kind: "legacy", expires: a.lapsLegacy }
              : { kind: "none" }
          : null;

      const account: Account = {
        id,
        source: this.options.sourceId,
        nativeIds: this.nativeIds(a),
        name,
        displayName: a.displayName ?? null,
        kind,
        enabled: this.canSignIn(a),
        expiry: accountExpiry(a),
        privileged: reasons.length > 0,
        privilegedReasons: reasons,
        owners: this.owners(a),
        groups: [...this.c.membership.directGroups(a.key)].map((k) => this.c.groups.get(k)?.dn ?? k),
        created: a.created,
        lastLogon: a.lastLogon,
        passwordLastSet,
        passwordPolicy: policy ? this.policyIdByKey.get(policy.key) ?? this.policyId(policy) : null,
        flags: {
          passwordNotRequired: a.uac.passwordNotRequired,
          passwordNeverExpires: a.uac.passwordNeverExpires,
          reversibleEncryption: a.uac.reversibleEncryption || policy?.reversibleEncryption === true,
          mustChangeAtNextLogon: mustChange,
          desOnly: a.uac.desOnly,
          noPreauth: a.uac.noPreauth,
          smartcardRequired: a.uac.smartcardRequired,
          trustedForDelegation: a.uac.trustedForDelegation,
          lockedOut: a.uac.lockedOut,
          cannotChangePassword: a.uac.cannotChangePassword,
        },
        userAccountControl: a.uacValue ?? null,
        spns: a.spns,
        gmsa: a.cls === "gmsa",
        laps,
      };
      outAccounts.push(account);
      credentials.push(this.credential(a, account, policy));
      this.resetPaths.add(a, id, mustChange, resetPaths);
    }

    // What the gaps below name as the place the data is missing from.
    const where = this.options.transport === "live" ? "the directory" : "the export";
    if (this.unreadPsos.size > 0) {
      const unread = [...this.unreadPsos.values()];
      const accountCount = unread.reduce((n, p) => n + p.accounts, 0);
      gaps.push({
        step: "passwordSettings",
        message:
          `${accountCount} account(s) are governed by ${unread.length} password settings object(s) (msDS-ResultantPSO, msDS-PSOApplied) missing from ${where}: ` +
          `${firstNames(unread.map((p) => p.dn))}. ` +
          "Reading PSOs needs read access to CN=Password Settings Container,CN=System; their effective password policy is unknown",
        affects: ["passwordPolicies", "accounts.passwordPolicy"],
      });
    }

    if (this.tiedWithoutGuid.size > 0) {
      const tied = [...this.tiedWithoutGuid.values()];
      gaps.push({
        step: "passwordSettings",
        message:
          `${this.accountsOfUnbrokenTies} account(s) are reached by password settings objects of equal msDS-PasswordSettingsPrecedence, and ${where} holds no objectGUID for ${tied.length} of them: ` +
          `${firstNames(tied)}. ` +
          "AD applies the one with the lowest objectGUID, so these accounts' password policy is unknown; export objectGUID with the PSOs",
        affects: ["accounts.passwordPolicy"],
      });
    }

    if (this.untypedPsoGroups.size > 0) {
      const untyped = [...this.untypedPsoGroups.values()];
      const accountCount = untyped.reduce((n, g) => n + g.accounts, 0);
      gaps.push({
        step: "groups",
        message:
          `${accountCount} account(s) are members of ${untyped.length} group(s) a password settings object is linked to, and ${where} holds no groupType for them: ` +
          `${firstNames(untyped.map((g) => g.dn))}. ` +
          "A PSO applies through global security groups only, so these accounts' password policy is unknown; export groupType with the groups",
        affects: ["accounts.passwordPolicy"],
      });
    }

    const passwordPolicies: PasswordPolicy[] = [];
    if (domain) passwordPolicies.push(this.toPolicy(domain.policy, "domain"));
    for (const p of psos) passwordPolicies.push(this.toPolicy(p, "pso"));

    const { laps } = this.c;
    const lapsSchema: SourceSettings["lapsSchema"] =
      laps.legacy && laps.windows ? "both" : laps.legacy ? "legacy" : laps.windows ? "windows" : laps.sawSchema ? "none" : null;

    return {
      settings: {
        kind: "ad",
        domainName: domain ? dnsNameOf(domain.dn) : null,
        functionalLevel: domain?.functionalLevel ?? null,
        krbtgtPasswordLastSet,
        lapsSchema,
      },
      passwordPolicies,
      accounts: outAccounts,
      credentials,
      resetPaths,
      counts: { ...this.c.counts, accounts: outAccounts.length },
      namingContext: domain?.dn ?? null,
      gaps,
    };
  }

  private nativeIds(a: AccountRecord): Account["nativeIds"] {
    const ids: Account["nativeIds"] = { dn: a.dn };
    if (a.guid) ids.objectGuid = a.guid;
    if (a.sid) ids.objectSid = a.sid;
    if (a.sam) ids.samAccountName = a.sam;
    if (a.upn) ids.userPrincipalName = a.upn;
    if (a.mail) ids.mail = a.mail;
    return ids;
  }

  /**
   * Account kind. computer: computer objects. service: gMSA/sMSA, krbtgt, user objects with
   * SPNs, or matching the configured service OUs / name patterns. human: the rest.
   */
  private kindFor(a: AccountRecord): Account["kind"] {
    const cached = this.kindOf.get(a);
    if (cached) return cached;
    let kind: Account["kind"];
    if (a.cls === "computer") kind = "computer";
    else if (a.cls === "gmsa" || a.cls === "msa") kind = "service";
    else if (a.spns.length > 0 || (a.sam ?? "").toLowerCase() === "krbtgt") kind = "service";
    else kind = serviceReason(this.options.serviceRules, a.dn, a.sam ?? firstRdnValue(a.dn)) ? "service" : "human";
    this.kindOf.set(a, kind);
    return kind;
  }

  /** Group keys of the built-in privileged groups, with the reason strings (built once, shared). */
  private privilegedGroupKeys(): Map<string, { direct: string; nested: string }> {
    const out = new Map<string, { direct: string; nested: string }>();
    for (const g of this.c.groups.values()) {
      const name = privilegedGroupName(g.sid, g.name);
      if (name) {
        const direct = g.name || name;
        out.set(g.key, { direct, nested: `${direct} (nested)` });
      }
    }
    return out;
  }

  /**
   * Effective password policy, as AD resolves it: msDS-ResultantPSO when exported; else, for an
   * account a PSO can govern (pso-scope.ts), the lowest-precedence PSO applied to the user
   * directly; else the lowest-precedence PSO applied to any of its (transitive) global security
   * groups; else the domain policy. Equal precedences go to the lowest objectGUID, compared as
   * stored bytes (pickPso). A PSO linked to a group whose groupType the export left out may or
   * may not apply: that account's policy is unknown.
   */
  private effectivePolicy(a: AccountRecord, allGroups: ReadonlySet<string>): PolicyRecord | null {
    if (!psosApplyAtLevel(this.c.domain?.functionalLevel)) return this.c.domain?.policy ?? null;
    if (a.resultantPso) {
      const k = dnKey(a.resultantPso);
      const pso = this.c.psos.find((p) => p.key === k);
      if (pso) return pso;
      // The directory says a PSO governs this account, and that PSO was not read (a bind account
      // without read access to the Password Settings Container sees neither it nor any other
      // PSO): the policy is unknown, not the domain's, which the PSO overrides.
      return this.unknownPolicy(a.resultantPso);
    }
    const governable = a.uacValue === undefined || psoAppliesToAccount(a.uacValue, a.sid ? (sidRid(a.sid) ?? undefined) : undefined);
    if ((this.c.psos.length || this.unreadAppliedByTarget.size) && governable) {
      const unreadDirect = this.unreadAppliedByTarget.get(a.key);
      if (unreadDirect) return this.unknownPolicy(unreadDirect[0]);
      const direct = this.psoByAppliesTo.get(a.key);
      // A PSO linked to the user wins over every group-linked one, whatever the precedences.
      if (direct) return this.chosen(pickPso(direct));
      const viaGroups: PolicyRecord[] = [];
      let untyped: GroupRecord | undefined;
      let unreadViaGroup: string | undefined;
      for (const g of allGroups) {
        const unreadLinked = this.unreadAppliedByTarget.get(g);
        const group = this.c.groups.get(g);
        if (unreadLinked && (group?.groupType === undefined || psoAppliesThroughGroup(group.groupType))) unreadViaGroup ??= unreadLinked[0];
        const linked = this.psoByAppliesTo.get(g);
        if (!linked) continue;
        if (group?.groupType === undefined) {
          untyped ??= group ?? { dn: g, key: g, name: firstRdnValue(g), psoApplied: [] };
          continue;
        }
        if (psoAppliesThroughGroup(group.groupType)) viaGroups.push(...linked);
      }
      if (untyped) {
        const seen = this.untypedPsoGroups.get(untyped.key);
        if (seen) seen.accounts++;
        else this.untypedPsoGroups.set(untyped.key, { dn: untyped.dn, accounts: 1 });
        return null;
      }
      // A PSO not read may have the lowest precedence of them all.
      if (unreadViaGroup !== undefined) return this.unknownPolicy(unreadViaGroup);
      if (viaGroups.length > 0) return this.chosen(pickPso(viaGroups));
    }
    return this.c.domain?.policy ?? null;
  }

  /** The PSO pickPso chose, or null (unknown, counted for the gap) when a tie could not be broken. */
  private chosen(choice: PsoChoice): PolicyRecord | null {
    if ("pso" in choice) return choice.pso;
    for (const p of choice.tiedWithoutGuid) this.tiedWithoutGuid.set(p.key, p.dn);
    this.accountsOfUnbrokenTies++;
    return null;
  }

  /** An account governed by a PSO that was not read: counted for the gap; its policy is unknown. */
  private unknownPolicy(psoDn: string): null {
    const k = dnKey(psoDn);
    const unread = this.unreadPsos.get(k);
    if (unread) unread.accounts++;
    else this.unreadPsos.set(k, { dn: psoDn, accounts: 1 });
    return null;
  }

  /**
   * Whether the account can sign in: not disabled (userAccountControl) and not past
   * accountExpires at collection time (the DC refuses an expired account's logon whatever its
   * flags). An accountExpires that was not read leaves only the flags to go by; the snapshot's
   * expiry is null then, saying so.
   */
  private canSignIn(a: AccountRecord): boolean {
    if (!a.uac.enabled) return false;
    const expires = a.accountExpires;
    return expires?.kind !== "time" || Date.parse(expires.iso) > Date.parse(this.options.collectedAt);
  }

  private owners(a: AccountRecord): Owner[] {
    const owners: Owner[] = [];
    for (const dn of a.managedBy) owners.push(this.resolveOwner(dn, "managedBy"));
    if (a.manager) owners.push(this.resolveOwner(a.manager, "manager"));
    return owners;
  }

  private resolveOwner(dn: string, relation: Owner["relation"]): Owner {
    const key = dnKey(dn);
    const account = this.accountByKey.get(key);
    const source = this.options.sourceId;
    if (account) {
      return { ref: this.accountId(account), name: account.sam ?? firstRdnValue(account.dn), source, relation, status: this.canSignIn(account) ? "enabled" : "disabled" };
    }
    const group = this.c.groups.get(key);
    if (group) return { ref: group.dn, name: group.name, source, relation, status: "enabled" };
    // Inside the exported naming context but absent: the owner was deleted. Outside: we cannot tell.
    const nc = this.c.domain ? dnKey(this.c.domain.dn) : null;
    const deleted = key.includes("\\0adel:") || key.includes("cn=deleted objects") || (nc !== null && key.endsWith(nc));
    return { ref: dn, name: firstRdnValue(dn), source, relation, status: deleted ? "deleted" : "unknown" };
  }

  private credential(a: AccountRecord, account: Account, policy: PolicyRecord | null): Credential {
    const base = { id: `${account.id}:password`, account: account.id, source: this.options.sourceId, type: "password" as const };
    const lastRotated = account.passwordLastSet ?? null;
    if (a.cls === "gmsa" || a.cls === "msa") {
      const interval = a.gmsaIntervalDays ?? 30;
      return { ...base, name: "managed service account password", created: lastRotated, lastRotated, expires: addDays(lastRotated, interval), neverExpires: false, managedBy: "enterprise", rotation: "gmsa" };
    }
    if (a.cls === "computer" && account.laps && account.laps.kind !== "none") {
      return { ...base, name: "local Administrator password (LAPS)", created: null, lastRotated: null, expires: account.laps.expires ?? null, neverExpires: false, managedBy: "enterprise", rotation: "laps" };
    }
    if (a.cls === "computer") {
      // The machine changes its own account password (every 30 days by default) and maxPwdAge
      // does not expire it, so there is no expiry to compute.
      return { ...base, name: "machine account password", created: lastRotated, lastRotated, expires: null, neverExpires: null, managedBy: "unknown", rotation: "none" };
    }
    const neverExpires = a.uac.passwordNeverExpires || policy?.maxAgeDays === 0;
    const maxAge = policy?.maxAgeDays;
    return {
      ...base,
      name: "password",
      created: lastRotated,
      lastRotated,
      expires: neverExpires || maxAge === undefined || maxAge === null ? null : addDays(lastRotated, maxAge),
      neverExpires: policy ? neverExpires : a.uac.passwordNeverExpires ? true : null,
      managedBy: account.kind === "human" ? "user" : "unknown",
      rotation: "none",
    };
  }

  private resolveActor(sid: string): ResetPath["actor"] {
    const admin = isAdminTrustee(sid);
    const group = this.groupBySid.get(sid);
    if (group) return { kind: "group", id: group.dn, name: group.name, admin };
    const account = this.accountBySid.get(sid);
    if (account) {
      const kind = this.kindFor(account);
      return { kind: kind === "human" ? "user" : "service", id: this.accountId(account), name: account.sam ?? firstRdnValue(account.dn), admin };
    }
    const known = wellKnownSidName(sid);
    if (sid === "S-1-5-10") return { kind: "self", id: sid, name: known, admin: false };
    return { kind: known ? "group" : "unknown", id: sid, name: known, admin };
  }

  private toPolicy(p: PolicyRecord, scope: "domain" | "pso"): PasswordPolicy {
    const appliesTo =
      scope === "domain"
        ? ["*"]
        : p.appliesTo.map((dn) => {
            const account = this.accountByKey.get(dnKey(dn));
            return account ? this.accountId(account) : dn;
          });
    return {
      id: this.policyId(p),
      source: this.options.sourceId,
      scope,
      name: scope === "pso" ? `PSO:${p.name}` : p.name,
      dn: p.dn,
      appliesTo,
      minLength: p.minLength ?? null,
      historyLength: p.historyLength ?? null,
      maxAgeDays: p.maxAgeDays ?? null,
      minAgeDays: p.minAgeDays ?? null,
      lockoutThreshold: p.lockoutThreshold ?? null,
      lockoutDurationMinutes: p.lockoutDurationMinutes ?? null,
      complexity: p.complexity ?? null,
      reversibleEncryption: p.reversibleEncryption ?? null,
      precedence: scope === "pso" ? (p.precedence ?? null) : null,
    };
  }
}


type PsoChoice = { pso: PolicyRecord } | { tiedWithoutGuid: PolicyRecord[] };

/**
 * The PSO AD applies among those reaching an account ([MS-ADTS] 3.1.1.4.5.36): the lowest
 * msDS-PasswordSettingsPrecedence, ties broken by the lowest objectGUID (its stored bytes
 * compared in order, as Samba's pso_compare and Windows do). A tie among PSOs read without
 * objectGUID cannot be broken: the DN or the read order would be a guess.
 */
function pickPso(candidates: readonly PolicyRecord[]): PsoChoice {
  const precedenceOf = (p: PolicyRecord) => p.precedence ?? Number.MAX_SAFE_INTEGER;
  const lowest = Math.min(...candidates.map(precedenceOf));
  const tied = candidates.filter((p) => precedenceOf(p) === lowest);
  // One PSO linked twice (to two of the account's groups) is no tie.
  const distinct = [...new Map(tied.map((p) => [p.key, p])).values()];
  if (distinct.length === 1) return { pso: distinct[0]! };
  const withoutGuid = distinct.filter((p) => p.guidOrder === undefined);
  if (withoutGuid.length > 0) return { tiedWithoutGuid: withoutGuid };
  return { pso: distinct.reduce((best, p) => (p.guidOrder! < best.guidOrder! ? p : best)) };
}

/** accountExpires as the snapshot carries it: 0 and 0x7FFFFFFFFFFFFFFF are never; not read is null. */
function accountExpiry(a: AccountRecord): Account["expiry"] {
  const expires = a.accountExpires;
  if (expires === undefined) return null;
  return expires.kind === "time" ? { kind: "time", time: expires.iso } : { kind: "never" };
}

function addDays(iso: string | null, days: number): string | null {
  if (!iso) return null;
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

