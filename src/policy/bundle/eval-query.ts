// `credgov policy eval`: compile Rego modules and one query through credgov's own compiler, run
// it on the Wasm back end with the given data and input, and return the result set as `opa eval`
// reports it: one entry per solution with the query's variable bindings and the value of the
// expression (for a query that is a single term such as `data.pkg.rule`; `true` otherwise).
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

export interface QueryResult {
  expressions: Array<{ value: unknown; text: string }>;
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

/** The variable that carries the value of a single-term query. */
const VALUE_VAR = "credgov_eval_value";

export async function evalQuery(request: EvalQueryRequest): Promise<QueryResult[]> {
  const parsed = parseQuery(request.query, "<query>");
  const single = parsed.body?.length === 1 && isTermExpr(parsed.body[0]) && !parsed.body[0].negated && parsed.body[0].with.length === 0;
  const compiled = compileRego({
    modules: request.modules,
    query: single ? `${VALUE_VAR} = (${request.query})` : request.query,
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
  for (const r of rs) {
    const bindings = { ...((r.result ?? r) as Bindings) };
    let value: unknown = true;
    if (single) {
      value = bindings[VALUE_VAR];
      delete bindings[VALUE_VAR];
      if (value === false) continue; // a false expression is undefined, as in OPA
    }
    out.push({ expressions: [{ value, text: request.query }], bindings });
  }
  return out;
}
