// A GitHub Enterprise Server-style REST (/api/v3) and GraphQL (/api/graphql) fixture over HTTPS,
// following the REST and GraphQL documentation closely enough for octokit to talk to it
// unchanged: per_page (max 100) / page paging with Link headers, primary rate limits
// (x-ratelimit-* headers, 403 with remaining 0 until reset), secondary rate limits (403 with
// Retry-After), GitHub App installation tokens (RS256 app JWT checked against the app's public
// key), the GraphQL schema subset credgov queries (graphql-js executes it, cursors and all),
// secrets of every store (Actions: organization, repository, environment; Dependabot;
// Codespaces), each with its own public key and libsodium sealed boxes the server opens to
// check, repository environments, and deploy keys.
import { createPublicKey, createVerify, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, graphql } from "graphql";
import sodium from "libsodium-wrappers";
import type { TestPki } from "./test-pki.ts";

type Json = Record<string, unknown>;

export interface GithubSecret {
  name: string;
  created_at: string;
  updated_at: string;
  visibility?: string;
  /** What the server decrypted from the last PUT (tests check delivery). */
  value?: string;
}

export interface GithubEnvironmentFixture {
  name: string;
  secrets: GithubSecret[];
}

export interface GithubRepoFixture {
  name: string;
  /** Actions secrets. */
  secrets: GithubSecret[];
  keys: Json[];
  /** Absent: none (a repository without environments, Dependabot or Codespaces secrets). */
  environments?: GithubEnvironmentFixture[];
  dependabotSecrets?: GithubSecret[];
  codespacesSecrets?: GithubSecret[];
}

export interface GithubOrgData {
  org: Json & { login: string };
  members: (Json & { login: string; role?: "admin" | "member" })[];
  /** null: the organization has no SAML identity provider. */
  samlIdentities: { guid: string; nameId: string | null; login: string | null }[] | null;
  credentialAuthorizations: Json[];
  /** Actions secrets. */
  secrets: GithubSecret[];
  /** Absent: none (GitHub answers an organization that does not use Dependabot or Codespaces with an empty list). */
  dependabotSecrets?: GithubSecret[];
  codespacesSecrets?: GithubSecret[];
  repos: GithubRepoFixture[];
}

export interface GithubFault {
  path: string | RegExp;
  /**
   * echo: a 422 whose message quotes the request body and its Authorization header (a careless proxy).
   * shifted: the page is answered without its first item, as offset paging does when a member
   * listed on an earlier page leaves while the list is read.
   * repeated: the page starts with the previous page's last item and loses its own last one, as
   * offset paging does when an object is added to an earlier page while the list is read.
   * not-found: a 404, as GitHub.com answers a token that may not see the resource.
   */
  kind: "secondary-limit" | "server-error" | "forbidden" | "not-found" | "echo" | "shifted" | "repeated" | "cut" | "silent";
  /** Only requests whose query string contains this (e.g. "page=2"). */
  query?: string;
  /** Matching requests answered normally before the fault starts (e.g. 1: the second page fails). */
  skip?: number;
  times?: number;
  message?: string;
}

export interface GithubServerOptions {
  pki: TestPki;
  data: GithubOrgData;
  /** Personal access tokens the server accepts. */
  tokens: string[];
  app?: { appId: number; installationId: number; publicKeyPem: string };
  /** Primary rate limit: requests per window (default 5000 per hour). */
  rateLimit?: { limit: number; windowMs: number };
  faults?: GithubFault[];
  /** Answer as GitHub Enterprise Server of this version: x-github-enterprise-version on every reply, no Codespaces endpoints (404). */
  enterpriseVersion?: string;
}

const schema = buildSchema(`
  type Query { organization(login: String!): Organization }
  type Organization { login: String!, samlIdentityProvider: OrganizationIdentityProvider, membersWithRole(first: Int, after: String): OrganizationMemberConnection!, repositories(first: Int, after: String): RepositoryConnection! }
  type OrganizationMemberConnection { totalCount: Int! }
  type RepositoryConnection { totalCount: Int! }
  type OrganizationIdentityProvider { externalIdentities(first: Int, after: String): ExternalIdentityConnection! }
  type ExternalIdentityConnection { edges: [ExternalIdentityEdge], nodes: [ExternalIdentity], pageInfo: PageInfo!, totalCount: Int! }
  type ExternalIdentityEdge { cursor: String!, node: ExternalIdentity }
  type ExternalIdentity { guid: String!, samlIdentity: ExternalIdentitySamlAttributes, user: User }
  type ExternalIdentitySamlAttributes { nameId: String }
  type User { login: String! }
  type PageInfo { hasNextPage: Boolean!, hasPreviousPage: Boolean!, endCursor: String, startCursor: String }
`);

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export class GithubFixtureServer {
  /** Every request served; GraphQL queries with their body (the cloud benchmark replays them). */
  readonly requests: { method: string; path: string; status: number; body?: string }[] = [];
  readonly options: GithubServerOptions;
  readonly data: GithubOrgData;
  #server: Server;
  #tokens: Set<string>;
  #window = { start: Date.now(), used: 0 };
  #faults: (GithubFault & { used: number })[];
  #keyPairs = new Map<string, { keyId: string; publicKey: Uint8Array; privateKey: Uint8Array }>();
  #pending = new Set<ServerResponse>();
  #nextKeyId = 1000;
  url = "";

  constructor(options: GithubServerOptions) {
    this.options = options;
    this.data = options.data;
    this.#tokens = new Set(options.tokens);
    this.#faults = (options.faults ?? []).map((f) => ({ ...f, used: 0 }));
    this.#server = createServer({ cert: options.pki.serverCertPem, key: options.pki.serverKeyPem }, (req, res) => void this.#serve(req, res));
  }

  async start(): Promise<this> {
    await sodium.ready;
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** The REST base URL, as for GitHub Enterprise Server. */
  get baseUrl(): string {
    return `${this.url}/api/v3`;
  }

  async stop(): Promise<void> {
    for (const res of this.#pending) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  setFaults(faults: GithubFault[]): void {
    this.#faults = faults.map((f) => ({ ...f, used: 0 }));
  }

  resetRateLimit(): void {
    this.#window = { start: Date.now(), used: 0 };
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const record = { method: req.method ?? "GET", path: url.pathname + url.search, status: 0, ...(url.pathname === "/api/graphql" ? { body: raw } : {}) };
    this.requests.push(record);
    const fault = this.#fault(url.pathname, url.search);
    if (fault?.kind === "silent") {
      this.#pending.add(res);
      return;
    }
    let reply: Reply;
    const auth = this.#authenticate(req.headers.authorization, url.pathname);
    const limit = this.#rateLimitHeaders(auth === "app");
    if (auth === undefined) reply = { status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" } };
    else if (auth !== "app" && limit["x-ratelimit-remaining"] === "0" && this.#window.used > this.#limit().limit) {
      reply = {
        status: 403,
        body: { message: "API rate limit exceeded for user. (But here's the good news: Authenticated requests get a higher rate limit.)", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" },
      };
    } else if (fault?.kind === "secondary-limit") {
      reply = {
        status: 403,
        headers: { "retry-after": "1" },
        body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" },
      };
    } else if (fault?.kind === "server-error") reply = { status: 502, body: { message: "Server Error" } };
    else if (fault?.kind === "echo") reply = { status: 422, body: { message: `Invalid request: ${raw} (authorization: ${req.headers.authorization})`, documentation_url: "https://docs.github.com/rest", status: "422" } };
    else if (fault?.kind === "not-found") reply = notFound();
    else if (fault?.kind === "forbidden") reply = { status: 403, body: { message: fault.message ?? "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest", status: "403" } };
    else reply = await this.#route(req.method ?? "GET", url, raw, req.headers.authorization);
    if (fault?.kind === "shifted" && Array.isArray(reply.body)) reply = { ...reply, body: reply.body.slice(1) };
    if (fault?.kind === "repeated" && Array.isArray(reply.body)) {
      const previous = new URL(url);
      previous.searchParams.set("page", String(Math.max(Number(url.searchParams.get("page") ?? 1) - 1, 1)));
      const before = (await this.#route(req.method ?? "GET", previous, raw, req.headers.authorization)).body;
      if (Array.isArray(before) && before.length > 0) reply = { ...reply, body: [before[before.length - 1], ...reply.body.slice(0, -1)] };
    }
    record.status = reply.status;
    const body = reply.body === undefined ? "" : JSON.stringify(reply.body);
    const enterprise = this.options.enterpriseVersion === undefined ? {} : { "x-github-enterprise-version": this.options.enterpriseVersion };
    res.writeHead(reply.status, { ...(body ? { "content-type": "application/json; charset=utf-8" } : {}), ...limit, ...enterprise, ...reply.headers });
    if (fault?.kind === "cut") {
      res.write(body.slice(0, Math.max(1, body.length >> 1)));
      res.socket?.destroy();
      return;
    }
    res.end(body);
  }

  #fault(path: string, search: string): GithubFault | undefined {
    for (const fault of this.#faults) {
      const matches = (typeof fault.path === "string" ? path === fault.path : fault.path.test(path)) && (fault.query === undefined || search.includes(fault.query));
      if (!matches || fault.used >= (fault.skip ?? 0) + (fault.times ?? Infinity)) continue;
      fault.used++;
      if (fault.used <= (fault.skip ?? 0)) return undefined;
      return fault;
    }
    return undefined;
  }

  #limit() {
    return this.options.rateLimit ?? { limit: 5000, windowMs: 3_600_000 };
  }

  #rateLimitHeaders(exempt: boolean): Record<string, string> {
    const { limit, windowMs } = this.#limit();
    if (Date.now() - this.#window.start >= windowMs) this.#window = { start: Date.now(), used: 0 };
    if (!exempt) this.#window.used++;
    const used = Math.min(this.#window.used, limit);
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(limit - used),
      "x-ratelimit-used": String(used),
      "x-ratelimit-reset": String(Math.ceil((this.#window.start + windowMs) / 1000)),
      "x-ratelimit-resource": "core",
    };
  }

  /** "app" for the app-JWT endpoints, the token otherwise; undefined when refused. */
  #authenticate(header: string | undefined, path: string): string | undefined {
    const match = /^(?:token|bearer) (.+)$/i.exec(header ?? "");
    if (!match) return undefined;
    if (/^\/api\/v3\/app\//.test(path)) return this.#checkAppJwt(match[1]) ? "app" : undefined;
    return this.#tokens.has(match[1]) ? match[1] : undefined;
  }

  #checkAppJwt(jwt: string): boolean {
    const app = this.options.app;
    const parts = jwt.split(".");
    if (!app || parts.length !== 3) return false;
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as Json;
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Json;
    if (header.alg !== "RS256") return false;
    if (!createVerify("RSA-SHA256").update(`${parts[0]}.${parts[1]}`).verify(createPublicKey(app.publicKeyPem), Buffer.from(parts[2], "base64url"))) return false;
    const now = Date.now() / 1000;
    // GitHub: iss is the app id (or client id), exp at most 10 minutes ahead, iat in the past.
    return String(claims.iss) === String(app.appId) && typeof claims.exp === "number" && claims.exp > now && claims.exp - now <= 600 && typeof claims.iat === "number" && claims.iat <= now + 60;
  }

  async #route(method: string, url: URL, raw: string, authorization: string | undefined): Promise<Reply> {
    const path = url.pathname;
    const org = this.data.org.login;
    const body = raw ? (JSON.parse(raw) as Json) : {};
    if (method === "POST" && path === "/api/graphql") return this.#graphql(body);
    if (!path.startsWith("/api/v3/")) return notFound();
    const rest = path.slice("/api/v3".length);
    const app = this.options.app;
    if (method === "POST" && app && rest === `/app/installations/${app.installationId}/access_tokens`) {
      const token = `ghs_${randomBytes(18).toString("base64url")}`;
      this.#tokens.add(token);
      return { status: 201, body: { token, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: { members: "read", administration: "read", secrets: "write", organization_secrets: "write" }, repository_selection: "all" } };
    }
    void authorization;
    if (method === "GET" && rest === `/orgs/${org}`) return { status: 200, body: this.data.org };
    if (method === "GET" && rest === `/orgs/${org}/members`) {
      const role = url.searchParams.get("role") ?? "all";
      const members = this.data.members.filter((m) => role === "all" || (m.role ?? "member") === role).map(({ role: _role, ...user }) => user);
      return this.#list(url, members);
    }
    if (method === "GET" && rest === `/orgs/${org}/repos`) return this.#list(url, this.data.repos.map((r, i) => ({ id: i + 1, name: r.name, full_name: `${org}/${r.name}`, private: true })));
    if (method === "GET" && rest === `/orgs/${org}/credential-authorizations`) {
      if (this.data.samlIdentities === null) return notFound();
      return this.#list(url, this.data.credentialAuthorizations);
    }
    if (this.options.enterpriseVersion !== undefined && /\/codespaces\//.test(`${rest}/`)) return notFound();
    const repoPath = new RegExp(`^/repos/${org}/([^/]+)/`).exec(rest);
    const repo = repoPath ? this.data.repos.find((r) => r.name === repoPath[1]) : undefined;
    if (repoPath && !repo) return notFound();
    if (method === "GET" && repo && rest === `/repos/${org}/${repo.name}/environments`) {
      const listed = this.#list(url, (repo.environments ?? []).map((e, i) => ({ id: 7_000_000 + i, name: e.name, url: `${this.baseUrl}/repos/${org}/${repo.name}/environments/${encodeURIComponent(e.name)}`, protection_rules: [], deployment_branch_policy: null })));
      return { ...listed, body: { total_count: (repo.environments ?? []).length, environments: listed.body } };
    }
    const secretName = "(?:/(public-key|[A-Za-z_][A-Za-z0-9_]*))?$";
    const orgSecrets = new RegExp(`^/orgs/${org}/(actions|dependabot|codespaces)/secrets${secretName}`).exec(rest);
    if (orgSecrets) {
      const store = orgSecrets[1] as "actions" | "dependabot" | "codespaces";
      const secrets = store === "actions" ? this.data.secrets : store === "dependabot" ? (this.data.dependabotSecrets ??= []) : (this.data.codespacesSecrets ??= []);
      return this.#secrets(method, url, { secrets, keyScope: `org:${store}`, visibility: true }, orgSecrets[2], body);
    }
    const repoSecrets = repo ? new RegExp(`^/repos/${org}/[^/]+/(actions|dependabot|codespaces)/secrets${secretName}`).exec(rest) : null;
    if (repo && repoSecrets) {
      const store = repoSecrets[1] as "actions" | "dependabot" | "codespaces";
      const secrets = store === "actions" ? repo.secrets : store === "dependabot" ? (repo.dependabotSecrets ??= []) : (repo.codespacesSecrets ??= []);
      return this.#secrets(method, url, { secrets, keyScope: `repo:${repo.name}:${store}`, visibility: false }, repoSecrets[2], body);
    }
    const environmentSecrets = repo ? new RegExp(`^/repos/${org}/[^/]+/environments/([^/]+)/secrets${secretName}`).exec(rest) : null;
    if (repo && environmentSecrets) {
      const name = decodeURIComponent(environmentSecrets[1]);
      // Environment names are not case sensitive.
      const environment = (repo.environments ?? []).find((e) => e.name.toLowerCase() === name.toLowerCase());
      if (!environment) return notFound();
      return this.#secrets(method, url, { secrets: environment.secrets, keyScope: `repo:${repo.name}:environment:${environment.name}`, visibility: false }, environmentSecrets[2], body);
    }
    const keysPath = new RegExp(`^/repos/${org}/([^/]+)/keys(?:/(\\d+))?$`).exec(rest);
    if (keysPath) {
      const repo = this.data.repos.find((r) => r.name === keysPath[1]);
      if (!repo) return notFound();
      return this.#deployKeys(method, url, repo, keysPath[2] === undefined ? undefined : Number(keysPath[2]), body);
    }
    return notFound();
  }

  /** per_page (default 30, at most 100) and page, with a Link header as GitHub sends it. */
  #list(url: URL, items: unknown[]): Reply {
    const perPage = Math.min(Math.max(Number(url.searchParams.get("per_page") ?? 30) || 30, 1), 100);
    const page = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (p: number, rel: string) => {
      const next = new URL(url);
      next.searchParams.set("page", String(p));
      next.searchParams.set("per_page", String(perPage));
      return `<${next.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, "prev"));
    if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
    if (page > 1) links.push(link(1, "first"));
    return { status: 200, headers: links.length ? { link: links.join(", ") } : {}, body: items.slice((page - 1) * perPage, page * perPage) };
  }

  #keyPair(scope: string) {
    let pair = this.#keyPairs.get(scope);
    if (!pair) {
      const generated = sodium.crypto_box_keypair();
      pair = { keyId: String(this.#nextKeyId++) + "568250167242549743", publicKey: generated.publicKey, privateKey: generated.privateKey };
      this.#keyPairs.set(scope, pair);
    }
    return pair;
  }

  /** One secret store: its list, its own key pair (`keyScope`), and whether its secrets have a visibility (organization stores). */
  #secrets(method: string, url: URL, store: { secrets: GithubSecret[]; keyScope: string; visibility: boolean }, name: string | undefined, body: Json): Reply {
    const secrets = store.secrets;
    const pair = this.#keyPair(store.keyScope);
    if (method === "GET" && name === "public-key") return { status: 200, body: { key_id: pair.keyId, key: sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL) } };
    if (method === "GET" && name === undefined) {
      const listed = this.#list(url, secrets.map(({ value: _value, ...s }) => s));
      return { ...listed, body: { total_count: secrets.length, secrets: listed.body } };
    }
    if (method === "GET" && name !== undefined) {
      const found = secrets.find((x) => x.name === name.toUpperCase());
      if (!found) return notFound();
      const { value: _value, ...metadata } = found;
      return { status: 200, body: metadata };
    }
    if (method === "PUT" && name !== undefined) {
      if (body.key_id !== pair.keyId) return { status: 422, body: { message: "Invalid request.\n\nkey_id does not match the current public key.", documentation_url: "https://docs.github.com/rest/actions/secrets" } };
      let value: string;
      try {
        value = sodium.to_string(sodium.crypto_box_seal_open(sodium.from_base64(String(body.encrypted_value), sodium.base64_variants.ORIGINAL), pair.publicKey, pair.privateKey));
      } catch {
        return { status: 422, body: { message: "Invalid request.\n\nencrypted_value could not be decrypted with the public key.", documentation_url: "https://docs.github.com/rest/actions/secrets" } };
      }
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      const existing = secrets.find((s) => s.name === name.toUpperCase());
      if (existing) {
        existing.value = value;
        existing.updated_at = now;
        return { status: 204 };
      }
      secrets.push({ name: name.toUpperCase(), created_at: now, updated_at: now, value, ...(store.visibility ? { visibility: String(body.visibility ?? "private") } : {}) });
      return { status: 201, body: {} };
    }
    return notFound();
  }

  #deployKeys(method: string, url: URL, repo: GithubRepoFixture, id: number | undefined, body: Json): Reply {
    if (method === "GET" && id === undefined) return this.#list(url, repo.keys);
    if (method === "POST" && id === undefined) {
      const key = String(body.key ?? "");
      if (!/^ssh-(ed25519|rsa) [A-Za-z0-9+/=]+/.test(key)) return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "PublicKey", code: "custom", field: "key", message: "key is invalid. You must supply a key in OpenSSH public key format" }] } };
      if (repo.keys.some((k) => String(k.key).split(" ").slice(0, 2).join(" ") === key.split(" ").slice(0, 2).join(" "))) {
        return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "PublicKey", code: "custom", field: "key", message: "key is already in use" }] } };
      }
      const created = { id: this.#nextKeyId++, key, url: `${this.baseUrl}/repos/${this.data.org.login}/${repo.name}/keys`, title: String(body.title ?? ""), verified: true, created_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"), read_only: body.read_only !== false, added_by: "credgov-rotator", last_used: null, enabled: true };
      repo.keys.push(created);
      return { status: 201, body: created };
    }
    if (method === "DELETE" && id !== undefined) {
      const at = repo.keys.findIndex((k) => k.id === id);
      if (at < 0) return notFound();
      repo.keys.splice(at, 1);
      return { status: 204 };
    }
    if (method === "GET" && id !== undefined) {
      const key = repo.keys.find((k) => k.id === id);
      return key ? { status: 200, body: key } : notFound();
    }
    return notFound();
  }

  async #graphql(body: Json): Promise<Reply> {
    const identities = this.data.samlIdentities;
    const root = {
      organization: ({ login }: { login: string }) =>
        login !== this.data.org.login
          ? null
          : {
              login,
              membersWithRole: ({ first }: { first?: number }) => {
                if (first === undefined || first < 1 || first > 100) throw new Error("You must provide a `first` value between 1 and 100 to properly paginate the `membersWithRole` connection.");
                return { totalCount: this.data.members.length };
              },
              repositories: ({ first }: { first?: number }) => {
                if (first === undefined || first < 1 || first > 100) throw new Error("You must provide a `first` value between 1 and 100 to properly paginate the `repositories` connection.");
                return { totalCount: this.data.repos.length };
              },
              samlIdentityProvider:
                identities === null
                  ? null
                  : {
                      externalIdentities: ({ first, after }: { first?: number; after?: string }) => {
                        if (first === undefined || first < 1 || first > 100) throw new Error("You must provide a `first` value between 1 and 100 to properly paginate the `externalIdentities` connection.");
                        const start = after ? Number(Buffer.from(after, "base64").toString("utf8").replace(/^cursor:/, "")) + 1 : 0;
                        const slice = identities.slice(start, start + first);
                        const cursor = (i: number) => Buffer.from(`cursor:${i}`).toString("base64");
                        const nodes = slice.map((x) => ({ guid: x.guid, samlIdentity: { nameId: x.nameId }, user: x.login ? { login: x.login } : null }));
                        return {
                          totalCount: identities.length,
                          nodes,
                          edges: nodes.map((node, i) => ({ cursor: cursor(start + i), node })),
                          pageInfo: { hasNextPage: start + first < identities.length, hasPreviousPage: start > 0, endCursor: slice.length ? cursor(start + slice.length - 1) : null, startCursor: slice.length ? cursor(start) : null },
                        };
                      },
                    },
            },
    };
    const result = await graphql({ schema, source: String(body.query ?? ""), variableValues: (body.variables ?? {}) as Record<string, unknown>, rootValue: root });
    return { status: 200, body: JSON.parse(JSON.stringify(result)) };
  }
}

function notFound(): Reply {
  return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" } };
}
