// A Microsoft Graph error response saved into an export file instead of the data, e.g.
// {"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges ..."}}:
// the call failed (403, 429, ...), so the file is recorded as a failed call, not rejected as
// malformed. An array of pages fails when any page is an error response.
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function graphErrorResponse(body: unknown): string | undefined {
  for (const page of Array.isArray(body) ? body : [body]) {
    if (!isObject(page) || "value" in page || !isObject(page.error) || typeof page.error.code !== "string") continue;
    const message = typeof page.error.message === "string" ? `: ${page.error.message.slice(0, 300)}` : "";
    return `Microsoft Graph error ${page.error.code}${message}`;
  }
  return undefined;
}
