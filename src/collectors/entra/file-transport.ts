// Entra file transport: reads the export folder into the same parsed Graph objects a live
// transport would fetch, so both feed one normalizer.
import type { CollectionProgress } from "../collector.ts";
import { ExportReader } from "../export-reader.ts";
import { entraExports as files } from "./export-files.ts";
import { graphCollection, graphEntity } from "./graph-body.ts";
import type {
  EntraGraphData,
  GraphApplication,
  GraphDomain,
  GraphRoleAssignment,
  GraphServicePrincipal,
  GraphUser,
  GraphUserRegistrationDetails,
} from "./graph-types.ts";

export interface EntraFileRead {
  data: EntraGraphData;
  reader: ExportReader;
  folderFound: boolean;
}

export async function readEntraExports(dir: string, progress: CollectionProgress): Promise<EntraFileRead> {
  const reader = new ExportReader(dir, progress);
  if (!(await reader.folderExists())) return { data: {}, reader, folderFound: false };
  const data: EntraGraphData = {
    users: await reader.read(files.users, graphCollection<GraphUser>),
    domains: await reader.read(files.domains, graphCollection<GraphDomain>),
    authorizationPolicy: await reader.read(files.authorizationPolicy, graphEntity),
    authenticationMethodsPolicy: await reader.read(files.authenticationMethodsPolicy, graphEntity),
    userRegistrationDetails: await reader.read(files.userRegistrationDetails, graphCollection<GraphUserRegistrationDetails>),
    onPremisesSynchronization: await reader.read(files.onPremisesSynchronization, onPremisesSynchronization),
    applications: await reader.read(files.applications, graphCollection<GraphApplication>),
    servicePrincipals: await reader.read(files.servicePrincipals, graphCollection<GraphServicePrincipal>),
    roleAssignments: await reader.read(files.roleAssignments, graphCollection<GraphRoleAssignment>),
  };
  return { data, reader, folderFound: true };
}

/** The call returns a collection (one object per tenant); accept the bare entity too. */
function onPremisesSynchronization(body: unknown, displayName: string) {
  if (body !== null && typeof body === "object" && !Array.isArray(body) && !("value" in body)) {
    const entity = graphEntity(body, displayName);
    return { ...entity, value: [entity.value] };
  }
  return graphCollection(body, displayName);
}
