// UTF-16 (or UTF-32) saved without a byte-order mark was read as UTF-8 with a NUL between the
// characters: a Graph users.json was refused as "page 1 is not a Microsoft Graph collection
// response", a GitHub file at "1:2 unexpected character", a config at its first NUL. Each reader
// now names the encoding at line 1.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeText, textChunks } from "../../src/io/decode-text.ts";
import { readJsonFile } from "../../src/io/read-json.ts";
import { assertUtf8 } from "../../src/io/utf8-check.ts";
import { loadConfig } from "../../src/config/load.ts";
import { userInputErrorOf } from "../user-input-error.ts";

const text = '{\n  "value": []\n}\n';
const wide: Array<[string, Buffer]> = [
  ["UTF-16LE", Buffer.from(text, "utf16le")],
  ["UTF-16BE", Buffer.from(text, "utf16le").swap16()],
  ["UTF-32LE", Buffer.from([...text].flatMap((c) => [c.charCodeAt(0), 0, 0, 0]))],
  ["UTF-32BE", Buffer.from([...text].flatMap((c) => [0, 0, 0, c.charCodeAt(0)]))],
];
const remedy = "save or export it as UTF-8 (in Windows PowerShell: Out-File -Encoding utf8, not >)";

const refusal = async (run: () => Promise<unknown> | unknown): Promise<string> => (await userInputErrorOf(Promise.resolve().then(run))).format();

describe("UTF-16 and UTF-32 without a byte-order mark", () => {
  it.each(wide)("%s is refused at line 1 naming the encoding, read whole, streamed, as a snapshot or as the config", async (encoding, bytes) => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-wide-"));
    const file = join(dir, "users.json");
    writeFileSync(file, bytes);
    const expected = `users.json:1 the file looks like ${encoding} without a byte-order mark (NUL bytes between its characters), not UTF-8: ${remedy}`;
    expect(await refusal(() => decodeText(bytes, "users.json"))).toBe(expected);
    expect(await refusal(() => readJsonFile(file, "users.json"))).toBe(expected);
    expect(await refusal(async () => {
      for await (const _ of textChunks(file, "users.json"));
    })).toBe(expected);
    expect(await refusal(() => assertUtf8(bytes, "users.json"))).toBe(expected);
    const config = join(dir, "credgov.yaml");
    writeFileSync(config, bytes);
    expect(await refusal(() => loadConfig(config))).toBe(expected.replace("users.json", config));
  });

  it("leaves UTF-8 that starts with ASCII, a byte-order mark, or one NUL inserted by damage to the other checks", () => {
    expect(decodeText(Buffer.from(text), "x.json")).toBe(text);
    expect(decodeText(Buffer.from(`\uFEFF${text}`), "x.json")).toBe(text);
    // A NUL before `{`: not the pattern of wide text; the JSON parser refuses it at 1:1.
    expect(decodeText(Buffer.from(`\u0000${text}`), "x.json")).toBe(`\u0000${text}`);
  });
});
