// Locates the elements of a large snapshot on several threads at once: the batch workers, idle
// until the batches are cut, each locate stretches (chunks) of the shared bytes from the back
// while the main thread goes from the front. A worker cannot know the state of the document
// at a chunk's first byte (inside a string? how deep?), so it guesses: it starts at the first
// '{' that begins a line (a raw newline is never inside a JSON string, and credgov writes one
// element per line), and locates as if that were an element of a top-level array. The main
// thread knows where its own part stopped: the first element at or past the chunk's start.
// It takes a worker's part only when the guess was that very element, from which the worker's
// part is exactly what the main thread would have found; otherwise (any other writer's layout,
// a chunk inside a large member) it locates the chunk itself. The result is the layout one
// thread finds (json-layout.ts), whatever the guesses. Each thread also takes the digests of
// the members `digests` names of the elements it locates (member-digests.ts).
import type { Worker } from "node:worker_threads";
import { assembleLayout, jsonObjectLayout, layoutPart, windowBytes, type JsonObjectLayout, type LayoutPart, type LayoutStart } from "../../io/json-layout.ts";
import { OPEN_BRACE } from "../../io/json-chars.ts";
import { MemberDigestRecorder, type MemberDigestOptions, type MemberDigests } from "../../io/member-digests.ts";

/** Bytes per chunk: small enough to share out evenly, large enough that a chunk's overhead does not count. */
export const defaultChunkBytes = 8 * 2 ** 20;

// A chunk's claim: free, the main thread's, or helper n's (n + 2).
const free = 0;
const mainClaim = 1;

/** Sent to a helper thread: locate chunks from the back until one the main thread took. */
export interface LocateRequest {
  locate: { claims: SharedArrayBuffer; chunkBytes: number; arrays: string[]; digests: DigestedMembers | null; helper: number };
}

/** A helper's part of chunk `chunk`; null when its guess led nowhere (the main thread locates that chunk). */
export interface LocateReply {
  located: { chunk: number; part: LayoutPart | null };
}

/** In a helper thread: claims chunks from the last one down and posts each one's part. */
export function locateChunks(bytes: Uint8Array, request: LocateRequest["locate"], post: (reply: LocateReply, transfer: ArrayBuffer[]) => void): void {
  const claims = new Int32Array(request.claims);
  const arrays = new Set(request.arrays);
  for (let chunk = claims.length - 1; chunk >= 1; chunk--) {
    const owner = Atomics.compareExchange(claims, chunk, free, request.helper + 2);
    if (owner === mainClaim) return;
    if (owner !== free) continue;
    const from = chunk * request.chunkBytes;
    const part = guessedPart(bytes, from, Math.min(bytes.length, from + request.chunkBytes), arrays, request.digests);
    const transfer: ArrayBuffer[] = [];
    for (const e of part?.events ?? []) {
      if (e.type !== "elements") continue;
      transfer.push(e.ranges.starts.buffer as ArrayBuffer, e.ranges.ends.buffer as ArrayBuffer);
      if (e.ranges.records) transfer.push(...MemberDigestRecorder.buffers(e.ranges.records as MemberDigests));
    }
    post({ located: { chunk, part } }, transfer);
  }
}

/** The part of chunk [from, to) from its first element candidate on; null when there is none or the guess was wrong. */
export function guessedPart(bytes: Uint8Array, from: number, to: number, arrays: ReadonlySet<string>, digests: DigestedMembers | null = null): LayoutPart | null {
  const at = elementCandidate(bytes, from, to);
  if (at < 0) return null;
  try {
    return layoutPart(bytes, { kind: "element", at }, arrays, to, windowBytes, digests ? new MemberDigestRecorder(digests.names, digests.options) : undefined);
  } catch {
    // A guess inside something else may read anything as anything: the main thread decides.
    return null;
  }
}

/** The first '{' in [from, to) that is the first byte on its line but for whitespace; -1 when there is none. */
export function elementCandidate(bytes: Uint8Array, from: number, to: number): number {
  for (let newline = bytes.indexOf(0x0a, Math.max(0, from - 1)); newline >= 0 && newline < to; newline = bytes.indexOf(0x0a, newline + 1)) {
    let k = newline + 1;
    while (k < to && (bytes[k] === 0x20 || bytes[k] === 0x09 || bytes[k] === 0x0d)) k++;
    if (k >= to) return -1;
    if (k >= from && bytes[k] === OPEN_BRACE) return k;
  }
  return -1;
}

export interface ParallelLayout {
  layout: JsonObjectLayout;
  /** Chunks located, and how many of them helpers located. */
  chunks: number;
  helped: number;
}

export interface ParallelLayoutOptions {
  /** Bytes per chunk (tests make it small). */
  chunkBytes?: number;
  /** Members whose digests each element's ranges carry (`records`, member-digests.ts). */
  digests?: DigestedMembers;
}

export interface DigestedMembers {
  names: readonly string[];
  options?: MemberDigestOptions;
}

/**
 * The document's layout (as jsonObjectLayout finds it), located with the help of `helpers`,
 * worker threads that run locateChunks on the same (shared) bytes when they get a LocateRequest.
 */
export async function parallelLayout(bytes: Uint8Array, arrays: ReadonlySet<string>, helpers: readonly Worker[], options: ParallelLayoutOptions = {}): Promise<ParallelLayout> {
  const chunkBytes = options.chunkBytes ?? defaultChunkBytes;
  const digests = options.digests ?? null;
  const recorder = digests ? new MemberDigestRecorder(digests.names, digests.options) : undefined;
  const chunks = Math.ceil(bytes.length / chunkBytes);
  if (chunks <= 1 || helpers.length === 0) return { layout: jsonObjectLayout(bytes, arrays, windowBytes, recorder), chunks: 1, helped: 0 };
  const claims = new Int32Array(new SharedArrayBuffer(4 * chunks));
  claims[0] = mainClaim;
  const arrived = new Map<number, LayoutPart | null>();
  const waiting = new Map<number, (part: LayoutPart | null) => void>();
  const deliver = (chunk: number, part: LayoutPart | null) => {
    const resolve = waiting.get(chunk);
    if (resolve) {
      waiting.delete(chunk);
      resolve(part);
    } else arrived.set(chunk, part);
  };
  const partOf = (chunk: number): Promise<LayoutPart | null> => {
    if (arrived.has(chunk)) return Promise.resolve(arrived.get(chunk)!);
    return new Promise((resolve) => waiting.set(chunk, resolve));
  };
  const listeners = helpers.map((worker, helper) => {
    const onMessage = (message: Partial<LocateReply>) => {
      if (message.located) deliver(message.located.chunk, message.located.part);
    };
    // A helper that is gone will not answer for the chunks it took.
    const onGone = () => {
      for (let chunk = 1; chunk < chunks; chunk++) if (Atomics.load(claims, chunk) === helper + 2 && !arrived.has(chunk)) deliver(chunk, null);
    };
    worker.on("message", onMessage).on("exit", onGone).on("error", onGone);
    worker.postMessage({ locate: { claims: claims.buffer as SharedArrayBuffer, chunkBytes, arrays: [...arrays], digests, helper } } satisfies LocateRequest);
    return () => worker.off("message", onMessage).off("exit", onGone).off("error", onGone);
  });
  try {
    const parts: LayoutPart[] = [];
    let helped = 0;
    let start: LayoutStart = { kind: "document" };
    for (let chunk = 0; chunk < chunks; chunk++) {
      let part: LayoutPart | null = null;
      if (chunk > 0 && Atomics.compareExchange(claims, chunk, free, mainClaim) !== free) {
        const guessed = await partOf(chunk);
        // Only a part that starts at the element this thread's part stopped at is the true one.
        if (guessed && start.kind === "element" && guessed.start.kind === "element" && guessed.start.at === start.at) {
          part = guessed;
          helped++;
        }
      }
      part ??= layoutPart(bytes, start, arrays, chunk === chunks - 1 ? Infinity : (chunk + 1) * chunkBytes, windowBytes, recorder);
      parts.push(part);
      if (part.next.kind === "end") break;
      start = part.next;
    }
    return { layout: assembleLayout(parts, recorder), chunks: parts.length, helped };
  } finally {
    for (const off of listeners) off();
  }
}
