// AD range retrieval (MS-ADTS 3.1.1.3.1.3.3): a DC returns at most MaxValRange values (1500 by
// default) of a multi-valued attribute per entry, under the name `member;range=0-1499`, and the
// rest only to follow-up requests for `member;range=1500-*`. Taken as it arrives, a group of
// 5,000 members would read as a group with no `member` at all. This module asks for the rest
// and files every value under the plain name, as a whole attribute would have arrived.
import type { LdapEntry } from "./entry.ts";

/** `name;range=low-high` (high `*` = the last value is in this part), options before it kept. */
const RANGE_OPTION = /^(.*);range=(\d+)-(\d+|\*)$/i;

export interface RangedAttribute {
  /** The attribute name without the range option, as the entry's other names (lower case). */
  name: string;
  low: number;
  /** Index of the last value in this part; undefined when the part ends the attribute (`*`). */
  high: number | undefined;
}

export function parseRangeOption(attribute: string): RangedAttribute | undefined {
  const m = RANGE_OPTION.exec(attribute);
  if (!m) return undefined;
  return { name: m[1]!.toLowerCase(), low: Number(m[2]), high: m[3] === "*" ? undefined : Number(m[3]) };
}

/** The range request for the first `size` values of an attribute (size >= 1). */
export function firstRange(attribute: string, size: number): string {
  return `${attribute};range=0-${size - 1}`;
}

/** Asks the server for one entry's values of `attribute` from index `from` on (`attr;range=from-*`). */
export type RangeFetch = (dn: string, attribute: string, from: number) => Promise<{ attribute: string; values: Uint8Array[] } | undefined>;

export class IncompleteRangeError extends Error {
  readonly dn: string;
  readonly attribute: string;

  constructor(dn: string, attribute: string, reason: string) {
    super(`entry ${dn}: attribute ${attribute}: ${reason}`);
    this.name = "IncompleteRangeError";
    this.dn = dn;
    this.attribute = attribute;
  }
}

/**
 * Completes every ranged attribute of an entry in place: follow-up requests until a part ends
 * with `*`, then all values under the plain name. Returns how many follow-ups it made.
 * A part that does not start where the previous one ended is refused (IncompleteRangeError):
 * values would be lost or repeated silently.
 */
export async function completeRangedValues(entry: LdapEntry, fetch: RangeFetch): Promise<number> {
  let requests = 0;
  for (const key of Object.keys(entry.attributes)) {
    const range = parseRangeOption(key);
    if (!range) continue;
    const values = entry.attributes[key]!;
    delete entry.attributes[key];
    if (range.low !== 0) throw new IncompleteRangeError(entry.dn, range.name, `the server sent values from index ${range.low} on without the first ones`);
    let high = range.high;
    while (high !== undefined) {
      const from = high + 1;
      requests++;
      const part = await fetch(entry.dn, range.name, from);
      // Nothing from `from` on: the attribute lost values since the first part (a change made
      // meanwhile); what was read is all there is now.
      if (part === undefined) break;
      const next = parseRangeOption(part.attribute);
      if (!next || next.name !== range.name) throw new IncompleteRangeError(entry.dn, range.name, `asked for values from index ${from}, the server answered with ${part.attribute}`);
      if (next.low !== from) throw new IncompleteRangeError(entry.dn, range.name, `asked for values from index ${from}, the server sent them from index ${next.low}`);
      if (next.high !== undefined && next.high < next.low) throw new IncompleteRangeError(entry.dn, range.name, `the server sent an empty range ${next.low}-${next.high}`);
      for (const value of part.values) values.push(value);
      high = next.high;
    }
    const plain = entry.attributes[range.name];
    entry.attributes[range.name] = plain ? plain.concat(values) : values;
  }
  return requests;
}
