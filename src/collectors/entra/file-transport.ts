// Entra file transport: reads the export folder into the same parsed Graph objects a live
// transport would fetch, so both feed one normalizer. The tenant-wide files are read first;
// users and registration details, the two files that grow with the tenant, are streamed.
import { join } from "node:path";
import type { CollectionProgress } from "../collector.ts";
import { displayPath, ExportReader } from "../export-reader.ts";
import { administrativeUnitMembersExport, entraExports as files, roleAssignmentGroupExport, temporaryAccessPassGroupExport } from "./export-files.ts";
import { graphErrorResponse } from "./graph-error-body.ts";
import { graphCollection, graphEntity, streamGraphCollection } from "./graph-body.ts";
import type { GraphAuthenticationMethodsPolicy, GraphTemporaryAccessPassConfiguration, GraphUserRegistrationDetails } from "./graph-types.ts";
import * as shapes from "./graph-shapes.ts";
import { createEntraNormalizer, type EntraContext, type EntraNormalized } from "./normalize.ts";
import { temporaryAccessPassGroups } from "./temporary-access-pass.ts";
import { roleAssignmentGroups } from "./role-assignment-groups.ts";
import { resetScopedUnits } from "./administrative-unit-scopes.ts";
import type { ExportFile } from "../export-reader.ts";

export interface EntraFileRead {
  normalized: EntraNormalized;
  reader: ExportReader;
  folderFound: boolean;
}

export async function collectEntraExports(sourceId: string, dir: string, progress: CollectionProgress): Promise<EntraFileRead> {
  const reader = new ExportReader(dir, progress, graphErrorResponse);
  const folder = await reader.folderState();
  const folderFound = folder === "folder";
  if (folder !== "folder") reader.errors.push(reader.folderError(folder));
  const context: EntraContext = {};
  let registrationDetails: GraphUserRegistrationDetails[] | undefined;
  if (folderFound) {
    context.domains = await reader.read(files.domains, graphCollection(shapes.graphDomainShape));
    context.authorizationPolicy = await reader.read(files.authorizationPolicy, graphEntity(shapes.graphAuthorizationPolicyShape));
    context.authenticationMethodsPolicy = await reader.read(files.authenticationMethodsPolicy, graphEntity(shapes.graphAuthenticationMethodsPolicyShape));
    context.temporaryAccessPass = await temporaryAccessPass(reader, context.authenticationMethodsPolicy);
    context.temporaryAccessPassGroupMembers = await memberIds(reader, temporaryAccessPassGroups(context.temporaryAccessPass), temporaryAccessPassGroupExport);
    // Only the fields the normalizer reads are kept per user.
    const details: GraphUserRegistrationDetails[] = [];
    const detailsRead = await reader.stream(files.userRegistrationDetails, streamGraphCollection(shapes.graphRegistrationDetailsShape), (d) =>
      details.push({ id: d.id, userType: d.userType, isAdmin: d.isAdmin, isSsprEnabled: d.isSsprEnabled, isSsprRegistered: d.isSsprRegistered, isSsprCapable: d.isSsprCapable }),
    );
    if (detailsRead) registrationDetails = details;
    context.onPremisesSynchronization = await reader.read(files.onPremisesSynchronization, onPremisesSynchronization);
    context.roleAssignments = await reader.read(files.roleAssignments, graphCollection(shapes.graphRoleAssignmentShape));
    context.roleAssignmentGroupMembers = await memberIds(reader, roleAssignmentGroups(context.roleAssignments), roleAssignmentGroupExport);
    context.administrativeUnitMembers = await memberIds(reader, resetScopedUnits(context.roleAssignments), administrativeUnitMembersExport);
  }
  const normalizer = createEntraNormalizer(sourceId, context);
  for (const details of registrationDetails ?? []) normalizer.addRegistrationDetails(details);
  let usersRead = false;
  if (folderFound) {
    usersRead = await reader.stream(files.users, streamGraphCollection(shapes.graphUserShape, (u) => normalizer.hasUser(u.id)), (u) => normalizer.addUser(u));
    for (const app of (await reader.read(files.applications, graphCollection(shapes.graphApplicationShape))) ?? []) normalizer.addApplication(app);
    for (const sp of (await reader.read(files.servicePrincipals, graphCollection(shapes.graphServicePrincipalShape))) ?? []) normalizer.addServicePrincipal(sp);
  }
  const normalized = normalizer.finish({ users: usersRead, userRegistrationDetails: registrationDetails !== undefined });
  if (normalized.usersGap !== undefined) reader.recordIncomplete(files.users, normalized.usersGap);
  return { normalized, reader, folderFound };
}

/** The call returns a collection (one object per tenant); accept the bare entity too. */
function onPremisesSynchronization(body: unknown, displayName: string) {
  if (body !== null && typeof body === "object" && !Array.isArray(body) && !("value" in body)) {
    const entity = graphEntity(shapes.graphOnPremisesSynchronizationShape)(body, displayName);
    return { ...entity, value: [entity.value] };
  }
  return graphCollection(shapes.graphOnPremisesSynchronizationShape)(body, displayName);
}

/**
 * The Temporary Access Pass configuration: temporaryAccessPass.json, else the same entity inside
 * authenticationMethodsPolicy.json, whose GET returns every method's configuration (an export
 * made before temporaryAccessPass.json existed has it there). Neither is a gap.
 */
async function temporaryAccessPass(reader: ExportReader, policy: GraphAuthenticationMethodsPolicy | undefined): Promise<GraphTemporaryAccessPassConfiguration | undefined> {
  const file = files.temporaryAccessPass;
  const own = await reader.read(file, graphEntity(shapes.graphTemporaryAccessPassShape), { optional: true });
  // Present but unusable (a saved error response) is recorded by read() as a failed call.
  if (own !== undefined || reader.queries.some((q) => q.step === file.step)) return own;
  const configurations = policy?.authenticationMethodConfigurations ?? [];
  const index = configurations.findIndex((c) => c.id?.toLowerCase() === "temporaryaccesspass");
  if (index < 0) {
    reader.recordMissing(file);
    return undefined;
  }
  const where = { file: displayPath(join(reader.dir, files.authenticationMethodsPolicy.path)), path: `authenticationMethodConfigurations[${index}]` };
  return shapes.graphTemporaryAccessPassShape.check(configurations[index], where);
}

/**
 * The member ids of each group or administrative unit, one file each (temporaryAccessPassGroups/
 * for the groups the Temporary Access Pass configuration targets, roleAssignmentGroups/ for the
 * groups holding directory roles, administrativeUnitMembers/ for the units reset-capable roles
 * are scoped to); one whose file is missing or unreadable is left out, and is a gap in what its
 * file affects.
 */
async function memberIds(reader: ExportReader, containers: readonly string[], fileOf: (id: string) => ExportFile): Promise<Map<string, ReadonlySet<string>>> {
  const members = new Map<string, ReadonlySet<string>>();
  for (const id of containers) {
    const objects = await reader.read(fileOf(id), graphCollection(shapes.graphDirectoryObjectShape));
    if (objects !== undefined) members.set(id, new Set(objects.map((o) => o.id)));
  }
  return members;
}
