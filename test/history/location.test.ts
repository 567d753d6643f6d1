// Which history a command uses, and the config's history section: a postgres:// URL with the
// password in an environment variable, an SQLite path resolved beside the config.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.ts";
import { historyLocation } from "../../src/history/location.ts";

const dir = mkdtempSync(join(tmpdir(), "credgov-history-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(history: string): string {
  const file = join(dir, `credgov-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `version: 1\nsources:\n  - id: corp-ad\n    kind: ad\n    file: ad.ldif\n${history}`);
  return file;
}

describe("history location", () => {
  it("defaults to .credgov/history.db beside the config", () => {
    const loaded = loadConfig(config(""));
    expect(historyLocation(undefined, loaded)).toEqual({ target: join(dir, ".credgov", "history.db"), field: "history.path" });
    expect(loaded.history).toMatchObject({ enabled: true, keepSnapshots: true });
  });

  it("takes a PostgreSQL URL with the password from the named environment variable", () => {
    const loaded = loadConfig(config("history:\n  url: postgres://credgov@db.example/credgov\n  passwordEnv: HISTORY_PW\n"));
    expect(historyLocation(undefined, loaded, { HISTORY_PW: "s3cret" })).toEqual({ target: "postgres://credgov@db.example/credgov", field: "history.url", password: "s3cret" });
    expect(() => historyLocation(undefined, loaded, {})).toThrow(/environment variable HISTORY_PW is not set/);
  });

  it("lets --history override the config, as a file or a URL", () => {
    const loaded = loadConfig(config("history:\n  path: h.db\n"));
    expect(historyLocation("other.db", loaded).target).toBe(resolve("other.db"));
    expect(historyLocation("postgresql://x@h/db", loaded).target).toBe("postgresql://x@h/db");
    expect(historyLocation(undefined, undefined).target).toBe(resolve(".credgov/history.db"));
  });

  it("rejects a history URL that is not PostgreSQL, naming the line", () => {
    const file = config("history:\n  url: mysql://x@h/db\n");
    expect(() => loadConfig(file)).toThrow(expect.objectContaining({ line: 7, field: "history.url" }) as Error);
  });
});
