// The ISO 8601 durations Graph writes for the sync interval (PT30M, P1DT2H): days, hours,
// minutes and seconds. One grammar for the item shape, which refuses anything else with the
// file, line and field, and for the normalizer, which reads it: a value the normalizer could
// not read would otherwise become an unknown interval without a word.
export const isoDurationPattern = String.raw`^P(?=\d|T\d)(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$`;

const isoDuration = new RegExp(isoDurationPattern, "u");

/** Minutes of an ISO 8601 duration in days, hours, minutes and seconds; null for anything else. */
export function isoDurationMinutes(value: string): number | null {
  const m = isoDuration.exec(value);
  if (!m) return null;
  const [, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return d * 1440 + h * 60 + min + s / 60;
}
