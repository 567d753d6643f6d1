// Child process for ldif-memory.test.ts: streams a generated LDIF of N entries (about 1 KB each,
// with base64 and folded values) through the reader under a small heap limit set by the parent.
// Prints the entry count; running out of heap (a reader that keeps entries) kills the process.
import { parseLdif } from "../../../src/collectors/ldap-common/ldif-reader.ts";

const count = Number(process.argv[2]);
const sd = Buffer.alloc(600, 7).toString("base64");

async function* generate(): AsyncGenerator<Buffer> {
  let batch = "";
  for (let i = 0; i < count; i++) {
    const folded = `nTSecurityDescriptor:: ${sd}`.replace(/(.{76})/g, "$1\n ").replace(/\n $/, "");
    batch += `dn: CN=user${i},OU=Staff,DC=corp,DC=example\nobjectClass: top\nobjectClass: user\nsAMAccountName: user${i}\nuserAccountControl: 512\n${folded}\n\n`;
    if (batch.length > 1 << 20) {
      yield Buffer.from(batch);
      batch = "";
    }
  }
  yield Buffer.from(batch);
}

let entries = 0;
let bytes = 0;
for await (const entry of parseLdif(generate(), "generated.ldif")) {
  entries++;
  bytes += entry.attributes.ntsecuritydescriptor[0].length;
}
process.stdout.write(JSON.stringify({ entries, bytes, heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) }));
