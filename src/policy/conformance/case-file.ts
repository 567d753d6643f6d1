// The case-file format of OPA's conformance suite (JSON form: `{"cases": [...]}`).
// Only the fields the runner reads are typed; everything else passes through untouched.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { UserInputError } from "../../errors.ts";

export interface ConformanceCase {
  note: string;
  query?: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_result?: unknown[] | null;
  want_plan_result?: unknown[] | null;
  want_error?: string;
  want_error_code?: string;
  strict_error?: boolean;
  sort_bindings?: boolean;
  entrypoints?: string[];
  plan?: unknown;
}

/** Where a case lives: enough for a worker to re-read it without shipping the (large) plan. */
export interface CaseRef {
  file: string; // absolute path
  relativeFile: string; // relative to the suite root, for reports
  folder: string; // relative directory, the unit of the per-folder table
  index: number;
  note: string;
}

/** Every `*.json` file under `root`, depth first, in a stable (sorted) order. */
export async function listCaseFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith(".json")) out.push(full);
    }
  };
  await walk(root);
  return out;
}

/** Parse one case file; a malformed file is a user error naming the file (and line when JSON says so). */
export async function readCaseFile(file: string): Promise<ConformanceCase[]> {
  const text = await readFile(file, "utf8");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    let line: number | undefined;
    let column: number | undefined;
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      line = before.split("\n").length;
      column = before.length - before.lastIndexOf("\n");
    }
    throw new UserInputError(`not valid JSON (${message})`, { file, line, column });
  }
  if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { cases?: unknown }).cases)) {
    throw new UserInputError("expected an object with a \"cases\" array", { file, field: "cases" });
  }
  const cases = (doc as { cases: unknown[] }).cases;
  cases.forEach((c, i) => {
    if (typeof c !== "object" || c === null || typeof (c as { note?: unknown }).note !== "string") {
      throw new UserInputError("each case must be an object with a string \"note\"", { file, field: `cases[${i}].note` });
    }
  });
  return cases as ConformanceCase[];
}

/** Refs for every case under `root`, in file order. */
export async function collectCases(root: string, filter?: RegExp): Promise<CaseRef[]> {
  const refs: CaseRef[] = [];
  for (const file of await listCaseFiles(root)) {
    const relativeFile = path.relative(root, file);
    const folder = path.dirname(relativeFile) === "." ? "." : path.dirname(relativeFile);
    const cases = await readCaseFile(file);
    cases.forEach((c, index) => {
      if (filter && !filter.test(c.note) && !filter.test(relativeFile)) return;
      refs.push({ file, relativeFile, folder, index, note: c.note });
    });
  }
  return refs;
}
