// Digests taken while the layout locates elements: what they say of each named member agrees
// with JSON.parse (escapes decoded), through views of any size, and the layout stays the one
// found without them; what they cannot say (a member past the first few, an element that is
// not read member by member, a string left undigested) is flagged for the reader.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonObjectLayout, type ElementRanges } from "../../src/io/json-layout.ts";
import {
  absentMember,
  digestOfText,
  firstMembersRead,
  listMember,
  MemberDigestRecorder,
  otherMember,
  readMembers,
  stringMember,
  undigestedMember,
  unreadMembers,
  type MemberDigests,
} from "../../src/io/member-digests.ts";

const names = ["id", "account", "target", "accounts"];
const arrays = new Set(["items"]);

/** What the digests say of member `name` of element k, in terms a test can compare. */
function said(ranges: ElementRanges, k: number, name: string): unknown {
  const d = ranges.records as MemberDigests;
  const slot = k * d.names + names.indexOf(name);
  switch (d.kinds[slot]) {
    case absentMember:
      return d.unread[k] === readMembers ? "absent" : "unknown";
    case stringMember:
      return ["string", d.first[slot], d.second[slot]];
    case listMember:
      return ["list", ...Array.from({ length: d.second[slot] - d.first[slot] }, (_, j) => [d.list[2 * (d.first[slot] + j)], d.list[2 * (d.first[slot] + j) + 1]])];
    case otherMember:
      return "other";
    case undigestedMember:
      return "unknown";
  }
  throw new Error(`kind ${d.kinds[slot]}`);
}

/** What the digests should say of `value`, the member as JSON.parse reads it. */
function expected(value: unknown, present: boolean): unknown {
  if (!present) return "absent";
  if (typeof value === "string") return ["string", ...digestOfText(value)];
  if (Array.isArray(value)) return ["list", ...value.filter((v) => typeof v === "string").map((v) => digestOfText(v))];
  return "other";
}

describe("member digests", () => {
  it("say of each element's named members what JSON.parse reads, through views of any size, and leave the layout as it is", () => {
    const member = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 4 }));
    const value = fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), fc.integer())), fc.jsonValue());
    const element = fc.oneof({ weight: 5, arbitrary: fc.dictionary(member, value, { maxKeys: 7 }) }, { weight: 1, arbitrary: fc.jsonValue() });
    fc.assert(
      fc.property(fc.array(element), fc.boolean(), fc.integer({ min: 1, max: 64 }), (items, pretty, window) => {
        const buf = Buffer.from(JSON.stringify({ before: 1, items }, null, pretty ? 2 : undefined));
        const plain = jsonObjectLayout(buf, arrays);
        for (const view of [window, undefined]) {
          const layout = jsonObjectLayout(buf, arrays, view, new MemberDigestRecorder(names));
          expect(layout.members).toEqual(plain.members);
          const ranges = layout.elements.get("items")!;
          const expectedRanges = plain.elements.get("items")!;
          expect([...ranges.starts.subarray(0, ranges.count)]).toEqual([...expectedRanges.starts.subarray(0, expectedRanges.count)]);
          expect([...ranges.ends.subarray(0, ranges.count)]).toEqual([...expectedRanges.ends.subarray(0, expectedRanges.count)]);
          items.forEach((item, k) => {
            const object = item !== null && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
            for (const name of names) {
              const got = said(ranges, k, name);
              const present = !!object && Object.hasOwn(object, name);
              // Past the first members a name is "unknown": the reader looks at the element.
              if (got === "unknown") expect(present && Object.keys(object).indexOf(name) < 4).toBe(false);
              else expect(got).toEqual(expected(object?.[name], present));
            }
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("decode escapes in names and strings", () => {
    const buf = Buffer.from('{"items": [{"\\u0069d": "a\\u0062", "accounts": ["\\"q\\"", 3, "é"]}, {"id": "ab"}]}');
    const ranges = jsonObjectLayout(buf, arrays, undefined, new MemberDigestRecorder(names)).elements.get("items")!;
    expect(said(ranges, 0, "id")).toEqual(["string", ...digestOfText("ab")]);
    expect(said(ranges, 1, "id")).toEqual(said(ranges, 0, "id"));
    expect(said(ranges, 0, "accounts")).toEqual(["list", digestOfText('"q"'), digestOfText("é")]);
    expect(digestOfText("ab")).not.toEqual(digestOfText("ba"));
  });

  it("flag what they cannot say: members past the first four, elements not read member by member, strings left undigested", () => {
    const buf = Buffer.from(
      '{"items": [{"a": 1, "b": 2, "c": 3, "d": 4, "id": "late"}, {"id": "x" "account": "y"}, {"id": "c1", "account": "ad:a"}, {"id": "a1", "name": "n"}, {"target": "t", "id": "p1"}]}',
    );
    const layout = jsonObjectLayout(buf, arrays, undefined, new MemberDigestRecorder(names, { digestUnless: { id: ["account", "target"] } }));
    const ranges = layout.elements.get("items")!;
    const d = ranges.records as MemberDigests;
    expect([...d.unread.subarray(0, 5)]).toEqual([firstMembersRead, unreadMembers, readMembers, readMembers, readMembers]);
    expect(said(ranges, 0, "id")).toBe("unknown");
    expect(said(ranges, 1, "account")).toBe("unknown");
    // A credential's and a reset path's own id is not digested, an account's is.
    expect(said(ranges, 2, "id")).toBe("unknown");
    expect(said(ranges, 2, "account")).toEqual(["string", ...digestOfText("ad:a")]);
    expect(said(ranges, 3, "id")).toEqual(["string", ...digestOfText("a1")]);
    expect(said(ranges, 4, "id")).toBe("unknown");
    expect(said(ranges, 4, "target")).toEqual(["string", ...digestOfText("t")]);
    // The elements are where they are without digests.
    const plain = jsonObjectLayout(buf, arrays).elements.get("items")!;
    expect([...ranges.ends.subarray(0, 5)]).toEqual([...plain.ends.subarray(0, 5)]);
  });
});
