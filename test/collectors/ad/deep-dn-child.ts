// Child process for deep-dn.test.ts: normalizes the demo domain and its Service Accounts OU plus
// one user whose DN is DEPTH RDNs deep below that OU, under a small heap limit set by the parent.
// Prints the user's reset paths; a reader that spelled out every ancestor's DN runs out of heap.
import { readFileSync } from "node:fs";
import { normalizeAd } from "../../../src/collectors/ad/normalizer.ts";
import { parseLdif } from "../../../src/collectors/ldap-common/ldif-reader.ts";
import { serviceAccountRules } from "../../../src/collectors/ldap-common/service-account-rules.ts";
import { UserInputError } from "../../../src/errors.ts";

const depth = Number(process.argv[2]);
const entries = readFileSync(new URL("../../../examples/demo/ad.ldif", import.meta.url), "utf8").split("\n\n");
const domain = entries[0]!;
const serviceOu = entries.find((e) => e.startsWith("dn: OU=Service Accounts,"))!;
const dn = `CN=deep,${"OU=level,".repeat(depth)}OU=Service Accounts,DC=corp,DC=example`;
const user = `dn: ${dn}\nobjectClass: user\nobjectGUID:: ${Buffer.alloc(16, 9).toString("base64")}\nsAMAccountName: deep\nuserAccountControl: 512`;

async function* chunks(): AsyncGenerator<Buffer> {
  yield Buffer.from(`${domain}\n\n${serviceOu}\n\n${user}\n`);
}

const facts = await normalizeAd(parseLdif(chunks(), "deep.ldif"), {
  sourceId: "ad",
  serviceRules: serviceAccountRules(undefined, undefined),
  transport: "file",
  collectedAt: "2026-01-01T00:00:00.000Z",
  locate: (entry, error) => new UserInputError(error.message, { file: "deep.ldif", field: error.attribute }),
});
const account = facts.accounts.find((a) => a.name === "deep")!;
const paths = facts.resetPaths.filter((p) => p.target.startsWith(account.id));
process.stdout.write(JSON.stringify(paths.map((p) => ({ actor: p.actor.id, right: p.right, via: p.via }))));
