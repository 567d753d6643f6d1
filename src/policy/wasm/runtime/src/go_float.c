/* A number as Go's fmt prints the float64 OPA hands it (topdown/strings.go: a number with a
 * fraction or exponent reaches fmt.Sprintf as json.Number.Float64(), the nearest double). The
 * runtime keeps numbers as exact decimals, and printing those would differ from OPA wherever the
 * double does: %.2f of 2.675 is "2.68" exactly but "2.67" from the double
 * 2.67499999999999982236..., %v of 1/3 prints the double's shortest digits
 * (0.3333333333333333), and %v of 1234567.5 is "1.2345675e+06".
 * Everything here is exact decimal arithmetic on the double's binary value (M * 2^E): the
 * nearest double is found by comparing the decimal with the midpoints between doubles, and
 * rounding is half to even on that exact value, as strconv does. */
#include "go_float.h"

static const u64 MANT_BITS = 52;
static const u64 FRAC_MASK = (1ULL << 52) - 1;
static const u64 INF_BITS = 0x7FF0000000000000ULL;

/* b^k exactly, by squaring */
static void dec_pow(u64 b, u32 k, dec *o) {
  dec result; dec_from_u64(1, &result);
  dec base; dec_from_u64(b, &base);
  while (k) {
    if (k & 1) { dec t; dec_mul(&result, &base, &t); result = t; }
    k >>= 1;
    if (k) { dec t; dec_mul(&base, &base, &t); base = t; }
  }
  *o = result;
}

/* m * 2^e exactly: for e < 0, m * 5^-e * 10^e */
static void dec_times_pow2(u64 m, i32 e, dec *o) {
  dec dm; dec_from_u64(m, &dm);
  if (!dm.n) { *o = dm; return; }
  dec p; dec_pow(e >= 0 ? 2 : 5, (u32)(e >= 0 ? e : -e), &p);
  dec_mul(&dm, &p, o);
  if (e < 0) o->exp += e;
}

static void split(u64 bits, u64 *m, i32 *e) {
  u64 field = bits >> MANT_BITS;
  if (field) { *m = (bits & FRAC_MASK) | (1ULL << MANT_BITS); *e = (i32)field - 1075; }
  else { *m = bits & FRAC_MASK; *e = -1074; }
}

/* The midpoints between the double `bits` (positive) and its neighbours, exactly. */
static void midpoints(u64 bits, dec *lo, dec *hi) {
  u64 m; i32 e; split(bits, &m, &e);
  /* at a power of two the next double down is half as far away */
  if (m == (1ULL << MANT_BITS) && (bits >> MANT_BITS) > 1) dec_times_pow2(4 * m - 1, e - 2, lo);
  else dec_times_pow2(2 * m - 1, e - 1, lo);
  dec_times_pow2(2 * m + 1, e - 1, hi);
}

/* A first guess within a few units in the last place: the leading 19 digits times a power of ten. */
static u64 approximate(dec *x) {
  u64 m = 0; u32 used = x->n < 19 ? x->n : 19;
  for (u32 k = 0; k < used; k++) m = m * 10 + x->d[k];
  i32 k10 = x->exp - (i32)used;
  double d = (double)m;
  for (; k10 >= 22; k10 -= 22) d *= 1e22;
  for (; k10 <= -22; k10 += 22) d /= 1e22;
  static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21 };
  d = k10 >= 0 ? d * pow10[k10] : d / pow10[-k10];
  union { double d; u64 u; } bits = { .d = d };
  return bits.u;
}

int go_float_of(dec *x, go_float *out) {
  out->neg = x->neg;
  if (!x->n) { out->bits = 0; out->exact = *x; out->exact.neg = 0; return 1; }
  dec mag = *x; mag.neg = 0;
  /* far beyond the largest double (about 1.8e308), or below half the smallest (4.9e-324) */
  if (mag.exp > 310) return 0;
  if (mag.exp < -330) { out->bits = 0; dec_from_u64(0, &out->exact); return 1; }
  u64 bits = approximate(&mag);
  if (bits > INF_BITS) bits = INF_BITS;
  for (int step = 0; step < 64; step++) {
    if (bits >= INF_BITS) {
      /* beyond the largest double: +Inf unless below its upper midpoint */
      dec lo, hi; midpoints(INF_BITS - 1, &lo, &hi);
      if (dec_cmp(&mag, &hi) >= 0) return 0;
      bits = INF_BITS - 1;
      continue;
    }
    if (bits == 0) {
      dec lo, hi; midpoints(1, &lo, &hi);
      /* the smallest denormal's lower midpoint: below it, zero (a tie goes to the even zero) */
      if (dec_cmp(&mag, &lo) <= 0) { out->bits = 0; dec_from_u64(0, &out->exact); return 1; }
      bits = 1;
      continue;
    }
    dec lo, hi; midpoints(bits, &lo, &hi);
    int below = dec_cmp(&mag, &lo), above = dec_cmp(&mag, &hi);
    int even = (bits & 1) == 0;
    if (below < 0 || (below == 0 && !even)) { bits--; continue; }
    if (above > 0 || (above == 0 && !even)) { bits++; continue; }
    break;
  }
  out->bits = bits;
  u64 m; i32 e; split(bits, &m, &e);
  dec_times_pow2(m, e, &out->exact);
  return 1;
}

/* a rounded to its first `keep` digits (which may be none or fewer than none: the value is then
 * below half a unit there, or a tie), half to even; normalized, exponent kept in place. */
void go_round_digits(dec *a, i32 keep, dec *r) {
  if (!a->n || keep >= (i32)a->n) { *r = *a; return; }
  int up;
  if (keep < 0) up = 0;
  else {
    u8 next = a->d[keep];
    int rest = keep + 1 < (i32)a->n; /* normalized: any later digit is a non-zero tail */
    int odd = keep > 0 && (a->d[keep - 1] & 1);
    up = next > 5 || (next == 5 && (rest || odd));
  }
  dec t = *a; t.n = keep > 0 ? (u32)keep : 0;
  if (!t.n) { t.d = NULL; t.exp = a->exp - keep; }
  if (up) {
    u8 *d = rt_malloc((u32)keep + 1);
    d[0] = 0;
    for (i32 k = 0; k < keep; k++) d[k + 1] = a->d[k];
    i32 k = keep;
    while (d[k] == 9) d[k--] = 0;
    d[k]++;
    t.d = d; t.n = (u32)keep + 1; t.exp = a->exp + 1;
    while (t.n && t.d[0] == 0) { t.d++; t.n--; t.exp--; }
  }
  while (t.n && t.d[t.n - 1] == 0) t.n--;
  if (!t.n) { t.exp = 0; t.neg = 0; }
  *r = t;
}

void go_float_shortest(go_float *f, dec *r) {
  if (!f->bits) { *r = f->exact; return; }
  dec lo, hi; midpoints(f->bits, &lo, &hi);
  int inclusive = (f->bits & 1) == 0; /* strconv accepts the bounds when the mantissa is even */
  for (i32 digits = 1; digits < 17; digits++) {
    dec c; go_round_digits(&f->exact, digits, &c);
    int a = dec_cmp(&c, &lo), b = dec_cmp(&c, &hi);
    if ((a > 0 || (inclusive && a == 0)) && (b < 0 || (inclusive && b == 0))) { *r = c; return; }
  }
  go_round_digits(&f->exact, 17, r);
}
