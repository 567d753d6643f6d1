// LdapTransport over an LDIF export file (kind ad and ldap share it).
import { UserInputError } from "../../errors.ts";
import type { Query } from "../../snapshot/types.ts";
import type { LdapEntry } from "./entry.ts";
import type { AttributeValueError } from "./entry-values.ts";
import { readLdifFile, type LdifEntry, type LdifReadStats } from "./ldif-reader.ts";
import type { LdapTransport } from "./transport.ts";

export interface LdifFileTransportOptions {
  /** Absolute path to read. */
  path: string;
  /** How the file is named in errors and in the snapshot (the path as configured). */
  displayName: string;
  /** Query-log step name, e.g. "ldif". */
  step: string;
  onEntry?: () => void;
}

export function ldifFileTransport(options: LdifFileTransportOptions): LdapTransport {
  const stats: LdifReadStats = { entries: 0, lines: 0, referrals: [] };
  let started = 0;
  let finished: number | null = null;
  const shortOfStated = () => stats.statedEntries !== undefined && finished !== null && stats.entries < stats.statedEntries.count;
  const incomplete = () => (stats.result !== undefined && stats.result.code !== 0) || shortOfStated();
  async function* entries(): AsyncGenerator<LdapEntry> {
    started = Date.now();
    for await (const entry of readLdifFile(options.path, options.displayName, stats)) {
      options.onEntry?.();
      yield entry;
    }
    finished = Date.now();
  }
  return {
    kind: "file",
    endpoint: options.displayName,
    entries: entries(),
    queries(): Query[] {
      const query: Query = {
        step: options.step,
        call: `read LDIF ${options.displayName} (${stats.lines} lines${stats.referrals.length ? `, ${stats.referrals.length} referrals not followed` : ""})`,
        resultCount: stats.entries,
        status: finished === null || incomplete() ? "partial" : "ok",
      };
      if (finished !== null) query.durationMs = finished - started;
      return [query];
    },
    outcome() {
      const result = stats.result;
      if (!incomplete()) return { status: "ok" as const, errors: [] };
      if (!result || result.code === 0) {
        const stated = stats.statedEntries!;
        return {
          status: "partial" as const,
          errors: [{
            step: options.step,
            call: `read LDIF ${options.displayName}`,
            message: `the export states "# numEntries: ${stated.count}" (line ${stated.line}) but holds ${stats.entries} entries: it was cut; re-export`,
            code: "ldif-count-mismatch",
            affects: ["*"],
          }],
        };
      }
      return {
        status: "partial" as const,
        errors: [{
          step: options.step,
          call: `read LDIF ${options.displayName}`,
          message: `the export ends with ldapsearch "result: ${result.code} ${result.text}" (line ${result.line}): the search stopped early, entries are missing; re-export with paging (-E pr=1000/noprompt)`,
          code: `ldap-result-${result.code}`,
          affects: ["*"],
        }],
      };
    },
    locate(entry: LdapEntry, error: AttributeValueError): Error {
      const located = entry as Partial<LdifEntry>;
      const position = located.positions?.[error.attribute];
      return new UserInputError(`${error.message} (entry ${entry.dn})`, {
        file: options.displayName,
        line: position?.line ?? located.line,
        field: position?.name ?? error.attribute,
      });
    },
  };
}
