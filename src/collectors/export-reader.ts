// The file transport shared by the Entra and GitHub collectors: one export file per documented
// API call. Each read is recorded as a query (what call the file stands for, how many results),
// a missing file becomes a source error naming the call and what it leaves unknown, and a
// malformed file is a UserInputError with file:line:col.
import { assertRegularFileIfPresent } from "../io/regular-file.ts";
import { access, readFile, stat } from "node:fs/promises";
import { UserInputError } from "../errors.ts";
import { isAbsolute, join, relative } from "node:path";
import { pointerPosition } from "../io/json-pointer-position.ts";
import { readJsonFile } from "../io/read-json.ts";
import { exportFieldPointer } from "./export-field-pointer.ts";
import type { Query, SourceError } from "../snapshot/types.ts";
import type { CollectionProgress } from "./collector.ts";

export interface ExportFile {
  /** Path inside the export folder, e.g. `users.json` or `repos/api/deploy-keys.json`. */
  path: string;
  /** Collection step (a short name the source's errors and queries use). */
  step: string;
  /** The documented request the file holds the response of (see docs/exports.md). */
  call: string;
  /** Snapshot areas left unknown when the file is missing, in the vocabulary of src/snapshot/areas.ts. */
  affects: string[];
}

/**
 * Recognises an API error response saved into an export file (HTTP 403 body, GraphQL errors)
 * and returns what the API said; undefined for anything else.
 */
export type FailedCallRecognizer = (body: unknown) => string | undefined;

/** Streamed files larger than this are never re-read whole to look for an error response. */
const errorBodyLimit = 16 << 20;

export class ExportReader {
  readonly dir: string;
  readonly queries: Query[] = [];
  readonly errors: SourceError[] = [];
  readonly #progress: CollectionProgress;
  readonly #failedCall: FailedCallRecognizer;

  constructor(dir: string, progress: CollectionProgress, failedCall: FailedCallRecognizer = () => undefined) {
    this.dir = dir;
    this.#progress = progress;
    this.#failedCall = failedCall;
  }

  /** Whether the export folder exists; a missing folder (or a file there) makes the whole source an error. */
  async folderState(): Promise<"folder" | "missing" | "not-a-folder"> {
    try {
      return (await stat(this.dir)).isDirectory() ? "folder" : "not-a-folder";
    } catch {
      return "missing";
    }
  }

  /** The source error for a folder that is missing or is not a folder. */
  folderError(state: "missing" | "not-a-folder"): SourceError {
    const shown = displayPath(this.dir);
    return {
      step: "exports",
      message: state === "missing" ? `export folder ${shown} not found` : `${shown} is a file, not an export folder: dir: must name the folder holding the export files`,
      code: "export-missing",
      affects: ["*"],
    };
  }

  /**
   * Reads one export file and hands its body to `parse`, which returns the parsed value and how
   * many results and pages the body held (for the query record). Returns undefined, recording
   * the gap, when the file is missing (an `optional` file's absence is no gap and is not recorded).
   */
  async read<T>(file: ExportFile, parse: (body: unknown, displayName: string) => Parsed<T>, options: { optional?: boolean } = {}): Promise<T | undefined> {
    const absolute = join(this.dir, file.path);
    const started = performance.now();
    this.#progress.step(file.step);
    assertRegularFileIfPresent(absolute, displayPath(absolute));
    let body: unknown;
    try {
      body = await readJsonFile(absolute, displayPath(absolute));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      if (!options.optional) this.recordMissing(file);
      return undefined;
    }
    const failure = this.#failedCall(body);
    if (failure !== undefined) {
      this.#recordFailed(file, failure);
      return undefined;
    }
    let parsed: Parsed<T>;
    try {
      parsed = parse(body, displayPath(absolute));
    } catch (error) {
      throw error instanceof UserInputError ? await withPosition(error, absolute) : error;
    }
    this.#progress.tick(parsed.resultCount);
    this.queries.push({
      step: file.step,
      call: file.call,
      resultCount: parsed.resultCount,
      pages: parsed.pages,
      status: parsed.incomplete === undefined ? "ok" : "partial",
      durationMs: Math.round(performance.now() - started),
    });
    if (parsed.incomplete !== undefined) this.recordIncomplete(file, parsed.incomplete);
    return parsed.value;
  }

  /**
   * Streams the items of one large export file into `onItem` without holding the document.
   * Returns false (recording the gap) when the file is missing.
   */
  async stream<T>(file: ExportFile, open: (absolute: string, displayName: string) => StreamedItems<T>, onItem: (item: T) => void): Promise<boolean> {
    const absolute = join(this.dir, file.path);
    const started = performance.now();
    this.#progress.step(file.step);
    assertRegularFileIfPresent(absolute, displayPath(absolute));
    try {
      await access(absolute);
    } catch {
      this.recordMissing(file);
      return false;
    }
    const streamed = open(absolute, displayPath(absolute));
    let count = 0;
    try {
      for await (const item of streamed.items) {
        onItem(item);
        // Progress in batches: per-item updates would cost more than the items.
        if (++count % 1000 === 0) this.#progress.tick(1000);
      }
    } catch (error) {
      // Not a collection: it may be the API's error response, saved instead of the data.
      const failure = error instanceof UserInputError && count === 0 ? await this.#errorResponse(absolute) : undefined;
      if (failure === undefined) throw error;
      this.#recordFailed(file, failure);
      return false;
    }
    this.#progress.tick(count % 1000);
    const incomplete = streamed.incomplete?.();
    this.queries.push({ step: file.step, call: file.call, resultCount: count, pages: streamed.pages(), status: incomplete === undefined ? "ok" : "partial", durationMs: Math.round(performance.now() - started) });
    if (incomplete !== undefined) this.recordIncomplete(file, incomplete);
    return true;
  }

  async #errorResponse(absolute: string): Promise<string | undefined> {
    try {
      if ((await stat(absolute)).size > errorBodyLimit) return undefined;
      return this.#failedCall(await readJsonFile(absolute, displayPath(absolute)));
    } catch {
      return undefined;
    }
  }

  #recordFailed(file: ExportFile, apiMessage: string): void {
    this.queries.push({ step: file.step, call: file.call, resultCount: 0, status: "error" });
    this.errors.push({
      step: file.step,
      call: file.call,
      code: "api-error",
      message: `${file.path} holds the API's error response, not data: ${apiMessage}; ${file.affects.join(", ")} left unknown`,
      affects: file.affects,
    });
  }

  /** The file holds data, but says itself that more exists (a next-page link, a larger count). */
  recordIncomplete(file: ExportFile, why: string): void {
    this.errors.push({
      step: file.step,
      call: file.call,
      code: "export-incomplete",
      message: `${file.path} is incomplete: ${why}; ${file.affects.join(", ")} left partly unknown`,
      affects: file.affects,
    });
  }

  /** Records the file as missing: a gap in what it `affects` (read() does so unless the file is optional). */
  recordMissing(file: ExportFile): void {
    this.queries.push({ step: file.step, call: file.call, resultCount: 0, status: "missing" });
    this.errors.push({
      step: file.step,
      call: file.call,
      code: "export-missing",
      message: `export file ${file.path} not found in ${displayPath(this.dir)}; ${file.affects.join(", ")} left unknown`,
      affects: file.affects,
    });
  }
}

/** Items of a streamed export, and how many pages held them (known once items are consumed). */
export interface StreamedItems<T> {
  items: AsyncIterable<T>;
  pages(): number;
  /** Known once items are consumed: why the file holds only part of the collection, if it does. */
  incomplete?(): string | undefined;
}

export interface Parsed<T> {
  value: T;
  resultCount: number;
  pages: number;
  /** Why the body holds only part of the result (a next-page link left in it, a count it falls short of). */
  incomplete?: string;
}

/**
 * A shape error found after parsing names the field (`[0].id`); the line and column of that
 * value come from the file's bytes, read again on this error path only.
 */
async function withPosition(error: UserInputError, absolute: string): Promise<UserInputError> {
  if (error.line !== undefined || error.field === undefined) return error;
  const pointer = exportFieldPointer(error.field);
  if (pointer === undefined) return error;
  const at = pointerPosition(await readFile(absolute), pointer);
  if (at === undefined) return error;
  return new UserInputError(error.message, { file: error.file, line: at.line, column: at.column, field: error.field }, error.exitCode);
}

/** Errors name files relative to the working directory when that is shorter, as users typed them. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
