/* Helpers shared by the in-module builtins. Each builtin is exported as
 * opa_bi_<name with dots as underscores>; it returns NULL for undefined and
 * aborts with an eval_type_error / eval_builtin_error message otherwise. */
#ifndef CREDGOV_BUILTINS_H
#define CREDGOV_BUILTINS_H
#include "runtime.h"

#define BI(name) EXPORT(opa_bi_##name) value *opa_bi_##name

const char *rt_type_name(value *v);
void rt_need(value *v, int type, const char *bi, int operand) ;
void rt_need_coll(value *v, const char *bi, int operand);
i64 rt_need_int(value *v, const char *bi, int operand);
void rt_builtin_error(const char *bi, const char *msg) __attribute__((noreturn));
value *rt_str_of(buf *b);
#endif
