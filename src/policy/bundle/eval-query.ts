// `credgov policy eval`: compile Rego modules and one query through credgov's own compiler, run
// it on the Wasm back end with the given data and input, and return the result set as `opa eval`
// reports it: one entry per solution with the query's variable bindings and the value of each
// of its expressions (a term such as `data.pkg.rule` has its value; any other expression `true`).
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { isTermExpr } from "../rego/ast.ts";
import { compileRego, type RegoSource, type RegoVersion } from "../rego/index.ts";
import { parseQuery } from "../rego/parser.ts";
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
  /** A plain term (`data.pkg.rule`, `input.x`): OPA reports its value, not true. */
  term: boolean;
}

/**
 * The query's expressions with their source text, as OPA reports each one: the text runs from
 * an expression's start to the next one's, without the separators between them.
 */
function queryExpressions(query: string): QueryExpression[] | undefined {
  const parsed = parseQuery(query, "<query>");
  if (!parsed.body) return undefined;
  const lineStarts = [0];
  for (let i = 0; i < query.length; i++) if (query[i] === "\n") lineStarts.push(i + 1);
  const offsets = parsed.body.map((e) => lineStarts[e.location.row - 1] + e.location.col - 1);
  return parsed.body.map((e, i) => ({
    text: query.slice(offsets[i], offsets[i + 1] ?? query.length).replace(/[\s;]+$/, ""),
    location: { row: e.location.row, col: e.location.col },
    term: isTermExpr(e) && !e.negated && e.with.length === 0,
  }));
}

export async function evalQuery(request: EvalQueryRequest): Promise<QueryResult[]> {
  const exprs = queryExpressions(request.query);
  // Each term expression is bound to a var of its own so that its value can be reported; a
  // query that does not parse goes to the compiler unchanged, which reports why.
  const query = exprs?.some((e) => e.term) ? exprs.map((e, i) => (e.term ? `${valueVar(i)} = (${e.text}\n)` : e.text)).join("\n") : request.query;
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
        if (value === false) continue solutions; // a false expression is undefined, as in OPA
      }
      expressions.push({ value, text: e.text, location: e.location });
    }
    out.push({ expressions, bindings });
  }
  return out;
}
