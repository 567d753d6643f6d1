// `credgov policy eval`: compile Rego modules and one query through credgov's own compiler, run
// it on the Wasm back end with the given data and input, and return the query's result set
// (one object of bindings per solution), as `opa eval` reports it.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego, type RegoSource } from "../rego/index.ts";
import type { RegoVersion } from "../rego/parser.ts";
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

export async function evalQuery(request: EvalQueryRequest): Promise<Bindings[]> {
  const compiled = compileRego({
    modules: request.modules,
    query: request.query,
    regoVersion: request.regoVersion,
    enablePrint: true,
    allowBuiltins: request.allowBuiltins,
  });
  const backEnd = await loadBackEnd();
  const { wasm } = backEnd.compilePlan(compiled.plan);
  const policy = await loadPolicy(wasm, undefined, backEnd.hostBuiltins as never);
  policy.setData(request.data ?? {});
  const rs = withEvaluationHooks({ print: request.print }, () => policy.evaluate(request.input, compiled.entrypoints[0])) as Array<{ result?: Bindings }>;
  return rs.map((r) => (r.result ?? r) as Bindings);
}
