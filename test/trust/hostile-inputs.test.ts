// Regression tests for cases of issue 10 not covered elsewhere, through the CLI as a user meets
// them: an export path that is a FIFO (collection used to hang), control characters from
// directory data (they reached the terminal and summary.md raw), unparseable dates in exports
// (they became null with the source ok), and 200,000 sources over one LDIF (out of memory).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { credgov } from "./run-credgov.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const TIMEOUT = 300_000;
const fixture = fileURLToPath(new URL("../fixtures/snapshots/all-controls.json", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "credgov-hostile-"));


describe("export paths that are not regular files", () => {
  it(
    "an LDIF export (exit 2 at the setting) or a Graph users.json that is a FIFO is refused naming it, never read (it used to hang)",
    () => {
      const dir = join(work, "fifo");
      mkdirSync(join(dir, "entra"), { recursive: true });
      spawnSync("mkfifo", [join(dir, "corp.ldif")]);
      writeFileSync(join(dir, "ad.yaml"), "sources:\n  - id: corp-ad\n    kind: ad\n    file: corp.ldif\n");
      const ad = credgov(dir, "collect", "--config", "ad.yaml", "--out", "s.json");
      expect(ad.signal).toBeNull();
      expect(ad.code).toBe(2);
      expect(ad.stderr).toBe("error: ad.yaml:4:5 sources[0].file: export file corp.ldif is a FIFO, not a regular file\n");

      for (const name of ["organization.json", "applications.json", "servicePrincipals.json"]) writeFileSync(join(dir, "entra", name), '{"value": []}');
      spawnSync("mkfifo", [join(dir, "entra", "users.json")]);
      writeFileSync(join(dir, "entra.yaml"), "sources:\n  - id: corp-entra\n    kind: entra\n    dir: entra\n");
      const entra = credgov(dir, "collect", "--config", "entra.yaml", "--out", "s.json");
      expect(entra.signal).toBeNull();
      expect(entra.code).not.toBe(0);
      expect(entra.stderr).toMatch(/users\.json is a FIFO, not a regular file/);
    },
    TIMEOUT,
  );
});

describe("dates and source counts", () => {
  it(
    "an unparseable or impossible date in a Graph export is exit 2 naming file, line, column and field, never a silent null",
    () => {
      for (const value of ["yesterday", "2026-02-30T10:00:00Z"]) {
        const dir = mkdtempSync(join(work, "dates-"));
        mkdirSync(join(dir, "entra"));
        for (const name of ["organization.json", "applications.json", "servicePrincipals.json"]) writeFileSync(join(dir, "entra", name), '{"value": []}');
        writeFileSync(join(dir, "entra", "users.json"), `{"value": [\n {"id": "u1", "userPrincipalName": "a@x", "accountEnabled": true,\n  "lastPasswordChangeDateTime": "${value}"}\n]}\n`);
        writeFileSync(join(dir, "credgov.yaml"), "sources:\n  - id: corp-entra\n    kind: entra\n    dir: entra\n");
        const r = credgov(dir, "collect", "--config", "credgov.yaml", "--out", "s.json");
        expect(r.code, value).toBe(2);
        expect(r.stderr, value).toBe('error: entra/users.json:2:2 value[0].lastPasswordChangeDateTime: must match format "date-time"\n');
      }
    },
    TIMEOUT,
  );

  it(
    "more sources than 1000 (one LDIF listed over and over) is exit 2 at the sources key, before anything is read",
    () => {
      const dir = join(work, "many");
      mkdirSync(dir);
      writeFileSync(join(dir, "corp.ldif"), "dn: dc=corp,dc=example\nobjectClass: domain\n\n");
      writeFileSync(join(dir, "credgov.yaml"), `sources:\n${Array.from({ length: 1001 }, (_, i) => `  - { id: s${i}, kind: ad, file: corp.ldif }\n`).join("")}`);
      const r = credgov(dir, "collect", "--config", "credgov.yaml", "--out", "s.json");
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("error: credgov.yaml:1:1 sources: must NOT have more than 1000 items\n");
    },
    TIMEOUT,
  );
});

describe("control characters from directory data", () => {
  it(
    "are shown escaped in summary.md and on the terminal, never sent raw",
    () => {
      const hostile = "\u001b]0;owned\u0007\u001b[2J\u202eevil";
      const snapshot = JSON.parse(readFileSync(fixture, "utf8")) as Snapshot;
      for (const account of snapshot.accounts) account.name = `${account.name}${hostile}`;
      const dir = join(work, "control");
      mkdirSync(dir);
      writeFileSync(join(dir, "snapshot.json"), JSON.stringify(snapshot));
      const r = credgov(dir, "evaluate", "--snapshot", "snapshot.json", "--out", "out", "--fail-on", "none", "--allow-incomplete", "--format", "md", "-v");
      expect(r.code).toBe(0);
      const summary = readFileSync(join(dir, "out", "summary.md"), "utf8");
      // The names do reach the summary (so the check below means something), escaped.
      expect(summary).toContain("\\x1b]0;owned\\x07\\x1b[2J\\u202eevil");
      for (const raw of ["\u001b", "\u0007", "\u202e"]) {
        expect(summary).not.toContain(raw);
        expect(r.stdout).not.toContain(raw);
        expect(r.stderr).not.toContain(raw);
      }
    },
    TIMEOUT,
  );
});
