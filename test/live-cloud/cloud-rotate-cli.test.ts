// The cloud rotators end to end through the command line: `credgov scan` reads the Graph and
// GitHub fixture servers live, `rotate plan` selects the failing Entra application secret,
// GitHub Actions secrets and deploy key, `rotate apply` rotates them into the age-file store,
// `rotate status` reads the journal. A run killed mid-way (a GitHub PUT and an Entra
// removePassword that never answer) is resumed with `rotate resume`. Finally every secret the
// store holds is searched for in everything the runs printed or wrote (canary).
// The fixture servers run in this process, so credgov runs as an asynchronous child.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ClientSecretCredential } from "@azure/identity";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJournal } from "../../src/rotation/journal.ts";
import type { Plan } from "../../src/rotation/plan.ts";
import { AgeFileSink } from "../../src/rotation/sinks/age-file.ts";
import { GraphFixtureServer } from "../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../fixture-servers/graph-export-data.ts";
import { GithubFixtureServer } from "../fixture-servers/github-server.ts";
import { orgFromExports } from "../fixture-servers/github-export-data.ts";
import { createTestPki, trustTestCa, type TestPki } from "../fixture-servers/test-pki.ts";

const haveTools = (() => {
  try {
    execFileSync("sh", ["-c", "command -v age && command -v ssh-keygen"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const fixtures = new URL("../fixtures/", import.meta.url).pathname;
const tenantId = "aaaaaaaa-0000-4000-8000-00000000000a";
const rotatorApp = { appId: "abababab-0000-4000-8000-0000000000ab", secret: `rotator-${randomUUID()}` };
const invoiceSync = { appId: "44444444-0000-4000-8000-000000000001", objectId: "33333333-0000-4000-8000-000000000001", oldKeyId: "55555555-0000-4000-8000-000000000001", oldSecret: `old-${randomUUID()}` };
// A second application, rotated by the crash test (its plan is from the same scan).
const orphanReporter = { appId: "44444444-0000-4000-8000-000000000002", objectId: "33333333-0000-4000-8000-000000000002", oldKeyId: "55555555-0000-4000-8000-000000000003", oldSecret: `old-${randomUUID()}` };
const githubToken = `ghp_${randomUUID().replaceAll("-", "")}`;
const reads = ["User.Read.All", "Domain.Read.All", "Policy.Read.All", "Policy.Read.AuthenticationMethod", "AuditLog.Read.All", "OnPremDirectorySynchronization.Read.All", "Application.Read.All", "RoleManagement.Read.Directory", "AdministrativeUnit.Read.All"];
const selection = ["--controls", "CG-NHI-001", "CG-NHI-003", "--subjects", `cloud:${invoiceSync.objectId}:clientSecret:*`, "gh:*"];
const crashSelection = ["--controls", "CG-NHI-001", "CG-NHI-003", "--subjects", `cloud:${orphanReporter.objectId}:clientSecret:*`, "gh:org:*:actions-secret:*"];

let pki: TestPki;
let graph: GraphFixtureServer;
let github: GithubFixtureServer;
let dir: string;
let identity: string;
const transcript: string[] = [];

function env(): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: "1", NODE_EXTRA_CA_CERTS: pki.caFile, ROTATOR_SECRET: rotatorApp.secret, GH_TOKEN_TEST: githubToken, AGE_IDENTITY: identity };
}

function spawnCredgov(...args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: env(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (status) => {
      transcript.push(stdout, stderr);
      resolve({ status, stdout, stderr });
    }),
  );
  return { child, done };
}

const credgov = (...args: string[]) => spawnCredgov(...args).done;

function sink(): AgeFileSink {
  return new AgeFileSink({ dir: join(dir, "store"), recipients: ["unused-for-reads"], identity });
}

async function planAndDigest(name: string, chosen: string[]): Promise<{ plan: Plan; digest: string }> {
  const planned = await credgov("rotate", "plan", "--config", "credgov.yaml", "--findings", "scan/findings.json", ...chosen, "--out", `${name}.json`);
  expect(planned.status, planned.stderr).toBe(0);
  return { plan: JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as Plan, digest: planned.stdout.trim() };
}

const location = (plan: Plan, credential: string | RegExp) => plan.items.find((i) => (typeof credential === "string" ? i.credential === credential : credential.test(i.credential)))!.sink.location;
const orgSecret = "gh:org:fixture-org:actions-secret:NPM_PUBLISH_TOKEN";
const repoSecret = "gh:repo:api:actions-secret:DB_PASSWORD";
// The other secret stores: an environment's secret of the same name, Dependabot, Codespaces.
const environmentSecret = "gh:repo:api:environment:production:actions-secret:DB_PASSWORD";
const dependabotSecret = "gh:org:fixture-org:dependabot-secret:ARTIFACTORY_TOKEN";
const codespacesSecret = "gh:repo:api:codespaces-secret:DEV_API_KEY";
const appSecret = new RegExp(`^cloud:${invoiceSync.objectId}:clientSecret:`);

async function signsIn(secret: string, app = invoiceSync): Promise<boolean> {
  const credential = new ClientSecretCredential(tenantId, app.appId, secret, { authorityHost: graph.url, disableInstanceDiscovery: true });
  return credential.getToken(`${graph.url}/.default`).then(
    () => true,
    () => false,
  );
}

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!haveTools)("cloud rotators through rotate plan / apply / status / resume", { timeout: 180_000 }, () => {
  beforeAll(async () => {
    pki = createTestPki();
    trustTestCa(pki);
    graph = await new GraphFixtureServer({
      pki,
      tenantId,
      data: tenantFromExports(join(fixtures, "entra")),
      clients: [
        { appId: rotatorApp.appId, secrets: [{ keyId: randomUUID(), secretText: rotatorApp.secret }], permissions: [...reads, "Application.ReadWrite.OwnedBy"] },
        { appId: invoiceSync.appId, secrets: [{ keyId: invoiceSync.oldKeyId, secretText: invoiceSync.oldSecret }], permissions: [] },
        { appId: orphanReporter.appId, secrets: [{ keyId: orphanReporter.oldKeyId, secretText: orphanReporter.oldSecret }], permissions: [] },
      ],
    }).start();
    github = await new GithubFixtureServer({ pki, data: orgFromExports(join(fixtures, "github")), tokens: [githubToken] }).start();
    dir = mkdtempSync(join(tmpdir(), "credgov-cloud-rotate-"));
    identity = await generateX25519Identity();
    writeFileSync(join(dir, "store.key"), identity + "\n", { mode: 0o600 });
    writeFileSync(
      join(dir, "credgov.yaml"),
      `version: 1
sources:
  - { id: cloud, kind: entra, tenantId: ${tenantId}, clientId: ${rotatorApp.appId}, clientSecretEnv: ROTATOR_SECRET, authorityHost: "${graph.url}", graphBaseUrl: "${graph.url}", timeoutMs: 60000 }
  - { id: gh, kind: github, org: fixture-org, tokenEnv: GH_TOKEN_TEST, baseUrl: "${github.baseUrl}", timeoutMs: 60000 }
rotation:
  sink: { kind: age-file, dir: store, recipients: [${await identityToRecipient(identity)}], identityEnv: AGE_IDENTITY }
  hooks:
    - kind: exec
      argv: [${JSON.stringify(process.execPath)}, -e, "process.stdin.pipe(require('fs').createWriteStream(process.argv[1], {flags: 'a'}))", hook-events.jsonl]
`,
    );
    const scan = await credgov("scan", "--config", "credgov.yaml", "--out", "scan", "--no-history");
    expect([0, 1], scan.stderr).toContain(scan.status);
  }, 120_000);
  afterAll(async () => {
    await graph?.stop();
    await github?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("plans the failing cloud credentials, applies the approved plan, and the directories hold what the store holds", async () => {
    const { plan, digest } = await planAndDigest("cloud-plan", selection);
    expect(plan.items.map((i) => i.credential).sort()).toEqual([expect.stringMatching(appSecret), orgSecret, repoSecret, environmentSecret, dependabotSecret, codespacesSecret, "gh:repo:api:deploy-key:9301"].sort());
    // A credential authorization (a user's token) is no rotator's: skipped with the reason.
    expect(plan.skipped.find((s) => s.credential === "gh:credential-authorization:7001")?.skip).toMatch(/GitHub rotates Actions, Dependabot and Codespaces secrets and deploy keys/);

    const apply = await credgov("rotate", "apply", "cloud-plan.json", "--config", "credgov.yaml", "--approve", digest);
    expect(apply.status, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout).toContain("7 committed, 0 failed");

    // Entra: the new secret signs in as the application, the old one no longer does, one key left.
    const appCurrent = (await sink().read(location(plan, appSecret), "current"))!.secret;
    expect(await signsIn(appCurrent)).toBe(true);
    expect(await signsIn(invoiceSync.oldSecret)).toBe(false);
    expect(graph.client(invoiceSync.appId)!.secrets!.map((s) => s.secretText)).toEqual([appCurrent]);
    // GitHub: the fixture opened the sealed boxes; they hold the store's current secrets.
    expect(github.data.secrets.find((s) => s.name === "NPM_PUBLISH_TOKEN")!.value).toBe((await sink().read(location(plan, orgSecret), "current"))!.secret);
    const api = github.data.repos.find((r) => r.name === "api")!;
    expect(api.secrets.find((s) => s.name === "DB_PASSWORD")!.value).toBe((await sink().read(location(plan, repoSecret), "current"))!.secret);
    expect(api.environments!.find((e) => e.name === "production")!.secrets.find((s) => s.name === "DB_PASSWORD")!.value).toBe((await sink().read(location(plan, environmentSecret), "current"))!.secret);
    expect(github.data.dependabotSecrets!.find((s) => s.name === "ARTIFACTORY_TOKEN")!.value).toBe((await sink().read(location(plan, dependabotSecret), "current"))!.secret);
    expect(api.codespacesSecrets!.find((s) => s.name === "DEV_API_KEY")!.value).toBe((await sink().read(location(plan, codespacesSecret), "current"))!.secret);
    // Deploy key: OpenSSH derives from the delivered private key the one public key GitHub holds.
    const keyFile = join(dir, "deploy-key");
    writeFileSync(keyFile, (await sink().read(location(plan, "gh:repo:api:deploy-key:9301"), "current"))!.secret, { mode: 0o600 });
    const derived = execFileSync("ssh-keygen", ["-y", "-f", keyFile], { encoding: "utf8" }).trim().split(" ").slice(0, 2).join(" ");
    rmSync(keyFile);
    const keys = github.data.repos.find((r) => r.name === "api")!.keys;
    expect(keys.map((k) => String(k.key).split(" ").slice(0, 2).join(" "))).toEqual([derived]);

    const status = await credgov("rotate", "status", "cloud-plan.journal.jsonl", "--format", "json");
    expect(status.status, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).counts).toEqual({ committed: 7 });
    const report = JSON.parse(readFileSync(join(dir, "cloud-plan.report.json"), "utf8"));
    expect(report.summary).toMatchObject({ planned: 7, committed: 7, failed: 0 });
  });

  it("refuses an app secret whose plan predates an earlier rotation: no second valid secret is added", async () => {
    // The same scan as the first plan, so it still names the key that rotation removed.
    const { plan, digest } = await planAndDigest("stale-plan", ["--controls", "CG-NHI-001", "CG-NHI-003", "--subjects", `cloud:${invoiceSync.objectId}:clientSecret:*`]);
    expect(plan.items.map((i) => i.credential)).toEqual([`cloud:${invoiceSync.objectId}:clientSecret:${invoiceSync.oldKeyId}`]);
    const before = graph.client(invoiceSync.appId)!.secrets!.map((s) => s.secretText);
    const apply = await credgov("rotate", "apply", "stale-plan.json", "--config", "credgov.yaml", "--approve", digest);
    expect(apply.status).not.toBe(0);
    expect(apply.stdout + apply.stderr).toContain(`secret ${invoiceSync.oldKeyId} is no longer on the application`);
    expect(graph.client(invoiceSync.appId)!.secrets!.map((s) => s.secretText)).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it("a run killed while GitHub and Entra calls hang is finished by rotate resume", async () => {
    const { plan, digest } = await planAndDigest("crash-plan", crashSelection);
    expect(plan.items.map((i) => i.credential).sort()).toEqual([`cloud:${orphanReporter.objectId}:clientSecret:${orphanReporter.oldKeyId}`, orgSecret]);
    // The org secret's PUT and the old app secret's removePassword never answer.
    github.setFaults([{ path: "/api/v3/orgs/fixture-org/actions/secrets/NPM_PUBLISH_TOKEN", kind: "silent" }]);
    graph.setFaults([{ path: /^\/applications\/[^/]+\/removePassword$/, kind: "silent" }]);
    const journalPath = join(dir, "crash-plan.journal.jsonl");
    const run = spawnCredgov("rotate", "apply", "crash-plan.json", "--config", "credgov.yaml", "--approve", digest);
    const states = async () => {
      try {
        const journal = await readJournal(journalPath);
        return new Map(plan.items.map((i) => [i.credential, journal.items.get(i.id)?.state]));
      } catch {
        return new Map<string, string | undefined>();
      }
    };
    const orgItem = plan.items.find((i) => i.credential === orgSecret)!;
    const appItem = plan.items.find((i) => i.credential.startsWith("cloud:"))!;
    await until("both calls to hang", async () => {
      const s = await states();
      return (
        s.get(orgSecret) === "stored-pending" &&
        s.get(appItem.credential) === "promoted" &&
        github.requests.some((r) => r.method === "PUT" && r.path.endsWith("/NPM_PUBLISH_TOKEN")) &&
        graph.requests.some((r) => r.path.endsWith("/removePassword"))
      );
    });
    run.child.kill("SIGKILL");
    await run.done;
    github.setFaults([]);
    graph.setFaults([]);

    // Killed with the org secret stored pending but not set, the app's new secret promoted but
    // the old one not removed.
    const stopped = await states();
    expect(stopped.get(orgSecret)).toBe("stored-pending");
    expect(stopped.get(appItem.credential)).toBe("promoted");
    const before = await credgov("rotate", "status", "crash-plan.journal.jsonl", "--format", "json");
    expect(JSON.parse(before.stdout).counts.committed ?? 0).toBe(0);

    const resumed = await credgov("rotate", "resume", "crash-plan.journal.jsonl", "--config", "credgov.yaml");
    expect(resumed.status, resumed.stderr + resumed.stdout).toBe(0);
    const status = await credgov("rotate", "status", "crash-plan.journal.jsonl", "--format", "json");
    expect(JSON.parse(status.stdout).counts).toEqual({ committed: 2 });
    // The org secret GitHub holds is the store's current one (the pending secret, set on resume).
    const orgCurrent = (await sink().read(orgItem.sink.location, "current"))!.secret;
    expect(github.data.secrets.find((s) => s.name === "NPM_PUBLISH_TOKEN")!.value).toBe(orgCurrent);
    // The app: the new secret works, the one it replaced was removed on resume.
    const appCurrent = (await sink().read(appItem.sink.location, "current"))!.secret;
    expect(await signsIn(appCurrent, orphanReporter)).toBe(true);
    expect(await signsIn(orphanReporter.oldSecret, orphanReporter)).toBe(false);
    expect(graph.client(orphanReporter.appId)!.secrets!.map((s) => s.secretText)).toEqual([appCurrent]);
  });

  it("canary: no secret the store holds appears in any output, journal, plan, report, snapshot or hook event", async () => {
    const files = (root: string): string[] =>
      readdirSync(root).flatMap((name) => {
        const path = join(root, name);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    const secrets: string[] = [];
    for (const file of files(join(dir, "store")).filter((f) => f.endsWith(".age"))) {
      const result = spawnSync("age", ["-d", "-i", join(dir, "store.key"), file], { encoding: "utf8" });
      expect(result.status, result.stderr).toBe(0);
      // A private key is searched for line by line (its base64 body), a secret as a whole.
      secrets.push(...result.stdout.split("\n").filter((line) => line.length >= 16 && !line.startsWith("-----")));
    }
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const written = files(dir).filter((f) => !relative(dir, f).startsWith("store") && !f.endsWith("store.key"));
    expect(written.map((f) => relative(dir, f))).toEqual(expect.arrayContaining(["cloud-plan.json", "cloud-plan.journal.jsonl", "cloud-plan.report.json", "crash-plan.journal.jsonl", "hook-events.jsonl", "scan/snapshot.json", "scan/findings.json"]));
    const haystacks = [...transcript, ...written.map((f) => readFileSync(f, "utf8"))];
    expect(readFileSync(join(dir, "hook-events.jsonl"), "utf8")).toContain("item.committed");
    for (const secret of secrets) {
      for (const text of haystacks) expect(text.includes(secret), "a generated secret was found in an output").toBe(false);
    }
  });
});
