// The earlier snapshot of a scan-to-scan diff, held as the JSON text of each object keyed by
// id instead of as parsed objects: an unchanged object (nearly all of them) is recognised by
// equal text and never parsed, and a 100k-account estate costs its text, not 3-4x that in
// objects. A snapshot written by credgov (one array element per line) is indexed line by line
// without parsing the document; any other layout is parsed and validated first.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { isGzipPath } from "../io/read-file-bytes.ts";
import type { Snapshot } from "../snapshot/types.ts";
import { readSnapshot } from "../snapshot/store.ts";

export const indexedKinds = ["accounts", "credentials", "resetPaths", "passwordPolicies", "identities", "settings"] as const;
export type IndexedKind = (typeof indexedKinds)[number];

export interface SnapshotIndex {
  generatedAt: string;
  /** Per kind: object id (settings: source id) -> the object's JSON text. */
  objects: Record<IndexedKind, Map<string, string>>;
}

function emptyIndex(generatedAt: string): SnapshotIndex {
  return { generatedAt, objects: { accounts: new Map(), credentials: new Map(), resetPaths: new Map(), passwordPolicies: new Map(), identities: new Map(), settings: new Map() } };
}

export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  const index = emptyIndex(snapshot.generatedAt);
  for (const kind of indexedKinds) {
    if (kind === "settings") {
      for (const [source, value] of Object.entries(snapshot.settings)) index.objects.settings.set(source, JSON.stringify(value));
      continue;
    }
    const map = index.objects[kind];
    for (const object of snapshot[kind] as { id: string }[]) map.set(object.id, JSON.stringify(object));
  }
  return index;
}

/** Indexes snapshot text given as chunks; undefined when it is not in credgov's one-element-per-line layout. */
export async function indexSnapshotLines(chunks: AsyncIterable<string> | Iterable<string>): Promise<SnapshotIndex | undefined> {
  const index = emptyIndex("");
  // The array being read: an indexed kind's map, `skip` for other arrays (sources), or null.
  const skip = new Map<string, string>();
  let current: Map<string, string> | null = null;
  let rest = "";
  let lineNo = 0;
  let sawVersion = false;
  let ok = true;
  const onLine = (line: string): boolean => {
    lineNo++;
    if (lineNo === 1) return line === "{";
    if (current !== null) {
      if (line === "  ]" || line === "  ],") {
        current = null;
        return true;
      }
      if (!line.startsWith("    {")) return false;
      if (current === skip) return true;
      const text = line.endsWith(",") ? line.slice(4, -1) : line.slice(4);
      const id = idPattern.exec(text);
      if (!id) return false;
      current.set(id[1].includes("\\") ? (JSON.parse(`"${id[1]}"`) as string) : id[1], text);
      return true;
    }
    const top = topKeyPattern.exec(line);
    if (!top) return line === "}";
    const [, key, value] = top;
    const body = value.endsWith(",") ? value.slice(0, -1) : value;
    if (key === "schemaVersion") sawVersion = body === "1";
    else if (key === "generatedAt") index.generatedAt = JSON.parse(body) as string;
    else if (key === "settings") {
      for (const [source, settings] of Object.entries(JSON.parse(body) as Record<string, unknown>)) index.objects.settings.set(source, JSON.stringify(settings));
    } else if (body === "[") {
      current = (indexedKinds as readonly string[]).includes(key) ? index.objects[key as IndexedKind] : skip;
    } else if ((indexedKinds as readonly string[]).includes(key) && body !== "[]") {
      return false;
    }
    return true;
  };
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      if (!onLine(text.slice(start, end))) ok = false;
      start = end + 1;
      if (!ok) break;
    }
    if (!ok) return undefined;
    rest = text.slice(start);
  }
  if (rest !== "" && !onLine(rest)) return undefined;
  return sawVersion && index.generatedAt !== "" ? index : undefined;
}

// Collectors write `id` first; the layout check fails (and the document is parsed) otherwise.
const idPattern = /^\{"id":"((?:[^"\\]|\\.)*)"/;
const topKeyPattern = /^ {2}"([A-Za-z]+)": (.*)$/;

/** The earlier snapshot from a file: line by line when credgov wrote it, else parsed and validated. */
export async function indexSnapshotFile(path: string): Promise<SnapshotIndex> {
  const indexed = await indexSnapshotLines(snapshotText(path));
  return indexed ?? indexSnapshot(await readSnapshot(path));
}

/** The text of a snapshot file in chunks, gunzipped when it is a snapshot.json.gz. */
function snapshotText(path: string): AsyncIterable<string> {
  if (!isGzipPath(path)) return createReadStream(path, { encoding: "utf8", highWaterMark: 4 << 20 });
  const gunzip = createGunzip({ chunkSize: 4 << 20 });
  gunzip.setEncoding("utf8");
  const file = createReadStream(path);
  file.on("error", (error) => gunzip.destroy(error));
  return file.pipe(gunzip) as AsyncIterable<string>;
}

/** The earlier snapshot from bytes (as history keeps it). */
export async function indexSnapshotBytes(bytes: Uint8Array): Promise<SnapshotIndex> {
  const chunkSize = 4 << 20;
  const decoder = new TextDecoder();
  function* chunks() {
    for (let at = 0; at < bytes.length; at += chunkSize) yield decoder.decode(bytes.subarray(at, at + chunkSize), { stream: at + chunkSize < bytes.length });
  }
  const indexed = await indexSnapshotLines(chunks());
  return indexed ?? indexSnapshot(JSON.parse(decoder.decode(bytes)) as Snapshot);
}
