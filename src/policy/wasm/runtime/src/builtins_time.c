/* time.parse_rfc3339_ns: Go's time.Parse(time.RFC3339, s) as OPA uses it, giving exact int64
 * nanoseconds since the epoch (beyond 2^53, so never through a float). Accepts what Go's parser
 * accepts for that layout: a 1- or 2-digit hour, a fraction after '.' or ',' (digits past the
 * ninth are truncated), and "Z" or a "+hh:mm"/"-hh:mm" offset. */
#include "builtins.h"

#define BI_NAME "time.parse_rfc3339_ns"

static int digits(const char *s, u32 len, u32 *i, u32 n, int *out) {
  int v = 0;
  for (u32 k = 0; k < n; k++) {
    if (*i >= len || s[*i] < '0' || s[*i] > '9') return 0;
    v = v * 10 + (s[(*i)++] - '0');
  }
  *out = v;
  return 1;
}

static int lit(const char *s, u32 len, u32 *i, char c) {
  if (*i >= len || s[*i] != c) return 0;
  (*i)++;
  return 1;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in(int m, int y) {
  static const u8 d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static i64 days_from_civil(i64 y, int m, int d) {
  y -= m <= 2;
  i64 era = (y >= 0 ? y : y - 399) / 400;
  i64 yoe = y - era * 400;
  i64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  i64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* Returns 0 for text that Go rejects; *ns gets the instant otherwise (range checked by the caller). */
static int parse(const char *s, u32 len, i64 *secs, i64 *nsec) {
  u32 i = 0; int y, mo, d, h, mi, se;
  if (!digits(s, len, &i, 4, &y) || !lit(s, len, &i, '-') || !digits(s, len, &i, 2, &mo) || !lit(s, len, &i, '-') ||
      !digits(s, len, &i, 2, &d) || !lit(s, len, &i, 'T'))
    return 0;
  if (!digits(s, len, &i, 1, &h)) return 0;
  if (i < len && s[i] >= '0' && s[i] <= '9') h = h * 10 + (s[i++] - '0');
  if (!lit(s, len, &i, ':') || !digits(s, len, &i, 2, &mi) || !lit(s, len, &i, ':') || !digits(s, len, &i, 2, &se)) return 0;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in(mo, y) || h > 23 || mi > 59 || se > 59) return 0;
  i64 frac = 0;
  if (i + 1 < len && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
    i++;
    u32 nd = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
      if (nd < 9) { frac = frac * 10 + (s[i] - '0'); nd++; }
      i++;
    }
    for (; nd < 9; nd++) frac *= 10;
  }
  i64 off = 0;
  if (i < len && s[i] == 'Z') i++;
  else {
    if (i >= len || (s[i] != '+' && s[i] != '-')) return 0;
    int neg = s[i++] == '-', oh, om;
    if (!digits(s, len, &i, 2, &oh) || !lit(s, len, &i, ':') || !digits(s, len, &i, 2, &om)) return 0;
    if (oh > 24 || om > 60) return 0; /* Go's general parser's limits */
    off = (i64)(oh * 60 + om) * 60;
    if (neg) off = -off;
  }
  if (i != len) return 0;
  *secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
  *nsec = frac;
  return 1;
}

/* The int64 nanosecond range: [-9223372036.854775808 s, 9223372036.854775807 s]. */
#define MAX_SEC 9223372036LL
BI_NAMED(time_parse_rfc3339_ns, BI_NAME)(value *a) {
  NEED(a, T_STR, BI_NAME, 1);
  vstr *s = (vstr *)a;
  i64 secs, nsec;
  if (!parse(s->s, s->len, &secs, &nsec)) return rt_fail_builtin(BI_NAME, "parsing time: cannot parse as RFC 3339");
  if (secs > MAX_SEC || (secs == MAX_SEC && nsec > 854775807LL) || secs < -MAX_SEC - 1 ||
      (secs == -MAX_SEC - 1 && nsec < 145224192LL))
    return rt_fail_builtin(BI_NAME, "time outside of valid range");
  /* (secs + 1) first: secs * 1e9 alone can overflow at the bottom of the range */
  if (secs < 0 && nsec > 0) return opa_number_int((secs + 1) * 1000000000LL - (1000000000LL - nsec));
  return opa_number_int(secs * 1000000000LL + nsec);
}
