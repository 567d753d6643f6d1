// Reads a JSON object document of any size. Up to `streamAbove` bytes it is parsed whole
// (precise error messages); above, it is streamed value by value, because a snapshot of a
// 300k-account estate (~750 MB) is longer than the longest string JavaScript can hold.
import { assertRegularFileIfPresent } from "./regular-file.ts";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { UserInputError } from "../errors.ts";
import { JsonDuplicateKeyError, JsonStreamError, streamJsonValues, type Frame, type ValueKind } from "./json-stream.ts";
import { duplicateKeyError, readJsonFile } from "./read-json.ts";
import { isGzipPath } from "./read-file-bytes.ts";
import { createGunzip } from "node:zlib";

export interface LargeJsonOptions {
  /** Files larger than this many bytes are streamed (default 256 MiB). */
  streamAbove?: number;
}

export async function readJsonDocument(path: string, displayName: string = path, options: LargeJsonOptions = {}): Promise<unknown> {
  assertRegularFileIfPresent(path, displayName);
  const { size } = await stat(path);
  // A gzipped document is streamed whatever its size: its size on disk says little.
  if (!isGzipPath(path) && size <= (options.streamAbove ?? 256 * 2 ** 20)) return readJsonFile(path, displayName);
  return streamJsonObject(path, displayName);
}

/**
 * Builds the root object from its members, arrays element by element. Only an object root can
 * be streamed this way; anything else is reported as not a JSON object.
 */
async function streamJsonObject(path: string, displayName: string): Promise<Record<string, unknown>> {
  const root: Record<string, unknown> = {};
  let rootIsObject = false;
  const isItem = (stack: readonly Frame[], kind: ValueKind): boolean => {
    if (stack.length === 0) {
      rootIsObject = kind === "object";
      return false;
    }
    if (stack.length === 1 && stack[0].kind === "object") {
      // Top-level arrays are filled element by element below; an empty one still exists.
      if (kind === "array") setOwn(root, stack[0].key ?? "", []);
      return kind !== "array";
    }
    return stack.length === 2 && stack[0].kind === "object" && stack[1].kind === "array";
  };
  try {
    const chunks = textChunks(path);
    for await (const found of streamJsonValues(chunks, isItem)) {
      const key = found.rootKey ?? "";
      if (found.depth === 1) setOwn(root, key, found.value);
      else (root[key] as unknown[]).push(found.value);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code.startsWith("Z_")) throw new UserInputError(`is not a readable gzip file (${(error as Error).message})`, { file: displayName });
    if (!(error instanceof JsonStreamError)) throw error;
    if (error instanceof JsonDuplicateKeyError) {
      const positions = new Map([
        [error.offset, await lineAndColumnInFile(path, error.offset)],
        [error.firstOffset, await lineAndColumnInFile(path, error.firstOffset)],
      ]);
      throw duplicateKeyError(error, displayName, (offset) => positions.get(offset)!);
    }
    const { line, column } = await lineAndColumnInFile(path, error.offset);
    throw new UserInputError(`malformed JSON: ${error.message}`, { file: displayName, line, column });
  }
  if (!rootIsObject) throw new UserInputError("is not a JSON object", { file: displayName });
  return root;
}

/** The file's text in chunks of about 1 MiB, gunzipped when it ends in `.gz`. */
function textChunks(path: string): AsyncIterable<string> {
  if (!isGzipPath(path)) return createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  gunzip.setEncoding("utf8");
  const file = createReadStream(path);
  // A read error (or a corrupt gzip header) ends the text stream with that error.
  file.on("error", (error) => gunzip.destroy(error));
  return file.pipe(gunzip) as AsyncIterable<string>;
}

/** Own property even for `__proto__`, as JSON.parse does: plain assignment would set the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** 1-based line and column of a character offset, counted by streaming the file again. */
async function lineAndColumnInFile(path: string, offset: number): Promise<{ line: number; column: number }> {
  let line = 1;
  let lineStart = 0;
  let seen = 0;
  for await (const chunk of textChunks(path)) {
    const end = Math.min(chunk.length, offset - seen);
    for (let i = chunk.indexOf("\n"); i !== -1 && i < end; i = chunk.indexOf("\n", i + 1)) {
      line++;
      lineStart = seen + i + 1;
    }
    seen += chunk.length;
    if (seen >= offset) break;
  }
  return { line, column: offset - lineStart + 1 };
}
