// Range retrieval's follow-ups on answers a DC could give. Samba's own ranged answers are
// followed end to end in test/live/ad-live.test.ts; the malformed ones here cannot be provoked
// from a real DC, so the follow-up requests are answered from a table.
import { describe, expect, it } from "vitest";
import type { LdapEntry } from "../../../src/collectors/ldap-common/entry.ts";
import { completeRangedValues, type RangeFetch } from "../../../src/collectors/ldap-common/ranged-values.ts";

const text = new TextEncoder();
const values = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => text.encode(`CN=u${from + i}`));
const names = (entry: LdapEntry, attribute: string) => entry.attributes[attribute]!.map((v) => new TextDecoder().decode(v));

/** A DC holding `total` values that hands out at most `max` per answer, as AD's MaxValRange does. */
function directory(total: number, max: number, asked: number[] = []): RangeFetch {
  return async (_dn, attribute, from) => {
    asked.push(from);
    const last = Math.min(total - 1, from + max - 1);
    return { description: `${attribute};range=${from}-${last === total - 1 ? "*" : last}`, values: values(from, last) };
  };
}

/** An entry as the live conversion gives it: the first slice under the plain name, listed as partial. */
const firstSlice = (spelled: string, from: number, to: number): LdapEntry => ({ dn: "CN=g", attributes: { cn: [text.encode("g")], member: values(from, to) }, partialAttributes: [spelled] });

describe("AD range retrieval, live follow-ups", () => {
  it("asks for the rest until a slice ends with *, appends every value in order, and clears the partial mark", async () => {
    const entry = firstSlice("member;range=0-1499", 0, 1499);
    const asked: number[] = [];
    expect(await completeRangedValues(entry, directory(4000, 1500, asked))).toBe(2);
    expect(asked).toEqual([1500, 3000]);
    expect(entry.partialAttributes).toBeUndefined();
    expect(Object.keys(entry.attributes).sort()).toEqual(["cn", "member"]);
    expect(names(entry, "member")).toEqual(Array.from({ length: 4000 }, (_, i) => `CN=u${i}`));
  });

  it("an entry without partial attributes needs no request", async () => {
    const entry: LdapEntry = { dn: "CN=small", attributes: { member: values(0, 2) } };
    expect(await completeRangedValues(entry, directory(3, 1500))).toBe(0);
    expect(names(entry, "member")).toEqual(["CN=u0", "CN=u1", "CN=u2"]);
  });

  it("an attribute that shrank meanwhile ends where the directory ends", async () => {
    const entry = firstSlice("member;range=0-1", 0, 1);
    expect(await completeRangedValues(entry, async () => undefined)).toBe(1);
    expect(entry.partialAttributes).toBeUndefined();
    expect(names(entry, "member")).toEqual(["CN=u0", "CN=u1"]);
  });

  it("answers that would lose or repeat values leave the attribute marked partial", async () => {
    const gap: RangeFetch = async (_dn, attribute) => ({ description: `${attribute};range=5-*`, values: values(5, 6) });
    const other: RangeFetch = async () => ({ description: "memberof;range=2-*", values: values(2, 2) });
    const stuck: RangeFetch = async (_dn, attribute, from) => ({ description: `${attribute};range=${from}-${from - 1}`, values: [] });
    const unranged: RangeFetch = async (_dn, attribute) => ({ description: attribute, values: values(2, 3) });
    for (const fetch of [gap, other, stuck, unranged]) {
      const entry = firstSlice("member;range=0-1", 0, 1);
      await completeRangedValues(entry, fetch);
      expect(entry.partialAttributes).toEqual(["member;range=0-1"]);
      expect(names(entry, "member")).toEqual(["CN=u0", "CN=u1"]);
    }
    // a slice that does not start at 0 is not continued: values before it are missing
    const late = firstSlice("member;range=3-4", 3, 4);
    expect(await completeRangedValues(late, directory(9, 2))).toBe(0);
    expect(late.partialAttributes).toEqual(["member;range=3-4"]);
  });
});

describe("AD range retrieval, empty slices", () => {
  it("a group without members asked for in ranges stays without a member attribute", async () => {
    // Samba answers `member;range=0-0` with no values for an empty group, then `member;range=1-*` with none.
    const entry: LdapEntry = { dn: "CN=empty", attributes: { cn: [text.encode("empty")] }, partialAttributes: ["member;range=0-0"] };
    const empty: RangeFetch = async (_dn, attribute, from) => ({ description: `${attribute};range=${from}-*`, values: [] });
    expect(await completeRangedValues(entry, empty)).toBe(1);
    expect(Object.keys(entry.attributes)).toEqual(["cn"]);
    expect(entry.partialAttributes).toBeUndefined();
  });
});
