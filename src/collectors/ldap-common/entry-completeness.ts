// Checks that a directory read holds what the normalizers need, entry by entry, instead of
// assuming it: an AD account without userAccountControl would otherwise become an enabled
// account with no flags (and pass the hygiene controls), and an export cut at an entry
// boundary would read as a smaller, complete directory. Two checks, both for export files and
// live searches:
//  - required attributes per entry (AD accounts: userAccountControl, objectSid, sAMAccountName,
//    pwdLastSet: AD writes it on every account, so an export without it was filtered, and
//    reading its absence as "no reset pending, never rotated" would pass the reset controls);
//  - references between entries (member, memberOf) that point inside the naming context at an
//    entry the read does not hold: the export was cut or filtered too narrowly;
//  - attributes of which only the first slice of values arrived (AD range retrieval,
//    attribute-description.ts): a large group's members would otherwise read as all of them;
//  - AD containers without the security descriptor other entries carry: the reset rights they
//    pass down by inheritance would otherwise be missing from the reset paths.
// What is missing becomes gaps (source status `partial`), named in the area vocabulary.
import type { LdapEntry } from "./entry.ts";
import { dnKey } from "./distinguished-name.ts";
import { firstNames, namesListed } from "../first-names.ts";

export interface CompletenessGap {
  step: string;
  message: string;
  affects: string[];
}

const adAccountClasses = ["user", "computer", "msds-groupmanagedserviceaccount", "msds-managedserviceaccount"];
const identityAreas = ["accounts", "credentials", "resetPaths", "identities"];
/** Per required AD attribute (lower-case key): its spelling, what its absence leaves unknown and the areas that depend on it. */
const adRequired: Record<string, { name: string; unknown: string; affects: string[] }> = {
  useraccountcontrol: { name: "userAccountControl", unknown: "their state and flags are unknown", affects: identityAreas },
  objectsid: { name: "objectSid", unknown: "their state and flags are unknown", affects: identityAreas },
  samaccountname: { name: "sAMAccountName", unknown: "their state and flags are unknown", affects: identityAreas },
  pwdlastset: { name: "pwdLastSet", unknown: "when their passwords were set, and whether a reset is waiting for the user, is unknown", affects: ["accounts", "credentials", "resetPaths"] },
};
const adContainerClasses = ["organizationalunit", "container", "builtindomain", "domaindns"];
const referenceAttributes = ["member", "memberof", "uniquemember"];
// Group members from trusted domains and well-known SIDs (Authenticated Users, S-1-5-11) are
// foreign security principals, entries directly below CN=ForeignSecurityPrincipals, which the
// account filter does not select; they are not a sign of a cut export.
const foreignPrincipals = ",cn=foreignsecurityprincipals,";

export class EntryCompleteness {
  readonly #kind: "ad" | "ldap";
  readonly #seen = new Set<string>();
  readonly #referenced = new Map<string, string>();
  readonly #missingRequired = new Map<string, { count: number; examples: string[] }>();
  readonly #partialValues = { count: 0, examples: [] as string[] };
  /** AD containers read without their security descriptor, and whether any entry carried one. */
  readonly #containersWithoutSd = { count: 0, examples: [] as string[] };
  #anySd = false;

  constructor(kind: "ad" | "ldap") {
    this.#kind = kind;
  }

  /** Records an entry; false when an earlier entry had the same DN. */
  see(entry: LdapEntry): boolean {
    const key = dnKey(entry.dn);
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    if (entry.partialAttributes) {
      this.#partialValues.count++;
      if (this.#partialValues.examples.length < namesListed) this.#partialValues.examples.push(`${entry.dn} (${entry.partialAttributes.join(", ")})`);
    }
    if (this.#kind === "ad") this.#noteSecurityDescriptor(entry);
    if (this.#kind === "ad" && isAdAccount(entry)) {
      for (const name of Object.keys(adRequired)) {
        if (entry.attributes[name]?.length) continue;
        const missing = this.#missingRequired.get(name) ?? { count: 0, examples: [] };
        missing.count++;
        if (missing.examples.length < namesListed) missing.examples.push(entry.dn);
        this.#missingRequired.set(name, missing);
      }
    }
    for (const name of referenceAttributes) {
      for (const value of entry.attributes[name] ?? []) {
        const dn = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
        const key = dnKey(dn);
        if (!this.#referenced.has(key)) this.#referenced.set(key, dn);
      }
    }
    return true;
  }

  #noteSecurityDescriptor(entry: LdapEntry): void {
    if (entry.attributes["ntsecuritydescriptor"]?.length) {
      this.#anySd = true;
      return;
    }
    if (!isAdContainer(entry)) return;
    const withoutSd = this.#containersWithoutSd;
    withoutSd.count++;
    if (withoutSd.examples.length < namesListed) withoutSd.examples.push(entry.dn);
  }

  /** Gaps once every entry was seen; `namingContext` bounds the references that must resolve. */
  gaps(namingContext: string | null): CompletenessGap[] {
    const gaps: CompletenessGap[] = [];
    for (const [key, missing] of this.#missingRequired) {
      const required = adRequired[key];
      gaps.push({
        step: "entries",
        message: `${missing.count} account entr${missing.count === 1 ? "y lacks" : "ies lack"} ${required.name} (e.g. ${firstNames(missing.examples, missing.count)}): ${required.unknown}; export every attribute ('*') with an account that may read them`,
        affects: required.affects,
      });
    }
    const partial = this.#partialValues;
    if (partial.count > 0) {
      gaps.push({
        step: "entries",
        message: `${partial.count} entr${partial.count === 1 ? "y holds" : "ies hold"} only the first values of an attribute (e.g. ${firstNames(partial.examples, partial.count)}): the directory returned them by range retrieval and the later ranges (up to ;range=N-*) were not read; export the remaining ranges into the same entry`,
        affects: ["*"],
      });
    }
    const withoutSd = this.#containersWithoutSd;
    if (this.#anySd && withoutSd.count > 0) {
      gaps.push({
        step: "entries",
        message: `${withoutSd.count} container${withoutSd.count === 1 ? " was" : "s were"} read without nTSecurityDescriptor while other entries carry one (e.g. ${firstNames(withoutSd.examples, withoutSd.count)}): the reset rights ${withoutSd.count === 1 ? "it passes" : "they pass"} down to the accounts below are unknown; export with the SD flags control by an account that may read every descriptor`,
        affects: ["resetPaths"],
      });
    }
    if (namingContext === null) return gaps;
    const suffix = `,${dnKey(namingContext)}`;
    let absent = 0;
    const examples: string[] = [];
    for (const [key, dn] of this.#referenced) {
      if (this.#seen.has(key) || !key.endsWith(suffix) || isForeignPrincipal(key)) continue;
      absent++;
      if (examples.length < namesListed) examples.push(dn);
    }
    if (absent > 0) {
      gaps.push({
        step: "entries",
        message: `${absent} entr${absent === 1 ? "y" : "ies"} named by member/memberOf inside ${namingContext} ${absent === 1 ? "is" : "are"} not in the read (e.g. ${firstNames(examples, absent)}): the export was cut or its filter left them out; re-export the whole naming context`,
        affects: ["*"],
      });
    }
    return gaps;
  }
}

/**
 * Every AD object has a security descriptor. An export made with the SD flags control carries
 * them; one that carries some but not a container's (its reader may not read that one) would
 * drop the reset rights the container passes down by inheritance without a word.
 */
function isAdContainer(entry: LdapEntry): boolean {
  const classes = (entry.attributes["objectclass"] ?? []).map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("utf8").toLowerCase());
  return classes.some((c) => adContainerClasses.includes(c));
}

function isForeignPrincipal(key: string): boolean {
  const parent = key.indexOf(",");
  return parent >= 0 && key.startsWith(foreignPrincipals, parent);
}

function isAdAccount(entry: LdapEntry): boolean {
  const classes = (entry.attributes["objectclass"] ?? []).map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("utf8").toLowerCase());
  return classes.some((c) => adAccountClasses.includes(c));
}
