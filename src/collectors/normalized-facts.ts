// What every normalizer (AD, LDAP, Entra, GitHub) derives from one source's raw data: the
// facts of its snapshot part and counts of what was read. The collector adds the source
// record (status, errors, queries) around them.
import type { SourcePart } from "../snapshot/source-part.ts";

export interface NormalizedFacts extends Omit<SourcePart, "source"> {
  counts: Record<string, number>;
}

/** A fact the input lacked (e.g. no domain head in an export): a source error with what it affects. */
export interface SourceGap {
  step: string;
  message: string;
  affects: string[];
}

/** Directory (AD, LDAP) facts also name the naming context and the gaps of the export or server. */
export interface NormalizedDirectoryFacts extends NormalizedFacts {
  namingContext: string | null;
  gaps: SourceGap[];
}
