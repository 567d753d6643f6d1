// Reads a JSON document (snapshot or export file); malformed JSON becomes a UserInputError
// naming file:line:col, never a stack trace, and never quoting the file's content.
import { readFile } from "node:fs/promises";
import { UserInputError } from "../errors.ts";
import { findJsonSyntaxProblem, lineAndColumn } from "./json-syntax.ts";

export function parseJsonText(text: string, displayName: string): unknown {
  // Exports saved by Windows PowerShell start with a byte-order mark; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    const problem = findJsonSyntaxProblem(body) ?? { offset: 0, message: "not valid JSON" };
    const { line, column } = lineAndColumn(body, problem.offset);
    throw new UserInputError(`malformed JSON: ${problem.message}`, { file: displayName, line, column });
  }
}

/** `displayName` is how errors name the file (relative to what the user configured). */
export async function readJsonFile(path: string, displayName: string = path): Promise<unknown> {
  return parseJsonText(await readFile(path, "utf8"), displayName);
}
