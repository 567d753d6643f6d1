// accountExpires: a DC refuses the logon of an account past it, whatever userAccountControl says,
// so such an account is not `enabled` in the snapshot (nor an enabled owner). 0 and
// 0x7FFFFFFFFFFFFFFF mean never; an account entry without the attribute has an unknown expiry
// (null), never "does not expire"; a value that is not a FILETIME stops the read at its entry.
import { describe, expect, it } from "vitest";
import { normalizeAd } from "../../../src/collectors/ad/normalizer.ts";
import { isoToFiletime } from "../../../src/collectors/ldap-common/filetime.ts";
import { parseLdif } from "../../../src/collectors/ldap-common/ldif-reader.ts";
import { serviceAccountRules } from "../../../src/collectors/ldap-common/service-account-rules.ts";
import type { NormalizedDirectoryFacts } from "../../../src/collectors/normalized-facts.ts";
import { toLdif, type BuilderEntry } from "../ldap-common/ldif-builder.ts";
import { BASE, domainEntry, user } from "./synthetic-estate.ts";

const COLLECTED_AT = "2026-03-01T12:00:00.000Z";
const ft = (iso: string) => isoToFiletime(iso).toString();

async function* once(text: string) {
  yield Buffer.from(text);
}

async function normalize(entries: BuilderEntry[]): Promise<NormalizedDirectoryFacts> {
  const ldif = toLdif([domainEntry(), { dn: `OU=Staff,${BASE}`, objectClass: ["top", "organizationalUnit"] }, ...entries]);
  return normalizeAd(parseLdif(once(ldif), "corp.ldif"), { sourceId: "corp", serviceRules: serviceAccountRules(), locate: (_e: unknown, error: Error) => error, collectedAt: COLLECTED_AT });
}

const staff = (sam: string, rid: number, extra: Record<string, BuilderEntry[string]> = {}) => user(`CN=${sam},OU=Staff,${BASE}`, sam, rid, extra);

describe("AD accountExpires decides whether an account can sign in", () => {
  it("an account past accountExpires at collection time is not enabled; never (0 or 0x7FFFFFFFFFFFFFFF) and later times are", async () => {
    const n = await normalize([
      staff("expired", 1300, { accountExpires: ft("2026-02-28T00:00:00Z") }),
      staff("expires-later", 1301, { accountExpires: ft("2026-03-02T00:00:00Z") }),
      staff("never-zero", 1302, { accountExpires: "0" }),
      staff("never-max", 1303, { accountExpires: "9223372036854775807" }),
      staff("disabled", 1304, { accountExpires: "9223372036854775807", userAccountControl: "514" }),
      staff("owned", 1305, { accountExpires: "0", manager: `CN=expired,OU=Staff,${BASE}` }),
    ]);
    const byName = (name: string) => n.accounts.find((a) => a.name === name)!;
    expect(byName("expired")).toMatchObject({ enabled: false, expiry: { kind: "time", time: "2026-02-28T00:00:00.000Z" } });
    expect(byName("expires-later")).toMatchObject({ enabled: true, expiry: { kind: "time", time: "2026-03-02T00:00:00.000Z" } });
    expect(byName("never-zero")).toMatchObject({ enabled: true, expiry: { kind: "never" } });
    expect(byName("never-max")).toMatchObject({ enabled: true, expiry: { kind: "never" } });
    expect(byName("disabled")).toMatchObject({ enabled: false, expiry: { kind: "never" } });
    // The expired manager cannot sign in: as an owner it counts as disabled.
    expect(byName("owned").owners).toEqual([expect.objectContaining({ name: "expired", status: "disabled" })]);
    expect(n.gaps).toEqual([]);
  });

  it("an account entry without accountExpires has an unknown expiry (null), not 'never'", async () => {
    const n = await normalize([staff("unread", 1300)]);
    expect(n.accounts[0]).toMatchObject({ enabled: true, expiry: null });
  });

  it("refuses an accountExpires that is not a FILETIME, naming the attribute", async () => {
    const error = await normalize([staff("garbled", 1300, { accountExpires: "next year" })]).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AttributeValueError", attribute: "accountexpires" });
    expect((error as Error).message).toContain("not a FILETIME integer");
  });
});
