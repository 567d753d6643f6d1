// Loads exceptions.yaml with ajv validation; errors name file, line and field (exit 2).
import { decodeText } from "../../io/decode-text.ts";
import { assertRegularFileIfPresent } from "../../io/regular-file.ts";
import { readFileSync } from "node:fs";
import { createAjv } from "../../json-schema/ajv.ts";
import { UserInputError } from "../../errors.ts";
import { parseValidatedYaml } from "../../config/validated-yaml.ts";
import { exceptionsSchema } from "./schema.ts";
import { literalLength } from "./subject-pattern.ts";
import type { PolicyException } from "./types.ts";

const validate = createAjv().compile(exceptionsSchema);

export function loadExceptions(file: string): PolicyException[] {
  assertRegularFileIfPresent(file, file, "--exceptions");
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UserInputError(`cannot read the exceptions file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file, field: "--exceptions" });
  }
  const text = decodeText(bytes, file);
  return parseExceptions(text, file);
}

/** Fewer literal characters than this in a subject (or control) pattern make it broad. */
const minSubjectLiterals = 3;
const minControlLiterals = 5;
/** An exception that lasts longer than this from today is long-lived. */
const maxLifetimeDays = 366;

export function parseExceptions(text: string, file: string, now: Date = new Date()): PolicyException[] {
  // yaml turns an unquoted 2026-12-31 into a string already (YAML 1.2 core schema).
  const { value, positionOf } = parseValidatedYaml(text, file, validate, "exceptions file", { exceptions: [] });
  const entries = (value as { exceptions: Array<Omit<PolicyException, "file" | "line">> }).exceptions;
  return entries.map((entry, index) => {
    const position = positionOf(["exceptions", index]);
    if (Number.isNaN(expiryTime(entry.expires))) {
      throw new UserInputError(`${entry.expires} is not a valid calendar date`, { file, ...positionOf(["exceptions", index, "expires"]), field: `exceptions[${index}].expires` });
    }
    const broad = breadth(entry, now);
    if (broad !== undefined && entry.allowBroad !== true) {
      throw new UserInputError(`this exception is ${broad}; narrow it, or set allowBroad: true to accept it (it is then listed in every output)`, {
        file,
        ...position,
        field: `exceptions[${index}]`,
      });
    }
    return { ...entry, ...(broad !== undefined ? { broad } : {}), file, line: position.line };
  });
}

function breadth(entry: Omit<PolicyException, "file" | "line">, now: Date): string | undefined {
  const reasons: string[] = [];
  if (literalLength(entry.subject) < minSubjectLiterals) reasons.push(`broad: subject pattern ${JSON.stringify(entry.subject)} has fewer than ${minSubjectLiterals} literal characters`);
  if (literalLength(entry.control) < minControlLiterals) reasons.push(`broad: control pattern ${JSON.stringify(entry.control)} has fewer than ${minControlLiterals} literal characters`);
  const days = (expiryTime(entry.expires) - now.getTime()) / 86_400_000;
  if (days > maxLifetimeDays) reasons.push(`long-lived: it expires ${entry.expires}, more than ${maxLifetimeDays} days from now`);
  return reasons.length > 0 ? reasons.join("; ") : undefined;
}

/**
 * A date alone means "through the end of that day, UTC". NaN unless it is a real calendar
 * date (Date.parse accepts 2026-02-30 as March 2) and, for a time, real hours and minutes.
 */
export function expiryTime(expires: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2})))?$/.exec(expires);
  if (!m) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return Number.NaN;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59 || Number(m[7] ?? 0) > 23 || Number(m[8] ?? 0) > 59)) return Number.NaN;
  return m[4] === undefined ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}
