// A page of a Graph collection as it arrived: its bytes, parsed only when its handler takes it,
// and its @odata.nextLink read from the head of the body (Graph writes the annotations before
// `value`) so the next page can be asked for at once. Why: a parsed page of 999 users is a few
// MB of young objects; parsed on arrival and held until the normalizer took it, every such page
// was copied by each young-generation collection it waited through, and the next request waited
// for the parse. Bytes wait outside the V8 heap; parsed just before they are normalized, the
// page's objects die young (bench/cloud/README.md).
import { headMembers, parseJsonBody } from "../../io/json-body-pieces.ts";
import { GraphCallError, type GraphBody } from "./graph-call-error.ts";

export class ReceivedGraphPage {
  readonly #chunks: readonly Buffer[];
  readonly #status: number;
  #parsed = false;
  /**
   * The @odata.nextLink the body's head gives, or undefined when the head gives none (the last
   * page, or a server that writes it after `value`): then only the parsed body tells.
   */
  readonly nextLinkAhead: string | undefined;

  constructor(chunks: readonly Buffer[], status: number) {
    this.#chunks = chunks;
    this.#status = status;
    const link = headMembers(chunks)?.["@odata.nextLink"];
    this.nextLinkAhead = typeof link === "string" ? link : undefined;
  }

  /**
   * The body as fetch's response.json() gives it. A body that is not JSON, or whose parsed
   * @odata.nextLink is not the one its head gave (a name repeated after `value`: JSON keeps the
   * last), is a failed call: the pages asked for after it may not be the collection's.
   */
  parse(): GraphBody {
    if (this.#parsed) throw new Error("internal: a received Graph page is parsed once");
    this.#parsed = true;
    let body: unknown;
    try {
      body = parseJsonBody(this.#chunks);
    } catch {
      // Not V8's message: it quotes the body.
      throw new GraphCallError(this.#status, "invalid-json", `the response body (${byteLength(this.#chunks)} bytes) is not valid JSON`);
    } finally {
      release(this.#chunks);
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new GraphCallError(this.#status, "invalid-response", "the response body is not a JSON object");
    }
    const record = body as GraphBody;
    if (this.nextLinkAhead !== undefined && record["@odata.nextLink"] !== this.nextLinkAhead) {
      throw new GraphCallError(this.#status, "invalid-response", "the response gives @odata.nextLink twice, with different values");
    }
    return record;
  }
}

const byteLength = (chunks: readonly Buffer[]) => chunks.reduce((sum, chunk) => sum + chunk.length, 0);

/**
 * Frees the bytes of chunks that own their memory (each socket read is its own allocation) now,
 * not when the garbage collector reaches their Buffer objects: the 100,000-user bench tenant's
 * 90 MB of pages then reuse the same memory instead of touching fresh pages (peak RSS 490 -> 430
 * MB, minor page faults 110,000 -> 97,000; bench/cloud/README.md). A chunk that shares its
 * memory (a view of a pooled slab) is left alone.
 */
function release(chunks: readonly Buffer[]): void {
  for (const chunk of chunks) {
    const memory = chunk.buffer;
    if (!(memory instanceof ArrayBuffer) || chunk.byteOffset !== 0 || chunk.byteLength !== memory.byteLength) continue;
    try {
      // Detaches it: the memory goes back at once (a zero-length buffer takes its place).
      memory.transfer(0);
    } catch {
      // Not detachable: the collector frees it later, as before.
    }
  }
}
