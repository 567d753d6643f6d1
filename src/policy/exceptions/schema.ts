// JSON Schema of exceptions.yaml. Every waiver must say why, who approved it, where it is
// tracked and when it ends: an open-ended exception is not accepted.
export const exceptionsSchema = {
  type: "object",
  additionalProperties: false,
  required: ["exceptions"],
  properties: {
    exceptions: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["control", "subject", "reason", "approver", "ticket", "expires"],
        properties: {
          control: { type: "string", pattern: "^[A-Za-z0-9*?_-]+$", maxLength: 100 },
          subject: { type: "string", minLength: 1, maxLength: 500 },
          reason: { type: "string", minLength: 1 },
          approver: { type: "string", minLength: 1 },
          ticket: { type: "string", minLength: 1 },
          expires: {
            type: "string",
            pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2}))?$",
            "x-error": "must be a date (YYYY-MM-DD) or an RFC 3339 time",
          },
          allowBroad: { type: "boolean", description: "Accept a broad (few literal characters) or long-lived (over a year) exception; it is listed in every output." },
        },
      },
    },
  },
} as const;
