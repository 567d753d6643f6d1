// The file transport shared by the Entra and GitHub collectors: one export file per documented
// API call. Each read is recorded as a query (what call the file stands for, how many results),
// a missing file becomes a source error naming the call and what it leaves unknown, and a
// malformed file is a UserInputError with file:line:col.
import { access, stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { readJsonFile } from "../snapshot/read-json.ts";
import type { Query, SourceError } from "../snapshot/types.ts";
import type { CollectionProgress } from "./collector.ts";

export interface ExportFile {
  /** Path inside the export folder, e.g. `users.json` or `repos/api/deploy-keys.json`. */
  path: string;
  /** Collection step (a short name the source's errors and queries use). */
  step: string;
  /** The documented request the file holds the response of (see docs/exports.md). */
  call: string;
  /** Snapshot areas left unknown when the file is missing. */
  affects: string[];
}

export class ExportReader {
  readonly dir: string;
  readonly queries: Query[] = [];
  readonly errors: SourceError[] = [];
  readonly #progress: CollectionProgress;

  constructor(dir: string, progress: CollectionProgress) {
    this.dir = dir;
    this.#progress = progress;
  }

  /** True when the export folder exists; a missing folder makes the whole source an error. */
  async folderExists(): Promise<boolean> {
    try {
      return (await stat(this.dir)).isDirectory();
    } catch {
      return false;
    }
  }

  /**
   * Reads one export file and hands its body to `parse`, which returns the parsed value and how
   * many results and pages the body held (for the query record). Returns undefined, recording
   * the gap, when the file is missing.
   */
  async read<T>(file: ExportFile, parse: (body: unknown, displayName: string) => Parsed<T>): Promise<T | undefined> {
    const absolute = join(this.dir, file.path);
    const started = performance.now();
    this.#progress.step(file.step);
    let body: unknown;
    try {
      body = await readJsonFile(absolute, displayPath(absolute));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.#recordMissing(file);
      return undefined;
    }
    const parsed = parse(body, displayPath(absolute));
    this.#progress.tick(parsed.resultCount);
    this.queries.push({
      step: file.step,
      call: file.call,
      resultCount: parsed.resultCount,
      pages: parsed.pages,
      status: "ok",
      durationMs: Math.round(performance.now() - started),
    });
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
    try {
      await access(absolute);
    } catch {
      this.#recordMissing(file);
      return false;
    }
    const streamed = open(absolute, displayPath(absolute));
    let count = 0;
    for await (const item of streamed.items) {
      onItem(item);
      // Progress in batches: per-item updates would cost more than the items.
      if (++count % 1000 === 0) this.#progress.tick(1000);
    }
    this.#progress.tick(count % 1000);
    this.queries.push({ step: file.step, call: file.call, resultCount: count, pages: streamed.pages(), status: "ok", durationMs: Math.round(performance.now() - started) });
    return true;
  }

  #recordMissing(file: ExportFile): void {
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
}

export interface Parsed<T> {
  value: T;
  resultCount: number;
  pages: number;
}

/** Errors name files relative to the working directory when that is shorter, as users typed them. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
