/* is_* and type_name. */
#include "builtins.h"

BI(is_number)(value *a) { return opa_boolean(a->type == T_NUM); }
BI(is_string)(value *a) { return opa_boolean(a->type == T_STR); }
BI(is_boolean)(value *a) { return opa_boolean(a->type == T_BOOL); }
BI(is_array)(value *a) { return opa_boolean(a->type == T_ARR); }
BI(is_set)(value *a) { return opa_boolean(a->type == T_SET); }
BI(is_object)(value *a) { return opa_boolean(a->type == T_OBJ); }
BI(is_null)(value *a) { return opa_boolean(a->type == T_NULL); }
BI(type_name)(value *a) { return opa_string_cstr(rt_type_name(a)); }

/* json.is_valid: native because the SDK's own version (which would take precedence over any
 * custom builtin) is undefined, not false, for non-string operands. */
BI_NAMED(json_is_valid, "json.is_valid")(value *a) {
  if (a->type != T_STR) return opa_boolean(0);
  vstr *s = (vstr *)a;
  char *copy = rt_malloc(s->len + 1); /* the parser unescapes in place */
  rt_memcpy(copy, s->s, s->len);
  return opa_boolean(rt_json_parse(copy, s->len) != NULL);
}

/* Guards run before a host builtin: they answer the calls whose result does not need the
 * host (NULL = ask the host). Used for builtins the SDK implements itself, which a custom
 * builtin cannot replace. Exported as "opa_guard_<OPA builtin name>". */
__attribute__((export_name("opa_guard_yaml.is_valid"))) value *opa_guard_yaml_is_valid(value *a) {
  return a->type == T_STR ? NULL : opa_boolean(0);
}
