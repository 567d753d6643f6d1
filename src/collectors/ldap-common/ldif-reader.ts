// Streaming LDIF reader (RFC 2849 content records, as `ldapsearch -LLL` writes them).
// Reads the file in 1 MiB chunks and yields one entry at a time, so memory stays bounded by a
// chunk's worth of entries, not the file (300k-account exports are hundreds of MB).
import { createReadStream } from "node:fs";
import { isUtf8 } from "node:buffer";
import { firstInvalidByte, notUtf8Message, otherEncodingMark } from "../../io/utf8-check.ts";
import { utf16AsUtf8, utf16ByteOrder } from "../../io/utf16-transcode.ts";
import { rejoinFoldedSurrogates } from "./utf16-fold-rejoin.ts";
import { UserInputError } from "../../errors.ts";
import { rangesComplete, readAttributeDescription, type AttributeDescription, type ValueRange } from "./attribute-description.ts";
import type { LdapEntry } from "./entry.ts";

/** An entry read from LDIF, with the line its `dn:` stands on (for error messages). */
export interface LdifEntry extends LdapEntry {
  line: number;
  /** Lower-cased attribute -> line of its first value and its name as spelled in the file. */
  positions: Record<string, { line: number; name: string }>;
}

export interface LdifReadStats {
  entries: number;
  lines: number;
  /** `# refldap://...` / `# refldaps://...` continuation-reference comments seen. */
  referrals: string[];
  /** The `search:`/`result:` trailer plain `ldapsearch` (without -L) writes after a search (after
   *  every page of a paged one): the first that is not success, else the last. */
  result?: { code: number; text: string; line: number };
  /** The `# numEntries: N` comment ldapsearch without -LL ends with: how many entries it received.
   *  The first that disagrees with the entries since the previous one, else the last. */
  statedEntries?: { count: number; line: number; found: number };
  /** Whether `# numEntries` disagrees with the entries before it (the file was cut or joined). */
  statedMismatch?: boolean;
  /** Entries after the last `result:` line or `# numEntries` comment: no trailer vouches for them. */
  entriesAfterTrailer: number;
}

const EMPTY = Buffer.alloc(0);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const RANGE_OPTION = /;range=[^;]*/i;

function decodeBase64(value: string, file: string, line: number, field: string): Buffer {
  const compact = value.replace(/\s+/g, "");
  if (!BASE64.test(compact)) throw new UserInputError("invalid base64 (unexpected character)", { file, line, field });
  if (compact.length % 4 !== 0) {
    throw new UserInputError("invalid base64 (length is not a multiple of 4, the value may be truncated)", { file, line, field });
  }
  return Buffer.from(compact, "base64");
}

/**
 * The synchronous parsing core: fed the file's bytes chunk by chunk, it returns the entries each
 * chunk completes. Kept synchronous so the async reader pays one await per chunk, not per line.
 */
class LdifParser {
  private readonly file: string;
  private readonly stats: LdifReadStats;
  /** The bytes of a physical line the previous chunks ended inside. */
  private carry: Buffer[] = [];
  private lineNo = 0;
  /** The logical line being assembled: its physical lines' bytes, continuations without their space. */
  private pending: Buffer[] = [];
  private pendingLine = 0;
  private current: LdifEntry | null = null;
  /** Inside ldapsearch's `search: N` / `result: 0 Success` trailer record. */
  private inTrailer = false;
  /** Entries since the last `# numEntries` comment. */
  private entriesSinceCount = 0;
  /** The current entry's ranged attributes (AD range retrieval): name -> spelling and slices,
   *  each slice once under its `low-high` (a set, not a scan: an entry may hold thousands). */
  private ranges: Map<string, { spelled: string; slices: Map<string, ValueRange> }> | null = null;
  /** Raw attribute description -> what it names; exports repeat a few dozen names millions of times. */
  private readonly names = new Map<string, AttributeDescription>();

  constructor(file: string, stats: LdifReadStats) {
    this.file = file;
    this.stats = stats;
  }

  /** Fed the file's bytes chunk by chunk: splits physical lines and joins folded ones on bytes,
   *  so a fold that splits a UTF-8 character (ldifde and ldapsearch fold at a fixed byte column)
   *  joins it again before anything is decoded. */
  push(chunk: Buffer, out: LdifEntry[]): void {
    const nul = chunk.indexOf(0);
    if (nul >= 0) this.refuseNul(chunk, nul);
    let start = 0;
    if (this.carry.length > 0) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        // A line longer than a chunk (a large base64 value) is joined once, when it ends:
        // joining at every chunk would copy it again and again.
        this.carry.push(chunk);
        return;
      }
      this.carry.push(chunk.subarray(0, nl + 1));
      const line = Buffer.concat(this.carry);
      this.physical(line, 0, line.length - 1, out);
      this.carry = [];
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.physical(chunk, start, nl, out);
      start = nl + 1;
    }
    if (start < chunk.length) this.carry = [chunk.slice(start)];
  }

  /**
   * RFC 2849 writes a value holding a NUL byte in base64 (`attr:: ...`), where none can appear:
   * a NUL in the file is damage (UTF-16 without its byte-order mark is told at the start). Read
   * on, the value would hold it (a name changed silently).
   */
  private refuseNul(chunk: Buffer, nul: number): never {
    let line = this.lineNo + 1;
    for (let i = chunk.indexOf(10); i >= 0 && i < nul; i = chunk.indexOf(10, i + 1)) line++;
    const lineStart = chunk.lastIndexOf(10, nul) + 1;
    const head = lineStart === 0 && this.carry.length > 0 ? Buffer.concat([...this.carry, chunk.subarray(0, nul)]) : chunk.subarray(lineStart, nul);
    const colon = head.indexOf(58);
    const name = colon > 0 ? head.toString("latin1", 0, colon) : "";
    const field = /^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-=]+)*$/.test(name) ? name : undefined;
    throw new UserInputError("holds a NUL byte, which LDIF never writes outside base64 (a value holding one is written attr:: base64); the export is damaged", { file: this.file, line, field });
  }

  /** One physical line: bytes [start, nl) of `bytes`, `nl` being its newline. */
  private physical(bytes: Buffer, start: number, nl: number, out: LdifEntry[]): void {
    const end = nl > start && bytes[nl - 1] === 13 ? nl - 1 : nl;
    this.lineNo++;
    if (this.lineNo === 1 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3; // UTF-8 byte-order mark
    if (bytes[start] === 32) {
      if (this.pending.length === 0) {
        throw new UserInputError("continuation line (starts with a space) follows no line to continue", { file: this.file, line: this.lineNo });
      }
      this.pending.push(bytes.subarray(start + 1, end));
      return;
    }
    if (this.pending.length > 0) this.logical(this.joinPending(), this.pendingLine);
    if (end === start) {
      this.blank(out);
    } else {
      this.pending.push(bytes.subarray(start, end));
      this.pendingLine = this.lineNo;
    }
  }

  /** The logical line being assembled; refused at its physical line where it is not UTF-8. */
  private joinPending(): Buffer {
    const pieces = this.pending;
    const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    if (!isUtf8(bytes)) {
      const bad = firstInvalidByte(bytes);
      let at = bad;
      let line = this.pendingLine;
      for (const piece of pieces) {
        if (at < piece.length) break;
        at -= piece.length;
        line++;
      }
      throw new UserInputError(notUtf8Message(bytes[bad]!), { file: this.file, line });
    }
    this.pending = [];
    return bytes;
  }

  /** Ends the input. Throws when it stops mid-line: `ldapsearch` always ends its output with a
   *  newline, so a missing one means the export was cut off. */
  end(out: LdifEntry[]): void {
    this.stats.lines = this.lineNo;
    if (this.carry.length > 0) {
      const carried = Buffer.concat(this.carry);
      const cut = carried[0] === 32 ? (this.pending[0] ?? EMPTY) : carried;
      const colon = cut.indexOf(58);
      const field = cut.toString("latin1", 0, colon < 0 ? cut.length : colon);
      throw new UserInputError("file ends in the middle of a line (no final newline): the export looks truncated; re-run the export", {
        file: this.file,
        line: this.lineNo + 1,
        field: field || undefined,
      });
    }
    if (this.pending.length > 0) this.logical(this.joinPending(), this.pendingLine);
    this.blank(out);
  }

  private blank(out: LdifEntry[]): void {
    this.inTrailer = false;
    if (this.current) {
      if (this.ranges) this.checkRanges(this.current, this.ranges);
      this.stats.entries++;
      this.stats.entriesAfterTrailer++;
      this.entriesSinceCount++;
      out.push(this.current);
      this.current = null;
      this.ranges = null;
    }
  }

  /** Marks attributes whose range-retrieval slices do not add up to every value. */
  private checkRanges(entry: LdifEntry, ranges: Map<string, { spelled: string; slices: Map<string, ValueRange> }>): void {
    for (const { spelled, slices } of ranges.values()) {
      if (!rangesComplete([...slices.values()])) (entry.partialAttributes ??= []).push(spelled);
    }
  }

  private description(rawName: string, line: number): AttributeDescription {
    let description = this.names.get(rawName);
    if (description === undefined) {
      if (!/^[A-Za-z0-9][A-Za-z0-9\-;=.*]*$/.test(rawName)) {
        throw new UserInputError(`invalid attribute description "${rawName.slice(0, 40)}"`, { file: this.file, line });
      }
      description = readAttributeDescription(rawName);
      this.names.set(rawName, description);
    }
    return description;
  }

  /** One logical line's bytes (folds joined, checked to be UTF-8). */
  private logical(bytes: Buffer, line: number): void {
    const file = this.file;
    if (bytes[0] === 35 /* # */) {
      const text = bytes.toString("utf8");
      const ref = /^#\s*(refldaps?:\/\/\S+)/.exec(text);
      if (ref) this.stats.referrals.push(ref[1]);
      const stated = /^#\s*numEntries:\s*(\d+)\s*$/.exec(text);
      if (stated) this.countTrailer(Number(stated[1]), line);
      return;
    }
    const colon = bytes.indexOf(58 /* : */);
    // The line is not echoed: a mangled line may hold a secret value.
    if (colon <= 0) throw new UserInputError(`expected "attribute: value" (the line has ${colon < 0 ? "no colon" : "no attribute name"})`, { file, line });
    // Latin-1 keeps one character per byte; a name that is not ASCII fails the description check.
    const rawName = bytes.toString("latin1", 0, colon);
    const described = this.description(rawName, line);
    const name = described.name;
    let value: Buffer;
    const marker = bytes[colon + 1];
    if (marker === 58 /* : */) {
      value = decodeBase64(bytes.toString("latin1", colon + 2).trim(), file, line, rawName);
    } else if (marker === 60 /* < */) {
      throw new UserInputError("URL values (attr:< file://...) are not supported: export with values inline (ldapsearch without -t)", {
        file,
        line,
        field: rawName,
      });
    } else {
      let from = colon + 1;
      while (bytes[from] === 32) from++;
      // A copy: a view would keep the whole read chunk alive as long as the entry.
      value = Buffer.from(bytes.subarray(from));
    }

    const current = this.current;
    if (!current && name === "ref") {
      // Plain ldapsearch prints continuation references as `ref:` records.
      this.stats.referrals.push(value.toString("utf8"));
      this.inTrailer = true;
      return;
    }
    if (!current && (this.inTrailer || name === "search")) {
      // Plain ldapsearch output ends with `search: 2` and `result: 0 Success`; a non-zero result
      // (size limit, time limit, referral) means the export is incomplete.
      this.inTrailer = true;
      if (name === "result") {
        const m = /^(\d+)\s*(.*)$/.exec(value.toString("utf8").trim());
        const result = { code: m ? Number(m[1]) : -1, text: m ? m[2]! : value.toString("utf8"), line };
        // One failed page or search of several makes the file incomplete, whatever follows it.
        if (this.stats.result === undefined || this.stats.result.code === 0) this.stats.result = result;
        this.stats.entriesAfterTrailer = 0;
      }
      return;
    }
    if (!current) {
      if (name === "version") {
        // RFC 2849 puts it first; ldapsearch -L / -LL repeat it after every page of a paged search.
        const version = value.toString("utf8").trim();
        if (version !== "1") throw new UserInputError(`LDIF version ${version.slice(0, 20)} is not supported (only version: 1, RFC 2849)`, { file, line, field: rawName });
        return;
      }
      if (name !== "dn") throw new UserInputError(`"${rawName}" before any "dn:" line: every entry must start with dn`, { file, line, field: rawName });
      // A DN is UTF-8 text (RFC 4514); `dn::` base64 of another encoding would change it silently.
      if (!isUtf8(value)) throw new UserInputError("the DN is not UTF-8 text (base64 of another encoding, such as Latin-1?); export the directory's values unchanged", { file, line, field: rawName });
      // Attribute names come from the file: maps without a prototype, so `constructor` or
      // `__proto__` is an attribute like any other.
      this.current = { dn: value.toString("utf8"), attributes: Object.create(null) as LdapEntry["attributes"], line, positions: Object.create(null) as LdifEntry["positions"] };
      return;
    }
    if (name === "dn") throw new UserInputError("second dn: in one entry; entries must be separated by a blank line", { file, line, field: "dn" });
    if (name === "changetype") {
      const kind = value.toString("utf8").trim().toLowerCase();
      if (kind === "add") return; // an add record carries the same attributes as a content record
      throw new UserInputError(`change records (changetype: ${kind}) are not an export; use ldapsearch output`, { file, line, field: rawName });
    }
    if (described.range) {
      this.ranges ??= new Map();
      const ranged = this.ranges.get(name);
      // Every value line repeats its slice's name: each slice is kept once.
      const slice = `${described.range.low}-${described.range.high ?? "*"}`;
      if (ranged) ranged.slices.set(slice, described.range);
      else this.ranges.set(name, { spelled: rawName, slices: new Map([[slice, described.range]]) });
    }
    const list = current.attributes[name];
    if (list) list.push(value);
    else {
      current.attributes[name] = [value];
      current.positions[name] = { line, name: rawName.replace(RANGE_OPTION, "") };
    }
  }

  /** `# numEntries: N` counts the entries of the search it ends (since the previous one). */
  private countTrailer(count: number, line: number): void {
    const stats = this.stats;
    if (!stats.statedMismatch) {
      stats.statedEntries = { count, line, found: this.entriesSinceCount };
      if (count !== this.entriesSinceCount) stats.statedMismatch = true;
    }
    this.entriesSinceCount = 0;
    stats.entriesAfterTrailer = 0;
  }
}

/**
 * Reads LDIF from a stream of chunks. `file` is the name used in error messages.
 * `stats` (optional) is filled as reading proceeds.
 */
export async function* parseLdif(
  chunks: AsyncIterable<Buffer | string>,
  file: string,
  stats: LdifReadStats = { entries: 0, lines: 0, referrals: [], entriesAfterTrailer: 0 },
): AsyncGenerator<LdifEntry> {
  const parser = new LdifParser(file, stats);
  const ready: LdifEntry[] = [];
  for await (const chunk of utf8Chunks(chunks, file)) {
    parser.push(chunk, ready);
    // Hand out entries as soon as they are complete; the batch never exceeds one chunk's worth.
    for (const entry of ready) yield entry;
    ready.length = 0;
  }
  parser.end(ready);
  for (const entry of ready) yield entry;
}

/**
 * The file's bytes as UTF-8: as they are, or transcoded from UTF-16 when a byte-order mark says
 * so (`ldifde -u` writes UTF-16LE; a fold between the halves of a surrogate pair is moved after
 * the pair first). Other encodings are refused by the parser, line by line.
 */
async function* utf8Chunks(chunks: AsyncIterable<Buffer | string>, file: string): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  // Enough bytes to tell a byte-order mark (four for UTF-32's), however small the chunks.
  let first = Buffer.alloc(0);
  while (first.length < 4) {
    const next = await iterator.next();
    if (next.done) break;
    first = Buffer.concat([first, typeof next.value === "string" ? Buffer.from(next.value, "utf8") : next.value]);
  }
  if (first.length === 0) return;
  async function* all(): AsyncGenerator<Buffer> {
    yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield typeof next.value === "string" ? Buffer.from(next.value, "utf8") : next.value;
    }
  }
  const utf16 = utf16ByteOrder(first);
  if (utf16) {
    yield* utf16AsUtf8(rejoinFoldedSurrogates(all(), utf16), utf16, file);
    return;
  }
  const mark = otherEncodingMark(first);
  if (mark) throw new UserInputError(mark, { file, line: 1 });
  yield* all();
}

/** Reads an LDIF file as a stream. `displayName` names it in errors (defaults to the path). */
export function readLdifFile(path: string, displayName: string = path, stats?: LdifReadStats): AsyncGenerator<LdifEntry> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  return parseLdif(stream as AsyncIterable<Buffer>, displayName, stats);
}
