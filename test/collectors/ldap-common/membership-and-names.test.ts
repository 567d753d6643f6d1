import { describe, expect, it } from "vitest";
import { DnAncestorIndex } from "../../../src/collectors/ldap-common/dn-ancestor-index.ts";
import { dnKey, dnsNameOf, firstRdnValue, isBelowDnKey } from "../../../src/collectors/ldap-common/distinguished-name.ts";
import { GroupMembership } from "../../../src/collectors/ldap-common/group-membership.ts";
import { serviceAccountRules, serviceReason } from "../../../src/collectors/ldap-common/service-account-rules.ts";

describe("group membership closure", () => {
  it("follows nesting and tolerates cycles (legal in AD)", () => {
    const m = new GroupMembership();
    m.add("user", "a");
    m.add("a", "b");
    m.add("b", "c");
    m.add("c", "a"); // cycle a -> b -> c -> a
    m.add("b", "d");
    expect([...m.groupsOfLeaf("user")].sort()).toEqual(["a", "b", "c", "d"]);
    expect([...m.allGroups("b")].sort()).toEqual(["a", "b", "c", "d"]);
    expect([...m.groupsOfLeaf("nobody")]).toEqual([]);
  });

  it("sees edges added after an earlier query", () => {
    const m = new GroupMembership();
    m.add("g1", "g2");
    expect([...m.allGroups("g1")]).toEqual(["g2"]);
    m.add("g2", "g3");
    expect([...m.allGroups("g1")].sort()).toEqual(["g2", "g3"]);
  });
});

describe("distinguished names", () => {
  it("keys every RFC 4514 spelling of one DN alike and keeps RDN boundaries in the key", () => {
    const smith = "cn=smith\\2c john,ou=staff,dc=corp,dc=example";
    for (const spelling of [
      "CN=Smith\\, John,OU=Staff,DC=corp,DC=example",
      "CN=Smith\\2C John,OU=Staff,DC=corp,DC=example",
      "cn=smith\\2c john,ou=staff,dc=corp,dc=example",
      "CN = Smith\\, John , OU=Staff,  DC=Corp,DC=Example",
      'CN="Smith, John",OU=Staff,DC=corp,DC=example',
      "CN=\\53mith\\, John,OU=Staff,DC=corp,DC=example",
    ]) expect(dnKey(spelling), spelling).toBe(smith);
    // UTF-8 written as hex pairs, `\"`, and a multi-valued RDN in either order.
    expect(dnKey("CN=Ren\\C3\\A9,DC=corp")).toBe(dnKey("CN=René,DC=corp"));
    expect(dnKey('CN=Say \\"Hi\\",DC=corp')).toBe(dnKey("CN=Say \\22Hi\\22,DC=corp"));
    expect(dnKey("CN=Jo+UID=jo7,DC=corp")).toBe(dnKey("uid=JO7 + cn=JO,DC=corp"));
    // An escaped trailing space is part of the value; an unescaped one is not.
    expect(dnKey("CN=a\\ ,DC=corp")).not.toBe(dnKey("CN=a ,DC=corp"));
    expect(dnKey("CN=a ,DC=corp")).toBe("cn=a,dc=corp");
    // Different values stay different.
    expect(dnKey("CN=Smith\\, John,DC=corp")).not.toBe(dnKey("CN=Smith,CN=John,DC=corp"));
    expect(dnKey("CN=Alice Smith,OU=Staff,DC=corp")).toBe("cn=alice smith,ou=staff,dc=corp");
    // AD's deleted objects keep their newline escape.
    expect(dnKey("CN=Bob\\0ADEL:1234,CN=Deleted Objects,DC=corp")).toContain("\\0adel:");
    const containers = new DnAncestorIndex(new Map([["ou=b,dc=c", 1], ["ou=b\\2cc,dc=c", 2], ["dc=c", 3], ["ou=x,dc=c", 4]]));
    expect(containers.ancestorsOf("CN=a,OU=b,DC=c")).toEqual([{ key: "ou=b,dc=c", parent: true, value: 1 }, { key: "dc=c", parent: false, value: 3 }]);
    expect(containers.ancestorsOf("CN=Smith\\, John,OU=b\\,c,DC=c").map((a) => a.value)).toEqual([2, 3]);
    expect(isBelowDnKey(dnKey("CN=x,OU=Staff,DC=corp"), dnKey("ou=staff, dc=CORP"))).toBe(true);
    expect(isBelowDnKey(dnKey("CN=x,OU=NotStaff,DC=corp"), dnKey("OU=Staff,DC=corp"))).toBe(false);
    expect(dnsNameOf("OU=x,DC=Corp,DC=Example")).toBe("corp.example");
    expect(dnsNameOf("o=legacy")).toBeNull();
    expect(firstRdnValue("CN=Smith\\, John,OU=Staff")).toBe("Smith, John");
    expect(firstRdnValue("CN=Smith\\2C John,OU=Staff")).toBe("Smith, John");
    // Text that is not a DN keys as itself.
    expect(dnKey("Domain Admins")).toBe("domain admins");
  });
});

describe("service account rules", () => {
  it("uses default OU names and name patterns", () => {
    const rules = serviceAccountRules();
    expect(serviceReason(rules, "CN=backup,OU=Service Accounts,DC=corp", "backup")).toBe("in OU Service Accounts");
    expect(serviceReason(rules, "CN=x,OU=Staff,DC=corp", "svc-x")).toBe("name matches svc-*");
    expect(serviceReason(rules, "CN=x,OU=Staff,DC=corp", "SQL_SVC")).toBe("name matches *_svc");
    expect(serviceReason(rules, "CN=Services Desk,OU=Staff,DC=corp", "sdesk")).toBeNull(); // only OU RDNs count
    expect(serviceReason(rules, "CN=alice,OU=Staff,DC=corp", "alice")).toBeNull();
  });

  it("replaces the defaults with configured OUs (names or DNs) and globs", () => {
    const rules = serviceAccountRules(["OU=Robots,DC=corp", "apps"], ["bot?*", "*.daemon"]);
    expect(serviceReason(rules, "CN=r1,OU=EU,OU=Robots,DC=Corp", "r1")).toBe("in service OU ou=robots,dc=corp");
    expect(serviceReason(rules, "CN=a,OU=Apps,DC=corp", "a")).toBe("in OU Apps");
    expect(serviceReason(rules, "CN=x,OU=Staff,DC=corp", "cron.daemon")).toBe("name matches *.daemon");
    expect(serviceReason(rules, "CN=x,OU=Staff,DC=corp", "bot7")).toBe("name matches bot?*");
    expect(serviceReason(rules, "CN=x,OU=Staff,DC=corp", "bot")).toBeNull();
    expect(serviceReason(rules, "CN=x,OU=Staff,DC=corp", "svc-x")).toBeNull();
  });
});
