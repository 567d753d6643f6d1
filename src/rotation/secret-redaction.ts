// Known secrets out of text that leaves credgov (errors, logs, the journal, hook events). A
// server may echo what it was sent in its error reply (a request body holding the new secret, a
// header holding the token), in the encoding it was sent in: JSON-escaped in a JSON body,
// percent-encoded in a form or a URL, base64 in a header. Every such form of every known secret
// is replaced, and a server's words are cut to a bounded length so a reply cannot flood a log.

export const redactionMark = "[redacted]";

/** Long enough for any server's explanation, short enough for one log line. */
export const maxServerTextLength = 300;

/** Shorter values are not secrets worth the false hits (and cannot be told apart from words). */
const minimumSecretLength = 4;

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

/** `text` with every form of every secret replaced by the redaction mark. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  const forms: string[] = [];
  for (const secret of secrets) if (secret !== undefined && secret.length >= minimumSecretLength) forms.push(...encodedForms(secret));
  // Longest first: a form that contains another is replaced whole.
  forms.sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(redactionMark);
  return out;
}

/** A server's reply text made safe to show: secrets redacted, then one line of bounded length. */
export function serverText(text: string, secrets: Iterable<string | undefined>, maxLength = maxServerTextLength): string {
  return boundedLine(redactSecrets(text, secrets), maxLength);
}

/** The first line of `text`, cut to `maxLength` characters with an ellipsis saying so. */
export function boundedLine(text: string, maxLength: number): string {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  const cut = line.length > maxLength || line.length < text.length;
  return cut ? `${line.slice(0, maxLength)}…` : line;
}
