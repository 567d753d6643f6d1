// An LDIF export without a single entry (a 0-byte file, comments only) is a failed export, not a
// directory without accounts: an ldap source read it as "ok" with nothing to judge (exit 0).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adCollector } from "../../../src/collectors/ad/index.ts";
import { ldapCollector } from "../../../src/collectors/ldap/index.ts";

function collect(kind: "ad" | "ldap", text: string) {
  const dir = mkdtempSync(join(tmpdir(), "credgov-empty-ldif-"));
  writeFileSync(join(dir, "x.ldif"), text);
  const collector = (kind === "ad" ? adCollector : ldapCollector) as typeof adCollector;
  return collector.collect({ source: { id: "dir", kind: kind as "ad", file: "x.ldif" }, configDir: dir, env: {}, progress: { step() {}, tick() {} }, log() {} });
}

describe("an LDIF export without any entry", () => {
  for (const kind of ["ad", "ldap"] as const) {
    for (const [what, text] of [["empty", ""], ["comments and a version line only", "version: 1\n\n# extended LDIF\n#\n"]]) {
      it(`${kind}, ${what}: partial, every area unknown`, async () => {
        const part = await collect(kind, text);
        expect(part.source.status).toBe("partial");
        expect(part.source.errors).toContainEqual({ step: "entries", message: "x.ldif holds no entry: a search returns at least its base entry, so the export failed or searched the wrong base; re-export", affects: ["*"] });
      });
    }
  }

  it("ldap: one entry and no account is a directory without accounts (ok)", async () => {
    const part = await collect("ldap", "dn: dc=legacy,dc=example\nobjectClass: domain\ndc: legacy\n\n");
    expect(part.source.status).toBe("ok");
    expect(part.accounts).toEqual([]);
  });
});
