// A GitHub error response saved into an export file instead of the data: REST
// {"message": "Must have admin rights to Repository.", "documentation_url": "...", "status": "403"}
// or GraphQL {"errors": [{"type": "FORBIDDEN", "message": ...}], "data": ...}. The call failed,
// so the file is recorded as a failed call, not rejected as malformed. A GraphQL response with
// errors and some data is a failed call too: the fields that errored come back null
// (`samlIdentityProvider: null` for FORBIDDEN), which would otherwise read as "not configured".
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function githubErrorResponse(body: unknown): string | undefined {
  for (const page of Array.isArray(body) ? body : [body]) {
    if (!isObject(page)) continue;
    if (typeof page.message === "string" && typeof page.documentation_url === "string") {
      const status = typeof page.status === "string" || typeof page.status === "number" ? ` (HTTP ${page.status})` : "";
      return `GitHub error${status}: ${page.message.slice(0, 300)}`;
    }
    const data = page.data;
    if (Array.isArray(page.errors) && page.errors.length > 0) {
      const first = page.errors[0] as unknown;
      const message = isObject(first) && typeof first.message === "string" ? first.message.slice(0, 300) : "unknown error";
      const type = isObject(first) && typeof first.type === "string" ? ` (${first.type.slice(0, 40)})` : "";
      const partial = isObject(data) ? "; the data it returned is partial" : "";
      return `GitHub GraphQL error${type}: ${message}${partial}`;
    }
  }
  return undefined;
}
