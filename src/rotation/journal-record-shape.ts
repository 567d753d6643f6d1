// What a journal line must hold before a replay trusts it: `rotate resume` decides from the
// journal which accounts still need their new password set or their old one back, so a record
// with a missing item, an unknown state or a wrongly typed field is an input error naming its
// line and field, never a state "undefined" that resume would act on.
import type { ValidateFunction } from "ajv";
import { createAjv } from "../json-schema/ajv.ts";
import { describeSchemaErrors } from "../json-schema/schema-messages.ts";
import { forwardStates, type JournalRecord } from "./journal-record.ts";

const itemStates = [...forwardStates, "failed", "skipped"];
const text = { type: "string", minLength: 1 };
const count = { type: "integer", minimum: 0 };
const time = { type: "string", format: "date-time" };

// Records may carry fields a later credgov adds; those this one reads are checked.
const schemas: Record<JournalRecord["type"], object> = {
  run: {
    type: "object",
    required: ["type", "journalVersion", "planDigest", "plan", "startedAt", "fingerprintSalt"],
    properties: { journalVersion: { const: 1 }, planDigest: { type: "string", pattern: "^[0-9a-f]{64}$" }, plan: text, startedAt: time, fingerprintSalt: text, host: { type: "string" }, pid: count },
  },
  item: {
    type: "object",
    required: ["type", "item", "state", "at", "attempt"],
    properties: {
      item: text,
      state: { enum: itemStates },
      at: time,
      attempt: count,
      fingerprint: { type: "string" },
      sinkVersion: count,
      ref: { type: "string" },
      detail: { type: "string" },
      lastGood: { enum: [...forwardStates] },
      error: {
        type: "object",
        required: ["step", "message"],
        properties: { step: { type: "string" }, message: { type: "string" }, code: { type: "string" }, transient: { type: "boolean" } },
      },
    },
  },
  session: {
    type: "object",
    required: ["type", "event", "at", "command"],
    properties: {
      event: { enum: ["start", "end"] },
      at: time,
      command: { enum: ["apply", "resume"] },
      pid: count,
      outcome: { enum: ["completed", "stopped-after-failures", "interrupted"] },
      counts: { type: "object", additionalProperties: count },
    },
  },
};

let validators: Map<string, ValidateFunction> | undefined;

/** The record a parsed line holds, or a problem naming the field (`state`, `error.message`). */
export function checkJournalRecord(value: unknown): { record: JournalRecord } | { field?: string; message: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { message: "must be a JSON object (a journal record)" };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !(type in schemas)) return { field: "type", message: `must be one of run, item, session (got ${JSON.stringify(type ?? null)?.slice(0, 40)})` };
  if (!validators) {
    const ajv = createAjv({ checkSchemas: false });
    validators = new Map(Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)]));
  }
  const validate = validators.get(type)!;
  if (validate(value)) return { record: value as JournalRecord };
  const issue = describeSchemaErrors(validate.errors ?? [])[0];
  const field = (issue?.segments ?? []).join(".");
  return { field: field || undefined, message: issue?.message ?? "is not a valid journal record" };
}
