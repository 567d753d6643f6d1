// OpenLDAP (and other RFC-style directories with the ppolicy overlay) normalizer shared by the
// LDIF file transport and the live transport. Like the AD normalizer it decodes each entry on
// arrival into a compact record and resolves references in finish() with hash maps.
//
// What counts as what (documented for auditors):
// - accounts: entries with objectClass inetOrgPerson, posixAccount, account, person,
//   organizationalPerson or simpleSecurityObject (bind accounts of applications).
// - service accounts: simpleSecurityObject/account entries without a person class, or entries in
//   the configured service OUs / matching the service name patterns (service-account-rules.ts).
// - owners: the attributes in `ownerAttributes` (default manager, owner). seeAlso is not a default:
//   it links related entries, not owners; add it in the config when your estate uses it so.
// - privileged: member (transitively, groupOfNames/groupOfUniqueNames; posixGroup memberUid) of a
//   group named in `adminGroups` (default admins, administrators, ldap-admins, wheel).
// - passwordPolicy: pwdPolicySubentry, else the default policy (`defaultPolicyDN` in the config,
//   else olcPPolicyDefault from an exported cn=config overlay entry); with neither, unknown (a gap).
// - enabled: not locked by an administrator, and inside the bind window ppolicy enforces
//   (pwdStartTime, pwdEndTime: slapo-ppolicy(5) refuses binds before the one and after the other)
//   at collection time; expiry is pwdEndTime, never without one, unknown (null) when the read
//   returned no operational attribute at all.
import type { Account, Credential, Owner, PasswordPolicy, ResetPath } from "../../snapshot/types.ts";
import { dnKey, firstRdnValue } from "../ldap-common/distinguished-name.ts";
import type { LdapEntry } from "../ldap-common/entry.ts";
import { AttributeValueError, boolOf, countOf, decodeOf, objectClassesOf, textOf, textsOf } from "../ldap-common/entry-values.ts";
import { parseGeneralizedTime } from "../ldap-common/generalized-time.ts";
import { GroupMembership } from "../ldap-common/group-membership.ts";
import { serviceReason, type ServiceAccountRules } from "../ldap-common/service-account-rules.ts";
import type { NormalizedDirectoryFacts } from "../normalized-facts.ts";

export const DEFAULT_OWNER_ATTRIBUTES = ["manager", "owner"];
export const DEFAULT_ADMIN_GROUPS = ["admins", "administrators", "ldap-admins", "wheel"];
/** ppolicy's value of pwdAccountLockedTime for "locked by an administrator until unlocked". */
const PERMANENT_LOCK = "000001010000Z";

const ACCOUNT_CLASSES = ["inetorgperson", "posixaccount", "account", "person", "organizationalperson", "simplesecurityobject"];
// Operational attributes come only when a read asks for them ('+'); the first two are on every
// entry of every server. If no account has any, the read left them out, and so pwdReset,
// pwdChangedTime and pwdPolicySubentry: "no reset pending, never changed" would be a guess.
const OPERATIONAL_ATTRIBUTES = ["entryuuid", "createtimestamp", "modifytimestamp", "creatorsname", "entrycsn", "pwdchangedtime", "pwdreset", "pwdpolicysubentry", "pwdaccountlockedtime", "pwdstarttime", "pwdendtime"];
const PERSON_CLASSES = ["inetorgperson", "person", "organizationalperson"];
// A policy that governs accounts and was not read (or cannot be told) leaves the set of effective
// policies short as well as the accounts' links to them: the policy controls read both.
const ppolicyGapAreas = ["passwordPolicies", "accounts.passwordPolicy"];

export interface LdapNormalizerOptions {
  sourceId: string;
  serviceRules: ServiceAccountRules;
  ownerAttributes?: string[];
  adminGroups?: string[];
  defaultPolicyDN?: string;
  locate: (entry: LdapEntry, error: AttributeValueError) => Error;
  /** Where entries came from, so gap messages speak of "the export" or "the directory". */
  transport?: "file" | "live";
  /** When the source was collected (ISO): binds outside pwdStartTime..pwdEndTime then fail. */
  collectedAt: string;
}

interface PolicyRecord {
  dn: string;
  key: string;
  name: string;
  maxAgeSeconds?: number;
  minAgeSeconds?: number;
  minLength?: number;
  history?: number;
  mustChange?: boolean;
  allowUserChange?: boolean;
  safeModify?: boolean;
  lockout?: boolean;
  maxFailure?: number;
  lockoutDurationSeconds?: number;
}

interface AccountRecord {
  dn: string;
  key: string;
  uuid?: string;
  uid?: string;
  cn?: string;
  mail?: string;
  displayName?: string;
  person: boolean;
  created: string | null;
  lastLogon: string | null;
  pwdChanged: string | null;
  lockedAt: string | null;
  permanentlyLocked: boolean;
  pwdReset: boolean;
  /** pwdStartTime, pwdEndTime (ISO): ppolicy refuses binds before the one and after the other. */
  bindsFrom: string | null;
  bindsUntil: string | null;
  policyDn?: string;
  owners: { relation: Owner["relation"]; ref: string }[];
}

interface GroupRecord {
  dn: string;
  key: string;
  name: string;
  memberUids: string[];
}

function timeOf(entry: LdapEntry, name: string): string | null {
  return decodeOf(entry, name, (_b, text) => parseGeneralizedTime(text)) ?? null;
}

function relationOf(attribute: string): Owner["relation"] {
  if (attribute === "manager") return "manager";
  if (attribute === "managedby") return "managedBy";
  return "owner";
}

export class LdapNormalizer {
  private readonly options: LdapNormalizerOptions;
  private readonly ownerAttributes: string[];
  private readonly accounts: AccountRecord[] = [];
  private readonly groups = new Map<string, GroupRecord>();
  private readonly policies: PolicyRecord[] = [];
  private readonly membership = new GroupMembership();
  private configDefaultPolicy?: string;
  private namingContext: string | null = null;
  private readonly counts: Record<string, number> = { entries: 0 };
  /** Whether any account entry carried an operational attribute (the read asked for '+'). */
  private operationalSeen = false;

  constructor(options: LdapNormalizerOptions) {
    this.options = options;
    this.ownerAttributes = (options.ownerAttributes ?? DEFAULT_OWNER_ATTRIBUTES).map((a) => a.toLowerCase());
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
    // The naming context is the shortest exported DN of a suffix-like entry.
    if ((classes.has("dcobject") || classes.has("domain") || classes.has("organization")) && (this.namingContext === null || key.length < dnKey(this.namingContext).length)) {
      this.namingContext = entry.dn;
    }
    if (classes.has("olcppolicyconfig")) {
      this.configDefaultPolicy = textOf(entry, "olcppolicydefault");
      this.count("config");
      return;
    }
    if (classes.has("pwdpolicy")) {
      this.count("policies");
      this.policies.push({
        dn: entry.dn,
        key,
        name: textOf(entry, "cn") ?? firstRdnValue(entry.dn),
        maxAgeSeconds: countOf(entry, "pwdmaxage"),
        minAgeSeconds: countOf(entry, "pwdminage"),
        minLength: countOf(entry, "pwdminlength"),
        history: countOf(entry, "pwdinhistory"),
        mustChange: boolOf(entry, "pwdmustchange"),
        allowUserChange: boolOf(entry, "pwdallowuserchange"),
        safeModify: boolOf(entry, "pwdsafemodify"),
        lockout: boolOf(entry, "pwdlockout"),
        maxFailure: countOf(entry, "pwdmaxfailure"),
        lockoutDurationSeconds: countOf(entry, "pwdlockoutduration"),
      });
      // A pwdPolicy entry may share its entry with a device/person class; it is not an account.
      return;
    }
    if (classes.has("groupofnames") || classes.has("groupofuniquenames") || classes.has("posixgroup")) {
      this.count("groups");
      for (const member of [...textsOf(entry, "member"), ...textsOf(entry, "uniquemember")]) {
        // uniqueMember may carry an optional `#'0101'B` UID suffix.
        this.membership.add(dnKey(member.replace(/#'[01]*'B$/, "")), key);
      }
      this.groups.set(key, { dn: entry.dn, key, name: textOf(entry, "cn") ?? firstRdnValue(entry.dn), memberUids: textsOf(entry, "memberuid") });
      return;
    }
    if (!ACCOUNT_CLASSES.some((c) => classes.has(c))) {
      this.count(classes.has("organizationalunit") ? "organizationalUnits" : "other");
      return;
    }
    this.count("accounts");
    if (!this.operationalSeen) this.operationalSeen = OPERATIONAL_ATTRIBUTES.some((name) => entry.attributes[name] !== undefined);
    const lockedText = textOf(entry, "pwdaccountlockedtime")?.trim();
    const owners: AccountRecord["owners"] = [];
    for (const attribute of this.ownerAttributes) {
      for (const ref of textsOf(entry, attribute)) owners.push({ relation: relationOf(attribute), ref });
    }
    this.accounts.push({
      dn: entry.dn,
      key,
      uuid: textOf(entry, "entryuuid"),
      uid: textOf(entry, "uid"),
      cn: textOf(entry, "cn"),
      mail: textOf(entry, "mail"),
      displayName: textOf(entry, "displayname"),
      person: PERSON_CLASSES.some((c) => classes.has(c)),
      created: timeOf(entry, "createtimestamp"),
      lastLogon: timeOf(entry, "pwdlastsuccess") ?? timeOf(entry, "authtimestamp"),
      pwdChanged: timeOf(entry, "pwdchangedtime"),
      permanentlyLocked: lockedText === PERMANENT_LOCK,
      lockedAt: lockedText && lockedText !== PERMANENT_LOCK ? timeOf(entry, "pwdaccountlockedtime") : null,
      pwdReset: boolOf(entry, "pwdreset") ?? false,
      bindsFrom: timeOf(entry, "pwdstarttime"),
      bindsUntil: timeOf(entry, "pwdendtime"),
      policyDn: textOf(entry, "pwdpolicysubentry"),
      owners,
    });
  }

  finish(): NormalizedDirectoryFacts {
    const source = this.options.sourceId;
    const idOf = (a: AccountRecord) => `${source}:${a.uuid ?? a.key}`;
    const policyId = (p: PolicyRecord) => `${source}:policy:${p.key}`;
    const accountByKey = new Map<string, AccountRecord>();
    const accountByUid = new Map<string, AccountRecord>();
    for (const a of this.accounts) {
      accountByKey.set(a.key, a);
      if (a.uid) accountByUid.set(a.uid.toLowerCase(), a);
    }
    for (const g of this.groups.values()) {
      for (const uid of g.memberUids) {
        const account = accountByUid.get(uid.toLowerCase());
        if (account) this.membership.add(account.key, g.key);
      }
    }
    const policyByKey = new Map(this.policies.map((p) => [p.key, p]));
    const gaps: NormalizedDirectoryFacts["gaps"] = [];
    const where = this.options.transport === "live" ? "was not read from the directory" : "is not in the export";
    const defaultDn = this.options.defaultPolicyDN ?? this.configDefaultPolicy;
    let defaultPolicy: PolicyRecord | null = null;
    if (defaultDn) {
      defaultPolicy = policyByKey.get(dnKey(defaultDn)) ?? null;
      if (!defaultPolicy) gaps.push({ step: "ppolicy", message: `default policy ${defaultDn} ${where}`, affects: ppolicyGapAreas });
    } else if (this.policies.length > 0) {
      // slapd applies its configured default (olcPPolicyDefault, in cn=config, which a data export
      // does not hold) to an account without pwdPolicySubentry, and no policy at all when none is
      // configured (slapo-ppolicy(5)): even the only pwdPolicy entry may govern nobody else.
      const unnamed = this.accounts.filter((a) => a.policyDn === undefined).length;
      if (unnamed > 0) {
        gaps.push({
          step: "ppolicy",
          message:
            `${this.policies.length} pwdPolicy ${this.policies.length === 1 ? "entry" : "entries"} and no default policy (defaultPolicyDN in the config, or an exported olcPPolicyDefault): ` +
            `the policy of the ${unnamed} account(s) without pwdPolicySubentry is unknown (slapd applies its configured default, or none); set defaultPolicyDN to slapd's ppolicy default`,
          affects: ppolicyGapAreas,
        });
      }
    }

    if (this.accounts.length > 0 && !this.operationalSeen) {
      const how = this.options.transport === "live" ? "the directory returned none of its accounts' operational attributes" : "the export was made without operational attributes ('+')";
      gaps.push({
        step: "entries",
        message: `none of the ${this.accounts.length} account entries has an operational attribute (entryUUID, createTimestamp, pwdChangedTime, pwdReset, ...): ${how}, so password changes, pending resets and per-account policies are unknown; export with ldapsearch -LLL '*' +`,
        affects: ["accounts", "credentials", "resetPaths"],
      });
    }

    const adminGroups = new Set((this.options.adminGroups ?? DEFAULT_ADMIN_GROUPS).map((g) => (g.includes("=") ? dnKey(g) : g.toLowerCase())));
    const adminGroupKeys = new Map<string, string>();
    for (const g of this.groups.values()) if (adminGroups.has(g.name.toLowerCase()) || adminGroups.has(g.key)) adminGroupKeys.set(g.key, g.name);

    const appliesTo = new Map<string, string[]>();
    const missingPolicies = new Map<string, number>();
    const accounts: Account[] = [];
    const credentials: Credential[] = [];
    const resetPaths: ResetPath[] = [];
    for (const a of this.accounts) {
      const id = idOf(a);
      const name = a.uid ?? a.cn ?? firstRdnValue(a.dn);
      const service = !a.person || serviceReason(this.options.serviceRules, a.dn, name) !== null;
      const policy = a.policyDn ? (policyByKey.get(dnKey(a.policyDn)) ?? null) : defaultPolicy;
      if (a.policyDn && !policy) missingPolicies.set(a.policyDn, (missingPolicies.get(a.policyDn) ?? 0) + 1);
      if (policy && a.policyDn) {
        const list = appliesTo.get(policy.key) ?? [];
        list.push(id);
        appliesTo.set(policy.key, list);
      }
      const groups = this.membership.groupsOfLeaf(a.key);
      const reasons: string[] = [];
      for (const g of groups) {
        const admin = adminGroupKeys.get(g);
        if (admin) reasons.push(this.membership.directGroups(a.key).has(g) ? admin : `${admin} (nested)`);
      }
      reasons.sort();
      const neverExpires = policy ? (policy.maxAgeSeconds ?? 0) === 0 : null;
      const account: Account = {
        id,
        source,
        nativeIds: { dn: a.dn, ...(a.uid ? { uid: a.uid } : {}), ...(a.mail ? { mail: a.mail } : {}) },
        name,
        displayName: a.displayName ?? a.cn ?? null,
        kind: service ? "service" : "human",
        enabled: this.canBind(a),
        expiry: a.bindsUntil ? { kind: "time", time: a.bindsUntil } : this.operationalSeen ? { kind: "never" } : null,
        privileged: reasons.length > 0,
        privilegedReasons: reasons,
        owners: a.owners.map((o) => this.resolveOwner(o.ref, o.relation, accountByKey, idOf)),
        groups: [...this.membership.directGroups(a.key)].map((k) => this.groups.get(k)?.dn ?? k),
        created: a.created,
        lastLogon: a.lastLogon,
        passwordLastSet: a.pwdChanged,
        passwordPolicy: policy ? policyId(policy) : null,
        flags: {
          mustChangeAtNextLogon: a.pwdReset,
          lockedOut: a.lockedAt !== null || a.permanentlyLocked,
          ...(neverExpires !== null ? { passwordNeverExpires: neverExpires } : {}),
          ...(policy?.allowUserChange === false ? { cannotChangePassword: true } : {}),
        },
      };
      accounts.push(account);
      const maxAge = policy?.maxAgeSeconds;
      credentials.push({
        id: `${id}:password`,
        account: id,
        source,
        type: "password",
        name: "userPassword",
        created: a.pwdChanged,
        lastRotated: a.pwdChanged,
        expires: a.pwdChanged && maxAge ? new Date(Date.parse(a.pwdChanged) + maxAge * 1000).toISOString() : null,
        neverExpires,
        managedBy: service ? "unknown" : "user",
        rotation: "none",
      });
      if (a.pwdReset) {
        // ppolicy sets pwdReset when an administrator set the password and pwdMustChange is on:
        // the user holds a temporary password and must finish the reset at the next bind.
        resetPaths.push({
          id: `${id}:reset:temporary-password`,
          source,
          target: id,
          mechanism: "temporary-password",
          actor: { kind: "unknown", id: "ppolicy:pwdReset", name: "administrator reset (pwdReset)" },
          right: null,
          inherited: null,
          via: policy?.dn ?? null,
          requiresUserCompletion: true,
        });
      }
    }

    for (const [dn, count] of missingPolicies) {
      gaps.push({ step: "ppolicy", message: `pwdPolicySubentry ${dn} (named by ${count} accounts) ${where}`, affects: ppolicyGapAreas });
    }
    // An attribute absent from a pwdPolicy entry takes the ppolicy default
    // (draft-behera-ldap-password-policy 5.2): 0 for ages, lengths and history, pwdLockout
    // FALSE, pwdMustChange FALSE, pwdAllowUserChange TRUE, pwdLockoutDuration 0 (until unlocked).
    const passwordPolicies: PasswordPolicy[] = this.policies.map((p) => ({
      id: policyId(p),
      source,
      scope: "ppolicy",
      name: p.name,
      dn: p.dn,
      appliesTo: p === defaultPolicy ? ["*"] : (appliesTo.get(p.key) ?? []),
      minLength: p.minLength ?? 0,
      historyLength: p.history ?? 0,
      maxAgeDays: (p.maxAgeSeconds ?? 0) / 86400,
      minAgeDays: (p.minAgeSeconds ?? 0) / 86400,
      lockoutThreshold: p.lockout ? (p.maxFailure ?? 0) : 0,
      lockoutDurationMinutes: (p.lockoutDurationSeconds ?? 0) / 60,
      complexity: null,
      reversibleEncryption: null,
      precedence: null,
      mustChangeAfterReset: p.mustChange ?? false,
      allowUserChange: p.allowUserChange ?? true,
    }));

    return {
      settings: { kind: "ldap", domainName: null },
      passwordPolicies,
      accounts,
      credentials,
      resetPaths,
      counts: this.counts,
      namingContext: this.namingContext,
      gaps,
    };
  }

  /** Whether ppolicy lets the account bind at collection time: not locked for good, inside its bind window. */
  private canBind(a: AccountRecord): boolean {
    const now = Date.parse(this.options.collectedAt);
    if (a.permanentlyLocked) return false;
    if (a.bindsFrom !== null && Date.parse(a.bindsFrom) > now) return false;
    return a.bindsUntil === null || Date.parse(a.bindsUntil) > now;
  }

  private resolveOwner(ref: string, relation: Owner["relation"], accounts: Map<string, AccountRecord>, idOf: (a: AccountRecord) => string): Owner {
    const source = this.options.sourceId;
    const key = dnKey(ref);
    const account = accounts.get(key);
    if (account) return { ref: idOf(account), name: account.uid ?? account.cn ?? null, source, relation, status: this.canBind(account) ? "enabled" : "disabled" };
    const group = this.groups.get(key);
    if (group) return { ref: group.dn, name: group.name, source, relation, status: "enabled" };
    const nc = this.namingContext ? dnKey(this.namingContext) : null;
    const inside = ref.includes("=") && nc !== null && key.endsWith(nc);
    return { ref, name: ref.includes("=") ? firstRdnValue(ref) : ref, source, relation, status: inside ? "deleted" : "unknown" };
  }
}

export async function normalizeLdap(entries: AsyncIterable<LdapEntry>, options: LdapNormalizerOptions): Promise<NormalizedDirectoryFacts> {
  const normalizer = new LdapNormalizer(options);
  for await (const entry of entries) normalizer.add(entry);
  return normalizer.finish();
}
