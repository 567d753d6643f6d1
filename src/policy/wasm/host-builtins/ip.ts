// IP addresses and CIDR blocks as Go's net package parses and prints them: IPv4 as 32-bit and
// IPv6 as 128-bit unsigned integers (bigint), printed in canonical (RFC 5952) form.

export interface Address {
  v6: boolean;
  value: bigint;
}

export interface Network extends Address {
  prefix: number; // network bits
}

export const bits = (a: { v6: boolean }) => (a.v6 ? 128 : 32);

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    // Go rejects leading zeros (ambiguous octal) and anything but decimal digits.
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out = (out << 8n) | BigInt(p);
  }
  return out;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  if (text.includes(".")) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
    const lastColon = text.lastIndexOf(":");
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const present = head.length + rest.length;
  if (halves.length === 1 ? present !== 8 : present > 7) return undefined;
  const all = [...head, ...Array<string>(8 - present).fill("0"), ...rest];
  let out = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out = (out << 16n) | BigInt(parseInt(g, 16));
  }
  return out;
}

export function parseIP(s: string): Address | undefined {
  if (s.includes(":")) {
    const v = parseV6(s);
    if (v === undefined) return undefined;
    // Go treats ::ffff:a.b.c.d as an IPv4 address.
    if (v >> 32n === 0xffffn) return { v6: false, value: v & 0xffffffffn };
    return { v6: true, value: v };
  }
  const v = parseV4(s);
  return v === undefined ? undefined : { v6: false, value: v };
}

/** Go's net.ParseCIDR: the network address (host bits cleared) and prefix, or undefined. */
export function parseCIDR(s: string): (Network & { ip: Address }) | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const len = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(len)) return undefined;
  const prefix = Number(len);
  if (prefix > bits(ip)) return undefined;
  return { v6: ip.v6, value: ip.value & mask(ip.v6, prefix), prefix, ip };
}

export function mask(v6: boolean, prefix: number): bigint {
  const total = v6 ? 128 : 32;
  return ((1n << BigInt(total)) - 1n) ^ ((1n << BigInt(total - prefix)) - 1n);
}

export function lastAddress(n: Network): bigint {
  return n.value | ((1n << BigInt(bits(n) - n.prefix)) - 1n);
}

export function contains(n: Network, a: Address): boolean {
  return n.v6 === a.v6 && (a.value & mask(n.v6, n.prefix)) === n.value;
}

export function formatIP(a: Address): string {
  if (!a.v6) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // Longest run (>= 2) of zero groups becomes "::", the first one on ties (RFC 5952).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export function formatCIDR(n: Network): string {
  return `${formatIP(n)}/${n.prefix}`;
}
