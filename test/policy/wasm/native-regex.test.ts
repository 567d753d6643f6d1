// regex.match / regex.is_valid answered in the Wasm runtime (as guards before the host builtin, by a
// Pike VM: linear in the text):
// OPA's conformance values, Go's (RE2) rules where they differ from JavaScript, agreement with
// JavaScript's RegExp on the shared subset, and "ask the host" (0) for what it does not answer.
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { nativeBuiltins } from "../../../src/policy/wasm/compile-plan.ts";
import { hostGuardFunction } from "../../../src/policy/wasm/runtime-module.ts";
import { dumpJson, instantiate, parseJson } from "./wasm-api.ts";

const runtimeWasm = readFileSync(new URL("../../../src/policy/wasm/runtime/build/runtime.wasm", import.meta.url));
let inst: ReturnType<typeof instantiate>;
beforeEach(() => {
  inst = instantiate(new Uint8Array(runtimeWasm));
});

/** The guard's answer, or "host" when it leaves the call to the host builtin. */
function call(name: string, ...args: unknown[]): unknown {
  const addr = inst.exports[`opa_guard_${name}`](...args.map((a) => parseJson(inst, JSON.stringify(a))));
  return addr === 0 ? "host" : JSON.parse(dumpJson(inst, addr));
}
const match = (p: unknown, s: string) => call("regex.match", p, s);
const valid = (p: unknown) => call("regex.is_valid", p);

describe("regex.match and regex.is_valid", () => {
  it("are guards in front of the host builtins, not native replacements", () => {
    expect(nativeBuiltins.has("regex.match")).toBe(false);
    expect(hostGuardFunction("regex.match")).toBeDefined();
    expect(hostGuardFunction("regex.is_valid")).toBeDefined();
  });

  it("gives OPA's conformance results", () => {
    expect(match("^[a-z]+\\[[0-9]+\\]$", "foo[1]")).toBe(true);
    expect(match("", "")).toBe(true);
    expect(match("^$", "")).toBe(true);
    expect(match("", "abc")).toBe(true);
    expect(match("^[a-z]+\\[[0-9]+\\]$", "foo[\"bar\"]")).toBe(false);
    expect(match("][", "x")).toBe("host"); // bad RE: the host reports the builtin error
    expect(valid("++")).toBe(false);
    expect(valid(".+")).toBe(true);
    expect(valid(1)).toBe(false);
  });

  it("follows Go's rules where JavaScript differs", () => {
    expect(match("a.b", "a\rb")).toBe(true); // Go's '.' excludes only '\n'
    expect(match("a.b", "a\nb")).toBe(false);
    expect(match("a[^x]b", "a\nb")).toBe(true);
    expect(match("\\s", "\v")).toBe(false); // RE2 \s is [\t\n\f\r ]
    expect(match("^b$", "a\nb")).toBe(false); // no multi-line mode by default
    expect(match("é+$", "cafééé")).toBe(true);
    expect(match("^.{4}$", "café")).toBe(true); // '.' is a rune, not a byte
    expect(match("(?P<year>\\d{4})-(?:\\d\\d)", "on 2024-05")).toBe(true);
    expect(match("\\Aab\\z", "ab")).toBe(true);
  });

  it("rejects what RE2 rejects and leaves RE2 syntax it does not implement to the host", () => {
    for (const bad of ["a**", "*a", "(a", "a)", "[a", "[z-a]", "x{2,1}", "a{1001}", "\\1", "(?=a)", "a\\", "\\Z", "[\\d-z]", "{2}"]) {
      expect(valid(bad), bad).toBe(false);
      expect(match(bad, "a"), bad).toBe("host");
    }
    for (const unsupported of ["(?i)a", "[[:alpha:]]", "\\pL", "\\p{Greek}", "\\x{41}", "\\0"]) {
      expect(valid(unsupported), unsupported).toBe("host");
      expect(match(unsupported, "a"), unsupported).toBe("host");
    }
    for (const good of ["a{,2}", "{", "a{2,}", "x*?", "(a|)", "[]a]", "[^]a]", "[a-]", "\\.\\*\\$", "^*"]) {
      expect(valid(good), good).toBe(true);
    }
    expect(match("a{,2}", "a{,2}")).toBe(true); // not a repeat spec: literal text
  });

  it("answers pathological patterns itself, in steps linear in the text (RE2's guarantee, not backtracking)", () => {
    const steps = (): number => (inst.exports.opa_regex_last_steps as () => number)();
    // (a+)+$ against a's and one b: a backtracking matcher tries 2^n splits of the a's.
    const cost = (n: number): number => {
      expect(match("(a+)+$", "a".repeat(n) + "b")).toBe(false);
      return steps();
    };
    const [c1, c2, c4] = [cost(1000), cost(2000), cost(4000)];
    expect(c2 / c1).toBeGreaterThan(1.8);
    expect(c2 / c1).toBeLessThan(2.2); // twice the text, twice the work
    expect(c4 / c2).toBeLessThan(2.2);
    expect(c4 / 4001).toBeLessThan(20); // a few instructions per rune, whatever the nesting
    expect(match("(a+)+$", "a".repeat(4000))).toBe(true);
    expect(match("(a*)*b", "a".repeat(5000))).toBe(false);
    expect(match("^(a|aa)+$", "a".repeat(5001))).toBe(true);
    expect(match("^(a|b)+$", "ab".repeat(5000))).toBe(true); // no recursion depth to run out of
    expect(match("(x+x+)+y", "x".repeat(3000))).toBe(false);
    expect(steps() / 3000).toBeLessThan(40);
    expect(match("((a{0,30}){0,30})$", "a".repeat(2000) + "b")).toBe(true); // empty at the end matches
    expect(match(1, "a")).toBe("host"); // the host reports the type error
    expect(match("foo.*bar", "x".repeat(20000) + "foo" + "y".repeat(20000) + "bar")).toBe(true);
    expect(match(".*z", "y".repeat(50000) + "z")).toBe(true);
  });

  it("leaves a pattern whose program would be too large to the host", () => {
    expect(match("((a{1000}){1000})", "a")).toBe("host");
  });

  it("agrees with JavaScript's RegExp on the shared ASCII subset", () => {
    const patterns = ["abc", "^abc$", "a.c", "a[bc]+d", "[^a-c]x", "\\d{2,3}-\\w+", "colou?r", "(cat|dog)s?$", "^(?:ab)+$",
      "a+?b", "a{2}", "a{2,}b", "\\bfoo\\b", "\\Bo\\B", "x*", "(a|ab)(c|bcd)(d*)", "^[A-Za-z_][A-Za-z0-9_]*$", "\\D\\W\\S",
      "^svc-[a-z0-9-]+@corp\\.example$", "(a+)+$", "[.]", "\\^", "^$"];
    const texts = ["", "abc", "xabcx", "abbd", "acx", "dx", "12-ab", "123-", "color", "colours", "cats", "dog", "ababab", "aab",
      "aaab", "a foo b", "foobar", "boot", "abcd", "_id9", "9id", "a-b ", "svc-build-01@corp.example", "svc@corp.example", ".", "^"];
    for (const p of patterns) {
      const js = new RegExp(p, "u");
      for (const t of texts) expect(match(p, t), `${p} ~ ${JSON.stringify(t)}`).toBe(js.test(t));
    }
  });
});
