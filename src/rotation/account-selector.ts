// `--accounts SELECTOR` for mass resets (incident response): `;`-separated key=value terms,
// all of which must match. Keys: source, kind, ou (DN suffix, e.g. OU=Staff,DC=corp,DC=example),
// name (glob), privileged (true|false), enabled (true|false|any; default true).
//   source=corp-ad;kind=service
//   source=legacy-ldap;ou=ou=people,dc=legacy,dc=test;name=bulk*
import { UserInputError } from "../errors.ts";
import { dnKey, isBelowDnKey } from "../collectors/ldap-common/distinguished-name.ts";
import type { Account } from "../snapshot/types.ts";
import { globToRegExp } from "./build-plan.ts";

export interface AccountSelector {
  text: string;
  matches(account: Account): boolean;
}

const keys = ["source", "kind", "ou", "name", "privileged", "enabled"] as const;

export function parseAccountSelector(text: string): AccountSelector {
  const tests: Array<(a: Account) => boolean> = [];
  let enabled: boolean | "any" = true;
  for (const term of text.split(";").map((t) => t.trim()).filter((t) => t !== "")) {
    const eq = term.indexOf("=");
    const key = eq > 0 ? term.slice(0, eq).trim().toLowerCase() : "";
    const value = eq > 0 ? term.slice(eq + 1).trim() : "";
    if (!(keys as readonly string[]).includes(key) || value === "") {
      throw new UserInputError(`selector term ${JSON.stringify(term)}: expected key=value with key one of ${keys.join(", ")}`, { field: "--accounts" });
    }
    switch (key) {
      case "source":
        tests.push((a) => a.source === value);
        break;
      case "kind":
        tests.push((a) => a.kind === value);
        break;
      case "ou": {
        const ou = dnKey(value);
        tests.push((a) => (a.nativeIds.dn ? isBelowDnKey(dnKey(a.nativeIds.dn), ou) : false));
        break;
      }
      case "name": {
        const pattern = globToRegExp(value);
        tests.push((a) => pattern.test(a.name));
        break;
      }
      case "privileged":
        tests.push((a) => a.privileged === booleanValue(term, value));
        break;
      case "enabled":
        enabled = value === "any" ? "any" : booleanValue(term, value);
        break;
    }
  }
  if (tests.length === 0) throw new UserInputError("the selector needs at least one of source, kind, ou, name, privileged (a reset of everything must be explicit: source=ID)", { field: "--accounts" });
  return {
    text,
    matches: (account) => (enabled === "any" || account.enabled === enabled) && tests.every((t) => t(account)),
  };
}

function booleanValue(term: string, value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UserInputError(`selector term ${JSON.stringify(term)}: expected true or false`, { field: "--accounts" });
}

