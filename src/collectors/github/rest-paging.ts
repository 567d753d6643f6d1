// Paging a REST list through octokit: the first page by route, each next one by the URL of the
// Link header's rel="next" (octokit.paginate's rule), every page a plain `octokit.request`.
// Bodies are asked for unparsed (`request.parseSuccessResponseBody: false`, a documented
// option) and parsed here with JSON.parse: octokit parses with json-with-bigint, whose reviver
// runs for every value of every item (about a tenth of a collector's CPU over thousands of
// repository calls), and the file transport reads the same bodies with JSON.parse. paginate
// itself merges the route's options one more time per call and rewraps `secrets` lists; here
// each page is the body as GitHub sent it, as an export file holds it. Error replies (>= 400)
// are still parsed and thrown by octokit, so errors name the same status and message.
import type { Octokit } from "octokit";

const nextLink = /<([^<>]+)>;\s*rel="next"/;
const jsonMediaType = /^\s*application\/(?:scim\+)?json\s*(?:;|$)/i;

/** The rel="next" URL of a Link header, if any. */
export function nextPageUrl(link: string | undefined): string | undefined {
  return link ? nextLink.exec(link)?.[1] : undefined;
}

interface RawResponse {
  headers: { link?: string; "content-type"?: string };
  data: unknown;
}

/**
 * A page's body as octokit would have read it: JSON when the media type is JSON (the text
 * itself when it does not parse), else the text; an empty reply (204) is an empty list, as
 * paginate reads it.
 */
export async function pageBody(response: RawResponse): Promise<unknown> {
  if (!(response.data instanceof ReadableStream)) return response.data || [];
  // Read chunk by chunk with a reader (the stream's async iterator costs more per page) and
  // decoded as undici's text() decodes (UTF-8, a leading BOM dropped).
  const reader = (response.data as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  text += decoder.decode();
  if (!jsonMediaType.test(response.headers["content-type"] ?? "")) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Every page body of a REST list; `onRequest` counts each request made, `onPage` sees each body before the next page is asked for. */
export async function restPages(octokit: Octokit, route: string, parameters: Record<string, unknown>, onRequest: () => void, onPage?: (body: unknown) => void): Promise<unknown[]> {
  const raw = { parseSuccessResponseBody: false };
  const pages: unknown[] = [];
  onRequest();
  let response = (await octokit.request(route, { ...parameters, request: raw })) as RawResponse;
  for (;;) {
    const body = await pageBody(response);
    pages.push(body);
    onPage?.(body);
    const next = nextPageUrl(response.headers.link);
    if (next === undefined) return pages;
    onRequest();
    response = (await octokit.request({ method: "GET", url: next, request: raw })) as RawResponse;
  }
}
