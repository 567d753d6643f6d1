// A Graph page kept as the bytes received: its next link read from the head, the body parsed once
// when its handler takes it, and its memory given back as soon as it is parsed.
import { describe, expect, it } from "vitest";
import { ReceivedGraphPage } from "../../../src/collectors/entra/received-page.ts";
import { GraphCallError } from "../../../src/collectors/entra/graph-call-error.ts";

/** Bytes in chunks that own their memory, as socket reads are. */
function owned(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    const chunk = Buffer.allocUnsafeSlow(Math.min(size, bytes.length - at));
    bytes.copy(chunk, 0, at, at + chunk.length);
    chunks.push(chunk);
  }
  return chunks;
}

const page = JSON.stringify({ "@odata.context": "https://graph/$metadata#users", "@odata.nextLink": "https://graph/v1.0/users?$skiptoken=x", value: [{ id: "1" }, { id: "2" }] });

describe("ReceivedGraphPage", () => {
  it("gives the next link from the head before parsing, then the body as JSON.parse does, once", () => {
    const received = new ReceivedGraphPage(owned(page, 7), 200);
    expect(received.nextLinkAhead).toBe("https://graph/v1.0/users?$skiptoken=x");
    expect(received.parse()).toEqual(JSON.parse(page));
    expect(() => received.parse()).toThrow(/parsed once/);
  });

  it("gives its chunks' memory back once parsed, leaving memory it shares alone", () => {
    const chunks = owned(page, 16);
    // A view into a larger allocation (a pooled slab): others may use the rest of it.
    const slab = Buffer.allocUnsafeSlow(4096);
    const shared = slab.subarray(100, 100 + 2);
    shared.write("  ");
    const received = new ReceivedGraphPage([...chunks, shared], 200);
    received.parse();
    expect(chunks.every((chunk) => chunk.byteLength === 0 && chunk.buffer.byteLength === 0)).toBe(true);
    expect(shared.byteLength).toBe(2);
    expect(slab.buffer.byteLength).toBe(4096);
  });

  it("a body that is not JSON is a failed call that quotes none of it, and is released too", () => {
    const chunks = owned(`{"secretish": "do-not-echo", "value": [`, 8);
    const received = new ReceivedGraphPage(chunks, 200);
    let error: unknown;
    try {
      received.parse();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphCallError);
    expect((error as GraphCallError).code).toBe("invalid-json");
    expect((error as GraphCallError).message).not.toContain("do-not-echo");
    expect(chunks.every((chunk) => chunk.byteLength === 0)).toBe(true);
  });

  it("a link named again after value with another value is refused, not followed", () => {
    const repeated = `${page.slice(0, -1)},"@odata.nextLink":"https://graph/v1.0/users?$skiptoken=other"}`;
    const received = new ReceivedGraphPage(owned(repeated, 5), 200);
    expect(received.nextLinkAhead).toBe("https://graph/v1.0/users?$skiptoken=x");
    expect(() => received.parse()).toThrow(/@odata.nextLink twice/);
  });
});
