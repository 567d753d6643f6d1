// uri.parse and uri.is_valid, following Go's net/url.Parse (RFC 3986 references): uri.parse
// returns the components as strings (absent ones omitted); an unparsable reference is an error.
import { BuiltinError, str } from "./builtin-error.ts";

const REFERENCE = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

function parse(name: string, s: string): Record<string, string> {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || c === 0x20) throw new BuiltinError(name, `parse "${s}": invalid character in URL`);
  }
  const m = REFERENCE.exec(s);
  if (!m) throw new BuiltinError(name, `parse "${s}": invalid URI`);
  const [, scheme, authority, path, query, fragment] = m;
  if (scheme === undefined && /^[^/?#]*:/.test(path)) throw new BuiltinError(name, `parse "${s}": first path segment in URL cannot contain colon`);
  const out: Record<string, string> = {};
  if (scheme !== undefined) out.scheme = scheme.toLowerCase();
  if (authority !== undefined) {
    const at = authority.lastIndexOf("@");
    if (at >= 0) out.user = authority.slice(0, at);
    const hostport = authority.slice(at + 1);
    const port = /:(\d*)$/.exec(hostport);
    out.host = hostport;
    out.hostname = port ? hostport.slice(0, port.index) : hostport;
    if (port && port[1] !== "") out.port = port[1];
  }
  if (path !== "") {
    try {
      out.path = decodeURIComponent(path);
    } catch {
      throw new BuiltinError(name, `parse "${s}": invalid URL escape`);
    }
  }
  if (query !== undefined) out.raw_query = query;
  if (fragment !== undefined) out.fragment = fragment;
  return out;
}

export const uriBuiltins = {
  "uri.parse": (x: unknown): Record<string, string> => parse("uri.parse", str("uri.parse", x, 1)),
  "uri.is_valid": (x: unknown): boolean => {
    const s = str("uri.is_valid", x, 1);
    try {
      parse("uri.is_valid", s);
      return true;
    } catch {
      return false;
    }
  },
};
