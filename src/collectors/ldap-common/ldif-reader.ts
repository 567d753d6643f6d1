// Streaming LDIF reader (RFC 2849 content records, as `ldapsearch -LLL` writes them).
// Reads the file in chunks and yields one entry at a time, so memory stays bounded by the
// largest single entry, not the file (300k-account exports are hundreds of MB).
import { createReadStream } from "node:fs";
import { UserInputError } from "../../cli/errors.ts";
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
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// AD range retrieval (`member;range=0-1499`) is a transfer detail, not part of the name.
const RANGE_OPTION = /;range=\d+-(\d+|\*)$/;

/** One logical line: physical lines joined after unfolding, with the first line number. */
interface LogicalLine {
  text: string;
  line: number;
}

/**
 * Splits a byte stream into logical LDIF lines: CRLF or LF ends a line, a line starting with
 * one space continues the previous one. Yields `null` for a blank line (entry separator).
 * Throws when the stream ends without a final newline: `ldapsearch` always ends its output
 * with one, so a missing newline means the export was cut off.
 */
async function* logicalLines(chunks: AsyncIterable<Buffer | string>, file: string, stats: LdifReadStats): AsyncGenerator<LogicalLine | null> {
  let carry = "";
  let lineNo = 0;
  let pending: LogicalLine | null = null;
  const decoder = new TextDecoder("utf-8", { fatal: false });
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      let physical = text.slice(start, nl);
      start = nl + 1;
      lineNo++;
      if (physical.endsWith("\r")) physical = physical.slice(0, -1);
      if (physical.startsWith(" ")) {
        if (!pending) throw new UserInputError("continuation line (starts with a space) follows no line to continue", { file, line: lineNo });
        pending.text += physical.slice(1);
        continue;
      }
      if (pending) yield pending;
      if (physical === "") {
        pending = null;
        yield null;
      } else {
        pending = { text: physical, line: lineNo };
      }
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  stats.lines = lineNo;
  if (carry !== "") {
    const last = pending ?? { text: "", line: lineNo + 1 };
    const field = (carry.startsWith(" ") ? last.text : carry).split(":")[0];
    throw new UserInputError(
      "file ends in the middle of a line (no final newline): the export looks truncated; re-run the export",
      { file, line: lineNo + 1, field: field || undefined },
    );
  }
  if (pending) yield pending;
}

function decodeBase64(value: string, file: string, line: number, field: string): Buffer {
  const compact = value.replace(/\s+/g, "");
  if (!BASE64.test(compact)) throw new UserInputError("invalid base64 (unexpected character)", { file, line, field });
  if (compact.length % 4 !== 0) {
    throw new UserInputError("invalid base64 (length is not a multiple of 4, the value may be truncated)", { file, line, field });
  }
  return Buffer.from(compact, "base64");
}

/**
 * Reads LDIF from a stream of chunks. `file` is the name used in error messages.
 * `stats` (optional) is filled as reading proceeds.
 */
export async function* parseLdif(
  chunks: AsyncIterable<Buffer | string>,
  file: string,
  stats: LdifReadStats = { entries: 0, lines: 0, referrals: [] },
): AsyncGenerator<LdifEntry> {
  let current: LdifEntry | null = null;
  let sawVersion = false;
  let sawAnyRecord = false;

  for await (const logical of logicalLines(chunks, file, stats)) {
    if (logical === null) {
      if (current) {
        stats.entries++;
        yield current;
        current = null;
      }
      continue;
    }
    const { text, line } = logical;
    if (text.startsWith("#")) {
      const ref = /^#\s*(refldaps?:\/\/\S+)/.exec(text);
      if (ref) stats.referrals.push(ref[1]);
      continue;
    }
    const colon = text.indexOf(":");
    if (colon <= 0) {
      throw new UserInputError(`expected "attribute: value", got "${text.slice(0, 40)}"`, { file, line });
    }
    const rawName = text.slice(0, colon);
    if (!/^[A-Za-z0-9][A-Za-z0-9\-;=.]*$/.test(rawName)) {
      throw new UserInputError(`invalid attribute description "${rawName.slice(0, 40)}"`, { file, line });
    }
    const name = rawName.toLowerCase().replace(RANGE_OPTION, "");
    let value: Buffer;
    const marker = text[colon + 1];
    if (marker === ":") {
      value = decodeBase64(text.slice(colon + 2).trim(), file, line, rawName);
    } else if (marker === "<") {
      throw new UserInputError(
        "URL values (attr:< file://...) are not supported: export with values inline (ldapsearch without -t)",
        { file, line, field: rawName },
      );
    } else {
      value = Buffer.from(text.slice(colon + 1).replace(/^ +/, ""), "utf8");
    }

    if (!current) {
      if (name === "version" && !sawVersion && !sawAnyRecord) {
        sawVersion = true;
        continue;
      }
      if (name !== "dn") {
        throw new UserInputError(`"${rawName}" before any "dn:" line: every entry must start with dn`, { file, line, field: rawName });
      }
      sawAnyRecord = true;
      current = { dn: value.toString("utf8"), attributes: {}, line, positions: {} };
      continue;
    }
    if (name === "dn") {
      throw new UserInputError("second dn: in one entry; entries must be separated by a blank line", { file, line, field: "dn" });
    }
    if (name === "changetype") {
      const kind = value.toString("utf8").trim().toLowerCase();
      if (kind === "add") continue; // an add record carries the same attributes as a content record
      throw new UserInputError(`change records (changetype: ${kind}) are not an export; use ldapsearch output`, { file, line, field: rawName });
    }
    const list = current.attributes[name];
    if (list) list.push(value);
    else {
      current.attributes[name] = [value];
      current.positions[name] = { line, name: rawName.replace(RANGE_OPTION, "") };
    }
  }
  if (current) {
    stats.entries++;
    yield current;
  }
}

/** Reads an LDIF file as a stream. `displayName` names it in errors (defaults to the path). */
export function readLdifFile(path: string, displayName: string = path, stats?: LdifReadStats): AsyncGenerator<LdifEntry> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  return parseLdif(stream as AsyncIterable<Buffer>, displayName, stats);
}
