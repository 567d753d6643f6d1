// The one builtin table: every builtin function credgov's Rego compiler accepts, with its
// declaration (argument and result types, in the shape of OPA's capabilities.json, read from
// declarations.json) and how it runs. The front end's arity, unknown-function and type checks,
// the planner's builtin_funcs, the back end's dispatch and the README list all derive from it;
// test/policy/rego/builtins/table.test.ts checks it against OPA's capabilities.json, the
// runtime's exports and the host implementations.
import declarations from "./declarations.json" with { type: "json" };
import type { FunctionType } from "./types.ts";

/**
 * - planner: compiled away by the front end (`eq`, `assign`, `print`, `rego.metadata.*`, ...)
 * - native: a function of the C runtime (`opa_bi_<name>`) inside the module
 * - guard: the runtime answers the calls it can (`opa_guard_<name>`), the host the rest
 * - host: a TypeScript implementation handed to the SDK (src/policy/wasm/host-builtins)
 * - sdk: implemented by @open-policy-agent/opa-wasm itself
 */
export type Implementation = "planner" | "native" | "guard" | "host" | "sdk";

/** Builtins that reach outside the evaluation; off unless allowed by name. */
export const RESTRICTED_BUILTINS: Readonly<Record<string, string>> = {
  "http.send": "it reaches the network",
  "net.lookup_ip_addr": "it reaches the network (DNS)",
  "opa.runtime": "it exposes the runtime's configuration",
};

/** The flag every command that compiles Rego offers to allow a restricted builtin. */
export const ALLOW_BUILTIN_FLAG = "--allow-builtin";

export interface BuiltinEntry {
  name: string;
  decl: FunctionType;
  /** Number of arguments; -1 for variadic (`print`). */
  arity: number;
  implementation: Implementation;
  deprecated: boolean;
  nondeterministic: boolean;
  /** Why the builtin is off by default, when it is. */
  restricted?: string;
}

const IMPLEMENTATION: Readonly<Record<string, Implementation>> = {
  "abs": "native",
  "all": "native",
  "and": "native",
  "any": "native",
  "array.concat": "native",
  "array.flatten": "host",
  "array.reverse": "native",
  "array.slice": "native",
  "assign": "planner",
  "base64.decode": "native",
  "base64.encode": "native",
  "base64.is_valid": "native",
  "base64url.decode": "native",
  "base64url.encode": "native",
  "base64url.encode_no_pad": "native",
  "bits.and": "native",
  "bits.lsh": "native",
  "bits.negate": "native",
  "bits.or": "native",
  "bits.rsh": "native",
  "bits.xor": "native",
  "cast_array": "host",
  "cast_boolean": "host",
  "cast_null": "host",
  "cast_object": "host",
  "cast_set": "host",
  "cast_string": "host",
  "ceil": "native",
  "concat": "native",
  "contains": "native",
  "count": "native",
  "crypto.hmac.equal": "host",
  "crypto.hmac.md5": "host",
  "crypto.hmac.sha1": "host",
  "crypto.hmac.sha256": "host",
  "crypto.hmac.sha512": "host",
  "crypto.md5": "host",
  "crypto.parse_private_keys": "host",
  "crypto.sha1": "host",
  "crypto.sha256": "host",
  "crypto.x509.parse_and_verify_certificates": "host",
  "crypto.x509.parse_and_verify_certificates_with_options": "host",
  "crypto.x509.parse_certificate_request": "host",
  "crypto.x509.parse_certificates": "host",
  "crypto.x509.parse_keypair": "host",
  "crypto.x509.parse_rsa_private_key": "host",
  "div": "native",
  "endswith": "native",
  "eq": "planner",
  "equal": "native",
  "floor": "native",
  "format_int": "host",
  "glob.match": "host",
  "glob.quote_meta": "host",
  "graph.reachable": "host",
  "graph.reachable_paths": "host",
  "graphql.is_valid": "host",
  "graphql.parse": "host",
  "graphql.parse_and_verify": "host",
  "graphql.parse_query": "host",
  "graphql.parse_schema": "host",
  "graphql.schema_is_valid": "host",
  "gt": "native",
  "gte": "native",
  "hex.decode": "native",
  "hex.encode": "native",
  "http.send": "host",
  "indexof": "native",
  "indexof_n": "host",
  "internal.coverage": "host",
  "internal.member_2": "native",
  "internal.member_3": "native",
  "internal.print": "host",
  "internal.template_string": "native",
  "internal.test_case": "host",
  "intersection": "native",
  "io.jwt.decode": "host",
  "io.jwt.decode_verify": "host",
  "io.jwt.encode_sign": "host",
  "io.jwt.encode_sign_raw": "host",
  "io.jwt.verify_eddsa": "host",
  "io.jwt.verify_es256": "host",
  "io.jwt.verify_es384": "host",
  "io.jwt.verify_es512": "host",
  "io.jwt.verify_hs256": "host",
  "io.jwt.verify_hs384": "host",
  "io.jwt.verify_hs512": "host",
  "io.jwt.verify_ps256": "host",
  "io.jwt.verify_ps384": "host",
  "io.jwt.verify_ps512": "host",
  "io.jwt.verify_rs256": "host",
  "io.jwt.verify_rs384": "host",
  "io.jwt.verify_rs512": "host",
  "is_array": "native",
  "is_boolean": "native",
  "is_null": "native",
  "is_number": "native",
  "is_object": "native",
  "is_set": "native",
  "is_string": "native",
  "json.filter": "host",
  "json.is_valid": "native",
  "json.marshal": "native",
  "json.marshal_with_options": "host",
  "json.match_schema": "host",
  "json.patch": "host",
  "json.remove": "host",
  "json.unmarshal": "native",
  "json.verify_schema": "host",
  "lower": "native",
  "lt": "native",
  "lte": "native",
  "max": "native",
  "min": "native",
  "minus": "native",
  "mul": "native",
  "neq": "native",
  "net.cidr_contains": "host",
  "net.cidr_contains_matches": "host",
  "net.cidr_expand": "host",
  "net.cidr_intersects": "host",
  "net.cidr_is_valid": "host",
  "net.cidr_merge": "host",
  "net.cidr_overlap": "host",
  "net.lookup_ip_addr": "host",
  "numbers.range": "native",
  "numbers.range_step": "native",
  "object.filter": "native",
  "object.get": "native",
  "object.keys": "native",
  "object.remove": "native",
  "object.subset": "host",
  "object.union": "native",
  "object.union_n": "native",
  "opa.runtime": "host",
  "or": "native",
  "plus": "native",
  "print": "planner",
  "product": "native",
  "providers.aws.sign_req": "host",
  "rand.intn": "host",
  "re_match": "host",
  "regex.find_all_string_submatch_n": "host",
  "regex.find_n": "host",
  "regex.globs_match": "host",
  "regex.is_valid": "guard",
  "regex.match": "guard",
  "regex.replace": "host",
  "regex.split": "host",
  "regex.template_match": "host",
  "rego.metadata.chain": "planner",
  "rego.metadata.rule": "planner",
  "rego.parse_module": "host",
  "rem": "native",
  "replace": "native",
  "round": "native",
  "semver.compare": "host",
  "semver.is_valid": "host",
  "set_diff": "host",
  "sort": "native",
  "split": "native",
  "sprintf": "native",
  "startswith": "native",
  "strings.any_prefix_match": "native",
  "strings.any_suffix_match": "host",
  "strings.count": "host",
  "strings.render_template": "host",
  "strings.replace_n": "native",
  "strings.reverse": "native",
  "strings.split_n": "host",
  "substring": "native",
  "sum": "native",
  "test.sleep": "host",
  "time.add_date": "host",
  "time.clock": "host",
  "time.date": "host",
  "time.diff": "host",
  "time.format": "host",
  "time.now_ns": "host",
  "time.parse_duration_ns": "host",
  "time.parse_ns": "host",
  "time.parse_rfc3339_ns": "native",
  "time.weekday": "host",
  "to_number": "native",
  "trace": "host",
  "trim": "native",
  "trim_left": "native",
  "trim_prefix": "native",
  "trim_right": "native",
  "trim_space": "native",
  "trim_suffix": "native",
  "type_name": "native",
  "union": "native",
  "units.parse": "host",
  "units.parse_bytes": "host",
  "upper": "native",
  "uri.is_valid": "host",
  "uri.parse": "host",
  "urlquery.decode": "host",
  "urlquery.decode_object": "host",
  "urlquery.encode": "host",
  "urlquery.encode_object": "host",
  "uuid.parse": "host",
  "uuid.rfc4122": "host",
  "walk": "native",
  "yaml.is_valid": "guard",
  "yaml.marshal": "host",
  "yaml.unmarshal": "host",
};

interface Declared {
  name: string;
  decl: FunctionType;
  deprecated?: boolean;
  nondeterministic?: boolean;
}

function buildTable(): ReadonlyMap<string, BuiltinEntry> {
  const table = new Map<string, BuiltinEntry>();
  for (const d of (declarations as { builtins: Declared[] }).builtins) {
    const implementation = IMPLEMENTATION[d.name];
    if (implementation === undefined) throw new Error(`internal: builtin ${d.name} is declared but has no implementation entry`);
    table.set(d.name, {
      name: d.name,
      decl: d.decl,
      arity: d.decl.variadic ? -1 : (d.decl.args?.length ?? 0),
      implementation,
      deprecated: d.deprecated === true,
      nondeterministic: d.nondeterministic === true,
      restricted: RESTRICTED_BUILTINS[d.name],
    });
  }
  for (const name of Object.keys(IMPLEMENTATION)) {
    if (!table.has(name)) throw new Error(`internal: builtin ${name} has an implementation entry but no declaration`);
  }
  return table;
}

export const BUILTINS: ReadonlyMap<string, BuiltinEntry> = buildTable();

export function builtin(name: string): BuiltinEntry | undefined {
  return BUILTINS.get(name);
}

/** Number of arguments of a builtin (-1 = variadic), undefined when there is no such builtin. */
export function builtinArity(name: string): number | undefined {
  return BUILTINS.get(name)?.arity;
}
