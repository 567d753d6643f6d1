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
