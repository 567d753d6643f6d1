// Active Directory normalizer shared by the LDIF file transport and the live LDAP transport:
// entries arrive one at a time in any order; each is decoded at once into a compact record
// (raw bytes, including security descriptors, are dropped), and cross-references
// (membership, PSOs, owners, ACL trustees) are resolved in finish() with hash maps, so the
// cost is linear in the number of entries.
import type { Account, Credential, Owner, PasswordPolicy, ResetPath, SourceSettings } from "../../snapshot/types.ts";
import { decodeAdDuration, durationDays, durationMinutes, maxAgeDays } from "../ldap-common/ad-duration.ts";
import { ancestorKeys, dnKey, dnsNameOf, firstRdnValue } from "../ldap-common/distinguished-name.ts";
import type { LdapEntry } from "../ldap-common/entry.ts";
import { AttributeValueError, boolOf, bytesOf, decodeOf, intOf, objectClassesOf, textOf, textsOf } from "../ldap-common/entry-values.ts";
import { decodeFiletime, filetimeToIso, parseFiletimeText } from "../ldap-common/filetime.ts";
import { parseGeneralizedTime } from "../ldap-common/generalized-time.ts";
import { GroupMembership } from "../ldap-common/group-membership.ts";
import { decodeGuid } from "../ldap-common/guid.ts";
import { CLASS_GUID, inheritableResetGrants, resetGrantsOnObject, resetRightsOfAce, type ResetGrant, type ResetRight } from "../ldap-common/reset-rights.ts";
import { parseSecurityDescriptor, type Ace } from "../ldap-common/security-descriptor.ts";
import { serviceReason, type ServiceAccountRules } from "../ldap-common/service-account-rules.ts";
import { decodeSid, sidRid } from "../ldap-common/sid.ts";
import { decodeUac, type DecodedUac } from "../ldap-common/user-account-control.ts";
import type { NormalizedDirectoryFacts } from "../normalized-facts.ts";
import { privilegedGroupName, isAdminTrustee, IGNORED_TRUSTEES, wellKnownSidName } from "./well-known-principals.ts";

export interface AdNormalizerOptions {
  sourceId: string;
  serviceRules: ServiceAccountRules;
  /** Turns a value that cannot be decoded into the error the transport reports (file:line or DN). */
  locate: (entry: LdapEntry, error: AttributeValueError) => Error;
  /** Where entries came from, so gap messages speak of "the export" or "the directory". */
  transport?: "file" | "live";
}

type AdClass = "user" | "computer" | "gmsa" | "msa";

interface AccountRecord {
  dn: string;
  key: string;
  cls: AdClass;
  guid?: string;
  sid?: string;
  sam?: string;
  upn?: string;
  mail?: string;
  displayName?: string;
  uacValue?: number;
  uac: DecodedUac;
  pwdLastSet?: bigint;
  lastLogon: string | null;
  created: string | null;
  adminCount: boolean;
  spns: string[];
  managedBy: string[];
  manager?: string;
  primaryGroupId?: number;
  resultantPso?: string;
  lapsLegacy?: string | null;
  lapsWindows?: string | null;
  gmsaIntervalDays?: number;
  /** Reset grants from the object's own DACL; undefined when the export had no SD for it. */
  grants?: ResetGrant[];
}

interface GroupRecord {
  dn: string;
  key: string;
  sid?: string;
  name: string;
}

interface PolicyRecord {
  dn: string;
  key: string;
  name: string;
  minLength?: number;
  historyLength?: number;
  maxAgeDays?: number | null;
  minAgeDays?: number | null;
  lockoutThreshold?: number;
  lockoutDurationMinutes?: number | null;
  complexity?: boolean;
  reversibleEncryption?: boolean;
  precedence?: number;
  appliesTo: string[];
}

interface DomainRecord {
  dn: string;
  sid?: string;
  functionalLevel?: number;
  policy: PolicyRecord;
}

const CLASS_GUIDS: Record<AdClass, readonly string[]> = {
  user: [CLASS_GUID.user],
  computer: [CLASS_GUID.computer],
  gmsa: [CLASS_GUID["msDS-GroupManagedServiceAccount"]],
  msa: [CLASS_GUID["msDS-ManagedServiceAccount"]],
};

function timeOf(entry: LdapEntry, name: string): string | null {
  return decodeOf(entry, name, (_b, text) => filetimeToIso(parseFiletimeText(text))) ?? null;
}

function generalizedOf(entry: LdapEntry, name: string): string | null {
  return decodeOf(entry, name, (_b, text) => parseGeneralizedTime(text)) ?? null;
}

function durationOf(entry: LdapEntry, name: string) {
  return decodeOf(entry, name, (_b, text) => decodeAdDuration(text));
}

export class AdNormalizer {
  private readonly options: AdNormalizerOptions;
  private readonly accounts: AccountRecord[] = [];
  private readonly groups = new Map<string, GroupRecord>();
  private readonly psos: PolicyRecord[] = [];
  /** Containers' reset-relevant ACEs, in DACL order, keyed by DN key. */
  private readonly containerAces = new Map<string, { dn: string; aces: Ace[] }>();
  private readonly membership = new GroupMembership();
  private domain: DomainRecord | null = null;
  private lapsSchemaLegacy = false;
  private lapsSchemaWindows = false;
  private sawSchema = false;
  private readonly counts: Record<string, number> = { entries: 0 };
  private readonly grantLists = new Map<string, ResetGrant[]>();

  constructor(options: AdNormalizerOptions) {
    this.options = options;
  }

  private count(kind: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  add(entry: LdapEntry): void {
    try {
      this.addEntry(entry);
    } catch (error) {
      if (error instanceof AttributeValueError) throw this.options.locate(entry, error);
      throw error;
    }
  }

  private addEntry(entry: LdapEntry): void {
    this.counts.entries++;
    const classes = objectClassesOf(entry);
    const key = dnKey(entry.dn);
    for (const group of textsOf(entry, "memberof")) this.membership.add(key, dnKey(group));

    if (classes.has("attributeschema")) {
      this.sawSchema = true;
      const name = (textOf(entry, "ldapdisplayname") ?? "").toLowerCase();
      if (name === "ms-mcs-admpwd") this.lapsSchemaLegacy = true;
      if (name === "mslaps-password" || name === "mslaps-encryptedpassword") this.lapsSchemaWindows = true;
      this.count("schema");
      return;
    }
    if (classes.has("domaindns")) return this.addDomain(entry, key);
    if (classes.has("msds-passwordsettings")) return this.addPso(entry, key);
    if (classes.has("group")) return this.addGroup(entry, key);
    if (classes.has("user") || classes.has("computer") || classes.has("msds-groupmanagedserviceaccount")) {
      return this.addAccount(entry, key, classes);
    }
    if (classes.has("organizationalunit") || classes.has("container") || classes.has("builtindomain")) {
      this.count(classes.has("organizationalunit") ? "organizationalUnits" : "containers");
      this.addContainerSd(entry, key);
      return;
    }
    this.count("other");
  }

  private addContainerSd(entry: LdapEntry, key: string): void {
    const sd = decodeOf(entry, "ntsecuritydescriptor", (bytes) => parseSecurityDescriptor(bytes));
    if (!sd?.dacl) return;
    // Keep only ACEs that can matter for resets: a 300k-object tree has few containers, but
    // each DACL has dozens of irrelevant read ACEs.
    const aces = sd.dacl.filter((ace) => resetRightsOfAce(ace).length > 0);
    if (aces.length) this.containerAces.set(key, { dn: entry.dn, aces });
  }

  private addDomain(entry: LdapEntry, key: string): void {
    this.count("domains");
    this.addContainerSd(entry, key);
    const pwdProperties = intOf(entry, "pwdproperties");
    const maxAge = durationOf(entry, "maxpwdage");
    const minAge = durationOf(entry, "minpwdage");
    const lockout = durationOf(entry, "lockoutduration");
    const sidBytes = bytesOf(entry, "objectsid");
    const domainName = dnsNameOf(entry.dn) ?? entry.dn;
    const policy: PolicyRecord = {
      dn: entry.dn,
      key,
      name: domainName,
      minLength: intOf(entry, "minpwdlength"),
      historyLength: intOf(entry, "pwdhistorylength"),
      maxAgeDays: maxAge ? maxAgeDays(maxAge) : undefined,
      minAgeDays: minAge ? durationDays(minAge) : undefined,
      lockoutThreshold: intOf(entry, "lockoutthreshold"),
      lockoutDurationMinutes: lockout ? durationMinutes(lockout) : undefined,
      complexity: pwdProperties === undefined ? undefined : (pwdProperties & 0x1) !== 0,
      reversibleEncryption: pwdProperties === undefined ? undefined : (pwdProperties & 0x10) !== 0,
      appliesTo: ["*"],
    };
    // A forest dump can hold several domain heads; the first (or the one holding accounts) wins
    // for settings, which is what a single-domain source describes.
    if (!this.domain) {
      this.domain = {
        dn: entry.dn,
        sid: sidBytes ? decodeOf(entry, "objectsid", (b) => decodeSid(b)) : undefined,
        functionalLevel: intOf(entry, "msds-behavior-version"),
        policy,
      };
    }
  }

  private addPso(entry: LdapEntry, key: string): void {
    this.count("passwordSettingsObjects");
    const maxAge = durationOf(entry, "msds-maximumpasswordage");
    const minAge = durationOf(entry, "msds-minimumpasswordage");
    const lockout = durationOf(entry, "msds-lockoutduration");
    this.psos.push({
      dn: entry.dn,
      key,
      name: textOf(entry, "cn") ?? firstRdnValue(entry.dn),
      minLength: intOf(entry, "msds-minimumpasswordlength"),
      historyLength: intOf(entry, "msds-passwordhistorylength"),
      maxAgeDays: maxAge ? maxAgeDays(maxAge) : undefined,
      minAgeDays: minAge ? durationDays(minAge) : undefined,
      lockoutThreshold: intOf(entry, "msds-lockoutthreshold"),
      lockoutDurationMinutes: lockout ? durationMinutes(lockout) : undefined,
      complexity: boolOf(entry, "msds-passwordcomplexityenabled"),
      reversibleEncryption: boolOf(entry, "msds-passwordreversibleencryptionenabled"),
      precedence: intOf(entry, "msds-passwordsettingsprecedence"),
      appliesTo: textsOf(entry, "msds-psoappliesto"),
    });
  }

  private addGroup(entry: LdapEntry, key: string): void {
    this.count("groups");
    for (const member of textsOf(entry, "member")) this.membership.add(dnKey(member), key);
    this.groups.set(key, {
      dn: entry.dn,
      key,
      sid: decodeOf(entry, "objectsid", (b) => decodeSid(b)),
      name: textOf(entry, "samaccountname") ?? textOf(entry, "cn") ?? firstRdnValue(entry.dn),
    });
  }

  private addAccount(entry: LdapEntry, key: string, classes: Set<string>): void {
    const cls: AdClass = classes.has("msds-groupmanagedserviceaccount")
      ? "gmsa"
      : classes.has("msds-managedserviceaccount")
        ? "msa"
        : classes.has("computer")
          ? "computer"
          : "user";
    this.count(cls === "gmsa" ? "groupManagedServiceAccounts" : cls === "msa" ? "managedServiceAccounts" : cls === "computer" ? "computers" : "users");
    const uacValue = intOf(entry, "useraccountcontrol");
    const computed = intOf(entry, "msds-user-account-control-computed") ?? 0;
    const sd = decodeOf(entry, "ntsecuritydescriptor", (bytes) => parseSecurityDescriptor(bytes));
    const legacyExp = entry.attributes["ms-mcs-admpwdexpirationtime"] ? timeOf(entry, "ms-mcs-admpwdexpirationtime") : undefined;
    const windowsExp = entry.attributes["mslaps-passwordexpirationtime"] ? timeOf(entry, "mslaps-passwordexpirationtime") : undefined;
    if (legacyExp !== undefined) this.lapsSchemaLegacy = true;
    if (windowsExp !== undefined) this.lapsSchemaWindows = true;
    const lastLogonTs = timeOf(entry, "lastlogontimestamp");
    this.accounts.push({
      dn: entry.dn,
      key,
      cls,
      guid: decodeOf(entry, "objectguid", (b) => decodeGuid(b)),
      sid: decodeOf(entry, "objectsid", (b) => decodeSid(b)),
      sam: textOf(entry, "samaccountname"),
      upn: textOf(entry, "userprincipalname"),
      mail: textOf(entry, "mail"),
      displayName: textOf(entry, "displayname"),
      uacValue,
      uac: decodeUac(uacValue ?? 0, computed),
      // Decoded here too, so a value AD never holds (negative, out of range) is reported with
      // its file and line instead of failing the whole source later.
      pwdLastSet: decodeOf(entry, "pwdlastset", (_b, text) => {
        const ticks = parseFiletimeText(text);
        decodeFiletime(ticks);
        return ticks;
      }),
      lastLogon: lastLogonTs,
      created: generalizedOf(entry, "whencreated"),
      adminCount: (intOf(entry, "admincount") ?? 0) > 0,
      spns: textsOf(entry, "serviceprincipalname"),
      managedBy: textsOf(entry, "managedby"),
      manager: textOf(entry, "manager"),
      primaryGroupId: intOf(entry, "primarygroupid"),
      resultantPso: textOf(entry, "msds-resultantpso"),
      lapsLegacy: legacyExp,
      lapsWindows: windowsExp,
      gmsaIntervalDays: intOf(entry, "msds-managedpasswordinterval"),
      grants: sd?.dacl ? this.internGrants(resetGrantsOnObject(sd.dacl)) : undefined,
    });
  }

  /**
   * Most objects in an OU carry the same DACL, so identical grant lists are stored once:
   * 300k users then hold references to a handful of arrays instead of millions of objects.
   */
  private internGrants(grants: ResetGrant[]): ResetGrant[] {
    const key = grants.map((g) => `${g.sid}|${g.right}|${g.inherited ? 1 : 0}`).join(";");
    const known = this.grantLists.get(key);
    if (known) return known;
    this.grantLists.set(key, grants);
    return grants;
  }

  finish(): NormalizedDirectoryFacts {
    return new AdResolution(this.options, {
      accounts: this.accounts,
      groups: this.groups,
      psos: this.psos,
      containerAces: this.containerAces,
      membership: this.membership,
      domain: this.domain,
      laps: { legacy: this.lapsSchemaLegacy, windows: this.lapsSchemaWindows, sawSchema: this.sawSchema },
      counts: this.counts,
    }).run();
  }
}

interface Collected {
  accounts: AccountRecord[];
  groups: Map<string, GroupRecord>;
  psos: PolicyRecord[];
  containerAces: Map<string, { dn: string; aces: Ace[] }>;
  membership: GroupMembership;
  domain: DomainRecord | null;
  laps: { legacy: boolean; windows: boolean; sawSchema: boolean };
  counts: Record<string, number>;
}

/** Second phase: everything is known, resolve references. */
class AdResolution {
  private readonly options: AdNormalizerOptions;
  private readonly c: Collected;
  private readonly accountByKey = new Map<string, AccountRecord>();
  private readonly accountBySid = new Map<string, AccountRecord>();
  private readonly groupBySid = new Map<string, GroupRecord>();
  private readonly kindOf = new Map<AccountRecord, Account["kind"]>();
  private readonly policyIdByKey = new Map<string, string>();
  private readonly psoByAppliesTo = new Map<string, PolicyRecord[]>();
  /** What each container passes down, per target class and depth: shared by all its descendants. */
  private readonly passedDown = new Map<string, ResetGrant[]>();
  private readonly actors = new Map<string, ResetPath["actor"]>();

  constructor(options: AdNormalizerOptions, collected: Collected) {
    this.options = options;
    this.c = collected;
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
        enabled: a.uac.enabled,
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
      this.addResetPaths(a, id, mustChange, resetPaths);
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
   * Effective password policy, as AD resolves it: msDS-ResultantPSO when exported; else the
   * lowest-precedence PSO applied to the user directly; else the lowest-precedence PSO applied
   * to any of its (transitive) groups; else the domain policy. Ties go to the lower DN.
   */
  private effectivePolicy(a: AccountRecord, allGroups: ReadonlySet<string>): PolicyRecord | null {
    if (a.resultantPso) {
      const k = dnKey(a.resultantPso);
      const pso = this.c.psos.find((p) => p.key === k);
      if (pso) return pso;
    }
    if (this.c.psos.length) {
      const direct = this.psoByAppliesTo.get(a.key);
      const best = pickPso(direct ?? []);
      if (best) return best;
      const viaGroups: PolicyRecord[] = [];
      for (const g of allGroups) viaGroups.push(...(this.psoByAppliesTo.get(g) ?? []));
      const bestGroup = pickPso(viaGroups);
      if (bestGroup) return bestGroup;
    }
    return this.c.domain?.policy ?? null;
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
      return { ref: this.accountId(account), name: account.sam ?? firstRdnValue(account.dn), source, relation, status: account.uac.enabled ? "enabled" : "disabled" };
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

  /** Paths are unique per (actor, target, right); targets differ per call, so deduplication is per call. */
  private addResetPaths(a: AccountRecord, targetId: string, mustChange: boolean, out: ResetPath[]): void {
    const source = this.options.sourceId;
    // A computer with pwdLastSet=0 was reset by an admin; no person finishes that, so no path.
    if (mustChange && a.cls === "user") {
      out.push({
        id: `${targetId}:reset:force-change-at-logon`,
        source,
        target: targetId,
        mechanism: "force-change-at-logon",
        actor: { kind: "self", id: targetId, name: a.sam ?? null },
        right: null,
        inherited: null,
        via: null,
        requiresUserCompletion: true,
      });
    }
    const ancestors = ancestorKeys(a.dn);
    const classGuids = CLASS_GUIDS[a.cls];
    const grants: { grant: ResetGrant; via: string | null }[] = [];
    if (a.grants) {
      for (const grant of a.grants) grants.push({ grant, via: grant.inherited ? this.origin(ancestors, a.cls, classGuids, grant.sid, grant.right) : null });
    } else if (!a.adminCount) {
      // No SD for the object itself: derive what its containers pass down. adminCount=1 objects
      // get a protected DACL from AdminSDHolder, so nothing is inherited onto them.
      const seen = new Set<string>();
      for (let i = 0; i < ancestors.length; i++) {
        const container = this.c.containerAces.get(ancestors[i]);
        if (!container) continue;
        for (const grant of this.grantsPassedDown(ancestors[i], container.aces, a.cls, classGuids, i === 0)) {
          const k = `${grant.sid}|${grant.right}`;
          if (seen.has(k)) continue;
          seen.add(k);
          grants.push({ grant: { ...grant, inherited: true }, via: this.origin(ancestors, a.cls, classGuids, grant.sid, grant.right) });
        }
      }
    }
    const unique = new Set<string>();
    for (const { grant, via } of grants) {
      if (IGNORED_TRUSTEES.has(grant.sid)) continue;
      const actor = this.actor(grant.sid);
      const dedupe = `${actor.id}|${grant.right}`;
      if (unique.has(dedupe)) continue;
      unique.add(dedupe);
      out.push({
        id: `${targetId}:reset:${grant.sid}:${grant.right}`,
        source,
        target: targetId,
        mechanism: actor.admin ? "admin-role" : "delegated-acl",
        actor,
        right: grant.right,
        inherited: grant.inherited,
        via,
        requiresUserCompletion: false,
      });
    }
  }

  /**
   * Where an inherited grant was set: the nearest ancestor holding it as an explicit
   * (non-inherited) ACE, else the farthest ancestor holding it at all, else null.
   */
  private origin(ancestors: string[], cls: AdClass, classGuids: readonly string[], sid: string, right: ResetRight): string | null {
    let farthest: string | null = null;
    for (let i = 0; i < ancestors.length; i++) {
      const container = this.c.containerAces.get(ancestors[i]);
      if (!container) continue;
      for (const g of this.grantsPassedDown(ancestors[i], container.aces, cls, classGuids, i === 0)) {
        if (g.sid !== sid || g.right !== right) continue;
        if (!g.inherited) return container.dn;
        farthest = container.dn;
      }
    }
    return farthest;
  }

  private grantsPassedDown(key: string, aces: Ace[], cls: AdClass, classGuids: readonly string[], directChild: boolean): ResetGrant[] {
    const cacheKey = `${key}|${cls}|${directChild}`;
    let grants = this.passedDown.get(cacheKey);
    if (!grants) {
      grants = inheritableResetGrants(aces, classGuids, directChild);
      this.passedDown.set(cacheKey, grants);
    }
    return grants;
  }

  /** Resolved once per trustee; paths to many targets share the same actor object. */
  private actor(sid: string): ResetPath["actor"] {
    let actor = this.actors.get(sid);
    if (!actor) {
      actor = this.resolveActor(sid);
      this.actors.set(sid, actor);
    }
    return actor;
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

function pickPso(candidates: PolicyRecord[]): PolicyRecord | null {
  let best: PolicyRecord | null = null;
  for (const p of candidates) {
    const prec = p.precedence ?? Number.MAX_SAFE_INTEGER;
    const bestPrec = best?.precedence ?? Number.MAX_SAFE_INTEGER;
    if (!best || prec < bestPrec || (prec === bestPrec && p.key < best.key)) best = p;
  }
  return best;
}

function addDays(iso: string | null, days: number): string | null {
  if (!iso) return null;
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/** Convenience for transports: normalize a whole stream. */
export async function normalizeAd(entries: AsyncIterable<LdapEntry>, options: AdNormalizerOptions): Promise<NormalizedDirectoryFacts> {
  const normalizer = new AdNormalizer(options);
  for await (const entry of entries) normalizer.add(entry);
  return normalizer.finish();
}
