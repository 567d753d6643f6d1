/**
 * Rego v1 abstract syntax tree.
 *
 * The shapes follow OPA's Go `ast` package (module.go, term.go, policy.go) so the
 * compile passes and the planner can be ported from OPA with few surprises:
 *
 * - A `Term` wraps a `Value` and carries a location; values are a discriminated
 *   union on `type` (the Go type names, lower-cased).
 * - An `Expr` holds one of: a single term (`terms: Term`), a call
 *   (`terms: Term[]`, first element is the operator as a ref term, e.g. `eq`,
 *   `assign`, `plus`, `internal.member_2`, or any user/builtin function ref),
 *   a `some` declaration, or an `every` expression. Infix operators are parsed
 *   into calls exactly as OPA does (`x = y` -> `eq(x, y)`, `x := y` -> `assign(x, y)`,
 *   `x in xs` -> `internal.member_2(x, xs)`, `a + b` -> `plus(a, b)` as a call term).
 * - A rule head has a `ref` (`p`, `a.b.c[x]`), optional `args` (functions),
 *   `key` (partial set element for `contains`, or the last ref operand for
 *   `p[k] := v`), `value`, and `assign` (true for `:=`).
 *
 * Numbers keep their source text so that big or precise numbers survive.
 * Every node has `location: {file, row, col}` (1-based, col counts UTF-16 units).
 */

export interface Location {
  file: string;
  row: number;
  col: number;
}

// ---------------------------------------------------------------- values

export interface NullValue {
  type: "null";
}
export interface BooleanValue {
  type: "boolean";
  value: boolean;
}
/** `value` is the number's source text (JSON number syntax), e.g. "1", "-2.5e3". */
export interface NumberValue {
  type: "number";
  value: string;
}
export interface StringValue {
  type: "string";
  value: string;
}
export interface VarValue {
  type: "var";
  value: string;
}
/**
 * `a.b[x]["c"]` -> [var a, string "b", var x, string "c"]. The head is usually a var
 * (`data`, `input`, a local), but may be a call or a composite (`f(x)[0]`, `[1,2][i]`).
 */
export interface RefValue {
  type: "ref";
  value: Term[];
}
export interface ArrayValue {
  type: "array";
  value: Term[];
}
export interface ObjectValue {
  type: "object";
  value: Array<[Term, Term]>;
}
export interface SetValue {
  type: "set";
  value: Term[];
}
export interface ArrayComprehension {
  type: "arraycomprehension";
  term: Term;
  body: Body;
}
export interface SetComprehension {
  type: "setcomprehension";
  term: Term;
  body: Body;
}
export interface ObjectComprehension {
  type: "objectcomprehension";
  key: Term;
  value: Term;
  body: Body;
}
/** A call used as a term, e.g. `count(x)` or `a + b` inside an expression. value[0] is the operator ref. */
export interface CallValue {
  type: "call";
  value: Term[];
}
/**
 * `$"total: {count(xs)}"`: literal parts are string terms, interpolated parts are
 * expressions (as in OPA's ast.TemplateString). `multiLine` is true for the raw form ($`...`).
 */
export interface TemplateStringValue {
  type: "templatestring";
  parts: Array<Term | Expr>;
  multiLine: boolean;
}

export type Scalar = NullValue | BooleanValue | NumberValue | StringValue;
export type Value =
  | Scalar
  | VarValue
  | RefValue
  | ArrayValue
  | ObjectValue
  | SetValue
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallValue
  | TemplateStringValue;

export interface Term<V extends Value = Value> {
  value: V;
  location: Location;
}

// ---------------------------------------------------------------- expressions

/** `with input.x as 1`: target is a ref term (input..., data..., or a function ref). */
export interface With {
  target: Term;
  value: Term;
  location: Location;
}

/**
 * `some x, y` -> symbols are var terms.
 * `some x in xs` -> one symbol: call term `internal.member_2(x, xs)`.
 * `some k, v in xs` -> one symbol: call term `internal.member_3(k, v, xs)`.
 */
export interface SomeDecl {
  type: "some";
  symbols: Term[];
  location: Location;
}

/** `every k, v in domain { body }` (key absent for `every v in domain`). */
export interface Every {
  type: "every";
  key?: Term;
  value: Term;
  domain: Term;
  body: Body;
  location: Location;
}

export interface Expr {
  /** Term (single-term expression), Term[] (call; [0] is the operator ref), SomeDecl or Every. */
  terms: Term | Term[] | SomeDecl | Every;
  negated: boolean;
  with: With[];
  /** Position in its body (0-based), as in OPA. */
  index: number;
  /** True when a compiler pass synthesised the expression. */
  generated?: boolean;
  location: Location;
}

export type Body = Expr[];

// ---------------------------------------------------------------- rules & modules

export interface Head {
  /** The plain name when the ref is a single var (`p`), the first var otherwise ("a" for `a.b.c`). */
  name: string;
  /** Full rule ref, e.g. [var a, string "b", var x] for `a.b[x] := y`. */
  ref: Term[];
  /** Function arguments; present (possibly empty) only for functions. */
  args?: Term[];
  /** Element term of a multi-value rule (`p contains x`), or the last ref operand of `p[k] := v`. */
  key?: Term;
  /** Value term; `true` (generated) when omitted on single-value rules. Absent for `contains`. */
  value?: Term;
  /** True for `:=`, false for `=` or implicit values. */
  assign: boolean;
  /** True for multi-value (partial set) rules: `p contains x`. */
  contains: boolean;
  location: Location;
}

export interface Rule {
  default: boolean;
  head: Head;
  /** Body; for rules without one (`p := 1`) OPA uses the body `true`, so do we. */
  body: Body;
  /** Next rule of an `else` chain; it shares the head ref and args of the first rule. */
  else?: Rule;
  annotations?: Annotations;
  location: Location;
}

export interface Package {
  /** [var data, string "a", string "b"] for `package a.b`. */
  path: Term[];
  /** The METADATA block (scope package or subpackages) written just above `package`. */
  annotations?: Annotations;
  location: Location;
}

export interface Import {
  /** Ref term: `data.x.y`, `input.z`, `future.keywords.in`, `rego.v1`. */
  path: Term;
  alias?: string;
  location: Location;
}

export type AnnotationScope = "rule" | "document" | "package" | "subpackages";

/** `# METADATA` YAML block; the well-known keys are typed, everything is also kept in `raw`. */
export interface Annotations {
  scope: AnnotationScope;
  title?: string;
  description?: string;
  entrypoint?: boolean;
  custom?: Record<string, unknown>;
  organizations?: string[];
  authors?: unknown[];
  relatedResources?: unknown[];
  schemas?: unknown[];
  raw: Record<string, unknown>;
  location: Location;
}

export interface Comment {
  text: string;
  location: Location;
}

export interface Module {
  package: Package;
  imports: Import[];
  rules: Rule[];
  /** All annotation blocks of the module (package, rule and document scoped). */
  annotations: Annotations[];
  comments: Comment[];
  location: Location;
}

// ---------------------------------------------------------------- helpers

export function isCallExpr(e: Expr): e is Expr & { terms: Term[] } {
  return Array.isArray(e.terms);
}
export function isTermExpr(e: Expr): e is Expr & { terms: Term } {
  // Every also has a `value` field; only Term lacks a `type` discriminator.
  return !Array.isArray(e.terms) && !("type" in e.terms);
}
export function isSomeExpr(e: Expr): e is Expr & { terms: SomeDecl } {
  return !Array.isArray(e.terms) && "type" in e.terms && e.terms.type === "some";
}
export function isEveryExpr(e: Expr): e is Expr & { terms: Every } {
  return !Array.isArray(e.terms) && "type" in e.terms && e.terms.type === "every";
}

/** Operator names of infix forms, as OPA names the builtins. */
export const INFIX_OPERATORS: Readonly<Record<string, string>> = {
  "=": "eq",
  ":=": "assign",
  "==": "equal",
  "!=": "neq",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
  "+": "plus",
  "-": "minus",
  "*": "mul",
  "/": "div",
  "%": "rem",
  "&": "and",
  "|": "or",
};
