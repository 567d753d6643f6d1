// Malformed IR is reported with enough context to find the statement: the plan or
// function, the block path, the statement type and the policy location it came from.

export interface IrLocation {
  /** "plan eval" or "func g0.data.test.p" */
  scope: string;
  /** Block indexes from the scope's top level down to the statement, e.g. [1, 0]. */
  blockPath: number[];
  /** For each entry of blockPath, the statement that opened that block ("" at the top level), e.g. "statement 3 ScanStmt". */
  enclosing?: string[];
  /** Statement index inside the innermost block. */
  statementIndex?: number;
  statementType?: string;
  file?: string;
  row?: number;
  col?: number;
}

export class IrCompileError extends Error {
  readonly location: IrLocation | undefined;
  constructor(message: string, location?: IrLocation) {
    super(location ? `${describeLocation(location)}: ${message}` : message);
    this.name = "IrCompileError";
    this.location = location;
  }
}

function describeLocation(l: IrLocation): string {
  const parts = [l.scope];
  l.blockPath.forEach((b, i) => {
    const via = l.enclosing?.[i];
    if (via) parts.push(via);
    parts.push(`block ${b}`);
  });
  if (l.statementIndex !== undefined) parts.push(`statement ${l.statementIndex}`);
  if (l.statementType) parts.push(l.statementType);
  let out = parts.join(", ");
  if (l.file !== undefined) out += ` (${l.file}:${l.row ?? 0}:${l.col ?? 0})`;
  return out;
}
