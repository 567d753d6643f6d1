// Builtins moved into the Wasm runtime: time.parse_rfc3339_ns, base64/base64url/hex and
// json.marshal/unmarshal. Called directly on the runtime module (which exports every function),
// so exact results (int64 nanoseconds) are read as JSON text without float64 rounding.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { nativeBuiltins } from "../../../src/policy/wasm/compile-plan.ts";
import { dumpJson, instantiate, parseJson } from "./wasm-api.ts";

const runtimeWasm = readFileSync(new URL("../../../src/policy/wasm/runtime/build/runtime.wasm", import.meta.url));

let inst: ReturnType<typeof instantiate>;
beforeEach(() => {
  inst = instantiate(new Uint8Array(runtimeWasm));
});

/** Calls the native builtin on JSON arguments; returns the result as JSON text, or undefined. */
function call(name: string, ...args: string[]): string | undefined {
  const fn = inst.exports[`opa_bi_${name}`];
  const addr = fn(...args.map((a) => parseJson(inst, a)));
  return addr === 0 ? undefined : dumpJson(inst, addr);
}
const q = (s: string) => JSON.stringify(s);
/** The error a strict-mode call aborts with. */
function strictError(name: string, ...args: string[]): string {
  inst.exports.rt_set_strict_builtin_errors(1);
  try {
    call(name, ...args);
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

describe("native builtin registration", () => {
  it("exposes the moved builtins as native", () => {
    for (const name of ["time.parse_rfc3339_ns", "base64.encode", "base64.decode", "base64.is_valid", "base64url.encode",
      "base64url.encode_no_pad", "base64url.decode", "hex.encode", "hex.decode", "json.marshal", "json.unmarshal"]) {
      expect(nativeBuiltins.has(name), name).toBe(true);
    }
  });
});

describe("time.parse_rfc3339_ns", () => {
  const ns = (s: string) => call("time.parse_rfc3339_ns", q(s));

  it("gives exact int64 nanoseconds, up to Go's time range limits", () => {
    expect(ns("1970-01-01T00:00:00Z")).toBe("0");
    expect(ns("2017-06-02T19:00:00-07:00")).toBe("1496455200000000000");
    expect(ns("2262-04-11T23:47:16.854775807Z")).toBe("9223372036854775807");
    expect(ns("1677-09-21T00:12:43.145224192Z")).toBe("-9223372036854775808");
    expect(ns("2262-04-11T23:47:16.854775808Z")).toBeUndefined();
    expect(ns("1677-09-21T00:12:43.145224191Z")).toBeUndefined();
    expect(ns("1969-12-31T23:59:59.999999999Z")).toBe("-1");
  });

  it("reads fractions of 1-9 digits (truncating more), ',' separators and offsets", () => {
    expect(ns("2021-03-04T05:06:07.5Z")).toBe("1614834367500000000");
    expect(ns("2021-03-04T05:06:07.123456789Z")).toBe("1614834367123456789");
    expect(ns("2021-03-04T05:06:07.1234567891Z")).toBe("1614834367123456789");
    expect(ns("2021-03-04T05:06:07,25Z")).toBe("1614834367250000000");
    expect(ns("2021-03-04T10:36:07+05:30")).toBe("1614834367000000000");
    expect(ns("2021-03-04T05:06:07-00:00")).toBe("1614834367000000000");
  });

  it("is undefined (strict: a builtin error) for text Go rejects", () => {
    for (const bad of ["", "2021-03-04", "2021-03-04T05:06:07", "2021-03-04 05:06:07Z", "2021-02-29T00:00:00Z",
      "2021-13-01T00:00:00Z", "2021-01-01T24:00:00Z", "2021-01-01T00:60:00Z", "2021-01-01T00:00:60Z", "2021-01-01T00:00:00z",
      "2021-01-01T00:00:00+0100", "2021-01-01T00:00:00Z ", "2021-01-01T00:00:00.Z", "21-01-01T00:00:00Z"]) {
      expect(ns(bad), bad).toBeUndefined();
    }
    expect(ns("2020-02-29T00:00:00Z")).toBe("1582934400000000000");
    expect(strictError("time.parse_rfc3339_ns", q("nope"))).toMatch(/^eval_builtin_error: time.parse_rfc3339_ns: /);
    expect(strictError("time.parse_rfc3339_ns", "1")).toMatch(/operand 1 must be string but got number/);
  });

  it("agrees with the JavaScript Date for whole-millisecond instants (property)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1700-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }), (d) => {
        const text = d.toISOString();
        expect(ns(text)).toBe((BigInt(d.getTime()) * 1000000n).toString());
      }),
    );
  });
});

describe("base64, base64url and hex", () => {
  const s = (name: string, arg: string) => {
    const out = call(name, q(arg));
    return out === undefined ? undefined : (JSON.parse(out) as unknown);
  };

  it("matches OPA's documented and conformance values", () => {
    expect(s("base64.encode", "hello")).toBe("aGVsbG8=");
    expect(s("base64.encode", "subjects?_d")).toBe("c3ViamVjdHM/X2Q=");
    expect(s("base64.decode", "c3ViamVjdHM/X2Q=")).toBe("subjects?_d");
    expect(s("base64.is_valid", "aGVsbG8=")).toBe(true);
    expect(s("base64.is_valid", "{'not':'base64'}")).toBe(false);
    expect(s("base64url.encode", "subjects?_d")).toBe("c3ViamVjdHM_X2Q=");
    expect(s("base64url.encode_no_pad", "hello")).toBe("aGVsbG8");
    expect(s("base64url.decode", "aGVsbG8")).toBe("hello");
    expect(s("base64url.decode", "c3ViamVjdHM_X2Q=")).toBe("subjects?_d");
    expect(s("hex.encode", "lorem ipsum")).toBe("6c6f72656d20697073756d");
    expect(s("hex.decode", "6C6f72656d20697073756d")).toBe("lorem ipsum");
  });

  it("follows Go's decoders on padding, newlines and bad input", () => {
    expect(s("base64.decode", "aGVs\r\nbG8=")).toBe("hello");
    expect(s("base64.decode", "")).toBe("");
    for (const bad of ["aGVsbG8", "aGVsbG8==", "aGV=bG8=", "a===", "c3ViamVjdHM_X2Q="]) {
      expect(s("base64.decode", bad), bad).toBeUndefined();
      expect(s("base64.is_valid", bad), bad).toBe(false);
    }
    // unpadded input is padded first (length 1 mod 4 cannot be); trailing bits are not checked
    expect(s("base64url.decode", "aGVsb")).toBeUndefined();
    expect(s("base64url.decode", "aGVsbG")).toBe("hell");
    expect(s("base64url.decode", "c3ViamVjdHM/X2Q=")).toBeUndefined();
    expect(s("hex.decode", "abc")).toBeUndefined();
    expect(strictError("hex.decode", q("fghijkl"))).toBe("eval_builtin_error: hex.decode: encoding/hex: invalid byte: U+0067 'g'");
    expect(strictError("hex.decode", q("abc"))).toBe("eval_builtin_error: hex.decode: encoding/hex: odd length hex string");
  });

  it("turns each byte that is not valid UTF-8 into U+FFFD, as Go's utf8 package reads it", () => {
    expect(s("base64.decode", "/w==")).toBe("\uFFFD");
    expect(s("base64.decode", "4oI=")).toBe("\uFFFD\uFFFD"); // truncated 3-byte sequence
    expect(s("hex.decode", "41c0af42")).toBe("A\uFFFD\uFFFDB"); // overlong '/'
    expect(s("hex.decode", "eda080")).toBe("\uFFFD\uFFFD\uFFFD"); // surrogate
    expect(s("hex.decode", "f09f9880")).toBe("\u{1F600}");
  });

  it("round-trips arbitrary text like Node's codecs (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (t) => {
        const bytes = Buffer.from(t, "utf8");
        expect(s("base64.encode", t)).toBe(bytes.toString("base64"));
        expect(s("base64url.encode_no_pad", t)).toBe(bytes.toString("base64url"));
        expect(s("hex.encode", t)).toBe(bytes.toString("hex"));
        expect(s("base64.decode", bytes.toString("base64"))).toBe(t);
        expect(s("base64url.decode", bytes.toString("base64url"))).toBe(t);
        expect(s("hex.decode", bytes.toString("hex"))).toBe(t);
      }),
    );
  });
});

describe("json.marshal and json.unmarshal", () => {
  it("marshals like Go's json.Marshal: sorted keys, exact numbers, HTML-safe escapes", () => {
    expect(JSON.parse(call("json.marshal", '{"b":[1,2.50],"a":{"y":null,"x":true}}')!)).toBe('{"a":{"x":true,"y":null},"b":[1,2.50]}');
    expect(JSON.parse(call("json.marshal", q("<a&b>\u2028\b\f\\u0008"))!)).toBe('"\\u003ca\\u0026b\\u003e\\u2028\\b\\f\\\\u0008"');
    expect(JSON.parse(call("json.marshal", "12345678901234567890123")!)).toBe("12345678901234567890123");
  });

  it("unmarshals to the same value and rejects invalid JSON", () => {
    expect(call("json.unmarshal", q('{"a": [1, "x\\n", 1e400], "b": {}}'))).toBe('{"a":[1,"x\\n",1e400],"b":{}}');
    const src = q('{"k":"v"}');
    const arg = parseJson(inst, src);
    const out = inst.exports["opa_bi_json.unmarshal"](arg);
    // the argument string is unchanged (the parser works on a copy)
    expect(dumpJson(inst, arg)).toBe(src);
    expect(dumpJson(inst, out)).toBe('{"k":"v"}');
    expect(call("json.unmarshal", q("{"))).toBeUndefined();
    expect(call("json.unmarshal", q("[1,]"))).toBeUndefined();
  });

  it("unmarshal(marshal(x)) == x (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
        const text = JSON.stringify(v);
        const marshalled = call("json.marshal", text)!;
        expect(JSON.parse(call("json.unmarshal", marshalled)!)).toEqual(JSON.parse(text));
      }),
    );
  });
});
