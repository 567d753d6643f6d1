import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubCollector } from "../../src/collectors/github/collector.ts";
import type { SourcePart } from "../../src/collectors/collector.ts";
import { GithubFixtureServer } from "../fixture-servers/github-server.ts";
import { orgFromExports } from "../fixture-servers/github-export-data.ts";
import { createTestPki, trustTestCa, type TestPki } from "../fixture-servers/test-pki.ts";

const fixtures = new URL("../fixtures/github/", import.meta.url).pathname;
const token = "ghp_fixtureToken0000000000000000000000";

let pki: TestPki;
let github: GithubFixtureServer;

beforeAll(async () => {
  pki = createTestPki();
  trustTestCa(pki);
  github = await new GithubFixtureServer({ pki, data: orgFromExports(fixtures), tokens: [token] }).start();
});
afterAll(async () => github?.stop());

function collectLive(settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { GH_TOKEN_TEST: token }): Promise<SourcePart> {
  return githubCollector.collect({
    source: { id: "gh", kind: "github", org: "fixture-org", tokenEnv: "GH_TOKEN_TEST", baseUrl: github.baseUrl, timeoutMs: 5000, ...settings },
    configDir: fixtures,
    env,
    progress: { step() {}, tick() {} },
    log() {},
  });
}

const collectFiles = (): Promise<SourcePart> => githubCollector.collect({ source: { id: "gh", kind: "github", dir: "." }, configDir: fixtures, env: {}, progress: { step() {}, tick() {} }, log() {} });

describe("GitHub live collection through octokit", () => {
  it("reads the organization the exports hold", async () => {
    const live = await collectLive();
    const file = await collectFiles();
    expect(live.source.errors).toEqual([]);
    expect(live.source).toMatchObject({ transport: "live", status: "ok" });
    const strip = (p: SourcePart) => ({ ...p, source: { ...p.source, transport: "", endpoint: "", collectedAt: "", queries: p.source.queries.filter((q) => q.step !== "repos").map(({ durationMs: _d, pages: _p, ...q }) => q) } });
    expect(strip(live)).toEqual(strip(file));
    console.log(github.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join("\n"));
  });
});
