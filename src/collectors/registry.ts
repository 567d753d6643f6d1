// The collector of each source kind. Each entry is an import with a literal path, so tsc
// checks that the module exists and exports a Collector of that kind; a module loads on
// first use only, so a run without a directory source never loads the LDAP client.
import type { SourceKind } from "../config/types.ts";
import type { Collector } from "./collector.ts";

const collectors: { [K in SourceKind]: () => Promise<Collector<K>> } = {
  ad: async () => (await import("./ad/index.ts")).adCollector,
  ldap: async () => (await import("./ldap/index.ts")).ldapCollector,
  entra: async () => (await import("./entra/collector.ts")).entraCollector,
  github: async () => (await import("./github/collector.ts")).githubCollector,
};

export function collectorFor<K extends SourceKind>(kind: K): Promise<Collector<K>> {
  return collectors[kind]();
}
