import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.ts";
import { parseLdif, readLdifFile, type LdifEntry, type LdifReadStats } from "../../../src/collectors/ldap-common/ldif-reader.ts";
import { decodeGuid } from "../../../src/collectors/ldap-common/guid.ts";
import { decodeSid } from "../../../src/collectors/ldap-common/sid.ts";
import { entryToLdif, toLdif } from "./ldif-builder.ts";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/ldif");

async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function parseAll(text: string, chunkSize = 1 << 16, stats?: LdifReadStats): Promise<LdifEntry[]> {
  const out: LdifEntry[] = [];
  for await (const entry of parseLdif(chunked(text, chunkSize), "test.ldif", stats)) out.push(entry);
  return out;
}

async function parseError(text: string): Promise<UserInputError> {
  try {
    await parseAll(text);
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error("expected a UserInputError");
}

const str = (v: Uint8Array) => Buffer.from(v).toString("utf8");

describe("LDIF reader", () => {
  it("reads plain, base64 and folded values and lower-cases attribute names", async () => {
    const text = [
      "version: 1",
      "",
      "# a comment that is",
      "  folded",
      "dn: CN=Alice,OU=Staff,DC=corp,DC=example",
      "objectClass: top",
      "objectClass: user",
      "description: a long description that ldapsearch wrapped at seventy-six col",
      " umns exactly",
      "displayName:: w4Fsw61jZQ==",
      "objectGUID:: Br2lX7GqeUK3I4zbUqKqvw==",
      "",
      "dn:: Q049SsO2cmcsREM9Y29ycCxEQz1leGFtcGxl",
      "cn: Jörg-not-from-ldapsearch-but-utf8",
      "",
    ].join("\n");
    const entries = await parseAll(text);
    expect(entries).toHaveLength(2);
    const [alice, jorg] = entries;
    expect(alice.dn).toBe("CN=Alice,OU=Staff,DC=corp,DC=example");
    expect(alice.line).toBe(5);
    expect(alice.attributes.objectclass.map(str)).toEqual(["top", "user"]);
    expect(str(alice.attributes.description[0])).toBe("a long description that ldapsearch wrapped at seventy-six columns exactly");
    expect(str(alice.attributes.displayname[0])).toBe("Álíce");
    expect(decodeGuid(alice.attributes.objectguid[0])).toBe("5fa5bd06-aab1-4279-b723-8cdb52a2aabf");
    expect(jorg.dn).toBe("CN=Jörg,DC=corp,DC=example");
    expect(jorg.line).toBe(13);
  });

  it("handles CRLF line ends, several blank lines and referral comments", async () => {
    const stats: LdifReadStats = { entries: 0, lines: 0, referrals: [], entriesAfterTrailer: 0 };
    const text = "dn: DC=a\r\ncn: x\r\n\r\n\r\n# refldap://other.example/DC=b??base\r\n\r\ndn: DC=c\r\ncn: y\r\n\r\n";
    const entries = await parseAll(text, 1 << 16, stats);
    expect(entries.map((e) => e.dn)).toEqual(["DC=a", "DC=c"]);
    expect(str(entries[1].attributes.cn[0])).toBe("y");
    expect(stats.referrals).toEqual(["refldap://other.example/DC=b??base"]);
    expect(stats.entries).toBe(2);
  });

  it("gives the same entries whatever the chunk boundaries (inside lines, folds and UTF-8 sequences)", async () => {
    const text = toLdif([
      { dn: "CN=Zoë Çelik,OU=Staff,DC=corp,DC=example", cn: "Zoë Çelik", objectSid: new Uint8Array([1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0x51, 4, 0, 0]) },
      { dn: "CN=b,DC=corp,DC=example", description: "x".repeat(300) },
    ]);
    const whole = await parseAll(text);
    for (const size of [1, 2, 3, 7, 75, 76, 77]) {
      const parts = await parseAll(text, size);
      expect(parts.map((e) => [e.dn, e.line, Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, v.map((b) => Buffer.from(b).toString("hex"))]))])).toEqual(
        whole.map((e) => [e.dn, e.line, Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, v.map((b) => Buffer.from(b).toString("hex"))]))]),
      );
    }
    expect(whole[0].dn).toBe("CN=Zoë Çelik,OU=Staff,DC=corp,DC=example");
    expect(decodeSid(whole[0].attributes.objectsid[0])).toBe("S-1-5-21-1-2-3-1105");
    expect(str(whole[1].attributes.description[0])).toBe("x".repeat(300));
  });

  it("joins a fold that splits a UTF-8 character (folding at a byte column) and refuses invalid UTF-8 at its physical line", async () => {
    // "é" is C3 A9, "€" E2 82 AC: ldifde and ldapsearch fold at a fixed byte column, between them.
    const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
    const file = bytes("dn: CN=Ren", [0xc3], "\n ", [0xa9], " Dupont,DC=corp,DC=example\n", "description: 5 ", [0xe2, 0x82], "\r\n ", [0xac], "\n", "# Ren", [0xc3], "\n ", [0xa9], "\n\n");
    for (const size of [1, 2, 3, 5, 1 << 16]) {
      const entries: LdifEntry[] = [];
      async function* pieces(): AsyncGenerator<Buffer> {
        for (let i = 0; i < file.length; i += size) yield file.subarray(i, i + size);
      }
      for await (const entry of parseLdif(pieces(), "folded.ldif")) entries.push(entry);
      expect(entries.map((e) => [e.dn, str(e.attributes.description[0])])).toEqual([["CN=René Dupont,DC=corp,DC=example", "5 €"]]);
    }
    async function* once(b: Buffer): AsyncGenerator<Buffer> {
      yield b;
    }
    const refused = async (b: Buffer) => {
      try {
        for await (const _ of parseLdif(once(b), "bad.ldif"));
      } catch (error) {
        return (error as UserInputError).format();
      }
      return "accepted";
    };
    // A Latin-1 byte on the third physical line of a folded value is refused at that line.
    expect(await refused(bytes("dn: CN=a\ndescription: one\n two\n thr", [0xe9], "e\n\n"))).toMatch(/^bad\.ldif:4 byte 0xE9 is not UTF-8/);
    // A character cut by a fold and never completed is refused too.
    expect(await refused(bytes("dn: CN=a\ncn: x", [0xc3], "\n y\n\n"))).toMatch(/^bad\.ldif:2 byte 0xC3 is not UTF-8/);
  });

  it("reads UTF-16 exports (ldifde -u) as the same entries, and refuses broken UTF-16 at its line", async () => {
    const text = "dn: CN=René Dupont,OU=Staff,DC=corp,DC=example\r\nchangetype: add\r\ncn: René Dupont\r\ndescription: a value ldifde folded at its c\r\n olumn, with 🙂\r\n\r\n";
    const utf8 = await parseAll(text);
    expect(utf8.map((e) => [e.dn, str(e.attributes.description[0])])).toEqual([["CN=René Dupont,OU=Staff,DC=corp,DC=example", "a value ldifde folded at its column, with 🙂"]]);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le).swap16();
    const read = async (bytes: Buffer, size: number) => {
      const out: LdifEntry[] = [];
      async function* pieces(): AsyncGenerator<Buffer> {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      for await (const e of parseLdif(pieces(), "ldifde.ldf")) out.push(e);
      return out.map((e) => [e.dn, e.line, Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, v.map(str)]))]);
    };
    const expected = utf8.map((e) => [e.dn, e.line, Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, v.map(str)]))]);
    for (const size of [1, 3, 7, 1 << 16]) {
      expect(await read(le, size)).toEqual(expected);
      expect(await read(be, size)).toEqual(expected);
    }
    const refused = async (bytes: Buffer) => {
      try {
        await read(bytes, 1 << 16);
      } catch (error) {
        return (error as UserInputError).format();
      }
      return "accepted";
    };
    // A high surrogate without its low half on line 3, and a file cut inside a code unit.
    const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("dn: CN=a\r\ncn: a\r\ndescription: x", "utf16le"), Buffer.from([0x3d, 0xd8]), Buffer.from("y\r\n\r\n", "utf16le")]);
    expect(await refused(lone)).toMatch(/^ldifde\.ldf:3 the text is not UTF-16 \(a surrogate without its pair/);
    expect(await refused(le.subarray(0, le.length - 1))).toMatch(/^ldifde\.ldf:\d+ the file ends inside a UTF-16 character/);
  });

  it("rejoins a UTF-16 export whose fold falls between the two halves of a surrogate pair, lines unchanged", async () => {
    // ldifde folds at a column of UTF-16 code units: here between the halves of 🙂 (D83D DE42),
    // with CR LF and with a bare LF, the second fold one code unit before the last line.
    const folded = (eol: string) => {
      const [high, low] = ["🙂".charAt(0), "🙂".charAt(1)];
      return `dn: CN=Smiley,DC=corp,DC=example${eol}cn: Smiley${eol}description: before ${high}${eol} ${low} after${eol}info: x${high}${eol} ${low}${eol}bad: oops${eol}${eol}`;
    };
    for (const eol of ["\r\n", "\n"]) {
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(folded(eol), "utf16le")]);
      const be = Buffer.from(le).swap16();
      for (const bytes of [le, be]) {
        for (const size of [1, 2, 3, 5, 9, 1 << 16]) {
          const entries: LdifEntry[] = [];
          async function* pieces(): AsyncGenerator<Buffer> {
            for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
          }
          for await (const e of parseLdif(pieces(), "ldifde.ldf")) entries.push(e);
          expect(entries.map((e) => [e.dn, str(e.attributes.description[0]), str(e.attributes.info[0])])).toEqual([["CN=Smiley,DC=corp,DC=example", "before 🙂 after", "x🙂"]]);
        }
      }
    }
    // Lines keep their numbers: a broken value after the folds is refused at its own line (7).
    const broken = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(folded("\r\n").replace("bad: oops\r\n", "bad:: !!!\r\n"), "utf16le"),
    ]);
    let message = "accepted";
    try {
      for await (const _ of parseLdif((async function* () { yield broken; })(), "ldifde.ldf"));
    } catch (error) {
      message = (error as UserInputError).format();
    }
    expect(message).toMatch(/^ldifde\.ldf:7 /);
  });

  it("merges AD range-retrieval slices into the attribute and marks one that lacks its later slices", async () => {
    // ldapsearch writes only the slice AD returned: values 0-1 of a larger set, not all of them.
    const [cut] = await parseAll("dn: CN=g\nmember;range=0-1: CN=a\nmember;range=0-1: CN=b\n\n");
    expect(cut.attributes.member.map(str)).toEqual(["CN=a", "CN=b"]);
    expect(cut.partialAttributes).toEqual(["member;range=0-1"]);
    // Every slice up to the one ending in * (any order, any letter case): all the values.
    const [whole] = await parseAll("dn: CN=g\nMember;Range=2-*: CN=c\nmember;range=0-1: CN=a\nmember;range=0-1: CN=b\n\n");
    expect(whole.attributes.member.map(str)).toEqual(["CN=c", "CN=a", "CN=b"]);
    expect(whole.partialAttributes).toBeUndefined();
    expect((await parseAll("dn: CN=g\nmember;range=0-*: CN=a\n\n"))[0].partialAttributes).toBeUndefined();
    // A hole between slices, or a first slice that does not start at 0, is still partial.
    expect((await parseAll("dn: CN=g\nmember;range=0-1: CN=a\nmember;range=3-*: CN=d\n\n"))[0].partialAttributes).toEqual(["member;range=0-1"]);
    expect((await parseAll("dn: CN=g\nmember;range=1500-*: CN=a\n\n"))[0].partialAttributes).toEqual(["member;range=1500-*"]);
  });

  it("keeps each of 20,000 range slices once, in any order, and tells a missing one", async () => {
    const slices = (skip: number) => {
      let lines = "";
      for (let i = 20_000; i >= 0; i--) {
        if (i === skip) continue;
        const range = i === 20_000 ? `${i}-*` : `${i}-${i}`;
        lines += `member;range=${range}: CN=m${i}\nmember;range=${range}: CN=n${i}\n`;
      }
      return `dn: CN=g\n${lines}\n`;
    };
    const [whole] = await parseAll(slices(-1));
    expect(whole.attributes.member).toHaveLength(40_002);
    expect(whole.partialAttributes).toBeUndefined();
    expect((await parseAll(slices(7)))[0].partialAttributes).toEqual(["member;range=20000-*"]);
  });

  it("reads ;binary as the attribute itself and keeps other options (subtypes) apart", async () => {
    const [entry] = await parseAll("dn: CN=a\nobjectSid;binary:: AQUAAAAAAAUVAAAAAQAAAAIAAAADAAAAUQQAAA==\ndescription;lang-de: Konto\n\n");
    expect(decodeSid(entry.attributes.objectsid[0])).toBe("S-1-5-21-1-2-3-1105");
    expect(entry.attributes["description;lang-de"].map(str)).toEqual(["Konto"]);
    expect(entry.attributes.description).toBeUndefined();
  });

  it("accepts the version line ldapsearch -L repeats after every page, and refuses another version", async () => {
    // What ldapsearch -L -E pr=N/noprompt writes between pages (checked against slapd 2.5).
    const paged = "version: 1\n\n# a\ndn: CN=a\ncn: a\n\n# search result\n# control: 1.2.840.113556.1.4.319 false MA0CAQAECAUAAAAAAAAA\n# pagedresults: cookie=BQAAAAAAAAA=\nversion: 1\n\n# b\ndn: CN=b\ncn: b\n\n";
    expect((await parseAll(paged)).map((e) => e.dn)).toEqual(["CN=a", "CN=b"]);
    expect((await parseError("version: 2\n\ndn: CN=a\n\n")).format()).toBe("test.ldif:1 version: LDIF version 2 is not supported (only version: 1, RFC 2849)");
  });

  it("keeps the trailer that shows a stopped search, and counts entries per '# numEntries'", async () => {
    const stats = (): LdifReadStats => ({ entries: 0, lines: 0, referrals: [], entriesAfterTrailer: 0 });
    const search = (dns: string[], result: string, stated = dns.length) =>
      `${dns.map((dn) => `dn: ${dn}\n\n`).join("")}# search result\nsearch: 2\nresult: ${result}\n\n# numResponses: ${stated + 1}\n# numEntries: ${stated}\n`;
    // Two searches joined into one file: the first stopped at a size limit, the second did not.
    const joined = stats();
    await parseAll(search(["CN=a"], "4 Size limit exceeded") + "\n" + search(["CN=b", "CN=c"], "0 Success"), 1 << 16, joined);
    expect(joined.result).toMatchObject({ code: 4, line: 5 });
    expect(joined.statedMismatch).toBeUndefined();
    expect(joined.entriesAfterTrailer).toBe(0);
    // Each '# numEntries' counts the entries since the previous one.
    const short = stats();
    await parseAll(search(["CN=a"], "0 Success") + "\n" + search(["CN=b"], "0 Success", 2), 1 << 16, short);
    expect(short.statedMismatch).toBe(true);
    expect(short.statedEntries).toMatchObject({ count: 2, found: 1 });
    // Entries after the last trailer are vouched for by nothing.
    const tail = stats();
    await parseAll(search(["CN=a"], "0 Success") + "\ndn: CN=b\n\n", 1 << 16, tail);
    expect(tail.entriesAfterTrailer).toBe(1);
  });

  it("names file, line and attribute for invalid base64", async () => {
    const text = "dn: CN=a,DC=corp\nobjectClass: user\n\ndn: CN=b,DC=corp\nobjectClass: user\nobjectGUID:: Br2lX7G$qeUK3I4zbUqKqvw==\n\n";
    const error = await parseError(text);
    expect(error.format()).toBe("test.ldif:6 objectGUID: invalid base64 (unexpected character)");
  });

  it("reports base64 cut short (length not a multiple of 4)", async () => {
    const error = await parseError("dn: CN=b\nobjectSid:: AQUAAAAAAAUVAAAALN7LzFHhWGxxULl+UQQAAA\n\n");
    expect(error.line).toBe(2);
    expect(error.field).toBe("objectSid");
    expect(error.message).toMatch(/truncated/);
  });

  it("detects an export cut off mid-value (no final newline) and names the attribute", async () => {
    const good = entryToLdif({ dn: "CN=a,DC=corp", cn: "a" });
    const error = await parseError(`${good}\ndn: CN=b,DC=corp\nnTSecurityDescriptor:: AQAEhBQAAAAkAAAAAAAAADQAAAABAgAAAAAABSAAAAAgAgAAAQIAAAA\n AAAAFIAAAACoCAAAFCjwAEA`);
    expect(error.file).toBe("test.ldif");
    expect(error.line).toBe(6);
    expect(error.field).toBe("nTSecurityDescriptor");
    expect(error.message).toMatch(/truncated/);
  });

  it("detects an export cut off between attributes", async () => {
    const error = await parseError("dn: CN=a\ncn: a\n\ndn: CN=b\nsAMAcc");
    expect(error.format()).toMatch(/^test\.ldif:5 sAMAcc: file ends in the middle of a line/);
  });

  it("rejects URL values, attributes before dn, change records and garbage lines with positions", async () => {
    expect((await parseError("dn: CN=a\njpegPhoto:< file:///etc/passwd\n\n")).format()).toMatch(/^test\.ldif:2 jpegPhoto: URL values/);
    expect((await parseError("cn: a\n\n")).format()).toMatch(/^test\.ldif:1 cn: "cn" before any "dn:"/);
    expect((await parseError("dn: CN=a\nchangetype: modify\n\n")).format()).toMatch(/^test\.ldif:2 changetype: change records/);
    const garbled = await parseError("dn: CN=a\nuserPassword S3cret!\n\n");
    expect(garbled.format()).toBe('test.ldif:2 expected "attribute: value" (the line has no colon)');
    expect(garbled.format()).not.toContain("S3cret");
    expect((await parseError(" continued\n\n")).line).toBe(1);
    expect((await parseError("dn: CN=a\ndn: CN=b\n\n")).format()).toMatch(/^test\.ldif:2 dn: second dn/);
  });

  // A raw NUL was read into the value (sAMAccountName "Admin\0istrator"): LDIF writes such a
  // value in base64, so the byte means damage, or UTF-16 without its byte-order mark.
  it("refuses a NUL byte at its line, naming the attribute, wherever the chunks are cut", async () => {
    const text = "dn: CN=a,DC=corp\ncn: a\n\ndn: CN=b,DC=corp\ndescription: folded\n  on\nsAMAccountName: Admin\u0000istrator\n\n";
    for (const size of [1, 3, 17, 1 << 16]) {
      const error = await parseAll(text, size).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserInputError);
      expect((error as UserInputError).format(), `chunk size ${size}`).toBe(
        "test.ldif:7 sAMAccountName: holds a NUL byte, which LDIF never writes outside base64 (a value holding one is written attr:: base64); the export is damaged",
      );
    }
    expect((await parseError("dn: CN=a\n continu\u0000ed\n\n")).format()).toMatch(/^test\.ldif:2 holds a NUL byte/);
    const utf16 = Buffer.from("dn: CN=a\ncn: a\n\n", "utf16le").toString("latin1");
    const error = await parseAll(utf16).catch((e: unknown) => e);
    expect((error as UserInputError).format()).toMatch(/^test\.ldif:1 the file looks like UTF-16LE without a byte-order mark \(NUL bytes between its characters\), not UTF-8/);
    // Escaped in base64, a NUL is a value like any other.
    const [entry] = await parseAll(`dn: CN=a\ndescription:: ${Buffer.from("a\u0000b").toString("base64")}\n\n`);
    expect(entry!.attributes.description).toEqual([Buffer.from("a\u0000b")]);
  });

  it("streams a real Samba export and decodes its binary values", async () => {
    const stats: LdifReadStats = { entries: 0, lines: 0, referrals: [], entriesAfterTrailer: 0 };
    const entries: LdifEntry[] = [];
    for await (const e of readLdifFile(join(FIXTURES, "samba-delegation.ldif"), "samba-delegation.ldif", stats)) entries.push(e);
    expect(entries).toHaveLength(19);
    expect(stats.entries).toBe(19);
    const backup = entries.find((e) => e.dn === "CN=svc-backup,OU=Services,DC=corp,DC=example")!;
    expect(decodeSid(backup.attributes.objectsid[0])).toBe("S-1-5-21-3435912748-1817764177-2126073969-1105");
    expect(Buffer.from(backup.attributes.objectguid[0]).toString("base64")).toBe("XyApNe7JAUaCfKagtcduOg==");
    // The folded base64 SD of every account decodes to a self-relative descriptor (revision 1, SE_SELF_RELATIVE).
    for (const e of entries.filter((x) => x.attributes.ntsecuritydescriptor)) {
      const sd = e.attributes.ntsecuritydescriptor[0];
      expect(sd[0]).toBe(1);
      expect(sd[3] & 0x80).toBe(0x80);
    }
    const alice = entries.find((e) => e.dn.startsWith("CN=Alice Smith"))!;
    expect(str(alice.attributes.description[0])).toBe("Müller test ü");
  });

  it("reads from a file path and reports a truncated file on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-ldif-"));
    const path = join(dir, "cut.ldif");
    writeFileSync(path, "dn: CN=a\ncn: a\n\ndn: CN=b\ncn: b");
    const seen: string[] = [];
    await expect(async () => {
      for await (const e of readLdifFile(path, "cut.ldif")) seen.push(e.dn);
    }).rejects.toThrow(/file ends in the middle of a line/);
    // Entries before the cut were delivered (streaming), the incomplete one was not.
    expect(seen).toEqual(["CN=a"]);
  });
});
