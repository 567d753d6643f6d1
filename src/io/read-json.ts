// Reads a JSON document (snapshot or export file); malformed JSON becomes a UserInputError
// naming file:line:col, never a stack trace, and never quoting the file's content.
import { readFile } from "node:fs/promises";
import { assertRegularFileIfPresent } from "./regular-file.ts";
import { UserInputError } from "../errors.ts";
import { findStructureProblem, type DuplicateKey } from "./json-duplicate-keys.ts";
import { findJsonSyntaxProblem, lineAndColumn } from "./json-syntax.ts";
import { decodeText } from "./decode-text.ts";

/**
 * Nesting deeper than any document credgov reads (snapshots, findings, Graph and GitHub bodies go
 * about ten levels deep) is refused: code that walks the value recursively would run out of stack.
 */
export const maxJsonDepth = 256;

/** Parses JSON text; malformed JSON, a key repeated in one object and nesting past maxJsonDepth are input errors with file:line:col. */
export function parseJsonText(text: string, displayName: string): unknown {
  // Exports saved by Windows PowerShell start with a byte-order mark; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const problem = findJsonSyntaxProblem(body) ?? { offset: 0, message: "not valid JSON" };
    const { line, column } = lineAndColumn(body, problem.offset);
    throw new UserInputError(`malformed JSON: ${problem.message}`, { file: displayName, line, column });
  }
  const problem = findStructureProblem(body, maxJsonDepth);
  if (problem && "key" in problem) throw duplicateKeyError(problem, displayName, (offset) => lineAndColumn(body, offset));
  if (problem) {
    const { line, column } = lineAndColumn(body, problem.offset);
    throw new UserInputError(`nested more than ${maxJsonDepth} levels deep (credgov's inputs nest about ten): not a file credgov or the API wrote`, { file: displayName, line, column });
  }
  return value;
}

/** JSON keeps only the last of two equal keys; credgov refuses the document instead of guessing. */
export function duplicateKeyError(duplicate: DuplicateKey, displayName: string, position: (offset: number) => { line: number; column: number }): UserInputError {
  const { line, column } = position(duplicate.offset);
  const first = position(duplicate.firstOffset);
  return new UserInputError(
    `duplicate key ${JSON.stringify(duplicate.key)} in one object (first at line ${first.line}, column ${first.column}): JSON would keep only the last value; remove or rename one`,
    { file: displayName, line, column },
  );
}

/** `displayName` is how errors name the file (relative to what the user configured). */
export async function readJsonFile(path: string, displayName: string = path): Promise<unknown> {
  assertRegularFileIfPresent(path, displayName);
  return parseJsonText(decodeText(await readFile(path), displayName), displayName);
}
