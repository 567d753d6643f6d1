// Just enough DN handling for lookups: a case-insensitive key and the parent chain.
// RDN values may contain escaped commas (`CN=Smith\, John`), so splitting honours `\`.

/** Splits a DN into its RDNs, respecting backslash escapes. */
export function splitDn(dn: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i];
    if (ch === "\\" && i + 1 < dn.length) {
      current += ch + dn[i + 1];
      i++;
    } else if (ch === ",") {
      parts.push(current.trim());
      current = "";
    } else {
      current += ch;
    }
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

const NEEDS_SPLIT = /\\|\s[,=]|[,=]\s|^\s|\s$/;

/** Case-insensitive, whitespace-normalised key for DN maps. */
export function dnKey(dn: string): string {
  // Fast path: most DNs have no escapes and no spaces around separators.
  if (!NEEDS_SPLIT.test(dn)) return dn.toLowerCase();
  return splitDn(dn)
    .map((rdn) => rdn.replace(/\s*=\s*/, "="))
    .join(",")
    .toLowerCase();
}

/** Parent DN keys from the nearest to the root (excluding the DN itself). */
export function ancestorKeys(dn: string): string[] {
  const parts = dnKey(dn).split(",");
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(i).join(","));
  return out;
}

/** `DC=corp,DC=example` -> `corp.example` (null when the DN has no DC components). */
export function dnsNameOf(dn: string): string | null {
  const dcs = splitDn(dn)
    .filter((rdn) => /^dc=/i.test(rdn))
    .map((rdn) => rdn.slice(3));
  return dcs.length ? dcs.join(".").toLowerCase() : null;
}

/** The value of the first RDN (`CN=Domain Admins,...` -> `Domain Admins`). */
export function firstRdnValue(dn: string): string {
  const first = splitDn(dn)[0] ?? dn;
  const eq = first.indexOf("=");
  return (eq >= 0 ? first.slice(eq + 1) : first).replace(/\\(.)/g, "$1");
}
