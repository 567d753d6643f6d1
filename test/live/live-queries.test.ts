// Server-free checks of the live transports' query building and error classification (the
// integration files provoke the same failures for real).
import { InvalidCredentialsError, SizeLimitExceededError } from "ldapts";
import { describe, expect, it } from "vitest";
import { adEntrySearches, escapeFilterValue, transitiveMembersSearch, trusteeSearches } from "../../src/collectors/ad/live-queries.ts";
import { describeSearch, serverName } from "../../src/collectors/ldap-common/ldap-connection.ts";
import { classifyLdapError } from "../../src/collectors/ldap-common/ldap-connection-error.ts";
import { ldapEntrySearches } from "../../src/collectors/ldap/live-queries.ts";

describe("live query building", () => {
  it("escapes DNs placed in filters (RFC 4515)", () => {
    expect(escapeFilterValue("CN=Ops (Tier*0)\\x,DC=a")).toBe("CN=Ops \\28Tier\\2a0\\29\\5cx,DC=a");
    expect(transitiveMembersSearch("DC=a", "CN=Admins (x),DC=a").filter).toBe("(&(objectClass=user)(memberOf:1.2.840.113556.1.4.1941:=CN=Admins \\28x\\29,DC=a))");
  });

  it("asks for LAPS attributes only when the schema has them, and for SDs with the SD flags control", () => {
    const without = adEntrySearches("DC=a", []).find((s) => s.step === "accounts")!;
    const withLaps = adEntrySearches("DC=a", ["msLAPS-PasswordExpirationTime"]).find((s) => s.step === "accounts")!;
    expect(without.attributes).not.toContain("msLAPS-PasswordExpirationTime");
    expect(withLaps.attributes).toContain("msLAPS-PasswordExpirationTime");
    expect(describeSearch(without)).toMatch(/^DC=a\?sub\?\(objectClass=user\)\?.*nTSecurityDescriptor\?sdflags=5$/);
  });

  it("batches trustee look-ups", () => {
    const sids = Array.from({ length: 230 }, (_, i) => `S-1-5-21-1-2-3-${1000 + i}`);
    const searches = trusteeSearches("DC=a", sids);
    expect(searches.map((s) => s.filter.match(/objectSid=/g)!.length)).toEqual([100, 100, 30]);
    expect(trusteeSearches("DC=a", [])).toEqual([]);
  });

  it("requests ppolicy operational attributes and configured owner attributes once", () => {
    const accounts = ldapEntrySearches("dc=x", ["manager", "seeAlso", "Mail"]).find((s) => s.step === "accounts")!;
    for (const a of ["pwdPolicySubentry", "pwdReset", "pwdChangedTime", "pwdAccountLockedTime", "seeAlso", "manager"]) expect(accounts.attributes).toContain(a);
    expect(accounts.attributes.filter((a) => a.toLowerCase() === "mail")).toHaveLength(1);
  });
});

describe("LDAP error classification", () => {
  const server = serverName("ldaps://dc1.example:636/");
  it("names server and step and gives an actionable reason", () => {
    const bad = classifyLdapError(new InvalidCredentialsError("80090308: LdapErr: DSID-0C09044E"), server, "bind");
    expect(bad).toMatchObject({ code: "invalid-credentials", step: "bind" });
    expect(bad.message).toBe("ldaps://dc1.example:636: bind: bind refused: invalid credentials for bindDN (check bindDN and the password in passwordEnv)");
    const limit = classifyLdapError(new SizeLimitExceededError("limit"), server, "accounts", "call", 1200);
    expect(limit.message).toContain("ldaps://dc1.example:636: accounts: the server's size limit was exceeded");
    expect(limit.message).toContain("after 1200 entries");
  });

  it("reports socket failures during the first operation as the connect step", () => {
    const refused = classifyLdapError(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:636"), { code: "ECONNREFUSED" }), server, "bind");
    expect(refused).toMatchObject({ code: "unreachable", step: "connect" });
    const selfSigned = classifyLdapError(Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }), server, "bind");
    expect(selfSigned).toMatchObject({ code: "tls", step: "connect" });
    expect(selfSigned.message).toContain("tls.caFile");
  });
});
