// Transitive group membership for privilege and policy resolution. Edges point upward
// (member -> group). Each group's full ancestor set is computed once and memoized, so
// resolving 300k users costs one set union per direct group, not a graph walk per user.
// Cycles (legal in AD) are tolerated.

export class GroupMembership {
  private readonly parents = new Map<string, Set<string>>();
  private readonly memo = new Map<string, ReadonlySet<string>>();

  /** Records that `memberKey` (user or group DN key) is a direct member of `groupKey`. */
  add(memberKey: string, groupKey: string): void {
    let set = this.parents.get(memberKey);
    if (!set) {
      set = new Set();
      this.parents.set(memberKey, set);
    }
    set.add(groupKey);
    this.memo.clear();
  }

  directGroups(key: string): ReadonlySet<string> {
    return this.parents.get(key) ?? new Set();
  }

  /** Every group `key` belongs to, directly or through nesting (never includes `key` unless in a cycle). */
  allGroups(key: string): ReadonlySet<string> {
    const cached = this.memo.get(key);
    if (cached) return cached;
    const result = new Set<string>();
    const queue = [...this.directGroups(key)];
    while (queue.length) {
      const group = queue.pop()!;
      if (result.has(group)) continue;
      result.add(group);
      const known = this.memo.get(group);
      if (known) {
        for (const g of known) result.add(g);
        continue;
      }
      for (const parent of this.directGroups(group)) if (!result.has(parent)) queue.push(parent);
    }
    this.memo.set(key, result);
    return result;
  }

  /** Like allGroups but without memoizing the leaf (users are many and asked once). */
  groupsOfLeaf(key: string): Set<string> {
    const result = new Set<string>();
    for (const group of this.directGroups(key)) {
      result.add(group);
      for (const g of this.allGroups(group)) result.add(g);
    }
    return result;
  }
}
