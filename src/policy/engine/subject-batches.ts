// Cuts a serialised snapshot into batches of subjects for sharded evaluation. A batch holds
// whole groups of linked subjects: an identity with every account it correlates (across
// directories), those accounts' credentials and the reset paths that target them. Every
// other member (sources, password policies, settings, ...) goes into every batch as is. So
// a per-subject control sees in its batch exactly what it sees in the whole snapshot:
// identity-level fragmentation controls (CG-FRAG-*) find all of an identity's accounts,
// credential controls find their holder, reset-path controls find their target.
import { CLOSE_BRACKET, COMMA, OPEN_BRACKET, QUOTE } from "../../io/json-chars.ts";
import { ByteWindow, jsonObjectLayout, memberValue, skipSpace, stringEnd, valueEnd, windowBytes, type ElementRanges, type JsonObjectLayout } from "../../io/json-layout.ts";
import { absentMember, digestOfText, digestToken, listMember, MemberDigestRecorder, otherMember, readMembers, stringMember, undigestedMember, unreadMembers, type MemberDigests } from "../../io/member-digests.ts";
import { DigestIndex } from "./digest-index.ts";
import { batchDocumentBound, prepareProjection, writeBatchDocument, type DocumentMember, type PickedElements } from "./batch-document.ts";
import type { InputProjection } from "./input-projection.ts";

/** The snapshot arrays whose elements are divided among batches. */
export const subjectArrays = ["accounts", "credentials", "resetPaths", "identities"] as const;
type SubjectArray = (typeof subjectArrays)[number];

/**
 * The members that link subjects: an account's and identity's `id`, a credential's holder
 * (`account`), a reset path's `target`, an identity's `accounts`. The layout takes their
 * digests while it locates the elements (member-digests.ts), not knowing which array an
 * element is in when a worker locates a stretch of the snapshot (parallel-layout.ts).
 */
export const subjectReferences = ["id", "account", "target", "accounts"] as const;
/** Credentials' and reset paths' own ids link nothing: not digested (member-digests.ts). */
export const subjectDigestOptions = { digestUnless: { id: ["account", "target"] } };
const idSlot = 0;
const accountSlot = 1;
const targetSlot = 2;
const accountsSlot = 3;

export interface SubjectBatches {
  /** Number of batches (at least 1). */
  count: number;
  /** Accounts in the snapshot. */
  accounts: number;
  /** The snapshot's bytes, which the members' and picks' ranges are offsets of. */
  bytes: Uint8Array;
  /** The snapshot's top-level members, in document order (batch-document.ts). */
  members: DocumentMember[];
  /** The elements batch `index` holds, as byte ranges of the snapshot (a new copy on each call). */
  picked(index: number): PickedElements;
  /**
   * The bytes of batch `index`: a snapshot document with only that batch's subjects, and of
   * those only what `projection` keeps (input-projection.ts).
   */
  batch(index: number, projection?: InputProjection): Uint8Array;
  /** The snapshot without subjects (every subject array empty): what estate-level controls read. */
  estate(projection?: InputProjection): Uint8Array;
}

export interface BatchPlanOptions {
  /** Make the number of batches a multiple of this (the workers that evaluate them). */
  batchesMultipleOf?: number;
  /**
   * Called once the elements are located, before they are grouped (the longer part): with
   * about how many bytes a batch's document takes, so that workers can get ready for it.
   */
  onLayout?: (batchBytes: number) => void;
  /** The snapshot's layout with the subject arrays' elements located, when already known (parallel-layout.ts), with the digests of subjectReferences. */
  layout?: JsonObjectLayout;
}

/**
 * Groups linked subjects and fills batches of at most about `batchSize` subjects (elements of
 * the four subject arrays) each, in document order, so the same snapshot always gives the
 * same batches. A group larger than batchSize is a batch of its own. Batches are of equal
 * size, and their number a multiple of `batchesMultipleOf` (the workers that evaluate them),
 * so that every worker gets as much to do: 5 batches on 2 workers leave one core idle while
 * the last runs, 6 smaller ones do not.
 */
export function subjectBatches(bytes: Uint8Array, batchSize: number, options: BatchPlanOptions = {}): SubjectBatches {
  const layout = options.layout ?? jsonObjectLayout(bytes, new Set(subjectArrays), windowBytes, new MemberDigestRecorder(subjectReferences, subjectDigestOptions));
  const ranges = (name: SubjectArray): ElementRanges => layout.elements.get(name) ?? { starts: new Float64Array(0), ends: new Float64Array(0), count: 0 };
  const accounts = ranges("accounts");
  const credentials = ranges("credentials");
  const resetPaths = ranges("resetPaths");
  const identities = ranges("identities");
  const subjects = accounts.count + credentials.count + resetPaths.count + identities.count;
  let planned = Math.max(1, Math.ceil(subjects / batchSize));
  if (planned > 1) planned = Math.ceil(planned / (options.batchesMultipleOf ?? 1)) * (options.batchesMultipleOf ?? 1);
  if (options.onLayout) {
    let arrayBytes = 0;
    for (const array of [accounts, credentials, resetPaths, identities]) if (array.count > 0) arrayBytes += array.ends[array.count - 1] - array.starts[0];
    options.onLayout(Math.ceil(bytes.byteLength - arrayBytes + arrayBytes / planned));
  }

  // Nodes: accounts first (by index), then one node per holder or target that is not an
  // account (a repository holding Actions secrets), then one per identity without a known account.
  const groups = new DisjointSets(accounts.count, subjects);
  // Ids and references are compared by the digests the layout took (member-digests.ts): the
  // snapshot is not read again, but for an element the layout could not read member by member.
  const references = new ReferenceReader(bytes);
  const accountIndex = new DigestIndex(accounts.count);
  for (let k = 0; k < accounts.count; k++) {
    if (references.read(accounts, k, idSlot) === stringMember) accountIndex.add(references.first, references.second, k);
  }
  /** Nodes of references that name no account, by kind: one per distinct value. */
  const otherNodes = { holder: new DigestIndex(0), target: new DigestIndex(0), identity: new DigestIndex(0) };
  const otherNode = (kind: keyof typeof otherNodes, first: number, second: number): number => {
    let node = otherNodes[kind].get(first, second);
    if (node < 0) {
      node = groups.add();
      otherNodes[kind].add(first, second, node);
    }
    return node;
  };
  // A missing or non-string reference counts as "" (one node per kind for all of them).
  const [noneFirst, noneSecond] = digestOfText("");
  // The previous element's reference digest and node. Consecutive elements often share one (a
  // collector writes an account's reset paths together: 208k reset paths of the 100k estate
  // name 93k targets in 93k runs): comparing two numbers costs less than probing the index.
  let lastKind = "";
  let lastFirst = 0;
  let lastSecond = 0;
  let lastNode = -1;
  /** The node of the element's string member in `slot`: its account, else one node per distinct value. */
  const nodeOf = (of: ElementRanges, k: number, slot: number, kind: "holder" | "target"): number => {
    if (references.read(of, k, slot) !== stringMember) return otherNode(kind, noneFirst, noneSecond);
    const { first, second } = references;
    if (kind === lastKind && first === lastFirst && second === lastSecond) return lastNode;
    const account = accountIndex.get(first, second);
    const node = account >= 0 ? account : otherNode(kind, first, second);
    lastKind = kind;
    lastFirst = first;
    lastSecond = second;
    lastNode = node;
    return node;
  };

  const identityNode = new Float64Array(identities.count);
  for (let k = 0; k < identities.count; k++) {
    // The identity's accounts that are in the snapshot, in one group; the first names it.
    let node = -1;
    if (references.read(identities, k, accountsSlot) === listMember) {
      const list = references.list;
      for (let item = references.first; item < references.second; item++) {
        const account = accountIndex.get(list[2 * item], list[2 * item + 1]);
        if (account >= 0) {
          if (node < 0) node = account;
          else groups.union(node, account);
        }
      }
    }
    if (node < 0) {
      // An identity none of whose accounts is in the snapshot still needs a batch: one per id
      // (its position when it has none).
      if (references.read(identities, k, idSlot) === stringMember) node = otherNode("identity", references.first, references.second);
      else node = otherNode("identity", ...digestOfText(String(k)));
    }
    identityNode[k] = node;
  }
  const credentialNode = new Float64Array(credentials.count);
  for (let k = 0; k < credentials.count; k++) credentialNode[k] = nodeOf(credentials, k, accountSlot, "holder");
  const resetPathNode = new Float64Array(resetPaths.count);
  for (let k = 0; k < resetPaths.count; k++) resetPathNode[k] = nodeOf(resetPaths, k, targetSlot, "target");

  // Weight of each group (subjects in it), by root node, then groups in order of first
  // appearance into batches.
  const weight = new Float64Array(groups.size);
  const roots: number[] = [];
  // Each element's node becomes its group's root (no union after this), which `order` reads.
  const accountNode = new Float64Array(accounts.count);
  for (let k = 0; k < accounts.count; k++) accountNode[k] = k;
  const addWeights = (nodes: Float64Array) => {
    for (let k = 0; k < nodes.length; k++) {
      const root = groups.find(nodes[k]);
      nodes[k] = root;
      if (weight[root]++ === 0) roots.push(root);
    }
  };
  addWeights(accountNode);
  addWeights(credentialNode);
  addWeights(resetPathNode);
  addWeights(identityNode);
  const target = subjects / planned;
  const batchOfGroup = new Int32Array(groups.size);
  let batches = 0;
  let filled = 0;
  let assigned = 0;
  for (const root of roots) {
    const w = weight[root];
    if (filled > 0 && filled + w > batchSize) {
      batches++;
      filled = 0;
    }
    batchOfGroup[root] = batches;
    filled += w;
    assigned += w;
    // Batch b is full once the first b+1 shares are assigned (the last takes what is left).
    if (assigned >= (batches + 1) * target && batches < planned - 1) {
      batches++;
      filled = 0;
    }
  }
  // The last group may have just closed a batch.
  const count = filled > 0 || batches === 0 ? batches + 1 : batches;

  // Each array's element ranges ordered by batch (document order within a batch), so a
  // batch's picks are one slice; the layout's own ranges can then go.
  const ordered = new Map<SubjectArray, { ranges: Float64Array; offsets: Int32Array }>();
  const order = (name: SubjectArray, root: Float64Array) => {
    const { starts, ends, count: n } = ranges(name);
    const of = new Int32Array(n);
    const offsets = new Int32Array(count + 1);
    for (let k = 0; k < n; k++) {
      of[k] = batchOfGroup[root[k]];
      offsets[of[k] + 1]++;
    }
    for (let b = 0; b < count; b++) offsets[b + 1] += offsets[b];
    const cursor = offsets.slice(0, count);
    const out = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const at = 2 * cursor[of[k]]++;
      out[at] = starts[k];
      out[at + 1] = ends[k];
    }
    ordered.set(name, { ranges: out, offsets });
  };
  order("accounts", accountNode);
  order("credentials", credentialNode);
  order("resetPaths", resetPathNode);
  order("identities", identityNode);

  const members: DocumentMember[] = layout.members.map((m) => ({ key: m.key, start: m.start, end: m.end, subjects: layout.elements.has(m.key) && (subjectArrays as readonly string[]).includes(m.key) }));
  return batchesOver(bytes, count, accounts.count, members, ordered);
}

/**
 * Reads the digest of an element's member from what the layout recorded, or, for an element
 * it could not read member by member (or a layout without digests), from the element's bytes,
 * as memberValue finds the member.
 */
class ReferenceReader {
  readonly #window: ByteWindow;
  /** The last read: a string's digest, or a list's range of pairs in `list`. */
  first = 0;
  second = 0;
  list: Int32Array = new Int32Array(0);
  readonly #scratch = new Int32Array(2);
  constructor(bytes: Uint8Array) {
    this.#window = new ByteWindow(bytes);
  }

  /** The kind of member `slot` (of subjectReferences) of element k; its digest in first and second. */
  read(of: ElementRanges, k: number, slot: number): number {
    const digests = of.records as MemberDigests | undefined;
    if (digests && digests.unread[k] !== unreadMembers) {
      const at = k * digests.names + slot;
      const kind = digests.kinds[at];
      // Absent from the first members only: it may come later.
      if (kind !== undigestedMember && (kind !== absentMember || digests.unread[k] === readMembers)) {
        this.first = digests.first[at];
        this.second = digests.second[at];
        this.list = digests.list;
        return kind;
      }
    }
    return this.#readElement(of, k, slot);
  }

  #readElement(of: ElementRanges, k: number, slot: number): number {
    const window = this.#window;
    const start = window.holding(of.starts[k], of.ends[k]);
    const view = window.view;
    const at = memberValue(view, start, start + (of.ends[k] - of.starts[k]), subjectReferences[slot]);
    if (at < 0) return absentMember;
    if (view[at] === QUOTE) {
      digestToken(view, at, stringEnd(view, at), this.#scratch, this.#scratch, 0, 1);
      [this.first, this.second] = this.#scratch;
      return stringMember;
    }
    if (view[at] !== OPEN_BRACKET) return otherMember;
    const pairs: number[] = [];
    const end = valueEnd(view, at);
    for (let i = skipSpace(view, at + 1); i < end && view[i] !== CLOSE_BRACKET; ) {
      const stop = valueEnd(view, i);
      if (view[i] === QUOTE) {
        digestToken(view, i, stop, this.#scratch, this.#scratch, 0, 1);
        pairs.push(this.#scratch[0], this.#scratch[1]);
      }
      i = skipSpace(view, stop);
      if (view[i] === COMMA) i = skipSpace(view, i + 1);
    }
    this.list = Int32Array.from(pairs);
    this.first = 0;
    this.second = pairs.length / 2;
    return listMember;
  }
}

// Apart from subjectBatches so that its closures keep only these, not the grouping's maps
// (a 1M-account estate's id index alone is hundreds of MB).
function batchesOver(bytes: Uint8Array, count: number, accounts: number, members: DocumentMember[], ordered: Map<SubjectArray, { ranges: Float64Array; offsets: Int32Array }>): SubjectBatches {
  const picked = (index: number): PickedElements => {
    const out: PickedElements = {};
    for (const [name, { ranges, offsets }] of ordered) out[name] = ranges.slice(2 * offsets[index], 2 * offsets[index + 1]);
    return out;
  };
  const write = (elements: PickedElements, projection: InputProjection | undefined): Uint8Array => {
    const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = Buffer.alloc(batchDocumentBound(members, elements));
    const length = writeBatchDocument(source, members, elements, prepareProjection(projection), out);
    // Its own ArrayBuffer of exactly the document, so it can be moved to a worker.
    return new Uint8Array(out.buffer.slice(out.byteOffset, out.byteOffset + length));
  };
  return {
    count,
    accounts,
    bytes,
    members,
    picked,
    batch: (index, projection) => write(picked(index), projection),
    estate: (projection) => write({}, projection),
  };
}

/** Union-find over numbered nodes (path halving, union by size), at most `capacity` of them. */
class DisjointSets {
  private readonly parent: Int32Array;
  private readonly sizes: Int32Array;
  size = 0;
  constructor(n: number, capacity: number) {
    this.parent = new Int32Array(Math.max(n, capacity));
    this.sizes = new Int32Array(this.parent.length);
    for (let k = 0; k < n; k++) this.add();
  }
  add(): number {
    const node = this.size++;
    this.parent[node] = node;
    this.sizes[node] = 1;
    return node;
  }
  find(node: number): number {
    const parent = this.parent;
    let x = node;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.sizes[ra] < this.sizes[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.sizes[ra] += this.sizes[rb];
  }
}
