/* OPA's total order over values and structural equality. */
#include "runtime.h"

static int cmp_bytes(const char *a, u32 al, const char *b, u32 bl) {
  u32 n = al < bl ? al : bl;
  int c = rt_memcmp(a, b, n);
  if (c) return c;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

EXPORT(opa_value_compare) int opa_value_compare(value *a, value *b) {
  if (a == b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  if (a->type != b->type) return a->type < b->type ? -1 : 1;
  switch (a->type) {
  case T_NULL: return 0;
  case T_BOOL: return (int)((vbool *)a)->b - (int)((vbool *)b)->b;
  case T_NUM: return rt_num_cmp(a, b);
  case T_STR: return cmp_bytes(((vstr *)a)->s, ((vstr *)a)->len, ((vstr *)b)->s, ((vstr *)b)->len);
  case T_ARR: {
    varr *x = (varr *)a, *y = (varr *)b;
    u32 n = x->len < y->len ? x->len : y->len;
    for (u32 i = 0; i < n; i++) { int c = opa_value_compare(x->elems[i], y->elems[i]); if (c) return c; }
    return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
  }
  default: {
    vobj *x = (vobj *)a, *y = (vobj *)b;
    entry **xs = rt_obj_sorted(x), **ys = rt_obj_sorted(y);
    u32 n = x->len < y->len ? x->len : y->len;
    for (u32 i = 0; i < n; i++) {
      int c = opa_value_compare(xs[i]->key, ys[i]->key);
      if (c) return c;
      if (a->type == T_OBJ) { c = opa_value_compare(xs[i]->val, ys[i]->val); if (c) return c; }
    }
    return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
  }
  }
}

/* Equality without sorting: hash lookups for objects and sets. */
int rt_equal(value *a, value *b) {
  if (a == b) return 1;
  if (!a || !b || a->type != b->type) return 0;
  switch (a->type) {
  case T_NULL: return 1;
  case T_BOOL: return ((vbool *)a)->b == ((vbool *)b)->b;
  case T_NUM: {
    vnum *x = (vnum *)a, *y = (vnum *)b;
    if (x->is_int && y->is_int) return x->i == y->i;
    if (x->is_int != y->is_int) return 0; /* canonical form: integral int64 values are always ints */
    return rt_num_cmp(a, b) == 0;
  }
  case T_STR: {
    vstr *x = (vstr *)a, *y = (vstr *)b;
    return x->len == y->len && rt_memcmp(x->s, y->s, x->len) == 0;
  }
  case T_ARR: {
    varr *x = (varr *)a, *y = (varr *)b;
    if (x->len != y->len) return 0;
    for (u32 i = 0; i < x->len; i++) if (!rt_equal(x->elems[i], y->elems[i])) return 0;
    return 1;
  }
  default: {
    vobj *x = (vobj *)a, *y = (vobj *)b;
    if (x->len != y->len) return 0;
    for (u32 i = 0; i < x->len; i++) {
      entry *e = rt_obj_find(y, x->order[i]->key);
      if (!e) return 0;
      if (a->type == T_OBJ && !rt_equal(x->order[i]->val, e->val)) return 0;
    }
    return 1;
  }
  }
}

EXPORT(rt_value_equal) int rt_value_equal(value *a, value *b) { return rt_equal(a, b); }
