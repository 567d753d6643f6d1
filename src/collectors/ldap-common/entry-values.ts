// Typed reads of LdapEntry attribute values. Decoding failures raise AttributeValueError so a
// transport can turn them into a located error (file:line for LDIF, DN for a live search).
import { isUtf8 } from "node:buffer";
import type { LdapEntry } from "./entry.ts";

export class AttributeValueError extends Error {
  readonly attribute: string;
  constructor(attribute: string, message: string) {
    super(message);
    this.name = "AttributeValueError";
    this.attribute = attribute;
  }
}

/** A text attribute's value: LDAP strings are UTF-8, and one that is not (base64 of Latin-1 in an
 *  export) would otherwise be read with U+FFFD in place of its letters, a changed name or DN. */
function toText(bytes: Uint8Array, name: string): string {
  if (!isUtf8(bytes)) throw new AttributeValueError(name, "is not UTF-8 text (a base64 value of another encoding, such as Latin-1?); export the directory's values unchanged");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** Text of a value a decoder may read as bytes instead (binary attributes): never refused here. */
function lenientText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

export function bytesOf(entry: LdapEntry, name: string): Uint8Array | undefined {
  return entry.attributes[name]?.[0];
}

export function textOf(entry: LdapEntry, name: string): string | undefined {
  const bytes = entry.attributes[name]?.[0];
  return bytes === undefined ? undefined : toText(bytes, name);
}

export function textsOf(entry: LdapEntry, name: string): string[] {
  return (entry.attributes[name] ?? []).map((bytes) => toText(bytes, name));
}

/**
 * The value of a single-valued attribute (every attribute read as a number, a flag, a time or
 * an id is single-valued in the AD and ppolicy schemas). A second value comes from an edited or
 * joined export, and taking the first would be a guess.
 */
function singleValue(entry: LdapEntry, name: string): Uint8Array | undefined {
  const values = entry.attributes[name];
  if (values === undefined) return undefined;
  if (values.length > 1) throw new AttributeValueError(name, `holds ${values.length} values, but the directory keeps one (an edited or joined export?)`);
  return values[0];
}

export function intOf(entry: LdapEntry, name: string): number | undefined {
  const single = singleValue(entry, name);
  const text = single === undefined ? undefined : toText(single, name);
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new AttributeValueError(name, `expected an integer, got "${trimmed.slice(0, 30)}"`);
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) throw new AttributeValueError(name, `integer ${trimmed} is out of range`);
  return value;
}

/**
 * An integer that counts or measures something (a length, a history size, a failure threshold,
 * seconds): the directory refuses a negative one, so an export holding one was edited or broken.
 */
export function countOf(entry: LdapEntry, name: string): number | undefined {
  const value = intOf(entry, name);
  if (value !== undefined && value < 0) throw new AttributeValueError(name, `must be 0 or more, got ${value}`);
  return value;
}

/** LDAP Boolean syntax: TRUE / FALSE (case-insensitive for leniency with hand-written exports). */
export function boolOf(entry: LdapEntry, name: string): boolean | undefined {
  const single = singleValue(entry, name);
  const text = single === undefined ? undefined : toText(single, name);
  if (text === undefined) return undefined;
  const upper = text.trim().toUpperCase();
  if (upper === "TRUE") return true;
  if (upper === "FALSE") return false;
  throw new AttributeValueError(name, `expected TRUE or FALSE, got "${text.slice(0, 30)}"`);
}

/** Applies a decoder to the (single) value, turning its RangeError into an AttributeValueError. */
export function decodeOf<T>(entry: LdapEntry, name: string, decode: (value: Uint8Array, text: string) => T): T | undefined {
  const bytes = singleValue(entry, name);
  if (bytes === undefined) return undefined;
  try {
    return decode(bytes, lenientText(bytes));
  } catch (error) {
    if (error instanceof RangeError) throw new AttributeValueError(name, error.message);
    throw error;
  }
}

/** Lower-cased objectClass values. */
export function objectClassesOf(entry: LdapEntry): Set<string> {
  return new Set(textsOf(entry, "objectclass").map((c) => c.toLowerCase()));
}
