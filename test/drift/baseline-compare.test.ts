// Every field of baseline.yaml against an estate that violates it and one that meets it: the
// drift item names the field, the expected and actual values, and the baseline line.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareWithBaseline } from "../../src/drift/baseline/compare.ts";
import { parseBaseline } from "../../src/drift/baseline/load.ts";
import { estate } from "./estate-fixture.ts";

interface Case {
  /** Schema property the case covers. */
  field: string;
  source: string;
  kind: string;
  /** YAML of the directory body (after `kind:`), with the field on a line of its own. */
  violated: string;
  met: string;
  setting: string;
  expected: unknown;
  actual: unknown;
}

const policy = (select: string, line: string) => `passwordPolicies:\n  - select: ${select}\n    ${line}`;
const domain = "{ scope: domain }";
const cases: Case[] = [
  { field: "minLength", source: "corp-ad", kind: "ad", violated: policy(domain, "minLength: 14"), met: policy(domain, "minLength: 8"), setting: "passwordPolicies[0].minLength", expected: 14, actual: 8 },
  { field: "historyLength", source: "corp-ad", kind: "ad", violated: policy(domain, "historyLength: 24"), met: policy(domain, "historyLength: 10"), setting: "passwordPolicies[0].historyLength", expected: 24, actual: 10 },
  { field: "maxAgeDays", source: "corp-ad", kind: "ad", violated: policy(domain, "maxAgeDays: 0"), met: policy(domain, "maxAgeDays: 90"), setting: "passwordPolicies[0].maxAgeDays", expected: 0, actual: 90 },
  { field: "minAgeDays", source: "corp-ad", kind: "ad", violated: policy(domain, "minAgeDays: 1"), met: policy(domain, "minAgeDays: 0"), setting: "passwordPolicies[0].minAgeDays", expected: 1, actual: 0 },
  { field: "lockoutThreshold", source: "corp-ad", kind: "ad", violated: policy(domain, "lockoutThreshold: 10"), met: policy("{ scope: pso }", "lockoutThreshold: 5"), setting: "passwordPolicies[0].lockoutThreshold", expected: 10, actual: 0 },
  { field: "lockoutDurationMinutes", source: "corp-ad", kind: "ad", violated: policy(domain, "lockoutDurationMinutes: 15"), met: policy(domain, "lockoutDurationMinutes: 5"), setting: "passwordPolicies[0].lockoutDurationMinutes", expected: 15, actual: 5 },
  { field: "complexity", source: "corp-ad", kind: "ad", violated: policy(domain, "complexity: true"), met: policy(domain, "complexity: false"), setting: "passwordPolicies[0].complexity", expected: true, actual: false },
  { field: "reversibleEncryption", source: "corp-ad", kind: "ad", violated: policy(domain, "reversibleEncryption: false"), met: policy(domain, "reversibleEncryption: true"), setting: "passwordPolicies[0].reversibleEncryption", expected: false, actual: true },
  { field: "mustChangeAfterReset", source: "legacy", kind: "ldap", violated: policy("{ scope: ppolicy }", "mustChangeAfterReset: false"), met: policy("{ scope: ppolicy }", "mustChangeAfterReset: true"), setting: "passwordPolicies[0].mustChangeAfterReset", expected: false, actual: true },
  { field: "allowUserChange", source: "legacy", kind: "ldap", violated: policy("{ scope: ppolicy }", "allowUserChange: false"), met: policy("{ scope: ppolicy }", "allowUserChange: true"), setting: "passwordPolicies[0].allowUserChange", expected: false, actual: true },
  // select.name picks one policy of the scope; a name that matches nothing is drift itself.
  { field: "name", source: "corp-ad", kind: "ad", violated: policy('{ scope: pso, name: "PSO:Tier0" }', "minLength: 16"), met: policy('{ scope: pso, name: "pso:tier0" }', "minLength: 15"), setting: "passwordPolicies[0].minLength", expected: 16, actual: 15 },
  { field: "select", source: "corp-ad", kind: "ad", violated: policy('{ scope: pso, name: "PSO:Nobody" }', "minLength: 14"), met: policy("{ scope: pso }", "minLength: 14"), setting: "passwordPolicies[0].select", expected: { scope: "pso", name: "PSO:Nobody" }, actual: null },
  { field: "scope", source: "corp-ad", kind: "ad", violated: policy("{ scope: entra-tenant }", "minLength: 14"), met: policy("{ scope: domain }", "complexity: false"), setting: "passwordPolicies[0].select", expected: { scope: "entra-tenant" }, actual: null },
  ...(
    [
      ["ssprEnabled", "selected", "all"],
      ["ssprForAdmins", false, true],
      ["passwordWritebackEnabled", true, false],
      ["passwordHashSyncEnabled", true, false],
      ["cloudPasswordPolicyForSyncedUsers", true, false],
      ["onPremisesSyncEnabled", false, true],
      ["syncIntervalMinutes", 10, 30],
    ] as const
  ).map(([field, want, have]) => ({
    field,
    source: "entra",
    kind: "entra",
    violated: `settings:\n  ${field}: ${String(want)}`,
    met: `settings:\n  ${field}: ${String(have)}`,
    setting: `settings.${field}`,
    expected: want,
    actual: have,
  })),
  { field: "twoFactorRequired", source: "gh", kind: "github", violated: "settings:\n  twoFactorRequired: true", met: "settings:\n  twoFactorRequired: false", setting: "settings.twoFactorRequired", expected: true, actual: false },
  { field: "samlEnabled", source: "gh", kind: "github", violated: "settings:\n  samlEnabled: true", met: "settings:\n  samlEnabled: false", setting: "settings.samlEnabled", expected: true, actual: false },
  { field: "lapsSchema", source: "corp-ad", kind: "ad", violated: "settings:\n  lapsSchema: windows", met: "settings:\n  lapsSchema: legacy", setting: "settings.lapsSchema", expected: "windows", actual: "legacy" },
  { field: "functionalLevel", source: "corp-ad", kind: "ad", violated: "settings:\n  functionalLevel: 7", met: "settings:\n  functionalLevel: 6", setting: "settings.functionalLevel", expected: 7, actual: 6 },
  { field: "krbtgtMaxAgeDays", source: "corp-ad", kind: "ad", violated: "settings:\n  krbtgtMaxAgeDays: 180", met: "settings:\n  krbtgtMaxAgeDays: 400", setting: "settings.krbtgtMaxAgeDays", expected: 180, actual: 400 },
  {
    field: "ou",
    source: "corp-ad",
    kind: "ad",
    violated: 'resetRights:\n  - targets: { ou: "OU=Service Accounts,DC=corp,DC=example" }\n    allowedActors: [Domain Admins]',
    met: 'resetRights:\n  - targets: { ou: "OU=Service Accounts, DC=corp, DC=example" }\n    allowedActors: [domain admins, Help Desk]',
    setting: "resetRights[0].allowedActors",
    expected: ["Domain Admins"],
    actual: "Help Desk",
  },
  {
    field: "allowedActors",
    source: "corp-ad",
    kind: "ad",
    violated: "resetRights:\n  - targets: { role: Domain Admins }\n    allowedActors: [Domain Admins]",
    met: "resetRights:\n  - targets: { role: Domain Admins }\n    allowedActors: [Domain Admins, self]",
    setting: "resetRights[0].allowedActors",
    expected: ["Domain Admins"],
    actual: "adm",
  },
  {
    field: "role",
    source: "corp-ad",
    kind: "ad",
    violated: "resetRights:\n  - targets: { role: Domain Admins }\n    allowUserCompletion: false",
    met: "resetRights:\n  - targets: { role: Enterprise Admins }\n    allowUserCompletion: false",
    setting: "resetRights[0].allowUserCompletion",
    expected: false,
    actual: true,
  },
  { field: "allowUserCompletion", source: "corp-ad", kind: "ad", violated: "resetRights:\n  - targets: { accountKind: human }\n    allowUserCompletion: false", met: "resetRights:\n  - targets: { accountKind: human }\n    allowUserCompletion: true", setting: "resetRights[0].allowUserCompletion", expected: false, actual: true },
  {
    field: "accountKind",
    source: "corp-ad",
    kind: "ad",
    violated: "resetRights:\n  - targets: { accountKind: service }\n    allowedMechanisms: [admin-role]",
    met: "resetRights:\n  - targets: { accountKind: computer }\n    allowedMechanisms: [admin-role]",
    setting: "resetRights[0].allowedMechanisms",
    expected: ["admin-role"],
    actual: "delegated-acl",
  },
  { field: "allowedMechanisms", source: "corp-ad", kind: "ad", violated: "resetRights:\n  - targets: { accountKind: service }\n    allowedMechanisms: [admin-role]", met: "resetRights:\n  - targets: { accountKind: service }\n    allowedMechanisms: [admin-role, delegated-acl]", setting: "resetRights[0].allowedMechanisms", expected: ["admin-role"], actual: "delegated-acl" },
  { field: "minOwners", source: "corp-ad", kind: "ad", violated: "owners:\n  - accountKind: human\n    minOwners: 1", met: "owners:\n  - accountKind: computer\n    minOwners: 1", setting: "owners[0].minOwners", expected: 1, actual: 0 },
  { field: "privileged", source: "corp-ad", kind: "ad", violated: "owners:\n  - accountKind: human\n    privileged: true\n    minOwners: 2", met: "owners:\n  - accountKind: human\n    privileged: true", setting: "owners[0].minOwners", expected: 2, actual: 1 },
  { field: "owners.accountKind", source: "entra", kind: "entra", violated: "owners:\n  - accountKind: application", met: "owners:\n  - accountKind: servicePrincipal", setting: "owners[0].minOwners", expected: 1, actual: 0 },
  { field: "maxLifetimeDays", source: "entra", kind: "entra", violated: "credentials:\n  maxLifetimeDays: 365\n  types: [clientSecret]", met: "credentials:\n  maxLifetimeDays: 730\n  types: [clientSecret]", setting: "credentials.maxLifetimeDays", expected: 365, actual: 730 },
  { field: "types", source: "entra", kind: "entra", violated: "credentials:\n  maxLifetimeDays: 3650\n  types: [certificate]", met: "credentials:\n  maxLifetimeDays: 3650\n  types: [clientSecret]", setting: "credentials.maxLifetimeDays", expected: 3650, actual: "never expires" },
  { field: "kind", source: "gh", kind: "ldap", violated: "settings:\n  samlEnabled: false", met: "", setting: "kind", expected: "ldap", actual: "github" },
];

function baselineText(source: string, kind: string, body: string): string {
  const indented = body
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => `    ${l}`)
    .join("\n");
  return `version: 1\ndirectories:\n  ${source}:\n    kind: ${kind}\n${indented}\n`;
}

describe("baseline vs snapshot, field by field", () => {
  it.each(cases)("$field: drift when the estate misses it, none when it meets it", (c) => {
    const text = baselineText(c.source, c.kind, c.violated);
    const items = compareWithBaseline(parseBaseline(text, "baseline.yaml"), estate());
    expect(items.length).toBe(1);
    const [item] = items;
    expect(item).toMatchObject({ status: "drift", source: c.source, setting: c.setting, expected: c.expected, actual: c.actual });
    // The item points at the line of the field it reports (or, for a default like minOwners, of its entry).
    const lastSegment = c.setting.replace(/\[\d+\]/g, "").split(".").pop()!;
    const lines = text.split("\n");
    expect(lines[item.baseline.line - 1]).toMatch(new RegExp(`\\b${lastSegment}\\b|- select|^\\s*- accountKind`));
    expect(item.baseline.file).toBe("baseline.yaml");
    expect(item.message.length).toBeGreaterThan(10);
    const kindMismatch = c.field === "kind";
    if (!kindMismatch) {
      const met = compareWithBaseline(parseBaseline(baselineText(c.source, c.kind, c.met), "baseline.yaml"), estate());
      expect(met).toEqual([]);
    }
  });

  it("targets select the accounts a reset rule governs: an OU with reset paths drifts, an empty OU does not", () => {
    const staff = compareWithBaseline(parseBaseline(baselineText("corp-ad", "ad", 'resetRights:\n  - targets: { ou: "OU=Service Accounts,DC=corp,DC=example" }\n    allowedActors: [nobody]'), "b.yaml"), estate());
    expect(staff.map((i) => i.actual).sort()).toEqual(["Domain Admins", "Help Desk"]);
    expect(staff[0].evidence).toMatchObject({ targetCount: 1, targets: ["svc-a"] });
    const empty = compareWithBaseline(parseBaseline(baselineText("corp-ad", "ad", 'resetRights:\n  - targets: { ou: "OU=Empty,DC=corp,DC=example" }\n    allowedActors: [nobody]'), "b.yaml"), estate());
    expect(empty).toEqual([]);
  });

  it("covers every property of the published schema", () => {
    const schema = JSON.parse(readFileSync(new URL("../../schemas/baseline.schema.json", import.meta.url), "utf8")) as { $defs: Record<string, { properties?: Record<string, { properties?: object }> }> };
    const properties = new Set<string>();
    for (const [name, def] of Object.entries(schema.$defs)) {
      if (name === "Directory") continue; // its keys are the sections the other definitions cover
      for (const [key, value] of Object.entries(def.properties ?? {})) {
        properties.add(name === "OwnerRule" && key === "accountKind" ? "owners.accountKind" : key);
        for (const inner of Object.keys(value.properties ?? {})) properties.add(inner);
      }
    }
    const covered = new Set(cases.map((c) => c.field));
    covered.add("kind");
    covered.add("targets");
    // userForcePasswordChangeOnLogonSynced is covered by the "not collected" test below.
    covered.add("userForcePasswordChangeOnLogonSynced");
    expect([...properties].filter((p) => !covered.has(p))).toEqual([]);
  });
});

describe("values that were not collected are never reported as matching", () => {
  it("a null setting is unknown, not drift and not a match", () => {
    const items = compareWithBaseline(parseBaseline(baselineText("entra", "entra", "settings:\n  userForcePasswordChangeOnLogonSynced: true"), "b.yaml"), estate());
    expect(items).toMatchObject([{ status: "unknown", setting: "settings.userForcePasswordChangeOnLogonSynced", actual: null }]);
  });

  it("a null policy value is unknown", () => {
    const items = compareWithBaseline(parseBaseline(baselineText("legacy", "ldap", policy("{ scope: ppolicy }", "complexity: true")), "b.yaml"), estate());
    expect(items).toMatchObject([{ status: "unknown", setting: "passwordPolicies[0].complexity" }]);
  });

  it("a missing policy is unknown when the source failed to collect policies", () => {
    const snapshot = estate();
    snapshot.passwordPolicies = snapshot.passwordPolicies.filter((p) => p.source !== "corp-ad");
    snapshot.sources[0].status = "partial";
    snapshot.sources[0].errors = [{ step: "policies", message: "timeout", affects: ["passwordPolicies"] }];
    const items = compareWithBaseline(parseBaseline(baselineText("corp-ad", "ad", policy(domain, "minLength: 14")), "b.yaml"), snapshot);
    expect(items).toMatchObject([{ status: "unknown", setting: "passwordPolicies[0].select" }]);
  });

  it("a declared directory that is not in the snapshot is unknown", () => {
    const items = compareWithBaseline(parseBaseline(baselineText("other-ad", "ad", "settings:\n  functionalLevel: 7"), "b.yaml"), estate());
    expect(items).toMatchObject([{ status: "unknown", source: "other-ad", setting: "directory" }]);
  });

  it("reset rules over a source whose reset paths failed are unknown", () => {
    const snapshot = estate();
    snapshot.sources[0].errors = [{ step: "acl", message: "denied", affects: ["resetPaths"] }];
    const items = compareWithBaseline(parseBaseline(baselineText("corp-ad", "ad", "resetRights:\n  - targets: { accountKind: service }\n    allowedActors: [x]"), "b.yaml"), snapshot);
    expect(items).toMatchObject([{ status: "unknown", setting: "resetRights[0]" }]);
  });
});

describe("the demo baseline", () => {
  it("loads and validates", () => {
    const file = new URL("../../examples/demo/baseline.yaml", import.meta.url).pathname;
    const baseline = parseBaseline(readFileSync(file, "utf8"), file);
    expect(Object.keys(baseline.document.directories)).toContain("corp-ad");
  });
});
