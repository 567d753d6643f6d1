// A Microsoft Graph v1.0 + Microsoft identity platform fixture, served over HTTPS with a test
// CA, following the official documentation closely enough for the real @azure/identity
// credentials and @microsoft/microsoft-graph-client to talk to it unchanged:
// - OAuth 2.0 client credentials at /{tenant}/oauth2/v2.0/token: client secrets, certificate
//   assertions (JWT signed with the app certificate's key, checked against the registered public
//   certificate by x5t / x5t#S256), federated (workload identity) assertions checked against the
//   issuer key, subject and audience of a federated identity credential; OpenID configuration.
// - App Service managed identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER, api 2019-08-01).
// - Graph collections with $select, $expand, $top (1..999, default 100), $skiptoken paging with an
//   absolute @odata.nextLink; singletons (the authorization and authentication methods policies,
//   the Temporary Access Pass method configuration); a group's transitiveMembers; an administrative
//   unit's members; JSON $batch (at most 20 requests); application
//   permissions per call (403 Authorization_RequestDenied when the token lacks them);
//   addPassword / removePassword on applications.
// - Faults: 429/503 with Retry-After, 500, a connection cut mid-body, a silent server, a 200
//   whose body is not JSON, a page naming two different @odata.nextLink.
import { createHash, createPublicKey, createVerify, randomBytes, randomUUID, verify as verifySignature, X509Certificate, constants as cryptoConstants } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestPki } from "./test-pki.ts";

type Json = Record<string, unknown>;

/** A collection the server pages through; `at(i)` lets a benchmark generate 100,000 users lazily. */
export interface Collection {
  size: number;
  at(index: number): Json;
}

export const arrayCollection = (items: Json[]): Collection => ({ size: items.length, at: (i) => items[i] });

export interface GraphTenantData {
  users: Collection;
  domains: Collection;
  authorizationPolicy: Json;
  authenticationMethodsPolicy: Json;
  /** The Temporary Access Pass method configuration (its id, state, targets and lifetimes). */
  temporaryAccessPass: Json;
  userRegistrationDetails: Collection;
  onPremisesSynchronization: Collection;
  applications: Collection;
  servicePrincipals: Collection;
  roleAssignments: Collection;
  /** Each group's transitive members (users, groups, devices as Graph lists them), by group id. */
  groupTransitiveMembers?: Record<string, Collection>;
  /** Each administrative unit's members (users, groups, devices), by unit id. */
  administrativeUnitMembers?: Record<string, Collection>;
}

/** An app registration that may sign in (client credentials), with the application permissions granted to it. */
export interface RegisteredClient {
  appId: string;
  /** Object id of its application object (addPassword targets it); optional for clients outside `applications`. */
  objectId?: string;
  secrets?: { keyId: string; secretText: string; displayName?: string; endDateTime?: string }[];
  certificates?: string[];
  federated?: { issuer: string; subject: string; audience: string; publicKeyPem: string };
  permissions: string[];
}

export type FaultKind = "throttle" | "unavailable" | "server-error" | "cut" | "silent" | "unauthorized" | "malformed" | "repeated-next-link" | "repeated-item";

export interface Fault {
  /** Matches the request path after /v1.0 (e.g. "/users", "/$batch"), or a token / MSI path. */
  path: string | RegExp;
  kind: FaultKind;
  /** How many matching requests fail (default: every one). */
  times?: number;
  /** Only pages after the first (a $skiptoken present): a failure mid-paging. */
  laterPagesOnly?: boolean;
  /** Retry-After seconds for throttle / unavailable (default 1). */
  retryAfter?: number;
}

export interface GraphServerOptions {
  pki: TestPki;
  tenantId: string;
  data: GraphTenantData;
  clients: RegisteredClient[];
  managedIdentity?: { header: string; clientId: string; permissions: string[] };
  faults?: Fault[];
  /** Graph may return fewer items than $top asks for; a small cap makes a small tenant page. */
  maxPageSize?: number;
  /**
   * Writes @odata.nextLink after `value` (OData's JSON format allows either place; Graph writes
   * it before): a client must not rely on finding it first.
   */
  nextLinkAfterValue?: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  /** True for requests inside a $batch. */
  batched?: boolean;
}

/** Least-privileged application permission of each call, then the broader ones Graph also accepts. */
const permissionsFor: [RegExp, string, string[]][] = [
  [/^\/users$/, "GET", ["User.Read.All", "Directory.Read.All"]],
  [/^\/domains$/, "GET", ["Domain.Read.All", "Directory.Read.All"]],
  [/^\/policies\/authorizationPolicy$/, "GET", ["Policy.Read.All"]],
  // The policy's Get reference lists Policy.Read.AuthenticationMethod as least privileged, with
  // Policy.ReadWrite.AuthenticationMethod and Policy.Read.All as higher ones.
  [/^\/policies\/authenticationMethodsPolicy$/, "GET", ["Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod", "Policy.Read.All"]],
  // A method configuration is read with Policy.Read.AuthenticationMethod (or its ReadWrite); the
  // id in the path is matched without regard to case, as Graph does.
  [/^\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/temporaryAccessPass$/i, "GET", ["Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod"]],
  [/^\/reports\/authenticationMethods\/userRegistrationDetails$/, "GET", ["AuditLog.Read.All"]],
  [/^\/directory\/onPremisesSynchronization$/, "GET", ["OnPremDirectorySynchronization.Read.All"]],
  [/^\/applications(\/[^/]+)?$/, "GET", ["Application.Read.All", "Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.Read.All"]],
  [/^\/servicePrincipals$/, "GET", ["Application.Read.All", "Directory.Read.All"]],
  [/^\/roleManagement\/directory\/roleAssignments$/, "GET", ["RoleManagement.Read.Directory", "Directory.Read.All"]],
  [/^\/groups\/[^/]+\/transitiveMembers$/, "GET", ["GroupMember.Read.All", "Directory.Read.All", "Group.Read.All", "Group.ReadWrite.All", "GroupMember.ReadWrite.All"]],
  [/^\/directory\/administrativeUnits\/[^/]+\/members$/, "GET", ["AdministrativeUnit.Read.All", "AdministrativeUnit.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"]],
  [/^\/applications\/[^/]+\/(addPassword|removePassword)$/, "POST", ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"]],
];

const expandable = new Set(["owners", "principal", "roleDefinition"]);

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export class GraphFixtureServer {
  readonly requests: RequestRecord[] = [];
  readonly options: GraphServerOptions;
  #server: Server;
  #tokens = new Map<string, { appId: string; permissions: string[]; expires: number }>();
  #faults: (Fault & { used: number })[];
  #pending = new Set<ServerResponse>();
  url = "";

  constructor(options: GraphServerOptions) {
    this.options = options;
    this.#faults = (options.faults ?? []).map((f) => ({ ...f, used: 0 }));
    this.#server = createServer({ cert: options.pki.serverCertPem, key: options.pki.serverKeyPem }, (req, res) => void this.#serve(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.#pending) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Replaces the fault list (tests run several scenarios against one server). */
  setFaults(faults: Fault[]): void {
    this.#faults = faults.map((f) => ({ ...f, used: 0 }));
  }

  /** Authority host and Graph endpoint, as a credgov source config names them. */
  get authorityHost(): string {
    return this.url;
  }

  /** The secret texts the server holds for an app (rotation tests inspect them). */
  client(appId: string): RegisteredClient | undefined {
    return this.options.clients.find((c) => c.appId === appId);
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const fault = this.#fault(url);
    const record = { method: req.method ?? "GET", path: url.pathname + url.search, status: 0 };
    this.requests.push(record);
    if (fault?.kind === "silent") {
      // Never answers; the client's timeout must fire.
      this.#pending.add(res);
      return;
    }
    let reply: Reply;
    const answered = fault?.kind === "cut" || fault?.kind === "malformed" || fault?.kind === "repeated-next-link" || fault?.kind === "repeated-item";
    if (fault && !answered) reply = faultReply(fault);
    else reply = this.#route(req.method ?? "GET", url, req.headers, raw);
    record.status = reply.status;
    if (fault?.kind === "repeated-item") {
      // The collection's first object again: on a later page, one listed on two pages.
      const first = new URL(url);
      first.searchParams.delete("$skiptoken");
      repeatFirstItem(reply, this.#route("GET", first, req.headers, ""));
    }
    let body = reply.body === undefined ? "" : JSON.stringify(reply.body);
    // A whole HTTP answer whose JSON stops short of its last character.
    if (fault?.kind === "malformed") body = body.slice(0, -1);
    // The page's link, then the member again with another value after `value` (JSON keeps the last).
    const link = (reply.body as Record<string, unknown> | undefined)?.["@odata.nextLink"];
    if (fault?.kind === "repeated-next-link" && typeof link === "string") body = `${body.slice(0, -1)},"@odata.nextLink":${JSON.stringify(`${link}&repeated=1`)}}`;
    res.writeHead(reply.status, { ...(body ? { "content-type": "application/json" } : {}), ...reply.headers });
    if (fault?.kind === "cut") {
      // Headers and part of the body, then the connection drops.
      res.write(body.slice(0, Math.max(1, body.length >> 1)));
      res.socket?.destroy();
      return;
    }
    res.end(body);
  }

  #fault(url: URL): Fault | undefined {
    const path = url.pathname.replace(/^\/v1\.0/, "");
    for (const fault of this.#faults) {
      const matches = typeof fault.path === "string" ? path === fault.path : fault.path.test(path);
      if (!matches || (fault.laterPagesOnly && !url.searchParams.has("$skiptoken"))) continue;
      if (fault.used >= (fault.times ?? Infinity)) continue;
      fault.used++;
      return fault;
    }
    return undefined;
  }

  #route(method: string, url: URL, headers: IncomingMessage["headers"], raw: string): Reply {
    const path = url.pathname;
    const tenant = this.options.tenantId;
    if (method === "GET" && path === `/${tenant}/v2.0/.well-known/openid-configuration`) return { status: 200, headers: {}, body: this.#openIdConfiguration() };
    if (method === "POST" && path === `/${tenant}/oauth2/v2.0/token`) return this.#token(raw);
    if (method === "GET" && path === "/msi/token") return this.#managedIdentityToken(url, headers);
    if (!path.startsWith("/v1.0/")) return graphError(404, "Request_ResourceNotFound", `Resource '${path}' does not exist.`);
    const auth = this.#authenticate(headers.authorization);
    if ("status" in auth) return auth;
    const resource = path.slice("/v1.0".length);
    if (method === "POST" && resource === "/$batch") return this.#batch(raw, auth.permissions);
    return this.#graph(method, resource, url.searchParams, raw, auth.permissions);
  }

  #openIdConfiguration(): Json {
    const base = `${this.url}/${this.options.tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${this.url}/${this.options.tenantId}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${this.url}/${this.options.tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.url}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat"],
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
    };
  }

  /** Client credentials grant (Microsoft identity platform v2.0). */
  #token(raw: string): Reply {
    const form = new URLSearchParams(raw);
    const oauthError = (status: number, error: string, description: string): Reply => ({
      status,
      headers: {},
      body: { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() },
    });
    if (form.get("grant_type") !== "client_credentials") return oauthError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
    const scope = form.get("scope") ?? "";
    if (!scope.split(" ").some((s) => s.endsWith("/.default"))) return oauthError(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
    const clientId = form.get("client_id") ?? "";
    const client = this.options.clients.find((c) => c.appId === clientId);
    if (!client) return oauthError(400, "unauthorized_client", `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${this.options.tenantId}'.`);
    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    let accepted = false;
    if (secret !== null) {
      accepted = (client.secrets ?? []).some((s) => s.secretText === secret && (!s.endDateTime || Date.parse(s.endDateTime) > Date.now()));
      if (!accepted) return oauthError(401, "invalid_client", `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    } else if (assertion !== null) {
      if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") return oauthError(400, "invalid_request", "AADSTS50027: Invalid client_assertion_type.");
      const problem = this.#checkAssertion(client, assertion);
      if (problem) return oauthError(401, "invalid_client", problem);
      accepted = true;
    }
    if (!accepted) return oauthError(401, "invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    return { status: 200, headers: {}, body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: this.#issue(client.appId, client.permissions) } };
  }

  #issue(appId: string, permissions: string[]): string {
    const token = randomBytes(24).toString("base64url");
    this.#tokens.set(token, { appId, permissions, expires: Date.now() + 3_599_000 });
    return token;
  }

  /** A certificate assertion (x5t / x5t#S256 header) or a federated identity token. */
  #checkAssertion(client: RegisteredClient, jwt: string): string | undefined {
    const parts = jwt.split(".");
    if (parts.length !== 3) return "AADSTS50027: JWT token is invalid or malformed.";
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as Json;
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Json;
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2], "base64url");
    const now = Date.now() / 1000;
    if (typeof claims.exp !== "number" || claims.exp < now) return "AADSTS700024: Client assertion is not within its valid time range.";
    const thumbprint = (header["x5t#S256"] ?? header.x5t) as string | undefined;
    if (thumbprint !== undefined) {
      const sha = header["x5t#S256"] !== undefined ? "sha256" : "sha1";
      const cert = (client.certificates ?? [])
        .map((pem) => new X509Certificate(pem))
        .find((c) => createHash(sha).update(c.raw).digest("base64url") === thumbprint);
      if (!cert) return `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}']`;
      if (!verifyJwtSignature(String(header.alg), cert.publicKey, signed, signature)) return "AADSTS700027: Client assertion contains an invalid signature.";
      if (claims.iss !== client.appId || claims.sub !== client.appId) return "AADSTS700023: Client assertion audience claim does not match Realm issuer.";
      const expectedAudience = `${this.url}/${this.options.tenantId}/oauth2/v2.0/token`;
      if (claims.aud !== expectedAudience) return `AADSTS700016: Client assertion audience '${String(claims.aud)}' is not the token endpoint '${expectedAudience}'.`;
      return undefined;
    }
    const federated = client.federated;
    if (!federated) return "AADSTS700213: No matching federated identity record found for presented assertion.";
    if (!verifyJwtSignature(String(header.alg), createPublicKey(federated.publicKeyPem), signed, signature)) return "AADSTS700212: The federated token has an invalid signature.";
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== federated.issuer || claims.sub !== federated.subject || !audiences.includes(federated.audience)) {
      return `AADSTS700213: No matching federated identity record found for presented assertion subject '${String(claims.sub)}'.`;
    }
    return undefined;
  }

  /** App Service managed identity (api-version 2019-08-01). */
  #managedIdentityToken(url: URL, headers: IncomingMessage["headers"]): Reply {
    const mi = this.options.managedIdentity;
    if (!mi || headers["x-identity-header"] !== mi.header) return { status: 401, headers: {}, body: { statusCode: 401, message: "Unauthorized: X-IDENTITY-HEADER missing or wrong" } };
    const resource = url.searchParams.get("resource");
    if (!resource) return { status: 400, headers: {}, body: { statusCode: 400, message: "resource is required" } };
    const expires = Math.floor(Date.now() / 1000) + 3600;
    return {
      status: 200,
      headers: {},
      body: { access_token: this.#issue(mi.clientId, mi.permissions), expires_on: String(expires), resource, token_type: "Bearer", client_id: mi.clientId },
    };
  }

  #authenticate(header: string | undefined): { permissions: string[]; appId: string } | Reply {
    const token = /^Bearer (.+)$/.exec(header ?? "")?.[1];
    const grant = token ? this.#tokens.get(token) : undefined;
    if (!grant || grant.expires < Date.now()) {
      return graphError(401, "InvalidAuthenticationToken", token ? "Access token has expired or is not yet valid." : "Access token is empty.");
    }
    return grant;
  }

  #batch(raw: string, permissions: string[]): Reply {
    let body: { requests?: { id?: string; method?: string; url?: string; body?: unknown }[] };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return graphError(400, "BadRequest", "Invalid batch payload.");
    }
    const requests = body.requests ?? [];
    if (!Array.isArray(requests) || requests.length === 0) return graphError(400, "BadRequest", "Invalid batch payload format.");
    if (requests.length > 20) return graphError(400, "BadRequest", "Number of batch requests exceeds the limit of 20.");
    const responses = requests.map((request) => {
      const url = new URL(request.url ?? "/", `${this.url}/v1.0/`);
      const resource = (request.url ?? "").startsWith("/") ? url.pathname : url.pathname.replace(/^\/v1\.0/, "");
      const fault = this.#fault(new URL(`${this.url}/v1.0${resource}${url.search}`));
      const reply =
        fault && !["cut", "silent", "malformed", "repeated-next-link", "repeated-item"].includes(fault.kind)
          ? faultReply(fault)
          : this.#graph(request.method ?? "GET", resource, url.searchParams, request.body === undefined ? "" : JSON.stringify(request.body), permissions);
      if (fault?.kind === "repeated-item") repeatFirstItem(reply, reply);
      this.requests.push({ method: request.method ?? "GET", path: resource + url.search, status: reply.status, batched: true });
      return { id: request.id, status: reply.status, headers: { "Content-Type": "application/json", ...reply.headers }, body: reply.body ?? null };
    });
    return { status: 200, headers: {}, body: { responses } };
  }

  #graph(method: string, resource: string, query: URLSearchParams, raw: string, permissions: string[]): Reply {
    const rule = permissionsFor.find(([pattern, m]) => m === method && pattern.test(resource));
    if (!rule) return graphError(method === "GET" ? 404 : 405, "Request_BadRequest", `Unsupported request: ${method} ${resource}`);
    if (!rule[2].some((p) => permissions.includes(p))) {
      return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }
    const data = this.options.data;
    const collections: Record<string, Collection> = {
      "/users": data.users,
      "/domains": data.domains,
      "/reports/authenticationMethods/userRegistrationDetails": data.userRegistrationDetails,
      "/directory/onPremisesSynchronization": data.onPremisesSynchronization,
      "/applications": data.applications,
      "/servicePrincipals": data.servicePrincipals,
      "/roleManagement/directory/roleAssignments": data.roleAssignments,
    };
    if (method === "GET" && collections[resource]) return this.#page(resource, collections[resource], query);
    if (method === "GET" && resource === "/policies/authorizationPolicy") return { status: 200, headers: {}, body: { "@odata.context": `${this.url}/v1.0/$metadata#policies/authorizationPolicy/$entity`, ...data.authorizationPolicy } };
    if (method === "GET" && resource === "/policies/authenticationMethodsPolicy") return { status: 200, headers: {}, body: data.authenticationMethodsPolicy };
    if (method === "GET" && /^\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/temporaryAccessPass$/i.test(resource)) {
      return { status: 200, headers: {}, body: { "@odata.context": `${this.url}/v1.0/$metadata#authenticationMethodConfigurations/$entity`, ...data.temporaryAccessPass } };
    }
    const group = /^\/groups\/([^/]+)\/transitiveMembers$/.exec(resource);
    if (method === "GET" && group) {
      const members = data.groupTransitiveMembers?.[group[1]];
      if (!members) return graphError(404, "Request_ResourceNotFound", `Resource '${group[1]}' does not exist or one of its queried reference-property objects are not present.`);
      return this.#page(resource, members, query);
    }
    const unit = /^\/directory\/administrativeUnits\/([^/]+)\/members$/.exec(resource);
    if (method === "GET" && unit) {
      const members = data.administrativeUnitMembers?.[unit[1]];
      if (!members) return graphError(404, "Request_ResourceNotFound", `Resource '${unit[1]}' does not exist or one of its queried reference-property objects are not present.`);
      return this.#page(resource, members, query);
    }
    const app = /^\/applications\/([^/]+)(?:\/(addPassword|removePassword))?$/.exec(resource);
    if (app) return this.#application(method, app[1], app[2], query, raw);
    return graphError(404, "Request_ResourceNotFound", `Resource '${resource}' does not exist.`);
  }

  #page(resource: string, collection: Collection, query: URLSearchParams): Reply {
    const top = query.has("$top") ? Number(query.get("$top")) : 100;
    if (!Number.isInteger(top) || top < 1 || top > 999) return graphError(400, "Request_UnsupportedQuery", `Invalid page size specified: '${query.get("$top")}'. Must be between 1 and 999 inclusive.`);
    const size = Math.min(top, this.options.maxPageSize ?? top);
    const skip = query.has("$skiptoken") ? Number(Buffer.from(query.get("$skiptoken")!, "base64url").toString("utf8").replace(/^offset:/, "")) : 0;
    if (!Number.isInteger(skip) || skip < 0) return graphError(400, "Request_UnsupportedQuery", "Invalid $skiptoken.");
    const select = parseSelect(query.get("$select"));
    const expand = parseExpand(query.get("$expand"));
    const value: Json[] = [];
    for (let i = skip; i < Math.min(collection.size, skip + size); i++) value.push(project(collection.at(i), select, expand));
    const body: Json = { "@odata.context": `${this.url}/v1.0/$metadata#${resource.slice(1)}` };
    if (this.options.nextLinkAfterValue) body.value = value;
    if (skip + size < collection.size) {
      const next = new URLSearchParams(query);
      next.set("$skiptoken", Buffer.from(`offset:${skip + size}`).toString("base64url"));
      body["@odata.nextLink"] = `${this.url}/v1.0${resource}?${decodeURIComponent(next.toString())}`;
    }
    body.value = value;
    return { status: 200, headers: {}, body };
  }

  #application(method: string, id: string, action: string | undefined, query: URLSearchParams, raw: string): Reply {
    const apps = this.options.data.applications;
    let index = -1;
    for (let i = 0; i < apps.size; i++) if (apps.at(i).id === id) index = i;
    if (index < 0) return graphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    const app = apps.at(index);
    const client = this.options.clients.find((c) => c.appId === app.appId);
    const credentials = (app.passwordCredentials ??= []) as Json[];
    if (method === "GET" && !action) return { status: 200, headers: {}, body: project(app, parseSelect(query.get("$select")), new Map()) };
    let body: Json;
    try {
      body = JSON.parse(raw || "{}") as Json;
    } catch {
      return graphError(400, "BadRequest", "Unable to read JSON request payload.");
    }
    if (action === "addPassword") {
      const requested = (body.passwordCredential ?? {}) as Json;
      const secretText = randomBytes(30).toString("base64url").slice(0, 40);
      const start = new Date();
      const credential = {
        customKeyIdentifier: null,
        displayName: (requested.displayName as string | undefined) ?? null,
        endDateTime: (requested.endDateTime as string | undefined) ?? new Date(start.getTime() + 2 * 365 * 86_400_000).toISOString(),
        hint: secretText.slice(0, 3),
        keyId: randomUUID(),
        secretText,
        startDateTime: start.toISOString(),
      };
      const { secretText: _omit, ...stored } = credential;
      credentials.push(stored);
      if (client) (client.secrets ??= []).push({ keyId: credential.keyId, secretText, endDateTime: credential.endDateTime });
      return { status: 200, headers: {}, body: { "@odata.context": `${this.url}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...credential } };
    }
    const keyId = body.keyId;
    const at = credentials.findIndex((c) => c.keyId === keyId);
    if (at < 0) return graphError(400, "Request_BadRequest", `No password credential found with keyId ${String(keyId)}.`);
    credentials.splice(at, 1);
    if (client) client.secrets = (client.secrets ?? []).filter((s) => s.keyId !== keyId);
    return { status: 204, headers: {} };
  }
}

function verifyJwtSignature(alg: string, key: ReturnType<typeof createPublicKey>, signed: Buffer, signature: Buffer): boolean {
  if (alg === "RS256") return createVerify("RSA-SHA256").update(signed).verify(key, signature);
  if (alg === "PS256") return verifySignature("sha256", signed, { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
  if (alg === "ES256") return verifySignature("sha256", signed, { key, dsaEncoding: "ieee-p1363" }, signature);
  return false;
}

/** The page lists the first object of `firstPage` again at its end, as a collection that changed
 *  while it was paged can (an object moved past the cursor). */
function repeatFirstItem(reply: Reply, firstPage: Reply): void {
  const listed = (reply.body as Record<string, unknown> | undefined)?.value;
  const first = (firstPage.body as Record<string, unknown> | undefined)?.value;
  if (Array.isArray(listed) && Array.isArray(first) && first.length > 0) listed.push(first[0]);
}

function faultReply(fault: Fault): Reply {
  const retryAfter = String(fault.retryAfter ?? 1);
  switch (fault.kind) {
    case "throttle":
      return { ...graphError(429, "TooManyRequests", "Too many requests. Please retry after the time given in Retry-After."), headers: { "Retry-After": retryAfter } };
    case "unavailable":
      return { ...graphError(503, "serviceNotAvailable", "The service is temporarily unavailable."), headers: { "Retry-After": retryAfter } };
    case "unauthorized":
      return graphError(401, "InvalidAuthenticationToken", "Access token validation failure.");
    default:
      return graphError(500, "generalException", "An unexpected error occurred.");
  }
}

function graphError(status: number, code: string, message: string): Reply {
  const requestId = randomUUID();
  return { status, headers: { "request-id": requestId }, body: { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": requestId, "client-request-id": requestId } } } };
}

function parseSelect(value: string | null): Set<string> | undefined {
  return value ? new Set(value.split(",").map((s) => s.trim())) : undefined;
}

/** `owners($select=a,b),principal` -> owners: {a, b}, principal: all fields. */
function parseExpand(value: string | null): Map<string, Set<string> | undefined> {
  const expand = new Map<string, Set<string> | undefined>();
  if (!value) return expand;
  for (const m of value.matchAll(/([A-Za-z]+)(?:\(\$select=([^)]*)\))?/g)) expand.set(m[1], parseSelect(m[2] ?? null));
  return expand;
}

/** $select keeps the listed properties (Graph returns `id` too when selected); navigation properties only when expanded. */
function project(item: Json, select: Set<string> | undefined, expand: Map<string, Set<string> | undefined>): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    if (expandable.has(key)) {
      if (!expand.has(key)) continue;
      const fields = expand.get(key);
      out[key] = Array.isArray(value) ? value.map((v) => project(v as Json, fields, new Map())) : value && typeof value === "object" ? project(value as Json, fields, new Map()) : value;
      continue;
    }
    if (select && !select.has(key) && !key.startsWith("@odata.")) continue;
    out[key] = value;
  }
  if (select) for (const key of select) if (!(key in out) && !expandable.has(key)) out[key] = null;
  return out;
}
