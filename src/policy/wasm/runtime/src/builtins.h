/* Helpers shared by the in-module builtins. Each builtin is exported as
 * "opa_bi_<OPA builtin name>" (dots included); the code generator reads that list.
 * A builtin returns NULL for undefined. */
#ifndef CREDGOV_BUILTINS_H
#define CREDGOV_BUILTINS_H
#include "runtime.h"

#define BI(name) EXPORT(opa_bi_##name) value *opa_bi_##name
/* for OPA names with dots, which C identifiers cannot carry */
#define BI_NAMED(cname, opaname) __attribute__((export_name("opa_bi_" opaname))) value *opa_bi_##cname

/* Builtin errors: with strict builtin errors the evaluation aborts with OPA's
 * error code; otherwise (OPA's default) the call is undefined. The check
 * helpers return 0 after a failure and the NEED* macros return NULL. */
extern int rt_strict_builtin_errors;
const char *rt_type_name(value *v);
int rt_need(value *v, int type, const char *bi, int operand);
int rt_need_int(value *v, const char *bi, int operand, i64 *out);
value *rt_fail_type(const char *bi, const char *msg);
value *rt_fail_builtin(const char *bi, const char *msg);
value *rt_str_of(buf *b);
#define NEED(v, t, bi, op) do { if (!rt_need((v), (t), (bi), (op))) return NULL; } while (0)
#define NEED_INT(var, v, bi, op) i64 var; if (!rt_need_int((v), (bi), (op), &var)) return NULL
#endif
