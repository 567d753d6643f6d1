/* Sets, arrays, objects and membership. */
#include "builtins.h"

value *rt_set_diff(value *a, value *b) {
  vobj *x = (vobj *)a, *y = (vobj *)b; value *r = opa_set();
  for (u32 i = 0; i < x->len; i++) if (!rt_obj_find(y, x->order[i]->key)) opa_set_add(r, x->order[i]->key);
  return r;
}

static value *set_and(value *a, value *b) {
  vobj *x = (vobj *)a, *y = (vobj *)b; value *r = opa_set();
  if (x->len > y->len) { vobj *t = x; x = y; y = t; }
  for (u32 i = 0; i < x->len; i++) if (rt_obj_find(y, x->order[i]->key)) opa_set_add(r, x->order[i]->key);
  return r;
}
static value *set_or(value *a, value *b) {
  value *r = opa_value_shallow_copy(a); vobj *y = (vobj *)b;
  for (u32 i = 0; i < y->len; i++) opa_set_add(r, y->order[i]->key);
  return r;
}
BI(and)(value *a, value *b) { NEED(a, T_SET, "and", 1); NEED(b, T_SET, "and", 2); return set_and(a, b); }
BI(or)(value *a, value *b) { NEED(a, T_SET, "or", 1); NEED(b, T_SET, "or", 2); return set_or(a, b); }

static int set_of_sets(value *a, const char *bi) {
  if (!rt_need(a, T_SET, bi, 1)) return 0;
  vobj *o = (vobj *)a;
  for (u32 i = 0; i < o->len; i++) if (o->order[i]->key->type != T_SET) return rt_fail_type(bi, "operand 1 must be set[set[any]]") != NULL;
  return 1;
}
BI(intersection)(value *a) {
  if (!set_of_sets(a, "intersection")) return NULL;
  vobj *o = (vobj *)a;
  if (!o->len) return opa_set();
  value *r = o->order[0]->key;
  for (u32 i = 1; i < o->len; i++) r = set_and(r, o->order[i]->key);
  return r == o->order[0]->key ? opa_value_shallow_copy(r) : r;
}
BI(union)(value *a) {
  if (!set_of_sets(a, "union")) return NULL;
  vobj *o = (vobj *)a; value *r = opa_set();
  for (u32 i = 0; i < o->len; i++) r = set_or(r, o->order[i]->key);
  return r;
}

BI_NAMED(array_concat, "array.concat")(value *a, value *b) {
  NEED(a, T_ARR, "array.concat", 1); NEED(b, T_ARR, "array.concat", 2);
  varr *x = (varr *)a, *y = (varr *)b; value *r = opa_array_with_cap(x->len + y->len);
  for (u32 i = 0; i < x->len; i++) opa_array_append(r, x->elems[i]);
  for (u32 i = 0; i < y->len; i++) opa_array_append(r, y->elems[i]);
  return r;
}
BI_NAMED(array_slice, "array.slice")(value *a, value *s, value *e) {
  NEED(a, T_ARR, "array.slice", 1);
  NEED_INT(lo, s, "array.slice", 2);
  NEED_INT(hi, e, "array.slice", 3);
  varr *x = (varr *)a;
  if (lo < 0) lo = 0;
  if (hi > x->len) hi = x->len;
  if (hi < lo) hi = lo;
  value *r = opa_array_with_cap((u32)(hi - lo));
  for (i64 i = lo; i < hi; i++) opa_array_append(r, x->elems[i]);
  return r;
}
BI_NAMED(array_reverse, "array.reverse")(value *a) {
  NEED(a, T_ARR, "array.reverse", 1);
  varr *x = (varr *)a; value *r = opa_array_with_cap(x->len);
  for (u32 i = x->len; i-- > 0;) opa_array_append(r, x->elems[i]);
  return r;
}

BI_NAMED(object_get, "object.get")(value *o, value *k, value *d) {
  NEED(o, T_OBJ, "object.get", 1);
  if (k->type != T_ARR) { value *v = opa_value_get(o, k); return v ? v : d; }
  varr *path = (varr *)k; value *cur = o;
  for (u32 i = 0; i < path->len; i++) {
    if (!cur || (cur->type != T_OBJ && cur->type != T_ARR && cur->type != T_SET)) return d;
    cur = opa_value_get(cur, path->elems[i]);
    if (!cur) return d;
  }
  return cur;
}

BI_NAMED(object_keys, "object.keys")(value *o) {
  NEED(o, T_OBJ, "object.keys", 1);
  vobj *x = (vobj *)o; value *r = opa_set();
  for (u32 i = 0; i < x->len; i++) opa_set_add(r, x->order[i]->key);
  return r;
}

/* The key collection of object.remove / object.filter: array, set or object keys. */
static value *key_set(value *k, const char *bi) {
  value *s = opa_set();
  if (k->type == T_ARR) { varr *a = (varr *)k; for (u32 i = 0; i < a->len; i++) opa_set_add(s, a->elems[i]); return s; }
  if (k->type == T_SET || k->type == T_OBJ) { vobj *o = (vobj *)k; for (u32 i = 0; i < o->len; i++) opa_set_add(s, o->order[i]->key); return s; }
  return rt_fail_type(bi, "operand 2 must be one of {object, array, set}");
}

BI_NAMED(object_remove, "object.remove")(value *o, value *k) {
  NEED(o, T_OBJ, "object.remove", 1);
  value *ks = key_set(k, "object.remove");
  if (!ks) return NULL;
  vobj *x = (vobj *)o; value *r = opa_object();
  for (u32 i = 0; i < x->len; i++) if (!rt_obj_find((vobj *)ks, x->order[i]->key)) opa_object_insert(r, x->order[i]->key, x->order[i]->val);
  return r;
}
BI_NAMED(object_filter, "object.filter")(value *o, value *k) {
  NEED(o, T_OBJ, "object.filter", 1);
  value *ks = key_set(k, "object.filter");
  if (!ks) return NULL;
  vobj *x = (vobj *)o; value *r = opa_object();
  for (u32 i = 0; i < x->len; i++) if (rt_obj_find((vobj *)ks, x->order[i]->key)) opa_object_insert(r, x->order[i]->key, x->order[i]->val);
  return r;
}

/* Recursive union; on conflicts the second operand wins. */
static value *obj_union(value *a, value *b) {
  if (a->type != T_OBJ || b->type != T_OBJ) return b;
  vobj *x = (vobj *)a, *y = (vobj *)b; value *r = opa_object();
  for (u32 i = 0; i < x->len; i++) {
    entry *f = rt_obj_find(y, x->order[i]->key);
    opa_object_insert(r, x->order[i]->key, f ? obj_union(x->order[i]->val, f->val) : x->order[i]->val);
  }
  for (u32 i = 0; i < y->len; i++) if (!rt_obj_find(x, y->order[i]->key)) opa_object_insert(r, y->order[i]->key, y->order[i]->val);
  return r;
}
BI_NAMED(object_union, "object.union")(value *a, value *b) {
  NEED(a, T_OBJ, "object.union", 1); NEED(b, T_OBJ, "object.union", 2);
  return obj_union(a, b);
}
BI_NAMED(object_union_n, "object.union_n")(value *a) {
  NEED(a, T_ARR, "object.union_n", 1);
  varr *x = (varr *)a; value *r = opa_object();
  for (u32 i = 0; i < x->len; i++) { NEED(x->elems[i], T_OBJ, "object.union_n", 1); r = obj_union(r, x->elems[i]); }
  return r;
}

BI_NAMED(internal_member_2, "internal.member_2")(value *x, value *c) {
  switch (c->type) {
  case T_ARR: { varr *a = (varr *)c; for (u32 i = 0; i < a->len; i++) if (rt_equal(a->elems[i], x)) return opa_boolean(1); return opa_boolean(0); }
  case T_SET: return opa_boolean(rt_obj_find((vobj *)c, x) != NULL);
  case T_OBJ: { vobj *o = (vobj *)c; for (u32 i = 0; i < o->len; i++) if (rt_equal(o->order[i]->val, x)) return opa_boolean(1); return opa_boolean(0); }
  default: return opa_boolean(0);
  }
}
BI_NAMED(internal_member_3, "internal.member_3")(value *k, value *v, value *c) {
  if (c->type != T_ARR && c->type != T_OBJ) {
    if (c->type == T_SET) { entry *e = rt_obj_find((vobj *)c, k); return opa_boolean(e && rt_equal(k, v)); }
    return opa_boolean(0);
  }
  value *got = opa_value_get(c, k);
  return opa_boolean(got && rt_equal(got, v));
}
