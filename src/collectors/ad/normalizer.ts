// Active Directory normalizer shared by the LDIF file transport and the live LDAP transport:
// ingest.ts decodes each entry at once into a compact record, resolution.ts resolves the
// cross-references when every entry is in, reset-paths.ts derives who can reset each password.
import type { LdapEntry } from "../ldap-common/entry.ts";
import type { NormalizedDirectoryFacts } from "../normalized-facts.ts";
import { AdIngest } from "./ingest.ts";
import type { AdNormalizerOptions } from "./records.ts";

/** Convenience for transports: normalize a whole stream. */
export async function normalizeAd(entries: AsyncIterable<LdapEntry>, options: AdNormalizerOptions): Promise<NormalizedDirectoryFacts> {
  const normalizer = new AdIngest(options);
  for await (const entry of entries) normalizer.add(entry);
  return normalizer.finish();
}

