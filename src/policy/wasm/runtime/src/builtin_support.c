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

static void operand_error(const char *bi, int operand, const char *want, value *got) {
  buf b; buf_init(&b, 64);
  buf_puts(&b, "operand "); buf_put_i64(&b, operand); buf_puts(&b, " must be "); buf_puts(&b, want);
  buf_puts(&b, " but got "); buf_puts(&b, rt_type_name(got));
  rt_type_error(bi, buf_cstr(&b));
}

void rt_need(value *v, int type, const char *bi, int operand) {
  if (v->type != type) operand_error(bi, operand, type_word(type), v);
}

void rt_need_coll(value *v, const char *bi, int operand) {
  if (v->type != T_ARR && v->type != T_SET && v->type != T_OBJ) operand_error(bi, operand, "one of {array, object, set}", v);
}

i64 rt_need_int(value *v, const char *bi, int operand) {
  rt_need(v, T_NUM, bi, operand);
  i64 i;
  if (!rt_num_to_i64(v, &i)) {
    buf b; buf_init(&b, 64);
    buf_puts(&b, "operand "); buf_put_i64(&b, operand); buf_puts(&b, " must be integer number but got floating-point number");
    rt_type_error(bi, buf_cstr(&b));
  }
  return i;
}

void rt_builtin_error(const char *bi, const char *msg) {
  buf b; buf_init(&b, 64);
  buf_puts(&b, "eval_builtin_error: "); buf_puts(&b, bi); buf_puts(&b, ": "); buf_puts(&b, msg);
  rt_abort(buf_cstr(&b));
}

value *rt_str_of(buf *b) { return opa_string(b->p, b->len); }
