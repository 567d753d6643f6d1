// New secrets: drawn from the operating system's CSPRNG (crypto.randomInt, unbiased) to the
// limits of SecretConstraints. Every character class is always present (so any complexity
// rule is met), and a draw containing a forbidden substring (AD: the account name) is redrawn.
import { randomInt } from "node:crypto";
import type { SecretConstraints } from "./plan.ts";

// No quote, backslash, space or '$': secrets travel through LDAP, JSON, shells and URLs intact.
const alphabets = {
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  digit: "0123456789",
  symbol: "!#%&()*+,-./:;<=>?@[]^_{|}~",
} as const;
const everything = Object.values(alphabets).join("");

/** The length credgov uses when the policy and the configuration ask for less. */
export const defaultSecretLength = 32;

export function secretLength(constraints: SecretConstraints, configuredMinimum = defaultSecretLength): number {
  const wanted = Math.max(constraints.minLength, configuredMinimum, constraints.requiredClasses.length);
  return constraints.maxLength === undefined ? wanted : Math.min(wanted, constraints.maxLength);
}

export function generateSecret(constraints: SecretConstraints, configuredMinimum = defaultSecretLength): string {
  const length = secretLength(constraints, configuredMinimum);
  if (constraints.maxLength !== undefined && constraints.maxLength < constraints.minLength) {
    throw new Error(`no secret can meet the policy: minimum length ${constraints.minLength} exceeds maximum ${constraints.maxLength}`);
  }
  const forbidden = constraints.forbiddenSubstrings.map((s) => s.toLowerCase()).filter((s) => s.length > 0);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const chars: string[] = [];
    for (const name of Object.keys(alphabets) as Array<keyof typeof alphabets>) chars.push(pick(alphabets[name]));
    while (chars.length < length) chars.push(pick(everything));
    shuffle(chars);
    const secret = chars.join("");
    const lower = secret.toLowerCase();
    if (!forbidden.some((f) => lower.includes(f))) return secret;
  }
  // Only reachable with a forbidden substring of one or two characters, which the constraints
  // builder never produces; fail loudly rather than hand back a secret the directory rejects.
  throw new Error("could not draw a secret avoiding the forbidden substrings");
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}

function shuffle(chars: string[]): void {
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
}
