// User journeys through the CLI as a first-time user meets them: help, the demo scan, and bad
// input of every kind (config, LDIF, Graph and GitHub exports, snapshots, Rego, output paths).
// Every run is a real `node bin/credgov.js` process with NO_COLOR=1 and a non-TTY stderr.
// Contract checked everywhere: exit codes per ARCHITECTURE.md (0/1/2/3), and stderr never shows
// a stack frame or "internal error" for input a user can get wrong.
// Known bugs are `it.fails` with a comment naming the bug, so the suite stays green and the bug
// stays visible; when a bug is fixed, its `it.fails` starts failing: turn it into `it`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const demo = new URL("../../examples/demo/", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const SECRET = "Sup3rSecret!QA-journeys";

let work: string;

function run(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? work,
    encoding: "utf8",
    timeout: 150_000,
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
  });
}

/** No stack frames, no "internal error", no ANSI colour, no progress redraws on a non-TTY stderr. */
function expectClean(r: SpawnSyncReturns<string>): void {
  expect(r.error).toBeUndefined();
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain("internal error");
  expect(r.stderr).not.toMatch(/TypeError|ReferenceError|is not a function|Cannot read properties/);
  expect(r.stderr).not.toContain("\u001b[");
  expect(r.stderr).not.toContain("\r");
}

/** A fresh copy of the demo estate to mutate; returns its folder. */
function demoCopy(name: string): string {
  const dir = join(work, name);
  cpSync(demo, dir, { recursive: true });
  return dir;
}

function writeConfig(dir: string, name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "credgov-journeys-"));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("first contact: help, version, usage errors", () => {
  it("--help explains the pipeline, exit codes and examples, and exits 0", () => {
    const r = run(["--help"]);
    expectClean(r);
    expect(r.status).toBe(0);
    for (const c of ["collect", "evaluate", "scan", "drift", "rotate", "report", "policy", "snapshot"]) expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/Exit codes: 0 .*1 .*2 /s);
    expect(r.stdout).toContain("credgov scan --demo");
  });

  it.each(["collect", "evaluate", "scan", "report", "policy", "policy build", "policy test", "snapshot", "snapshot validate"])(
    "%s --help exits 0",
    (cmd) => {
      const r = run([...cmd.split(" "), "--help"]);
      expectClean(r);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Usage: credgov /);
    },
  );

  it("--version prints the package version", () => {
    const r = run(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("no command prints help and exits 2", () => {
    const r = run([]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Usage: credgov");
  });

  it("an unknown command or flag is a usage error (2)", () => {
    const a = run(["bogus"]);
    expectClean(a);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain("unknown command 'bogus'");
    const b = run(["scan", "--bogus"]);
    expectClean(b);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain("unknown option '--bogus'");
  });

  it("missing required options name the option", () => {
    for (const [cmd, opt] of [["collect", "--config"], ["evaluate", "--snapshot"], ["report", "--findings"]]) {
      const r = run([cmd]);
      expectClean(r);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(opt);
    }
  });

  it("rotate without a subcommand prints its usage and exits 2", () => {
    const r = run(["rotate"]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Usage: credgov rotate");
  });

  it("drift without anything to compare says what to give and exits 2", () => {
    const r = run(["drift"]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("give --baseline <file> and/or --since");
  });

  it("--fail-on and --now values are checked before any work", () => {
    const a = run(["scan", "--demo", "--fail-on", "bogus", "--out", join(work, "never")]);
    expectClean(a);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain("--fail-on: must be one of critical, high, medium, low, info, none");
    expect(existsSync(join(work, "never"))).toBe(false);
  });
});

describe("config errors name file:line:col and the field (exit 2)", () => {
  const cases: [string, string, RegExp][] = [
    ["broken YAML", "version: 1\nsources:\n  - id: a\n    kind: ad\n   file: x\n", /bad\.yaml:5:\d+ YAML syntax error/],
    ["unknown key", "version: 1\nsources:\n  - id: a\n    kind: ad\n    file: ad.ldif\n    colour: red\n", /bad\.yaml:6:5 sources\[0\]\.colour: is not a known key here/],
    ["wrong kind", "version: 1\nsources:\n  - id: a\n    kind: okta\n    dir: x\n", /bad\.yaml:4:5 sources\[0\]\.kind: must be one of ad, ldap, entra, github/],
    ["wrong type", "version: 1\nsources:\n  - id: a\n    kind: ad\n    file: ad.ldif\n    pageSize: abc\n", /bad\.yaml:6:5 sources\[0\]\.pageSize: must be an integer/],
    ["duplicate source id", "version: 1\nsources:\n  - {id: a, kind: ad, file: ad.ldif}\n  - {id: a, kind: ldap, file: ldap.ldif}\n", /sources\[1\]\.id: duplicate source id "a"/],
    ["empty file", "", /bad\.yaml:1:1 .*sources/],
  ];
  it.each(cases)("%s", (_name, yaml, expected) => {
    const dir = demoCopy(`cfg-${_name.replace(/\W+/g, "-")}`);
    writeConfig(dir, "bad.yaml", yaml);
    const r = run(["collect", "--config", "bad.yaml", "--out", "s.json"], { cwd: dir });
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(existsSync(join(dir, "s.json"))).toBe(false);
  });

  it.each([
    ["password", "kind: ad\n    url: ldaps://127.0.0.1:1\n    baseDN: dc=x\n    bindDN: cn=a", "passwordEnv"],
    ["bindPassword", "kind: ad\n    url: ldaps://127.0.0.1:1\n    baseDN: dc=x\n    bindDN: cn=a", "passwordEnv"],
    ["clientSecret", "kind: entra\n    tenantId: t\n    clientId: c", "clientSecretEnv"],
    ["token", "kind: github\n    org: x", "tokenEnv"],
  ])("an inline secret (%s:) is a config error that points at the *Env key and never echoes the value", (key, rest, envKey) => {
    const dir = join(work, `inline-${key}`);
    mkdirSync(dir, { recursive: true });
    writeConfig(dir, "c.yaml", `version: 1\nsources:\n  - id: s\n    ${rest}\n    ${key}: ${SECRET}\n`);
    const r = run(["collect", "--config", "c.yaml", "--out", "s.json"], { cwd: dir });
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`c\\.yaml:\\d+:5 sources\\[0\\]\\.${key}: inline secrets are not allowed`));
    expect(r.stderr).toContain(envKey);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("a missing config file is exit 2 naming the file", () => {
    const r = run(["collect", "--config", join(work, "nope.yaml"), "--out", "s.json"]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("nope.yaml");
  });
});

describe("bad LDIF exports (exit 2, file:line attribute)", () => {
  function ldifCase(name: string, mutate: (text: string) => string) {
    const dir = demoCopy(`ldif-${name}`);
    writeFileSync(join(dir, "mut.ldif"), mutate(readFileSync(join(dir, "ad.ldif"), "utf8")));
    writeConfig(dir, "c.yaml", "version: 1\nsources:\n  - {id: a, kind: ad, file: mut.ldif}\n");
    return { dir, r: run(["collect", "--config", "c.yaml", "--out", "s.json"], { cwd: dir }) };
  }

  it("a truncated LDIF says so, with file and line", () => {
    const { r } = ldifCase("truncated", (t) => t.slice(0, Math.floor(t.length / 2)).replace(/\n$/, "x"));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mut\.ldif:\d+ .*truncated/);
  });

  it("invalid base64 names the line and attribute", () => {
    const { r } = ldifCase("b64", (t) => t.replace(/^objectGUID:: .*$/m, "objectGUID:: !!!not*base64###"));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mut\.ldif:\d+ objectGUID: invalid base64/);
  });

  it("a value of the wrong type names the line, attribute and entry", () => {
    const { r } = ldifCase("uac", (t) => t.replace(/^userAccountControl: \d+$/m, "userAccountControl: banana"));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mut\.ldif:\d+ userAccountControl: expected an integer, got "banana" \(entry /);
  });
});

describe("bad Microsoft Graph exports", () => {
  function entraCase(name: string, usersJson: (original: string) => string) {
    const dir = demoCopy(`entra-${name}`);
    const file = join(dir, "entra", "users.json");
    writeFileSync(file, usersJson(readFileSync(file, "utf8")));
    writeConfig(dir, "c.yaml", "version: 1\nsources:\n  - {id: e, kind: entra, dir: entra}\n");
    return run(["collect", "--config", "c.yaml", "--out", "s.json"], { cwd: dir });
  }

  it("users.json cut in half is exit 2 with file:line:col", () => {
    const r = entraCase("half", (t) => t.slice(0, Math.floor(t.length / 2)));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/users\.json:\d+:\d+ malformed JSON/);
  });

  it("a body that is not a collection response is exit 2 naming the file", () => {
    const r = entraCase("shape", () => JSON.stringify({ users: [] }));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("users.json");
    expect(r.stderr).toContain('{"value": [...]}');
  });

  // Regression (was silent data loss): {"value": {...}} read as a tenant with no users, exit 0.
  it('users.json with "value" as an object is rejected, not read as zero users', () => {
    const r = entraCase("value-object", () => JSON.stringify({ value: { id: "1", userPrincipalName: "a@b" } }));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("users.json");
  });

  // Regression (was silent data loss): non-object items in "value" were skipped, exit 0.
  it("users.json whose items are not objects is an error, not silently skipped", () => {
    const r = entraCase("value-scalars", () => JSON.stringify({ value: ["x", 1] }));
    expect(r.status).toBe(2);
  });

  // Regression: "[]" ended in "the streaming reader rejected a file the JSON parser accepts", exit 3.
  it("users.json that is an empty array of pages gives a clear answer", () => {
    const r = entraCase("empty-pages", () => "[]");
    expect(r.stderr).not.toContain("streaming reader rejected");
    expect([0, 2]).toContain(r.status);
  });

  // Regression: a non-string userPrincipalName leaked "upn?.split is not a function", exit 3.
  it("a user item with a wrongly typed field is exit 2 naming file and field", () => {
    const r = entraCase("upn-number", () => JSON.stringify({ value: [{ id: "u1", userPrincipalName: 7 }] }));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/users\.json.*userPrincipalName/);
  });

  // Regression: a user without id gave "internal error: the assembled snapshot breaks the schema".
  it("a user item missing required fields is a user error naming users.json", () => {
    const r = entraCase("no-id", () => JSON.stringify({ value: [{ displayName: "x" }] }));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("users.json");
  });
});

describe("bad GitHub exports", () => {
  function githubCase(name: string, file: string, body: string) {
    const dir = demoCopy(`gh-${name}`);
    writeFileSync(join(dir, "github", file), body);
    writeConfig(dir, "c.yaml", "version: 1\nsources:\n  - {id: g, kind: github, dir: github}\n");
    return run(["collect", "--config", "c.yaml", "--out", "s.json"], { cwd: dir });
  }

  it("an object where a list is expected is exit 2 naming the file", () => {
    const r = githubCase("object", "members.json", JSON.stringify({ login: "x", id: 1 }));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/members\.json is not a GitHub REST list response/);
  });

  it("a missing org.json leaves 2FA unknown: source partial, exit 3, file named", () => {
    const dir = demoCopy("gh-no-org");
    rmSync(join(dir, "github", "org.json"));
    writeConfig(dir, "c.yaml", "version: 1\nsources:\n  - {id: g, kind: github, dir: github}\n");
    const r = run(["collect", "--config", "c.yaml", "--out", "s.json"], { cwd: dir });
    expectClean(r);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("org.json not found");
    expect(existsSync(join(dir, "s.json"))).toBe(true);
  });

  // Regression: a member without login leaked "Cannot read properties of undefined", exit 3.
  it("a member item without login is exit 2 naming members.json", () => {
    const r = githubCase("no-login", "members.json", JSON.stringify([{ id: 1 }]));
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("members.json");
  });
});

describe("snapshots", () => {
  let snapshotFile: string;
  beforeAll(() => {
    snapshotFile = join(work, "demo-snapshot.json");
    const r = run(["collect", "--config", join(demo, "credgov.yaml"), "--out", snapshotFile]);
    expect(r.status).toBe(0);
  });

  it("collect of the demo writes a snapshot that snapshot validate accepts", () => {
    const r = run(["snapshot", "validate", snapshotFile]);
    expectClean(r);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("valid credgov snapshot");
  });

  it("schema violations are exit 2 with one JSON pointer per problem", () => {
    const s = JSON.parse(readFileSync(snapshotFile, "utf8"));
    s.accounts[3].kind = "robot";
    s.accounts[5].enabled = "yes";
    delete s.credentials[0].managedBy;
    const bad = join(work, "bad-snapshot.json");
    writeFileSync(bad, JSON.stringify(s));
    const r = run(["snapshot", "validate", bad]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("/accounts/3/kind: must be one of");
    expect(r.stderr).toContain("/accounts/5/enabled: must be a boolean");
    expect(r.stderr).toContain("/credentials/0/managedBy: is required");
    const e = run(["evaluate", "--snapshot", bad]);
    expectClean(e);
    expect(e.status).toBe(2);
    expect(e.stderr).toContain("not a valid credgov snapshot");
  });

  it("a truncated snapshot is exit 2 with file:line:col", () => {
    const cut = join(work, "cut-snapshot.json");
    writeFileSync(cut, readFileSync(snapshotFile, "utf8").slice(0, 5000));
    const r = run(["snapshot", "validate", cut]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cut-snapshot\.json:\d+:\d+ malformed JSON/);
  });

  it("a missing snapshot file is exit 2 naming it", () => {
    for (const cmd of [["snapshot", "validate"], ["snapshot", "show"], ["evaluate", "--snapshot"]]) {
      const r = run([...cmd, join(work, "absent.json")]);
      expectClean(r);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("absent.json");
    }
  });

  // Regression: a credential whose `account` named no account passed `snapshot validate`.
  it("a dangling credentials[].account reference is reported", () => {
    const s = JSON.parse(readFileSync(snapshotFile, "utf8"));
    s.credentials[0].account = "nowhere:ghost";
    const bad = join(work, "dangling-snapshot.json");
    writeFileSync(bad, JSON.stringify(s));
    const r = run(["snapshot", "validate", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("/credentials/0/account");
  });
});

describe("Rego policies", () => {
  function regoDir(name: string, files: Record<string, string>): string {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  }

  it("a syntax error is exit 2 with file:line:col rego_parse_error (build and test)", () => {
    const dir = regoDir("rego-syntax", {
      "p.rego": 'package credgov.qa\n\nimport rego.v1\n\nresults contains r if {\n  r := {"controlId": "QA-1"\n}\n',
    });
    for (const args of [["policy", "build", "--policies", dir, "--out", join(work, "rego-syntax-out")], ["policy", "test", dir]]) {
      const r = run(args);
      expectClean(r);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/p\.rego:\d+:\d+: rego_parse_error: /);
    }
  });

  it("an unsafe variable is exit 2 with rego_unsafe_var_error naming the variable and its line", () => {
    const dir = regoDir("rego-unsafe", {
      "p.rego": 'package credgov.qa\n\nimport rego.v1\n\nresults contains r if {\n  r := {"controlId": "QA-1", "subject": x}\n}\n',
    });
    const r = run(["policy", "test", dir]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/p\.rego:6:\d+: rego_unsafe_var_error: var x is unsafe/);
  });

  it("policy test: exit 1 on a failing test, 0 when --run selects only passing ones", () => {
    const dir = regoDir("rego-tests", {
      "p.rego": "package credgov.qa\n\nimport rego.v1\n\ndouble(x) := x * 2\n",
      "p_test.rego":
        "package credgov.qa_test\n\nimport rego.v1\nimport data.credgov.qa\n\ntest_ok if qa.double(2) == 4\ntest_bad if qa.double(2) == 5\n",
    });
    const a = run(["policy", "test", dir]);
    expectClean(a);
    expect(a.status).toBe(1);
    expect(a.stdout).toContain("data.credgov.qa_test.test_bad: FAIL");
    const b = run(["policy", "test", dir, "--run", "test_ok"]);
    expectClean(b);
    expect(b.status).toBe(0);
    const c = run(["policy", "test", dir, "--run", "("]);
    expectClean(c);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain("--run");
  });

  it("a missing policy directory is exit 2", () => {
    const r = run(["policy", "test", join(work, "no-such-policies")]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no-such-policies");
  });
});

describe("secrets", () => {
  it("a live source on a closed port: exit 3, the password env value appears nowhere", () => {
    const dir = join(work, "live");
    mkdirSync(dir, { recursive: true });
    writeConfig(
      dir,
      "c.yaml",
      [
        "version: 1",
        "sources:",
        "  - id: live-ad",
        "    kind: ad",
        "    url: ldaps://127.0.0.1:1",
        "    baseDN: dc=corp,dc=example",
        "    bindDN: cn=admin,dc=corp,dc=example",
        "    passwordEnv: CREDGOV_QA_PW",
        "    timeoutMs: 3000",
        "",
      ].join("\n"),
    );
    const r = run(["--verbose", "collect", "--config", "c.yaml", "--out", "s.json"], { cwd: dir, env: { CREDGOV_QA_PW: SECRET } });
    expectClean(r);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("ldaps://127.0.0.1:1");
    expect(r.stderr).toContain("connection refused");
    const snapshot = readFileSync(join(dir, "s.json"), "utf8");
    for (const text of [r.stdout, r.stderr, snapshot]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(SECRET).toString("base64"));
    }
  });
});

describe("the demo scan, end to end", () => {
  let out: string;
  let scan: SpawnSyncReturns<string>;
  beforeAll(() => {
    out = join(work, "demo-out");
    scan = run(["scan", "--demo", "--out", out]);
  }, 180_000);

  it("exits 1 with the default --fail-on high and writes every output", () => {
    expectClean(scan);
    expect(scan.status).toBe(1);
    expect(readdirSync(out).sort()).toEqual(["findings.json", "junit.xml", "results.sarif", "run.json", "snapshot.json", "summary.md"]);
    expect(scan.stdout).toMatch(/^CONTROL +SEVERITY +FAIL/);
    expect(scan.stderr).toMatch(/failing finding\(s\) at or above --fail-on high/);
  });

  it("no output file holds anything secret-looking", () => {
    for (const file of readdirSync(out)) {
      const text = readFileSync(join(out, file), "utf8");
      expect(text, file).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
      expect(text, file).not.toMatch(/\bgh[pousr]_[A-Za-z0-9]{20,}/);
      expect(text, file).not.toMatch(/"secretText"\s*:/);
      expect(text, file).not.toMatch(/unicodePwd|ms-Mcs-AdmPwd"|msLAPS-Password"/);
    }
  });

  it("every finding names its subject and control, and every failing control has evidence", () => {
    const findings = JSON.parse(readFileSync(join(out, "findings.json"), "utf8")) as {
      controlId: string;
      status: string;
      subject: { source: string; kind: string; id: string; name: string };
      evidence: unknown;
    }[];
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.controlId).toMatch(/^CG-[A-Z]+-\d{3}$/);
      expect(["fail", "pass", "error", "not_evaluated", "not_applicable"]).toContain(f.status);
      expect(f.subject.source).toBeTruthy();
      expect(f.subject.id).toBeTruthy();
      if (f.status === "fail") expect(f.evidence).toBeTruthy();
    }
  });

  it("--quiet collect prints nothing on stderr; --verbose shows the queries", () => {
    const q = run(["--quiet", "collect", "--config", join(demo, "credgov.yaml"), "--out", join(work, "q.json")]);
    expect(q.status).toBe(0);
    expect(q.stderr).toBe("");
    const v = run(["--verbose", "collect", "--config", join(demo, "credgov.yaml"), "--out", join(work, "v.json")]);
    expectClean(v);
    expect(v.status).toBe(0);
    expect(v.stderr).toContain("GET /v1.0/users");
  });
});

describe("unwritable output paths", () => {
  // collect was fixed (src/cli/output-path.ts); evaluate and report still need to adopt it.
  it("collect --out below a regular file is a clear exit-2 error", () => {
    const file = join(work, "a-file");
    writeFileSync(file, "");
    const r = run(["collect", "--config", join(demo, "credgov.yaml"), "--out", join(file, "s.json")]);
    expectClean(r);
    expect(r.status).toBe(2);
  });

  it("scan --out under /proc fails at once with exit 2 (no mkdir retry loop)", () => {
    const r = run(["scan", "--demo", "--out", "/proc/credgov-journeys"]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot write /proc/credgov-journeys");
    expect(r.stderr).not.toContain("ok: accounts="); // refused before collecting
  });

  it("scan --out below a regular file says it cannot write and exits 2", () => {
    const file = join(work, "b-file");
    writeFileSync(file, "");
    const r = run(["scan", "--demo", "--out", join(file, "sub")]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot write");
  });
});

describe("evaluate, scan and report check --out before any work", () => {
  const findingsFixture = new URL("../report/findings.fixture.json", import.meta.url).pathname;
  let snapshotFile: string;
  beforeAll(() => {
    snapshotFile = join(work, "out-check-snapshot.json");
    expect(run(["collect", "--config", join(demo, "credgov.yaml"), "--out", snapshotFile]).status).toBe(0);
  });

  // Regression: internal error "EEXIST: file already exists, mkdir" after collecting.
  it("scan --out an existing regular file is exit 2 'cannot write' before collecting", () => {
    const file = join(work, "scan-out-file");
    writeFileSync(file, "");
    const r = run(["scan", "--demo", "--out", file]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot write ${file}: ${file} is a file, not a folder`);
    expect(r.stderr).not.toMatch(/collected|evaluating/);
  });

  // Regression: internal error "ENOTDIR ... mkdir", only after the whole evaluation.
  it("evaluate --out below a regular file is exit 2 'cannot write' before evaluating", () => {
    const file = join(work, "evaluate-out-file");
    writeFileSync(file, "");
    const r = run(["evaluate", "--snapshot", snapshotFile, "--out", join(file, "x")]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot write ${join(file, "x")}: ${file} is a file, not a folder`);
    expect(r.stderr).not.toContain("evaluating");
    expect(r.stdout).toBe("");
  });

  it("report --out below a regular file is exit 2 'cannot write'", () => {
    const file = join(work, "report-out-file");
    writeFileSync(file, "");
    const r = run(["report", "--findings", findingsFixture, "--out", join(file, "x")]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot write ${join(file, "x")}: ${file} is a file, not a folder`);
  });

  // Regression: recursive mkdir retried ENOENT under /proc forever.
  it("scan --out under /proc fails before collecting, with exit 2", () => {
    const r = run(["scan", "--demo", "--out", "/proc/credgov-qa-x"]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot write /proc/credgov-qa-x: ");
    expect(r.stderr).not.toContain("ok: accounts="); // refused before collecting
  });

  // Regression: "wrote ../../tmp/x/findings.json" and SARIF uri "../../tmp/x/snapshot.json".
  it("outputs outside the working directory: 'wrote' shows --out as given, SARIF uses absolute file URIs outside cwd", () => {
    const cwd = join(work, "elsewhere");
    mkdirSync(cwd, { recursive: true });
    const out = join(work, "outside-out");
    const r = run(["evaluate", "--snapshot", snapshotFile, "--out", out, "--fail-on", "none"], { cwd });
    expectClean(r);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`wrote ${join(out, "findings.json")}`);
    expect(r.stderr).not.toContain("../");
    const sarif = JSON.parse(readFileSync(join(out, "results.sarif"), "utf8")) as {
      runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }>;
    };
    expect(sarif.runs[0].originalUriBaseIds["%SRCROOT%"].uri).toBe(`file://${cwd}/`);
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    // No credgov.yaml given: results point at their control in the built-in catalog, outside cwd.
    const catalog = new URL("../../policies/catalog.yaml", import.meta.url).href;
    for (const result of sarif.runs[0].results) expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: catalog });
  });
});

describe("report formats", () => {
  const findingsFixture = new URL("../report/findings.fixture.json", import.meta.url).pathname;

  it("help offers the pdf and html evidence pack, and an unknown format is a usage error (exit 2)", () => {
    const help = run(["report", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout.replace(/\s+/g, " ")).toContain("outputs to write: json, sarif, junit, md, github, pdf, html, manifest");
    expect(help.stdout).toContain("--signing-key <file>");
    const r = run(["report", "--findings", findingsFixture, "--format", "docx", "--out", join(work, "docx-out")]);
    expectClean(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown format "docx"');
  });
});
