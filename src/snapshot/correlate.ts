// Identity correlation: joins accounts from different sources into people and workloads.
// Each key is indexed once in a hash map (O(n) in accounts; 300k accounts in one pass); a key
// that matches several accounts of one source is reported as ambiguous and never linked.
import type { Account, CorrelationReport, Identity, IdentityLink } from "./types.ts";
import { guidKey } from "./guid-key.ts";

type Method = IdentityLink["method"];

export interface ExplicitLink {
  accounts: string[];
  reason?: string;
}

export interface CorrelationResult {
  identities: Identity[];
  correlation: CorrelationReport;
  /** Account ids named by explicit links that are not in the snapshot. */
  unresolvedLinks: string[];
}

/**
 * A key family: side "a" values are matched against side "b" values (objectGUID vs
 * onPremisesImmutableId); symmetric families match any two holders (UPN vs UPN).
 */
interface KeyFamily {
  method: Method;
  symmetric: boolean;
  keys(account: Account): { side: "a" | "b"; value: string }[];
}

const lower = (v: string | undefined) => (v ? v.trim().toLowerCase() : undefined);

/** Strongest keys first: a later, weaker key does not report ambiguity a stronger one resolved. */
const families: KeyFamily[] = [
  {
    method: "objectGuid-immutableId",
    symmetric: false,
    keys: (a) => {
      const out: { side: "a" | "b"; value: string }[] = [];
      const guid = a.nativeIds.objectGuid && guidKey(a.nativeIds.objectGuid);
      if (guid) out.push({ side: "a", value: guid });
      const immutable = a.nativeIds.onPremisesImmutableId && guidKey(a.nativeIds.onPremisesImmutableId);
      if (immutable) out.push({ side: "b", value: immutable });
      return out;
    },
  },
  {
    method: "samAccountName",
    symmetric: false,
    keys: (a) => [...one("a", lower(a.nativeIds.samAccountName)), ...one("b", lower(a.nativeIds.onPremisesSamAccountName))],
  },
  { method: "upn", symmetric: true, keys: (a) => one("a", lower(a.nativeIds.userPrincipalName)) },
  {
    // A SAML nameId is the IdP's name for the person, usually the UPN or the mail address.
    method: "saml-nameId",
    symmetric: false,
    keys: (a) => {
      const nameId = lower(a.nativeIds.samlNameId);
      if (nameId) return [{ side: "a", value: nameId }];
      const names = new Set([lower(a.nativeIds.userPrincipalName), lower(a.nativeIds.mail)].filter((v): v is string => Boolean(v)));
      return [...names].map((value) => ({ side: "b" as const, value }));
    },
  },
  // Mail last: shared and alias mailboxes make it the weakest key.
  { method: "mail", symmetric: true, keys: (a) => one("a", lower(a.nativeIds.mail)) },
];

function one(side: "a" | "b", value: string | undefined): { side: "a" | "b"; value: string }[] {
  return value ? [{ side, value }] : [];
}

/** Ambiguity reports list at most this many candidates; a key shared by thousands is a data problem, not a list to print. */
const maxCandidates = 20;

export function correlate(accounts: readonly Account[], explicit: readonly ExplicitLink[] = []): CorrelationResult {
  const indexOf = new Map<string, number>();
  accounts.forEach((a, i) => indexOf.set(a.id, i));
  const parent = Int32Array.from(accounts, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const links: { at: number; link: IdentityLink }[] = [];
  const union = (x: number, y: number, link: IdentityLink) => {
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent[Math.max(rx, ry)] = Math.min(rx, ry);
    links.push({ at: x, link });
  };
  const ambiguous: CorrelationReport["ambiguous"] = [];

  // Explicit links from the config first: they are authoritative.
  const unresolvedLinks: string[] = [];
  for (const link of explicit) {
    const present = link.accounts.filter((id) => {
      if (indexOf.has(id)) return true;
      unresolvedLinks.push(id);
      return false;
    });
    for (let k = 1; k < present.length; k++) {
      union(indexOf.get(present[0])!, indexOf.get(present[k])!, { from: present[0], to: present[k], method: "config", value: link.reason ?? "credgov.yaml correlation.links" });
    }
  }

  for (const family of families) {
    // key -> source -> holders on each side, built in one pass over the accounts.
    const index = new Map<string, Map<string, { a: number[]; b: number[] }>>();
    accounts.forEach((account, i) => {
      for (const { side, value } of family.keys(account)) {
        let bySource = index.get(value);
        if (!bySource) index.set(value, (bySource = new Map()));
        let group = bySource.get(account.source);
        if (!group) bySource.set(account.source, (group = { a: [], b: [] }));
        group[side].push(i);
      }
    });
    for (const [value, bySource] of index) {
      if (bySource.size < 2) continue;
      for (const [source, own] of bySource) {
        for (const side of ["a", "b"] as const) {
          for (const holder of own[side]) {
            for (const [otherSource, other] of bySource) {
              if (otherSource === source) continue;
              const partners = family.symmetric ? other.a : other[side === "a" ? "b" : "a"];
              if (partners.length === 0) continue;
              if (partners.length > 1) {
                // Already joined to one of the candidates by a stronger key or the config: resolved.
                if (partners.some((p) => find(p) === find(holder))) continue;
                ambiguous.push({
                  account: accounts[holder].id,
                  method: family.method,
                  value,
                  candidates: partners.slice(0, maxCandidates).map((p) => accounts[p].id),
                });
                continue;
              }
              // A holder sharing the key with another account of its own source is not a unique
              // match either; the partner's side of the loop reports that ambiguity.
              if (own[side].length > 1) continue;
              const partner = partners[0];
              // Each link is seen from both ends; record it once.
              if (family.symmetric ? partner < holder : side === "b") continue;
              union(holder, partner, { from: accounts[holder].id, to: accounts[partner].id, method: family.method, value });
            }
          }
        }
      }
    }
  }

  return { identities: buildIdentities(accounts, find, links), correlation: { ambiguous }, unresolvedLinks };
}

function buildIdentities(accounts: readonly Account[], find: (i: number) => number, links: { at: number; link: IdentityLink }[]): Identity[] {
  const byRoot = new Map<number, Identity>();
  const identities: Identity[] = [];
  accounts.forEach((account, i) => {
    const root = find(i);
    let identity = byRoot.get(root);
    if (!identity) {
      const first = accounts[root];
      identity = { id: `identity:${first.id}`, name: first.displayName ?? first.name, kind: "workload", accounts: [], links: [] };
      byRoot.set(root, identity);
      identities.push(identity);
    }
    identity.accounts.push(account.id);
    // Persons vs workloads by account kind: any human account makes the identity a person.
    if (account.kind === "human" && identity.kind !== "person") {
      identity.kind = "person";
      identity.name = account.displayName ?? account.name;
    }
  });
  for (const { at, link } of links) byRoot.get(find(at))!.links.push(link);
  return identities;
}
