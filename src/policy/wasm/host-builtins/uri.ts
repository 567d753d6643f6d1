// uri.parse and uri.is_valid as OPA implements them: thin wrappers over Go's net/url.Parse (an
// RFC 3986 reference). uri.parse returns scheme, hostname, port, path, raw_path (the path as
// written when its escaping is not the default one, else the path; always there with a path),
// raw_query and fragment, each only when not empty; an unparsable reference is an error.
// uri.is_valid is false for a non-string, for "" and where net/url.Parse fails.
import { BuiltinError, str } from "./builtin-error.ts";

class UrlError extends Error {}

const HEX = "0123456789ABCDEF";

/** Go's url.unescape: %XX sequences to bytes (any other % is an error), read back as UTF-8. */
function unescape(s: string): string {
  if (!s.includes("%")) return s;
  const bytes: number[] = [];
  const raw = Buffer.from(s, "utf8");
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x25) {
      bytes.push(raw[i]!);
      continue;
    }
    const hex = raw.subarray(i + 1, i + 3).toString("latin1");
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new UrlError(`invalid URL escape "${raw.subarray(i, i + 3).toString("utf8")}"`);
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Go's url.escape in path mode, which decides whether the path as written is kept as RawPath. */
function escapePath(path: string): string {
  let out = "";
  for (const b of Buffer.from(path, "utf8")) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

function validOptionalPort(port: string): boolean {
  return port === "" || /^:\d*$/.test(port);
}

/** Go's url.getScheme: a letter, then letters, digits, +, - or ., then ':'. */
function splitScheme(s: string): [scheme: string, rest: string] {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ["", s];
      continue;
    }
    if (c === ":") {
      if (i === 0) throw new UrlError("missing protocol scheme");
      return [s.slice(0, i), s.slice(i + 1)];
    }
    return ["", s];
  }
  return ["", s];
}

/** Go's url.parseHost, returning the host as Hostname() and Port() see it. */
function parseHost(host: string): { hostname: string; port: string } {
  let hostname: string;
  let colonPort: string;
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0) throw new UrlError("missing ']' in host");
    colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port "${colonPort}" after host`);
    hostname = host.slice(1, close);
  } else {
    const colon = host.lastIndexOf(":");
    colonPort = colon >= 0 ? host.slice(colon) : "";
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port "${colonPort}" after host`);
    hostname = colon >= 0 ? host.slice(0, colon) : host;
  }
  for (const ch of hostname) {
    if (ch.codePointAt(0)! < 0x80 && !/[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%]/.test(ch)) throw new UrlError(`invalid character "${ch}" in host name`);
  }
  return { hostname: unescape(hostname), port: colonPort.slice(1) };
}

function parse(s: string): Record<string, string> {
  if ([...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch === "\x7f")) throw new UrlError("net/url: invalid control character in URL");
  const hash = s.indexOf("#");
  const fragment = hash >= 0 ? unescape(s.slice(hash + 1)) : "";
  const [scheme, afterScheme] = splitScheme(hash >= 0 ? s.slice(0, hash) : s);
  const question = afterScheme.indexOf("?");
  let rest = question >= 0 ? afterScheme.slice(0, question) : afterScheme;
  const rawQuery = question >= 0 ? afterScheme.slice(question + 1) : "";
  const out: Record<string, string> = {};
  if (scheme !== "") out.scheme = scheme.toLowerCase();
  const put = (): Record<string, string> => {
    if (rawQuery !== "") out.raw_query = rawQuery;
    if (fragment !== "") out.fragment = fragment;
    return out;
  };
  if (!rest.startsWith("/")) {
    // An opaque reference (mailto:x) has no path; without a scheme a colon in the first segment
    // would read as one.
    if (scheme !== "") return put();
    if (rest.split("/")[0]!.includes(":")) throw new UrlError("first path segment in URL cannot contain colon");
  }
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    rest = slash >= 0 ? rest.slice(slash) : "";
    const at = authority.lastIndexOf("@");
    if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) throw new UrlError("net/url: invalid userinfo");
    const { hostname, port } = parseHost(authority.slice(at + 1));
    if (hostname !== "") out.hostname = hostname;
    if (port !== "") out.port = port;
  }
  if (rest !== "") {
    const path = unescape(rest);
    out.path = path;
    out.raw_path = escapePath(path) === rest ? path : rest;
  }
  return put();
}

export const uriBuiltins = {
  "uri.parse": (x: unknown): Record<string, string> => {
    const s = str("uri.parse", x, 1);
    try {
      return parse(s);
    } catch (e) {
      if (e instanceof UrlError) throw new BuiltinError("uri.parse", `parse "${s}": ${e.message}`);
      throw e;
    }
  },
  "uri.is_valid": (x: unknown): boolean => {
    if (typeof x !== "string" || x === "") return false;
    try {
      parse(x);
      return true;
    } catch (e) {
      if (e instanceof UrlError) return false;
      throw e;
    }
  },
};
