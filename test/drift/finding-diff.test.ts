import { describe, expect, it } from "vitest";
import { diffFindings, failingFindings, findingFingerprint } from "../../src/drift/finding-diff.ts";
import { fingerprint } from "../../src/report/outputs/sarif.ts";
import { finding } from "../history/scan-fixtures.ts";

describe("findings between two scans", () => {
  it("sorts failing findings into new, resolved and persisting by fingerprint", () => {
    const before = failingFindings([finding("CG-A", "fail", "x"), finding("CG-A", "fail", "y"), finding("CG-B", "pass", "z")]);
    const after = failingFindings([finding("CG-A", "fail", "y"), finding("CG-B", "fail", "z"), finding("CG-A", "pass", "x")]);
    const diff = diffFindings(before, after);
    expect(diff.new.map((f) => `${f.controlId}/${f.subjectId}`)).toEqual(["CG-B/z"]);
    expect(diff.resolved.map((f) => `${f.controlId}/${f.subjectId}`)).toEqual(["CG-A/x"]);
    expect(diff.persisting.map((f) => `${f.controlId}/${f.subjectId}`)).toEqual(["CG-A/y"]);
  });

  it("matches a subject by control, source and id, not by its (renamable) name", () => {
    const renamed = finding("CG-A", "fail", "x", { subject: { source: "corp-ad", kind: "service", id: "x", name: "new name" } });
    const diff = diffFindings(failingFindings([finding("CG-A", "fail", "x")]), failingFindings([renamed]));
    expect(diff.persisting.length).toBe(1);
    expect(findingFingerprint(failingFindings([renamed])[0])).toBe(fingerprint(renamed));
  });
});
