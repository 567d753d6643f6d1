// Cuts a serialised snapshot into batches of subjects for sharded evaluation. A batch holds
// whole groups of linked subjects: an identity with every account it correlates (across
// directories), those accounts' credentials and the reset paths that target them. Every
// other member (sources, password policies, settings, ...) goes into every batch as is. So
// a per-subject control sees in its batch exactly what it sees in the whole snapshot:
// identity-level fragmentation controls (CG-FRAG-*) find all of an identity's accounts,
// credential controls find their holder, reset-path controls find their target.
import { jsonObjectLayout, memberString, valueEnd, type ElementRanges, type JsonObjectLayout } from "../../io/json-layout.ts";
import type { InputProjection } from "./input-projection.ts";

/** The snapshot arrays whose elements are divided among batches. */
export const subjectArrays = ["accounts", "credentials", "resetPaths", "identities"] as const;
type SubjectArray = (typeof subjectArrays)[number];

export interface SubjectBatches {
  /** Number of batches (at least 1). */
  count: number;
  /** Accounts in the snapshot. */
  accounts: number;
  /**
   * The bytes of batch `index`: a snapshot document with only that batch's subjects, and of
   * those only what `projection` keeps (input-projection.ts).
   */
  batch(index: number, projection?: InputProjection): Uint8Array;
  /** The snapshot without subjects (every subject array empty): what estate-level controls read. */
  estate(projection?: InputProjection): Uint8Array;
}

/**
 * Groups linked subjects and fills batches of about `batchSize` subjects (elements of the
 * four subject arrays) each, in document order, so the same snapshot always gives the same
 * batches. A group larger than batchSize is a batch of its own.
 */
export function subjectBatches(bytes: Uint8Array, batchSize: number): SubjectBatches {
  const layout = jsonObjectLayout(bytes, new Set(subjectArrays));
  const ranges = (name: SubjectArray): ElementRanges => layout.elements.get(name) ?? { starts: new Float64Array(0), ends: new Float64Array(0), count: 0 };
  const accounts = ranges("accounts");
  const credentials = ranges("credentials");
  const resetPaths = ranges("resetPaths");
  const identities = ranges("identities");

  // Nodes: accounts first (by index), then one node per holder or target that is not an
  // account (a repository holding Actions secrets), then one per identity without a known account.
  const groups = new DisjointSets(accounts.count);
  const accountIndex = new Map<string, number>();
  for (let k = 0; k < accounts.count; k++) {
    const id = memberString(bytes, accounts.starts[k], accounts.ends[k], "id");
    if (id !== undefined && !accountIndex.has(id)) accountIndex.set(id, k);
  }
  const otherNodes = new Map<string, number>();
  const nodeOf = (ref: string | undefined, kind: string): number => {
    if (ref !== undefined) {
      const k = accountIndex.get(ref);
      if (k !== undefined) return k;
    }
    const key = `${kind}\0${ref ?? ""}`;
    let node = otherNodes.get(key);
    if (node === undefined) {
      node = groups.add();
      otherNodes.set(key, node);
    }
    return node;
  };

  const identityNode = new Float64Array(identities.count);
  for (let k = 0; k < identities.count; k++) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + identities.starts[k], identities.ends[k] - identities.starts[k]).toString("utf8");
    const identity = JSON.parse(text) as { id?: unknown; accounts?: unknown };
    const members = Array.isArray(identity.accounts) ? identity.accounts.filter((a): a is string => typeof a === "string" && accountIndex.has(a)) : [];
    // An identity none of whose accounts is in the snapshot still needs a batch.
    const node = members.length > 0 ? accountIndex.get(members[0])! : nodeOf(typeof identity.id === "string" ? identity.id : String(k), "identity");
    for (const m of members) groups.union(node, accountIndex.get(m)!);
    identityNode[k] = node;
  }
  const credentialNode = new Float64Array(credentials.count);
  for (let k = 0; k < credentials.count; k++) credentialNode[k] = nodeOf(memberString(bytes, credentials.starts[k], credentials.ends[k], "account"), "holder");
  const resetPathNode = new Float64Array(resetPaths.count);
  for (let k = 0; k < resetPaths.count; k++) resetPathNode[k] = nodeOf(memberString(bytes, resetPaths.starts[k], resetPaths.ends[k], "target"), "target");

  // Weight of each group (subjects in it), then groups in order of first appearance into batches.
  const weight = new Map<number, number>();
  const addWeight = (node: number) => {
    const root = groups.find(node);
    weight.set(root, (weight.get(root) ?? 0) + 1);
  };
  for (let k = 0; k < accounts.count; k++) addWeight(k);
  for (const node of credentialNode) addWeight(node);
  for (const node of resetPathNode) addWeight(node);
  for (const node of identityNode) addWeight(node);
  const batchOfGroup = new Map<number, number>();
  let batches = 0;
  let filled = 0;
  for (const root of weight.keys()) {
    const w = weight.get(root)!;
    if (filled > 0 && filled + w > batchSize) {
      batches++;
      filled = 0;
    }
    batchOfGroup.set(root, batches);
    filled += w;
  }
  const count = batches + 1;

  const members: Record<SubjectArray, Int32Array> = {
    accounts: assign(accounts.count, (k) => k),
    credentials: assign(credentials.count, (k) => credentialNode[k]),
    resetPaths: assign(resetPaths.count, (k) => resetPathNode[k]),
    identities: assign(identities.count, (k) => identityNode[k]),
  };
  function assign(n: number, node: (k: number) => number): Int32Array {
    const out = new Int32Array(n);
    for (let k = 0; k < n; k++) out[k] = batchOfGroup.get(groups.find(node(k)))!;
    return out;
  }

  return {
    count,
    accounts: accounts.count,
    batch: (index, projection) =>
      documentWith(
        bytes,
        layout,
        (name) => {
          const ranges = layout.elements.get(name)!;
          const of = members[name];
          const picked: number[] = [];
          for (let k = 0; k < ranges.count; k++) if (of[k] === index) picked.push(k);
          return picked;
        },
        projection,
      ),
    estate: (projection) => documentWith(bytes, layout, () => [], projection),
  };
}

/**
 * The document with each subject array holding only the elements `pick` lists (ascending,
 * in document order). Runs of neighbouring elements are copied as one range, separators
 * included, so building a batch is a few large copies rather than one per element.
 */
function documentWith(bytes: Uint8Array, layout: JsonObjectLayout, pick: (name: SubjectArray) => number[], projection?: InputProjection): Uint8Array {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Pieces as [start, end) ranges of `source`, or (start -1) the text at index `end` of `texts`.
  const starts: number[] = [];
  const ends: number[] = [];
  const texts: Buffer[] = [];
  let total = 0;
  const text = (s: string) => {
    const b = Buffer.from(s, "utf8");
    starts.push(-1);
    ends.push(texts.length);
    texts.push(b);
    total += b.length;
  };
  const range = (start: number, end: number) => {
    starts.push(start);
    ends.push(end);
    total += end - start;
  };
  // One-byte pieces: texts 0, 1 and 2.
  const fixed = (piece: number) => {
    starts.push(-1);
    ends.push(piece);
    total += 1;
  };
  const comma = () => fixed(0);
  texts.push(Buffer.from(","), Buffer.from("{"), Buffer.from("}"));
  const keys = projection?.keys ? new KeyMatcher(projection.keys) : undefined;
  text("{");
  let written = 0;
  for (const member of layout.members) {
    if (projection?.members && !projection.members.has(member.key)) continue;
    text(`${written++ > 0 ? "," : ""}${JSON.stringify(member.key)}:`);
    const ranges = layout.elements.get(member.key);
    if (!ranges || !(subjectArrays as readonly string[]).includes(member.key)) {
      range(member.start, member.end);
      continue;
    }
    text("[");
    const picked = pick(member.key as SubjectArray);
    if (keys) {
      for (let n = 0; n < picked.length; n++) {
        if (n > 0) comma();
        projectedElement(source, ranges.starts[picked[n]], ranges.ends[picked[n]], keys, range, fixed);
      }
    } else {
      for (let n = 0; n < picked.length; ) {
        let last = n;
        while (last + 1 < picked.length && picked[last + 1] === picked[last] + 1) last++;
        if (n > 0) comma();
        range(ranges.starts[picked[n]], ranges.ends[picked[last]]);
        n = last + 1;
      }
    }
    text("]");
  }
  text("}");
  // Its own ArrayBuffer (not a view into Node's pool), so it can be moved to a worker.
  const out = Buffer.from(new ArrayBuffer(total));
  let at = 0;
  for (let k = 0; k < starts.length; k++) {
    if (starts[k] < 0) at += texts[ends[k]].copy(out, at);
    else at += source.copy(out, at, starts[k], ends[k]);
  }
  return new Uint8Array(out.buffer);
}

/**
 * The members of the object element buf[start, end) whose key `keys` accepts, as ranges (runs
 * of neighbouring kept members are one range, separators included); the element whole when it
 * is not an object. `fixed` writes "," (0), "{" (1) or "}" (2).
 */
function projectedElement(buf: Uint8Array, start: number, end: number, keys: KeyMatcher, range: (start: number, end: number) => void, fixed: (piece: number) => void): void {
  let i = skipSpace(buf, start);
  if (buf[i] !== 0x7b) {
    range(start, end);
    return;
  }
  fixed(1);
  let runStart = -1;
  let runEnd = -1;
  let first = true;
  const flush = () => {
    if (runStart < 0) return;
    if (!first) fixed(0);
    range(runStart, runEnd);
    first = false;
    runStart = -1;
  };
  i = skipSpace(buf, i + 1);
  while (i < end && buf[i] !== 0x7d) {
    const keyEnd = stringEnd(buf, i);
    const colon = skipSpace(buf, keyEnd);
    const valueStart = skipSpace(buf, colon + 1);
    const valueStop = valueEnd(buf, valueStart);
    if (keys.accepts(buf, i, keyEnd)) {
      if (runStart < 0) runStart = i;
      runEnd = valueStop;
    } else flush();
    i = skipSpace(buf, valueStop);
    if (buf[i] === 0x2c) i = skipSpace(buf, i + 1);
  }
  flush();
  fixed(2);
}

function skipSpace(buf: Uint8Array, i: number): number {
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  return i;
}

/** End (exclusive) of the string whose opening quote is at `i`. */
function stringEnd(buf: Uint8Array, i: number): number {
  for (let k = i + 1; k < buf.length; k++) {
    if (buf[k] === 0x22) return k + 1;
    if (buf[k] === 0x5c) k++;
  }
  return buf.length;
}

/** Whether a member name (its quoted bytes) is one of a set of keys, without making a string of it. */
class KeyMatcher {
  readonly #byLength = new Map<number, Buffer[]>();
  readonly #keys: ReadonlySet<string>;
  constructor(keys: ReadonlySet<string>) {
    this.#keys = keys;
    for (const key of keys) {
      const quoted = Buffer.from(JSON.stringify(key), "utf8");
      let list = this.#byLength.get(quoted.length);
      if (!list) this.#byLength.set(quoted.length, (list = []));
      list.push(quoted);
    }
  }
  accepts(buf: Uint8Array, start: number, end: number): boolean {
    // A name with an escape is decoded and looked up (JSON allows "\u0069d" for "id").
    for (let k = start + 1; k < end - 1; k++) if (buf[k] === 0x5c) return this.#keys.has(JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8")) as string);
    const candidates = this.#byLength.get(end - start);
    if (!candidates) return false;
    next: for (const c of candidates) {
      for (let k = 1; k < c.length - 1; k++) if (c[k] !== buf[start + k]) continue next;
      return true;
    }
    return false;
  }
}

/** Union-find over numbered nodes (path halving, union by size). */
class DisjointSets {
  private parent: number[] = [];
  private size: number[] = [];
  constructor(n: number) {
    for (let k = 0; k < n; k++) this.add();
  }
  add(): number {
    const node = this.parent.length;
    this.parent.push(node);
    this.size.push(1);
    return node;
  }
  find(node: number): number {
    let x = node;
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
  }
}
