// `credgov policy eval`: compile Rego modules and one query through credgov's own compiler, run
// it on the Wasm back end with the given data and input, and return the result set as `opa eval`
// reports it: one entry per solution with the query's variable bindings and the value of each
// of its expressions (a term such as `data.pkg.rule` or a call such as `count(x)` has its value,
// under its `with` modifiers too; any other expression `true`).
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { builtin } from "../builtins/table.ts";
import { isSomeExpr, isTermExpr, type Expr, type Term } from "../rego/ast.ts";
import { compileRego, type RegoSource, type RegoVersion } from "../rego/index.ts";
import { lex } from "../rego/lexer.ts";
import { parseModule, parseQuery, refName } from "../rego/parser.ts";
import { withEvaluationHooks } from "../wasm/host-builtins/evaluation-hooks.ts";
import { loadBackEnd } from "./wasm-backend.ts";

export interface EvalQueryRequest {
  modules: RegoSource[];
  query: string;
  data?: Record<string, unknown>;
  input?: unknown;
  regoVersion?: RegoVersion;
  /** Builtins that reach the network or the running process, allowed by name. */
  allowBuiltins?: ReadonlySet<string>;
  /** Receives print() output, one line at a time. */
  print?: (line: string) => void;
}

export type Bindings = Record<string, unknown>;

/** One expression of the query as OPA's ExpressionValue reports it. */
export interface ExpressionValue {
  value: unknown;
  text: string;
  location: { row: number; col: number };
}

export interface QueryResult {
  expressions: ExpressionValue[];
  bindings: Bindings;
}

/**
 * The policy failed while it ran: OPA's runtime errors (eval_conflict_error with the rule's
 * file:row:col, a halting builtin error, ...), which the policy's author fixes.
 */
export class RegoEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegoEvaluationError";
  }
}

/** The variable that carries the value of the query's i-th expression when it is a term. */
const valueVar = (i: number): string => `credgov_eval_value${i}`;

interface QueryExpression {
  text: string;
  location: { row: number; col: number };
  /** OPA reports this expression's value, not true (see capturesValue). */
  term: boolean;
  /** The expression's text without its `with` modifiers, and those modifiers' text. */
  core: string;
  modifiers: string;
}

/** Arity of each function the modules define, by its full name (`data.lib.f` -> 1). */
type FunctionArities = () => Map<string, number>;

/**
 * OPA's rego.rewriteQueryToCaptureValue: a term (`data.pkg.rule`), or a call of a builtin or of
 * a function of the modules whose output is not given (`count(x)`, `x == 1`, `data.lib.f(1)`),
 * reports its value; `with` modifiers stay on the expression and apply to the value too.
 */
function capturesValue(e: Expr, functionArities: FunctionArities): boolean {
  if (e.negated) return false;
  if (isTermExpr(e)) return true;
  if (!Array.isArray(e.terms)) return false;
  const [op, ...args] = e.terms;
  const name = refName(op);
  if (name === "eq" || name === "assign") return false;
  const entry = builtin(name);
  if (entry !== undefined) return entry.decl.result !== undefined && entry.arity === args.length;
  return name.startsWith("data.") && functionArities().get(name) === args.length;
}

/**
 * Read only when the query calls something that is not a builtin: the modules are parsed here a
 * second time (the compiler parses them again), which a query of rules and builtins never pays.
 */
function moduleFunctionArities(modules: RegoSource[], regoVersion: RegoVersion | undefined): FunctionArities {
  let arities: Map<string, number> | undefined;
  return () => {
    if (arities) return arities;
    arities = new Map();
    for (const src of modules) {
      const module = parseModule(src.source, src.file, { regoVersion }).module;
      if (!module) continue; // the compiler reports why
      const pkg = refName({ value: { type: "ref", value: module.package.path }, location: module.package.location });
      for (const rule of module.rules) {
        const name = refName({ value: { type: "ref", value: rule.head.ref }, location: rule.head.location });
        if (rule.head.args && pkg !== "" && name !== "") arities.set(`${pkg}.${name}`, rule.head.args.length);
      }
    }
    return arities;
  };
}

/** OPA's rego.iteration: a ref with a var operand (`xs[_]`, `xs[i]`) or a relation such as walk, outside comprehensions. */
function iterates(terms: Term[]): boolean {
  return terms.some((t) => {
    const v = t.value;
    switch (v.type) {
      case "ref":
        return v.value.slice(1).some((p) => p.value.type === "var") || iterates(v.value);
      case "call":
        return refName(v.value[0]) === "walk" || iterates(v.value);
      case "array":
      case "set":
        return iterates(v.value);
      case "object":
        return iterates(v.value.flat());
      default:
        return false;
    }
  });
}

function exprTerms(e: Expr): Term[] {
  if (Array.isArray(e.terms)) return e.terms;
  if (isTermExpr(e)) return [e.terms];
  if (isSomeExpr(e)) return e.terms.symbols;
  return [];
}

/**
 * The query's expressions with their source text, as OPA reports each one: the text runs from
 * an expression's start to the next one's, without the separators between them.
 */
function queryExpressions(query: string, functionArities: FunctionArities): { exprs: QueryExpression[]; iteration: boolean } | undefined {
  const parsed = parseQuery(query, "<query>");
  if (!parsed.body) return undefined;
  const iteration = parsed.body.some((e) => iterates(exprTerms(e)));
  const lineStarts = [0];
  for (let i = 0; i < query.length; i++) if (query[i] === "\n") lineStarts.push(i + 1);
  const offset = (at: { row: number; col: number }): number => lineStarts[at.row - 1] + at.col - 1;
  const offsets = parsed.body.map((e) => offset(e.location));
  // An expression's text ends with its last token: the separators and comments after it are not part of it.
  const tokens = lex(query, "<query>").tokens.filter((t) => t.kind !== "eof" && !(t.kind === "punct" && t.text === ";"));
  const exprs = parsed.body.map((e, i) => {
    const next = offsets[i + 1] ?? query.length;
    const end = tokens.reduce((last, t) => (t.offset >= offsets[i] && t.offset < next ? Math.max(last, t.end) : last), offsets[i]);
    const text = query.slice(offsets[i], end);
    // The first `with` keyword ends the expression's own text; the modifiers follow it.
    const split = e.with.length > 0 ? offset(e.with[0].location) - offsets[i] : text.length;
    return {
      text,
      location: { row: e.location.row, col: e.location.col },
      term: capturesValue(e, functionArities),
      core: text.slice(0, split),
      modifiers: text.slice(split),
    };
  });
  return { exprs, iteration };
}

export async function evalQuery(request: EvalQueryRequest): Promise<QueryResult[]> {
  const parsed = queryExpressions(request.query, moduleFunctionArities(request.modules, request.regoVersion));
  const exprs = parsed?.exprs;
  // OPA checks a captured value only when the query iterates or has several expressions: a
  // single `data.pkg.allow` that is false is reported as false, not as undefined.
  const checkCapture = parsed === undefined || parsed.iteration || parsed.exprs.length > 1;
  // Each term expression is bound to a var of its own so that its value can be reported; a
  // query that does not parse goes to the compiler unchanged, which reports why.
  const query = exprs?.some((e) => e.term) ? exprs.map((e, i) => (e.term ? `${valueVar(i)} = (${e.core}\n) ${e.modifiers}` : e.text)).join("\n") : request.query;
  const compiled = compileRego({
    modules: request.modules,
    query,
    regoVersion: request.regoVersion,
    enablePrint: true,
    allowBuiltins: request.allowBuiltins,
  });
  const backEnd = await loadBackEnd({ optimizer: false });
  // Evaluated once: optimizing the module would cost more than it saves.
  const { wasm } = backEnd.compilePlan(compiled.plan, { optimize: false });
  const policy = await loadPolicy(wasm, undefined, backEnd.hostBuiltins as never);
  policy.setData(request.data ?? {});
  let rs: Array<{ result?: Bindings }>;
  try {
    rs = withEvaluationHooks({ print: request.print }, () => policy.evaluate(request.input, compiled.entrypoints[0])) as Array<{ result?: Bindings }>;
  } catch (e) {
    throw new RegoEvaluationError(e instanceof Error ? e.message : String(e));
  }
  const out: QueryResult[] = [];
  solutions: for (const r of rs) {
    const bindings = { ...((r.result ?? r) as Bindings) };
    const expressions: ExpressionValue[] = [];
    for (const [i, e] of (exprs ?? []).entries()) {
      let value: unknown = true;
      if (e.term) {
        value = bindings[valueVar(i)];
        delete bindings[valueVar(i)];
        if (value === false && checkCapture) continue solutions; // a false expression is undefined
      }
      expressions.push({ value, text: e.text, location: e.location });
    }
    out.push({ expressions, bindings });
  }
  return out;
}
