import { describe, expect, it } from "vitest";
import { correlate } from "../../src/snapshot/correlate.ts";
import { guidKey } from "../../src/snapshot/guid-key.ts";
import type { Account } from "../../src/snapshot/types.ts";

function account(source: string, native: string, nativeIds: Account["nativeIds"], kind: Account["kind"] = "human"): Account {
  return { id: `${source}:${native}`, source, nativeIds, name: native, kind, enabled: true, privileged: false, owners: [], flags: {} };
}

describe("guidKey", () => {
  it("turns the string form of an objectGUID into Entra's base64 immutableId form", () => {
    // Microsoft layout: first three fields little-endian. Bytes 33 22 11 00 55 44 77 66 88 99 aa bb cc dd ee ff.
    const expected = Buffer.from("33221100554477668899aabbccddeeff", "hex").toString("base64");
    expect(guidKey("00112233-4455-6677-8899-aabbccddeeff")).toBe(expected);
    expect(guidKey("{00112233-4455-6677-8899-AABBCCDDEEFF}")).toBe(expected);
    expect(guidKey(expected)).toBe(expected);
    expect(guidKey("alice")).toBeUndefined();
  });
});

describe("correlate", () => {
  it("links AD, Entra and GitHub accounts of one person and records how", () => {
    const guid = "00112233-4455-6677-8899-aabbccddeeff";
    const accounts = [
      account("ad", "alice", { objectGuid: guid, samAccountName: "alice", userPrincipalName: "Alice@corp.example" }),
      account("entra", "u1", { objectId: "u1", onPremisesImmutableId: guidKey(guid), userPrincipalName: "alice@corp.example" }),
      account("gh", "alice-gh", { login: "alice-gh", samlNameId: "ALICE@corp.example" }),
      account("entra", "sp1", { objectId: "sp1", appId: "app1" }, "servicePrincipal"),
    ];
    const { identities, correlation } = correlate(accounts);
    expect(correlation.ambiguous).toEqual([]);
    expect(identities).toHaveLength(2);
    const alice = identities[0];
    expect(alice.kind).toBe("person");
    expect(alice.accounts).toEqual(["ad:alice", "entra:u1", "gh:alice-gh"]);
    const methods = alice.links.map((l) => `${l.method}:${l.from}->${l.to}`).sort();
    expect(methods).toEqual([
      "objectGuid-immutableId:ad:alice->entra:u1",
      "saml-nameId:gh:alice-gh->ad:alice",
      "saml-nameId:gh:alice-gh->entra:u1",
      "upn:ad:alice->entra:u1",
    ]);
    expect(alice.links.find((l) => l.method === "upn")?.value).toBe("alice@corp.example");
    expect(identities[1]).toMatchObject({ kind: "workload", accounts: ["entra:sp1"], links: [] });
  });

  it("links sAMAccountName to onPremisesSamAccountName and mail to mail", () => {
    const accounts = [
      account("ad", "bob", { samAccountName: "BOB" }),
      account("entra", "u2", { onPremisesSamAccountName: "bob" }),
      account("ldap", "carol", { mail: "carol@corp.example" }),
      account("entra", "u3", { mail: "Carol@Corp.Example" }),
    ];
    const { identities } = correlate(accounts);
    expect(identities.map((i) => i.accounts)).toEqual([
      ["ad:bob", "entra:u2"],
      ["ldap:carol", "entra:u3"],
    ]);
    expect(identities[0].links[0]).toEqual({ from: "ad:bob", to: "entra:u2", method: "samAccountName", value: "bob" });
  });

  it("reports a key matching several accounts of one source as ambiguous and never links it", () => {
    const accounts = [
      account("ad", "dave", { mail: "shared@corp.example" }),
      account("ad", "dave-admin", { mail: "shared@corp.example" }),
      account("entra", "u4", { mail: "shared@corp.example" }),
    ];
    const { identities, correlation } = correlate(accounts);
    expect(identities.map((i) => i.accounts)).toEqual([["ad:dave"], ["ad:dave-admin"], ["entra:u4"]]);
    expect(correlation.ambiguous).toEqual([
      { account: "entra:u4", method: "mail", value: "shared@corp.example", candidates: ["ad:dave", "ad:dave-admin"] },
    ]);
  });

  it("does not report a weak key as ambiguous when a stronger key already made the link", () => {
    const guid = "00112233-4455-6677-8899-aabbccddeeff";
    const accounts = [
      account("ad", "erin", { objectGuid: guid, mail: "erin@corp.example" }),
      account("ad", "adm-erin", { mail: "erin@corp.example" }),
      account("entra", "u5", { onPremisesImmutableId: guidKey(guid), mail: "erin@corp.example" }),
    ];
    const { identities, correlation } = correlate(accounts);
    expect(correlation.ambiguous).toEqual([]);
    expect(identities.map((i) => i.accounts)).toEqual([["ad:erin", "entra:u5"], ["ad:adm-erin"]]);
    expect(identities[0].links.map((l) => l.method)).toEqual(["objectGuid-immutableId"]);
  });

  it("does not link two accounts of the same source on a shared key", () => {
    const { identities } = correlate([account("entra", "a", { userPrincipalName: "x@y" }), account("entra", "b", { userPrincipalName: "x@y" })]);
    expect(identities).toHaveLength(2);
  });

  it("applies explicit links from the config and reports ids it cannot find", () => {
    const accounts = [account("gh", "bot", { login: "deploy-bot" }, "bot"), account("entra", "sp", { appId: "a" }, "servicePrincipal")];
    const result = correlate(accounts, [{ accounts: ["gh:bot", "entra:sp", "entra:missing"], reason: "deploy pipeline" }]);
    expect(result.identities).toHaveLength(1);
    expect(result.identities[0]).toMatchObject({ kind: "workload", accounts: ["gh:bot", "entra:sp"] });
    expect(result.identities[0].links).toEqual([{ from: "gh:bot", to: "entra:sp", method: "config", value: "deploy pipeline" }]);
    expect(result.unresolvedLinks).toEqual(["entra:missing"]);
  });

  it("correlates 300k accounts in three sources into 100k identities (speed: npm run bench)", () => {
    const accounts: Account[] = [];
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const guid = `${i.toString(16).padStart(8, "0")}-0000-0000-0000-000000000000`;
      accounts.push(account("ad", `u${i}`, { objectGuid: guid, userPrincipalName: `u${i}@corp.example`, samAccountName: `u${i}` }));
      accounts.push(account("entra", `e${i}`, { onPremisesImmutableId: guidKey(guid), userPrincipalName: `u${i}@corp.example` }));
      accounts.push(account("gh", `g${i}`, { samlNameId: `u${i}@corp.example` }));
    }
    const { identities } = correlate(accounts);
    expect(identities).toHaveLength(n);
    expect(identities[n - 1].accounts).toEqual([`ad:u${n - 1}`, `entra:e${n - 1}`, `gh:g${n - 1}`]);
  });
});
