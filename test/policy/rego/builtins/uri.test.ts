// uri.parse and uri.is_valid as OPA implements them (topdown/uri.go): Go's net/url.Parse, with
// scheme, hostname, port, path, raw_path, raw_query and fragment, each only when not empty;
// raw_path is always there with a path (the path as written when its escaping is not Go's
// default, else the decoded path). uri.is_valid is false for a non-string and for "".
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../../src/policy/bundle/eval-query.ts";
import { uriBuiltins } from "../../../../src/policy/wasm/host-builtins/uri.ts";

async function evaluate(call: string, u: unknown): Promise<unknown[]> {
  const source = `package t\n\np := ${call}(input.u)\n`;
  const rs = await evalQuery({ modules: [{ file: "t.rego", source }], query: "x := data.t.p", input: { u } });
  return rs.map((r) => r.bindings.x);
}

describe("uri.parse (through compiler, Wasm back end and SDK)", () => {
  it.each([
    [
      "every component; userinfo is not returned; path and fragment decoded",
      "https://alice:pw@Example.com:8443/a%2Fb/c?x=1&y=%20#frag%20x",
      { scheme: "https", hostname: "Example.com", port: "8443", path: "/a/b/c", raw_path: "/a%2Fb/c", raw_query: "x=1&y=%20", fragment: "frag x" },
    ],
    ["the scheme lower-cased, no path", "HTTP://h", { scheme: "http", hostname: "h" }],
    ["a path escaped the default way: raw_path is the decoded path", "http://h/a%20b", { scheme: "http", hostname: "h", path: "/a b", raw_path: "/a b" }],
    ["an IPv6 host", "http://[::1]:80/", { scheme: "http", hostname: "::1", port: "80", path: "/", raw_path: "/" }],
    ["an empty port", "http://h:/", { scheme: "http", hostname: "h", path: "/", raw_path: "/" }],
    ["an empty query and fragment are omitted", "http://h/p?#", { scheme: "http", hostname: "h", path: "/p", raw_path: "/p" }],
    ["an opaque reference has no path", "mailto:a@b?subject=x", { scheme: "mailto", raw_query: "subject=x" }],
    ["a relative reference", "../a/b?q", { path: "../a/b", raw_path: "../a/b", raw_query: "q" }],
    ["file with an empty host", "file:///etc/hosts", { scheme: "file", path: "/etc/hosts", raw_path: "/etc/hosts" }],
    ["a space in a path is accepted", "/a b", { path: "/a b", raw_path: "/a b" }],
    ["the empty string", "", {}],
  ])("%s", async (_what, u, want) => {
    expect(await evaluate("uri.parse", u)).toEqual([want]);
  });

  it.each([
    ["a colon in the first segment of a relative reference", "1a:b/c", 'parse "1a:b/c": first path segment in URL cannot contain colon'],
    ["a port that is not a number", "http://h:abc/", 'parse "http://h:abc/": invalid port ":abc" after host'],
    ["a bad escape", "http://h/%zz", 'parse "http://h/%zz": invalid URL escape "%zz"'],
    ["a control character", "http://h/\u0001", 'parse "http://h/\u0001": net/url: invalid control character in URL'],
    ["no scheme before the colon", ":x", 'parse ":x": missing protocol scheme'],
    ["a space in the host", "http://a b/", 'parse "http://a b/": invalid character " " in host name'],
  ])("an error: %s (no result in Wasm, OPA's message on the host)", async (_what, u, message) => {
    expect(await evaluate("uri.parse", u)).toEqual([]);
    expect(() => uriBuiltins["uri.parse"](u)).toThrow(`uri.parse: ${message}`);
  });
});

describe("uri.is_valid", () => {
  it.each([
    ["https://example.com/a?b#c", true],
    ["mailto:a@b", true],
    ["/relative/path", true],
    ["", false],
    ["http://h:abc/", false],
    ["1a:b", false],
    [42, false],
    [null, false],
  ])("%j: %s", async (u, want) => {
    expect(await evaluate("uri.is_valid", u)).toEqual([want]);
  });
});
