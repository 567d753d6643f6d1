// A password written into a URL (`scheme://user:PASSWORD@host`, or a `password` query parameter
// as PostgreSQL's connection strings take it) is an inline secret: the URL is shown in errors,
// logs and evidence, so it is refused, and any URL shown is shown without it.

/** Query parameters that carry a password (node-postgres reads both). */
const passwordParameters = new Set(["password", "sslpassword"]);

/** Where `value`, read as a URL, holds a password; undefined when it holds none or is no URL. */
export function urlPasswordPart(value: string): string | undefined {
  const url = parseUrl(value);
  if (!url) return undefined;
  if (url.password !== "") return "user:password@";
  for (const name of url.searchParams.keys()) if (passwordParameters.has(name.toLowerCase())) return `?${name}=`;
  return undefined;
}

/** `value` with any password in it replaced by `***` (unchanged when it is no URL). */
export function withoutUrlPassword(value: string): string {
  const url = parseUrl(value);
  if (!url) return value.replace(/\/\/[^@/]*@/, "//***@");
  if (url.password !== "") url.password = "***";
  for (const name of [...url.searchParams.keys()]) if (passwordParameters.has(name.toLowerCase())) url.searchParams.set(name, "***");
  return url.toString();
}

function parseUrl(value: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
