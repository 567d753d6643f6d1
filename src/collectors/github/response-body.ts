// Shapes of a GitHub response body as an export file holds it: one response, or several pages
// of one as a JSON array of page bodies (REST list pages are themselves arrays). Every item is
// checked against the shape credgov reads (rest-shapes.ts): nothing is skipped silently.
import { UserInputError } from "../../errors.ts";
import type { Parsed } from "../export-reader.ts";
import type { ItemShape } from "../item-shape.ts";
import { githubEnvironmentShape, githubExternalIdentityShape, githubSecretShape } from "./rest-shapes.ts";
import type { GithubEnvironment, GithubExternalIdentity, GithubSecret } from "./rest-types.ts";
import { firstNames } from "../first-names.ts";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Checks each item of one page; `where` prefixes the item path (`page 2 `). */
function checkItems<T>(list: unknown[], shape: ItemShape<T>, file: string, where: string, path: string): T[] {
  return list.map((item, i) => {
    if (!isObject(item)) throw new UserInputError("must be an object", { file, field: `${where}${path}[${i}]` });
    return shape.check(item, () => ({ file, path: `${where}${path}[${i}]` }));
  });
}

/**
 * The items with each key kept once, and why the list is partial when one came twice. REST
 * pages are offsets: an object added while the list was read shifts another onto the next
 * page, where it appears again, and one removed shifts an object past the reader unseen. A
 * repeat is therefore a sign of a list that changed mid-read, and a copy in the snapshot would
 * be a second object with the same id.
 */
function withoutRepeats<T>(items: T[], key: string, what: string): { items: T[]; incomplete?: string } {
  const seen = new Set<unknown>();
  const repeated: unknown[] = [];
  const kept = items.filter((item) => {
    const value = (item as Record<string, unknown>)[key];
    if (!seen.has(value)) return seen.add(value), true;
    repeated.push(value);
    return false;
  });
  if (repeated.length === 0) return { items };
  return {
    items: kept,
    incomplete: `it lists ${repeated.length === 1 ? `one of its ${what}` : `${repeated.length} of its ${what}`} twice (${key} ${firstNames(repeated.map((v) => JSON.stringify(v)))}): the list changed while it was read, so others may be missing; read every page again`,
  };
}

/**
 * A REST list (`[...]`), or pages of it (`[[...], [...]]`). An empty list is an empty result.
 * `key` names the property that tells the list's objects apart (see withoutRepeats).
 */
export function restList<T>(shape: ItemShape<T>, key: string) {
  return (body: unknown, displayName: string): Parsed<T[]> => {
    if (!Array.isArray(body)) throw new UserInputError("is not a GitHub REST list response (a JSON array)", { file: displayName });
    const paged = body.length > 0 && body.some(Array.isArray);
    if (paged) {
      const notPage = body.findIndex((page) => !Array.isArray(page));
      if (notPage >= 0) throw new UserInputError("must be a page (a JSON array): the file mixes pages and items", { file: displayName, field: `page ${notPage + 1}` });
    }
    const pages = paged ? (body as unknown[][]) : [body];
    const items = pages.flatMap((page, i) => checkItems(page, shape, displayName, paged ? `page ${i + 1} ` : "", ""));
    const once = withoutRepeats(items, key, "items");
    return { value: once.items, resultCount: once.items.length, pages: pages.length, incomplete: once.incomplete };
  };
}

/** A single REST object (GET /orgs/{org}). */
export function restObject<T>(shape: ItemShape<T>) {
  return (body: unknown, displayName: string): Parsed<T> => {
    if (!isObject(body)) throw new UserInputError("is not a GitHub REST object response (a JSON object)", { file: displayName });
    return { value: shape.check(body, { file: displayName, path: "(body)" }), resultCount: 1, pages: 1 };
  };
}

/**
 * A list GitHub wraps in an object, `{"total_count": n, "<key>": [...]}`, or pages of it: every
 * secrets list and the environments list. Fewer items than total_count is reported incomplete.
 */
function countedList<T>(key: string, shape: ItemShape<T>, one: string) {
  return (body: unknown, displayName: string): Parsed<T[]> => {
    const paged = Array.isArray(body);
    const pages = paged ? body : [body];
    const items: T[] = [];
    pages.forEach((page, i) => {
      if (!isObject(page) || !(key in page)) {
        throw new UserInputError(`${paged ? `page ${i + 1}` : "the body"} is not a GitHub ${key} list response ({"total_count": n, "${key}": [...]})`, { file: displayName });
      }
      const where = paged ? `page ${i + 1} ` : "";
      if (!Array.isArray(page[key])) throw new UserInputError("must be an array of objects", { file: displayName, field: `${where}${key}` });
      items.push(...checkItems(page[key], shape, displayName, where, key));
    });
    const once = withoutRepeats(items, "name", key);
    const stated = (pages[0] as Record<string, unknown>).total_count;
    const short = typeof stated === "number" && stated > once.items.length ? `total_count says ${stated} ${one}(s), the file holds ${once.items.length}; export every page (per_page=100&page=N)` : undefined;
    return { value: once.items, resultCount: once.items.length, pages: pages.length, incomplete: short ?? once.incomplete };
  };
}

/** `{"total_count": n, "secrets": [...]}`, or pages of it: Actions, Dependabot and Codespaces secrets alike. */
export const secretsList: (body: unknown, displayName: string) => Parsed<GithubSecret[]> = countedList("secrets", githubSecretShape, "secret");

/** `{"total_count": n, "environments": [...]}`, or pages of it (GET /repos/{owner}/{repo}/environments). */
export const environmentsList: (body: unknown, displayName: string) => Parsed<GithubEnvironment[]> = countedList("environments", githubEnvironmentShape, "environment");

/**
 * GraphQL `organization.samlIdentityProvider.externalIdentities` with `edges { node }` or
 * `nodes`, or pages of such responses. null when the organization has no SAML provider.
 */
export function samlIdentities(body: unknown, displayName: string): Parsed<GithubExternalIdentity[] | null> {
  const paged = Array.isArray(body);
  const pages = paged ? body : [body];
  const items: GithubExternalIdentity[] = [];
  let configured = false;
  let hasNextPage = false;
  pages.forEach((page, i) => {
    const where = paged ? `page ${i + 1} ` : "";
    const data = isObject(page) ? page.data : undefined;
    const organization = isObject(data) ? data.organization : undefined;
    if (!isObject(organization)) {
      throw new UserInputError(`${paged ? `page ${i + 1}` : "the body"} is not a GraphQL response with data.organization`, { file: displayName });
    }
    const provider = organization.samlIdentityProvider;
    if (provider === null || provider === undefined) return;
    const base = `${where}data.organization.samlIdentityProvider`;
    if (!isObject(provider)) throw new UserInputError("must be an object or null", { file: displayName, field: base });
    configured = true;
    const identities = provider.externalIdentities;
    if (!isObject(identities)) throw new UserInputError("must be an object with nodes or edges", { file: displayName, field: `${base}.externalIdentities` });
    // Only the last page's pageInfo counts: earlier pages of a complete export all have a next one.
    hasNextPage = isObject(identities.pageInfo) && identities.pageInfo.hasNextPage === true;
    if (Array.isArray(identities.nodes)) {
      items.push(...checkItems(identities.nodes, githubExternalIdentityShape, displayName, "", `${base}.externalIdentities.nodes`));
    } else if (Array.isArray(identities.edges)) {
      const edges = identities.edges;
      edges.forEach((edge, j) => {
        const field = `${base}.externalIdentities.edges[${j}]`;
        if (!isObject(edge) || !isObject(edge.node)) throw new UserInputError("must be an object with a node object", { file: displayName, field });
        items.push(githubExternalIdentityShape.check(edge.node, () => ({ file: displayName, path: `${field}.node` })));
      });
    } else {
      throw new UserInputError("must hold a nodes or edges array", { file: displayName, field: `${base}.externalIdentities` });
    }
  });
  const incomplete = hasNextPage
    ? `its last page says pageInfo.hasNextPage: true (${items.length} identities read): the pages after it were not exported; re-run the query with after: endCursor until hasNextPage is false`
    : undefined;
  return { value: configured ? items : null, resultCount: items.length, pages: pages.length, incomplete };
}
