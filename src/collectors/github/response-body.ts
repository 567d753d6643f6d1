// Shapes of a GitHub response body as an export file holds it: one response, or several pages
// of one as a JSON array of page bodies (REST list pages are themselves arrays).
import { UserInputError } from "../../cli/errors.ts";
import type { Parsed } from "../export-reader.ts";
import type { GithubActionsSecret, GithubExternalIdentity } from "./rest-types.ts";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A REST list (`[...]`), or pages of it (`[[...], [...]]`). */
export function restList<T>(body: unknown, displayName: string): Parsed<T[]> {
  if (!Array.isArray(body)) throw new UserInputError("is not a GitHub REST list response (a JSON array)", { file: displayName });
  const paged = body.length > 0 && body.every(Array.isArray);
  const pages = paged ? (body as unknown[][]) : [body];
  const items = pages.flat().filter(isObject) as T[];
  return { value: items, resultCount: items.length, pages: pages.length };
}

/** A single REST object (GET /orgs/{org}). */
export function restObject<T>(body: unknown, displayName: string): Parsed<T> {
  if (!isObject(body)) throw new UserInputError("is not a GitHub REST object response (a JSON object)", { file: displayName });
  return { value: body as T, resultCount: 1, pages: 1 };
}

/** `{"total_count": n, "secrets": [...]}`, or pages of it. */
export function secretsList(body: unknown, displayName: string): Parsed<GithubActionsSecret[]> {
  const pages = Array.isArray(body) ? body : [body];
  const items: GithubActionsSecret[] = [];
  pages.forEach((page, i) => {
    if (!isObject(page) || !Array.isArray(page.secrets)) {
      throw new UserInputError(`${Array.isArray(body) ? `page ${i + 1}` : "the body"} is not a GitHub secrets list response ({"total_count": n, "secrets": [...]})`, { file: displayName });
    }
    for (const s of page.secrets) if (isObject(s) && typeof s.name === "string") items.push(s as unknown as GithubActionsSecret);
  });
  return { value: items, resultCount: items.length, pages: pages.length };
}

/**
 * GraphQL `organization.samlIdentityProvider.externalIdentities` with `edges { node }` or
 * `nodes`, or pages of such responses. null when the organization has no SAML provider.
 */
export function samlIdentities(body: unknown, displayName: string): Parsed<GithubExternalIdentity[] | null> {
  const pages = Array.isArray(body) ? body : [body];
  const items: GithubExternalIdentity[] = [];
  let configured = false;
  pages.forEach((page, i) => {
    const data = isObject(page) ? page.data : undefined;
    const organization = isObject(data) ? data.organization : undefined;
    if (!isObject(organization)) {
      throw new UserInputError(`${Array.isArray(body) ? `page ${i + 1}` : "the body"} is not a GraphQL response with data.organization`, { file: displayName });
    }
    const provider = organization.samlIdentityProvider;
    if (!isObject(provider)) return;
    configured = true;
    const identities = provider.externalIdentities;
    if (!isObject(identities)) return;
    const nodes = Array.isArray(identities.nodes) ? identities.nodes : Array.isArray(identities.edges) ? identities.edges.map((e) => (isObject(e) ? e.node : undefined)) : [];
    for (const node of nodes) if (isObject(node)) items.push(node as GithubExternalIdentity);
  });
  return { value: configured ? items : null, resultCount: items.length, pages: pages.length };
}
