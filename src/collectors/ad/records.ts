// The AD normalizer's options, and the compact records it keeps per entry while ingesting (raw bytes, including
// security descriptors, are decoded at once and dropped), and what ingestion hands to resolution.
import type { Ace } from "../ldap-common/security-descriptor.ts";
import type { GroupMembership } from "../ldap-common/group-membership.ts";
import type { LdapEntry } from "../ldap-common/entry.ts";
import type { AttributeValueError } from "../ldap-common/entry-values.ts";
import type { ServiceAccountRules } from "../ldap-common/service-account-rules.ts";
import type { DecodedUac } from "../ldap-common/user-account-control.ts";
import type { FiletimeValue } from "../ldap-common/filetime.ts";
import { CLASS_GUID, type ResetGrant } from "../ldap-common/reset-rights.ts";

export interface AdNormalizerOptions {
  sourceId: string;
  serviceRules: ServiceAccountRules;
  /** Turns a value that cannot be decoded into the error the transport reports (file:line or DN). */
  locate: (entry: LdapEntry, error: AttributeValueError) => Error;
  /** Where entries came from, so gap messages speak of "the export" or "the directory". */
  transport?: "file" | "live";
  /** When the source was collected (ISO): an account whose accountExpires is not later cannot sign in. */
  collectedAt: string;
}

export type AdClass = "user" | "computer" | "gmsa" | "msa";

export interface AccountRecord {
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
  /** accountExpires decoded; undefined when the entry did not carry it. */
  accountExpires?: FiletimeValue;
  lastLogon: string | null;
  created: string | null;
  adminCount: boolean;
  spns: string[];
  managedBy: string[];
  manager?: string;
  primaryGroupId?: number;
  resultantPso?: string;
  /** msDS-PSOApplied: the PSOs linked to the account itself (the back link of msDS-PSOAppliesTo). */
  psoApplied: string[];
  lapsLegacy?: string | null;
  lapsWindows?: string | null;
  gmsaIntervalDays?: number;
  /** Reset grants from the object's own DACL; undefined when the export had no SD for it. */
  grants?: ResetGrant[];
}

export interface GroupRecord {
  dn: string;
  key: string;
  sid?: string;
  name: string;
  /** groupType ([MS-ADTS] 2.2.12): whether a PSO linked to the group applies to its members. */
  groupType?: number;
  /** msDS-PSOApplied: the PSOs linked to the group. */
  psoApplied: string[];
}

export interface PolicyRecord {
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
  /** objectGUID in stored byte order (guidByteOrderKey): AD breaks precedence ties on it. */
  guidOrder?: string;
  appliesTo: string[];
}

export interface DomainRecord {
  dn: string;
  sid?: string;
  functionalLevel?: number;
  policy: PolicyRecord;
}

export const CLASS_GUIDS: Record<AdClass, readonly string[]> = {
  user: [CLASS_GUID.user],
  computer: [CLASS_GUID.computer],
  gmsa: [CLASS_GUID["msDS-GroupManagedServiceAccount"]],
  msa: [CLASS_GUID["msDS-ManagedServiceAccount"]],
};


/** Everything ingestion gathered, for the resolution phase. */
export interface Collected {
  accounts: AccountRecord[];
  groups: Map<string, GroupRecord>;
  psos: PolicyRecord[];
  containerAces: Map<string, { dn: string; aces: Ace[] }>;
  membership: GroupMembership;
  domain: DomainRecord | null;
  laps: { legacy: boolean; windows: boolean; sawSchema: boolean };
  counts: Record<string, number>;
}

