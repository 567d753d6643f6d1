// A collection error that names what is missing, referred or repeated lists a few of them, never
// thousands: the first three, then "..." when there are more (the sentence states the count).
// One separator everywhere: "; ", since DNs, the names most often listed, hold commas.

/** How many names an error lists. */
export const namesListed = 3;

/**
 * `a; b; c; ...`: the first names of `names`, and "..." when `total` (default: how many `names`
 * holds; more when only the first few were kept) is larger.
 */
export function firstNames(names: Iterable<string>, total?: number): string {
  const shown: string[] = [];
  let count = 0;
  for (const name of names) {
    if (shown.length < namesListed) shown.push(name);
    count++;
  }
  return (total ?? count) > shown.length ? `${shown.join("; ")}; ...` : shown.join("; ");
}
