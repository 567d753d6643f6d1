// Writes a collection the way an API pages it: a JSON array of page bodies, each page as the
// API returns it. Streams page by page so large exports never sit in memory as one string.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

export async function writePages<T>(
  path: string,
  items: Iterable<T>,
  pageSize: number,
  page: (values: T[], index: number, isLast: boolean) => unknown,
): Promise<void> {
  const stream = createWriteStream(path, { encoding: "utf8" });
  const write = async (text: string) => {
    if (!stream.write(text)) await once(stream, "drain");
  };
  await write("[\n");
  let buffer: T[] = [];
  let index = 0;
  let pending: T[] | null = null;
  const flush = async (values: T[], isLast: boolean) => {
    await write((index > 0 ? ",\n" : "") + JSON.stringify(page(values, index, isLast), null, 1));
    index++;
  };
  for (const item of items) {
    buffer.push(item);
    if (buffer.length === pageSize) {
      if (pending) await flush(pending, false);
      pending = buffer;
      buffer = [];
    }
  }
  if (pending && buffer.length === 0) await flush(pending, true);
  else {
    if (pending) await flush(pending, false);
    await flush(buffer, true);
  }
  await write("\n]\n");
  stream.end();
  await once(stream, "finish");
}

export async function writeJson(path: string, body: unknown): Promise<void> {
  const stream = createWriteStream(path, { encoding: "utf8" });
  stream.write(JSON.stringify(body, null, 2) + "\n");
  stream.end();
  await once(stream, "finish");
}
