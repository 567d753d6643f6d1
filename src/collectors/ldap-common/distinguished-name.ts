// Distinguished names as RFC 4514 defines them, enough to compare and look them up: one DN can
// be written many ways (`CN=Smith\, John` and `cn = Smith\2C John`, `CN="Smith, John"`, the
// AVAs of a multi-valued RDN in any order), and AD, OpenLDAP and the tools that export them
// each pick their own. Lookups (member, memberOf, manager, managedBy, msDS-ResultantPSO, PSO
// targets, owners) go through one canonical key; the DN as read is kept for display.

/** One attribute type and value of an RDN, the value unescaped. */
export interface DnAttribute {
  /** As written, without surrounding spaces (`CN`, `ou`, `2.5.4.3`). */
  type: string;
  value: string;
}

/** The RDNs of a DN, nearest first, each with its attribute(s) (more than one in a multi-valued RDN). */
export type ParsedDn = DnAttribute[][];

/** Characters that RFC 4514 section 2.4 requires escaped in a value, written as hex in keys. */
const SPECIAL = new Set(["\\", ",", "+", '"', "<", ">", ";"]);

/** Parses a DN; null when it is not one (no `type=value`, a dangling escape, an open quote). */
export function parseDn(dn: string): ParsedDn | null {
  const rdns: ParsedDn = [];
  let rdn: DnAttribute[] = [];
  let i = 0;
  const n = dn.length;
  if (dn.trim() === "") return [];
  for (;;) {
    // attributeType
    const eq = dn.indexOf("=", i);
    if (eq < 0) return null;
    const type = dn.slice(i, eq).trim();
    if (type === "" || /[,+\\"]/.test(type)) return null;
    i = eq + 1;
    while (dn[i] === " ") i++;
    // attributeValue: bytes, since `\C3\A9` is one character; spaces are significant only when
    // escaped or inside the value.
    const bytes: number[] = [];
    let significant = 0;
    if (dn[i] === '"') {
      // RFC 2253 quoted value, still accepted by AD and OpenLDAP.
      i++;
      for (;;) {
        if (i >= n) return null;
        const c = dn[i]!;
        if (c === '"') break;
        if (c === "\\") {
          const read = readEscape(dn, i, bytes);
          if (read < 0) return null;
          i = read;
        } else {
          pushText(c, bytes);
          i++;
        }
      }
      i++;
      significant = bytes.length;
      while (dn[i] === " ") i++;
    } else {
      for (; i < n; ) {
        const c = dn[i]!;
        if (c === "," || c === "+") break;
        if (c === "\\") {
          const read = readEscape(dn, i, bytes);
          if (read < 0) return null;
          i = read;
          significant = bytes.length;
        } else {
          pushText(c, bytes);
          i++;
          if (c !== " ") significant = bytes.length;
        }
      }
    }
    rdn.push({ type, value: Buffer.from(bytes.slice(0, significant)).toString("utf8") });
    if (i >= n) break;
    if (dn[i] === ",") {
      rdns.push(rdn);
      rdn = [];
    } else if (dn[i] !== "+") return null;
    i++;
  }
  rdns.push(rdn);
  return rdns;
}

/** Reads the escape at `dn[at]` (a backslash) into `bytes`; the index after it, or -1. */
function readEscape(dn: string, at: number, bytes: number[]): number {
  const next = dn[at + 1];
  if (next === undefined) return -1;
  const hex = /^[0-9A-Fa-f]{2}$/.test(dn.slice(at + 1, at + 3)) ? dn.slice(at + 1, at + 3) : null;
  if (hex) {
    bytes.push(parseInt(hex, 16));
    return at + 3;
  }
  // Any other character stands for itself (RFC 4514 lists the specials; readers accept more).
  const code = dn.codePointAt(at + 1)!;
  pushText(String.fromCodePoint(code), bytes);
  return at + 1 + (code > 0xffff ? 2 : 1);
}

function pushText(text: string, bytes: number[]): void {
  const code = text.charCodeAt(0);
  if (text.length === 1 && code < 0x80) bytes.push(code);
  else for (const b of Buffer.from(text, "utf8")) bytes.push(b);
}

/** A value as the key writes it: specials, control characters and edge spaces or `#` as hex. */
function keyValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const code = c.charCodeAt(0);
    const edge = (i === 0 && (c === " " || c === "#")) || (i === value.length - 1 && c === " ");
    if (SPECIAL.has(c) || code < 0x20 || code === 0x7f || edge) out += `\\${code.toString(16).padStart(2, "0")}`;
    else out += c;
  }
  return out;
}

// Most DNs need no parsing: no escapes, quotes or multi-valued RDNs, no spaces at the separators.
// Control characters too: the key writes them as hex.
// eslint-disable-next-line no-control-regex -- control characters are what this test looks for
const NEEDS_PARSE = /[\\"+;<>#\u0000-\u001f\u007f]|\s[,=]|[,=]\s|^\s|\s$/;

/**
 * The key two spellings of one DN share: attribute types and values lower-cased (AD and the
 * usual LDAP attributes compare them ignoring case), values unescaped and escaped again one way,
 * the attributes of a multi-valued RDN sorted. Commas in the key separate RDNs only. Text that
 * is not a DN keys as itself, lower-cased.
 */
export function dnKey(dn: string): string {
  if (!NEEDS_PARSE.test(dn)) return dn.toLowerCase();
  const parsed = parseDn(dn);
  if (parsed === null) return dn.trim().toLowerCase();
  return parsed
    .map((rdn) =>
      rdn
        .map((a) => `${a.type.toLowerCase()}=${keyValue(a.value.toLowerCase())}`)
        .sort()
        .join("+"),
    )
    .join(",");
}

/** Whether the DN with key `key` lies below the one with key `ancestorKey` (both from `dnKey`). */
export function isBelowDnKey(key: string, ancestorKey: string): boolean {
  return key.length > ancestorKey.length + 1 && key.endsWith(ancestorKey) && key[key.length - ancestorKey.length - 1] === ",";
}

/** `DC=corp,DC=example` -> `corp.example` (null when the DN has no DC components). */
export function dnsNameOf(dn: string): string | null {
  const dcs = (parseDn(dn) ?? []).flat().filter((a) => a.type.toLowerCase() === "dc").map((a) => a.value);
  return dcs.length ? dcs.join(".").toLowerCase() : null;
}

/** The value of the first RDN, unescaped (`CN=Smith\2C John,...` -> `Smith, John`). */
export function firstRdnValue(dn: string): string {
  const parsed = parseDn(dn);
  return parsed?.[0]?.[0]?.value ?? dn;
}

/** The values of the RDNs below the first whose type is `type` (any case): `OU` names on the path. */
export function ancestorValues(dn: string, type: string): string[] {
  const wanted = type.toLowerCase();
  return (parseDn(dn) ?? [])
    .slice(1)
    .flat()
    .filter((a) => a.type.toLowerCase() === wanted)
    .map((a) => a.value);
}
