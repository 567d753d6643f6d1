// Missing Entra data never passes: an export that says itself there is more (a last page with
// @odata.nextLink, a larger @odata.count) or whose items lack a selected property is partial, and a missing users.json or
// applications.json turns the controls that read them into `error` for that tenant.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.ts";
import { entraCollector } from "../../../src/collectors/entra/collector.ts";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import { evaluateSnapshot, type Finding } from "../../../src/policy/engine/index.ts";
import { assembleSnapshot } from "../../../src/snapshot/assemble.ts";

const fixtures = new URL("../../fixtures/entra", import.meta.url).pathname;
const demo = new URL("../../../examples/demo/entra", import.meta.url).pathname;

function workspace(from = fixtures): string {
  const dir = mkdtempSync(join(tmpdir(), "credgov-entra-gap-"));
  cpSync(from, join(dir, "entra"), { recursive: true });
  return dir;
}

const collect = (configDir: string) =>
  entraCollector.collect({ source: { id: "cloud", kind: "entra", dir: "entra" }, configDir, env: {}, progress: { step() {}, tick() {} }, log() {} });

async function findingsWithout(file: string): Promise<Finding[]> {
  const dir = workspace(demo);
  rmSync(join(dir, "entra", file));
  const part = await collect(dir);
  const { snapshot } = assembleSnapshot([part], { generator: { name: "credgov", version: "test" } });
  return (await evaluateSnapshot(snapshot, { catalog: loadCatalog() })).findings;
}

const statuses = (findings: Finding[], control: string) => [...new Set(findings.filter((f) => f.controlId === control).map((f) => f.status))].sort();

describe("Entra exports that hold only part of a collection", () => {
  it("a users.json whose last page still has @odata.nextLink is partial, with the users read kept", async () => {
    const dir = workspace();
    const pages = JSON.parse(readFileSync(join(fixtures, "users.json"), "utf8")) as Record<string, unknown>[];
    writeFileSync(join(dir, "entra", "users.json"), JSON.stringify(pages.slice(0, 1)));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    const error = part.source.errors.find((e) => e.step === "users")!;
    expect(error).toMatchObject({ code: "export-incomplete", affects: ["accounts", "credentials", "resetPaths", "identities", "settings.onPremisesSyncEnabled"] });
    expect(error.message).toMatch(/^users\.json is incomplete: its last page still has @odata\.nextLink \(\d+ item\(s\) read\)/);
    expect(part.source.queries.find((q) => q.step === "users")).toMatchObject({ status: "partial" });
  });

  it("a complete multi-page users.json (nextLink on every page but the last) is ok", async () => {
    const part = await collect(workspace());
    expect(part.source.status).toBe("ok");
  });

  it("a single-body applications.json with @odata.nextLink is partial", async () => {
    const dir = workspace();
    const body = JSON.parse(readFileSync(join(fixtures, "applications.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "entra", "applications.json"), JSON.stringify({ ...body, "@odata.nextLink": "https://graph.microsoft.com/v1.0/applications?$skiptoken=Z" }));
    const part = await collect(dir);
    expect(part.source.errors.find((e) => e.step === "applications")).toMatchObject({ code: "export-incomplete", affects: ["accounts", "credentials"] });
  });

  it("fewer items than @odata.count is partial", async () => {
    const dir = workspace();
    const body = JSON.parse(readFileSync(join(fixtures, "applications.json"), "utf8")) as { value: unknown[] };
    writeFileSync(join(dir, "entra", "applications.json"), JSON.stringify({ "@odata.count": body.value.length + 5, ...body }));
    const part = await collect(dir);
    expect(part.source.errors.find((e) => e.step === "applications")?.message).toContain(`@odata.count says ${body.value.length + 5} item(s), the file holds ${body.value.length}`);
  });

  it("users exported without a property the normalizer reads ($select left it out) are partial, naming the property", async () => {
    const dir = workspace();
    const pages = JSON.parse(readFileSync(join(fixtures, "users.json"), "utf8")) as { value: Record<string, unknown>[] }[];
    for (const page of pages) for (const user of page.value) delete user.lastPasswordChangeDateTime;
    delete pages[0].value[0].accountEnabled;
    writeFileSync(join(dir, "entra", "users.json"), JSON.stringify(pages));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    const users = pages.flatMap((p) => p.value);
    const lacking = part.source.errors.filter((e) => e.step === "users");
    expect(lacking.map((e) => e.message.replace(/ \(e\.g\. .*?\)/, ""))).toEqual([
      "1 user lacks the property accountEnabled: whether they are enabled is unknown; collect it as docs/exports.md gives the call ($select and $expand)",
      `${users.length} users lack the property lastPasswordChangeDateTime: when their passwords were last set is unknown; collect it as docs/exports.md gives the call ($select and $expand)`,
    ]);
    expect(lacking[0].message).toContain(`(e.g. ${String(users[0].userPrincipalName)})`);
    expect(lacking[1].affects).toEqual(["accounts.passwordLastSet", "credentials"]);
  });

  it("a null property is a value (Graph's answer for an unset property), not a gap", async () => {
    const dir = workspace();
    const pages = JSON.parse(readFileSync(join(fixtures, "users.json"), "utf8")) as { value: Record<string, unknown>[] }[];
    for (const page of pages) for (const user of page.value) user.lastPasswordChangeDateTime = null;
    writeFileSync(join(dir, "entra", "users.json"), JSON.stringify(pages));
    expect((await collect(dir)).source).toMatchObject({ status: "ok", errors: [] });
  });

  it("applications exported without $expand=owners are partial: their owners are unknown, not missing", async () => {
    const dir = workspace();
    const body = JSON.parse(readFileSync(join(fixtures, "applications.json"), "utf8")) as { value: Record<string, unknown>[] };
    for (const app of body.value) delete app.owners;
    writeFileSync(join(dir, "entra", "applications.json"), JSON.stringify(body));
    const part = await collect(dir);
    expect(part.source.errors.find((e) => e.step === "applications")).toMatchObject({ affects: ["accounts.owners", "credentials"] });
  });

  it("domains exported without authenticationType are partial, and their password rules are unknown rather than Entra's cloud rules", async () => {
    const dir = workspace();
    const body = JSON.parse(readFileSync(join(fixtures, "domains.json"), "utf8")) as { value: Record<string, unknown>[] };
    for (const domain of body.value) delete domain.authenticationType;
    writeFileSync(join(dir, "entra", "domains.json"), JSON.stringify(body));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    const error = part.source.errors.find((e) => e.step === "domains")!;
    expect(error.message).toMatch(/^3 domains lack the property authenticationType \(e\.g\. fixture\.example; /);
    expect(error.affects).toContain("passwordPolicies");
    // fed.fixture.example is federated: read without the property, it is not given Entra's 8-character rule.
    expect(part.passwordPolicies.filter((p) => p.scope === "entra-domain").map((p) => [p.minLength, p.complexity])).toEqual([[null, null], [null, null], [null, null]]);
  });

  it("users of a domain domains.json does not list make the tenant's password policies unknown: the policy controls are error, not pass", async () => {
    const dir = workspace();
    const body = JSON.parse(readFileSync(join(fixtures, "domains.json"), "utf8")) as { value: Record<string, unknown>[] };
    body.value = body.value.filter((domain) => domain.id !== "fixture.example");
    writeFileSync(join(dir, "entra", "domains.json"), JSON.stringify(body));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    const error = part.source.errors.find((e) => e.step === "domains")!;
    expect(error.message).toMatch(/^5 user\(s\) have a UPN domain that domains\.json does not list \(fixture\.example; e\.g\. alice@fixture\.example; /);
    expect(error.affects).toEqual(["passwordPolicies", "accounts.passwordPolicy", "credentials.expires"]);
    const { snapshot } = assembleSnapshot([part], { generator: { name: "credgov", version: "test" } });
    const findings = (await evaluateSnapshot(snapshot, { catalog: loadCatalog() })).findings;
    for (const control of ["CG-HYG-004", "CG-HYG-005"]) expect(statuses(findings, control), control).toContain("error");
  });

  it("passwordValidityPeriodInDays: -5 is an input error naming the file and field", async () => {
    const dir = workspace();
    const body = JSON.parse(readFileSync(join(fixtures, "domains.json"), "utf8")) as { value: Record<string, unknown>[] };
    body.value[0].passwordValidityPeriodInDays = -5;
    writeFileSync(join(dir, "entra", "domains.json"), JSON.stringify(body));
    const error = await collect(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toMatch(/entra\/domains\.json:\d+:\d+ value\[0\]\.passwordValidityPeriodInDays: must be >= 0/);
  });
});

describe("controls that depend on a missing Entra export report error, never pass", () => {
  let withoutUsers: Finding[];
  let withoutApplications: Finding[];
  beforeAll(async () => {
    withoutUsers = await findingsWithout("users.json");
    withoutApplications = await findingsWithout("applications.json");
  }, 240_000);

  it("users.json missing: CG-RESET-004 (which reads synchronised users) is error, not pass", () => {
    expect(statuses(withoutUsers, "CG-RESET-004")).toEqual(["error"]);
    for (const control of ["CG-RESET-001", "CG-HYG-001", "CG-HYG-006"]) expect(statuses(withoutUsers, control), control).toEqual(["error"]);
  });

  it("users without lastPasswordChangeDateTime: the password-age controls are error, never pass, for the tenant", async () => {
    const dir = workspace(demo);
    const pages = JSON.parse(readFileSync(join(demo, "users.json"), "utf8")) as { value: Record<string, unknown>[] }[];
    for (const page of pages) for (const user of page.value) delete user.lastPasswordChangeDateTime;
    writeFileSync(join(dir, "entra", "users.json"), JSON.stringify(pages));
    const { snapshot } = assembleSnapshot([await collect(dir)], { generator: { name: "credgov", version: "test" } });
    const findings = (await evaluateSnapshot(snapshot, { catalog: loadCatalog() })).findings;
    for (const control of ["CG-HYG-006", "CG-FRAG-003"]) {
      expect(statuses(findings, control), control).toContain("error");
      expect(findings.filter((f) => f.controlId === control && f.status === "pass"), control).toEqual([]);
    }
  }, 120_000);

  it("applications.json missing: the controls over accounts and credentials are error for the tenant", () => {
    for (const control of ["CG-NHI-001", "CG-NHI-002", "CG-NHI-004", "CG-FRAG-005"]) {
      expect(statuses(withoutApplications, control), control).toContain("error");
      expect(withoutApplications.filter((f) => f.controlId === control && f.status === "pass"), control).toEqual([]);
    }
  });
});
