// REST paging by Link header with bodies parsed here, through the real octokit against a local
// HTTP server: the pages and bodies octokit.paginate and octokit's own parsing would give.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "octokit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextPageUrl, restPages } from "../../../src/collectors/github/rest-paging.ts";

const requests: string[] = [];
let baseUrl = "";
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  requests.push(req.url ?? "");
  const url = new URL(req.url ?? "/", "http://x");
  const page = Number(url.searchParams.get("page") ?? 1);
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(body));
  switch (url.pathname) {
    case "/orgs/a/members": {
      // Three pages of two; GitHub's Link header names next, last, first and prev.
      const link = (p: number, rel: string) => `<${baseUrl}/orgs/a/members?per_page=2&page=${p}>; rel="${rel}"`;
      const rels = [page < 3 ? link(page + 1, "next") : "", link(3, "last"), link(1, "first"), page > 1 ? link(page - 1, "prev") : ""].filter(Boolean);
      return json(200, [{ login: `u${page * 2 - 1}` }, { login: `u${page * 2}` }], { link: rels.join(", ") });
    }
    case "/orgs/a/actions/secrets":
      return json(200, { total_count: 1, secrets: [{ name: "S" }] });
    case "/orgs/a/big":
      // A number beyond 2^53 parses as JSON.parse parses it (the file transport's reading).
      return res.writeHead(200, { "content-type": "application/json" }).end('[{"id": 9007199254740993}]');
    case "/orgs/a/not-json":
      return res.writeHead(200, { "content-type": "application/json" }).end("<html>proxy error</html>");
    case "/orgs/a/text":
      return res.writeHead(200, { "content-type": "text/plain" }).end("[1]");
    case "/orgs/a/split": {
      // "é" is two bytes in UTF-8; the body arrives in two chunks cut between them, after a BOM.
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"login":"rené"}]', "utf8")]);
      const cut = bytes.indexOf(0xc3) + 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.end(bytes.subarray(cut)), 20);
      return;
    }
    case "/orgs/a/empty":
      return res.writeHead(204).end();
    default:
      return json(403, { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" });
  }
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const octokit = () => new Octokit({ baseUrl, auth: "ghp_test", retry: { enabled: false }, throttle: { enabled: false } });

describe("restPages", () => {
  it("follows rel=next to the last page, counting each request, and keeps each page's body", async () => {
    requests.length = 0;
    let counted = 0;
    const pages = await restPages(octokit(), "GET /orgs/{org}/members", { org: "a", per_page: 2 }, () => counted++);
    expect(pages).toEqual([
      [{ login: "u1" }, { login: "u2" }],
      [{ login: "u3" }, { login: "u4" }],
      [{ login: "u5" }, { login: "u6" }],
    ]);
    expect(counted).toBe(3);
    expect(requests).toEqual(["/orgs/a/members?per_page=2", "/orgs/a/members?per_page=2&page=2", "/orgs/a/members?per_page=2&page=3"]);
  });

  it("gives a secrets list page as GitHub sent it, and the same value as octokit.paginate for a list", async () => {
    await expect(restPages(octokit(), "GET /orgs/{org}/actions/secrets", { org: "a" }, () => {})).resolves.toEqual([{ total_count: 1, secrets: [{ name: "S" }] }]);
    const paginated = await octokit().paginate("GET /orgs/{org}/members", { org: "a", per_page: 2 });
    expect((await restPages(octokit(), "GET /orgs/{org}/members", { org: "a", per_page: 2 }, () => {})).flat()).toEqual(paginated);
  });

  it("reads a body as octokit would: text when it is not JSON, an empty list for 204", async () => {
    const one = (path: string) => restPages(octokit(), `GET /orgs/{org}/${path}`, { org: "a" }, () => {});
    await expect(one("big")).resolves.toEqual([[{ id: 9007199254740992 }]]);
    await expect(one("not-json")).resolves.toEqual(["<html>proxy error</html>"]);
    await expect(one("text")).resolves.toEqual(["[1]"]);
    await expect(one("empty")).resolves.toEqual([[]]);
    await expect(one("split")).resolves.toEqual([[{ login: "rené" }]]);
  });

  it("an error reply is octokit's RequestError with the status and GitHub's message", async () => {
    await expect(restPages(octokit(), "GET /orgs/{org}/forbidden", { org: "a" }, () => {})).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/^Resource not accessible by integration/) });
  });
});

describe("nextPageUrl", () => {
  it("finds rel=next among GitHub's relations, and nothing without it", () => {
    expect(nextPageUrl('<https://api.github.com/x?page=3>; rel="prev", <https://api.github.com/x?page=5>; rel="next", <https://api.github.com/x?page=9>; rel="last"')).toBe("https://api.github.com/x?page=5");
    expect(nextPageUrl('<https://api.github.com/x?page=1>; rel="first"')).toBeUndefined();
    expect(nextPageUrl(undefined)).toBeUndefined();
  });
});
