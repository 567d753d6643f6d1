/* count, sum, product, max, min, sort, all, any. */
#include "builtins.h"

value *opa_bi_plus(value *a, value *b);
value *opa_bi_mul(value *a, value *b);

BI(count)(value *a) {
  if (a->type == T_STR) return opa_number_int(opa_value_length(a));
  if (a->type != T_ARR && a->type != T_SET && a->type != T_OBJ) return rt_fail_type("count", "operand 1 must be one of {array, object, set, string}");
  return opa_number_int(opa_value_length(a));
}

/* Elements of an array or set as a flat list (sets in sorted order). */
static value **elems(value *a, u32 *n, const char *bi) {
  if (a->type == T_ARR) { *n = ((varr *)a)->len; return ((varr *)a)->elems; }
  if (a->type != T_SET) { rt_fail_type(bi, "operand 1 must be one of {array, set}"); return NULL; }
  vobj *o = (vobj *)a; entry **ord = rt_obj_sorted(o);
  value **e = rt_malloc((o->len ? o->len : 1) * sizeof(value *));
  for (u32 i = 0; i < o->len; i++) e[i] = ord[i]->key;
  *n = o->len;
  return e;
}

static value *fold(value *a, const char *bi, int mul) {
  u32 n; value **e = elems(a, &n, bi);
  if (!e) return NULL;
  value *acc = opa_number_int(mul ? 1 : 0);
  for (u32 i = 0; i < n; i++) {
    if (e[i]->type != T_NUM) return rt_fail_type(bi, "operand 1 must be one of {array[number], set[number]}");
    acc = mul ? opa_bi_mul(acc, e[i]) : opa_bi_plus(acc, e[i]);
  }
  return acc;
}
BI(sum)(value *a) { return fold(a, "sum", 0); }
BI(product)(value *a) { return fold(a, "product", 1); }

static value *extreme(value *a, const char *bi, int sign) {
  u32 n; value **e = elems(a, &n, bi);
  if (!e) return NULL;
  if (!n) return NULL;
  value *best = e[0];
  for (u32 i = 1; i < n; i++) if (opa_value_compare(e[i], best) * sign > 0) best = e[i];
  return best;
}
BI(max)(value *a) { return extreme(a, "max", 1); }
BI(min)(value *a) { return extreme(a, "min", -1); }

BI(sort)(value *a) {
  u32 n; value **e = elems(a, &n, "sort");
  if (!e) return NULL;
  value *r = opa_array_with_cap(n);
  if (a->type == T_SET) { for (u32 i = 0; i < n; i++) opa_array_append(r, e[i]); return r; }
  /* stable merge sort on a copy */
  value **x = rt_malloc((n ? n : 1) * sizeof(value *)), **t = rt_malloc((n ? n : 1) * sizeof(value *));
  rt_memcpy(x, e, n * sizeof(value *));
  for (u32 w = 1; w < n; w *= 2) {
    for (u32 lo = 0; lo < n; lo += 2 * w) {
      u32 mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, k = lo;
      while (i < mid && j < hi) t[k++] = opa_value_compare(x[j], x[i]) < 0 ? x[j++] : x[i++];
      while (i < mid) t[k++] = x[i++];
      while (j < hi) t[k++] = x[j++];
    }
    value **s = x; x = t; t = s;
  }
  for (u32 i = 0; i < n; i++) opa_array_append(r, x[i]);
  return r;
}

static value *quant(value *a, const char *bi, int want_all) {
  u32 n; value **e = elems(a, &n, bi);
  if (!e) return NULL;
  for (u32 i = 0; i < n; i++) {
    int t = e[i]->type == T_BOOL && ((vbool *)e[i])->b;
    if (want_all && !t) return opa_boolean(0);
    if (!want_all && t) return opa_boolean(1);
  }
  return opa_boolean(want_all);
}
BI(all)(value *a) { return quant(a, "all", 1); }
BI(any)(value *a) { return quant(a, "any", 0); }
