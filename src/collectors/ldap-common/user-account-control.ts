// userAccountControl and msDS-User-Account-Control-Computed bits ([MS-ADTS] 2.2.16).
// Only the stored attribute carries most bits; LOCKOUT and PASSWORD_EXPIRED are reliable only
// in the constructed msDS-User-Account-Control-Computed, which is why both are decoded.

export const UAC = {
  SCRIPT: 0x1,
  ACCOUNTDISABLE: 0x2,
  HOMEDIR_REQUIRED: 0x8,
  LOCKOUT: 0x10,
  PASSWD_NOTREQD: 0x20,
  PASSWD_CANT_CHANGE: 0x40,
  ENCRYPTED_TEXT_PWD_ALLOWED: 0x80,
  TEMP_DUPLICATE_ACCOUNT: 0x100,
  NORMAL_ACCOUNT: 0x200,
  INTERDOMAIN_TRUST_ACCOUNT: 0x800,
  WORKSTATION_TRUST_ACCOUNT: 0x1000,
  SERVER_TRUST_ACCOUNT: 0x2000,
  DONT_EXPIRE_PASSWORD: 0x10000,
  MNS_LOGON_ACCOUNT: 0x20000,
  SMARTCARD_REQUIRED: 0x40000,
  TRUSTED_FOR_DELEGATION: 0x80000,
  NOT_DELEGATED: 0x100000,
  USE_DES_KEY_ONLY: 0x200000,
  DONT_REQ_PREAUTH: 0x400000,
  PASSWORD_EXPIRED: 0x800000,
  TRUSTED_TO_AUTH_FOR_DELEGATION: 0x1000000,
  PARTIAL_SECRETS_ACCOUNT: 0x4000000,
} as const;

export type UacFlagName = keyof typeof UAC;

/** Names of the bits set in a userAccountControl value, in ascending bit order. */
export function uacFlagNames(value: number): UacFlagName[] {
  const names: UacFlagName[] = [];
  for (const [name, bit] of Object.entries(UAC) as [UacFlagName, number][]) {
    if ((value & bit) !== 0) names.push(name);
  }
  return names;
}

export function hasUac(value: number, flag: UacFlagName): boolean {
  return (value & UAC[flag]) !== 0;
}

/** The decoded facts the snapshot cares about. `computed` is msDS-User-Account-Control-Computed. */
export interface DecodedUac {
  enabled: boolean;
  passwordNotRequired: boolean;
  cannotChangePassword: boolean;
  reversibleEncryption: boolean;
  passwordNeverExpires: boolean;
  smartcardRequired: boolean;
  trustedForDelegation: boolean;
  desOnly: boolean;
  noPreauth: boolean;
  lockedOut: boolean;
  passwordExpired: boolean;
  workstationTrust: boolean;
  serverTrust: boolean;
}

export function decodeUac(value: number, computed = 0): DecodedUac {
  const either = value | computed;
  return {
    enabled: !hasUac(value, "ACCOUNTDISABLE"),
    passwordNotRequired: hasUac(value, "PASSWD_NOTREQD"),
    cannotChangePassword: hasUac(either, "PASSWD_CANT_CHANGE"),
    reversibleEncryption: hasUac(value, "ENCRYPTED_TEXT_PWD_ALLOWED"),
    passwordNeverExpires: hasUac(value, "DONT_EXPIRE_PASSWORD"),
    smartcardRequired: hasUac(value, "SMARTCARD_REQUIRED"),
    trustedForDelegation: hasUac(value, "TRUSTED_FOR_DELEGATION"),
    desOnly: hasUac(value, "USE_DES_KEY_ONLY"),
    noPreauth: hasUac(value, "DONT_REQ_PREAUTH"),
    lockedOut: hasUac(computed, "LOCKOUT"),
    passwordExpired: hasUac(either, "PASSWORD_EXPIRED"),
    workstationTrust: hasUac(value, "WORKSTATION_TRUST_ACCOUNT"),
    serverTrust: hasUac(value, "SERVER_TRUST_ACCOUNT"),
  };
}
