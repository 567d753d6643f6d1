// A synthetic policy test suite shaped like real compliance suites: PACKAGES packages, each with
// a policy module (helper functions, partial sets of violations over input) and a test module of
// TESTS_PER_PACKAGE tests that call the policy `with input as` a fixture. About 10 lines per test.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface GeneratedSuite {
  dir: string;
  tests: number;
  lines: number;
}

export function generateSuite(dir: string, packages = 100, testsPerPackage = 10): GeneratedSuite {
  let lines = 0;
  for (let p = 0; p < packages; p++) {
    const pkg = `bench.p${p}`;
    const policy = [
      `package ${pkg}`,
      "",
      "import data.bench.lib",
      "",
      "violations contains msg if {",
      "\tsome account in input.accounts",
      "\tnot account.mfa",
      `\tlib.privileged(account)`,
      '\tmsg := sprintf("%s has no MFA", [account.name])',
      "}",
      "",
      "violations contains msg if {",
      "\tsome account in input.accounts",
      `\taccount.age_days > ${30 + p}`,
      '\tmsg := sprintf("%s password too old", [account.name])',
      "}",
      "",
      "allow if count(violations) == 0",
      "",
    ];
    const tests: string[] = [`package ${pkg}_test`, "", `import data.${pkg}`, ""];
    for (let t = 0; t < testsPerPackage; t++) {
      const age = t % 2 === 0 ? 10 : 400;
      const mfa = t % 3 !== 0;
      tests.push(
        `test_case_${t} if {`,
        `\tfixture := {"accounts": [`,
        `\t\t{"name": "u${t}", "mfa": ${mfa}, "age_days": ${age}, "groups": ["admins"]},`,
        `\t\t{"name": "v${t}", "mfa": true, "age_days": 1, "groups": []},`,
        "\t]}",
        `\tresult := ${pkg.split(".").pop()}.violations with input as fixture`,
        `\tcount(result) == ${(mfa ? 0 : 1) + (age > 30 + p ? 1 : 0)}`,
        `\t${mfa && age <= 30 + p ? "" : "not "}${pkg.split(".").pop()}.allow with input as fixture`,
        "}",
        "",
      );
    }
    mkdirSync(path.join(dir, `p${p}`), { recursive: true });
    writeFileSync(path.join(dir, `p${p}`, "policy.rego"), policy.join("\n"));
    writeFileSync(path.join(dir, `p${p}`, "policy_test.rego"), tests.join("\n"));
    lines += policy.length + tests.length;
  }
  const lib = ["package bench.lib", "", 'privileged(account) if "admins" in account.groups', ""];
  writeFileSync(path.join(dir, "lib.rego"), lib.join("\n"));
  lines += lib.length;
  return { dir, tests: packages * testsPerPackage, lines };
}
