// AD range retrieval (MS-ADTS 3.1.1.3.1.3.3), live: a DC returns at most MaxValRange values
// (1500 by default) of a multi-valued attribute per entry, as `member;range=0-1499`, and the rest
// only to follow-up requests for `member;range=1500-*`. The entry conversion files the first
// slice under the plain name and lists the attribute in `partialAttributes`; this asks for the
// remaining slices and, once a slice ending in `*` has arrived, takes the attribute off the
// list. An answer that does not continue where the last slice ended leaves it listed, so the
// source is reported partial (entry-completeness.ts) rather than read with values missing.
import { readAttributeDescription } from "./attribute-description.ts";
import type { LdapEntry } from "./entry.ts";

/** The range request for the first `size` values of an attribute (size >= 1). */
export function firstRange(attribute: string, size: number): string {
  return `${attribute};range=0-${size - 1}`;
}

/**
 * Asks the server for one entry's values of `attribute` from index `from` on
 * (`attribute;range=from-*`): the attribute description it answered with and the values, or
 * undefined when the answer holds no such attribute.
 */
export type RangeFetch = (dn: string, attribute: string, from: number) => Promise<{ description: string; values: Uint8Array[] } | undefined>;

/** Completes the entry's partial attributes in place; returns how many follow-ups it made. */
export async function completeRangedValues(entry: LdapEntry, fetch: RangeFetch): Promise<number> {
  if (!entry.partialAttributes) return 0;
  let requests = 0;
  const stillPartial: string[] = [];
  for (const spelled of entry.partialAttributes) {
    const { name, range } = readAttributeDescription(spelled);
    // Only a first slice is continued: one from elsewhere says values before it are missing.
    let next = range && range.low === 0 && range.high !== null ? range.high + 1 : undefined;
    let complete = false;
    while (next !== undefined) {
      requests++;
      const part = await fetch(entry.dn, name, next);
      // Nothing from `next` on: the attribute lost values since the first slice (a change made
      // meanwhile); what was read is all there is now.
      if (part === undefined) {
        complete = true;
        break;
      }
      const slice = readAttributeDescription(part.description);
      if (slice.name !== name || !slice.range || slice.range.low !== next || (slice.range.high !== null && slice.range.high < next)) break;
      // An empty slice adds nothing: an attribute without values is absent, as in LDIF.
      if (part.values.length > 0) {
        const values = (entry.attributes[name] ??= []);
        for (const value of part.values) values.push(value);
      }
      if (slice.range.high === null) complete = true;
      next = slice.range.high === null ? undefined : slice.range.high + 1;
    }
    if (!complete) stillPartial.push(spelled);
  }
  if (stillPartial.length > 0) entry.partialAttributes = stillPartial;
  else delete entry.partialAttributes;
  return requests;
}
