/* The SDK's host builtin dispatchers (opa_builtin0..4). They are imported by the runtime
 * itself so that the code generator calls them by name and never adds an import: a new
 * import would renumber every runtime function. The wrappers keep the imports referenced. */
#include "runtime.h"

IMPORT(opa_builtin0) value *opa_builtin0(int id, void *ctx);
IMPORT(opa_builtin1) value *opa_builtin1(int id, void *ctx, value *a);
IMPORT(opa_builtin2) value *opa_builtin2(int id, void *ctx, value *a, value *b);
IMPORT(opa_builtin3) value *opa_builtin3(int id, void *ctx, value *a, value *b, value *c);
IMPORT(opa_builtin4) value *opa_builtin4(int id, void *ctx, value *a, value *b, value *c, value *d);

EXPORT(rt_host_call0) value *rt_host_call0(int id) { return opa_builtin0(id, 0); }
EXPORT(rt_host_call1) value *rt_host_call1(int id, value *a) { return opa_builtin1(id, 0, a); }
EXPORT(rt_host_call2) value *rt_host_call2(int id, value *a, value *b) { return opa_builtin2(id, 0, a, b); }
EXPORT(rt_host_call3) value *rt_host_call3(int id, value *a, value *b, value *c) { return opa_builtin3(id, 0, a, b, c); }
EXPORT(rt_host_call4) value *rt_host_call4(int id, value *a, value *b, value *c, value *d) {
  return opa_builtin4(id, 0, a, b, c, d);
}
