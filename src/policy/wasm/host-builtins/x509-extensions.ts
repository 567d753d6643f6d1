// A certificate's extensions read from its DER, with the fields Go's x509.Certificate derives
// from them, as OPA marshals the certificate: Extensions ({Id, Critical, Value}), KeyUsage (the
// bit mask), ExtKeyUsage (Go's enum values) and UnknownExtKeyUsage (other OIDs). Policies read
// them (a signing policy checks KeyUsage == 1, ExtKeyUsage == [3] and Fulcio's OIDs); node:crypto
// exposes none of them.
import { children, oid, readTlv } from "./der.ts";

/** Go's ExtKeyUsage constants by OID. */
const EXT_KEY_USAGE: Record<string, number> = {
  "2.5.29.37.0": 0,
  "1.3.6.1.5.5.7.3.1": 1,
  "1.3.6.1.5.5.7.3.2": 2,
  "1.3.6.1.5.5.7.3.3": 3,
  "1.3.6.1.5.5.7.3.4": 4,
  "1.3.6.1.5.5.7.3.5": 5,
  "1.3.6.1.5.5.7.3.6": 6,
  "1.3.6.1.5.5.7.3.7": 7,
  "1.3.6.1.5.5.7.3.8": 8,
  "1.3.6.1.5.5.7.3.9": 9,
  "1.3.6.1.4.1.311.10.3.3": 10,
  "2.16.840.1.113730.4.1": 11,
  "1.3.6.1.4.1.311.2.1.22": 12,
  "1.3.6.1.4.1.311.61.1.1": 13,
};

const TAG_BOOLEAN = 0x01;
const TAG_EXTENSIONS = 0xa3; // [3] EXPLICIT in TBSCertificate

export interface CertificateExtensions {
  Extensions: Array<{ Id: number[]; Critical: boolean; Value: string }> | null;
  KeyUsage: number;
  ExtKeyUsage: number[] | null;
  UnknownExtKeyUsage: number[][] | null;
}

export function certificateExtensions(der: Buffer): CertificateExtensions {
  const out: CertificateExtensions = { Extensions: null, KeyUsage: 0, ExtKeyUsage: null, UnknownExtKeyUsage: null };
  const cert = readTlv(der, 0);
  const tbs = children(der, cert)[0];
  const wrapper = children(der, tbs).find((t) => t.tag === TAG_EXTENSIONS);
  if (!wrapper) return out;
  const list = children(der, wrapper)[0];
  out.Extensions = [];
  for (const ext of children(der, list)) {
    const parts = children(der, ext);
    const id = oid(der.subarray(parts[0].contentStart, parts[0].end));
    const critical = parts.length === 3 && parts[1].tag === TAG_BOOLEAN && der[parts[1].contentStart] !== 0;
    const valueTlv = parts[parts.length - 1];
    const value = der.subarray(valueTlv.contentStart, valueTlv.end);
    out.Extensions.push({ Id: id.split(".").map(Number), Critical: critical, Value: value.toString("base64") });
    if (id === "2.5.29.15") out.KeyUsage = keyUsage(value);
    if (id === "2.5.29.37") {
      for (const usage of children(value, readTlv(value, 0))) {
        const u = oid(value.subarray(usage.contentStart, usage.end));
        if (u in EXT_KEY_USAGE) (out.ExtKeyUsage ??= []).push(EXT_KEY_USAGE[u]);
        else (out.UnknownExtKeyUsage ??= []).push(u.split(".").map(Number));
      }
    }
  }
  return out;
}

/** Go's parseKeyUsageExtension: bit i of the BIT STRING (first bit most significant) sets 1 << i. */
function keyUsage(value: Buffer): number {
  const bits = readTlv(value, 0);
  const bytes = value.subarray(bits.contentStart + 1, bits.end); // after the unused-bits count
  let usage = 0;
  for (let i = 0; i < 9; i++) {
    const byte = bytes[i >> 3];
    if (byte !== undefined && (byte >> (7 - (i % 8))) & 1) usage |= 1 << i;
  }
  return usage;
}
