/* Evaluation context for the slow-path ABI and helpers for the fast path.
 * The plan dispatch itself (eval, opa_eval) is generated per policy. */
#include "runtime.h"

typedef struct { value *input, *data, *result; i32 entrypoint; } eval_ctx;

EXPORT(opa_eval_ctx_new) eval_ctx *opa_eval_ctx_new(void) {
  eval_ctx *c = rt_malloc(sizeof(eval_ctx));
  c->input = NULL; c->data = NULL; c->result = NULL; c->entrypoint = 0;
  return c;
}
EXPORT(opa_eval_ctx_set_input) void opa_eval_ctx_set_input(eval_ctx *c, value *v) { c->input = v; }
EXPORT(opa_eval_ctx_set_data) void opa_eval_ctx_set_data(eval_ctx *c, value *v) { c->data = v; }
EXPORT(opa_eval_ctx_set_entrypoint) void opa_eval_ctx_set_entrypoint(eval_ctx *c, i32 e) { c->entrypoint = e; }
EXPORT(opa_eval_ctx_get_result) value *opa_eval_ctx_get_result(eval_ctx *c) { return c->result; }
EXPORT(rt_ctx_input) value *rt_ctx_input(eval_ctx *c) { return c->input; }
EXPORT(rt_ctx_data) value *rt_ctx_data(eval_ctx *c) { return c->data; }
EXPORT(rt_ctx_entrypoint) i32 rt_ctx_entrypoint(eval_ctx *c) { return c->entrypoint; }
EXPORT(rt_ctx_set_result) void rt_ctx_set_result(eval_ctx *c, value *rs) { c->result = rs; }

void opa_heap_ptr_set(u32 p);

/* ABI 1.2 fast path: the SDK wrote the input text at input_addr and expects
 * every allocation to start at heap_ptr. */
EXPORT(rt_fast_input) value *rt_fast_input(char *input_addr, u32 input_len, u32 heap_ptr) {
  opa_heap_ptr_set(heap_ptr);
  if (!input_addr) return NULL;
  value *v = rt_json_parse(input_addr, input_len);
  if (!v) rt_abort("invalid input: not a JSON document");
  return v;
}

/* Parses a constant JSON text embedded in the module (builtins(), entrypoints()). */
EXPORT(rt_json_parse_const) value *rt_json_parse_const(const char *s, u32 len) {
  char *copy = rt_malloc(len);
  rt_memcpy(copy, s, len);
  return rt_json_parse(copy, len);
}
