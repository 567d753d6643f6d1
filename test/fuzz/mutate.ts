// Shared generators for the fuzz suite: a valid input mutated by a few random edits (cut,
// insert structural characters, duplicate a slice), as careless hands and broken pipes do.
import fc from "fast-check";
import { UserInputError } from "../../src/errors.ts";

/** Runs per property; seeds are fixed so a failure reproduces. */
export const runs = 10_000;

const structural = [..."{}[]:,\"\\\n \t#-*&!|>'@=0123456789abcxyz\u0000\u00e9\ud83d\ude00", "true", "null", "__proto__", "constructor", "  ", "\r\n", "\uFEFF", "*a", "&a", "<<: *a"];

export interface Edit {
  at: number;
  remove: number;
  insert: string;
  kind: "edit" | "cut" | "dup";
}

export const edits = fc.array(
  fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 12 }),
    insert: fc.array(fc.constantFrom(...structural), { maxLength: 4 }).map((a) => a.join("")),
    kind: fc.constantFrom<Edit["kind"]>("edit", "edit", "edit", "cut", "dup"),
  }),
  { minLength: 1, maxLength: 4 },
);

export function mutate(base: string, list: readonly Edit[]): string {
  let text = base;
  for (const e of list) {
    const at = text.length === 0 ? 0 : e.at % (text.length + 1);
    if (e.kind === "cut") text = text.slice(0, at);
    else if (e.kind === "dup") text = text.slice(0, at) + text.slice(at, at + 40) + text.slice(at);
    else text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
  }
  return text;
}

/**
 * The contract every reader meets on bad input: it returns, or throws a UserInputError that
 * names the file (and, where `positioned`, a line). Anything else is a crash.
 */
export function expectInputErrorOrValue<T>(run: () => T, file: string, positioned = false): T | UserInputError {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof UserInputError)) throw new Error(`not an input error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
    if (error.file !== file) throw new Error(`input error without the file: ${error.format()}`, { cause: error });
    if (positioned && !located(error)) throw new Error(`input error without a position or field: ${error.format()}`, { cause: error });
    return error;
  }
}

/** A line, a field, or an error about the document as a whole (its top-level shape). */
function located(error: UserInputError): boolean {
  return error.line !== undefined || error.field !== undefined || /^(the body|page \d+|is (not|an empty))/.test(error.message);
}

export async function expectInputErrorOrValueAsync<T>(run: () => Promise<T>, file: string, positioned = false): Promise<T | UserInputError> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof UserInputError)) throw new Error(`not an input error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
    if (error.file !== file) throw new Error(`input error without the file: ${error.format()}`, { cause: error });
    if (positioned && !located(error)) throw new Error(`input error without a position or field: ${error.format()}`, { cause: error });
    return error;
  }
}
