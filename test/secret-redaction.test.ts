// What a server's echo can show of a secret after redaction: nothing of it whole, in the forms a
// request carries it, or cut short anywhere (by the server or by the bound on its text).
import { describe, expect, it } from "vitest";
import { redactSecrets, serverText } from "../src/secret-redaction.ts";

describe("secret redaction", () => {
  // A fixed secret of the generator's shape (32 characters, four classes): a generated one made
  // the cut-short case flaky, since a '.' next to the cut joins the '...' around it.
  const secret = "Zq7!mR2#vK9$wP4&xL8*nB3@cT6^hY1%";

  it("replaces the secret as is, JSON-escaped, percent-encoded and base64", () => {
    const quoted = 'p"w\\' + secret;
    const text = `a ${quoted} b ${JSON.stringify(quoted)} c ${encodeURIComponent(quoted)} d ${Buffer.from(quoted).toString("base64")} e`;
    expect(redactSecrets(text, [quoted])).toBe('a [redacted] b "[redacted]" c [redacted] d [redacted] e');
  });

  it("replaces a part of the secret that a server cut short, at either end", () => {
    const text = `invalid value "${secret.slice(0, 12)}..." and "...${secret.slice(-9)}"`;
    const out = redactSecrets(text, [secret]);
    expect(out).toBe('invalid value "[redacted]..." and "...[redacted]"');
  });

  it("leaves text without the secret unchanged, and a secret shorter than 8 only whole", () => {
    expect(redactSecrets("HTTP 400: invalid request", [secret])).toBe("HTTP 400: invalid request");
    expect(redactSecrets("token abcde1 and abcde", ["abcde1"])).toBe("token [redacted] and abcde");
  });

  it("a secret cut by the bound leaves none of its characters before the cut", () => {
    for (let shown = 1; shown < secret.length; shown++) {
      const text = `${"x".repeat(1200 - shown)}${secret}`;
      const out = serverText(text, [secret]);
      expect(out.length).toBeLessThanOrEqual(301);
      // 8 or more characters shown: recognised and replaced; fewer: among the 7 dropped at the cut.
      const expected = shown >= 8 ? `${"x".repeat(1200 - shown)}[redacted]…` : `${"x".repeat(1193)}…`;
      expect(redactSecrets(text, [secret], 1200), `${shown} characters before the cut`).toBe(expected);
    }
  });
});
