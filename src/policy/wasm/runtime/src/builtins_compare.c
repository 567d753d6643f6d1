/* equal, neq, lt, gt, lte, gte over OPA's total order. */
#include "builtins.h"

BI(equal)(value *a, value *b) { return opa_boolean(rt_equal(a, b)); }
BI(neq)(value *a, value *b) { return opa_boolean(!rt_equal(a, b)); }
BI(lt)(value *a, value *b) { return opa_boolean(opa_value_compare(a, b) < 0); }
BI(gt)(value *a, value *b) { return opa_boolean(opa_value_compare(a, b) > 0); }
BI(lte)(value *a, value *b) { return opa_boolean(opa_value_compare(a, b) <= 0); }
BI(gte)(value *a, value *b) { return opa_boolean(opa_value_compare(a, b) >= 0); }
