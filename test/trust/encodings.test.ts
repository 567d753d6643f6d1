// Export files in another encoding than UTF-8: a Latin-1 byte was read as U+FFFD (the name changed
// without a word) and a UTF-16 file (what Windows PowerShell 5's `>` writes) failed on a stray
// character. Both are exit 2 naming the file, the line and what to do.
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
    "a Latin-1 LDIF, Graph users.json (streamed) or GitHub file, and a UTF-16 one, are exit 2 at their line",
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

      writeFileSync(join(dir, "github", "org.json"), utf16(readFileSync(join(dir, "github", "org.json"), "utf8")));
      expect(collect("github")).toMatchObject({
        status: 2,
        stderr: "error: github/org.json:1 the file is UTF-16 (byte-order mark FF FE), not UTF-8: save or export it as UTF-8 (in Windows PowerShell: Out-File -Encoding utf8, not >)\n",
      });

      // The config, baseline and exceptions files too (YAML a user saves on Windows).
      writeFileSync(join(dir, "credgov.yaml"), utf16(readFileSync(join(demo, "credgov.yaml"), "utf8")));
      expect(collect("corp-ad")).toMatchObject({
        status: 2,
        stderr: "error: credgov.yaml:1 the file is UTF-16 (byte-order mark FF FE), not UTF-8: save or export it as UTF-8 (in Windows PowerShell: Out-File -Encoding utf8, not >)\n",
      });
    },
    300_000,
  );
});
