// Host builtins over formats and protocols, checked against published vectors: RFC 7515 (JWS),
// OPA's documentation examples, the AWS SigV4 behaviour OPA documents, GraphQL ASTs in OPA's shape.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hostBuiltinImplementations as b, hostBuiltins } from "../../../src/policy/wasm/host-builtins/index.ts";

describe("io.jwt", () => {
  // RFC 7515 appendix A.1: HMAC SHA-256 over a header and payload with CRLFs in them.
  const rfcKey = '{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}';
  const rfcToken =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  it("encode_sign_raw reproduces RFC 7515 A.1", () => {
    const header = '{"typ":"JWT",\r\n "alg":"HS256"}';
    const payload = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}';
    expect(b["io.jwt.encode_sign_raw"](header, payload, rfcKey)).toBe(rfcToken);
    expect(() => b["io.jwt.encode_sign_raw"](header, "e", rfcKey)).toThrow(/payload/);
  });

  it("decode and verify_hs256", () => {
    const [header, payload, sig] = b["io.jwt.decode"](rfcToken);
    expect(header).toEqual({ typ: "JWT", alg: "HS256" });
    expect(payload).toMatchObject({ iss: "joe", exp: 1300819380 });
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    const token = b["io.jwt.encode_sign"]({ alg: "HS256" }, { sub: "x" }, { kty: "oct", k: Buffer.from("s3cret").toString("base64url") });
    expect(b["io.jwt.verify_hs256"](token, "s3cret")).toBe(true);
    expect(b["io.jwt.verify_hs256"](token, "wrong")).toBe(false);
    expect(b["io.jwt.verify_hs384"](token, "s3cret")).toBe(false);
  });

  it("encode_sign then decode_verify applies the claim constraints", () => {
    const key = { kty: "oct", k: Buffer.from("42").toString("base64url") };
    const token = b["io.jwt.encode_sign"]({ alg: "HS256", typ: "JWT" }, { iss: "xxx", exp: 2000, nbf: 1000 }, key);
    const at = (seconds: number) => ({ secret: "42", time: seconds * 1e9 });
    expect(b["io.jwt.decode_verify"](token, at(1500))).toEqual([true, { alg: "HS256", typ: "JWT" }, { iss: "xxx", exp: 2000, nbf: 1000 }]);
    expect(b["io.jwt.decode_verify"](token, at(2000))[0]).toBe(false); // exp is exclusive
    expect(b["io.jwt.decode_verify"](token, at(999))[0]).toBe(false);
    expect(b["io.jwt.decode_verify"](token, { ...at(1500), iss: "yyy" })[0]).toBe(false);
    expect(b["io.jwt.decode_verify"](token, { secret: "43", time: 1500e9 })[0]).toBe(false);
    expect(() => b["io.jwt.decode_verify"](token, { time: 1 })).toThrow(/cert or secret/);
  });

  it("signs and verifies RS256, PS256, ES256 and EdDSA with generated keys", () => {
    const cases = [
      ["RS256", generateKeyPairSync("rsa", { modulusLength: 2048 })],
      ["PS256", generateKeyPairSync("rsa", { modulusLength: 2048 })],
      ["ES256", generateKeyPairSync("ec", { namedCurve: "P-256" })],
      ["EdDSA", generateKeyPairSync("ed25519")],
    ] as const;
    for (const [alg, pair] of cases) {
      const jwk = pair.privateKey.export({ format: "jwk" });
      const token = b["io.jwt.encode_sign"]({ alg }, { sub: "x" }, jwk);
      const pem = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
      expect(b[`io.jwt.verify_${alg.toLowerCase()}`](token, pem)).toBe(true);
      const other = generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" }).toString();
      expect(b[`io.jwt.verify_${alg.toLowerCase()}`](token, other)).toBe(false);
    }
  });

  it("encode_sign(_raw) accept a JWK set and sign with its first key, as OPA does (a JWT library's tests sign with {keys: [k]})", () => {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = pair.privateKey.export({ format: "jwk" });
    const unused = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    const pem = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
    const token = b["io.jwt.encode_sign"]({ alg: "RS256" }, { sub: "x" }, { keys: [jwk, unused] });
    expect(b["io.jwt.verify_rs256"](token, pem)).toBe(true);
    const raw = b["io.jwt.encode_sign_raw"]('{"alg":"RS256"}', '{"sub":"x"}', JSON.stringify({ keys: [jwk] }));
    expect(b["io.jwt.verify_rs256"](raw, pem)).toBe(true);
    expect(() => b["io.jwt.encode_sign"]({ alg: "RS256" }, { sub: "x" }, { keys: ["k"] })).toThrow(/keys\[0\]/);
  });
});

describe("graphql", () => {
  it("parse_query returns OPA's (gqlparser-shaped) AST", () => {
    expect(b["graphql.parse_query"]("{hero {name}}")).toEqual({
      Operations: [{ Name: "", Operation: "query", SelectionSet: [{ Alias: "hero", Name: "hero", SelectionSet: [{ Alias: "name", Name: "name" }] }] }],
    });
    expect(() => b["graphql.parse_query"]("{")).toThrow(/Expected Name, found <EOF>/);
  });
  it("parse_schema and validation", () => {
    expect(b["graphql.parse_schema"]("union Hello = Wo | Rld")).toEqual({
      Definitions: [{ BuiltIn: false, Description: "", Kind: "UNION", Name: "Hello", Types: ["Wo", "Rld"] }],
    });
    const schema = "type Query { employee(id: String!): Employee } type Employee { id: String! salary: Int! }";
    expect(b["graphql.is_valid"]('{ employee(id: "1") { salary } }', schema)).toBe(true);
    expect(b["graphql.is_valid"]("{ employee { salary } }", schema)).toBe(false); // missing required argument
    expect(b["graphql.is_valid"]('{ employee(id: "1") { name } }', schema)).toBe(false);
    // AST objects are accepted in place of source text.
    const ast = b["graphql.parse_query"]('{ employee(id: "1") { salary } }');
    expect(b["graphql.is_valid"](ast, b["graphql.parse_schema"](schema))).toBe(true);
  });
});

describe("json", () => {
  it("remove and filter by paths (OPA docs)", () => {
    expect(b["json.remove"]({ a: { b: { c: 7, d: 8 } }, e: 9 }, ["a/b/c", "e"])).toEqual({ a: { b: { d: 8 } } });
    expect(b["json.filter"]({ a: { b: { c: 7, d: 8 } }, e: 9 }, ["a/b/c", ["e"]])).toEqual({ a: { b: { c: 7 } }, e: 9 });
    expect(b["json.remove"]({ a: [{ b: 7, c: 8 }, { d: 9 }] }, ["a/0/b", "a/1"])).toEqual({ a: [{ c: 8 }] });
    expect(() => b["json.remove"]("x", [])).toThrow("operand 1 must be object but got string");
  });
  it("patch follows RFC 6902", () => {
    expect(b["json.patch"]({ a: { foo: 1 } }, [{ op: "add", path: "/a/bar", value: 2 }])).toEqual({ a: { foo: 1, bar: 2 } });
    expect(b["json.patch"]({ a: [1, 2] }, [{ op: "add", path: "/a/-", value: 3 }, { op: "remove", path: "/a/0" }])).toEqual({ a: [2, 3] });
    expect(b["json.patch"]({ "a/b": 1 }, [{ op: "copy", from: "/a~1b", path: "/c" }])).toEqual({ "a/b": 1, c: 1 });
    expect(() => b["json.patch"]({ a: 1 }, [{ op: "test", path: "/a", value: 2 }])).toThrow(/test operation failed/);
    expect(hostBuiltins["json.patch"]([1, 2, 3], [{ op: "add", path: "1.2", value: "foo" }])).toBeUndefined();
  });
  it("marshal like Go (sorted keys, HTML-safe) and schema checks", () => {
    expect(b["json.marshal"]({ b: "<x>", a: [1, true, null] })).toBe('{"a":[1,true,null],"b":"\\u003cx\\u003e"}');
    expect(b["json.match_schema"]({ id: "foo" }, { properties: { id: { type: "integer" } }, required: ["id"] })).toEqual([
      false,
      [{ desc: "Invalid type. Expected: integer, given: string", error: "id: Invalid type. Expected: integer, given: string", field: "id", type: "invalid_type" }],
    ]);
    expect(b["json.verify_schema"]('{"type": "boolean"}')).toEqual([true, null]);
    expect(b["json.verify_schema"]({ type: "nope" })[0]).toBe(false);
  });
  it("errors use gojsonschema's wording and types, and (Root) for the document itself, as OPA reports them", () => {
    const errors = (doc: unknown, schema: unknown) => (b["json.match_schema"](doc, schema)[1] as Array<{ error: string; type: string }>).map((e) => [e.type, e.error]);
    expect(errors([], { type: "array", minItems: 1 })).toEqual([["array_min_items", "(Root): Array must have at least 1 items"]]);
    expect(errors(["a", "b", "a"], { type: "array", uniqueItems: true })).toEqual([["unique", "(Root): array items[0,2] must be unique"]]);
    expect(errors({ high: -1, name: "" }, { properties: { high: { minimum: 0 }, name: { minLength: 1 } } })).toEqual([
      ["number_gte", "high: Must be greater than or equal to 0"],
      ["string_gte", "name: String length must be greater than or equal to 1"],
    ]);
    expect(errors({ x: 1 }, { additionalProperties: false })).toEqual([["additional_property_not_allowed", "(Root): Additional property x is not allowed"]]);
    // A missing property is reported at the object that lacks it.
    expect(errors([{ a: 1 }], { items: { required: ["ref"] } })).toEqual([["required", "0: ref is required"]]);
    expect(errors({}, { required: ["ref"] })).toEqual([["required", "(Root): ref is required"]]);
  });
  it("schemas that declare draft-04 or 2020-12 are used, as OPA's gojsonschema uses them (a supply-chain policy library's rule-data checks)", () => {
    for (const meta of ["http://json-schema.org/draft-04/schema#", "https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema#"]) {
      const schema = { $schema: meta, type: "object", properties: { a: { type: "number" } } };
      expect(b["json.verify_schema"](schema)).toEqual([true, null]);
      expect(b["json.match_schema"]({ a: "x" }, schema)).toEqual([
        false,
        [{ desc: "Invalid type. Expected: number, given: string", error: "a: Invalid type. Expected: number, given: string", field: "a", type: "invalid_type" }],
      ]);
    }
  });
});

describe("regex", () => {
  it("Go semantics for replace, find and submatches", () => {
    expect(b["regex.replace"]("-wy-wxxy-", "w(x*)y", "0")).toBe("-0-0-");
    expect(b["regex.replace"]("foo", "(foo)", "$1$1")).toBe("foofoo");
    expect(b["regex.replace"]("ab", "(?P<x>a)", "${x}!")).toBe("a!b");
    expect(b["regex.find_n"]("a.", "paranormal", 2)).toEqual(["ar", "an"]);
    expect(b["regex.find_all_string_submatch_n"]("[^aouiye]([aouiye])([^aouiye])?", "somestri", -1)).toEqual([["som", "o", "m"], ["ri", "i", ""]]);
    expect(b["regex.find_n"]("a*", "baaab", -1)).toEqual(["", "aaa", ""]); // empty match after a match is skipped
    expect(b["regex.is_valid"]("++")).toBe(false);
    expect(b["regex.match"]("\\Afoo\\z", "foo\n")).toBe(false);
  });
  it("Go's Split, not JavaScript's", () => {
    expect(b["regex.split"]("a", "bab")).toEqual(["b", "b"]);
    expect(b["regex.split"]("x*", "abc")).toEqual(["a", "b", "c"]);
    expect(b["regex.split"](",", "")).toEqual([""]);
    expect(b["regex.split"]("(,)", "a,b")).toEqual(["a", "b"]); // JavaScript would put the group in between
  });
  // These patterns make a backtracking engine try 2^n ways to split the text: at these lengths
  // it would not finish in any test's lifetime; the RE2 engine reads each text once.
  it("pathological patterns and texts in time linear in the text", () => {
    const as = "a".repeat(20000);
    expect(b["regex.match"]("(?i)^(a+)+$", as + "b")).toBe(false);
    expect(b["regex.match"]("(?i)^(a+)+$", as)).toBe(true);
    expect(b["regex.find_n"]("(a|aa)+b", as, -1)).toEqual([]);
    expect(b["regex.replace"](as + "!", "(a*)*!", "x")).toBe("x");
    expect(b["regex.split"]("(a+)+b", as + "c")).toEqual([as + "c"]);
    expect(b["regex.find_all_string_submatch_n"]("(x+x+)+y", "x".repeat(20000), -1)).toEqual([]);
    expect(b["regex.template_match"]("{(a+)+}$", as + "b", "{", "}")).toBe(false);
    expect(b["glob.match"]("*?*?*?*?*?*?*?*?*?#", [], "x".repeat(20000))).toBe(false);
    expect(b["glob.match"]("**a**a**a**a**a**a**b", null, as)).toBe(false);
  });
  it("template_match and globs_match", () => {
    expect(b["regex.template_match"]("urn:foo:{.*}", "urn:foo:bar:baz", "{", "}")).toBe(true);
    expect(b["regex.template_match"]("urn:foo.bar.com:{.*}", "urn:foo.com:bar:baz", "{", "}")).toBe(false);
    expect(b["regex.globs_match"]("a.a.[0-9]+z", ".b.b2359825792*594823z")).toBe(true);
    expect(b["regex.globs_match"]("[a-z]*", "[0-9]*")).toBe(true); // both accept ""
    expect(b["regex.globs_match"]("[a-z]+", "[0-9]*")).toBe(false);
    expect(b["regex.globs_match"]("a.*", "ab+")).toBe(true);
    expect(() => b["regex.globs_match"]("pqrs]", "[a-b]+")).toThrow(/set-close/);
  });
});

describe("providers.aws.sign_req", () => {
  const config = { aws_access_key: "MYAWSACCESSKEYGOESHERE", aws_secret_access_key: "MYAWSSECRETACCESSKEYGOESHERE", aws_service: "s3", aws_region: "us-east-1" };
  it("signs a GET at a fixed time the way OPA does", () => {
    const signed = b["providers.aws.sign_req"]({ method: "get", url: "http://example.com" }, config, 1451311705000000000);
    expect(signed.headers).toEqual({
      Authorization:
        "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3",
      host: "example.com",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-amz-date": "20151228T140825Z",
    });
  });
  it("names missing parameters", () => {
    expect(() => b["providers.aws.sign_req"]({}, config, 0)).toThrow('missing required request parameters(s): {"method", "url"}');
    expect(() => b["providers.aws.sign_req"]({ method: "get", url: "http://x" }, {}, 0)).toThrow(/missing required AWS config/);
  });
});

describe("x509", () => {
  /** Runs `body` with openssl working in a fresh folder, removed afterwards. */
  const withOpenssl = (body: (openssl: (...args: string[]) => void, read: (file: string) => string) => void) => {
    const dir = mkdtempSync(path.join(tmpdir(), "x509-"));
    try {
      body(
        (...args) => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" }),
        (file) => readFileSync(path.join(dir, file), "utf8"),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("parses a self-made certificate chain and refuses a broken one", () => {
    withOpenssl((run, read) => {
      run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Test Root CA");
      run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=leaf.example", "-addext", "subjectAltName=DNS:leaf.example,URI:spiffe://example/leaf");
      run("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "30", "-copy_extensions", "copy");
      const ca = read("ca.pem");
      const leaf = read("leaf.pem");
      const [cert] = b["crypto.x509.parse_certificates"](leaf);
      expect(cert.Subject.CommonName).toBe("leaf.example");
      expect(cert.DNSNames).toEqual(["leaf.example"]);
      expect(cert.URIStrings).toEqual(["spiffe://example/leaf"]);
      expect(b["crypto.x509.parse_certificates"](Buffer.from(ca).toString("base64"))[0].Subject.CommonName).toBe("Test Root CA");
      const [valid, chain] = b["crypto.x509.parse_and_verify_certificates"](ca + leaf);
      expect(valid).toBe(true);
      expect(chain.map((c: any) => c.Subject.CommonName)).toEqual(["leaf.example", "Test Root CA"]);
      expect(b["crypto.x509.parse_and_verify_certificates"](leaf + leaf)[0]).toBe(false);
      expect(b["crypto.x509.parse_certificate_request"](read("leaf.csr")).Subject.CommonName).toBe("leaf.example");
      expect(b["crypto.x509.parse_keypair"](leaf, read("leaf.key")).Certificate).toHaveLength(1);
      expect(() => b["crypto.x509.parse_keypair"](leaf, read("ca.key"))).toThrow(/does not match/);
      expect(() => b["crypto.x509.parse_certificates"]("YmFkc3RyaW5n")).toThrow();
    });
  });

  it("reports a signing certificate's empty subject, extensions and key usages as Go's x509.Certificate does", () => {
    // Shaped like a Fulcio code-signing certificate: no subject, critical digitalSignature,
    // codeSigning plus an unknown extended usage, a raw Fulcio extension (OID ...57264.1.2 = "push").
    withOpenssl((run, read) => {
      run(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-out", "c.pem", "-days", "30", "-subj", "/",
        "-addext", "keyUsage=critical,digitalSignature",
        "-addext", "extendedKeyUsage=codeSigning,1.3.6.1.4.1.57264.99",
        "-addext", "1.3.6.1.4.1.57264.1.2=DER:70757368",
      );
      const [cert] = b["crypto.x509.parse_certificates"](read("c.pem"));
      expect(cert.Subject.CommonName).toBe("");
      expect(cert.KeyUsage).toBe(1); // x509.KeyUsageDigitalSignature
      expect(cert.ExtKeyUsage).toEqual([3]); // x509.ExtKeyUsageCodeSigning
      expect(cert.UnknownExtKeyUsage).toEqual([[1, 3, 6, 1, 4, 1, 57264, 99]]);
      expect(cert.Extensions).toContainEqual({ Id: [2, 5, 29, 15], Critical: true, Value: "AwIHgA==" });
      expect(cert.Extensions).toContainEqual({ Id: [1, 3, 6, 1, 4, 1, 57264, 1, 2], Critical: false, Value: Buffer.from("push").toString("base64") });
    });
  });
});
