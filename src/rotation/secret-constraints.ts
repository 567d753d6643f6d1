// The limits a new secret must meet, read from the target account's effective password policy
// in the snapshot (minimum length, complexity) plus the directory's own rules: AD's complexity
// rule rejects a password containing the sAMAccountName or any display-name token of three or
// more characters (case-insensitive), and AD takes at most 256 characters.
import type { Account, PasswordPolicy } from "../snapshot/types.ts";
import type { SecretConstraints } from "./plan.ts";

const allClasses: SecretConstraints["requiredClasses"] = ["lower", "upper", "digit", "symbol"];

export function constraintsFor(account: Account, kind: string, policies: ReadonlyMap<string, PasswordPolicy>): SecretConstraints {
  const policy = account.passwordPolicy ? policies.get(account.passwordPolicy) : undefined;
  const constraints: SecretConstraints = {
    minLength: policy?.minLength ?? 0,
    // Every class, whatever the policy says: meets any complexity rule and costs nothing.
    requiredClasses: [...allClasses],
    forbiddenSubstrings: [],
    policy: policy?.id ?? null,
  };
  if (kind === "ad") {
    constraints.maxLength = 256;
    constraints.forbiddenSubstrings = adNameTokens(account);
  }
  return constraints;
}

/** MS "Password must meet complexity requirements": the sAMAccountName when longer than two
 *  characters, and displayName tokens (split on , . - _ space # tab) of three or more. */
export function adNameTokens(account: Pick<Account, "name" | "displayName" | "nativeIds">): string[] {
  const tokens = new Set<string>();
  const sam = account.nativeIds.samAccountName ?? account.name;
  if (sam.length > 2) tokens.add(sam.toLowerCase());
  for (const token of (account.displayName ?? "").split(/[,.\-_ #\t]+/)) {
    if (token.length >= 3) tokens.add(token.toLowerCase());
  }
  return [...tokens];
}
