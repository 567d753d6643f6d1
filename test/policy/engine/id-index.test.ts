// The id index behind batch cutting: ids found by the bytes of a reference, escapes decoded,
// the first of duplicate ids kept, and as many ids as a large estate has.
import { describe, expect, it } from "vitest";
import { IdIndex } from "../../../src/policy/engine/id-index.ts";

/** The byte range of the n-th JSON string token in `buf`. */
function token(buf: Buffer, n: number): [number, number] {
  let at = -1;
  for (let k = 0; k <= n; k++) {
    at = buf.indexOf(0x22, at + 1);
    let end = at + 1;
    while (buf[end] !== 0x22) end += buf[end] === 0x5c ? 2 : 1;
    if (k === n) return [at, end + 1];
    at = end;
  }
  throw new Error("no such token");
}

describe("IdIndex", () => {
  it("finds ids by the bytes of another token, escaped or not", () => {
    const ids = Buffer.from('["ad:a","ad:b","ad:\\u00e9","gh:\\"q\\""]');
    const refs = Buffer.from('["ad:\\u0061","ad:b","ad:é","gh:\\u0022q\\"","ad:c","ad:"]');
    const index = new IdIndex(2);
    for (let k = 0; k < 4; k++) expect(index.add(ids, ...token(ids, k), k * 10)).toBe(true);
    expect(index.size).toBe(4);
    expect([0, 1, 2, 3, 4, 5].map((k) => index.get(refs, ...token(refs, k)))).toEqual([0, 10, 20, 30, -1, -1]);
    // A duplicate keeps the first value.
    expect(index.add(refs, ...token(refs, 1), 99)).toBe(false);
    expect(index.get(ids, ...token(ids, 1))).toBe(10);
  });

  it("holds many ids, past its first estimate", () => {
    const ids = Buffer.from(JSON.stringify(Array.from({ length: 50_000 }, (_, k) => `corp-ad:${k.toString(16).padStart(8, "0")}-user`)));
    const index = new IdIndex(1000);
    let at = 0;
    for (let k = 0; k < 50_000; k++) {
      const start = ids.indexOf(0x22, at);
      const end = ids.indexOf(0x22, start + 1) + 1;
      expect(index.add(ids, start, end, k)).toBe(true);
      at = end;
    }
    const probe = (id: string) => {
      const buf = Buffer.from(JSON.stringify(id));
      return index.get(buf, 0, buf.length);
    };
    expect(probe("corp-ad:00000000-user")).toBe(0);
    expect(probe("corp-ad:0000c34f-user")).toBe(49_999);
    expect(probe("corp-ad:0000c350-user")).toBe(-1);
  });
});
