// Which IR locals a plan or function ever reads. A ScanStmt whose key local nobody reads
// need not materialise the key: for an array that is a number allocated per element
// (`some a in input.accounts` iterates 100k accounts, in every rule that does).
import { nestedBlocks, type Block, type Stmt } from "../rego/planner/ir.ts";

/** Fields that only write a local (or hold nested blocks, walked separately). */
const writeOnlyFields = new Set(["target", "result", "block", "blocks", "file", "row", "col"]);

/**
 * Every local read somewhere in blocks. Conservative: any number in a field that is not a
 * pure write counts (an int constant that happens to equal a local's id keeps that local),
 * so a local missing from the set is certainly never read.
 */
export function readLocals(blocks: Block[]): Set<number> {
  const read = new Set<number>();
  const collect = (v: unknown): void => {
    if (typeof v === "number") read.add(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(collect);
  };
  const visit = (s: Stmt): void => {
    for (const [field, v] of Object.entries(s.stmt)) {
      if (writeOnlyFields.has(field)) continue;
      if (s.type === "ScanStmt" && (field === "key" || field === "value")) continue;
      collect(v);
    }
    nestedBlocks(s).forEach((b) => b.stmts.forEach(visit));
  };
  blocks.forEach((b) => b.stmts.forEach(visit));
  return read;
}
