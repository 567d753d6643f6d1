// A subset of Go's text/template for strings.render_template: field paths (.a.b), variables
// ($x, $x.a), {{if}}/{{else}}/{{end}}, {{range [$i, $v :=] pipeline}}...{{else}}...{{end}},
// and {{- -}} whitespace trimming. Functions and pipelines with | are not supported.
import { BuiltinError } from "./builtin-error.ts";

type Node =
  | { kind: "text"; text: string }
  | { kind: "value"; expr: string }
  | { kind: "if"; expr: string; then: Node[]; else: Node[] }
  | { kind: "range"; expr: string; keyVar?: string; valueVar?: string; body: Node[]; else: Node[] };

const NAME = "strings.render_template";

function tokenize(t: string): ({ text: string } | { action: string })[] {
  const out: ({ text: string } | { action: string })[] = [];
  const re = /\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}/g;
  let last = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    let text = t.slice(last, m.index);
    if (m[1]) text = text.replace(/\s+$/, "");
    out.push({ text });
    out.push({ action: m[2] });
    last = re.lastIndex;
    if (m[3]) {
      const rest = /^\s*/.exec(t.slice(last))![0];
      last += rest.length;
    }
  }
  out.push({ text: t.slice(last) });
  return out;
}

function parse(tokens: ReturnType<typeof tokenize>): Node[] {
  let i = 0;
  const block = (stops: string[]): { nodes: Node[]; stop: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const tok = tokens[i++];
      if ("text" in tok) {
        if (tok.text) nodes.push({ kind: "text", text: tok.text });
        continue;
      }
      const a = tok.action;
      if (stops.includes(a)) return { nodes, stop: a };
      if (a.startsWith("/*")) continue;
      let m: RegExpExecArray | null;
      if ((m = /^if\s+(.+)$/.exec(a))) {
        const then = block(["else", "end"]);
        const other = then.stop === "else" ? block(["end"]).nodes : [];
        nodes.push({ kind: "if", expr: m[1], then: then.nodes, else: other });
      } else if ((m = /^range\s+(?:(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*)?(.+)$/.exec(a))) {
        const body = block(["else", "end"]);
        const other = body.stop === "else" ? block(["end"]).nodes : [];
        const [keyVar, valueVar] = m[2] ? [m[1], m[2]] : [undefined, m[1]];
        nodes.push({ kind: "range", expr: m[3], keyVar, valueVar, body: body.nodes, else: other });
      } else if (a === "else" || a === "end") throw new BuiltinError(NAME, `unexpected {{${a}}}`);
      else nodes.push({ kind: "value", expr: a });
    }
    if (stops.length) throw new BuiltinError(NAME, "unexpected EOF in template");
    return { nodes, stop: "" };
  };
  return block([]).nodes;
}

const MISSING = Symbol("missing");

function evaluate(expr: string, dot: unknown, vars: Map<string, unknown>): unknown {
  const m = /^(\$\w*|\.)?((?:\.[A-Za-z_]\w*)*)$/.exec(expr.trim());
  if (!m) throw new BuiltinError(NAME, `unsupported template expression ${JSON.stringify(expr)}`);
  let cur: unknown = m[1]?.startsWith("$") ? (vars.has(m[1]) ? vars.get(m[1]) : MISSING) : dot;
  for (const key of m[2].split(".").filter(Boolean)) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !Object.hasOwn(cur, key)) return MISSING;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const truthy = (v: unknown) =>
  v !== MISSING && v !== null && v !== false && v !== 0 && v !== "" && !(Array.isArray(v) && v.length === 0) && !(typeof v === "object" && v !== null && Object.keys(v).length === 0);

/** How Go's fmt prints a JSON-decoded value (%v); OPA shows missing keys as <undefined>. */
function print(v: unknown): string {
  if (v === MISSING) return "<undefined>";
  if (v === null) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(print).join(" ")}]`;
  return `map[${Object.keys(v as object).sort().map((k) => `${k}:${print((v as Record<string, unknown>)[k])}`).join(" ")}]`;
}

function render(nodes: Node[], dot: unknown, vars: Map<string, unknown>): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "text") out += n.text;
    else if (n.kind === "value") out += print(evaluate(n.expr, dot, vars));
    else if (n.kind === "if") out += render(truthy(evaluate(n.expr, dot, vars)) ? n.then : n.else, dot, vars);
    else {
      const coll = evaluate(n.expr, dot, vars);
      const entries: [unknown, unknown][] = Array.isArray(coll)
        ? coll.map((v, i) => [i, v])
        : coll !== null && typeof coll === "object"
          ? Object.keys(coll).sort().map((k) => [k, (coll as Record<string, unknown>)[k]])
          : [];
      if (entries.length === 0) out += render(n.else, dot, vars);
      for (const [k, v] of entries) {
        const scope = new Map(vars);
        if (n.keyVar) scope.set(n.keyVar, k);
        if (n.valueVar) scope.set(n.valueVar, v);
        out += render(n.body, v, scope);
      }
    }
  }
  return out;
}

export function renderGoTemplate(template: string, vars: Record<string, unknown>): string {
  return render(parse(tokenize(template)), vars, new Map([["$", vars]]));
}
