// Misshapen GitHub exports: every item is checked, nothing is dropped silently, and the error
// names the file, the line and column of the value, the page/item and the field (exit 2), never
// a TypeError from the normalizer.
import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { githubCollector } from "../../../src/collectors/github/collector.ts";
import { UserInputError } from "../../../src/errors.ts";

const fixtures = new URL("../../fixtures/", import.meta.url).pathname;

async function collectWith(file: string, body: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "credgov-github-shape-"));
  cpSync(join(fixtures, "github"), join(dir, "github"), { recursive: true });
  writeFileSync(join(dir, "github", file), body);
  const error = await githubCollector
    .collect({ source: { id: "gh", kind: "github", dir: "github" }, configDir: dir, env: {}, progress: { step() {}, tick() {} }, log() {} })
    .then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserInputError);
  return (error as UserInputError).format().replace(`${dir}/`, "");
}

describe("GitHub export shapes", () => {
  it.each([
    ["members.json", '[{"id": 1}]', "github/members.json:1:2 [0].login: is required"],
    ["members.json", '[{"login": "a"}, "b"]', "github/members.json:1:18 [1]: must be an object"],
    ["admins.json", '[[{"login": "a"}], [{"login": 5}]]', "github/admins.json:1:31 page 2 [0].login: must be a string"],
    ["admins.json", '[[{"login": "a"}], {"login": "b"}]', "github/admins.json:1:20 page 2: must be a page (a JSON array): the file mixes pages and items"],
    ["credential-authorizations.json", '[{"login": "a"}]', "github/credential-authorizations.json:1:2 [0].credential_id: is required"],
    ["actions-secrets.json", '{"total_count": 1, "secrets": [{"created_at": "2024-01-01T00:00:00Z"}]}', "github/actions-secrets.json:1:32 secrets[0].name: is required"],
    ["actions-secrets.json", '{"total_count": 1, "secrets": null}', "github/actions-secrets.json:1:31 secrets: must be an array of objects"],
    ["repos/api/deploy-keys.json", '[{"id": "1"}]', "github/repos/api/deploy-keys.json:1:9 [0].id: must be an integer"],
    ["org.json", '{"login": "acme", "two_factor_requirement_enabled": "true"}', "github/org.json:1:53 (body).two_factor_requirement_enabled: must be a boolean or null"],
    [
      "saml-identities.json",
      '{"data": {"organization": {"samlIdentityProvider": {"externalIdentities": {"nodes": [{"user": {"login": 3}}]}}}}}',
      "github/saml-identities.json:1:105 data.organization.samlIdentityProvider.externalIdentities.nodes[0].user.login: must be a string or null",
    ],
  ])("%s %s", async (file, body, expected) => {
    expect(await collectWith(file, body)).toBe(expected);
  });

  it("reads an empty REST list as an empty result", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-github-shape-"));
    cpSync(join(fixtures, "github"), join(dir, "github"), { recursive: true });
    writeFileSync(join(dir, "github", "credential-authorizations.json"), "[]");
    const part = await githubCollector.collect({ source: { id: "gh", kind: "github", dir: "github" }, configDir: dir, env: {}, progress: { step() {}, tick() {} }, log() {} });
    expect(part.source.status).toBe("ok");
    expect(part.credentials.some((c) => c.type === "token" || c.type === "sshKey")).toBe(false);
  });
});
