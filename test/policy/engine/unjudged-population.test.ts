import { describe, expect, it } from "vitest";
import type { RegoResult } from "../../../src/policy/engine/rego-result.ts";
import { withoutNotApplicableOverUnjudged } from "../../../src/policy/engine/unjudged-population.ts";

const population = (control: string, source: string): RegoResult => ({
  control,
  status: "not_applicable",
  subject: { source, kind: "population", id: `${control}:${source}`, name: "enabled privileged accounts" },
  evidence: { reason: "no enabled privileged accounts in this source" },
  message: `${control} not applicable to ${source}`,
});
const unjudged = (control: string, source: string, id: string): RegoResult => ({
  control,
  status: "not_evaluated",
  subject: { source, kind: "human", id, name: id },
  evidence: { notRecordedBySource: true },
  message: `${control} not evaluated for ${id}`,
});

describe("withoutNotApplicableOverUnjudged", () => {
  it("withdraws 'nothing to judge' where that source's subjects were left unjudged, and only there", () => {
    const results = [
      population("CG-HYG-006", "entra"),
      unjudged("CG-HYG-006", "entra", "entra:ga"),
      population("CG-HYG-006", "github"),
      population("CG-NHI-001", "entra"),
      { ...unjudged("CG-HYG-004", "corp-ad", "corp-ad"), subject: { source: "corp-ad", kind: "source", id: "corp-ad", name: "corp-ad" } },
      population("CG-HYG-004", "corp-ad"),
    ];
    expect(withoutNotApplicableOverUnjudged(results)).toEqual([
      unjudged("CG-HYG-006", "entra", "entra:ga"),
      population("CG-HYG-006", "github"),
      population("CG-NHI-001", "entra"),
      results[4],
      population("CG-HYG-004", "corp-ad"),
    ]);
  });

  it("withdraws an estate-wide 'nothing to judge' when any identity was left unjudged", () => {
    const results = [population("CG-FRAG-002", "estate"), { ...unjudged("CG-FRAG-002", "corp-ad", "identity:1"), subject: { source: "corp-ad", kind: "identity", id: "identity:1", name: "Ann" } }, population("CG-FRAG-001", "estate")];
    expect(withoutNotApplicableOverUnjudged(results).map((r) => [r.control, r.status])).toEqual([
      ["CG-FRAG-002", "not_evaluated"],
      ["CG-FRAG-001", "not_applicable"],
    ]);
  });
});
