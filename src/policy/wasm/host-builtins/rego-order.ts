// Rego's total order over values (null < boolean < number < string < array < object < set), used to
// give set-valued results a deterministic order and to de-duplicate them.
import { canonicalKey } from "./rego-equal.ts";
import { isRegoSet, regoSet } from "./set-codec.ts";

// Sets (marked arrays, set-codec.ts) come after objects, as in OPA's order; their elements
// compare in order, like an array's.
const rank = (v: unknown): number =>
  v === null ? 0 : typeof v === "boolean" ? 1 : typeof v === "number" || typeof v === "bigint" ? 2 : typeof v === "string" ? 3 : isRegoSet(v) ? 6 : Array.isArray(v) ? 4 : 5;

export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  if (ra === 2) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0; // a number and a bigint compare exactly
  if (ra === 3) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ra === 4 || ra === 6) {
    const x = a as unknown[];
    const y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const c = compareValues(x[i], y[i]);
      if (c !== 0) return c;
    }
    return x.length - y.length;
  }
  if (ra === 5) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const kx = Object.keys(x).sort();
    const ky = Object.keys(y).sort();
    for (let i = 0; i < Math.min(kx.length, ky.length); i++) {
      const c = compareValues(kx[i], ky[i]) || compareValues(x[kx[i]], y[ky[i]]);
      if (c !== 0) return c;
    }
    return kx.length - ky.length;
  }
  return 0;
}

/** A set value as the module will receive it: distinct elements, in Rego order, a set in the module. */
export function toSet(values: Iterable<unknown>): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of values) {
    const k = canonicalKey(v);
    if (!seen.has(k)) seen.set(k, v);
  }
  return regoSet([...seen.values()].sort(compareValues));
}
