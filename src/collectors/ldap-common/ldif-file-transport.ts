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
  const stats: LdifReadStats = { entries: 0, lines: 0, referrals: [], entriesAfterTrailer: 0 };
  let started = 0;
  let finished: number | null = null;
  const failedResult = () => (stats.result !== undefined && stats.result.code !== 0 ? stats.result : undefined);
  const incomplete = () => failedResult() !== undefined || stats.statedMismatch === true;
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
        call: `read LDIF ${options.displayName} (${stats.lines} lines${stats.referrals.length ? `, ${stats.referrals.length} referrals not followed` : ""}; ${completenessEvidence(stats)})`,
        resultCount: stats.entries,
        status: finished === null || incomplete() ? "partial" : "ok",
      };
      if (finished !== null) query.durationMs = finished - started;
      return [query];
    },
    outcome() {
      const result = failedResult();
      if (!incomplete()) return { status: "ok" as const, errors: [] };
      if (!result) {
        const stated = stats.statedEntries!;
        return {
          status: "partial" as const,
          errors: [{
            step: options.step,
            call: `read LDIF ${options.displayName}`,
            message: `the export states "# numEntries: ${stated.count}" (line ${stated.line}) but holds ${stated.found} entries before it: it was cut, or joined from other files; re-export`,
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
          message: `the export holds ldapsearch "result: ${result.code} ${result.text}" (line ${result.line}): the search stopped early, entries are missing; re-export with paging (-E pr=1000/noprompt)`,
          code: `ldap-result-${result.code}`,
          affects: ["*"],
        }],
      };
    },
    repeated(entry: LdapEntry): Error {
      // One search returns an entry once: a second copy comes from joined or overlapping
      // exports, and which copy holds the directory's state cannot be told.
      return new UserInputError(`entry ${entry.dn} appears a second time in the export (overlapping searches joined into one file?); export each entry once`, {
        file: options.displayName,
        line: (entry as Partial<LdifEntry>).line,
        field: "dn",
      });
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

/**
 * What in the file vouches that it holds the whole search, as the snapshot's query shows it.
 * ldapsearch without -L ends every search with `result: 0 Success`; with -L only `# numEntries`
 * (a size or time limit then shows on ldapsearch's stderr and exit code alone); with -LL or -LLL
 * nothing, so a search the server stopped early reads like a complete one (docs/exports.md).
 */
function completenessEvidence(stats: LdifReadStats): string {
  if (stats.entriesAfterTrailer > 0 || (stats.result === undefined && stats.statedEntries === undefined)) {
    return "no ldapsearch result trailer after the last entry: a search stopped by a size or time limit would not show";
  }
  if (stats.result !== undefined) return `ldapsearch result trailer: result ${stats.result.code}${stats.result.text ? ` ${stats.result.text}` : ""}`;
  return "ldapsearch \"# numEntries\" trailer without a result line: a size or time limit would not show";
}
