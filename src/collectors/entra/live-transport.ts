// Entra live transport: Microsoft Graph read through the official client into the same parsed
// objects the file transport reads from exports, feeding the one normalizer. Each page is
// checked against the same shapes (graph-shapes.ts); users, applications and service
// principals go to the normalizer page by page.
import type { CollectionProgress } from "../collector.ts";
import type { Query, SourceError } from "../../snapshot/types.ts";
import { graphCollection, graphEntity } from "./graph-body.ts";
import * as shapes from "./graph-shapes.ts";
import type { GraphUserRegistrationDetails } from "./graph-types.ts";
import { EntraLiveCalls, entraCallOrder } from "./live-calls.ts";
import type { GraphCallError, GraphSession } from "./live-graph-session.ts";
import { createEntraNormalizer, type EntraContext, type EntraNormalized } from "./normalize.ts";
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
    const normalized = createEntraNormalizer(sourceId, {}).finish(false);
    return {
      normalized,
      queries: [],
      errors: [{ step: "sign-in", code: "auth", message: `sign-in to Microsoft Entra ID failed: ${failure.message}`, affects: [] }],
      signedIn: false,
    };
  }
  const calls = new EntraLiveCalls(session, progress);
  await calls.batchFirstPages(entraCallOrder);

  const context: EntraContext = {};
  // Collections are kept only when every page was read: a partial list is not the tenant's list.
  const collected = <T>(call: keyof typeof files, parse: (body: unknown, name: string) => { value: T[] }) => {
    const items: T[] = [];
    return {
      handler: { page: (body: unknown, index: number) => void items.push(...parse(body, where(call, index)).value) },
      items,
    };
  };
  const domains = collected("domains", graphCollection(shapes.graphDomainShape));
  const sync = collected("onPremisesSynchronization", graphCollection(shapes.graphOnPremisesSynchronizationShape));
  const roles = collected("roleAssignments", graphCollection(shapes.graphRoleAssignmentShape));
  const details: GraphUserRegistrationDetails[] = [];
  const parseDetails = graphCollection(shapes.graphRegistrationDetailsShape);

  const contextRead = Promise.all([
    calls.read("domains", domains.handler).then((r) => r.complete && (context.domains = domains.items)),
    calls
      .read("authorizationPolicy", { page: (body, i) => void (context.authorizationPolicy = graphEntity(shapes.graphAuthorizationPolicyShape)(body, where("authorizationPolicy", i)).value) })
      .then((r) => r.complete || delete context.authorizationPolicy),
    calls
      .read("authenticationMethodsPolicy", {
        page: (body, i) => void (context.authenticationMethodsPolicy = graphEntity(shapes.graphAuthenticationMethodsPolicyShape)(body, where("authenticationMethodsPolicy", i)).value),
      })
      .then((r) => r.complete || delete context.authenticationMethodsPolicy),
    calls
      .read("userRegistrationDetails", {
        // Only the fields the normalizer reads are kept per user, as the file transport does.
        page: (body, i) => {
          for (const d of parseDetails(body, where("userRegistrationDetails", i)).value) {
            details.push({ id: d.id, userType: d.userType, isAdmin: d.isAdmin, isSsprEnabled: d.isSsprEnabled, isSsprRegistered: d.isSsprRegistered, isSsprCapable: d.isSsprCapable });
          }
        },
      })
      .then((r) => r.complete && (context.userRegistrationDetails = details)),
    calls.read("onPremisesSynchronization", sync.handler).then((r) => r.complete && (context.onPremisesSynchronization = sync.items)),
    calls.read("roleAssignments", roles.handler).then((r) => r.complete && (context.roleAssignments = roles.items)),
  ]);

  // Users page while the tenant-wide calls finish; the normalizer starts once they have.
  const normalizerReady = contextRead.then(() => createEntraNormalizer(sourceId, context));
  let normalizer: ReturnType<typeof createEntraNormalizer> | undefined;
  const usersGate = normalizerReady.then((n) => void (normalizer = n));
  const parseUsers = graphCollection(shapes.graphUserShape);
  const usersRead = calls.read("users", { gate: usersGate, page: (body, i) => parseUsers(body, where("users", i)).value.forEach((u) => normalizer!.addUser(u)) });
  const usersDone = usersRead.then(() => undefined);
  const parseApps = graphCollection(shapes.graphApplicationShape);
  const parseSps = graphCollection(shapes.graphServicePrincipalShape);
  const appsRead = calls.read("applications", { gate: usersDone, page: (body, i) => parseApps(body, where("applications", i)).value.forEach((a) => normalizer!.addApplication(a)) });
  // Service principals after applications, in the file transport's order.
  const appsDone = appsRead.then(() => undefined);
  const spsRead = calls.read("servicePrincipals", { gate: appsDone, page: (body, i) => parseSps(body, where("servicePrincipals", i)).value.forEach((s) => normalizer!.addServicePrincipal(s)) });

  const [users] = await Promise.all([usersRead, appsRead, spsRead, contextRead]);
  await usersGate;
  return { normalized: normalizer!.finish(users.complete), queries: calls.orderedQueries(), errors: calls.errors, signedIn: true };
}

