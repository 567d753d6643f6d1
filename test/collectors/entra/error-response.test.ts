// A Graph error response saved into an export file is a failed call (source partial, the areas
// it feeds left unknown), not malformed input; a dir: that is a file says so.
import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { entraCollector } from "../../../src/collectors/entra/collector.ts";
import { entraExports } from "../../../src/collectors/entra/export-files.ts";

const fixtures = new URL("../../fixtures/", import.meta.url).pathname;
const denied = JSON.stringify({ error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } });

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "credgov-entra-err-"));
  cpSync(join(fixtures, "entra"), join(dir, "entra"), { recursive: true });
  return dir;
}

const collect = (configDir: string, dir = "entra") =>
  entraCollector.collect({ source: { id: "cloud", kind: "entra", dir }, configDir, env: {}, progress: { step() {}, tick() {} }, log() {} });

describe("Entra export files holding a Graph error response", () => {
  it.each([
    ["users.json (streamed)", entraExports.users],
    ["authorizationPolicy.json", entraExports.authorizationPolicy],
    ["domains.json", entraExports.domains],
  ])("%s is recorded as a failed call with what it affects", async (_, file) => {
    const dir = workspace();
    writeFileSync(join(dir, "entra", file.path), denied);
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.source.queries.find((q) => q.step === file.step)).toMatchObject({ status: "error", resultCount: 0 });
    const error = part.source.errors.find((e) => e.step === file.step)!;
    expect(error).toMatchObject({ code: "api-error", call: file.call, affects: file.affects });
    expect(error.message).toBe(
      `${file.path} holds the API's error response, not data: Microsoft Graph error Authorization_RequestDenied: Insufficient privileges to complete the operation.; ${file.affects.join(", ")} left unknown`,
    );
  });

  it("leaves what the failed users call feeds unknown", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "entra", "users.json"), denied);
    const part = await collect(dir);
    expect(part.accounts.some((a) => a.kind === "human")).toBe(false);
    expect(part.settings.onPremisesSyncEnabled).toBeNull();
  });

  it("says a dir: that is a file is not a folder", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "ad.ldif"), "dn: dc=x\n");
    const part = await collect(dir, "ad.ldif");
    expect(part.source.status).toBe("error");
    expect(part.source.errors[0].message).toMatch(/ad\.ldif is a file, not an export folder: dir: must name the folder holding the export files$/);
  });
});
