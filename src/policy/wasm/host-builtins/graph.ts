// graph.reachable, graph.reachable_paths (after OPA's topdown/reachable.go) and walk.
// Graphs are objects from node to a set/array of neighbours; JSON keys are strings, so only
// string nodes can have edges.
import { BuiltinError, obj, typeOf } from "./builtin-error.ts";
import { canonicalKey } from "./rego-equal.ts";
import { toSet } from "./rego-order.ts";

function vertices(name: string, v: unknown, pos: number): unknown[] {
  if (!Array.isArray(v)) throw new BuiltinError(name, `operand ${pos} must be one of {array, set} but got ${typeOf(v)}`);
  return v;
}

function edgesOf(graph: Record<string, unknown>, node: unknown): unknown[] | undefined {
  if (typeof node !== "string" || !Object.hasOwn(graph, node)) return undefined;
  const e = graph[node];
  return Array.isArray(e) ? e : []; // OPA ignores edge values that are not collections
}

export function reachable(g: unknown, initial: unknown): unknown[] {
  const graph = obj("graph.reachable", g, 1);
  const queue = [...vertices("graph.reachable", initial, 2)];
  const reached = new Map<string, unknown>();
  while (queue.length > 0) {
    const node = queue.shift();
    const edges = edgesOf(graph, node);
    if (edges) {
      for (const n of edges) if (!reached.has(canonicalKey(n))) queue.push(n);
      reached.set(canonicalKey(node), node);
    }
  }
  return toSet(reached.values());
}

export function reachablePaths(g: unknown, initial: unknown): unknown[] {
  const graph = obj("graph.reachable_paths", g, 1);
  const paths: unknown[][] = [];
  const build = (root: unknown, path: unknown[], reached: Set<string>): void => {
    const edges = edgesOf(graph, root);
    if (!edges) {
      paths.push(path);
      return;
    }
    const next = [...path, root];
    if (edges.length === 0) {
      paths.push(next);
      return;
    }
    const seen = new Set(reached).add(canonicalKey(root));
    for (const n of edges) {
      if (seen.has(canonicalKey(n))) paths.push(next);
      else build(n, next, seen);
    }
  };
  for (const node of vertices("graph.reachable_paths", initial, 2)) {
    const edges = edgesOf(graph, node);
    if (!edges) continue;
    if (edges.length === 0) paths.push([node]);
    for (const n of edges) build(n, [node], new Set([canonicalKey(node)]));
  }
  return toSet(paths);
}

/** walk(x): every [path, value] pair, pre-order, as the planner scans it (object keys in order). */
export function walk(x: unknown): unknown[] {
  const out: unknown[] = [];
  const visit = (path: unknown[], v: unknown): void => {
    out.push([path, v]);
    if (Array.isArray(v)) v.forEach((item, i) => visit([...path, i], item));
    else if (v !== null && typeof v === "object") {
      for (const k of Object.keys(v).sort()) visit([...path, k], (v as Record<string, unknown>)[k]);
    }
  };
  visit([], x);
  return out;
}

export const graphBuiltins = {
  "graph.reachable": reachable,
  "graph.reachable_paths": reachablePaths,
  walk,
};
