/* Exact decimal numbers. Integers that fit int64 take a fast path; everything
 * else is kept as decimal text and computed digit by digit, so comparisons and
 * sums are exact the way OPA's are (0.1 + 0.2 == 0.3). */
#include "runtime.h"

static void dec_norm(dec *d) {
  u32 lead = 0;
  while (lead < d->n && d->d[lead] == 0) lead++;
  d->d += lead; d->n -= lead; d->exp -= (i32)lead;
  while (d->n && d->d[d->n - 1] == 0) d->n--;
  if (!d->n) { d->neg = 0; d->exp = 0; }
}

static void dec_from_text(const char *s, u32 len, dec *o) {
  u32 i = 0; o->neg = 0;
  if (i < len && (s[i] == '-' || s[i] == '+')) { o->neg = s[i] == '-'; i++; }
  u8 *d = rt_malloc(len + 1); u32 n = 0; i32 before = -1;
  for (; i < len; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') d[n++] = (u8)(c - '0');
    else if (c == '.') before = (i32)n;
    else break;
  }
  if (before < 0) before = (i32)n;
  i32 e = 0;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++; int en = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) { en = s[i] == '-'; i++; }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) if (e < 10000000) e = e * 10 + (s[i] - '0');
    if (en) e = -e;
  }
  o->d = d; o->n = n; o->exp = before + e;
  dec_norm(o);
}

void dec_from_u64(u64 u, dec *o) {
  u8 tmp[24]; u32 n = 0;
  do { tmp[n++] = (u8)(u % 10); u /= 10; } while (u);
  o->neg = 0;
  o->d = rt_malloc(n);
  for (u32 k = 0; k < n; k++) o->d[k] = tmp[n - 1 - k];
  o->n = n; o->exp = (i32)n;
  dec_norm(o);
}

void dec_from_value(value *v, dec *o) {
  vnum *x = (vnum *)v;
  if (!x->is_int) { dec_from_text(x->s, x->len, o); return; }
  i64 i = x->i;
  dec_from_u64(i < 0 ? (u64)0 - (u64)i : (u64)i, o);
  o->neg = i < 0 && o->n;
}

static int mag_cmp(dec *a, dec *b) {
  if (!a->n || !b->n) return a->n ? 1 : b->n ? -1 : 0;
  if (a->exp != b->exp) return a->exp < b->exp ? -1 : 1;
  u32 n = a->n < b->n ? a->n : b->n;
  for (u32 i = 0; i < n; i++) if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
  return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
}

int dec_cmp(dec *a, dec *b) {
  int sa = a->n ? (a->neg ? -1 : 1) : 0, sb = b->n ? (b->neg ? -1 : 1) : 0;
  if (sa != sb) return sa < sb ? -1 : 1;
  int m = mag_cmp(a, b);
  return sa < 0 ? -m : m;
}

/* digit of d at decimal power p (value digit * 10^p) */
static int dig_at(dec *d, i32 p) {
  i32 idx = d->exp - 1 - p;
  return (idx >= 0 && idx < (i32)d->n) ? d->d[idx] : 0;
}

void dec_add(dec *a, dec *b, dec *r) {
  if (!a->n) { *r = *b; return; }
  if (!b->n) { *r = *a; return; }
  i32 lo = a->exp - (i32)a->n < b->exp - (i32)b->n ? a->exp - (i32)a->n : b->exp - (i32)b->n;
  i32 hi = (a->exp > b->exp ? a->exp : b->exp) + 1;
  if ((i64)hi - (i64)lo > 1000000) rt_abort("eval_builtin_error: arithmetic: operands differ in magnitude by more than 10^1000000");
  u32 L = (u32)(hi - lo);
  u8 *out = rt_malloc(L);
  if (a->neg == b->neg) {
    int carry = 0;
    for (i32 p = lo; p < hi; p++) {
      int s = dig_at(a, p) + dig_at(b, p) + carry;
      carry = s >= 10; out[hi - 1 - p] = (u8)(s % 10);
    }
    r->neg = a->neg;
  } else {
    dec *x = a, *y = b;
    if (mag_cmp(a, b) < 0) { x = b; y = a; }
    int borrow = 0;
    for (i32 p = lo; p < hi; p++) {
      int s = dig_at(x, p) - dig_at(y, p) - borrow;
      borrow = s < 0; if (s < 0) s += 10;
      out[hi - 1 - p] = (u8)s;
    }
    r->neg = x->neg;
  }
  r->d = out; r->n = L; r->exp = hi;
  dec_norm(r);
}

void dec_mul(dec *a, dec *b, dec *r) {
  if (!a->n || !b->n) { r->n = 0; r->neg = 0; r->exp = 0; r->d = NULL; return; }
  u32 L = a->n + b->n;
  u32 *acc = rt_malloc(L * sizeof(u32));
  rt_memset(acc, 0, L * sizeof(u32));
  for (u32 i = 0; i < a->n; i++)
    for (u32 j = 0; j < b->n; j++) acc[i + j + 1] += (u32)a->d[i] * b->d[j];
  u8 *out = rt_malloc(L);
  u32 carry = 0;
  for (u32 k = L; k-- > 0;) { u32 s = acc[k] + carry; out[k] = (u8)(s % 10); carry = s / 10; }
  r->d = out; r->n = L; r->exp = a->exp + b->exp; r->neg = a->neg != b->neg;
  dec_norm(r);
}

/* Long division to prec significant digits, rounded half away from zero.
 * Returns 0 on division by zero. */
int dec_div(dec *a, dec *b, dec *r, u32 prec) {
  if (!b->n) return 0;
  if (!a->n) { *r = *a; return 1; }
  u32 nb = b->n, total = a->n + nb + prec + 2;
  u8 *rem = rt_malloc(nb + 2); u32 rn = 0; /* remainder digits, most significant first */
  u8 *q = rt_malloc(total); u32 qn = 0, sig = 0;
  for (u32 k = 0; k < total; k++) {
    /* rem = rem*10 + next digit */
    rem[rn++] = k < a->n ? a->d[k] : 0;
    u32 lead = 0; while (lead < rn && rem[lead] == 0) lead++;
    if (lead) { for (u32 t = lead; t < rn; t++) rem[t - lead] = rem[t]; rn -= lead; }
    int qd = 0;
    for (;;) {
      int c;
      if (rn != nb) c = rn < nb ? -1 : 1;
      else { c = 0; for (u32 t = 0; t < nb; t++) if (rem[t] != b->d[t]) { c = rem[t] < b->d[t] ? -1 : 1; break; } }
      if (c < 0) break;
      int borrow = 0;
      for (u32 t = 0; t < rn; t++) {
        u32 ri = rn - 1 - t; int bd = t < nb ? b->d[nb - 1 - t] : 0;
        int s = rem[ri] - bd - borrow; borrow = s < 0; if (s < 0) s += 10; rem[ri] = (u8)s;
      }
      lead = 0; while (lead < rn && rem[lead] == 0) lead++;
      if (lead) { for (u32 t = lead; t < rn; t++) rem[t - lead] = rem[t]; rn -= lead; }
      qd++;
    }
    q[qn++] = (u8)qd;
    if (qd || sig) sig++;
    if (sig > prec && k + 1 >= a->n) break;
    if (rn == 0 && k + 1 >= a->n) break;
  }
  /* q holds floor(A*10^(qn-na)/B) digit by digit; its value is 0.q * 10^(a.exp - b.exp + 1 + ...) */
  dec t; t.neg = a->neg != b->neg; t.d = q; t.n = qn;
  /* Q = floor(A*10^(qn-na)/B), so a/b = 0.q * 10^(a.exp - b.exp + nb) */
  t.exp = a->exp - b->exp + (i32)nb;
  dec_norm(&t);
  if (t.n > prec) {
    int up = t.d[prec] >= 5;
    t.n = prec;
    if (up) {
      dec one; u8 od = 1; one.neg = t.neg; one.d = &od; one.n = 1; one.exp = t.exp - (i32)prec + 1;
      dec s; dec_add(&t, &one, &s); t = s;
    }
    dec_norm(&t);
  }
  *r = t;
  return 1;
}

/* mode: 0 round half away from zero, 1 ceil, 2 floor */
void dec_round(dec *a, int mode, dec *r) {
  if (a->exp >= (i32)a->n || !a->n) { *r = *a; return; }
  dec t = *a;
  int frac_nonzero = 1; /* normalized: a fractional part exists */
  int half = a->exp >= 0 ? (a->d[a->exp] >= 5) : 0;
  t.n = a->exp > 0 ? (u32)a->exp : 0;
  if (!t.n) { t.n = 0; t.exp = 0; t.neg = 0; }
  int up = mode == 0 ? half : mode == 1 ? (!a->neg && frac_nonzero) : (a->neg && frac_nonzero);
  if (up) {
    dec one; u8 od = 1; one.neg = a->neg; one.d = &od; one.n = 1; one.exp = 1;
    dec s; dec_add(&t, &one, &s); t = s;
  }
  dec_norm(&t);
  *r = t;
}

value *dec_to_value(dec *d) {
  if (!d->n) return opa_number_int(0);
  if (d->exp >= (i32)d->n && d->exp <= 18) {
    i64 v = 0;
    for (i32 i = 0; i < d->exp; i++) v = v * 10 + (i < (i32)d->n ? d->d[i] : 0);
    return opa_number_int(d->neg ? -v : v);
  }
  buf b; buf_init(&b, d->n + 24);
  if (d->neg) buf_putc(&b, '-');
  if (d->exp > 40 || d->exp < -20) {
    buf_putc(&b, (char)('0' + d->d[0]));
    if (d->n > 1) { buf_putc(&b, '.'); for (u32 i = 1; i < d->n; i++) buf_putc(&b, (char)('0' + d->d[i])); }
    buf_putc(&b, 'e'); if (d->exp - 1 >= 0) buf_putc(&b, '+');
    buf_put_i64(&b, d->exp - 1);
  } else if (d->exp <= 0) {
    buf_puts(&b, "0.");
    for (i32 i = 0; i < -d->exp; i++) buf_putc(&b, '0');
    for (u32 i = 0; i < d->n; i++) buf_putc(&b, (char)('0' + d->d[i]));
  } else {
    for (i32 i = 0; i < d->exp || i < (i32)d->n; i++) {
      if (i == d->exp) buf_putc(&b, '.');
      buf_putc(&b, (char)('0' + (i < (i32)d->n ? d->d[i] : 0)));
    }
  }
  vnum *n = rt_malloc(sizeof(vnum));
  n->type = T_NUM; n->is_int = 0; n->len = b.len; n->s = b.p;
  return (value *)n;
}

int rt_num_cmp(value *a, value *b) {
  vnum *x = (vnum *)a, *y = (vnum *)b;
  if (x->is_int && y->is_int) return x->i < y->i ? -1 : x->i > y->i ? 1 : 0;
  dec p, q; dec_from_value(a, &p); dec_from_value(b, &q);
  return dec_cmp(&p, &q);
}

u32 rt_num_hash(value *v) {
  vnum *x = (vnum *)v;
  if (x->is_int) { u64 u = (u64)x->i; u32 h = (u32)u ^ (u32)(u >> 32) * 0x9e3779b1u; h ^= h >> 15; h *= 0x2c1b3c6du; return h ^ (h >> 12); }
  dec d; dec_from_value(v, &d);
  u32 h = 2166136261u ^ (u32)d.exp ^ (d.neg ? 0x80000000u : 0);
  for (u32 i = 0; i < d.n; i++) { h ^= d.d[i]; h *= 16777619u; }
  return h;
}

void rt_num_write(buf *b, value *v) {
  vnum *x = (vnum *)v;
  if (x->is_int) buf_put_i64(b, x->i);
  else buf_put(b, x->s, x->len);
}

int rt_num_to_i64(value *v, i64 *out) {
  vnum *x = (vnum *)v;
  if (!x->is_int) return 0;
  *out = x->i;
  return 1;
}
int rt_is_int(value *v) { return v->type == T_NUM && ((vnum *)v)->is_int; }

double rt_num_to_double(value *v) {
  vnum *x = (vnum *)v;
  if (x->is_int) return (double)x->i;
  dec d; dec_from_value(v, &d);
  double r = 0;
  for (u32 i = 0; i < d.n && i < 20; i++) r = r * 10 + d.d[i];
  i32 e = d.exp - (i32)(d.n < 20 ? d.n : 20);
  while (e > 0) { r *= 10; e--; }
  while (e < 0) { r /= 10; e++; }
  return d.neg ? -r : r;
}
