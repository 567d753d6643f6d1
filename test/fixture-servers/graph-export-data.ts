// Seeds the Graph fixture with the tenant of an export folder (test/fixtures/entra): the live
// collector then reads the same tenant the file transport reads, so their snapshots must agree.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { arrayCollection, type Collection, type GraphTenantData } from "./graph-server.ts";

type Json = Record<string, unknown>;

function items(dir: string, file: string): Json[] {
  const body = JSON.parse(readFileSync(join(dir, file), "utf8")) as Json | Json[];
  const pages = Array.isArray(body) ? body : [body];
  return pages.flatMap((page) => (Array.isArray(page.value) ? (page.value as Json[]) : [page]));
}

function entity(dir: string, file: string): Json {
  const { ["@odata.context"]: _context, ...rest } = JSON.parse(readFileSync(join(dir, file), "utf8")) as Json;
  return rest;
}

export function tenantFromExports(dir: string): GraphTenantData {
  return {
    users: arrayCollection(items(dir, "users.json")),
    domains: arrayCollection(items(dir, "domains.json")),
    authorizationPolicy: entity(dir, "authorizationPolicy.json"),
    authenticationMethodsPolicy: entity(dir, "authenticationMethodsPolicy.json"),
    temporaryAccessPass: entity(dir, "temporaryAccessPass.json"),
    userRegistrationDetails: arrayCollection(items(dir, "userRegistrationDetails.json")),
    onPremisesSynchronization: arrayCollection(items(dir, "onPremisesSynchronization.json")),
    applications: arrayCollection(items(dir, "applications.json")),
    servicePrincipals: arrayCollection(items(dir, "servicePrincipals.json")),
    roleAssignments: arrayCollection(items(dir, "roleAssignments.json")),
    groupTransitiveMembers: membersIn(dir, ["temporaryAccessPassGroups", "roleAssignmentGroups"]),
    administrativeUnitMembers: membersIn(dir, ["administrativeUnitMembers"]),
  };
}

/**
 * Members by group or unit id, from one file each in the folders named: temporaryAccessPassGroups/
 * (the groups the pass configuration targets) and roleAssignmentGroups/ (the groups holding
 * roles) hold groups' transitive members, administrativeUnitMembers/ units' members.
 */
function membersIn(dir: string, folders: string[]): Record<string, Collection> {
  const members: Record<string, Collection> = {};
  for (const folder of folders.map((name) => join(dir, name))) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)) members[name.replace(/\.json$/, "")] = arrayCollection(items(folder, name));
  }
  return members;
}
