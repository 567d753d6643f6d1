// slapd's ppolicy refuses a bind before pwdStartTime and after pwdEndTime (slapo-ppolicy(5)),
// whatever the password: such an account is not `enabled` (nor an enabled owner), and
// pwdEndTime is its expiry. Without pwdEndTime in a read that returned operational attributes
// the account never expires; in a read without any, its expiry is unknown (null).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SourcePart } from "../../../src/snapshot/source-part.ts";
import { ldapCollector } from "../../../src/collectors/ldap/index.ts";
import { toLdif, type BuilderEntry } from "../ldap-common/ldif-builder.ts";
import { userInputErrorOf } from "../../user-input-error.ts";

const BASE = "dc=x";

async function collect(entries: BuilderEntry[]): Promise<SourcePart> {
  const dir = mkdtempSync(join(tmpdir(), "credgov-ldap-window-"));
  const text = toLdif([{ dn: BASE, objectClass: ["dcObject", "organization"], dc: "x", o: "x" }, ...entries]);
  writeFileSync(join(dir, "x.ldif"), text);
  return ldapCollector.collect({ source: { id: "legacy", kind: "ldap", file: "x.ldif" }, configDir: dir, env: {}, progress: { step() {}, tick() {} }, log: () => {} });
}

let uuid = 0;
const person = (uid: string, extra: Record<string, string> = {}) => ({
  dn: `uid=${uid},${BASE}`,
  objectClass: ["inetOrgPerson"],
  uid,
  cn: uid,
  sn: uid,
  entryUUID: `6f1c2f0e-1d7a-4a3e-9a53-${String(++uuid).padStart(12, "0")}`,
  ...extra,
});

describe("LDAP ppolicy bind window", () => {
  it("an account past pwdEndTime or before pwdStartTime cannot bind: not enabled, and an owner it holds is disabled", async () => {
    const part = await collect([
      person("ended", { pwdEndTime: "20190601000000Z" }),
      person("ends-later", { pwdEndTime: "20990601000000Z" }),
      person("not-yet", { pwdStartTime: "20990101000000Z" }),
      person("started", { pwdStartTime: "20190101000000Z" }),
      person("open"),
      person("owned", { manager: `uid=ended,${BASE}` }),
    ]);
    const byName = (name: string) => part.accounts.find((a) => a.name === name)!;
    expect(byName("ended")).toMatchObject({ enabled: false, expiry: { kind: "time", time: "2019-06-01T00:00:00.000Z" } });
    expect(byName("ends-later")).toMatchObject({ enabled: true, expiry: { kind: "time", time: "2099-06-01T00:00:00.000Z" } });
    expect(byName("not-yet")).toMatchObject({ enabled: false, expiry: { kind: "never" } });
    expect(byName("started")).toMatchObject({ enabled: true, expiry: { kind: "never" } });
    expect(byName("open")).toMatchObject({ enabled: true, expiry: { kind: "never" } });
    expect(byName("owned").owners).toEqual([expect.objectContaining({ name: "ended", status: "disabled" })]);
  });

  it("a read without operational attributes leaves the expiry unknown (null), not 'never'", async () => {
    const part = await collect([{ dn: `uid=plain,${BASE}`, objectClass: ["inetOrgPerson"], uid: "plain", cn: "plain", sn: "plain" }]);
    expect(part.accounts[0]).toMatchObject({ enabled: true, expiry: null });
  });

  it("refuses a pwdEndTime that is not a generalized time, naming file, line and attribute", async () => {
    const error = await userInputErrorOf(collect([person("garbled", { pwdEndTime: "next year" })]));
    expect(error.format()).toMatch(/^x\.ldif:\d+ pwdEndTime: not a generalized time: "next year"/);
  });
});
