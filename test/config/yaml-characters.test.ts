// The yaml library reads a raw NUL (or another control character) into the value as it stands:
// an exception's subject, a config comment or a policy data value held it without a word. YAML
// allows only printable characters in a stream (go-yaml, OPA's loader, refuses the file), so
// credgov's YAML readers refuse it at its line and column; written escaped, it is a value.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { parseExceptions } from "../../src/policy/exceptions/load.ts";
import { parseDataFile } from "../../src/policy/bundle/data-file.ts";
import { userInputErrorThrownBy } from "../user-input-error.ts";

const now = new Date("2026-06-01T00:00:00Z");
const config = "version: 1\nsources:\n  - id: corp-ad\n    kind: ad\n    file: ad.ldif\n";
const exceptions = "exceptions:\n  - control: CG-HYG-001\n    subject: kiosk\n    reason: Lobby kiosk\n    approver: ciso@corp.example\n    ticket: SEC-1042\n    expires: 2027-03-31\n";

const formatted = (run: () => unknown): string => userInputErrorThrownBy(run).format();

const refusal = (code: string) => `character U+${code} (a control character) is not allowed in YAML: the file is damaged, or the character must be written escaped in a double-quoted string ("\\u${code}")`;

describe("control characters in YAML", () => {
  it.each([
    ["NUL", "\u0000", "0000"],
    ["BEL", "\u0007", "0007"],
    ["ESC", "\u001b", "001B"],
    ["DEL", "\u007f", "007F"],
    ["a C1 control", "\u0090", "0090"],
    ["U+FFFF", "\uffff", "FFFF"],
  ])("refuses %s in the config, an exceptions file and a policy data file, at its line and column", (_name, char, code) => {
    expect(formatted(() => parseConfig(config.replace("corp-ad\n", `corp-ad\n    # note${char}\n`), "/x/credgov.yaml", "credgov.yaml"))).toBe(`credgov.yaml:4:11 ${refusal(code)}`);
    expect(formatted(() => parseExceptions(exceptions.replace("kiosk\n", `ki${char}osk\n`), "exceptions.yaml", now))).toBe(`exceptions.yaml:3:16 ${refusal(code)}`);
    expect(formatted(() => parseDataFile("policies/data.yaml", `roles:\n  - admin${char}\n`))).toBe(`policies/data.yaml:2:10 ${refusal(code)}`);
  });

  it("reads tab, CRLF, NEL, letters and emoji as they are, and escapes as the characters they name", () => {
    expect(parseConfig(`${config.replaceAll("\n", "\r\n")}# Café \u0085 \u{1F600}\tnote\r\n`, "/x/credgov.yaml", "credgov.yaml").sources[0].id).toBe("corp-ad");
    const [exception] = parseExceptions(exceptions.replace("subject: kiosk", 'subject: "ki\\u0000osk"'), "exceptions.yaml", now);
    expect(exception.subject).toBe("ki\u0000osk");
    expect(parseDataFile("policies/data.yaml", 'roles: ["a\\x07b", "é"]\n').value).toEqual({ roles: ["a\u0007b", "é"] });
  });
});
