// net.* builtins after OPA's topdown/cidr.go, over the IP arithmetic in ip.ts. There is no
// network here: net.lookup_ip_addr answers for IP literals and /etc/hosts names only.
import { readFileSync } from "node:fs";
import { isRegoSet } from "./set-codec.ts";
import { BuiltinError, str, typeOf } from "./builtin-error.ts";
import { bits, contains, formatCIDR, formatIP, lastAddress, mask, parseCIDR, parseIP, type Address, type Network } from "./ip.ts";
import { toSet } from "./rego-order.ts";

function cidrOperand(name: string, v: unknown, pos: number): Network {
  const s = str(name, v, pos);
  const n = parseCIDR(s);
  if (!n) throw new BuiltinError(name, `invalid CIDR address: ${s}`);
  return n;
}

/** A CIDR or a bare IP (as a one-address network) for cidr_contains. */
function cidrOrIP(s: string): Network | undefined {
  const n = parseCIDR(s);
  if (n) return n;
  const ip = parseIP(s);
  return ip ? { ...ip, prefix: bits(ip) } : undefined;
}

function networkContains(outer: Network, inner: Network): boolean {
  return outer.v6 === inner.v6 && inner.prefix >= outer.prefix && contains(outer, inner);
}

export function cidrContains(cidr: unknown, x: unknown): boolean {
  const name = "net.cidr_contains";
  const outer = cidrOperand(name, cidr, 1);
  const s = str(name, x, 2);
  const inner = cidrOrIP(s);
  if (!inner) throw new BuiltinError(name, `invalid IP address or CIDR: ${s}`);
  return networkContains(outer, inner);
}

export function cidrIntersects(a: unknown, b: unknown): boolean {
  const name = "net.cidr_intersects";
  const x = cidrOperand(name, a, 1);
  const y = cidrOperand(name, b, 2);
  return x.v6 === y.v6 && (contains(x, y) || contains(y, x));
}

export function cidrIsValid(x: unknown): boolean {
  return typeof x === "string" && parseCIDR(x) !== undefined;
}

// Expanding an IPv6 /64 would never end; refuse what cannot sensibly be materialised.
const MAX_EXPAND = 1 << 20;

export function cidrExpand(cidr: unknown): string[] {
  const n = cidrOperand("net.cidr_expand", cidr, 1);
  const size = lastAddress(n) - n.value + 1n;
  if (size > BigInt(MAX_EXPAND)) throw new BuiltinError("net.cidr_expand", "CIDR too large to expand");
  const out: string[] = [];
  for (let v = n.value; v <= lastAddress(n); v++) out.push(formatIP({ v6: n.v6, value: v }));
  return toSet(out) as string[];
}

/** Smallest equivalent list of networks: drop covered blocks, join sibling halves, repeat. */
function merge(nets: Network[]): Network[] {
  let list = [...nets];
  let changed = true;
  while (changed) {
    changed = false;
    list.sort((a, b) => (a.v6 !== b.v6 ? (a.v6 ? 1 : -1) : a.value < b.value ? -1 : a.value > b.value ? 1 : a.prefix - b.prefix));
    const out: Network[] = [];
    for (const n of list) {
      const prev = out.at(-1);
      if (prev && networkContains(prev, n)) continue; // covered (or a duplicate)
      if (prev && prev.v6 === n.v6 && prev.prefix === n.prefix && prev.prefix > 0) {
        const parentPrefix = prev.prefix - 1;
        const parentMask = ((1n << BigInt(bits(n))) - 1n) ^ ((1n << BigInt(bits(n) - parentPrefix)) - 1n);
        if ((prev.value & parentMask) === (n.value & parentMask) && prev.value !== n.value) {
          out[out.length - 1] = { v6: n.v6, value: prev.value & parentMask, prefix: parentPrefix };
          changed = true;
          continue;
        }
      }
      out.push(n);
    }
    list = out;
  }
  return list;
}

export function cidrMerge(addresses: unknown): string[] {
  const name = "net.cidr_merge";
  if (!Array.isArray(addresses)) throw new BuiltinError(name, `operand 1 must be one of {array, set} but got ${typeOf(addresses)}`);
  const nets = addresses.map((a) => {
    if (typeof a !== "string") throw new BuiltinError(name, `operand 1 must be array of strings but got array containing ${typeOf(a)}`);
    const n = parseCIDR(a);
    if (n) return n;
    const ip = parseIP(a);
    if (!ip) throw new BuiltinError(name, `IP address or CIDR invalid: ${a}`);
    if (ip.v6) throw new BuiltinError(name, "IPv6 invalid: needs prefix length");
    // Go gives a bare IPv4 address its classful default mask (A /8, B /16, C /24).
    const first = Number(ip.value >> 24n);
    const prefix = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : undefined;
    if (prefix === undefined) throw new BuiltinError(name, `IP address ${a} has no default mask`);
    return { v6: false, value: ip.value & mask(false, prefix), prefix };
  });
  return toSet(merge(nets).map(formatCIDR)) as string[];
}

type Keyed = { key: unknown; cidr: string };

/** Operands of cidr_contains_matches: a string, an array/set of strings or [string, ...] tuples, or an object of them. */
function keyedOperand(name: string, v: unknown, pos: number): Keyed[] {
  const element = (key: unknown, e: unknown): Keyed => {
    if (typeof e === "string") return { key, cidr: e };
    if (Array.isArray(e) && e.length > 0 && typeof e[0] === "string") return { key, cidr: e[0] };
    throw new BuiltinError(name, `operand ${pos}: element must be string or non-empty array`);
  };
  if (typeof v === "string") return [{ key: v, cidr: v }];
  // OPA keys a set's matches by the element itself, an array's by the index.
  if (Array.isArray(v)) return v.map((e, i) => element(isRegoSet(v) ? e : i, e));
  if (typeOf(v) === "object") return Object.entries(v as object).map(([k, e]) => element(k, e));
  throw new BuiltinError(name, `operand ${pos} must be one of {string, array, set, object} but got ${typeOf(v)}`);
}

export function cidrContainsMatches(cidrs: unknown, ips: unknown): unknown[] {
  const name = "net.cidr_contains_matches";
  const outer = keyedOperand(name, cidrs, 1);
  const inner = keyedOperand(name, ips, 2);
  const out: unknown[] = [];
  for (const o of outer) {
    const net = parseCIDR(o.cidr);
    if (!net) throw new BuiltinError(name, `invalid CIDR address: ${o.cidr}`);
    for (const i of inner) {
      const x = cidrOrIP(i.cidr);
      if (!x) throw new BuiltinError(name, `invalid IP address or CIDR: ${i.cidr}`);
      if (networkContains(net, x)) out.push([o.key, i.key]);
    }
  }
  return toSet(out);
}

function hostsFile(): string {
  try {
    return readFileSync("/etc/hosts", "utf8");
  } catch {
    return "";
  }
}

export function lookupIPAddr(x: unknown): string[] {
  const name = str("net.lookup_ip_addr", x, 1);
  const literal: Address | undefined = parseIP(name);
  if (literal) return [formatIP(literal)];
  const found: string[] = [];
  for (const line of hostsFile().split("\n")) {
    const [addr, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    const ip = addr ? parseIP(addr) : undefined;
    if (ip && names.some((n) => n.toLowerCase() === name.toLowerCase())) found.push(formatIP(ip));
  }
  if (found.length === 0) throw new BuiltinError("net.lookup_ip_addr", `lookup ${name}: no such host`);
  return toSet(found) as string[];
}

export const netBuiltins = {
  "net.cidr_contains": cidrContains,
  "net.cidr_intersects": cidrIntersects,
  "net.cidr_is_valid": cidrIsValid,
  "net.cidr_expand": cidrExpand,
  "net.cidr_merge": cidrMerge,
  "net.cidr_contains_matches": cidrContainsMatches,
  "net.cidr_overlap": cidrContains, // deprecated alias kept by OPA
  "net.lookup_ip_addr": lookupIPAddr,
};
