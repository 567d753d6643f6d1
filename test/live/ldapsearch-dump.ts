// Dumps a directory with OpenLDAP's `ldapsearch -LLL`, running the same searches (base, scope,
// filter, attributes, paged results, SD flags) the live transport runs, concatenated into one
// LDIF file: the export an administrator would hand to the file transport.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LdapSearch } from "../../src/collectors/ldap-common/ldap-connection.ts";
import { SD_FLAGS_OWNER_DACL } from "../../src/collectors/ldap-common/ldap-connection.ts";

export interface DumpTarget {
  url: string;
  bindDN: string;
  password: string;
  /** LDAPTLS_CACERT; without it certificates are not checked (test servers are self-signed). */
  caFile?: string;
  pageSize?: number;
}

/** `-E '!1.2.840.113556.1.4.801=::MAMCAQU='`: SD flags OWNER|DACL, BER-encoded, critical. */
export function sdFlagsArgument(): string {
  return `!1.2.840.113556.1.4.801=::${Buffer.from([0x30, 0x03, 0x02, 0x01, SD_FLAGS_OWNER_DACL]).toString("base64")}`;
}

export function ldapsearchArgs(search: LdapSearch, target: DumpTarget, passwordFile: string): string[] {
  const args = ["-LLL", "-x", "-H", target.url, "-D", target.bindDN, "-y", passwordFile, "-b", search.base, "-s", search.scope];
  if (search.paged !== false) args.push("-E", `pr=${target.pageSize ?? 500}/noprompt`);
  if (search.securityDescriptor) args.push("-E", sdFlagsArgument());
  args.push(search.filter, ...search.attributes);
  return args;
}

/** Runs every search and appends its LDIF to `outFile`; returns seconds spent in ldapsearch. */
export async function dumpWithLdapsearch(searches: LdapSearch[], target: DumpTarget, outFile: string, header?: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "credgov-dump-"));
  const passwordFile = join(dir, "pw");
  // -y reads the password from a file so it never shows in the process list.
  await writeFile(passwordFile, target.password, { mode: 0o600 });
  const out = createWriteStream(outFile);
  if (header) out.write(header.split("\n").map((line) => `# ${line}`.trimEnd()).join("\n") + "\n\n");
  const started = performance.now();
  try {
    for (const search of searches) {
      await new Promise<void>((resolve, reject) => {
        const child = spawn("ldapsearch", ldapsearchArgs(search, target, passwordFile), {
          env: { ...process.env, LDAPTLS_REQCERT: target.caFile ? "demand" : "never", ...(target.caFile ? { LDAPTLS_CACERT: target.caFile } : {}) },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stdout.pipe(out, { end: false });
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ldapsearch ${search.step} exited ${code}: ${stderr.trim()}`))));
      });
    }
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
    await rm(dir, { recursive: true, force: true });
  }
  return (performance.now() - started) / 1000;
}
