// How an account is recognised as a service (non-human) account when the directory has no
// explicit marker: by the OU it lives in, or by its name. Both lists are configurable per
// source (`serviceOUs`, `serviceAccountPatterns`); the defaults below follow common naming.
import { ancestorValues, dnKey, isBelowDnKey } from "./distinguished-name.ts";

/** OU names (any level) that mark service accounts unless configured otherwise. */
export const DEFAULT_SERVICE_OU_NAMES = ["service accounts", "serviceaccounts", "services"];
/** Glob patterns (case-insensitive, `*` = any run, `?` = one character) for service account names. */
export const DEFAULT_SERVICE_NAME_PATTERNS = ["svc-*", "svc_*", "svc.*", "*-svc", "*_svc", "sa-*", "srv-*"];

export interface ServiceAccountRules {
  /** Full DN keys (suffix match) or bare OU names (match any `OU=<name>` RDN). */
  ouDns: string[];
  ouNames: string[];
  patterns: { glob: string; regex: RegExp }[];
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

export function serviceAccountRules(serviceOUs?: unknown, patterns?: unknown): ServiceAccountRules {
  const ous = Array.isArray(serviceOUs) ? serviceOUs.map(String) : DEFAULT_SERVICE_OU_NAMES;
  const globs = Array.isArray(patterns) ? patterns.map(String) : DEFAULT_SERVICE_NAME_PATTERNS;
  return {
    ouDns: ous.filter((o) => o.includes("=")).map(dnKey),
    ouNames: ous.filter((o) => !o.includes("=")).map((o) => o.toLowerCase()),
    patterns: globs.map((glob) => ({ glob, regex: globToRegExp(glob) })),
  };
}

/** Why the account counts as a service account, or null. */
export function serviceReason(rules: ServiceAccountRules, dn: string, name: string): string | null {
  const key = dnKey(dn);
  for (const ou of rules.ouDns) if (isBelowDnKey(key, ou)) return `in service OU ${ou}`;
  for (const ou of ancestorValues(dn, "ou")) if (rules.ouNames.includes(ou.toLowerCase())) return `in OU ${ou}`;
  for (const { glob, regex } of rules.patterns) if (regex.test(name)) return `name matches ${glob}`;
  return null;
}
