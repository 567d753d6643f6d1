// A password written into a URL (user:password@, or PostgreSQL's ?password=) is an inline secret:
// refused before anything runs, and never echoed back in the error (it used to be shown whole
// when the connection failed, or only refused after a whole scan had run).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credgov, demoDir } from "./run-credgov.ts";



describe("passwords in URLs", () => {
  it("--history with ?password= is exit 2 naming the flag, the password not shown", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-url-password-"));
    const r = credgov(dir, "history", "list", "--history", "postgres://credgov@127.0.0.1:1/scans?password=Hunter2-in-url");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: --history: the URL holds a password (?password=); put it in an environment variable named by history.passwordEnv\n");
  });

  it("history.url with a password in credgov.yaml stops the scan before it collects, exit 2 at its line", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-url-password-"));
    writeFileSync(join(dir, "credgov.yaml"), `sources:\n  - { id: corp-ad, kind: ad, file: ${join(demoDir, "ad.ldif")} }\nhistory:\n  url: postgres://credgov:Hunter2-in-url@127.0.0.1:1/scans\n`);
    const r = credgov(dir, "scan", "--config", "credgov.yaml", "--out", "out");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: credgov\.yaml:4:8 history\.url: the URL holds a password \(user:password@\)/);
    expect(r.stderr).not.toContain("Hunter2");
  });
});
