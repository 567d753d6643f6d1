// Host builtins checked against the examples in OPA's builtin documentation and OPA's semantics.
import { describe, expect, it } from "vitest";
import { hostBuiltinImplementations as b, hostBuiltins } from "../../../src/policy/wasm/host-builtins/index.ts";

const text = (v: unknown) => (v instanceof ArrayBuffer ? new TextDecoder().decode(v) : v);

describe("units", () => {
  it("parses byte amounts, case-insensitively, SI and IEC", () => {
    expect(b["units.parse_bytes"]('"100TIB"')).toBe(109951162777600);
    expect(b["units.parse_bytes"]("1KiB")).toBe(1024);
    expect(b["units.parse_bytes"]("1.5kb")).toBe(1500);
    expect(b["units.parse_bytes"]("0.5")).toBe(0);
    expect(text(b["units.parse_bytes"]("10EiB"))).toBe("11529215046068469760"); // beyond 2^53, exact
  });
  it("parses units, where m is milli and M is mega", () => {
    expect(b["units.parse"]("5m")).toBe(0.005);
    expect(b["units.parse"]("5M")).toBe(5000000);
    expect(b["units.parse"]("1Ki")).toBe(1024);
    expect(b["units.parse"]("1e3")).toBe(1000);
  });
  it("rejects what OPA rejects, which the host table turns into undefined", () => {
    expect(() => b["units.parse_bytes"]("1 KB")).toThrow(/spaces not allowed/);
    expect(() => b["units.parse_bytes"]("KB")).toThrow(/no byte amount/);
    expect(() => b["units.parse"]("1Qi")).toThrow(/not recognized/);
    expect(hostBuiltins["units.parse"]("1Qi")).toBeUndefined();
  });
});

describe("strings", () => {
  it("any_prefix_match over strings and collections, with OPA's type errors", () => {
    expect(b["strings.any_prefix_match"]("foo bar", "foo")).toBe(true);
    expect(b["strings.any_prefix_match"](["a/b", "c/d"], ["x/", "c/"])).toBe(true);
    expect(b["strings.any_prefix_match"](["a/b"], ["x/"])).toBe(false);
    expect(() => b["strings.any_prefix_match"]([1], ["x"])).toThrow("operand 1 must be array of strings but got array containing number");
    expect(() => b["strings.any_prefix_match"]("a", 1)).toThrow("operand 2 must be one of {string, set, array} but got number");
  });
  it("replace_n, trim family, split", () => {
    expect(b["strings.replace_n"]({ "<": "&lt;", ">": "&gt;" }, "<a>")).toBe("&lt;a&gt;");
    expect(b.trim("...foo.bar...", ".fr")).toBe("oo.ba");
    expect(b.trim_space("  \t x \n")).toBe("x");
    expect(b.trim_suffix("foo.rego", ".rego")).toBe("foo");
    expect(b.split("a.b.c", ".")).toEqual(["a", "b", "c"]);
    expect(b.split("åß", "")).toEqual(["å", "ß"]);
    expect(b["strings.reverse"]("abc")).toBe("cba");
  });
  it("render_template with text/template field access", () => {
    expect(b["strings.render_template"]("{{.test}}", { test: "hello world" })).toBe("hello world");
    expect(b["strings.render_template"]("{{.test}}", { test: 2023 })).toBe("2023");
    expect(b["strings.render_template"]("{{range $i, $name := .names}}{{if $i}},{{end}}hello {{$name}}{{end}}", { names: ["rohan", "john doe"] })).toBe(
      "hello rohan,hello john doe",
    );
    expect(b["strings.render_template"]("a {{.missing}} {{- if .flag}} yes{{else}} no{{end}}", { flag: false })).toBe("a <undefined> no");
  });
  it("template strings print undefined parts and Rego values", () => {
    expect(b["internal.template_string"](["sum: ", [43], ", ", [], ", ", ["s"], " ", [{ a: "b" }]])).toBe('sum: 43, <undefined>, s {"a": "b"}');
    expect(() => b["internal.template_string"]([[1, 2]])).toThrow(/multiple outputs/);
    expect(() => hostBuiltins["internal.template_string"]([[1, 2]])).toThrow(/eval_conflict_error/);
  });
});

describe("numbers", () => {
  it("to_number and format_int", () => {
    expect(b.to_number("-42.0")).toBe(-42);
    expect(b.to_number(true)).toBe(1);
    expect(b.to_number(null)).toBe(0);
    expect(() => b.to_number("nan")).toThrow(/invalid syntax/);
    expect(() => b.to_number("Infinity")).toThrow(/invalid syntax/);
    expect(b.format_int(15.5, 16)).toBe("f");
    expect(() => b.format_int(4, 199)).toThrow(/operand 2 must be one of \{2, 8, 10, 16\}/);
  });
  it("ranges, ascending and descending", () => {
    expect(b["numbers.range"](3, 1)).toEqual([3, 2, 1]);
    expect(b["numbers.range_step"](0, 10, 3)).toEqual([0, 3, 6, 9]);
    expect(() => b["numbers.range_step"](0, 10, 0)).toThrow();
  });
});

describe("net", () => {
  it("cidr_contains, intersects, is_valid", () => {
    expect(b["net.cidr_contains"]("127.0.0.0/8", "127.0.0.1")).toBe(true);
    expect(b["net.cidr_contains"]("127.0.0.0/24", "127.0.0.0/25")).toBe(true);
    expect(b["net.cidr_contains"]("127.0.0.0/25", "127.0.0.0/24")).toBe(false);
    expect(b["net.cidr_contains"]("2001:4860:4860::8888/32", "2001:4860:4860:1234::8888")).toBe(true);
    expect(b["net.cidr_intersects"]("192.168.0.0/16", "192.168.1.0/24")).toBe(true);
    expect(b["net.cidr_is_valid"]("192.168.1.1/33")).toBe(false);
  });
  it("cidr_merge joins siblings and drops covered blocks", () => {
    expect(b["net.cidr_merge"](["192.0.128.0/24", "192.0.129.0/24"])).toEqual(["192.0.128.0/23"]);
    expect(b["net.cidr_merge"](["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"])).toEqual(["192.0.2.112/29"]);
    expect(b["net.cidr_merge"](["::/0", "fe80::1/128"])).toEqual(["::/0"]);
    expect(b["net.cidr_merge"](["fe80::/120", "192.0.2.0/24", "192.0.3.0/24"])).toEqual(["192.0.2.0/23", "fe80::/120"]);
    expect(() => b["net.cidr_merge"](["2601:600::1"])).toThrow("IPv6 invalid: needs prefix length");
  });
  it("cidr_expand and contains_matches", () => {
    expect(b["net.cidr_expand"]("192.168.1.1/30")).toEqual(["192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"]);
    expect(b["net.cidr_contains_matches"](["1.1.2.0/24", "1.1.1.0/24"], ["1.1.1.1", "1.1.2.1"])).toEqual([[0, 1], [1, 0]]);
    expect(b["net.cidr_contains_matches"]({ k1: "1.1.1.1/24", k2: ["1.1.1.2/24", 1] }, "1.1.1.128")).toEqual([["k1", "1.1.1.128"], ["k2", "1.1.1.128"]]);
  });
});

describe("glob", () => {
  it("matches with delimiters as gobwas/glob does", () => {
    expect(b["glob.match"]("*.github.com", ["."], "api.github.com")).toBe(true);
    expect(b["glob.match"]("*.github.com", ["."], "api.cdn.github.com")).toBe(false);
    expect(b["glob.match"]("api.**.com", ["."], "api.cdn.github.com")).toBe(true);
    expect(b["glob.match"]("*", [], "foo.bar")).toBe(false); // [] means the default "."
    expect(b["glob.match"]("*", null, "foo.bar")).toBe(true); // null means no delimiter
    expect(b["glob.match"]("{cat,bat,[fr]at}", [], "rat")).toBe(true);
    expect(b["glob.match"]("[!a-c]at", [], "bat")).toBe(false);
    expect(b["glob.match"]("?at", ["f"], "fat")).toBe(false);
    expect(b["glob.quote_meta"]("*.github.com")).toBe("\\*.github.com");
  });
});

describe("graph and walk", () => {
  it("reachable and reachable_paths follow OPA's algorithm", () => {
    expect(b["graph.reachable"]({ a: ["b"], b: ["c"], c: ["a"] }, ["a"])).toEqual(["a", "b", "c"]);
    expect(b["graph.reachable_paths"]({ a: ["b"], b: ["c"], c: ["a"] }, ["a"])).toEqual([["a", "b", "c"]]);
    expect(b["graph.reachable_paths"]({ a: ["b", "c"], b: ["c"], c: [] }, ["a"])).toEqual([["a", "b", "c"], ["a", "c"]]);
  });
  it("walk yields [path, value] pairs in pre-order", () => {
    expect(b.walk({ a: [1] })).toEqual([[[], { a: [1] }], [["a"], [1]], [["a", 0], 1]]);
  });
});

describe("encodings, digests, bits", () => {
  it("base64 family is strict like Go", () => {
    expect(b["base64.encode"]("hello")).toBe("aGVsbG8=");
    expect(b["base64.decode"]("aGVsbG8=")).toBe("hello");
    expect(b["base64.is_valid"]("aGVsbG8")).toBe(false);
    expect(b["base64url.encode"]("??>")).toBe("Pz8-");
    expect(b["base64url.encode"]("a")).toBe("YQ==");
    expect(b["base64url.encode_no_pad"]("a")).toBe("YQ");
    expect(b["base64url.decode"]("YQ")).toBe("a");
    expect(b["hex.decode"]("6869")).toBe("hi");
    expect(() => b["hex.decode"]("6")).toThrow();
  });
  it("urlquery", () => {
    expect(b["urlquery.encode"]("a b&c")).toBe("a+b%26c");
    expect(b["urlquery.encode_object"]({ b: ["1", "2"], a: "x y" })).toBe("a=x+y&b=1&b=2");
    expect(b["urlquery.decode_object"]("a=1&a=2&b=%20")).toEqual({ a: ["1", "2"], b: [" "] });
  });
  it("digests and hmac", () => {
    expect(b["crypto.md5"]("")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(b["crypto.hmac.sha256"]("hello", "key")).toBe("9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b");
    expect(b["crypto.hmac.equal"]("a", "a")).toBe(true);
  });
  it("bits", () => {
    expect(b["bits.and"](12, 10)).toBe(8);
    expect(b["bits.negate"](0)).toBe(-1);
    expect(b["bits.lsh"](1, 3)).toBe(8);
  });
});

describe("time", () => {
  const exact = (v: unknown) => BigInt(text(v) as string | number);
  it("parses Go layouts and named layouts, exactly", () => {
    expect(exact(b["time.parse_ns"]("2006-01-02T15:04:05Z07:00", "2017-06-02T19:00:00-07:00"))).toBe(1496455200000000000n);
    expect(exact(b["time.parse_ns"]("RFC822Z", "02 Jun 17 19:00 -0700"))).toBe(1496455200000000000n);
    expect(exact(b["time.parse_ns"]("01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700"))).toBe(1496455200000000000n);
    expect(exact(b["time.parse_rfc3339_ns"]("2262-04-11T23:47:16.854775807Z"))).toBe(2n ** 63n - 1n);
    expect(() => b["time.parse_rfc3339_ns"]("2262-04-11T23:47:16.854775808Z")).toThrow(/outside of valid range/);
  });
  it("date, clock, weekday in zones", () => {
    expect(b["time.date"]([1517814000e9, "America/Los_Angeles"])).toEqual([2018, 2, 4]);
    expect(b["time.clock"]([1517832000e9, "America/New_York"])).toEqual([7, 0, 0]);
    expect(b["time.weekday"](1517832000e9)).toBe("Monday");
  });
  it("durations, add_date, diff, format", () => {
    expect(exact(b["time.parse_duration_ns"]("1h2m3.5s"))).toBe(3723500000000n);
    expect(b["time.diff"](Date.UTC(2024, 1, 1) * 1e6, Date.UTC(2024, 2, 1) * 1e6)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(b["time.diff"](Date.UTC(2024, 1, 2) * 1e6, Date.UTC(2024, 2, 1) * 1e6)).toEqual([0, 0, 28, 0, 0, 0]);
    expect(exact(b["time.add_date"](Date.UTC(2020, 0, 31) * 1e6, 0, 1, 0))).toBe(BigInt(Date.UTC(2020, 2, 2)) * 1000000n);
    expect(b["time.format"]([1517832000e9, "America/New_York", "Mon Jan _2 15:04:05 MST 2006"])).toBe("Mon Feb  5 07:00:00 EST 2018");
  });
});

describe("misc", () => {
  it("semver", () => {
    expect(b["semver.compare"]("1.0.0-alpha", "1.0.0")).toBe(-1);
    expect(b["semver.compare"]("1.0.0-alpha.10", "1.0.0-alpha.2")).toBe(1);
    expect(() => b["semver.compare"]("1.0.0", "1")).toThrow('operand 2: string "1" is not a valid SemVer');
    expect(b["semver.is_valid"](1)).toBe(false);
  });
  it("uuid.parse reports version, variant and v1/v2 fields", () => {
    expect(b["uuid.parse"]("00000000-0000-4000-8000-000000000000")).toEqual({ variant: "RFC4122", version: 4 });
    const v2 = b["uuid.parse"]("000003e8-48b9-21ee-b200-325096b39f47");
    expect(v2).toMatchObject({ clocksequence: 12800, domain: "Person", id: 1000, macvariables: "local:unicast", nodeid: "32-50-96-b3-9f-47", version: 2 });
  });
  it("uuid.rfc4122 and rand.intn are stable within one evaluation", () => {
    expect(b["uuid.rfc4122"]("k")).toBe(b["uuid.rfc4122"]("k"));
    const r = b["rand.intn"]("k", 100);
    expect(r).toBe(b["rand.intn"]("k", 100));
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(100);
  });
  it("http.send has no network", () => {
    expect(hostBuiltins["http.send"]({ method: "get", url: "http://x" })).toBeUndefined();
  });
});
