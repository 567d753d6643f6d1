// Typed reads of LdapEntry attribute values. Decoding failures raise AttributeValueError so a
// transport can turn them into a located error (file:line for LDIF, DN for a live search).
import type { LdapEntry } from "./entry.ts";

export class AttributeValueError extends Error {
  readonly attribute: string;
  constructor(attribute: string, message: string) {
    super(message);
    this.name = "AttributeValueError";
    this.attribute = attribute;
  }
}

function toText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

export function bytesOf(entry: LdapEntry, name: string): Uint8Array | undefined {
  return entry.attributes[name]?.[0];
}

export function textOf(entry: LdapEntry, name: string): string | undefined {
  const bytes = entry.attributes[name]?.[0];
  return bytes === undefined ? undefined : toText(bytes);
}

export function textsOf(entry: LdapEntry, name: string): string[] {
  return (entry.attributes[name] ?? []).map(toText);
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
  const text = single === undefined ? undefined : toText(single);
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new AttributeValueError(name, `expected an integer, got "${trimmed.slice(0, 30)}"`);
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) throw new AttributeValueError(name, `integer ${trimmed} is out of range`);
  return value;
}

/** LDAP Boolean syntax: TRUE / FALSE (case-insensitive for leniency with hand-written exports). */
export function boolOf(entry: LdapEntry, name: string): boolean | undefined {
  const single = singleValue(entry, name);
  const text = single === undefined ? undefined : toText(single);
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
    return decode(bytes, toText(bytes));
  } catch (error) {
    if (error instanceof RangeError) throw new AttributeValueError(name, error.message);
    throw error;
  }
}

/** Lower-cased objectClass values. */
export function objectClassesOf(entry: LdapEntry): Set<string> {
  return new Set(textsOf(entry, "objectclass").map((c) => c.toLowerCase()));
}
