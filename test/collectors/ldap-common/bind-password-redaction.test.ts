// The bind password never reaches a source error, even when the directory quotes it back: a
// real ldapts client binds to a server that echoes the password in its diagnostic message (the
// one text of the server that reaches credgov's errors: for a result code credgov has no
// words of its own for), and the collected source names the failure without the password.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adCollector } from "../../../src/collectors/ad/index.ts";
import { ldapCollector } from "../../../src/collectors/ldap/index.ts";
import { startEchoingLdapServer } from "./echoing-ldap-server.ts";

const password = "Corr3ct-Horse-Battery-Staple!";
let server: Awaited<ReturnType<typeof startEchoingLdapServer>>;

beforeAll(async () => {
  server = await startEchoingLdapServer();
});
afterAll(async () => {
  await server.close();
});

describe("a directory that quotes the bind password in its error", () => {
  for (const [kind, collector] of [["ad", adCollector], ["ldap", ldapCollector]] as const) {
    it(`${kind}: the source error keeps the server's words and redacts the password`, async () => {
      const part = await (collector as typeof adCollector).collect({
        source: { id: "dir", kind: kind as "ad", url: server.url, bindDN: "cn=auditor,dc=example", passwordEnv: "DIR_PASSWORD", timeoutMs: 5000 },
        configDir: process.cwd(),
        env: { DIR_PASSWORD: password },
        progress: { step() {}, tick() {} },
        log: () => {},
      });
      expect(part.source.status).toBe("error");
      const text = JSON.stringify(part);
      expect(text).not.toContain(password);
      // Nor any 8-character run of it (a server may quote part of what it got).
      for (let i = 0; i + 8 <= password.length; i++) expect(text).not.toContain(password.slice(i, i + 8));
      expect(part.source.errors[0]).toMatchObject({ code: "ldap-80" });
      expect(part.source.errors[0]!.message).toBe(`${server.url}: bind: LDAP result code 80 (the server said: bind for cn=auditor,dc=example with password [redacted] failed)`);
    });
  }
});
