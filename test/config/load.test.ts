import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, configSchemaUrl, parseConfig } from "../../src/config/load.ts";
import { defaultThresholds } from "../../src/config/defaults.ts";
import { UserInputError } from "../../src/errors.ts";
import type { DirectorySourceConfig, EntraSourceConfig, GithubSourceConfig } from "../../src/config/types.ts";

function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "credgov-config-"));
  const file = join(dir, "credgov.yaml");
  writeFileSync(file, text);
  return file;
}

/** Loads `text` and returns the error, formatted relative to the config's folder. */
function loadError(text: string): { format(): string; exitCode: number } {
  const file = writeConfig(text);
  try {
    loadConfig(file);
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    const e = error as UserInputError;
    return { format: () => e.format().split(join(file, "..") + "/").join(""), exitCode: e.exitCode };
  }
  throw new Error("config loaded without error");
}

describe("loadConfig", () => {
  it("loads a valid config, applies defaults and resolves paths against the config directory", () => {
    const file = writeConfig(
      [
        "sources:",
        "  - id: corp-ad",
        "    kind: ad",
        "    file: exports/ad.ldif",
        "  - id: cloud",
        "    kind: entra",
        "    dir: entra/",
        "  - id: gh",
        "    kind: github",
        "    org: example",
        "    tokenEnv: GITHUB_TOKEN",
        "thresholds:",
        "  rotationDays: 30",
        "correlation:",
        "  links:",
        "    - accounts: [gh:user:1, cloud:abc]",
        "",
      ].join("\n"),
    );
    const config = loadConfig(file);
    const dir = join(file, "..");
    expect(config.sources.map((s) => s.kind)).toEqual(["ad", "entra", "github"]);
    const [ad, entra, github] = config.sources as [DirectorySourceConfig, EntraSourceConfig, GithubSourceConfig];
    expect(ad.file).toBe(join(dir, "exports/ad.ldif"));
    expect(ad.pageSize).toBe(1000);
    expect(entra.dir).toBe(join(dir, "entra"));
    expect(entra.graphBaseUrl).toBe("https://graph.microsoft.com");
    expect(github.baseUrl).toBe("https://api.github.com");
    expect(config.thresholds).toEqual({ ...defaultThresholds, rotationDays: 30 });
    expect(config.output.dir).toBe(join(dir, "reports"));
    expect(config.correlation.links).toEqual([{ accounts: ["gh:user:1", "cloud:abc"] }]);
  });

  it("names file, line, column and field for a bad source kind", () => {
    const error = loadError(
      ["# a comment", "sources:", "  - id: corp-ad", "    kind: ad", "    file: ad.ldif", "  - id: other", "    kind: adx", "    file: x.ldif", ""].join("\n"),
    );
    expect(error.format()).toBe("credgov.yaml:7:5 sources[1].kind: must be one of ad, ldap, entra, github");
    expect(error.exitCode).toBe(2);
  });

  it("rejects an inline secret and names the *Env form", () => {
    const error = loadError(["sources:", "  - id: dir", "    kind: ldap", "    url: ldap://localhost", "    password: hunter2", ""].join("\n"));
    expect(error.format()).toMatch(/^credgov\.yaml:5:5 sources\[0\]\.password: inline secrets are not allowed.*passwordEnv/);
    expect(error.format()).not.toContain("hunter2");
    const token = loadError(["sources:", "  - id: gh", "    kind: github", "    org: x", "    token: ghp_abc", ""].join("\n"));
    expect(token.format()).toMatch(/^credgov\.yaml:5:5 sources\[0\]\.token: .*tokenEnv/);
  });

  it("rejects a URL that holds a password, wherever it is, before anything runs, without echoing it", () => {
    const cases: [string[], string][] = [
      [["sources:", "  - id: dir", "    kind: ldap", "    url: ldap://admin:hunter2@ldap.example", ""], "credgov.yaml:4:10 sources[0].url: the URL holds a password (user:password@)"],
      [["sources:", "  - { id: a, kind: ad, file: a.ldif }", "history:", "  url: postgres://credgov@db.example/scans?password=hunter2", ""], "credgov.yaml:4:8 history.url: the URL holds a password (?password=)"],
      [["sources:", "  - { id: a, kind: ad, file: a.ldif }", "rotation:", "  hooks:", "    - kind: exec", "      argv: [notify, 'https://bot:hunter2@chat.example/hook']", ""], "credgov.yaml:6:22 rotation.hooks[0].argv[1]: the URL holds a password (user:password@)"],
    ];
    for (const [lines, expected] of cases) {
      const error = loadError(lines.join("\n"));
      expect(error.format()).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*passwordEnv`));
      expect(error.format()).not.toContain("hunter2");
      expect(error.exitCode).toBe(2);
    }
  });

  it("reports a YAML syntax error with its position", () => {
    const error = loadError("sources:\n  - id: [a\n  kind: x\n");
    expect(error.format()).toMatch(/^credgov\.yaml:3:3 YAML syntax error: /);
  });

  it("reports duplicate keys as YAML errors", () => {
    const error = loadError("sources:\n  - id: a\n    id: b\n    kind: ad\n    file: x\n");
    expect(error.format()).toMatch(/^credgov\.yaml:3:5 YAML syntax error: .*unique/i);
  });

  it("reports every schema error at once, each at its own line", () => {
    const error = loadError(
      [
        "sources:",
        "  - id: gh",
        "    kind: github",
        "    dir: github",
        "    tokenEnv: not a name",
        "  - id: e",
        "    kind: entra",
        "    dir: entra",
        "    tenantId: t",
        "    colour: blue",
        "thresholds:",
        "  rotationDays: soon",
        "",
      ].join("\n"),
    );
    const lines = error.format().split("\n");
    expect(lines).toEqual([
      "credgov.yaml:5:5 sources[0].tokenEnv: must be the name of an environment variable (letters, digits, _), not the secret itself",
      "credgov.yaml:6:5 sources[1]: needs either dir (Graph exports) or live settings (tenantId, clientId, a credential), not both",
      expect.stringMatching(/^credgov\.yaml:10:5 sources\[1\]\.colour: is not a known key here \(expected one of id, kind, dir, /),
      "credgov.yaml:12:3 thresholds.rotationDays: must be an integer",
    ]);
  });

  it("names a missing required key at its parent", () => {
    const error = loadError("sources:\n  - kind: ad\n    file: x.ldif\n");
    expect(error.format()).toBe("credgov.yaml:2:5 sources[0].id: is required");
  });

  it("rejects a directory source with both url and file, and duplicate source ids", () => {
    expect(loadError("sources:\n  - id: a\n    kind: ad\n    url: ldaps://dc\n    file: x\n").format()).toBe(
      "credgov.yaml:2:5 sources[0]: needs exactly one of url (live server) or file (LDIF export)",
    );
    expect(loadError("sources:\n  - id: a\n    kind: ad\n    file: x\n  - id: a\n    kind: ldap\n    file: y\n").format()).toBe(
      'credgov.yaml:5:5 sources[1].id: duplicate source id "a" (already used by sources[0])',
    );
  });

  it("refuses a source id longer than 64 characters at its line: it starts every id the source's facts get", () => {
    const id = "a".repeat(64);
    expect(parseConfig(`sources:\n  - id: ${id}\n    kind: ad\n    file: x.ldif\n`, "/x/credgov.yaml").sources[0].id).toBe(id);
    const error = loadError(`sources:\n  - id: ${id}b\n    kind: ad\n    file: x.ldif\n`);
    expect(error.format()).toBe("credgov.yaml:2:5 sources[0].id: must be a string of at most 64 letters, digits, '.', '_' or '-'");
    expect(error.exitCode).toBe(2);
  });

  it("reports a missing config file without a stack trace", () => {
    const error = (() => {
      try {
        loadConfig("/nonexistent/credgov.yaml");
      } catch (e) {
        return e as UserInputError;
      }
    })();
    expect(error?.format()).toBe("/nonexistent/credgov.yaml cannot read config file: no such file");
  });

  it("keeps the schema's default annotations in step with the defaults the loader applies", () => {
    const schema = JSON.parse(readFileSync(configSchemaUrl, "utf8"));
    const annotated = Object.fromEntries(
      Object.entries(schema.$defs.Thresholds.properties as Record<string, { default: number }>).map(([k, v]) => [k, v.default]),
    );
    expect(annotated).toEqual(defaultThresholds);
  });

  it("resolves every path setting and keeps live-source settings", () => {
    const file = writeConfig(
      [
        "sources:",
        "  - id: dc",
        "    kind: ad",
        "    url: ldaps://dc1.corp.example:636",
        "    bindDN: CN=credgov,OU=Service Accounts,DC=corp,DC=example",
        "    passwordEnv: CREDGOV_AD_PASSWORD",
        "    tls: { caFile: certs/corp-ca.pem }",
        "  - id: tenant",
        "    kind: entra",
        "    tenantId: 00000000-0000-0000-0000-000000000001",
        "    clientId: 00000000-0000-0000-0000-000000000002",
        "    certificate: { file: certs/app.pem, passwordEnv: APP_PEM_PASSWORD }",
        "  - id: gh",
        "    kind: github",
        "    org: corp",
        "    app: { appId: 123, installationId: 456, privateKeyEnv: GH_APP_KEY }",
        "policies: { dirs: [policies/extra], bundle: bundle.tar.gz }",
        "exceptions: { file: exceptions.yaml }",
        "output: { dir: /var/reports, formats: [pdf, sarif], failOn: high }",
        "",
      ].join("\n"),
    );
    const dir = join(file, "..");
    const config = loadConfig(file);
    expect(config.sources[0]).toMatchObject({ url: "ldaps://dc1.corp.example:636", passwordEnv: "CREDGOV_AD_PASSWORD", tls: { caFile: join(dir, "certs/corp-ca.pem"), rejectUnauthorized: true }, startTLS: false });
    expect(config.sources[1]).toMatchObject({ certificate: { file: join(dir, "certs/app.pem"), passwordEnv: "APP_PEM_PASSWORD" }, graphBaseUrl: "https://graph.microsoft.com" });
    expect(config.sources[2]).toMatchObject({ app: { appId: 123, installationId: 456, privateKeyEnv: "GH_APP_KEY" } });
    expect(config.policies).toEqual({ dirs: [join(dir, "policies/extra")], bundle: join(dir, "bundle.tar.gz"), builtin: true });
    expect(config.exceptions).toEqual({ file: join(dir, "exceptions.yaml") });
    expect(config.output).toEqual({ dir: "/var/reports", formats: ["pdf", "sarif"], failOn: "high" });
  });

  it("loads the bundled demo config", () => {
    const config = loadConfig(new URL("../../examples/demo/credgov.yaml", import.meta.url).pathname);
    expect([...new Set(config.sources.map((s) => s.kind))].sort()).toEqual(["ad", "entra", "github", "ldap"]);
  });

  it("accepts the example in docs/config.md", () => {
    const doc = readFileSync(new URL("../../docs/config.md", import.meta.url), "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)![1];
    const config = loadConfig(writeConfig(example));
    expect(config.sources.map((s) => s.id)).toEqual(["corp-ad", "legacy-ldap", "entra", "github"]);
  });
});

describe("config: a file broken everywhere", () => {
  it("lists the first 20 problems and how many more, not hundreds of lines", () => {
    // An unclosed flow sequence nested 100,000 deep: the YAML parser reports one error per level.
    const text = `version: 1\nsources: ${"[".repeat(100_000)}\n`;
    const error = (() => {
      try {
        parseConfig(text, "/x/credgov.yaml", "credgov.yaml");
      } catch (e) {
        return e as UserInputError;
      }
      throw new Error("accepted");
    })();
    expect(error).toBeInstanceOf(UserInputError);
    const lines = error.format().split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatch(/^credgov\.yaml:2:\d+ YAML syntax error: /);
    expect(lines[20]).toMatch(/^\.\.\. and \d+ more problem\(s\); fix the ones above first$/);
  });
});

describe("config: YAML aliases", () => {
  it("reports an alias bomb with file and line, not an internal error", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "sources: []"].join("\n");
    expect(() => parseConfig(bomb, "/x/credgov.yaml", "credgov.yaml")).toThrow(UserInputError);
    try {
      parseConfig(bomb, "/x/credgov.yaml", "credgov.yaml");
    } catch (e) {
      expect((e as UserInputError).format()).toMatch(/^credgov\.yaml:2:\d+ YAML aliases expand too far/);
    }
  });
});
