// Custom directory roles: a role holding a permission Microsoft labels privileged makes its
// holders privileged (users at any scope, service principals), named by the role, the
// permission and the scope; a role without such a permission does not. A role whose definition
// was not read (roleDefinition not expanded, or a custom role's permissions left out) leaves its
// holders' privilege unknown: the source is partial and the controls reading privilege report
// error, never a silent "not privileged".
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entraCollector } from "../../../src/collectors/entra/collector.ts";
import { normalizeEntra } from "../../../src/collectors/entra/normalize.ts";
import type { GraphRoleAssignment } from "../../../src/collectors/entra/graph-types.ts";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import { evaluateSnapshot } from "../../../src/policy/engine/index.ts";
import { assembleSnapshot } from "../../../src/snapshot/assemble.ts";
import { fixtureTenant } from "./fixture-tenant.ts";

const alice = "11111111-0000-4000-8000-000000000001";
const frank = "11111111-0000-4000-8000-000000000006";
const appSp = "66666666-0000-4000-8000-000000000003";
const unit = "/administrativeUnits/77777777-0000-4000-8000-000000000002";
const resetDesk = "c1000000-0000-4000-8000-000000000001";
const profileEditors = "c1000000-0000-4000-8000-000000000002";
const secretKeepers = "c1000000-0000-4000-8000-000000000003";

const customRole = (id: string, name: string, actions: string[]) => ({ id, displayName: name, templateId: id, isBuiltIn: false, isEnabled: true, rolePermissions: [{ allowedResourceActions: actions, condition: null }] });
const assign = (principalId: string, type: string, role: GraphRoleAssignment["roleDefinition"] & { id: string }, scope = "/"): GraphRoleAssignment => ({
  id: `ra-${principalId}-${role.id}`,
  principalId,
  roleDefinitionId: role.id,
  directoryScopeId: scope,
  principal: { "@odata.type": `#microsoft.graph.${type}`, id: principalId },
  roleDefinition: role,
});

const desk = customRole(resetDesk, "Reset Desk", ["microsoft.directory/users/standard/read", "Microsoft.Directory/Users/Password/Update"]);
const editors = customRole(profileEditors, "Profile Editors", ["microsoft.directory/users/basic/update", "microsoft.directory/users/manager/update"]);
const keepers = customRole(secretKeepers, "Secret Keepers", ["microsoft.directory/applications/credentials/update"]);

function tenantWith(...assignments: GraphRoleAssignment[]) {
  const data = fixtureTenant();
  data.roleAssignments = [...data.roleAssignments!, ...assignments];
  return data;
}

describe("custom directory roles and privilege", () => {
  it("holders of a custom role with a privileged permission are privileged, named by role, permission and scope", () => {
    const part = normalizeEntra("entra", tenantWith(assign(alice, "user", desk, unit), assign(frank, "user", desk), assign(frank, "user", editors), assign(appSp, "servicePrincipal", keepers)));
    const account = (id: string) => part.accounts.find((a) => a.id === `entra:${id}`)!;
    expect(account(alice)).toMatchObject({ privileged: true, privilegedReasons: [`Reset Desk (custom role: Microsoft.Directory/Users/Password/Update) (${unit})`] });
    // Directory Readers (frank's built-in role) and Profile Editors grant nothing privileged.
    expect(account(frank)).toMatchObject({ privileged: true, privilegedReasons: ["Reset Desk (custom role: Microsoft.Directory/Users/Password/Update)"] });
    expect(account(appSp)).toMatchObject({ privileged: true, privilegedReasons: ["Secret Keepers (custom role: microsoft.directory/applications/credentials/update)"] });
    expect(part.gaps).toEqual([]);
  });

  it("a custom role without a privileged permission leaves its holder unprivileged", () => {
    const part = normalizeEntra("entra", tenantWith(assign(alice, "user", editors)));
    expect(part.accounts.find((a) => a.id === `entra:${alice}`)).toMatchObject({ privileged: false });
    expect(part.gaps).toEqual([]);
  });

  it("a role held without its definition is a gap in privilege and reset paths, unless credgov knows it as built-in", () => {
    const bare = (principalId: string, roleId: string): GraphRoleAssignment => ({ ...assign(principalId, "user", { id: roleId }), roleDefinition: undefined });
    // Known built-in roles are recognised by their id (it is the template id): no gap.
    const known = tenantWith(bare(alice, "62e90394-69f5-4237-9190-012177145e10"));
    expect(normalizeEntra("entra", known).gaps).toEqual([]);
    const unknown = normalizeEntra("entra", tenantWith(bare(alice, resetDesk), assign(frank, "user", { ...keepers, rolePermissions: undefined })));
    expect(unknown.gaps).toEqual([
      {
        step: "roleAssignments",
        message:
          `2 role(s) held in the role assignments come without their definition (${resetDesk}; ${secretKeepers}): whether they are custom roles with privileged or password reset ` +
          "permissions is unknown; export GET /v1.0/roleManagement/directory/roleAssignments with $expand=principal,roleDefinition",
        affects: ["accounts.privileged", "resetPaths"],
      },
    ]);
  });

  it("from an export without the definitions, the source is partial and the controls reading privilege are error, never pass", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-entra-custom-role-"));
    const demo = new URL("../../../examples/demo/entra", import.meta.url).pathname;
    cpSync(demo, join(dir, "entra"), { recursive: true });
    const file = join(dir, "entra", "roleAssignments.json");
    const body = JSON.parse(readFileSync(file, "utf8")) as { value: Record<string, unknown>[] };
    const holder = body.value[0].principal as Record<string, unknown>;
    body.value.push({ id: "ra-custom", principalId: holder.id, roleDefinitionId: resetDesk, directoryScopeId: "/", principal: holder });
    writeFileSync(file, JSON.stringify(body));
    const part = await entraCollector.collect({ source: { id: "cloud", kind: "entra", dir: "entra" }, configDir: dir, env: {}, progress: { step() {}, tick() {} }, log() {} });
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.find((e) => e.step === "roleAssignments")?.affects).toEqual(["accounts.privileged", "resetPaths"]);
    const { snapshot } = assembleSnapshot([part], { generator: { name: "credgov", version: "test" } });
    const findings = (await evaluateSnapshot(snapshot, { catalog: loadCatalog() })).findings;
    for (const control of ["CG-RESET-002", "CG-RESET-003"]) {
      expect(findings.some((f) => f.controlId === control && f.status === "error"), control).toBe(true);
      expect(findings.filter((f) => f.controlId === control && f.status === "pass"), control).toEqual([]);
    }
  }, 120_000);
});
