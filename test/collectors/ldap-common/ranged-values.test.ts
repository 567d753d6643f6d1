// Range retrieval's bookkeeping on answers a DC could give. Samba's own ranged answers are
// followed end to end in test/live/ad-live.test.ts; the malformed ones here cannot be provoked
// from a real DC, so the follow-up requests are answered from a table.
import { describe, expect, it } from "vitest";
import type { LdapEntry } from "../../../src/collectors/ldap-common/entry.ts";
import { IncompleteRangeError, completeRangedValues, parseRangeOption, type RangeFetch } from "../../../src/collectors/ldap-common/ranged-values.ts";

const text = new TextEncoder();
const values = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => text.encode(`CN=u${from + i}`));
const names = (entry: LdapEntry, attribute: string) => entry.attributes[attribute]!.map((v) => new TextDecoder().decode(v));

/** A DC holding `total` values that hands out at most `max` per answer, as AD's MaxValRange does. */
function directory(total: number, max: number, asked: number[] = []): RangeFetch {
  return async (_dn, attribute, from) => {
    asked.push(from);
    const last = Math.min(total - 1, from + max - 1);
    return { attribute: `${attribute};range=${from}-${last === total - 1 ? "*" : last}`, values: values(from, last) };
  };
}

describe("AD range retrieval", () => {
  it("parses the range option, keeping other options and lower-casing the name", () => {
    expect(parseRangeOption("member;range=0-1499")).toEqual({ name: "member", low: 0, high: 1499 });
    expect(parseRangeOption("memberOf;range=1500-*")).toEqual({ name: "memberof", low: 1500, high: undefined });
    expect(parseRangeOption("member")).toBeUndefined();
    expect(parseRangeOption("member;range=a-b")).toBeUndefined();
  });

  it("asks for the rest until a part ends with * and files every value, in order, under the plain name", async () => {
    const entry: LdapEntry = { dn: "CN=big", attributes: { cn: [text.encode("big")], "member;range=0-1499": values(0, 1499) } };
    const asked: number[] = [];
    expect(await completeRangedValues(entry, directory(4000, 1500, asked))).toBe(2);
    expect(asked).toEqual([1500, 3000]);
    expect(Object.keys(entry.attributes).sort()).toEqual(["cn", "member"]);
    expect(names(entry, "member")).toEqual(Array.from({ length: 4000 }, (_, i) => `CN=u${i}`));
  });

  it("a part already ending with * needs no request", async () => {
    const entry: LdapEntry = { dn: "CN=small", attributes: { "member;range=0-*": values(0, 2) } };
    expect(await completeRangedValues(entry, directory(3, 1500))).toBe(0);
    expect(names(entry, "member")).toEqual(["CN=u0", "CN=u1", "CN=u2"]);
  });

  it("an attribute that shrank meanwhile ends where the directory ends", async () => {
    const entry: LdapEntry = { dn: "CN=g", attributes: { "member;range=0-1": values(0, 1) } };
    expect(await completeRangedValues(entry, async () => undefined)).toBe(1);
    expect(names(entry, "member")).toEqual(["CN=u0", "CN=u1"]);
  });

  it("refuses answers that would lose or repeat values", async () => {
    const gap: RangeFetch = async (_dn, attribute) => ({ attribute: `${attribute};range=5-*`, values: values(5, 6) });
    await expect(completeRangedValues({ dn: "CN=g", attributes: { "member;range=0-1": values(0, 1) } }, gap)).rejects.toThrow(
      new IncompleteRangeError("CN=g", "member", "asked for values from index 2, the server sent them from index 5"),
    );
    const other: RangeFetch = async () => ({ attribute: "memberof;range=2-*", values: values(2, 2) });
    await expect(completeRangedValues({ dn: "CN=g", attributes: { "member;range=0-1": values(0, 1) } }, other)).rejects.toThrow(/answered with memberof;range=2-\*/);
    await expect(completeRangedValues({ dn: "CN=g", attributes: { "member;range=3-4": values(3, 4) } }, directory(9, 2))).rejects.toThrow(/from index 3 on without the first ones/);
    const stuck: RangeFetch = async (_dn, attribute, from) => ({ attribute: `${attribute};range=${from}-${from - 1}`, values: [] });
    await expect(completeRangedValues({ dn: "CN=g", attributes: { "member;range=0-1": values(0, 1) } }, stuck)).rejects.toThrow(/empty range 2-1/);
  });
});
