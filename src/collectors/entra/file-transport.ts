// Entra file transport: reads the export folder into the same parsed Graph objects a live
// transport would fetch, so both feed one normalizer. The tenant-wide files are read first;
// users and registration details, the two files that grow with the tenant, are streamed.
import type { CollectionProgress } from "../collector.ts";
import { ExportReader } from "../export-reader.ts";
import { entraExports as files } from "./export-files.ts";
import { graphErrorResponse } from "./graph-error-body.ts";
import { graphCollection, graphEntity, streamGraphCollection } from "./graph-body.ts";
import type { GraphUserRegistrationDetails } from "./graph-types.ts";
import * as shapes from "./graph-shapes.ts";
import { createEntraNormalizer, type EntraContext, type EntraNormalized } from "./normalize.ts";

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
    context.temporaryAccessPass = await reader.read(files.temporaryAccessPass, graphEntity(shapes.graphTemporaryAccessPassShape));
    // Only the fields the normalizer reads are kept per user.
    const details: GraphUserRegistrationDetails[] = [];
    const detailsRead = await reader.stream(files.userRegistrationDetails, streamGraphCollection(shapes.graphRegistrationDetailsShape), (d) =>
      details.push({ id: d.id, userType: d.userType, isAdmin: d.isAdmin, isSsprEnabled: d.isSsprEnabled, isSsprRegistered: d.isSsprRegistered, isSsprCapable: d.isSsprCapable }),
    );
    if (detailsRead) registrationDetails = details;
    context.onPremisesSynchronization = await reader.read(files.onPremisesSynchronization, onPremisesSynchronization);
    context.roleAssignments = await reader.read(files.roleAssignments, graphCollection(shapes.graphRoleAssignmentShape));
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
