// Checks that the items of an API list (Graph users, GitHub members, ...) carry every property
// the normalizer reads, instead of reading an absent property as its default: the APIs return a
// property they were asked for even when it has no value (Graph answers null for a $select-ed
// property that is unset), so an item without the key comes from an export that left the column
// out, or from an API that changed. Reading `accountEnabled` absent as "enabled", or
// `lastPasswordChangeDateTime` absent as "never set", would let controls pass or fail on data
// that was never collected; each absent property becomes a gap instead (source `partial`, the
// controls that read what it affects `error`), counted once per property with a few examples.
import type { SourceGap } from "./normalized-facts.ts";
import { firstNames, namesListed } from "./first-names.ts";

/** A property the normalizer reads: what its absence leaves unknown, and the snapshot areas (src/snapshot/areas.ts) that depend on it. */
export interface RequiredProperty {
  unknown: string;
  affects: string[];
}


export class ItemCompleteness {
  readonly #step: string;
  readonly #item: { one: string; many: string };
  readonly #remedy: string;
  readonly #required: [string, RequiredProperty][];
  readonly #missing = new Map<string, { count: number; examples: string[] }>();

  /**
   * @param step the collection step the items come from (`users`), as in the source's errors
   * @param item what one item is, in the singular and plural (`{ one: "user", many: "users" }`)
   * @param remedy how to collect the property (`select it in the export's $select`)
   */
  constructor(step: string, item: { one: string; many: string }, required: Record<string, RequiredProperty>, remedy: string) {
    this.#step = step;
    this.#item = item;
    this.#remedy = remedy;
    this.#required = Object.entries(required);
  }

  /** Records the required properties `item` lacks; `label` names the item in examples (called only then). */
  see(item: object, label: () => string): void {
    for (const [name] of this.#required) {
      if ((item as Record<string, unknown>)[name] !== undefined) continue;
      let missing = this.#missing.get(name);
      if (!missing) this.#missing.set(name, (missing = { count: 0, examples: [] }));
      missing.count++;
      if (missing.examples.length < namesListed) missing.examples.push(label());
    }
  }

  gaps(): SourceGap[] {
    const gaps: SourceGap[] = [];
    for (const [name, property] of this.#required) {
      const missing = this.#missing.get(name);
      if (!missing) continue;
      const one = missing.count === 1;
      gaps.push({
        step: this.#step,
        message:
          `${missing.count} ${one ? this.#item.one : this.#item.many} ${one ? "lacks" : "lack"} the property ${name} ` +
          `(e.g. ${firstNames(missing.examples, missing.count)}): ${property.unknown}; ${this.#remedy}`,
        affects: property.affects,
      });
    }
    return gaps;
  }
}
