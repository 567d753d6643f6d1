// Which accounts and groups a fine-grained password policy (PSO) can reach, as AD computes
// msDS-ResultantPSO ([MS-ADTS] 3.1.1.4.5.36): only accounts with ADS_UF_NORMAL_ACCOUNT set
// (not computers, gMSAs or trust accounts) and not the domain's krbtgt get one, and a PSO
// linked to a group counts only when the group is among the account's global security groups
// (RevMembGetAccountGroups): a PSO linked to a universal, domain local or distribution group
// is ignored; and in a domain below the Windows Server 2008 functional level no PSO applies.
// Reading such links as applied would credit members with a policy they do not have.
import { hasUac } from "../ldap-common/user-account-control.ts";

const DS_BEHAVIOR_WIN2008 = 3; // msDS-Behavior-Version of a Windows Server 2008 domain ([MS-ADTS] 6.1.4.2)
const ACCOUNT_GROUP = 0x2; // GROUP_TYPE_ACCOUNT_GROUP, a global group ([MS-ADTS] 2.2.12)
const SECURITY_ENABLED = 0x80000000; // GROUP_TYPE_SECURITY_ENABLED

/** True when a PSO linked to a group of this groupType applies to the group's members. */
export function psoAppliesThroughGroup(groupType: number): boolean {
  return (groupType & ACCOUNT_GROUP) !== 0 && (groupType & SECURITY_ENABLED) !== 0;
}

/** True when AD resolves a PSO for an account of this userAccountControl and RID. */
export function psoAppliesToAccount(userAccountControl: number, rid: number | undefined): boolean {
  return hasUac(userAccountControl, "NORMAL_ACCOUNT") && rid !== 502;
}

/**
 * True when PSOs govern anyone in a domain of this functional level: below Windows Server 2008
 * msDS-ResultantPSO has no value and the domain policy applies to every account. An unknown
 * level (the domain head was not read with msDS-Behavior-Version) is taken as current.
 */
export function psosApplyAtLevel(functionalLevel: number | undefined): boolean {
  return functionalLevel === undefined || functionalLevel >= DS_BEHAVIOR_WIN2008;
}
