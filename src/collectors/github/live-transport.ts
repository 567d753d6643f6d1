// GitHub live transport: the calls docs/exports.md lists, through octokit (REST pages followed by
// Link header, GraphQL cursor paging for SAML identities), repository calls a bounded number at
// a time. Each call's raw pages are parsed by the same functions that read export files, so
// both transports hand the normalizer identical objects; `onPages` lets `credgov export` write
// the same pages to the files the file transport reads.
import type { Octokit } from "octokit";
import type { Query, SourceError } from "../../snapshot/types.ts";
import type { CollectionProgress } from "../collector.ts";
import { ConcurrencyLimit } from "../concurrency-limit.ts";
import type { ExportFile, Parsed } from "../export-reader.ts";
import { environmentSecretsExport, githubExports as files, repoExports } from "./export-files.ts";
import { organizationTotal, organizationTotalQuery } from "./organization-total.ts";
import { environmentsList, restList, restObject, samlIdentities, secretsList } from "./response-body.ts";
import { restPages } from "./rest-paging.ts";
import { githubCredentialAuthorizationShape, githubDeployKeyShape, githubOrgShape, githubRepoShape, githubUserShape } from "./rest-shapes.ts";
import type { GithubData, GithubEnvironment, GithubEnvironmentData, GithubRepoData, GithubSecret } from "./rest-types.ts";

export const samlIdentitiesQuery = `query($org: String!, $endCursor: String) {
  organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(first: 100, after: $endCursor) {
        pageInfo { hasNextPage endCursor }
        edges { node { guid samlIdentity { nameId } user { login } } }
      }
    }
  }
}`;

/** What each call needs, named in a 403's error (classic token scope; fine-grained / App permission). */
const permissionHints: Record<string, string> = {
  org: "read access to the organization",
  members: "classic token scope read:org, or the organization Members (read) permission",
  membersCount: "classic token scope read:org, or the organization Members (read) permission",
  reposCount: "classic token scope repo, or the repository Metadata (read) permission",
  admins: "classic token scope read:org, or the organization Members (read) permission",
  samlIdentities: "an organization owner's token with admin:org (classic), or the organization Administration (read) permission",
  credentialAuthorizations: "an organization owner's token with read:org (classic)",
  actionsSecrets: "classic token scope admin:org, or the organization Secrets (read) permission",
  dependabotSecrets: "classic token scope admin:org, or the organization Dependabot secrets (read) permission",
  codespacesSecrets: "classic token scope admin:org, or the organization Codespaces secrets (read) permission",
  repos: "classic token scope repo, or the repository Metadata (read) permission",
  repoActionsSecrets: "classic token scope repo, or the repository Secrets (read) permission",
  repoDeployKeys: "classic token scope repo, or the repository Administration (read) permission",
  repoEnvironments: "classic token scope repo, or the repository Actions (read) permission",
  environmentSecrets: "classic token scope repo, or the repository Environments (read) permission",
  repoDependabotSecrets: "classic token scope repo, or the repository Dependabot secrets (read) permission",
  repoCodespacesSecrets: "classic token scope repo, or the repository Codespaces secrets (write) permission (GitHub asks for write even to list them)",
};

export interface GithubLiveRead {
  data: GithubData;
  queries: Query[];
  errors: SourceError[];
  signedIn: boolean;
  requests: number;
}

/** Receives the raw pages of each successful call (export writes them as the file's body). */
export type PagesSink = (file: ExportFile, body: unknown) => Promise<void>;

interface RequestErrorLike {
  status?: number;
  message?: string;
  name?: string;
  /** Absent when no HTTP response came back (octokit then reports status 500). */
  response?: unknown;
}

export class GithubLiveReader {
  readonly queries: Query[] = [];
  readonly errors: SourceError[] = [];
  requests = 0;
  readonly #octokit: Octokit;
  readonly #org: string;
  readonly #progress: CollectionProgress;
  readonly #scrub: (message: string) => string;
  readonly #sink: PagesSink | undefined;
  /** The reader's own queries, errors and export sink. */
  readonly #recorder: Recorder;
  /** Why the server has no Codespaces (undefined: it has), once the organization's call answered. */
  readonly #codespacesAbsence = Promise.withResolvers<string | undefined>();

  constructor(octokit: Octokit, org: string, progress: CollectionProgress, scrub: (message: string) => string, sink?: PagesSink) {
    this.#octokit = octokit;
    this.#org = org;
    this.#progress = progress;
    this.#scrub = scrub;
    this.#sink = sink;
    this.#recorder = { queries: this.queries, errors: this.errors, sink };
  }

  async read(concurrency: number): Promise<GithubData> {
    // Three independent chains run side by side: the organization's own calls; SAML identities
    // then (only with a SAML provider) credential authorizations; the repository list and each
    // repository's calls, started page by page as the list arrives. The slowest (paging
    // thousands of members or identities one page after another) no longer holds back the
    // repository fan-out.
    const [org, members, count, admins, actionsSecrets, dependabotSecrets, codespacesSecrets, samlAndAuthorizations, repos, reposCount] = await Promise.all([
      this.#call(files.org, "org", async () => [await this.#get(`GET /orgs/{org}`, {})], (pages) => restObject(githubOrgShape)(pages[0], files.org.call)),
      this.#call(files.members, "members", () => this.#restPages("GET /orgs/{org}/members", {}), pagedList(restList(githubUserShape, "id"), files.members.call)),
      this.#call(files.membersCount, "membersCount", async () => [await this.#graphql(organizationTotalQuery("membersWithRole"))], (pages) => organizationTotal("membersWithRole")(pages[0], files.membersCount.call)),
      this.#call(files.admins, "admins", () => this.#restPages("GET /orgs/{org}/members", { role: "admin" }), pagedList(restList(githubUserShape, "id"), files.admins.call)),
      this.#call(files.actionsSecrets, "actionsSecrets", () => this.#restPages(`GET /orgs/{org}/actions/secrets`, {}), (pages) => secretsList(pages, files.actionsSecrets.call)),
      // GitHub documents only 200 for these lists: an organization that does not use Dependabot
      // or Codespaces answers with no secrets, so any refusal is a failed call.
      this.#call(files.dependabotSecrets, "dependabotSecrets", () => this.#restPages(`GET /orgs/{org}/dependabot/secrets`, {}), (pages) => secretsList(pages, files.dependabotSecrets.call)),
      this.#orgCodespacesSecrets(),
      this.#samlAndAuthorizations(),
      this.#repos(concurrency),
      this.#call(files.reposCount, "reposCount", async () => [await this.#graphql(organizationTotalQuery("repositories"))], (pages) => organizationTotal("repositories")(pages[0], files.reposCount.call)),
    ]);
    return { org, members, ...(count === undefined ? {} : { membersCount: count }), admins, actionsSecrets, dependabotSecrets, codespacesSecrets, ...samlAndAuthorizations, repos, ...(reposCount === undefined ? {} : { reposCount }) };
  }

  /**
   * The organization's Codespaces secrets. GitHub Enterprise Server has no Codespaces: its 404
   * (the reply names the server's version in x-github-enterprise-version) is read as no
   * secrets, and the repositories' Codespaces calls are not made. A 404 from GitHub.com
   * remains a failed call (a token that may not see the secrets).
   */
  async #orgCodespacesSecrets(): Promise<GithubSecret[] | undefined> {
    const file = files.codespacesSecrets;
    let note: string | undefined;
    const fetchPages = async () => {
      try {
        return await this.#restPages("GET /orgs/{org}/codespaces/secrets", {});
      } catch (error) {
        note = serverWithoutCodespaces(error);
        if (note === undefined) throw error;
        return [noSecrets];
      }
    };
    let secrets: GithubSecret[] | undefined;
    try {
      secrets = await this.#call(file, "codespacesSecrets", fetchPages, (pages) => secretsList(pages, file.call));
    } finally {
      // Repository calls wait for this answer, whatever it was.
      this.#codespacesAbsence.resolve(note);
    }
    if (note !== undefined) {
      const query = this.queries.find((q) => q.step === file.step)!;
      query.call = `${file.call} (answered 404: ${note})`;
    }
    return secrets;
  }

  async #samlAndAuthorizations(): Promise<Pick<GithubData, "samlIdentities" | "credentialAuthorizations">> {
    const saml = await this.#call(files.samlIdentities, "samlIdentities", () => this.#samlPages(), (pages) => samlIdentities(pages, files.samlIdentities.call));
    if (saml === null) {
      // No SAML identity provider: the organization has no credential authorizations to list
      // (the endpoint answers 404). Documented as none, not as a failure.
      this.queries.push({ step: files.credentialAuthorizations.step, call: `${files.credentialAuthorizations.call} (not called: the organization has no SAML identity provider)`, resultCount: 0, pages: 0, status: "ok" });
      await this.#sink?.(files.credentialAuthorizations, []);
      return { samlIdentities: saml, credentialAuthorizations: [] };
    }
    const credentialAuthorizations = await this.#call(
      files.credentialAuthorizations,
      "credentialAuthorizations",
      () => this.#restPages("GET /orgs/{org}/credential-authorizations", {}),
      pagedList(restList(githubCredentialAuthorizationShape, "credential_id"), files.credentialAuthorizations.call),
    );
    return { samlIdentities: saml, credentialAuthorizations };
  }

  /**
   * The repository list, and each repository's secrets (Actions, environments', Dependabot,
   * Codespaces) and deploy keys, `concurrency`
   * repositories at a time. A list page's repositories are called as soon as the page arrives
   * (waiting for the whole list left the client nearly idle while it paged). What those calls
   * record is held until the list is complete: a list that fails, or whose items are not
   * repositories, leaves the result as it was when no repository was called (no queries,
   * errors, export files or data of any repository).
   */
  async #repos(concurrency: number): Promise<GithubRepoData[]> {
    const limit = new ConcurrencyLimit(concurrency);
    const held = new HeldRecorder();
    const started: Promise<GithubRepoData>[] = [];
    const onPage = (page: unknown) => {
      if (!Array.isArray(page)) return;
      for (const item of page as { name?: unknown }[]) {
        const name = item?.name;
        if (typeof name === "string") started.push(limit.run(() => this.#repo(name, held.recorder)));
      }
    };
    let names: string[] | undefined;
    try {
      names = await this.#repoNames(onPage);
    } catch (error) {
      // A list that fails its shape check: no repository call is left running unobserved.
      held.drop();
      await Promise.allSettled(started);
      throw error;
    }
    if (names === undefined) {
      held.drop();
      await Promise.allSettled(started);
      return [];
    }
    await held.commit(this.#recorder);
    const repos = await Promise.all(started);
    // By name, as the file transport lists them (the default sort: UTF-16 code units).
    return repos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async #repo(name: string, recorder: Recorder): Promise<GithubRepoData> {
    const repoFiles = repoExports(name);
    const secretsOf = (file: ExportFile, kind: string, route: string) => this.#call(file, kind, () => this.#restPages(route, { repo: name }), (pages) => secretsList(pages, file.call), recorder);
    const [secrets, keys, environments, dependabotSecrets, codespacesSecrets] = await Promise.all([
      secretsOf(repoFiles.actionsSecrets, "repoActionsSecrets", "GET /repos/{org}/{repo}/actions/secrets"),
      this.#call(repoFiles.deployKeys, "repoDeployKeys", () => this.#restPages("GET /repos/{org}/{repo}/keys", { repo: name }), pagedList(restList(githubDeployKeyShape, "id"), repoFiles.deployKeys.call), recorder),
      this.#environments(name, recorder),
      secretsOf(repoFiles.dependabotSecrets, "repoDependabotSecrets", "GET /repos/{org}/{repo}/dependabot/secrets"),
      this.#repoCodespacesSecrets(name, recorder),
    ]);
    return { name, actionsSecrets: secrets, deployKeys: keys, environments, dependabotSecrets, codespacesSecrets };
  }

  /** A repository's Codespaces secrets, unless the server has no Codespaces (then none, recorded as not called). */
  async #repoCodespacesSecrets(repo: string, recorder: Recorder): Promise<GithubSecret[] | undefined> {
    const file = repoExports(repo).codespacesSecrets;
    const absent = await this.#codespacesAbsence.promise;
    if (absent !== undefined) {
      recorder.queries.push({ step: file.step, call: `${file.call} (not called: ${absent})`, resultCount: 0, pages: 0, status: "ok" });
      await recorder.sink?.(file, [noSecrets]);
      return [];
    }
    return this.#call(file, "repoCodespacesSecrets", () => this.#restPages("GET /repos/{org}/{repo}/codespaces/secrets", { repo }), (pages) => secretsList(pages, file.call), recorder);
  }

  /** A repository's environments, then each one's Actions secrets; undefined when the list failed. */
  async #environments(repo: string, recorder: Recorder): Promise<GithubEnvironmentData[] | undefined> {
    const file = repoExports(repo).environments;
    const listed: GithubEnvironment[] | undefined = await this.#call(file, "repoEnvironments", () => this.#restPages("GET /repos/{org}/{repo}/environments", { repo }), (pages) => environmentsList(pages, file.call), recorder);
    if (listed === undefined) return undefined;
    return Promise.all(
      listed.map(async ({ name }) => {
        const secretsFile = environmentSecretsExport(repo, name);
        const route = "GET /repos/{org}/{repo}/environments/{environment_name}/secrets";
        const secrets = await this.#call(secretsFile, "environmentSecrets", () => this.#restPages(route, { repo, environment_name: name }), (pages) => secretsList(pages, secretsFile.call), recorder);
        return { name, secrets };
      }),
    );
  }

  /** Queries in the file transport's order: organization calls, then repositories by name. */
  orderedQueries(): Query[] {
    const order = [files.org, files.members, files.membersCount, files.admins, files.samlIdentities, files.credentialAuthorizations, files.actionsSecrets, files.dependabotSecrets, files.codespacesSecrets, files.repos, files.reposCount].map((f) => f.step);
    const rank = (q: Query) => (order.includes(q.step) ? order.indexOf(q.step) : order.length);
    // Ranked once per query, not per comparison (thousands of repository queries).
    const ranked = this.queries.map((query) => ({ query, rank: rank(query) }));
    ranked.sort((a, b) => a.rank - b.rank || (a.rank === order.length ? a.query.step.localeCompare(b.query.step) : 0));
    return ranked.map((r) => r.query);
  }

  /** Every repository's name; `onPage` sees each list page as it arrives. Undefined when the list failed. */
  async #repoNames(onPage: (page: unknown) => void): Promise<string[] | undefined> {
    return this.#call(files.repos, "repos", () => this.#restPages("GET /orgs/{org}/repos", {}, onPage), (pages) => {
      const repos = pagedList(restList(githubRepoShape, "name"), files.repos.call)(pages);
      return { ...repos, value: repos.value.map((r) => r.name) };
    });
  }

  /**
   * Runs one call, records its query (and error), hands the raw body to the export sink and
   * returns the parsed value; undefined when the call failed.
   */
  async #call<T>(file: ExportFile, kind: string, fetchPages: () => Promise<unknown[]>, parse: (pages: unknown[]) => Parsed<T>, recorder: Recorder = this.#recorder): Promise<T | undefined> {
    const started = performance.now();
    this.#progress.step(file.step);
    let pages: unknown[];
    try {
      pages = await fetchPages();
    } catch (error) {
      const failure = error as RequestErrorLike;
      const answered = failure.response !== undefined;
      const status = answered && typeof failure.status === "number" && failure.status < 600 ? failure.status : 0;
      const timedOut = failure.name === "TimeoutError" || failure.name === "AbortError" || /aborted|timeout/i.test(String(failure.message));
      const description = status > 0 && !timedOut ? `HTTP ${status}: ${this.#scrub(String(failure.message ?? "request failed").split("\n")[0].slice(0, 300))}` : timedOut ? "no response in time" : `no response: ${this.#scrub(String(failure.message ?? "network error"))}`;
      const hint = status === 403 || status === 404 ? `; needs ${permissionHints[kind]}` : "";
      recorder.queries.push({ step: file.step, call: file.call, resultCount: 0, status: "error", durationMs: Math.round(performance.now() - started) });
      recorder.errors.push({
        step: file.step,
        call: file.call,
        code: status > 0 && !timedOut ? `http-${status}` : timedOut ? "timeout" : "network",
        message: `${file.call} failed: ${description}${hint}; ${file.affects.join(", ")} left unknown`,
        affects: file.affects,
      });
      return undefined;
    }
    const parsed = parse(pages);
    this.#progress.tick(parsed.resultCount);
    // What the answer says of itself (a secrets total_count above the secrets read, an object
    // repeated across pages) makes the read partial, as it does for an export file.
    recorder.queries.push({ step: file.step, call: file.call, resultCount: parsed.resultCount, pages: parsed.pages, status: parsed.incomplete === undefined ? "ok" : "partial", durationMs: Math.round(performance.now() - started) });
    if (parsed.incomplete !== undefined) {
      recorder.errors.push({ step: file.step, call: file.call, code: "read-incomplete", message: `${file.call} read short: ${parsed.incomplete}; ${file.affects.join(", ")} left partly unknown`, affects: file.affects });
    }
    await recorder.sink?.(file, singleBodyFiles.has(file) ? pages[0] : pages);
    return parsed.value;
  }

  /** One GraphQL answer as `gh api graphql` saves it (`{"data": ...}`). */
  async #graphql(query: string): Promise<unknown> {
    this.requests++;
    return { data: await this.#octokit.graphql(query, { org: this.#org }) };
  }

  async #get(route: string, parameters: Record<string, unknown>): Promise<unknown> {
    this.requests++;
    return (await this.#octokit.request(route, { org: this.#org, ...parameters })).data;
  }

  /** Every page of a REST list, following the Link header (rest-paging.ts); secrets lists keep the body's shape, as the file does. */
  #restPages(route: string, parameters: Record<string, unknown>, onPage?: (page: unknown) => void): Promise<unknown[]> {
    return restPages(this.#octokit, route, { org: this.#org, per_page: 100, ...parameters }, () => this.requests++, onPage);
  }

  /** GraphQL cursor paging over organization.samlIdentityProvider.externalIdentities. */
  async #samlPages(): Promise<unknown[]> {
    const pages: unknown[] = [];
    let endCursor: string | null = null;
    for (;;) {
      this.requests++;
      const data: SamlPage = await this.#octokit.graphql<SamlPage>(samlIdentitiesQuery, { org: this.#org, endCursor });
      pages.push({ data });
      const identities = data.organization?.samlIdentityProvider?.externalIdentities;
      if (!identities?.pageInfo.hasNextPage || !identities.pageInfo.endCursor) return pages;
      endCursor = identities.pageInfo.endCursor;
    }
  }
}

/** A secrets list with none, as GitHub answers it. */
const noSecrets = { total_count: 0, secrets: [] };

/** Why a failed call means "no Codespaces here": a 404 from GitHub Enterprise Server (named by its version header). */
function serverWithoutCodespaces(error: unknown): string | undefined {
  const failure = error as RequestErrorLike & { response?: { headers?: Record<string, string | undefined> } };
  const version = failure.response?.headers?.["x-github-enterprise-version"];
  return failure.status === 404 && typeof version === "string" ? `GitHub Enterprise Server ${version} has no Codespaces` : undefined;
}

/** Calls answered by one body, saved as it is rather than as a list of pages. */
const singleBodyFiles: ReadonlySet<ExportFile> = new Set([files.org, files.membersCount, files.reposCount]);

/** Where a call's query, error and raw pages go. */
interface Recorder {
  queries: Query[];
  errors: SourceError[];
  sink: PagesSink | undefined;
}

/**
 * Records of calls whose keeping depends on a call still running (the repository list): held
 * until `commit` (then handed on, and later records go straight through) or `drop` (then
 * discarded, now and later).
 */
class HeldRecorder {
  readonly #queries: Query[] = [];
  readonly #errors: SourceError[] = [];
  readonly #pages: [ExportFile, unknown][] = [];
  readonly recorder: Recorder = { queries: this.#queries, errors: this.#errors, sink: async (file, body) => void this.#pages.push([file, body]) };

  async commit(to: Recorder): Promise<void> {
    to.queries.push(...this.#queries);
    to.errors.push(...this.#errors);
    Object.assign(this.recorder, to);
    for (const [file, body] of this.#pages.splice(0)) await to.sink?.(file, body);
  }

  drop(): void {
    Object.assign(this.recorder, { queries: [], errors: [], sink: undefined });
  }
}

interface SamlPage {
  organization: { samlIdentityProvider: { externalIdentities: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } | null;
}

function pagedList<T>(parse: (body: unknown, name: string) => Parsed<T>, name: string) {
  // An empty list still came back as one (empty) page.
  return (pages: unknown[]) => parse(pages.length === 0 ? [] : pages, name);
}
