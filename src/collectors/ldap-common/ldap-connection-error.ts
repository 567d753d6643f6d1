// Failures of a live LDAP collection, classified so the source entry in the snapshot says which
// server and which step failed and why, in words an operator can act on. Messages are built
// from result codes and socket error codes; where an error's own text is all there is (an
// unknown failure, a TLS library's reason), it goes through the secret redaction with the bind
// password, so a password echoed into it never reaches the snapshot, a log or the terminal.
import { ResultCodeError } from "ldapts";
import { serverText } from "../../secret-redaction.ts";

export class LdapCollectionError extends Error {
  readonly server: string;
  readonly step: string;
  readonly code: string;
  readonly call?: string;
  /** Entries already delivered when the failure hit (mid-paging cuts). */
  readonly delivered: number;

  constructor(server: string, step: string, reason: string, code: string, call?: string, delivered = 0) {
    super(`${server}: ${step}: ${reason}`);
    this.name = "LdapCollectionError";
    this.server = server;
    this.step = step;
    this.code = code;
    this.call = call;
    this.delivered = delivered;
  }
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "EPROTO",
]);

const RESULT_CODES: Record<number, [string, string]> = {
  3: ["time-limit", "the server's time limit was exceeded; results are incomplete"],
  4: ["size-limit", "the server's size limit was exceeded; results are incomplete (raise the server's size limit for the bind account)"],
  8: ["strong-auth-required", "the server requires a protected connection: use ldaps:// or startTLS: true"],
  10: ["referral", "the server answered with a referral to another server; the entries there were not collected"],
  11: ["admin-limit", "an administrative limit was exceeded; results are incomplete"],
  12: ["unavailable-critical-extension", "the server does not support a required control (paged results or SD flags)"],
  13: ["confidentiality-required", "the server requires a protected connection: use ldaps:// or startTLS: true"],
  32: ["no-such-object", "the base DN does not exist on this server (check baseDN)"],
  34: ["invalid-dn", "the DN is not valid (check baseDN/bindDN)"],
  48: ["inappropriate-auth", "the server refused this kind of bind"],
  49: ["invalid-credentials", "bind refused: invalid credentials for bindDN (check bindDN and the password in passwordEnv)"],
  50: ["insufficient-access", "the bind account may not read this data"],
  51: ["busy", "the server is busy"],
  52: ["unavailable", "the server is unavailable"],
  53: ["unwilling-to-perform", "the server is unwilling to perform the operation"],
};

/**
 * Turns whatever ldapts or the socket threw into an LdapCollectionError. `secrets` (the bind
 * password) are redacted from any text the error itself carried.
 */
export function classifyLdapError(error: unknown, server: string, step: string, call?: string, delivered = 0, secrets: readonly (string | undefined)[] = []): LdapCollectionError {
  if (error instanceof LdapCollectionError) return error;
  const failure = classify(error, server, step, call, delivered, secrets);
  // ldapts opens the socket inside the first operation: a socket or TLS failure during "bind"
  // happened while connecting.
  if (step === "bind" && (failure.code === "unreachable" || failure.code === "tls")) {
    return new LdapCollectionError(server, "connect", failure.message.slice(`${server}: bind: `.length), failure.code, call, delivered);
  }
  return failure;
}

function classify(error: unknown, server: string, step: string, call: string | undefined, delivered: number, secrets: readonly (string | undefined)[]): LdapCollectionError {
  const cut = delivered > 0 ? ` after ${delivered} entries` : "";
  if (error instanceof ResultCodeError) {
    const known = RESULT_CODES[error.code];
    if (known) return new LdapCollectionError(server, step, `${known[1]}${cut}`, known[0], call, delivered);
    // No reason of ours for this code: the server's diagnostic message is the only explanation
    // (ldapts appends " Code: 0x.."), and a server may quote what it was sent in it.
    const said = serverText(error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, ""), secrets);
    return new LdapCollectionError(server, step, `LDAP result code ${error.code}${said ? ` (the server said: ${said})` : ""}${cut}`, `ldap-${error.code}`, call, delivered);
  }
  const err = error as NodeJS.ErrnoException & { message?: string };
  const sysCode = typeof err?.code === "string" ? err.code : "";
  const message = serverText(String(err?.message ?? error), secrets);
  if (sysCode === "ECONNREFUSED") return new LdapCollectionError(server, step, "connection refused: nothing listens there (is the server running, is the port right?)", "unreachable", call, delivered);
  if (sysCode === "ENOTFOUND" || sysCode === "EAI_AGAIN") return new LdapCollectionError(server, step, "host name does not resolve", "unreachable", call, delivered);
  if (sysCode === "EHOSTUNREACH" || sysCode === "ENETUNREACH") return new LdapCollectionError(server, step, "host unreachable", "unreachable", call, delivered);
  if (TLS_CODES.has(sysCode) || /certificate|self[- ]signed|wrong version number|ssl|tls/i.test(message)) {
    return new LdapCollectionError(server, step, `TLS failure: ${tlsReason(sysCode, message)}`, "tls", call, delivered);
  }
  if (sysCode === "ECONNRESET" || sysCode === "EPIPE" || /closed|socket hang up|end of stream|connection not established/i.test(message)) {
    return new LdapCollectionError(server, step, `connection lost${cut}; results are incomplete`, "connection-lost", call, delivered);
  }
  if (sysCode === "ETIMEDOUT" || /timeout|timed out/i.test(message)) {
    return new LdapCollectionError(server, step, `no answer within timeoutMs${cut}; results are incomplete`, "timeout", call, delivered);
  }
  return new LdapCollectionError(server, step, `${message}${cut}`, sysCode || "ldap-error", call, delivered);
}

function tlsReason(code: string, message: string): string {
  switch (code) {
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return "the server certificate is self-signed and not trusted (set tls.caFile to its CA)";
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
      return "the server certificate is not signed by a trusted CA (check tls.caFile)";
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return "the server certificate does not name this host";
    case "ERR_SSL_WRONG_VERSION_NUMBER":
    case "ERR_SSL_PACKET_LENGTH_TOO_LONG":
      return "the port does not speak TLS (plain LDAP port with ldaps://?)";
    default:
      return message;
  }
}
