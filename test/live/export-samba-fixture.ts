// Regenerates test/fixtures/ldif/samba-real.ldif: the seeded Samba estate (samba/seed.sh) as
// `ldapsearch -LLL` exports it with the live AD transport's searches. No password is in it:
// AD never returns unicodePwd. Run: node test/live/export-samba-fixture.ts (root, Samba installed)
import { adEntrySearches, trusteeSearches } from "../../src/collectors/ad/live-queries.ts";
import { LiveAdTransport } from "../../src/collectors/ad/live-transport.ts";
import { dumpWithLdapsearch } from "./ldapsearch-dump.ts";
import { startSambaDc } from "./samba-dc.ts";

const out = new URL("../fixtures/ldif/samba-real.ldif", import.meta.url).pathname;
const dc = await startSambaDc();
try {
  // a live run first: the export repeats its trustee look-ups too
  const live = new LiveAdTransport({ url: dc.url, baseDN: dc.baseDN, bindDN: dc.bindDN, passwordEnv: "PW", tls: { rejectUnauthorized: false } }, { env: { PW: dc.password }, configDir: process.cwd() });
  for await (const _ of live.entries()) void _;
  const searches = [...adEntrySearches(dc.baseDN, []), ...trusteeSearches(dc.baseDN, live.outcome.unresolvedTrustees)];
  await dumpWithLdapsearch(searches, { url: dc.url, bindDN: dc.bindDN, password: dc.password }, out,
    "Seeded Samba AD estate (test/live/samba/seed.sh) exported by test/live/export-samba-fixture.ts\nwith the live AD transport's searches: ldapsearch -LLL -E pr=500/noprompt [-E '!1.2.840.113556.1.4.801=::MAMCAQU='].\nObject GUIDs, SIDs and timestamps change with every provisioning.");
  console.log(`wrote ${out}`);
} finally {
  await dc.stop();
}
