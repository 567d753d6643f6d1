import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.ts";
import { parseCatalog } from "../../../src/policy/catalog/load.ts";

const valid = `version: 1
controls:
  - id: CG-TEST-001
    title: A test control
    severity: high
    package: credgov.test
    rationale: because
    remediation: fix it
    rotation: { eligible: false, rotator: null }
    mappings:
      nist_csf_2: [PR.AA-01]
      owasp_nhi_2025: []
      cis_v8: ["5.2"]
      iso27001_2022: [A.5.17]
`;

function errorOf(text: string): UserInputError {
  try {
    parseCatalog(text, "catalog.yaml");
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error("expected the catalog to be rejected");
}

describe("parseCatalog", () => {
  it("accepts a valid catalog", () => {
    expect(parseCatalog(valid, "catalog.yaml").controls[0].id).toBe("CG-TEST-001");
  });

  it("rejects a retired CSF 1.1 identifier with file, line and field", () => {
    const error = errorOf(valid.replace("PR.AA-01", "PR.AC-1"));
    expect(error.format()).toMatch(/^catalog\.yaml:11:\d+ controls\[0\]\.mappings\.nist_csf_2\[0\]: /);
    expect(error.exitCode).toBe(2);
  });

  it("rejects an unknown severity", () => {
    const error = errorOf(valid.replace("severity: high", "severity: urgent"));
    expect(error.line).toBe(5);
    expect(error.field).toBe("controls[0].severity");
    expect(error.message).toMatch(/critical, high, medium, low, info/);
  });

  it("rejects a duplicate control id", () => {
    const doubled = valid + valid.split("\n").slice(2).join("\n");
    const error = errorOf(doubled);
    expect(error.field).toBe("controls[1].id");
    expect(error.message).toMatch(/duplicate control id CG-TEST-001/);
  });

  it("reports YAML syntax errors with a line", () => {
    const error = errorOf("version: 1\ncontrols: [\n");
    expect(error.file).toBe("catalog.yaml");
    expect(error.line).toBeGreaterThan(0);
  });
});
