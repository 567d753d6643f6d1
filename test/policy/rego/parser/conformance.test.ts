import { describe, expect, it } from "vitest";
import { parseModule, parseQuery } from "../../../../src/policy/rego/parser.ts";
import { conformanceDir, loadCases, suiteAvailable } from "./conformance-suite.ts";

// The suite lives outside the repository; without it there is nothing to measure.
describe.skipIf(!suiteAvailable())(`parser on the OPA conformance suite (OPA's Rego conformance cases in swift-opa's JSON form, expected at ${conformanceDir()}; set CREDGOV_CONFORMANCE_DIR)`, () => {
  it("parses every module and query that OPA accepts, and rejects those OPA rejects as parse errors", () => {
    const cases = loadCases();
    expect(cases.length).toBeGreaterThan(0);
    const failures: string[] = [];
    let modules = 0;
    let parsed = 0;
    let queries = 0;
    let queriesParsed = 0;
    let expectedRejected = 0;
    for (const c of cases) {
      const expectParseError = c.wantErrorCode === "rego_parse_error";
      const errs = c.modules.flatMap((m, i) => {
        modules++;
        const r = parseModule(m, `${c.note}#${i}`);
        if (r.errors.length === 0) parsed++;
        return r.errors;
      });
      if (expectParseError) {
        if (errs.length > 0) expectedRejected++;
        else failures.push(`${c.file} ${c.note}: OPA reports a parse error, we accepted`);
      } else if (errs.length > 0) {
        failures.push(`${c.file} ${c.note}: ${errs[0].message}`);
      }
      if (c.query !== undefined) {
        queries++;
        const q = parseQuery(c.query);
        if (q.errors.length === 0) queriesParsed++;
        else if (!expectParseError) failures.push(`${c.file} ${c.note}: query: ${q.errors[0].message}`);
      }
    }
    console.log(
      `conformance parse: ${parsed}/${modules} modules, ${queriesParsed}/${queries} queries, ${expectedRejected} expected parse errors reproduced, ${failures.length} failures`,
    );
    expect(failures).toEqual([]);
  });
});
