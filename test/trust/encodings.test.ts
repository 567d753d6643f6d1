// Export files in another encoding than UTF-8: a Latin-1 byte was read as U+FFFD (the name changed
// without a word): exit 2 naming the file, the line and what to do. UTF-16 with a byte-order mark
// (what Windows PowerShell 5's `>` writes) is read as the same text.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credgov, demoDir as demo } from "./run-credgov.ts";

const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
/** The demo file with its first `from` replaced by Latin-1 bytes, and the line it is on. */
function latin1(file: string, from: string, to: string): number {
  const text = readFileSync(file, "utf8");
  const at = text.indexOf(from);
  writeFileSync(file, Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(to, "latin1"), Buffer.from(text.slice(at + from.length))]));
  return text.slice(0, at).split("\n").length;
}

describe("export files that are not UTF-8", () => {
  it(
    "a Latin-1 LDIF, Graph users.json (streamed) or GitHub file, and a UTF-32 one, are exit 2 at their line",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "credgov-encodings-"));
      cpSync(demo, dir, { recursive: true });
      const collect = (source: string) => {
        const r = credgov(dir, "collect", "--config", "credgov.yaml", "--source", source, "--out", "s.json");
        return { status: r.code, stderr: r.stderr };
      };
      const notUtf8 = "byte 0xE9 is not UTF-8 (the file is in another encoding, such as Latin-1): save or export it as UTF-8 (in Windows PowerShell: Out-File -Encoding utf8, not >)";

      const ldifLine = latin1(join(dir, "ad.ldif"), "displayName: Ada Abbott", "displayName: Adé Abbott");
      expect(collect("corp-ad")).toMatchObject({ status: 2, stderr: `error: ${join(dir, "ad.ldif")}:${ldifLine} ${notUtf8}\n` });

      const usersLine = latin1(join(dir, "entra", "users.json"), '"displayName": "Ada Abbott"', '"displayName": "Adé Abbott"');
      expect(collect("entra")).toMatchObject({ status: 2, stderr: `error: entra/users.json:${usersLine} ${notUtf8}\n` });

      // UTF-32 is refused at once.
      const utf32 = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from("{}\n", "utf16le")]);
      writeFileSync(join(dir, "github", "org.json"), utf32);
      expect(collect("github")).toMatchObject({
        status: 2,
        stderr: "error: github/org.json:1 the file is UTF-32 (byte-order mark FF FE 00 00), not UTF-8: save or export it as UTF-8 (in Windows PowerShell: Out-File -Encoding utf8, not >)\n",
      });
    },
    300_000,
  );

  it(
    "UTF-16 with a byte-order mark (Windows PowerShell 5's > and Out-File) reads as the same text, and broken UTF-16 is exit 2 at its line",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "credgov-utf16-"));
      cpSync(demo, dir, { recursive: true });
      const snapshot = (out: string) => {
        const r = credgov(dir, "collect", "--config", "credgov.yaml", "--source", "github", "--source", "entra", "--out", out);
        expect(r.code, r.stderr).toBe(0);
        const { generatedAt: _g, generator: _c, sources, ...rest } = JSON.parse(readFileSync(join(dir, out), "utf8"));
        type Read = { collectedAt: string; queries: { durationMs?: number }[] };
        return { ...rest, sources: sources.map((x: Read) => ({ ...x, collectedAt: "", queries: x.queries.map(({ durationMs: _d, ...q }) => q) })) };
      };
      const before = snapshot("utf8.json");
      // The config, a GitHub file, and Graph's users.json (read as a stream), as PowerShell 5 writes them.
      for (const file of ["credgov.yaml", join("github", "org.json"), join("entra", "users.json")]) {
        writeFileSync(join(dir, file), utf16(readFileSync(join(dir, file), "utf8").replace(/\n/g, "\r\n")));
      }
      expect(snapshot("utf16.json")).toEqual(before);
      // Half a surrogate pair on line 3 of org.json.
      writeFileSync(join(dir, "github", "org.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{\r\n  "login": "corp",\r\n  "name": "x', "utf16le"), Buffer.from([0x3d, 0xd8]), Buffer.from('"\r\n}\r\n', "utf16le")]));
      const r = credgov(dir, "collect", "--config", "credgov.yaml", "--source", "github", "--out", "broken.json");
      expect({ status: r.code, stderr: r.stderr }).toEqual({
        status: 2,
        stderr: "error: github/org.json:3 the text is not UTF-16 (a surrogate without its pair: a character cut in two by folding or editing); export it again, or as UTF-8\n",
      });
    },
    300_000,
  );
});
