// An attribute description as a directory returns it (RFC 4512 2.5: type plus `;options`), read
// into the name the normalizers look up, for both the LDIF reader and the live search:
//  - `;binary` (RFC 4522) only says how the values travel: `userCertificate;binary` is
//    userCertificate, so it is dropped;
//  - `;range=LOW-HIGH` is AD's range retrieval (MS-ADTS 3.1.1.3.1.3.3): a server that holds more
//    values than its MaxValRange returns the first slice as `member;range=0-1499`, and only a
//    slice whose HIGH is `*` is the last. The range is dropped from the name and returned, so the
//    reader can tell whether every slice arrived (an `ldapsearch` export has only the first);
//  - other options (language tags, `;x-...`) name a subtype with values of its own: kept.

export interface ValueRange {
  low: number;
  /** null for `*`: this slice ends with the attribute's last value. */
  high: number | null;
}

export interface AttributeDescription {
  /** Lower-cased type with the options that name a subtype. */
  name: string;
  range?: ValueRange;
}

const RANGE = /^range=(\d+)-(\d+|\*)$/i;

export function readAttributeDescription(raw: string): AttributeDescription {
  const parts = raw.toLowerCase().split(";");
  let range: ValueRange | undefined;
  const kept = [parts[0]!];
  for (const option of parts.slice(1)) {
    if (option === "binary") continue;
    const ranged = RANGE.exec(option);
    if (ranged) {
      range = { low: Number(ranged[1]), high: ranged[2] === "*" ? null : Number(ranged[2]) };
      continue;
    }
    kept.push(option);
  }
  return range ? { name: kept.join(";"), range } : { name: kept.join(";") };
}

/**
 * Whether slices of one attribute hold all its values: together they run from 0 without a hole
 * to a last slice ending in `*`. An empty list (no range retrieval) is complete.
 */
export function rangesComplete(ranges: readonly ValueRange[]): boolean {
  if (ranges.length === 0) return true;
  const sorted = [...ranges].sort((a, b) => a.low - b.low);
  let next = 0;
  for (const range of sorted) {
    if (range.low !== next) return false;
    if (range.high === null) return range === sorted[sorted.length - 1];
    next = range.high + 1;
  }
  return false;
}
