// Input projection: what each policy package reads of the snapshot, derived from its Rego, and
// batches that carry only that. (That findings stay those of the whole snapshot is shown on
// every test snapshot by sharded-evaluation.test.ts, whose batches are projected.)
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KeyMatcher } from "../../../src/policy/engine/batch-document.ts";
import { RuleIndex } from "../../../src/policy/engine/input-projection.ts";
import { batchEntrypoint, builtinPoliciesDir, combinedEntrypoint, readPolicyLibrary } from "../../../src/policy/engine/policy-sources.ts";
import { subjectBatches } from "../../../src/policy/engine/subject-batches.ts";

const library = readPolicyLibrary([builtinPoliciesDir]);
const rules = new RuleIndex(library.modules);
const members = (entrypoint: string) => [...(rules.projection([entrypoint]).members ?? ["<all>"])].sort();

describe("input projection", () => {
  it("follows each package's rules, through imports, into the input members they read", () => {
    // saas judges sources and their settings only; hyg never looks at reset paths or identities
    // (it reads password credentials for their effective never-expires, CG-HYG-006).
    expect(members("credgov/saas/results")).toEqual(["settings", "sources"]);
    expect(members("credgov/hyg/results")).toEqual(["accounts", "credentials", "generatedAt", "passwordPolicies", "settings", "sources"]);
    expect(members("credgov/reset/results")).not.toContain("identities");
    expect(members("credgov/frag/results")).toEqual(expect.arrayContaining(["accounts", "credentials", "identities", "resetPaths"]));
    // The batch entrypoint reads what every package and the estate facts read.
    expect(members(batchEntrypoint)).toEqual(["accounts", "credentials", "generatedAt", "identities", "passwordPolicies", "resetPaths", "settings", "sources"]);
  });

  it("keeps the keys the rules name, including object.get keys and keys held in arrays of strings", () => {
    const keys = rules.projection([batchEntrypoint]).keys!;
    for (const key of ["id", "source", "enabled", "passwordLastSet", "flags", "nativeIds", "minLength", "historyLength", "target", "actor", "accounts"]) expect(keys.has(key)).toBe(true);
    // Read by no rule: an identity's correlation links, an account's group list.
    expect(keys.has("links")).toBe(false);
    expect(keys.has("groups")).toBe(false);
  });

  it("reads the whole input when a rule uses it whole or by a computed member name", () => {
    const whole = new RuleIndex([{ file: "p.rego", source: "package p\n\nresults contains x if {\n\tx := count(input)\n}\n" }]);
    expect(whole.projection(["p/results"]).members).toBeNull();
    const computed = new RuleIndex([{ file: "p.rego", source: 'package p\n\nname := "accounts"\n\nresults contains x if {\n\tsome x in input[name]\n}\n' }]);
    expect(computed.projection(["p/results"]).members).toBeNull();
  });

  it("cuts batches down to the members and keys read, element by element", () => {
    const snapshot = {
      schemaVersion: 1,
      generatedAt: "2026-01-01T00:00:00Z",
      sources: [{ id: "ad" }],
      unread: { big: "x".repeat(1000) },
      accounts: [
        { id: "ad:a", "\u0065nabled": true, groups: ["g1", "g2"], name: "a" },
        { groups: [], id: "ad:b", note: "é\"}", name: "b" },
      ],
      credentials: [],
      resetPaths: [],
      identities: [{ id: "person:a", accounts: ["ad:a"], links: [{ from: "ad:a", to: "ad:b" }] }],
      settings: {},
    };
    const bytes = Buffer.from(JSON.stringify(snapshot, null, 1));
    const projection = { members: new Set(["sources", "accounts", "identities", "generatedAt"]), keys: new Set(["id", "enabled", "name", "accounts"]) };
    const batches = subjectBatches(bytes, 100);
    expect(batches.count).toBe(1);
    const projected = JSON.parse(Buffer.from(batches.batch(0, projection)).toString("utf8")) as unknown;
    expect(projected).toEqual({
      generatedAt: "2026-01-01T00:00:00Z",
      sources: [{ id: "ad" }],
      accounts: [
        { id: "ad:a", enabled: true, name: "a" },
        { id: "ad:b", name: "b" },
      ],
      identities: [{ id: "person:a", accounts: ["ad:a"] }],
    });
    expect(JSON.parse(Buffer.from(batches.estate(projection)).toString("utf8"))).toEqual({ generatedAt: "2026-01-01T00:00:00Z", sources: [{ id: "ad" }], accounts: [], identities: [] });
  });

  it("makes the batches of the all-controls fixture smaller", () => {
    const bytes = readFileSync(new URL("../../fixtures/snapshots/all-controls.json", import.meta.url));
    const batches = subjectBatches(bytes, 1_000_000);
    const whole = batches.batch(0).byteLength;
    const projected = batches.batch(0, rules.projection([batchEntrypoint])).byteLength;
    expect(projected).toBeLessThan(whole);
    expect(batches.estate(rules.projection([combinedEntrypoint])).byteLength).toBeLessThan(batches.estate().byteLength);
  });
});

describe("input projection keeps elements whole when a rule can see an element's key set", () => {
  const keysOf = (rego: string) => new RuleIndex([{ file: "p.rego", source: `package p\n\n${rego}\n` }]).projection(["p/results"]).keys;
  it.each([
    ["object.keys of an element bound by some-in", 'results contains n if {\n\tsome a in input.accounts\n\tn := count(object.keys(a))\n}'],
    ["some k, v over an element", 'results contains k if {\n\tsome a in input.accounts\n\tsome k, v in a\n\tv == true\n}'],
    ["an element indexed by a variable", 'results contains k if {\n\ta := input.accounts[_]\n\ta[k] == true\n}'],
    ["input.accounts[i][k]", 'results contains k if {\n\tinput.accounts[_][k] == true\n}'],
    ["every k, v over an element", 'results contains a.id if {\n\tsome a in input.accounts\n\tevery k, v in a {\n\t\tk != "x"\n\t}\n}'],
    ["an element printed whole", 'results contains m if {\n\tsome a in input.accounts\n\tm := json.marshal(a)\n}'],
    ["a function's parameter iterated by key", 'f(a) := {k | a[k]}\n\nresults contains x if {\n\tsome a in input.accounts\n\tx := f(a)\n}'],
  ])("%s", (_name, rego) => {
    expect(keysOf(rego)).toBeNull();
  });

  it("still cuts elements read only by named keys", () => {
    const keys = keysOf('results contains a.id if {\n\tsome a in input.accounts\n\ta.enabled == true\n\tobject.get(a, "kind", "") == "service"\n}');
    expect(keys).not.toBeNull();
    expect([...keys!]).toEqual(expect.arrayContaining(["enabled", "id", "kind"]));
    expect(keys!.has("groups")).toBe(false);
  });

  it("matches member names as bytes, escaped and non-ASCII names included", () => {
    const matcher = new KeyMatcher(["id", "kind", "näme", "a\"b"]);
    const doc = Buffer.from('{"id":1,"i":2,"idx":3,"kind":4,"\\u0069d":5,"n\u00e4me":6,"näme":7,"a\\"b":8,"kinD":9}');
    const names: string[] = [];
    for (let at = doc.indexOf(0x22); at >= 0; ) {
      let end = at + 1;
      while (doc[end] !== 0x22) end += doc[end] === 0x5c ? 2 : 1;
      if (matcher.accepts(doc, at, end + 1)) names.push(doc.toString("utf8", at, end + 1));
      at = doc.indexOf(0x22, doc.indexOf(0x2c, end) + 1);
      if (doc.indexOf(0x2c, end) < 0) break;
    }
    expect(names).toEqual(['"id"', '"kind"', '"\\u0069d"', '"n\u00e4me"', '"näme"', '"a\\"b"']);
  });
});
