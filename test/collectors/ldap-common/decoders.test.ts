import { describe, expect, it } from "vitest";
import { AD_DURATION_NEVER, decodeAdDuration, durationMinutes, maxAgeDays } from "../../../src/collectors/ldap-common/ad-duration.ts";
import { decodeFiletime, filetimeToIso, isoToFiletime, parseFiletimeText } from "../../../src/collectors/ldap-common/filetime.ts";
import { parseGeneralizedTime } from "../../../src/collectors/ldap-common/generalized-time.ts";
import { base64ToGuid, decodeGuid, encodeGuid, guidToBase64 } from "../../../src/collectors/ldap-common/guid.ts";
import { decodeSid, encodeSid, sidRid } from "../../../src/collectors/ldap-common/sid.ts";
import { decodeUac, uacFlagNames } from "../../../src/collectors/ldap-common/user-account-control.ts";

describe("userAccountControl", () => {
  it("decodes real values from the Samba export", () => {
    // svc-backup after `samba-tool user setexpiry --noexpiry`: NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD
    expect(uacFlagNames(66048)).toEqual(["NORMAL_ACCOUNT", "DONT_EXPIRE_PASSWORD"]);
    // carol, disabled: ACCOUNTDISABLE | NORMAL_ACCOUNT
    expect(decodeUac(514).enabled).toBe(false);
    // a domain controller: SERVER_TRUST_ACCOUNT | TRUSTED_FOR_DELEGATION
    const dc = decodeUac(532480);
    expect(dc.serverTrust && dc.trustedForDelegation && dc.enabled).toBe(true);
    // a workstation: WORKSTATION_TRUST_ACCOUNT
    expect(decodeUac(4096).workstationTrust).toBe(true);
  });

  it("decodes every risky bit", () => {
    const all = decodeUac(0x2 | 0x20 | 0x40 | 0x80 | 0x10000 | 0x40000 | 0x80000 | 0x200000 | 0x400000);
    expect(all).toMatchObject({
      enabled: false, passwordNotRequired: true, cannotChangePassword: true, reversibleEncryption: true, passwordNeverExpires: true,
      smartcardRequired: true, trustedForDelegation: true, desOnly: true, noPreauth: true, lockedOut: false,
    });
    const none = decodeUac(0x200);
    expect(Object.entries(none).filter(([k, v]) => k !== "enabled" && v)).toEqual([]);
  });

  it("takes lockout and password expiry from msDS-User-Account-Control-Computed", () => {
    expect(decodeUac(0x200, 0x10).lockedOut).toBe(true);
    expect(decodeUac(0x200 | 0x10).lockedOut).toBe(false); // the stored LOCKOUT bit is not maintained by AD
    expect(decodeUac(0x200, 0x800000).passwordExpired).toBe(true);
  });
});

describe("FILETIME", () => {
  it("converts known instants", () => {
    expect(filetimeToIso(132539328000000000n)).toBe("2021-01-01T00:00:00.000Z");
    expect(filetimeToIso(116444736000000000n)).toBe("1970-01-01T00:00:00.000Z");
    expect(isoToFiletime("2021-01-01T00:00:00Z")).toBe(132539328000000000n);
  });

  it("agrees with whenCreated for a real account set at creation (svc-backup)", () => {
    const pwdLastSet = filetimeToIso(parseFiletimeText("134401405816491100"))!;
    const whenCreated = parseGeneralizedTime("20261126042301.0Z");
    expect(pwdLastSet).toBe("2026-11-26T04:23:01.649Z");
    expect(Math.abs(Date.parse(pwdLastSet) - Date.parse(whenCreated))).toBeLessThan(1000);
  });

  it("treats 0 and 0x7FFFFFFFFFFFFFFF as special", () => {
    expect(decodeFiletime(0n)).toEqual({ kind: "zero" });
    expect(decodeFiletime(0x7fffffffffffffffn)).toEqual({ kind: "never" });
    expect(decodeFiletime(parseFiletimeText("9223372036854775807"))).toEqual({ kind: "never" });
    expect(filetimeToIso(0n)).toBeNull();
  });

  it("rejects non-integers and negative times", () => {
    expect(() => parseFiletimeText("12x")).toThrow(RangeError);
    expect(() => decodeFiletime(-5n)).toThrow(RangeError);
  });

  it("rejects times after the year 9999 (FILETIME runs to 30828; a snapshot time has four digits)", () => {
    expect(decodeFiletime(isoToFiletime("9999-12-31T23:59:59.999Z"))).toEqual({ kind: "time", iso: "9999-12-31T23:59:59.999Z" });
    expect(() => decodeFiletime(9223372036854775806n)).toThrow("FILETIME 9223372036854775806 is after the year 9999 (only 9223372036854775807 means never)");
    expect(() => decodeFiletime(isoToFiletime("9999-12-31T23:59:59.999Z") + 10000n)).toThrow(RangeError);
  });
});

describe("generalized time", () => {
  it("parses AD and OpenLDAP forms", () => {
    expect(parseGeneralizedTime("20240115103000.0Z")).toBe("2024-01-15T10:30:00.000Z");
    expect(parseGeneralizedTime("20261126042959Z")).toBe("2026-11-26T04:29:59.000Z");
    expect(parseGeneralizedTime("20261126042959.210228Z")).toBe("2026-11-26T04:29:59.210Z");
  });

  it("applies offsets and fractions of minutes/hours", () => {
    expect(parseGeneralizedTime("20240115103000+0200")).toBe("2024-01-15T08:30:00.000Z");
    expect(parseGeneralizedTime("20240115103000-0530")).toBe("2024-01-15T16:00:00.000Z");
    expect(parseGeneralizedTime("202401151030.5Z")).toBe("2024-01-15T10:30:30.000Z");
    expect(parseGeneralizedTime("2024011510,25Z")).toBe("2024-01-15T10:15:00.000Z");
  });

  it("takes two-digit years as written (Date.UTC would read 0050 as 1950)", () => {
    expect(parseGeneralizedTime("00500311093000Z")).toBe("0050-03-11T09:30:00.000Z");
    expect(parseGeneralizedTime("00000229000000Z")).toBe("0000-02-29T00:00:00.000Z");
    expect(() => parseGeneralizedTime("19000229000000Z")).toThrow(RangeError);
  });

  it("rejects offsets beyond 23:59 and instants an offset moves out of four-digit years", () => {
    for (const bad of ["20240311093000+9999", "20240311093000+2400", "20240311093000-0060", "99991231230000-0200"]) {
      expect(() => parseGeneralizedTime(bad), bad).toThrow(RangeError);
    }
    expect(parseGeneralizedTime("20240311093000.123+0130")).toBe("2024-03-11T08:00:00.123Z");
  });

  it("rejects malformed and impossible dates", () => {
    for (const bad of ["2024-01-15T10:30:00Z", "20240115103000", "20241315103000Z", "20240230103000Z", "000001010000"]) {
      expect(() => parseGeneralizedTime(bad), bad).toThrow(RangeError);
    }
  });
});

describe("AD policy durations", () => {
  it("decodes the real Samba domain policy", () => {
    expect(maxAgeDays(decodeAdDuration("-36288000000000"))).toBe(42); // maxPwdAge
    expect(maxAgeDays(decodeAdDuration("-864000000000"))).toBe(1); // minPwdAge
    expect(durationMinutes(decodeAdDuration("-18000000000"))).toBe(30); // lockoutDuration
  });

  it("maps the most negative value and 0 to never-expires", () => {
    expect(decodeAdDuration(AD_DURATION_NEVER.toString())).toEqual({ never: true });
    expect(maxAgeDays(decodeAdDuration("-9223372036854775808"))).toBe(0);
    expect(maxAgeDays(decodeAdDuration("0"))).toBe(0);
    expect(durationMinutes(decodeAdDuration("-9223372036854775808"))).toBeNull();
  });

  it("keeps precision beyond 2^53 ticks", () => {
    // 10675199 days is the largest whole-day duration AD accepts (near the 64-bit limit).
    expect(maxAgeDays(decodeAdDuration("-9223371936000000000"))).toBe(10675199);
    expect(() => decodeAdDuration("-42 days")).toThrow(RangeError);
  });

  it("refuses a positive interval and one past 64 bits, which the directory never stores", () => {
    expect(() => decodeAdDuration("36288000000000")).toThrow(/must be 0 or negative.*got 36288000000000/);
    expect(() => decodeAdDuration("1")).toThrow(RangeError);
    expect(() => decodeAdDuration("-9223372036854775809")).toThrow(/below the 64-bit range/);
  });
});

describe("SID", () => {
  it("decodes real objectSid values", () => {
    expect(decodeSid(Buffer.from("AQUAAAAAAAUVAAAALN7LzFHhWGxxULl+UQQAAA==", "base64"))).toBe("S-1-5-21-3435912748-1817764177-2126073969-1105");
    expect(decodeSid(Buffer.from("AQIAAAAAAAUgAAAAIQIAAA==", "base64"))).toBe("S-1-5-32-545"); // BUILTIN\Users
    expect(decodeSid(Buffer.from("AQQAAAAAAAUVAAAALN7LzFHhWGxxULl+", "base64"))).toBe("S-1-5-21-3435912748-1817764177-2126073969"); // domain
  });

  it("round-trips and extracts the RID", () => {
    for (const sid of ["S-1-1-0", "S-1-5-18", "S-1-5-21-1-2-3-500", "S-1-5-21-4294967295-1-2-1105"]) expect(decodeSid(encodeSid(sid))).toBe(sid);
    expect(sidRid("S-1-5-21-1-2-3-512")).toBe(512);
    expect(sidRid("S-1-5-32-544")).toBeNull();
  });

  it("rejects truncated SIDs", () => {
    const bytes = encodeSid("S-1-5-21-1-2-3-500");
    expect(() => decodeSid(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    expect(() => decodeSid(Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 5]))).toThrow(/revision/);
  });
});

describe("GUID", () => {
  it("uses AD byte order (schemaIDGUID of the user class as it appears inside real ACEs)", () => {
    // These 16 bytes occur verbatim in the real nTSecurityDescriptor values of the Samba export.
    expect(guidToBase64(encodeGuid("bf967aba-0de6-11d0-a285-00aa003049e2"))).toBe("unqWv+YN0BGihQCqADBJ4g==");
    expect(base64ToGuid("unqWv+YN0BGihQCqADBJ4g==")).toBe("bf967aba-0de6-11d0-a285-00aa003049e2");
  });

  it("gives the canonical string and the immutableId form of a real objectGUID", () => {
    // samba-tool user show svc-backup --attributes=objectGUID printed 3529205f-c9ee-4601-827c-a6a0b5c76e3a.
    const bytes = Buffer.from("XyApNe7JAUaCfKagtcduOg==", "base64");
    expect(decodeGuid(bytes)).toBe("3529205f-c9ee-4601-827c-a6a0b5c76e3a");
    expect(guidToBase64(bytes)).toBe("XyApNe7JAUaCfKagtcduOg==");
    expect(() => decodeGuid(bytes.subarray(0, 15))).toThrow(RangeError);
  });
});
