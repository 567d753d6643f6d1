/* Rego term text (OPA's ast.Term.String) and the builtins that print values:
 * internal.template_string (string interpolation). Native so that sets, which
 * cross the host boundary as arrays, print as sets. */
#include "builtins.h"

static void write_quoted(buf *b, vstr *s) { rt_json_write(b, (value *)s); }

void rt_rego_text(buf *b, value *v) {
  switch (v->type) {
  case T_ARR: {
    varr *a = (varr *)v; buf_putc(b, '[');
    for (u32 i = 0; i < a->len; i++) { if (i) buf_puts(b, ", "); rt_rego_text(b, a->elems[i]); }
    buf_putc(b, ']');
    return;
  }
  case T_SET: {
    vobj *o = (vobj *)v; entry **ord = rt_obj_sorted(o);
    if (!o->len) { buf_puts(b, "set()"); return; }
    buf_putc(b, '{');
    for (u32 i = 0; i < o->len; i++) { if (i) buf_puts(b, ", "); rt_rego_text(b, ord[i]->key); }
    buf_putc(b, '}');
    return;
  }
  case T_OBJ: {
    vobj *o = (vobj *)v; entry **ord = rt_obj_sorted(o); buf_putc(b, '{');
    for (u32 i = 0; i < o->len; i++) {
      if (i) buf_puts(b, ", ");
      rt_rego_text(b, ord[i]->key); buf_puts(b, ": "); rt_rego_text(b, ord[i]->val);
    }
    buf_putc(b, '}');
    return;
  }
  case T_STR: write_quoted(b, (vstr *)v); return;
  default: rt_json_write(b, v); return;
  }
}

static void part_text(buf *b, value *v) {
  if (v->type == T_STR) buf_put(b, ((vstr *)v)->s, ((vstr *)v)->len);
  else rt_rego_text(b, v);
}

/* Parts: literal strings, or the set of an {expression}'s values (empty = undefined). */
BI_NAMED(internal_template_string, "internal.template_string")(value *parts) {
  NEED(parts, T_ARR, "internal.template_string", 1);
  varr *a = (varr *)parts; buf b; buf_init(&b, 64);
  for (u32 i = 0; i < a->len; i++) {
    value *p = a->elems[i];
    if (p->type == T_SET) {
      vobj *o = (vobj *)p;
      if (o->len == 0) buf_puts(&b, "<undefined>");
      else if (o->len > 1) rt_abort("eval_conflict_error: template-strings must not produce multiple outputs");
      else part_text(&b, o->order[0]->key);
    } else part_text(&b, p);
  }
  return rt_str_of(&b);
}

/* walk: every [path, value] pair below v, pre-order, children in OPA order. */
static void walk(value *v, value **path, u32 depth, value *out) {
  value *p = opa_array_with_cap(depth);
  for (u32 i = 0; i < depth; i++) opa_array_append(p, path[i]);
  value *pair = opa_array_with_cap(2);
  opa_array_append(pair, p); opa_array_append(pair, v);
  opa_array_append(out, pair);
  if (v->type != T_ARR && v->type != T_OBJ && v->type != T_SET) return;
  u32 n = opa_value_length(v);
  value **next = rt_malloc((depth + 1) * sizeof(value *));
  for (u32 i = 0; i < depth; i++) next[i] = path[i];
  for (u32 i = 0; i < n; i++) {
    next[depth] = rt_iter_key(v, i);
    walk(rt_iter_val(v, i), next, depth + 1, out);
  }
}
BI(walk)(value *v) {
  value *out = opa_array_with_cap(16);
  walk(v, NULL, 0, out);
  return out;
}
