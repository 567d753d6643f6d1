// Directory roles assigned to groups (role-assignable groups): the group's members hold its
// roles. The collector reads each role-holding group's members (GET /groups/{id}/transitiveMembers,
// live and as roleAssignmentGroups/<id>.json), marks them privileged with the group named, and
// lets only Global and Privileged Authentication Administrators reset them, as Microsoft protects
// the members of role-assignable groups. Live (the real @microsoft/microsoft-graph-client against
// the fixture Graph server), export-then-file and the file transport give the same snapshot; a
// group whose members were not read (a 403, a missing file) leaves privilege and reset paths
// unknown: the source is partial, never "not privileged".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import { EntraGroupTenant, transportFree } from "./entra-group-tenant.ts";

const alice = "11111111-0000-4000-8000-000000000001";
const frank = "11111111-0000-4000-8000-000000000006";
const backupIdentity = "66666666-0000-4000-8000-000000000003";
const tierZero = "88888888-0000-4000-8000-000000000001";
const desk = "88888888-0000-4000-8000-000000000002";
const globalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
const helpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

const tenant = new EntraGroupTenant();

const groupAssignment = (groupId: string, name: string, roleId: string, roleName: string) => ({
  id: `ra-${groupId}`,
  principalId: groupId,
  roleDefinitionId: roleId,
  directoryScopeId: "/",
  principal: { "@odata.type": "#microsoft.graph.group", id: groupId, displayName: name },
  roleDefinition: { id: roleId, displayName: roleName, templateId: roleId, isBuiltIn: true, isEnabled: true },
});

beforeAll(async () => {
  const dir = tenant.dir;
  const roles = JSON.parse(readFileSync(join(dir, "roleAssignments.json"), "utf8")) as { value: unknown[] };
  roles.value.push(groupAssignment(tierZero, "Tier0 Admins", globalAdministrator, "Global Administrator"), groupAssignment(desk, "Reset Desk", helpdeskAdministrator, "Helpdesk Administrator"));
  writeFileSync(join(dir, "roleAssignments.json"), JSON.stringify(roles));
  mkdirSync(join(dir, "roleAssignmentGroups"));
  // Two to a page, as the server's cap gives them.
  const members = [
    { "@odata.type": "#microsoft.graph.user", id: frank },
    { "@odata.type": "#microsoft.graph.servicePrincipal", id: backupIdentity },
  ];
  writeFileSync(join(dir, "roleAssignmentGroups", `${tierZero}.json`), JSON.stringify([{ value: members }]));
  writeFileSync(join(dir, "roleAssignmentGroups", `${desk}.json`), JSON.stringify([{ value: [{ "@odata.type": "#microsoft.graph.user", id: alice }] }]));
  await tenant.start();
});
afterAll(() => tenant.stop());

const account = (part: SourcePart, id: string) => part.accounts.find((a) => a.id === `cloud:${id}`)!;
const resetters = (part: SourcePart, id: string) => part.resetPaths.filter((p) => p.target === `cloud:${id}` && p.actor.kind === "role").map((p) => `${p.actor.name} ${p.mechanism}`).sort();

describe("directory roles assigned to groups", () => {
  it("the group's members hold its roles: privileged, named with the group, reset by Global and Privileged Authentication Administrators only", async () => {
    const file = await tenant.collectFiles();
    expect(file.source.errors).toEqual([]);
    expect(account(file, frank)).toMatchObject({ privileged: true, privilegedReasons: ["Global Administrator (group Tier0 Admins)"] });
    expect(account(file, backupIdentity)).toMatchObject({ privileged: true, privilegedReasons: ["Global Administrator (group Tier0 Admins)"] });
    expect(account(file, alice)).toMatchObject({ privileged: true, privilegedReasons: ["Helpdesk Administrator (group Reset Desk)"] });
    // alice held no role before: the help desk, password, user and authentication administrators
    // reached her. As a role-assignable group's member, only the Global Administrator does (with
    // a password reset, and a pass: the fixture's policy lets every user sign in with one).
    expect(resetters(file, alice)).toEqual(["Global Administrator admin-role", "Global Administrator temporary-access-pass"]);
    expect(file.source.queries.filter((q) => q.step === "roleAssignmentGroups").map((q) => [q.call, q.resultCount])).toEqual([
      [`GET /v1.0/groups/${tierZero}/transitiveMembers?$select=id&$top=999`, 2],
      [`GET /v1.0/groups/${desk}/transitiveMembers?$select=id&$top=999`, 1],
    ]);
  });

  it("live reads the groups' members through the client library to the file transport's snapshot", async () => {
    const graph = tenant.graph!;
    graph.requests.length = 0;
    const live = await tenant.collectLive();
    expect(live.source.errors).toEqual([]);
    expect(transportFree(live)).toEqual(transportFree(await tenant.collectFiles()));
    expect(graph.requests.filter((r) => r.path.startsWith(`/groups/${tierZero}/`) || r.path.startsWith(`/v1.0/groups/${tierZero}/`)).length).toBeGreaterThan(0);
  });

  it("export writes one file per role-holding group, which the file transport reads to the live snapshot", async () => {
    await tenant.exported(async (out, errors) => {
      expect(errors).toEqual([]);
      expect(readdirSync(join(out, "roleAssignmentGroups")).sort()).toEqual([`${tierZero}.json`, `${desk}.json`].sort());
      expect(transportFree(await tenant.collectFiles(out))).toEqual(transportFree(await tenant.collectLive()));
    });
  });

  it("a 403 on a group's members names GroupMember.Read.All and leaves privilege and reset paths unknown", async () => {
    const part = await tenant.collectLive(tenant.noGroups);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.map((e) => [e.step, e.code])).toEqual([
      ["roleAssignmentGroups", "http-403"],
      ["roleAssignmentGroups", "http-403"],
    ]);
    expect(part.source.errors[0].message).toMatch(/application permission GroupMember\.Read\.All \(/);
    expect(part.source.errors[0].affects).toEqual(["accounts.privileged", "resetPaths"]);
  });

  it("role assignments exported without $expand=principal are partial: which principals are groups is unknown", async () => {
    const part = await tenant.collectEdited((folder) => {
      const file = join(folder, "roleAssignments.json");
      const roles = JSON.parse(readFileSync(file, "utf8")) as { value: Record<string, unknown>[] };
      for (const assignment of roles.value) delete assignment.principal;
      writeFileSync(file, JSON.stringify(roles));
    });
    expect(part.source.status).toBe("partial");
    const errors = part.source.errors.filter((e) => e.step === "roleAssignments");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^8 role assignment\(s\) come without their principal \(ra-\S+; ra-\S+; ra-\S+; \.\.\.\): whether it is a group, whose members hold the role, is unknown/);
    expect(errors[0].affects).toEqual(["accounts.privileged", "resetPaths"]);
  });

  it("an export without a group's file is partial, naming the file", async () => {
    const part = await tenant.collectEdited((folder) => rmSync(join(folder, "roleAssignmentGroups", `${desk}.json`)));
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toMatchObject([{ step: "roleAssignmentGroups", code: "export-missing", affects: ["accounts.privileged", "resetPaths"] }]);
    expect(part.source.errors[0].message).toContain(`roleAssignmentGroups/${desk}.json`);
  });
});
