// First phase of the AD normalizer: entries arrive one at a time in any order (LDIF file or
// live server); each is decoded at once into a compact record. finish() hands the records to
// the resolution phase (resolution.ts).
import { decodeAdDuration, durationDays, durationMinutes, maxAgeDays } from "../ldap-common/ad-duration.ts";
import { dnKey, dnsNameOf, firstRdnValue } from "../ldap-common/distinguished-name.ts";
import type { LdapEntry } from "../ldap-common/entry.ts";
import { AttributeValueError, boolOf, bytesOf, countOf, decodeOf, intOf, objectClassesOf, textOf, textsOf } from "../ldap-common/entry-values.ts";
import { decodeFiletime, filetimeToIso, parseFiletimeText } from "../ldap-common/filetime.ts";
import { parseGeneralizedTime } from "../ldap-common/generalized-time.ts";
import { GroupMembership } from "../ldap-common/group-membership.ts";
import { decodeGuid, guidByteOrderKey } from "../ldap-common/guid.ts";
import { resetGrantsOnObject, resetRightsOfAce, type ResetGrant } from "../ldap-common/reset-rights.ts";
import { parseSecurityDescriptor, type Ace } from "../ldap-common/security-descriptor.ts";
import { decodeSid } from "../ldap-common/sid.ts";
import { decodeUac } from "../ldap-common/user-account-control.ts";
import type { NormalizedDirectoryFacts } from "../normalized-facts.ts";
import type { AccountRecord, AdClass, AdNormalizerOptions, DomainRecord, GroupRecord, PolicyRecord } from "./records.ts";
import { AdResolution } from "./resolution.ts";

function timeOf(entry: LdapEntry, name: string): string | null {
  return decodeOf(entry, name, (_b, text) => filetimeToIso(parseFiletimeText(text))) ?? null;
}

function generalizedOf(entry: LdapEntry, name: string): string | null {
  return decodeOf(entry, name, (_b, text) => parseGeneralizedTime(text)) ?? null;
}

function durationOf(entry: LdapEntry, name: string) {
  return decodeOf(entry, name, (_b, text) => decodeAdDuration(text));
}


export class AdIngest {
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
      minLength: countOf(entry, "minpwdlength"),
      historyLength: countOf(entry, "pwdhistorylength"),
      maxAgeDays: maxAge ? maxAgeDays(maxAge) : undefined,
      minAgeDays: minAge ? durationDays(minAge) : undefined,
      lockoutThreshold: countOf(entry, "lockoutthreshold"),
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
      minLength: countOf(entry, "msds-minimumpasswordlength"),
      historyLength: countOf(entry, "msds-passwordhistorylength"),
      maxAgeDays: maxAge ? maxAgeDays(maxAge) : undefined,
      minAgeDays: minAge ? durationDays(minAge) : undefined,
      lockoutThreshold: countOf(entry, "msds-lockoutthreshold"),
      lockoutDurationMinutes: lockout ? durationMinutes(lockout) : undefined,
      complexity: boolOf(entry, "msds-passwordcomplexityenabled"),
      reversibleEncryption: boolOf(entry, "msds-passwordreversibleencryptionenabled"),
      precedence: intOf(entry, "msds-passwordsettingsprecedence"),
      guidOrder: decodeOf(entry, "objectguid", (b) => guidByteOrderKey(b)),
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
      groupType: intOf(entry, "grouptype"),
      psoApplied: textsOf(entry, "msds-psoapplied"),
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
    // A 32-bit flag set with no flag in the sign bit ([MS-ADTS] 2.2.16): a negative value is an
    // edited export, and its two's complement would read as nearly every flag set.
    if (uacValue !== undefined && (uacValue < 0 || uacValue > 0x7fffffff)) throw new AttributeValueError("useraccountcontrol", `${uacValue} is not a userAccountControl flag set (a 32-bit value without the sign bit)`);
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
        // 0x7FFFFFFFFFFFFFFF means "never" for accountExpires only; AD keeps pwdLastSet at 0
        // (change at next logon) or the time the password was set.
        if (decodeFiletime(ticks).kind === "never") throw new RangeError(`${ticks} is not a time the password was set (AD holds 0 or a time)`);
        return ticks;
      }),
      accountExpires: decodeOf(entry, "accountexpires", (_b, text) => decodeFiletime(parseFiletimeText(text))),
      lastLogon: lastLogonTs,
      created: generalizedOf(entry, "whencreated"),
      adminCount: (intOf(entry, "admincount") ?? 0) > 0,
      spns: textsOf(entry, "serviceprincipalname"),
      managedBy: textsOf(entry, "managedby"),
      manager: textOf(entry, "manager"),
      primaryGroupId: intOf(entry, "primarygroupid"),
      resultantPso: textOf(entry, "msds-resultantpso"),
      psoApplied: textsOf(entry, "msds-psoapplied"),
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

