// Test-time PKI for the fixture servers: a throwaway CA, a localhost server certificate it
// signs, and self-signed client certificates (Entra app certificate credentials). Generated with
// the openssl CLI into a temp folder per run; nothing here is ever committed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";

export interface TestPki {
  dir: string;
  caFile: string;
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const openssl = (args: string[], cwd: string) => execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "credgov-pki-"));
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=credgov test CA"], dir);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], dir);
  writeFileSync(join(dir, "server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"], dir);
  return {
    dir,
    caFile: join(dir, "ca.pem"),
    caPem: readFileSync(join(dir, "ca.pem"), "utf8"),
    serverCertPem: readFileSync(join(dir, "server.pem"), "utf8"),
    serverKeyPem: readFileSync(join(dir, "server.key"), "utf8"),
  };
}

/** A self-signed certificate and its key; `file` holds both in PEM, as ClientCertificateCredential reads it. */
export function createClientCertificate(dir: string, name: string): { file: string; certPem: string } {
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`], dir);
  const certPem = readFileSync(join(dir, `${name}.crt`), "utf8");
  const file = join(dir, `${name}.pem`);
  writeFileSync(file, readFileSync(join(dir, `${name}.key`), "utf8") + certPem, { mode: 0o600 });
  return { file, certPem };
}

/**
 * Makes this process trust the test CA for every TLS client (fetch, https), the supported Node
 * API for what NODE_EXTRA_CA_CERTS does at start-up. Child processes get NODE_EXTRA_CA_CERTS.
 */
export function trustTestCa(pki: TestPki): void {
  const current = tls.getCACertificates("default");
  if (!current.includes(pki.caPem)) tls.setDefaultCACertificates([...current, pki.caPem]);
}
