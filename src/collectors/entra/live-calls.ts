// The live Graph calls of an Entra collection: exactly the requests docs/exports.md lists (the
// `call` of each export file), their first pages fetched in one JSON $batch, then every call
// paged through @odata.nextLink concurrently. Each call's pages reach its handler in order,
// once the handler's gate opens (the normalizer needs the tenant-wide facts first). Each call
// is recorded as a query;
// a failed call as a source error naming the call, the HTTP status and, for a 403, the
// application permission it needs.
import { UserInputError } from "../../errors.ts";
import type { Query, SourceError } from "../../snapshot/types.ts";
import type { CollectionProgress } from "../collector.ts";
import type { ExportFile } from "../export-reader.ts";
import { administrativeUnitMembersStep, entraExports, roleAssignmentGroupsStep, temporaryAccessPassGroupsStep } from "./export-files.ts";
import { GraphCallError, type GraphBody, type GraphSession } from "./live-graph-session.ts";
import { ReceivedGraphPage } from "./received-page.ts";

export type EntraCall = keyof typeof entraExports;

/** Least-privileged Microsoft Graph application permission of each call (docs/entra-live.md). */
export const entraCallPermissions: Record<EntraCall, string> = {
  users: "User.Read.All",
  domains: "Domain.Read.All",
  authorizationPolicy: "Policy.Read.All",
  authenticationMethodsPolicy: "Policy.Read.AuthenticationMethod",
  temporaryAccessPass: "Policy.Read.AuthenticationMethod",
  userRegistrationDetails: "AuditLog.Read.All",
  onPremisesSynchronization: "OnPremDirectorySynchronization.Read.All",
  applications: "Application.Read.All",
  servicePrincipals: "Application.Read.All",
  roleAssignments: "RoleManagement.Read.Directory",
};

/** Least-privileged permission of a group's transitiveMembers (Microsoft's List group transitive members reference). */
export const groupMembersPermission = "GroupMember.Read.All";

/** Least-privileged permission of an administrative unit's members (Microsoft's List members of an administrativeUnit reference). */
export const administrativeUnitMembersPermission = "AdministrativeUnit.Read.All";

/** Calls in the order the file transport reads them; queries are reported in this order. */
export const entraCallOrder: readonly EntraCall[] = [
  "domains",
  "authorizationPolicy",
  "authenticationMethodsPolicy",
  "temporaryAccessPass",
  "userRegistrationDetails",
  "onPremisesSynchronization",
  "roleAssignments",
  "users",
  "applications",
  "servicePrincipals",
];

/** Calls that return one entity, not a collection. */
export const entraEntityCalls = new Set<EntraCall>(["authorizationPolicy", "authenticationMethodsPolicy", "temporaryAccessPass"]);

/** The export files of the calls every collection makes, in the documented order. */
export const entraCallFiles: readonly ExportFile[] = entraCallOrder.map((call) => entraExports[call]);

/** The request of an export file's documented call, relative to /v1.0. */
export function entraRequestPath(file: ExportFile): string {
  return file.call.replace(/^GET \/v1\.0/, "");
}

export interface CallHandler {
  /** Pages are handed over only after this resolves (they are fetched meanwhile). */
  gate?: Promise<void>;
  page(body: GraphBody, index: number): void | Promise<void>;
}

/**
 * Pages of one call fetched but not yet handed over, at most: the next page is requested while
 * the current one is handled, but a call whose gate is closed (every call waits for the
 * tenant-wide facts) does not read its whole collection ahead. Parsed pages held for seconds were copied by every young
 * generation collection they survived; the server keeps them for us instead.
 */
export const pagesAhead = 2;

/**
 * Resolves in the event loop's next turn. A page's delivery (parse and normalize, tens of
 * milliseconds for 999 users) waits for it, so the request for the next page, which the loop
 * below starts right after handing the page over and which reaches its socket through a chain of
 * promise callbacks, is on the wire before the page is worked on: the server prepares it
 * meanwhile. Run as one more promise callback instead, every page handed over at once (the first
 * pages of the $batch) was normalized before any next page was asked for.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface CallOutcome {
  /** Every page was read. */
  complete: boolean;
}

export class EntraLiveCalls {
  readonly queries: Query[] = [];
  readonly errors: SourceError[] = [];
  readonly #session: GraphSession;
  readonly #progress: CollectionProgress;
  /** First pages from a $batch, by the call they answer. */
  #firstPages = new Map<string, GraphBody | GraphCallError>();
  /** The order each query's call was started in: several calls share a step (one per targeted group). */
  #started = new Map<Query, number>();
  #starts = 0;

  constructor(session: GraphSession, progress: CollectionProgress) {
    this.#session = session;
    this.#progress = progress;
  }

  /** One $batch (at most 20 requests) for the first page of every call: one round trip instead of ten. */
  async batchFirstPages(files: readonly ExportFile[]): Promise<void> {
    for (let start = 0; start < files.length; start += 20) {
      const chunk = files.slice(start, start + 20);
      let reply: GraphBody | undefined;
      try {
        reply = await this.#session.post("/$batch", { requests: chunk.map((file, index) => ({ id: String(index), method: "GET", url: entraRequestPath(file) })) });
      } catch {
        // The batch endpoint failed as a whole: each call is sent on its own instead.
        continue;
      }
      const responses = Array.isArray(reply?.responses) ? (reply.responses as { id?: string; status?: number; headers?: Record<string, string>; body?: GraphBody }[]) : [];
      for (const response of responses) {
        const call = chunk[Number(response.id)]?.call;
        if (call === undefined || typeof response.status !== "number") continue;
        if (response.status >= 200 && response.status < 300 && response.body && typeof response.body === "object") {
          this.#firstPages.set(call, response.body);
        } else if (![429, 503, 504].includes(response.status)) {
          // Throttled or unavailable parts are sent again on their own (with the client's retries);
          // a refusal (403, 404, 400) is the call's answer.
          const error = (response.body?.error ?? {}) as { code?: string; message?: string };
          this.#firstPages.set(call, new GraphCallError(response.status, error.code, this.#session.scrub(String(error.message ?? "request failed"))));
        }
      }
    }
  }

  /** Reads every page of one call into `handler`. Failures are recorded, not thrown. */
  read(call: EntraCall, handler: CallHandler): Promise<CallOutcome> {
    return this.readFile(entraExports[call], entraCallPermissions[call], handler);
  }

  /** Reads every page of the call an export file stands for; a 403 names `permission`. */
  async readFile(file: ExportFile, permission: string, handler: CallHandler): Promise<CallOutcome> {
    const order = this.#starts++;
    const started = performance.now();
    this.#progress.step(file.step);
    // Pages handed over, and their items: what a failure is reported after.
    let pages = 0;
    let results = 0;
    let delivered = handler.gate ?? Promise.resolve();
    // Delivery of each page still in the window, oldest first.
    const ahead: Promise<void>[] = [];
    let failure: GraphCallError | undefined;
    const deliver = (received: GraphBody | ReceivedGraphPage, index: number) => {
      delivered = delivered.then(nextTurn).then(async () => {
        // A page kept as bytes is parsed here, just before it is normalized.
        const page = received instanceof ReceivedGraphPage ? received.parse() : received;
        const count = Array.isArray(page.value) ? page.value.length : 1;
        try {
          await handler.page(page, index);
        } catch (error) {
          // A page the server answered but that does not read as Graph documents it (a wrong
          // type, an object listed twice) is a failed call, as a malformed body is: the source is
          // partial and the controls that need the call report error, never a reading of half a page.
          if (error instanceof UserInputError) throw new GraphCallError(200, "invalid-response", error.format());
          throw error;
        }
        pages++;
        results += count;
        this.#progress.tick(count);
      });
      // Observed when awaited below; until then a page that fails while the next is fetched
      // must not count as an unhandled rejection (which ends the process).
      delivered.catch(() => undefined);
      ahead.push(delivered);
    };
    try {
      const first = this.#firstPages.get(file.call);
      this.#firstPages.delete(file.call);
      if (first instanceof GraphCallError) throw first;
      let received: GraphBody | ReceivedGraphPage | undefined = first ?? (await this.#session.getPage(entraRequestPath(file)));
      for (let index = 0; received !== undefined; index++) {
        let next: unknown;
        if (received instanceof ReceivedGraphPage && received.nextLinkAhead === undefined) {
          // The head does not give the next link (the last page, or one written after
          // `value`): only the parsed body tells, so it is parsed now.
          received = received.parse();
        }
        if (received instanceof ReceivedGraphPage) next = received.nextLinkAhead;
        else next = received["@odata.nextLink"];
        deliver(received, index);
        if (typeof next !== "string") break;
        if (ahead.length >= pagesAhead) await ahead.shift();
        received = await this.#session.getPage(next);
      }
    } catch (error) {
      // A page its handler rejected: the rest of the chain fails with it.
      if (!(error instanceof GraphCallError)) throw error;
      failure = error;
    }
    try {
      await delivered;
    } catch (error) {
      // A page that failed to parse comes before any page whose request failed.
      if (!(error instanceof GraphCallError)) throw error;
      failure = error;
    }
    const status = failure === undefined ? "ok" : pages > 0 ? "partial" : "error";
    const query: Query = { step: file.step, call: file.call, resultCount: results, pages, status, durationMs: Math.round(performance.now() - started) };
    this.queries.push(query);
    this.#started.set(query, order);
    if (failure) this.errors.push(callError(permission, file, failure, pages, results));
    return { complete: failure === undefined };
  }

  /**
   * Queries in the documented order, whatever order the calls finished in: a group's or unit's
   * members right after the call that names it (where the file transport reads them): the
   * Temporary Access Pass configuration, the role assignments (groups, then units). Each kind in
   * the order asked for.
   */
  orderedQueries(): Query[] {
    const rank = (q: Query) => {
      const [step, after] = memberSteps[q.step] ?? [q.step, 0];
      return entraCallOrder.findIndex((c) => entraExports[c].step === step) + after;
    };
    return [...this.queries].sort((a, b) => rank(a) - rank(b) || this.#started.get(a)! - this.#started.get(b)!);
  }
}

/** The step of each members call, to the step of the call that names its groups or units and its place after it. */
const memberSteps: Record<string, [string, number]> = {
  [temporaryAccessPassGroupsStep]: [entraExports.temporaryAccessPass.step, 0.5],
  [roleAssignmentGroupsStep]: [entraExports.roleAssignments.step, 0.25],
  [administrativeUnitMembersStep]: [entraExports.roleAssignments.step, 0.5],
};

function callError(permission: string, file: ExportFile, failure: GraphCallError, pages: number, results: number): SourceError {
  const where = pages > 0 ? ` on page ${pages + 1} (after ${results} results)` : "";
  const hint =
    failure.status === 403
      ? `; the application needs the Microsoft Graph application permission ${permission} (admin consent granted)`
      : failure.status === 401
        ? "; the access token was rejected"
        : "";
  return {
    step: file.step,
    call: file.call,
    // A refusal by its status; no response, or a 200 whose body could not be read, by what went wrong.
    code: failure.status >= 300 ? `http-${failure.status}` : (failure.code ?? "network"),
    message: `${file.call} failed${where}: ${failure.describe()}${hint}; ${file.affects.join(", ")} left unknown`,
    affects: file.affects,
  };
}
