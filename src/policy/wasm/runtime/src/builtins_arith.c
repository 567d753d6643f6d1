/* Arithmetic: int64 fast path with overflow checks, exact decimals otherwise. */
#include "builtins.h"

value *rt_set_diff(value *a, value *b);

static value *num_add(value *a, value *b, int negate_b) {
  vnum *x = (vnum *)a, *y = (vnum *)b;
  if (x->is_int && y->is_int) {
    i64 r;
    if (!negate_b && !__builtin_add_overflow(x->i, y->i, &r)) return opa_number_int(r);
    if (negate_b && !__builtin_sub_overflow(x->i, y->i, &r)) return opa_number_int(r);
  }
  dec p, q, r; dec_from_value(a, &p); dec_from_value(b, &q);
  if (negate_b && q.n) q.neg = !q.neg;
  dec_add(&p, &q, &r);
  return dec_to_value(&r);
}

BI(plus)(value *a, value *b) {
  NEED(a, T_NUM, "plus", 1); NEED(b, T_NUM, "plus", 2);
  return num_add(a, b, 0);
}

BI(minus)(value *a, value *b) {
  if (a->type == T_SET && b->type == T_SET) return rt_set_diff(a, b);
  if (a->type == T_SET || b->type == T_SET) return rt_fail_type("minus", a->type != T_SET ? "operand 1 must be set" : "operand 2 must be set");
  NEED(a, T_NUM, "minus", 1); NEED(b, T_NUM, "minus", 2);
  return num_add(a, b, 1);
}

/* overflow check without 128-bit helpers, which -nostdlib does not provide */
static int mul_fits(i64 a, i64 b, i64 *r) {
  if (a > -2147483648LL && a < 2147483648LL && b > -2147483648LL && b < 2147483648LL) { *r = a * b; return 1; }
  if (a == 0 || b == 0) { *r = 0; return 1; }
  if (a == -1 || b == -1 || a == (i64)0x8000000000000000ull || b == (i64)0x8000000000000000ull) return 0;
  u64 ua = a < 0 ? (u64)0 - (u64)a : (u64)a, ub = b < 0 ? (u64)0 - (u64)b : (u64)b;
  if (ua > 9223372036854775807ull / ub) return 0;
  *r = a * b; return 1;
}

BI(mul)(value *a, value *b) {
  NEED(a, T_NUM, "mul", 1); NEED(b, T_NUM, "mul", 2);
  vnum *x = (vnum *)a, *y = (vnum *)b;
  i64 r;
  if (x->is_int && y->is_int && mul_fits(x->i, y->i, &r)) return opa_number_int(r);
  dec p, q, s; dec_from_value(a, &p); dec_from_value(b, &q);
  dec_mul(&p, &q, &s);
  return dec_to_value(&s);
}

BI(div)(value *a, value *b) {
  NEED(a, T_NUM, "div", 1); NEED(b, T_NUM, "div", 2);
  vnum *x = (vnum *)a, *y = (vnum *)b;
  if (y->is_int && y->i == 0) return rt_fail_builtin("div", "divide by zero");
  if (x->is_int && y->is_int && y->i != -1 && x->i % y->i == 0) return opa_number_int(x->i / y->i);
  dec p, q, s; dec_from_value(a, &p); dec_from_value(b, &q);
  if (!dec_div(&p, &q, &s, 34)) return rt_fail_builtin("div", "divide by zero");
  return dec_to_value(&s);
}

BI(rem)(value *a, value *b) {
  NEED(a, T_NUM, "rem", 1); NEED(b, T_NUM, "rem", 2);
  i64 x, y;
  if (!rt_num_to_i64(a, &x) || !rt_num_to_i64(b, &y)) return rt_fail_builtin("rem", "modulo on floating-point number");
  if (y == 0) return rt_fail_builtin("rem", "modulo by zero");
  if (y == -1) return opa_number_int(0);
  return opa_number_int(x % y);
}

static value *round_mode(value *a, int mode, const char *bi) {
  NEED(a, T_NUM, bi, 1);
  if (((vnum *)a)->is_int) return a;
  dec p, r; dec_from_value(a, &p);
  dec_round(&p, mode, &r);
  return dec_to_value(&r);
}
BI(round)(value *a) { return round_mode(a, 0, "round"); }
BI(ceil)(value *a) { return round_mode(a, 1, "ceil"); }
BI(floor)(value *a) { return round_mode(a, 2, "floor"); }

BI(abs)(value *a) {
  NEED(a, T_NUM, "abs", 1);
  vnum *x = (vnum *)a;
  if (x->is_int) { if (x->i >= 0) return a; if (x->i != (i64)0x8000000000000000ull) return opa_number_int(-x->i); }
  dec p; dec_from_value(a, &p); p.neg = 0;
  return dec_to_value(&p);
}

/* Ranges are materialised as arrays; past this many numbers evaluation halts (in strict mode or
 * not): an error that only made the expression undefined would leave the rule silently empty,
 * and a control built on it could pass. The host implementation has the same limit. */
#define RANGE_LIMIT 50000000ull

static value *range(value *a, value *b, i64 step, const char *bi) {
  NEED_INT(x, a, bi, 1);
  NEED_INT(y, b, bi, 2);
  u64 n = (x <= y ? (u64)(y - x) : (u64)(x - y)) / (u64)step + 1;
  if (n > RANGE_LIMIT) {
    buf m; buf_init(&m, 96);
    buf_puts(&m, "eval_builtin_error: "); buf_puts(&m, bi); buf_puts(&m, ": range of ");
    buf_put_i64(&m, (i64)n); buf_puts(&m, " numbers is larger than the limit of "); buf_put_i64(&m, (i64)RANGE_LIMIT);
    rt_abort(buf_cstr(&m));
  }
  value *arr = opa_array_with_cap((u32)n);
  if (x <= y) for (i64 i = x; i <= y; i += step) { opa_array_append(arr, opa_number_int(i)); if (i > y - step) break; }
  else for (i64 i = x; i >= y; i -= step) { opa_array_append(arr, opa_number_int(i)); if (i < y + step) break; }
  return arr;
}
BI_NAMED(numbers_range, "numbers.range")(value *a, value *b) { return range(a, b, 1, "numbers.range"); }
BI_NAMED(numbers_range_step, "numbers.range_step")(value *a, value *b, value *s) {
  i64 st;
  if (s->type == T_NUM && !rt_num_to_i64(s, &st)) {
    /* an integral step beyond int64 still yields the first element */
    dec d; dec_from_value(s, &d);
    if (d.n && !d.neg && d.exp >= (i32)d.n) st = 0x7fffffffffffffffLL;
    else return rt_fail_type("numbers.range_step", "operand 3 must be integer number but got floating-point number");
  } else if (!rt_need_int(s, "numbers.range_step", 3, &st)) return NULL;
  if (st <= 0) return rt_fail_builtin("numbers.range_step", "step must be a positive integer");
  return range(a, b, st, "numbers.range_step");
}

BI_NAMED(bits_and, "bits.and")(value *a, value *b) { NEED_INT(x, a, "bits.and", 1); NEED_INT(y, b, "bits.and", 2); return opa_number_int(x & y); }
BI_NAMED(bits_or, "bits.or")(value *a, value *b) { NEED_INT(x, a, "bits.or", 1); NEED_INT(y, b, "bits.or", 2); return opa_number_int(x | y); }
BI_NAMED(bits_xor, "bits.xor")(value *a, value *b) { NEED_INT(x, a, "bits.xor", 1); NEED_INT(y, b, "bits.xor", 2); return opa_number_int(x ^ y); }
BI_NAMED(bits_negate, "bits.negate")(value *a) { NEED_INT(x, a, "bits.negate", 1); return opa_number_int(~x); }
BI_NAMED(bits_lsh, "bits.lsh")(value *a, value *b) {
  NEED_INT(x, a, "bits.lsh", 1);
  NEED_INT(s, b, "bits.lsh", 2);
  if (s < 0) return rt_fail_type("bits.lsh", "operand 2 must be unsigned integer number but got negative integer");
  if (s >= 63 || (x != 0 && (x > ((i64)1 << (62 - s)) || x < -((i64)1 << (62 - s))))) {
    dec p, q, r; dec_from_value(a, &p);
    value *pw = opa_number_int(1);
    dec t; dec_from_value(pw, &t);
    dec two; dec_from_value(opa_number_int(2), &two);
    for (i64 i = 0; i < s; i++) { dec_mul(&t, &two, &r); t = r; }
    dec_mul(&p, &t, &q);
    return dec_to_value(&q);
  }
  return opa_number_int(x << s);
}
BI_NAMED(bits_rsh, "bits.rsh")(value *a, value *b) {
  NEED_INT(x, a, "bits.rsh", 1);
  NEED_INT(s, b, "bits.rsh", 2);
  if (s < 0) return rt_fail_type("bits.rsh", "operand 2 must be unsigned integer number but got negative integer");
  return opa_number_int(s >= 63 ? (x < 0 ? -1 : 0) : x >> s);
}

/* to_number: numbers, booleans, null and numeric strings. */
BI(to_number)(value *a) {
  switch (a->type) {
  case T_NULL: return opa_number_int(0);
  case T_BOOL: return opa_number_int(((vbool *)a)->b);
  case T_NUM: return a;
  case T_STR: {
    vstr *s = (vstr *)a;
    char *copy = rt_malloc(s->len + 1);
    rt_memcpy(copy, s->s, s->len);
    value *v = s->len ? rt_json_parse(copy, s->len) : NULL;
    if (!v || v->type != T_NUM) {
      /* Go's ParseFloat also accepts a leading '+' and forms like "1." or ".5" */
      return rt_fail_type("to_number", "operand 1 must be a number string");
    }
    return v;
  }
  default:
    return rt_fail_type("to_number", "operand 1 must be one of {null, boolean, number, string}");
  }
}
