// The JavaScript value of a parsed YAML document, with alias expansion bounded: an alias bomb
// (aliases of aliases growing exponentially) or an alias to an anchor that does not exist is
// an input error naming the file and the line of the first alias, never an internal error.
import { visit, type Document, type LineCounter } from "yaml";
import { UserInputError } from "../errors.ts";

/** Alias nodes a document may expand (the yaml library's own guard, made explicit). */
const maxAliasCount = 100;

export function documentValue(doc: Document, lineCounter: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount });
  } catch (error) {
    if (!(error instanceof ReferenceError) && !(error instanceof TypeError)) throw error;
    let at: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        at = node.range?.[0];
        return visit.BREAK;
      },
    });
    const { line, col } = lineCounter.linePos(at ?? 0);
    const reason = /excessive alias count/i.test(error.message)
      ? `YAML aliases expand too far (more than ${maxAliasCount} alias uses, as in an alias bomb); write the values out instead`
      : `invalid YAML alias: ${error.message.split("\n")[0]}`;
    throw new UserInputError(reason, { file, line, column: col });
  }
}
