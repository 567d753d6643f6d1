// internal.print (what print() compiles to, one set per operand, empty when the operand is
// undefined), internal.test_case (parametrised tests report the case they entered) and
// internal.coverage (line probes of `policy test --coverage`), all answered through the
// evaluation's hooks. Like OPA, print() prints the cross product of its
// operands' values, strings as they are and other values as Rego terms.
import { currentHooks } from "./evaluation-hooks.ts";
import { regoText } from "./rego-text.ts";

function printLines(operands: unknown[], i: number, parts: string[], out: string[]): void {
  if (i === operands.length) {
    out.push(parts.join(" "));
    return;
  }
  const values = Array.isArray(operands[i]) ? (operands[i] as unknown[]) : [operands[i]];
  if (values.length === 0) {
    parts[i] = "<undefined>";
    printLines(operands, i + 1, parts, out);
    return;
  }
  for (const v of values) {
    parts[i] = typeof v === "string" ? v : regoText(v);
    printLines(operands, i + 1, parts, out);
  }
}

export const printBuiltins = {
  "internal.print": (operands: unknown): boolean => {
    const hooks = currentHooks();
    if (hooks.print && Array.isArray(operands)) {
      const lines: string[] = [];
      printLines(operands, 0, new Array<string>(operands.length), lines);
      for (const line of lines) hooks.print(line);
    }
    return true;
  },
  "internal.coverage": (file: unknown, row: unknown): boolean => {
    if (typeof file === "string" && typeof row === "number") currentHooks().cover?.(file, row);
    return true;
  },
  "internal.test_case": (key: unknown): boolean => {
    currentHooks().testCase?.(Array.isArray(key) ? key : [key]);
    return true;
  },
};
