// The evidence pack end to end through the CLI, read back with real tools: poppler's
// pdftotext and pdftoppm for the PDF, headless Debian Chromium (driven by playwright-core) for
// the HTML, and `credgov verify` against a one-byte change of every file of the pack.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sectionTitles } from "../../../src/report/evidence/pack-text.ts";
import { loadPublicKey } from "../../../src/report/evidence/signing-key.ts";
import { verifyPack } from "../../../src/report/evidence/verify-pack.ts";
import { libraryHash } from "../../../src/policy/engine/build-library.ts";
import { openHistory } from "../../../src/history/open.ts";
import { recordScan } from "../../../src/history/record-scan.ts";
import type { Finding } from "../../../src/policy/engine/finding.ts";
import type { Snapshot } from "../../../src/snapshot/types.ts";
import { builtinPoliciesDir, readPolicyLibrary } from "../../../src/policy/engine/policy-sources.ts";

const TIMEOUT = 300_000;
const bin = fileURLToPath(new URL("../../../bin/credgov.js", import.meta.url));
const snapshotFixture = fileURLToPath(new URL("../../fixtures/snapshots/collection-errors.json", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "credgov-evidence-"));
const pack = join(work, "pack");
const keys = generateKeyPairSync("ed25519");
const privateKeyFile = join(work, "signing.pem");
const publicKeyFile = join(work, "signing-public.pem");

function credgov(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tool(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  writeFileSync(privateKeyFile, keys.privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(publicKeyFile, keys.publicKey.export({ type: "spki", format: "pem" }));
  writeFileSync(
    join(work, "exceptions.yaml"),
    [
      "exceptions:",
      "  - {control: CG-NHI-004, subject: 'corp-ad:svc-sql', reason: vendor appliance, approver: ciso@corp.example, ticket: SEC-42, expires: 2099-12-31, allowBroad: true}",
      "  - {control: CG-HYG-001, subject: 'carol', reason: kiosk migration, approver: it-director@corp.example, ticket: SEC-7, expires: 2020-01-31}",
      "",
    ].join("\n"),
  );
  cpSync(fileURLToPath(new URL("./rotation-report.fixture.json", import.meta.url)), join(work, "rotation-report.json"));
  // The snapshot is evaluated in the pack's folder, so it is one of the run's files (run.json).
  mkdirSync(pack);
  cpSync(snapshotFixture, join(pack, "snapshot.json"));
  const evaluated = credgov(["evaluate", "--snapshot", join(pack, "snapshot.json"), "--out", pack, "--fail-on", "none", "--exceptions", join(work, "exceptions.yaml"), "--now", "2026-06-01T00:00:00Z", "--allow-incomplete"]);
  // The fixture holds collection errors on purpose: without --allow-incomplete the run exits 3.
  expect(evaluated.code, evaluated.stderr).toBe(0);
  // Two earlier scans in an SQLite history: the summary draws their trend.
  const store = await openHistory({ target: join(work, "history.db"), field: "--history" });
  const snapshot = JSON.parse(readFileSync(snapshotFixture, "utf8")) as Snapshot;
  const findings = JSON.parse(readFileSync(join(pack, "findings.json"), "utf8")) as Finding[];
  for (const day of ["2026-05-01", "2026-05-15"]) {
    const at = new Date(`${day}T06:00:00Z`);
    await recordScan(store, { startedAt: at, finishedAt: at, snapshotFile: snapshotFixture, snapshot, findings, policySha256: null, exitCode: 1, toolVersion: "0.1.0", keepSnapshot: false });
  }
  await store.close();
  const r = credgov([
    "report",
    "--findings", join(pack, "findings.json"),
    "--format", "pdf", "html",
    "--out", pack,
    "--exceptions", join(work, "exceptions.yaml"),
    "--rotation-report", join(work, "rotation-report.json"),
    "--organisation", "Corp Example",
    "--max-subjects", "5",
    "--history", join(work, "history.db"),
  ], { CREDGOV_SIGNING_KEY: readFileSync(privateKeyFile, "utf8") });
  expect(r.code, r.stderr).toBe(0);
}, TIMEOUT);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const frameworkIds = ["PR.AA-01", "PR.AA-05", "NHI1:2025", "NHI7:2025", "NHI10:2025", "5.2", "A.5.17", "A.8.2"];
const subjectNames = ["svc-sql", "app-payroll / prod-1", "carol", "Alice"];

describe("evidence.pdf", () => {
  it("reads back with pdftotext: every section, the framework ids, readable subject names, the signing key", () => {
    const text = tool("pdftotext", ["-layout", join(pack, "evidence.pdf"), "-"]).replace(/\s+/g, " ");
    for (const title of Object.values(sectionTitles)) expect(text, title).toContain(title);
    for (const id of frameworkIds) expect(text, id).toContain(id);
    for (const name of subjectNames) expect(text, name).toContain(name);
    expect(text).toContain("Corp Example");
    expect(text).toContain(readManifest().signature.publicKeyFingerprint);
    expect(text).toMatch(/SEC-7 2020-01-31/); // the expired exception is listed
    expect(text).toMatch(/1 of 2 rotations verified/);
    expect(text).toMatch(/svc-batch .*legacy-ldap.*failed/);
    expect(text).toContain("Trend of failing and passing subjects");
    expect(text).not.toContain("No scan history was available");
  });

  it("renders its pages with pdftoppm", () => {
    const out = join(work, "pages");
    tool("mkdir", ["-p", out]);
    tool("pdftoppm", ["-r", "40", "-png", "-f", "1", "-l", "3", join(pack, "evidence.pdf"), join(out, "page")]);
    const pages = readdirSync(out).filter((f) => f.endsWith(".png"));
    expect(pages).toHaveLength(3);
    for (const p of pages) expect(readFileSync(join(out, p)).subarray(1, 4).toString()).toBe("PNG");
  });
});

describe("evidence.html", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, TIMEOUT);
  afterAll(async () => browser?.close());

  it(
    "opens in headless Chromium with no console error and no request beyond the file itself; a screenshot is taken",
    async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("request", (r) => requests.push(r.url()));
      const url = pathToFileURL(join(pack, "evidence.html")).href;
      await page.goto(url, { waitUntil: "load" });
      const text = (await page.innerText("body")).replace(/\s+/g, " ");
      for (const title of Object.values(sectionTitles)) expect(text, title).toContain(title);
      for (const id of frameworkIds) expect(text, id).toContain(id);
      for (const name of subjectNames) expect(text, name).toContain(name);
      expect(await page.locator("svg").count()).toBeGreaterThanOrEqual(3);
      const shot = join(work, "evidence-html.png");
      await page.screenshot({ path: shot, fullPage: false });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      await context.close();
    },
    TIMEOUT,
  );
});

function flipOneByte(file: string): void {
  const bytes = readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at] ^ 0x01;
  writeFileSync(file, bytes);
}

interface ManifestShape {
  files: Array<{ path: string; sha256: string }>;
  signature: { publicKeyFingerprint: string };
  policyHash: string;
}

function readManifest(): ManifestShape {
  return JSON.parse(readFileSync(join(pack, "manifest.json"), "utf8")) as ManifestShape;
}

describe("manifest.json and credgov verify", () => {
  it("lists every file of the pack with its hash, and verifies with the signer's key", () => {
    const manifest = readManifest();
    const paths = manifest.files.map((f) => f.path);
    for (const f of ["evidence.pdf", "evidence.html", "findings.json", "results.sarif", "junit.xml", "summary.md", "snapshot.json", "subjects/CG-FRAG-001.csv"]) expect(paths, f).toContain(f);
    expect(manifest.policyHash).toMatch(/^[0-9a-f]{64}$/);
    const r = credgov(["verify", pack, "--key", publicKeyFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/files match manifest\.json; signature valid/);
  });

  it(
    "fails naming the file when any one byte of any file of the pack changes",
    async () => {
      const trusted = loadPublicKey(publicKeyFile);
      const files = [...readManifest().files.map((f) => f.path), "manifest.json", "manifest.json.sig"];
      for (const file of files) {
        const copy = join(work, "tampered");
        rmSync(copy, { recursive: true, force: true });
        cpSync(pack, copy, { recursive: true });
        flipOneByte(join(copy, file));
        const result = await verifyPack(copy, trusted);
        expect(result.ok, file).toBe(false);
        expect(result.problems.map((p) => p.file).join(" "), file).toContain(file);
      }
      // And through the CLI: exit 1, the file named on stderr.
      const copy = join(work, "tampered-cli");
      cpSync(pack, copy, { recursive: true });
      flipOneByte(join(copy, "subjects", "CG-FRAG-001.csv"));
      const r = credgov(["verify", copy, "--key", publicKeyFile]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/subjects\/CG-FRAG-001\.csv: differs from the manifest/);
    },
    TIMEOUT,
  );

  it("fails on a file the manifest does not list, on another signer's key, and on an unsigned pack when a key is required", () => {
    const copy = join(work, "extra");
    cpSync(pack, copy, { recursive: true });
    writeFileSync(join(copy, "planted.txt"), "x");
    const extra = credgov(["verify", copy, "--key", publicKeyFile]);
    expect(extra.code).toBe(1);
    expect(extra.stderr).toContain("planted.txt: is not listed in the manifest");

    const other = generateKeyPairSync("ed25519");
    const otherKey = join(work, "other-public.pem");
    writeFileSync(otherKey, other.publicKey.export({ type: "spki", format: "pem" }));
    const wrongKey = credgov(["verify", pack, "--key", otherKey]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/manifest\.json: is signed by key [0-9a-f]{64}, not by the given key/);

    const unsigned = join(work, "unsigned");
    cpSync(pack, unsigned, { recursive: true });
    rmSync(join(unsigned, "manifest.json.sig"));
    const u = credgov(["report", "--findings", join(unsigned, "findings.json"), "--format", "manifest", "--out", unsigned], { CREDGOV_SIGNING_KEY: "" });
    expect(u.code, u.stderr).toBe(0);
    expect(u.stderr).toContain("manifest.json is not signed");
    expect(existsSync(join(unsigned, "manifest.json.sig"))).toBe(false);
    expect(credgov(["verify", unsigned]).code).toBe(0);
    const required = credgov(["verify", unsigned, "--key", publicKeyFile]);
    expect(required.code).toBe(1);
    expect(required.stderr).toContain("manifest.json: is not signed");
  });

  it("evaluate writes the pack when output.formats asks for it, with the policy library it evaluated", () => {
    const dir = join(work, "configured");
    tool("mkdir", ["-p", dir]);
    writeFileSync(join(dir, "credgov.yaml"), "version: 1\nsources:\n  - {id: corp-ad, kind: ad, file: ad.ldif}\noutput: { dir: out, formats: [html, manifest] }\n");
    const r = credgov(["evaluate", "--snapshot", snapshotFixture, "--config", join(dir, "credgov.yaml"), "--out", join(dir, "out"), "--fail-on", "none", "--allow-incomplete"], { CREDGOV_SIGNING_KEY: readFileSync(privateKeyFile, "utf8") });
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "out", "manifest.json"), "utf8")) as ManifestShape;
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(["evidence.html", "findings.json", "subjects/CG-FRAG-001.csv"]));
    expect(manifest.files.map((f) => f.path)).not.toContain("evidence.pdf");
    expect(manifest.policyHash).toBe(libraryHash(readPolicyLibrary([builtinPoliciesDir])));
    expect(credgov(["verify", join(dir, "out"), "--key", publicKeyFile]).code).toBe(0);
  });

  it("usage errors exit 2: no such folder, a key that is not Ed25519 PEM", () => {
    expect(credgov(["verify", join(work, "nope")]).code).toBe(2);
    const bad = join(work, "bad.pem");
    writeFileSync(bad, "not a key");
    const r = credgov(["verify", pack, "--key", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.pem.*--key.*not a PEM public key/);
    const s = credgov(["report", "--findings", join(pack, "findings.json"), "--format", "manifest", "--out", join(work, "x"), "--signing-key", bad]);
    expect(s.code).toBe(2);
    expect(s.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
