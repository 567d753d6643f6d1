// crypto.x509.* and crypto.parse_private_keys on node:crypto. Certificates are reported with the
// field names of Go's x509.Certificate as OPA marshals it (plus OPA's URIStrings), for the fields
// policies read: Subject/Issuer, SerialNumber, validity, DNSNames, EmailAddresses, IPAddresses,
// URIStrings, IsCA, Raw, and the extensions (x509-extensions.ts). Absent lists are null, as Go's
// nil slices are.
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { BuiltinError, num, obj, str, strings } from "./builtin-error.ts";
import { children, readName, readTlv, splitSequences } from "./der.ts";
import { certificateExtensions } from "./x509-extensions.ts";

const NAME_FIELDS: Record<string, string> = {
  CN: "CommonName", C: "Country", O: "Organization", OU: "OrganizationalUnit", L: "Locality", ST: "Province",
  street: "StreetAddress", postalCode: "PostalCode", serialNumber: "SerialNumber",
};
const OID_FIELDS: Record<string, string> = {
  "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.7": "L", "2.5.4.8": "ST",
  "2.5.4.9": "street", "2.5.4.17": "postalCode", "2.5.4.5": "serialNumber",
};

function goName(pairs: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Country: null, Organization: null, OrganizationalUnit: null, Locality: null, Province: null,
    StreetAddress: null, PostalCode: null, SerialNumber: "", CommonName: "",
  };
  for (const [k, v] of pairs) {
    const field = NAME_FIELDS[k];
    if (!field) continue;
    if (field === "CommonName" || field === "SerialNumber") out[field] = v;
    else out[field] = [...((out[field] as string[] | null) ?? []), v];
  }
  return out;
}

/** Node prints names as "CN=a\nO=b" lines. */
const nameFromText = (text: string) => goName(text.split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));

/** PEM text, base64 of PEM, or base64 of DER (possibly several certificates end to end) -> DER blobs. */
function derBlocks(name: string, input: string, label: RegExp): Buffer[] {
  let text = input;
  if (!text.includes("-----BEGIN")) {
    if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw new BuiltinError(name, "illegal base64 data");
    const decoded = Buffer.from(text, "base64");
    const asText = decoded.toString("utf8");
    if (!asText.includes("-----BEGIN")) {
      try {
        return splitSequences(decoded);
      } catch (err) {
        throw new BuiltinError(name, (err as Error).message);
      }
    }
    text = asText;
  }
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  const wanted = blocks.filter((b) => label.test(b[1])).map((b) => Buffer.from(b[2].replace(/\s+/g, ""), "base64"));
  if (wanted.length === 0) throw new BuiltinError(name, "failed to find any PEM data in input");
  return wanted;
}

function describeCertificate(cert: X509Certificate): Record<string, unknown> {
  const san = (cert.subjectAltName ?? "").split(/,\s*/).filter(Boolean);
  const pick = (prefix: string) => {
    const v = san.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
    return v.length ? v : null;
  };
  return {
    Raw: cert.raw.toString("base64"),
    Version: 3,
    SerialNumber: BigInt(`0x${cert.serialNumber}`).toString(),
    // An empty Name (a Fulcio signing certificate's subject) has no text.
    Issuer: nameFromText(cert.issuer ?? ""),
    Subject: nameFromText(cert.subject ?? ""),
    NotBefore: new Date(cert.validFrom).toISOString().replace(/\.000Z$/, "Z"),
    NotAfter: new Date(cert.validTo).toISOString().replace(/\.000Z$/, "Z"),
    IsCA: cert.ca,
    BasicConstraintsValid: cert.ca,
    DNSNames: pick("DNS:"),
    EmailAddresses: pick("email:"),
    IPAddresses: pick("IP Address:"),
    URIStrings: pick("URI:"),
    PublicKeyAlgorithm: cert.publicKey.asymmetricKeyType,
    ...certificateExtensions(cert.raw),
  };
}

function certificates(name: string, input: string): X509Certificate[] {
  return derBlocks(name, input, /^CERTIFICATE$/).map((der) => {
    try {
      return new X509Certificate(der);
    } catch {
      throw new BuiltinError(name, "x509: malformed certificate");
    }
  });
}

export function parseCertificates(x: unknown): unknown[] {
  return certificates("crypto.x509.parse_certificates", str("crypto.x509.parse_certificates", x, 1)).map(describeCertificate);
}

const signedBy = (c: X509Certificate, issuer: X509Certificate) => c.checkIssued(issuer) && c.verify(issuer.publicKey);

/**
 * The certificates (in any order) must form one chain from a leaf through CA intermediates to a
 * self-signed root, all valid now; the chain is returned leaf first, as Go's Verify reports it.
 */
export function parseAndVerifyCertificates(x: unknown): unknown[] {
  return verifyChain("crypto.x509.parse_and_verify_certificates", x, {});
}

interface VerifyOptions {
  /** Verification time in ms since the epoch (OPA's CurrentTime is in ns). */
  now?: number;
  /** The leaf must be valid for this DNS name (Go's VerifyOptions.DNSName). */
  dnsName?: string;
  /** Go names of extended key usages the leaf must allow one of (KeyUsageServerAuth, ...). */
  keyUsages?: string[];
}

const EXT_KEY_USAGES: Readonly<Record<string, string>> = {
  KeyUsageAny: "2.5.29.37.0",
  KeyUsageServerAuth: "1.3.6.1.5.5.7.3.1",
  KeyUsageClientAuth: "1.3.6.1.5.5.7.3.2",
  KeyUsageCodeSigning: "1.3.6.1.5.5.7.3.3",
  KeyUsageEmailProtection: "1.3.6.1.5.5.7.3.4",
  KeyUsageIPSECEndSystem: "1.3.6.1.5.5.7.3.5",
  KeyUsageIPSECTunnel: "1.3.6.1.5.5.7.3.6",
  KeyUsageIPSECUser: "1.3.6.1.5.5.7.3.7",
  KeyUsageTimeStamping: "1.3.6.1.5.5.7.3.8",
  KeyUsageOCSPSigning: "1.3.6.1.5.5.7.3.9",
};

/**
 * crypto.x509.parse_and_verify_certificates_with_options: the options object takes OPA's keys
 * DNSName, CurrentTime (ns), KeyUsages and MaxConstraintComparisons (accepted, no effect here).
 */
export function parseAndVerifyCertificatesWithOptions(x: unknown, options: unknown): unknown[] {
  const name = "crypto.x509.parse_and_verify_certificates_with_options";
  const o = obj(name, options, 2);
  const opts: VerifyOptions = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "DNSName") opts.dnsName = str(name, v, 2);
    else if (k === "CurrentTime") opts.now = num(name, v, 2) / 1e6;
    else if (k === "KeyUsages") {
      const names = strings(name, v, 2);
      for (const n of names) if (!(n in EXT_KEY_USAGES)) throw new BuiltinError(name, `invalid entry for KeyUsages: ${n}`);
      opts.keyUsages = names;
    } else if (k !== "MaxConstraintComparisons") throw new BuiltinError(name, `invalid key option: ${k}`);
  }
  return verifyChain(name, x, opts);
}

function verifyChain(name: string, x: unknown, opts: VerifyOptions): unknown[] {
  let certs: X509Certificate[];
  try {
    certs = certificates(name, str(name, x, 1));
  } catch (err) {
    if (err instanceof BuiltinError) return [false, []];
    throw err;
  }
  const now = opts.now ?? Date.now();
  const leaves = certs.filter((c) => !certs.some((other) => other !== c && signedBy(other, c)));
  if (certs.length < 2 || leaves.length !== 1) return [false, []];
  const chain = [leaves[0]];
  for (;;) {
    const cur = chain.at(-1)!;
    if (signedBy(cur, cur)) break; // self-signed root
    const issuer = certs.find((c) => !chain.includes(c) && c.ca && signedBy(cur, c));
    if (!issuer) return [false, []];
    chain.push(issuer);
  }
  const inTime = chain.every((c) => Date.parse(c.validFrom) <= now && now <= Date.parse(c.validTo));
  if (opts.dnsName !== undefined && chain[0].checkHost(opts.dnsName) === undefined) return [false, []];
  if (opts.keyUsages && opts.keyUsages.length > 0 && !opts.keyUsages.includes("KeyUsageAny")) {
    const leafUsages = chain[0].keyUsage ?? [];
    // Go: a leaf without the extension allows every usage.
    if (leafUsages.length > 0 && !opts.keyUsages.some((u) => leafUsages.includes(EXT_KEY_USAGES[u]) || leafUsages.includes(EXT_KEY_USAGES.KeyUsageAny))) return [false, []];
  }
  return inTime && chain.length === certs.length ? [true, chain.map(describeCertificate)] : [false, []];
}

export function parseCertificateRequest(x: unknown): Record<string, unknown> {
  const name = "crypto.x509.parse_certificate_request";
  const [der] = derBlocks(name, str(name, x, 1), /^(NEW )?CERTIFICATE REQUEST$/);
  try {
    const top = readTlv(der, 0);
    const [info] = children(der, top);
    const [version, subject, spki] = children(der, info);
    const pairs = readName(der, subject).map(([o, v]) => [OID_FIELDS[o] ?? o, v] as [string, string]);
    const publicKey = createPublicKey({ key: der.subarray(spki.start, spki.end), format: "der", type: "spki" });
    return {
      Raw: der.toString("base64"),
      Version: der[version.contentStart],
      Subject: goName(pairs),
      PublicKeyAlgorithm: publicKey.asymmetricKeyType,
    };
  } catch (err) {
    throw new BuiltinError(name, `asn1: structure error: ${(err as Error).message}`);
  }
}

function privateKeyJwk(name: string, pemOrDer: string | Buffer): Record<string, unknown> {
  try {
    const key = typeof pemOrDer === "string" ? createPrivateKey(pemOrDer) : createPrivateKey({ key: pemOrDer, format: "der", type: "pkcs8" });
    return key.export({ format: "jwk" }) as Record<string, unknown>;
  } catch (err) {
    throw new BuiltinError(name, `failed to parse private key: ${(err as Error).message}`);
  }
}

/** A PEM string, or base64 of one. */
function pemText(name: string, x: string): string {
  if (x.includes("-----BEGIN")) return x;
  if (!/^[A-Za-z0-9+/=\s]+$/.test(x)) throw new BuiltinError(name, "illegal base64 data");
  return Buffer.from(x, "base64").toString("utf8");
}

export function parseRsaPrivateKey(x: unknown): Record<string, unknown> {
  const name = "crypto.x509.parse_rsa_private_key";
  const jwk = privateKeyJwk(name, pemText(name, str(name, x, 1)));
  if (jwk.kty !== "RSA") throw new BuiltinError(name, "not an RSA private key");
  return jwk;
}

export function parsePrivateKeys(x: unknown): unknown[] | null {
  const name = "crypto.parse_private_keys";
  const s = str(name, x, 1);
  if (s === "") return null;
  let text: string;
  try {
    text = pemText(name, s);
  } catch {
    return [];
  }
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g)];
  return blocks.map((b) => privateKeyJwk(name, b[0]));
}

export function parseKeypair(cert: unknown, key: unknown): Record<string, unknown> {
  const name = "crypto.x509.parse_keypair";
  const certs = certificates(name, str(name, cert, 1));
  const jwk = privateKeyJwk(name, pemText(name, str(name, key, 2)));
  const leafKey = certs[0].publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  if (leafKey.n !== jwk.n || leafKey.x !== jwk.x) throw new BuiltinError(name, "tls: private key does not match public key");
  return { Certificate: certs.map((c) => c.raw.toString("base64")), PrivateKey: jwk, Leaf: null };
}

export const x509Builtins = {
  "crypto.x509.parse_certificates": parseCertificates,
  "crypto.x509.parse_and_verify_certificates": parseAndVerifyCertificates,
  "crypto.x509.parse_and_verify_certificates_with_options": parseAndVerifyCertificatesWithOptions,
  "crypto.x509.parse_certificate_request": parseCertificateRequest,
  "crypto.x509.parse_rsa_private_key": parseRsaPrivateKey,
  "crypto.x509.parse_keypair": parseKeypair,
  "crypto.parse_private_keys": parsePrivateKeys,
};
