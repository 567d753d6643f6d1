// Go's time.ParseDuration ("1h2m3.5s", "-100ms", "1µs"), in nanoseconds as a bigint.
import { BuiltinError } from "./builtin-error.ts";

const UNIT_NS: Record<string, bigint> = {
  ns: 1n, us: 1_000n, "µs": 1_000n, "μs": 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

export function parseDurationNs(builtin: string, s: string): bigint {
  const m = /^([-+]?)(.*)$/s.exec(s)!;
  const body = m[2];
  if (body === "0") return 0n;
  if (body === "") throw new BuiltinError(builtin, `time: invalid duration ${JSON.stringify(s)}`);
  const re = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0n;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const part = re.exec(body);
    if (!part || (part[1] === "" && (part[2] ?? "") === "")) throw new BuiltinError(builtin, `time: invalid duration ${JSON.stringify(s)}`);
    const unit = UNIT_NS[part[3]];
    const frac = part[2] ?? "";
    total += BigInt(part[1] || "0") * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    pos = re.lastIndex;
  }
  return m[1] === "-" ? -total : total;
}
