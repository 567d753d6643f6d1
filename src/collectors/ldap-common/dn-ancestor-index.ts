// Values kept under DN keys (containers and what they pass down), looked up for a DN's ancestors.
// A DN n RDNs deep has n ancestors whose keys together are about n times as long as the DN:
// cutting each one out is quadratic, and a DN 20,000 RDNs deep in an export took 14 s and 1.2 GB
// (80,000 ran out of memory). So an ancestor's key is cut from the DN's only when some indexed
// key has its length: one pass over the DN otherwise.
import { dnKey } from "./distinguished-name.ts";

export interface IndexedAncestor<T> {
  key: string;
  /** The DN's direct parent (what a container passes to its children only). */
  parent: boolean;
  value: T;
}

export class DnAncestorIndex<T> {
  private readonly byKey: ReadonlyMap<string, T>;
  private readonly lengths = new Set<number>();

  /** `byKey` is keyed by `dnKey`; it must not change afterwards. */
  constructor(byKey: ReadonlyMap<string, T>) {
    this.byKey = byKey;
    for (const key of byKey.keys()) this.lengths.add(key.length);
  }

  /** The DN's ancestors that hold a value, nearest first. */
  ancestorsOf(dn: string): IndexedAncestor<T>[] {
    const key = dnKey(dn);
    const found: IndexedAncestor<T>[] = [];
    // Commas in a key separate RDNs only (escaped ones are written as \2c).
    const first = key.indexOf(",");
    for (let comma = first; comma >= 0; comma = key.indexOf(",", comma + 1)) {
      if (!this.lengths.has(key.length - comma - 1)) continue;
      const ancestor = key.slice(comma + 1);
      const value = this.byKey.get(ancestor);
      if (value !== undefined) found.push({ key: ancestor, parent: comma === first, value });
    }
    return found;
  }
}
