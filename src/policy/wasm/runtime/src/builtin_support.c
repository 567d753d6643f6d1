/* Argument checks shared by the builtins; messages follow OPA's wording. */
#include "builtins.h"

const char *rt_type_name(value *v) {
  switch (v->type) {
  case T_NULL: return "null";
  case T_BOOL: return "boolean";
  case T_NUM: return "number";
  case T_STR: return "string";
  case T_ARR: return "array";
  case T_OBJ: return "object";
  default: return "set";
  }
}

static const char *type_word(int t) {
  value v = {(u8)t};
  return rt_type_name(&v);
}

int rt_strict_builtin_errors = 0;
EXPORT(rt_set_strict_builtin_errors) void rt_set_strict_builtin_errors(int on) { rt_strict_builtin_errors = on; }

value *rt_fail_type(const char *bi, const char *msg) {
  if (rt_strict_builtin_errors) rt_type_error(bi, msg);
  return NULL;
}

value *rt_fail_builtin(const char *bi, const char *msg) {
  if (!rt_strict_builtin_errors) return NULL;
  buf b; buf_init(&b, 64);
  buf_puts(&b, "eval_builtin_error: "); buf_puts(&b, bi); buf_puts(&b, ": "); buf_puts(&b, msg);
  rt_abort(buf_cstr(&b));
}

static int operand_error(const char *bi, int operand, const char *want, value *got) {
  if (!rt_strict_builtin_errors) return 0;
  buf b; buf_init(&b, 64);
  buf_puts(&b, "operand "); buf_put_i64(&b, operand); buf_puts(&b, " must be "); buf_puts(&b, want);
  buf_puts(&b, " but got "); buf_puts(&b, rt_type_name(got));
  rt_type_error(bi, buf_cstr(&b));
}

int rt_need(value *v, int type, const char *bi, int operand) {
  return v->type == type ? 1 : operand_error(bi, operand, type_word(type), v);
}

int rt_need_int(value *v, const char *bi, int operand, i64 *out) {
  if (!rt_need(v, T_NUM, bi, operand)) return 0;
  if (rt_num_to_i64(v, out)) return 1;
  if (!rt_strict_builtin_errors) return 0;
  buf b; buf_init(&b, 64);
  buf_puts(&b, "operand "); buf_put_i64(&b, operand); buf_puts(&b, " must be integer number but got floating-point number");
  rt_type_error(bi, buf_cstr(&b));
}

value *rt_str_of(buf *b) { return opa_string(b->p, b->len); }
