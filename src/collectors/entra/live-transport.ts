// Entra live transport: Microsoft Graph read through the official client into the same parsed
// objects the file transport reads from exports, feeding the one normalizer. Each page is
// checked against the same shapes (graph-shapes.ts); users, registration details,
// applications and service principals go to the normalizer page by page as they arrive.
import type { CollectionProgress } from "../collector.ts";
import type { Query, SourceError } from "../../snapshot/types.ts";
import { graphCollection, graphEntity } from "./graph-body.ts";
import * as shapes from "./graph-shapes.ts";
import { EntraLiveCalls, entraCallFiles } from "./live-calls.ts";
import { readAdministrativeUnits, readRoleAssignmentGroups, readTemporaryAccessPassGroups, type MembersHandlerFor } from "./live-members.ts";
import { GraphCallError } from "./graph-call-error.ts";
import type { GraphSession } from "./live-graph-session.ts";
import { createEntraNormalizer, type EntraContext, type EntraNormalized, type EntraNormalizer } from "./normalize.ts";
import { entraExports as files } from "./export-files.ts";

export interface EntraLiveRead {
  normalized: EntraNormalized;
  queries: Query[];
  errors: SourceError[];
  /** False when not even sign-in succeeded (the source is an error, not partial). */
  signedIn: boolean;
}

const where = (call: keyof typeof files, index: number) => `${files[call].call} (page ${index + 1})`;

export async function collectEntraLive(sourceId: string, session: GraphSession, progress: CollectionProgress): Promise<EntraLiveRead> {
  try {
    await session.signIn();
  } catch (error) {
    const failure = error as GraphCallError;
    const normalized = createEntraNormalizer(sourceId, {}).finish({ users: false, userRegistrationDetails: false });
    return {
      normalized,
      queries: [],
      errors: [{ step: "sign-in", code: "auth", message: `sign-in to Microsoft Entra ID failed: ${failure.message}`, affects: [] }],
      signedIn: false,
    };
  }
  const calls = new EntraLiveCalls(session, progress);
  await calls.batchFirstPages(entraCallFiles);

  const context: EntraContext = {};
  // Collections are kept only when every page was read: a partial list is not the tenant's list.
  const collected = <T>(call: keyof typeof files, parse: (body: unknown, name: string) => { value: T[] }) => {
    const items: T[] = [];
    return {
      handler: { page: (body: unknown, index: number) => void items.push(...parse(body, where(call, index)).value) },
      items,
    };
  };
  const entity = <T>(call: "authorizationPolicy" | "authenticationMethodsPolicy" | "temporaryAccessPass", parse: (body: unknown, name: string) => { value: T }, keep: (value: T | undefined) => void) =>
    calls.read(call, { page: (body, i) => keep(parse(body, where(call, i)).value) }).then((r) => r.complete || keep(undefined));
  const domains = collected("domains", graphCollection(shapes.graphDomainShape));
  const sync = collected("onPremisesSynchronization", graphCollection(shapes.graphOnPremisesSynchronizationShape));
  const roles = collected("roleAssignments", graphCollection(shapes.graphRoleAssignmentShape));

  // What users are normalized against (admin and Temporary Access Pass reset paths): small calls
  // whose first (usually only) page came in the $batch. onPremisesSynchronization is read only by finish().
  const userContext = Promise.all([
    calls.read("domains", domains.handler).then((r) => r.complete && (context.domains = domains.items)),
    entity("authorizationPolicy", graphEntity(shapes.graphAuthorizationPolicyShape), (v) => (context.authorizationPolicy = v)),
    entity("temporaryAccessPass", graphEntity(shapes.graphTemporaryAccessPassShape), (v) => (context.temporaryAccessPass = v)).then(async () => {
      // Whom a pass reaches: the members of the groups the configuration targets.
      context.temporaryAccessPassGroupMembers = await readMembers((handlerFor) => readTemporaryAccessPassGroups(calls, context.temporaryAccessPass, handlerFor));
    }),
    calls.read("roleAssignments", roles.handler).then(async (r) => {
      if (!r.complete) return;
      context.roleAssignments = roles.items;
      // Who holds the roles assigned to groups: the groups' members; whom the roles scoped to
      // administrative units reach: the units' members.
      [context.roleAssignmentGroupMembers, context.administrativeUnitMembers] = await Promise.all([
        readMembers((handlerFor) => readRoleAssignmentGroups(calls, context.roleAssignments, handlerFor)),
        readMembers((handlerFor) => readAdministrativeUnits(calls, context.roleAssignments, handlerFor)),
      ]);
    }),
  ]);
  const laterContext = Promise.all([
    entity("authenticationMethodsPolicy", graphEntity(shapes.graphAuthenticationMethodsPolicyShape), (v) => (context.authenticationMethodsPolicy = v)),
    calls.read("onPremisesSynchronization", sync.handler).then((r) => r.complete && (context.onPremisesSynchronization = sync.items)),
  ]);

  // Users, their registration details, applications and service principals page side by side
  // and are normalized as they come: details join their user, and owners are matched to users,
  // in the normalizer, which keeps the file transport's order whatever the arrival order.
  let normalizer: EntraNormalizer | undefined;
  const gate = userContext.then(() => void (normalizer = createEntraNormalizer(sourceId, context)));
  const parseDetails = graphCollection(shapes.graphRegistrationDetailsShape);
  const detailsRead = calls.read("userRegistrationDetails", { gate, page: (body, i) => parseDetails(body, where("userRegistrationDetails", i)).value.forEach((d) => normalizer!.addRegistrationDetails(d)) });
  // Graph lists each object once; one listed again (the collection changed while it was paged)
  // fails the call at that object instead of giving two accounts one id.
  const parseUsers = graphCollection(shapes.graphUserShape);
  const usersRead = calls.read("users", { gate, page: (body, i) => parseUsers(body, where("users", i)).value.forEach((u) => {
    once("users", u.id, (id) => normalizer!.hasUser(id));
    normalizer!.addUser(u);
  }) });
  const parseApps = graphCollection(shapes.graphApplicationShape);
  const appSeen = seenIn(new Set<string>());
  const appsRead = calls.read("applications", { gate, page: (body, i) => parseApps(body, where("applications", i)).value.forEach((a) => {
    once("applications", a.id, appSeen);
    normalizer!.addApplication(a);
  }) });
  const parseSps = graphCollection(shapes.graphServicePrincipalShape);
  const spSeen = seenIn(new Set<string>());
  const spsRead = calls.read("servicePrincipals", { gate, page: (body, i) => parseSps(body, where("servicePrincipals", i)).value.forEach((s) => {
    once("servicePrincipals", s.id, spSeen);
    normalizer!.addServicePrincipal(s);
  }) });

  const [users, details] = await Promise.all([usersRead, detailsRead, appsRead, spsRead, laterContext]);
  await gate;
  return { normalized: normalizer!.finish({ users: users.complete, userRegistrationDetails: details.complete }), queries: calls.orderedQueries(), errors: calls.errors, signedIn: true };
}

/** The member ids of the groups or units `read` reads, for those read in full. */
async function readMembers(read: (handlerFor: MembersHandlerFor) => Promise<string[]>): Promise<Map<string, ReadonlySet<string>>> {
  const parseMembers = graphCollection(shapes.graphDirectoryObjectShape);
  const members = new Map<string, Set<string>>();
  const complete = await read((id, file) => {
    const ids = new Set<string>();
    members.set(id, ids);
    return { page: (body, i) => parseMembers(body, `${file.call} (page ${i + 1})`).value.forEach((o) => ids.add(o.id)) };
  });
  return new Map(complete.map((id) => [id, members.get(id)!]));
}

/** Throws when `seen` already knows the id: the call then fails at that object. */
function once(call: string, id: string, seen: (id: string) => boolean): void {
  if (seen(id)) throw new GraphCallError(200, "invalid-response", `the ${call} collection listed object ${id} twice (it changed while it was paged); the rest of the collection was not read`);
}

/** A lookup that remembers each id it is asked about. */
function seenIn(ids: Set<string>): (id: string) => boolean {
  return (id) => ids.has(id) || (ids.add(id), false);
}
