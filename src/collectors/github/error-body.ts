// A GitHub error response saved into an export file instead of the data: REST
// {"message": "Must have admin rights to Repository.", "documentation_url": "...", "status": "403"}
// or GraphQL {"data": null, "errors": [{"message": ...}]}. The call failed, so the file is
// recorded as a failed call, not rejected as malformed.
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function githubErrorResponse(body: unknown): string | undefined {
  for (const page of Array.isArray(body) ? body : [body]) {
    if (!isObject(page)) continue;
    if (typeof page.message === "string" && typeof page.documentation_url === "string") {
      const status = typeof page.status === "string" || typeof page.status === "number" ? ` (HTTP ${page.status})` : "";
      return `GitHub error${status}: ${page.message.slice(0, 300)}`;
    }
    const data = page.data;
    if (Array.isArray(page.errors) && page.errors.length > 0 && (!isObject(data) || !isObject(data.organization))) {
      const first = page.errors[0] as unknown;
      const message = isObject(first) && typeof first.message === "string" ? first.message.slice(0, 300) : "unknown error";
      return `GitHub GraphQL error: ${message}`;
    }
  }
  return undefined;
}
