// The declared baseline (baseline.yaml) after validation against schemas/baseline.schema.json,
// which is the published contract; these types mirror it.
import type { AccountKind, CredentialType, PasswordPolicy, ResetPath, SourceKind } from "../../snapshot/types.ts";

export type BaselineSourceKind = Exclude<SourceKind, "file">;

export interface BaselinePasswordPolicy {
  select: { scope: PasswordPolicy["scope"]; name?: string };
  minLength?: number;
  historyLength?: number;
  maxAgeDays?: number;
  minAgeDays?: number;
  lockoutThreshold?: number;
  lockoutDurationMinutes?: number;
  complexity?: boolean;
  reversibleEncryption?: boolean;
  mustChangeAfterReset?: boolean;
  allowUserChange?: boolean;
}

export interface BaselineSettings {
  ssprEnabled?: "none" | "selected" | "all";
  ssprForAdmins?: boolean;
  passwordWritebackEnabled?: boolean;
  passwordHashSyncEnabled?: boolean;
  cloudPasswordPolicyForSyncedUsers?: boolean;
  userForcePasswordChangeOnLogonSynced?: boolean;
  onPremisesSyncEnabled?: boolean;
  syncIntervalMinutes?: number;
  twoFactorRequired?: boolean;
  samlEnabled?: boolean;
  lapsSchema?: "legacy" | "windows" | "both" | "none";
  functionalLevel?: number;
  krbtgtMaxAgeDays?: number;
}

export interface BaselineResetRight {
  targets: { ou?: string; role?: string; accountKind?: AccountKind };
  allowedActors?: string[];
  allowedMechanisms?: ResetPath["mechanism"][];
  allowUserCompletion?: boolean;
}

export interface BaselineOwnerRule {
  accountKind: AccountKind;
  privileged?: boolean;
  minOwners?: number;
}

export interface BaselineCredentialRule {
  maxLifetimeDays: number;
  types?: Exclude<CredentialType, "password">[];
}

export interface BaselineDirectory {
  kind: BaselineSourceKind;
  passwordPolicies?: BaselinePasswordPolicy[];
  settings?: BaselineSettings;
  resetRights?: BaselineResetRight[];
  owners?: BaselineOwnerRule[];
  credentials?: BaselineCredentialRule;
}

export interface BaselineDocument {
  version: 1;
  directories: Record<string, BaselineDirectory>;
}

/** A position in baseline.yaml: every drift item and baseline check points at the line it came from. */
export interface BaselineLocation {
  file: string;
  line: number;
  column: number;
}

export interface Baseline {
  file: string;
  document: BaselineDocument;
  /** Where the node at a path (`["directories", "corp-ad", "settings", "ssprEnabled"]`) was written. */
  locate(path: readonly (string | number)[]): BaselineLocation;
}
