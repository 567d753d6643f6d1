// JSON Schema of policies/catalog.yaml. Identifier formats are checked here; whether an ID
// actually exists in the framework is checked against the official lists in the tests.
export const catalogSchema = {
  type: "object",
  additionalProperties: false,
  required: ["version", "controls"],
  properties: {
    version: { const: 1 },
    controls: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "title", "severity", "package", "rationale", "remediation", "rotation", "mappings"],
        properties: {
          id: { type: "string", pattern: "^CG-[A-Z]+-[0-9]{3}$" },
          title: { type: "string", minLength: 1 },
          severity: { enum: ["critical", "high", "medium", "low", "info"] },
          package: { type: "string", pattern: "^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*$" },
          scope: { enum: ["subjects", "estate"] },
          rationale: { type: "string", minLength: 1 },
          remediation: { type: "string", minLength: 1 },
          rotation: {
            type: "object",
            additionalProperties: false,
            required: ["eligible", "rotator"],
            properties: {
              eligible: { type: "boolean" },
              rotator: { enum: ["ad", "ldap", "entra", "github", "by-source", null] },
            },
          },
          mappings: {
            type: "object",
            additionalProperties: false,
            required: ["nist_csf_2", "owasp_nhi_2025", "cis_v8", "iso27001_2022"],
            properties: {
              nist_csf_2: { type: "array", uniqueItems: true, items: { type: "string", pattern: "^(GV|ID|PR|DE|RS|RC)\\.[A-Z]{2}-[0-9]{2}$" } },
              owasp_nhi_2025: { type: "array", uniqueItems: true, items: { type: "string", pattern: "^NHI([1-9]|10):2025$" } },
              cis_v8: { type: "array", uniqueItems: true, items: { type: "string", pattern: "^[0-9]{1,2}\\.[0-9]{1,2}$" } },
              iso27001_2022: { type: "array", uniqueItems: true, items: { type: "string", pattern: "^A\\.[5-8]\\.[0-9]{1,2}$" } },
            },
          },
        },
      },
    },
  },
} as const;
