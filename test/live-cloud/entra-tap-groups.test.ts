// A Temporary Access Pass configuration scoped to groups: the collector reads each targeted
// group's transitive members (GET /groups/{id}/transitiveMembers, paged, first pages in one
// $batch) and gives pass paths to exactly the users the policy lets sign in with a pass: members
// of an include group or named users, less the members of an exclude group. Live (the real
// @microsoft/microsoft-graph-client against the fixture Graph server), export-then-file and the
// file transport give the same snapshot; a group not read leaves the reset paths unknown. A
// custom role whose permissions reset passwords and add authentication methods is a help desk
// and pass issuer of its own, and its holder privileged, read from the role definition the role
// assignments expand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import { EntraGroupTenant, transportFree } from "./entra-group-tenant.ts";

const user = (n: number) => `11111111-0000-4000-8000-00000000000${n}`;
const [alice, bob, carol, dave, erin, frank] = [1, 2, 3, 4, 5, 6].map(user);
const passDesk = "33333333-0000-4000-8000-000000000001";
const included = "44444444-0000-4000-8000-000000000001";
const excluded = "44444444-0000-4000-8000-000000000002";
const nested = "44444444-0000-4000-8000-000000000003";
const device = "55555555-0000-4000-8000-000000000001";

const tenant = new EntraGroupTenant();

/** Graph pages of directory objects, two to a page as the server's cap gives them. */
function pages(members: { type: string; id: string }[]) {
  const out = [];
  for (let i = 0; i < members.length; i += 2) out.push({ value: members.slice(i, i + 2).map((m) => ({ "@odata.type": `#microsoft.graph.${m.type}`, id: m.id })) });
  return out;
}

beforeAll(async () => {
  const dir = tenant.dir;
  // Enabled for the members of one group (a nested group's members among them) and one named
  // user, except the members of another group.
  writeFileSync(
    join(dir, "temporaryAccessPass.json"),
    JSON.stringify({
      id: "TemporaryAccessPass",
      state: "enabled",
      isUsableOnce: true,
      defaultLifetimeInMinutes: 60,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      includeTargets: [
        { targetType: "group", id: included, isRegistrationRequired: false },
        { targetType: "user", id: dave, isRegistrationRequired: false },
      ],
      excludeTargets: [{ targetType: "group", id: excluded }],
    }),
  );
  // A custom role that resets passwords and adds authentication methods, held by frank.
  const roles = JSON.parse(readFileSync(join(dir, "roleAssignments.json"), "utf8")) as { value: unknown[] } | { value: unknown[] }[];
  const lastPage = Array.isArray(roles) ? roles[roles.length - 1] : roles;
  lastPage.value.push({
    id: "ra-pass-desk",
    principalId: frank,
    roleDefinitionId: passDesk,
    directoryScopeId: "/",
    principal: { "@odata.type": "#microsoft.graph.user", id: frank, displayName: "Frank", userPrincipalName: "frank@fixtureexample.onmicrosoft.com" },
    roleDefinition: {
      id: passDesk,
      displayName: "Pass Desk",
      templateId: passDesk,
      isBuiltIn: false,
      isEnabled: true,
      rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/standard/read", "microsoft.directory/users/password/update", "microsoft.directory/users/authenticationMethods/create"], condition: null }],
    },
  });
  writeFileSync(join(dir, "roleAssignments.json"), JSON.stringify(roles));
  mkdirSync(join(dir, "temporaryAccessPassGroups"));
  const members = [
    { type: "user", id: alice },
    { type: "group", id: nested },
    { type: "user", id: bob },
    { type: "device", id: device },
    { type: "user", id: erin },
  ];
  writeFileSync(join(dir, "temporaryAccessPassGroups", `${included}.json`), JSON.stringify(pages(members)));
  writeFileSync(join(dir, "temporaryAccessPassGroups", `${excluded}.json`), JSON.stringify(pages([{ type: "user", id: erin }])));
  await tenant.start();
});
afterAll(() => tenant.stop());

const passTargets = (part: SourcePart) => [...new Set(part.resetPaths.filter((p) => p.mechanism === "temporary-access-pass").map((p) => p.target))].sort();

describe("Temporary Access Pass scoped to groups", () => {
  it("gives pass paths to the include group's transitive members and named users, less the exclude group's members", async () => {
    const file = await tenant.collectFiles();
    expect(file.source.errors).toEqual([]);
    // alice and bob (members), dave (named); erin is a member but excluded; carol and frank are outside.
    expect(passTargets(file)).toEqual([alice, bob, dave].map((id) => `cloud:${id}`));
    expect(file.resetPaths.find((p) => p.mechanism === "temporary-access-pass")?.via).toBe(`Temporary Access Pass policy (groups ${included}; users ${dave}, except groups ${excluded})`);
    // Password resets do not depend on the policy: erin and carol keep theirs.
    expect(file.resetPaths.some((p) => p.target === `cloud:${erin}` && p.mechanism === "admin-role")).toBe(true);
    expect(file.resetPaths.some((p) => p.target === `cloud:${carol}` && p.mechanism === "admin-role")).toBe(true);
    // The custom role resets and issues passes to users holding no directory role (alice alone here).
    const custom = file.resetPaths.filter((p) => p.actor.id === passDesk);
    expect(custom.map((p) => [p.target, p.mechanism, p.actor.admin]).sort()).toEqual([
      [`cloud:${alice}`, "helpdesk", false],
      [`cloud:${alice}`, "temporary-access-pass", false],
    ]);
    expect(file.source.queries.filter((q) => q.step === "temporaryAccessPassGroups").map((q) => [q.call, q.resultCount, q.pages])).toEqual([
      [`GET /v1.0/groups/${included}/transitiveMembers?$select=id&$top=999`, 5, 3],
      [`GET /v1.0/groups/${excluded}/transitiveMembers?$select=id&$top=999`, 1, 1],
    ]);
  });

  it("live reads the groups' members through the client library (first pages batched, the rest by @odata.nextLink) to the file transport's snapshot", async () => {
    const graph = tenant.graph!;
    graph.requests.length = 0;
    const live = await tenant.collectLive();
    expect(live.source.errors).toEqual([]);
    expect(transportFree(live)).toEqual(transportFree(await tenant.collectFiles()));
    // The custom role's definition, expanded by the role assignments call, carries a permission
    // Microsoft labels privileged: frank, its holder, is privileged.
    expect(live.accounts.find((a) => a.id === `cloud:${frank}`)).toMatchObject({ privileged: true, privilegedReasons: ["Pass Desk (custom role: microsoft.directory/users/password/update)"] });
    const groupRequests = graph.requests.filter((r) => r.path.startsWith("/groups/") || r.path.startsWith("/v1.0/groups/"));
    // Both first pages travel in a $batch of their own; the include group's two later pages alone.
    expect(groupRequests.filter((r) => r.batched).map((r) => r.path).sort()).toEqual([`/groups/${excluded}/transitiveMembers?$select=id&$top=999`, `/groups/${included}/transitiveMembers?$select=id&$top=999`].sort());
    expect(groupRequests.filter((r) => !r.batched)).toHaveLength(2);
  });

  it("export writes one file per targeted group, which the file transport reads to the live snapshot", async () => {
    await tenant.exported(async (out, errors) => {
      expect(errors).toEqual([]);
      expect(readdirSync(join(out, "temporaryAccessPassGroups")).sort()).toEqual([`${excluded}.json`, `${included}.json`].sort());
      expect(transportFree(await tenant.collectFiles(out))).toEqual(transportFree(await tenant.collectLive()));
    });
  });

  it("a 403 on a group's members names GroupMember.Read.All and leaves the reset paths unknown: no pass path is guessed", async () => {
    const part = await tenant.collectLive(tenant.noGroups);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.map((e) => [e.step, e.code])).toEqual([
      ["temporaryAccessPassGroups", "http-403"],
      ["temporaryAccessPassGroups", "http-403"],
    ]);
    expect(part.source.errors[0].message).toMatch(/application permission GroupMember\.Read\.All \(/);
    expect(part.source.errors[0].affects).toEqual(["resetPaths"]);
    expect(passTargets(part)).toEqual([]);
  });

  it("an export without a targeted group's file is partial, never read as all users nor as nobody", async () => {
    const part = await tenant.collectEdited((folder) => rmSync(join(folder, "temporaryAccessPassGroups", `${excluded}.json`)));
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toMatchObject([{ step: "temporaryAccessPassGroups", code: "export-missing", affects: ["resetPaths"] }]);
    expect(part.source.errors[0].message).toContain(`temporaryAccessPassGroups/${excluded}.json`);
    expect(passTargets(part)).toEqual([]);
  });
});
