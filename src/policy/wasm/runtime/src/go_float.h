/* A number as the float64 OPA hands Go's fmt (go_float.c). */
#ifndef CREDGOV_GO_FLOAT_H
#define CREDGOV_GO_FLOAT_H
#include "runtime.h"

typedef struct {
  int neg;
  /* the double's magnitude as IEEE 754 bits (0: zero) */
  u64 bits;
  /* its exact decimal value, without the sign */
  dec exact;
} go_float;

/* The double nearest x; 0 when x is beyond the largest double (Go's ParseFloat gives +-Inf and
 * an error, and OPA then hands fmt the number's text). */
int go_float_of(dec *x, go_float *out);
/* The shortest decimal that reads back as the double (strconv's 'g' with precision -1). */
void go_float_shortest(go_float *f, dec *r);
/* a rounded half to even to its first `keep` digits (0.d1d2... * 10^exp keeps its exp). */
void go_round_digits(dec *a, i32 keep, dec *r);

#endif
