// Known secrets out of text that leaves credgov (errors, logs, the journal, hook events, a
// snapshot's source errors): rotation's new secrets and tokens, a collector's bind password. A
// server may echo what it was sent in its error reply (a request body holding the new secret, a
// header holding the token), in the encoding it was sent in: JSON-escaped in a JSON body,
// percent-encoded in a form or a URL, base64 in a header, and often cut short (a server quoting
// the first N characters of a body). Every such form of every known secret is replaced, and so is
// any run of 8 or more of its consecutive characters; a server's words are cut to a bounded
// length so a reply cannot flood a log.

export const redactionMark = "[redacted]";

/** Long enough for any server's explanation, short enough for one log line. */
export const maxServerTextLength = 300;

/** Shorter values are not secrets worth the false hits (and cannot be told apart from words). */
const minimumSecretLength = 4;

/** A fragment this long of a random secret does not occur by chance; a shorter one tells little. */
const fragmentLength = 8;

/** The forms a secret travels in: as is, inside a JSON string, percent-encoded, form-encoded, base64. */
function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    bytes.toString("base64"),
    bytes.toString("base64url"),
    bytes.toString("base64").replace(/=+$/, ""),
  ];
  return [...new Set(forms)].filter((form) => form.length >= minimumSecretLength);
}

/**
 * `text` with every form of every secret, and every run of at least 8 of a form's consecutive
 * characters (a form shorter than that: the whole form), replaced by the redaction mark: each run
 * of covered characters becomes one mark, so a whole secret and a cut-off part of one look the
 * same. Past `limit` characters the text is cut (a reply may be megabytes), and the last 7 before
 * the cut go too: a secret cut there leaves fewer than 8 characters, too few to be recognised.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>, limit = Number.POSITIVE_INFINITY): string {
  const cut = text.length > limit;
  const seen = cut ? text.slice(0, limit) : text;
  const covered = new Uint8Array(seen.length);
  const windows = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < minimumSecretLength) continue;
    for (const form of encodedForms(secret)) {
      if (form.length < fragmentLength) {
        for (let at = seen.indexOf(form); at >= 0; at = seen.indexOf(form, at + 1)) covered.fill(1, at, at + form.length);
        continue;
      }
      for (let start = 0; start + fragmentLength <= form.length; start++) windows.add(form.slice(start, start + fragmentLength));
    }
  }
  if (windows.size > 0) {
    for (let at = 0; at + fragmentLength <= seen.length; at++) if (windows.has(seen.slice(at, at + fragmentLength))) covered.fill(1, at, at + fragmentLength);
  }
  const end = cut ? Math.max(0, seen.length - (fragmentLength - 1)) : seen.length;
  let out = "";
  for (let i = 0; i < end; i++) {
    if (!covered[i]) out += seen[i];
    else if (i === 0 || !covered[i - 1]) out += redactionMark;
  }
  return cut ? `${out}…` : out;
}

/** A server's reply text made safe to show: secrets redacted, then one line of bounded length. */
export function serverText(text: string, secrets: Iterable<string | undefined>, maxLength = maxServerTextLength): string {
  return boundedLine(redactSecrets(text, secrets, 4 * maxLength), maxLength);
}

/** The first line of `text`, cut to `maxLength` characters with an ellipsis saying so. */
export function boundedLine(text: string, maxLength: number): string {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  const cut = line.length > maxLength || line.length < text.length;
  return cut ? `${line.slice(0, maxLength)}…` : line;
}
