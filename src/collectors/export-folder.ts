// Writes an export folder the file transports read: one file per API call, each written under a
// temporary name and renamed when its call completed, so a folder never holds a truncated or
// partial response presented as complete (a failed call leaves its file absent, which the file
// transport reports as a gap).
import { mkdir, open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";

export class ExportFolder {
  readonly dir: string;
  readonly written: string[] = [];

  constructor(dir: string) {
    this.dir = dir;
  }

  async prepare(): Promise<void> {
    const existing = await stat(this.dir).catch(() => undefined);
    if (existing && !existing.isDirectory()) throw new Error(`${this.dir} is a file, not a folder`);
    await mkdir(this.dir, { recursive: true });
  }

  /** A whole body at once (an entity, or the pages of a small call). */
  async writeBody(path: string, body: unknown): Promise<void> {
    const file = await this.open(path);
    await file.append(JSON.stringify(body, null, 2));
    await file.commit();
  }

  /** A file written in parts: call `append` for each, then `commit` (or `discard`). */
  async open(path: string): Promise<ExportFileWriter> {
    const target = join(this.dir, path);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.partial`;
    const handle = await open(temporary, "w", 0o600);
    return new ExportFileWriter(handle, temporary, target, () => this.written.push(path));
  }
}

export class ExportFileWriter {
  readonly #handle: FileHandle;
  readonly #temporary: string;
  readonly #target: string;
  readonly #done: () => void;

  constructor(handle: FileHandle, temporary: string, target: string, done: () => void) {
    this.#handle = handle;
    this.#temporary = temporary;
    this.#target = target;
    this.#done = done;
  }

  async append(text: string): Promise<void> {
    await this.#handle.write(text);
  }

  async commit(): Promise<void> {
    await this.#handle.sync();
    await this.#handle.close();
    await rename(this.#temporary, this.#target);
    this.#done();
  }

  async discard(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
    await rm(this.#temporary, { force: true });
  }
}
