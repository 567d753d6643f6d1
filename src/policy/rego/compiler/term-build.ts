// Constructors for AST terms the compile passes synthesise (generated vars, refs, calls).
import type { Expr, Location, Term } from "../ast.ts";

export function varTerm(name: string, location: Location): Term {
  return { value: { type: "var", value: name }, location };
}

export function stringTerm(value: string, location: Location): Term {
  return { value: { type: "string", value }, location };
}

export function refTerm(terms: Term[], location: Location): Term {
  return { value: { type: "ref", value: terms }, location };
}

export function booleanTerm(value: boolean, location: Location): Term {
  return { value: { type: "boolean", value }, location };
}

/** `eq(a, b)` as an expression: the form unification takes after rewriting. */
export function eqExpr(a: Term, b: Term, location: Location, index = 0): Expr {
  return {
    terms: [refTerm([varTerm("eq", location)], location), a, b],
    negated: false,
    with: [],
    index,
    generated: true,
    location,
  };
}

/** The data path of a ref made only of `data` and string operands, else undefined. */
export function groundDataPath(term: Term): string[] | undefined {
  if (term.value.type !== "ref") return undefined;
  const [head, ...rest] = term.value.value;
  if (head.value.type !== "var" || head.value.value !== "data") return undefined;
  const path: string[] = [];
  for (const t of rest) {
    if (t.value.type !== "string") return undefined;
    path.push(t.value.value);
  }
  return path;
}

/** The dotted name of an operator ref (`count`, `time.now_ns`, `data.a.f`), if it is one. */
export function operatorName(op: Term): string | undefined {
  if (op.value.type === "var") return op.value.value;
  if (op.value.type !== "ref") return undefined;
  const parts: string[] = [];
  op.value.value.forEach((t, i) => {
    if (i === 0 && t.value.type === "var") parts.push(t.value.value);
    else if (i > 0 && t.value.type === "string") parts.push(t.value.value);
    else parts.push("\0");
  });
  return parts.includes("\0") ? undefined : parts.join(".");
}
