/* sprintf with Go's fmt verbs as OPA uses them. Native because values reach host
 * builtins as JSON: sets would arrive as arrays and big numbers lose precision. */
#include "builtins.h"

static const char DIGITS_L[] = "0123456789abcdef", DIGITS_U[] = "0123456789ABCDEF";

typedef struct { int minus, plus, zero, space, sharp; i32 width, prec; } spec;

static void pad(buf *out, const char *s, u32 n, spec *sp, int numeric) {
  i32 fill = sp->width > (i32)n ? sp->width - (i32)n : 0;
  if (sp->minus) { buf_put(out, s, n); while (fill--) buf_putc(out, ' '); return; }
  if (sp->zero && numeric) {
    u32 sign = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    buf_put(out, s, sign);
    while (fill--) buf_putc(out, '0');
    buf_put(out, s + sign, n - sign);
    return;
  }
  while (fill--) buf_putc(out, ' ');
  buf_put(out, s, n);
}

static void int_base(buf *b, i64 v, u32 base, int upper) {
  char tmp[70]; int n = 0;
  u64 u = v < 0 ? (u64)0 - (u64)v : (u64)v;
  do { tmp[n++] = (upper ? DIGITS_U : DIGITS_L)[u % base]; u /= base; } while (u);
  if (v < 0) buf_putc(b, '-');
  while (n) buf_putc(b, tmp[--n]);
}

/* decimal text of v rounded to prec fraction digits (half away from zero) */
static void fixed(buf *b, value *v, i32 prec) {
  dec d; dec_from_value(v, &d);
  dec scaled = d; scaled.exp += prec;
  dec r; dec_round(&scaled, 0, &r);
  /* r = v * 10^prec as an integer; its digits, left-padded to at least prec+1 */
  u32 n = r.n ? (u32)r.exp : 0;
  u32 total = n > (u32)prec ? n : (u32)prec + 1;
  char *digits = rt_malloc(total);
  for (u32 k = 0; k < total; k++) {
    i32 at = (i32)k - (i32)(total - n); /* index into r's digits */
    digits[k] = (char)('0' + (at >= 0 && at < (i32)r.n ? r.d[at] : 0));
  }
  if (r.neg) buf_putc(b, '-');
  buf_put(b, digits, total - (u32)prec);
  if (prec > 0) { buf_putc(b, '.'); buf_put(b, digits + total - (u32)prec, (u32)prec); }
}

/* The Go type OPA hands fmt.Sprintf for a value (topdown/strings.go): int64 for an integer
 * written without fraction or exponent, *big.Int for one beyond int64, float64 for any other
 * number, and a string for everything else (a non-string value as its Rego text). */
typedef enum { GO_INT, GO_FLOAT, GO_BIG, GO_STRING } go_kind;

static go_kind go_kind_of(value *v) {
  if (v->type != T_NUM) return GO_STRING;
  vnum *x = (vnum *)v;
  if (x->is_int) return GO_INT;
  for (u32 k = 0; k < x->len; k++) if (x->s[k] == '.' || x->s[k] == 'e' || x->s[k] == 'E') return GO_FLOAT;
  return GO_BIG;
}

/* the verbs Go's fmt takes for each type (big.Int formats itself). An int also takes the float
 * verbs here: the runtime stores 5.0 as the int 5, which OPA would format as a float64. */
static int go_verb_ok(go_kind k, char verb) {
  const char *ok = k == GO_INT ? "bcdoOqxXUveEfFgG" : k == GO_FLOAT ? "beEfFgGxXv" : k == GO_BIG ? "bdoOxXsv" : "vsqxX";
  for (; *ok; ok++) if (*ok == verb) return 1;
  return 0;
}

/* Go's fmt for a verb the argument's type does not take: %!s(int64=54), %!d(string=a) */
static void bad_verb(buf *b, value *v, go_kind k, char verb) {
  static const char *names[] = { "int64", "float64", "big.Int", "string" };
  buf_puts(b, "%!"); buf_putc(b, verb); buf_putc(b, '(');
  buf_puts(b, names[k]); buf_putc(b, '=');
  if (v->type == T_STR) buf_put(b, ((vstr *)v)->s, ((vstr *)v)->len);
  else if (v->type == T_NUM) rt_num_write(b, v);
  else rt_rego_text(b, v);
  buf_putc(b, ')');
}

static void verb_value(buf *b, value *v, char verb, spec *sp) {
  go_kind kind = go_kind_of(v);
  if (!go_verb_ok(kind, verb)) { bad_verb(b, v, kind, verb); return; }
  buf t; buf_init(&t, 32);
  int numeric = 0;
  switch (verb) {
  case 'd': case 'x': case 'X': case 'o': case 'b': {
    i64 i;
    if (v->type == T_NUM && rt_num_to_i64(v, &i)) {
      u32 base = verb == 'd' ? 10 : verb == 'o' ? 8 : verb == 'b' ? 2 : 16;
      if (sp->plus && i >= 0) buf_putc(&t, '+');
      int_base(&t, i, base, verb == 'X');
      numeric = 1;
    } else if (v->type == T_NUM && verb == 'd') {
      rt_num_write(&t, v); numeric = 1; /* beyond int64: Go's big.Int prints all digits */
    } else if (v->type == T_STR && (verb == 'x' || verb == 'X')) {
      vstr *s = (vstr *)v;
      for (u32 k = 0; k < s->len; k++) { u8 c = (u8)s->s[k]; buf_putc(&t, (verb == 'X' ? DIGITS_U : DIGITS_L)[c >> 4]); buf_putc(&t, (verb == 'X' ? DIGITS_U : DIGITS_L)[c & 15]); }
    } else if (v->type != T_NUM && (verb == 'x' || verb == 'X')) {
      /* a non-string value reaches Go as its Rego text: hex of that text */
      buf txt; buf_init(&txt, 32); rt_rego_text(&txt, v);
      for (u32 k = 0; k < txt.len; k++) { u8 c = (u8)txt.p[k]; buf_putc(&t, (verb == 'X' ? DIGITS_U : DIGITS_L)[c >> 4]); buf_putc(&t, (verb == 'X' ? DIGITS_U : DIGITS_L)[c & 15]); }
    } else {
      bad_verb(&t, v, kind, verb);
    }
    break;
  }
  case 'f': case 'F': case 'e': case 'g': case 'G':
    if (verb == 'f' || verb == 'F' || sp->prec >= 0) { if (sp->plus && ((vnum *)v)->is_int ? ((vnum *)v)->i >= 0 : 0) buf_putc(&t, '+'); fixed(&t, v, sp->prec >= 0 ? sp->prec : 6); }
    else rt_num_write(&t, v);
    numeric = 1;
    break;
  case 'q':
    if (v->type == T_NUM) rt_num_write(&t, v);
    else if (v->type == T_STR) rt_json_write(&t, v);
    else { /* the Rego text, quoted as the Go string it is */
      buf txt; buf_init(&txt, 32); rt_rego_text(&txt, v);
      value *s = rt_str_of(&txt);
      rt_json_write(&t, s);
    }
    break;
  default: /* v, s */
    if (v->type == T_STR) buf_put(&t, ((vstr *)v)->s, ((vstr *)v)->len);
    else if (v->type == T_NUM) { rt_num_write(&t, v); numeric = 1; }
    else rt_rego_text(&t, v);
    if ((verb == 's' || verb == 'v') && sp->prec >= 0 && v->type != T_NUM && (u32)sp->prec < t.len) t.len = (u32)sp->prec;
  }
  pad(b, t.p, t.len, sp, numeric);
}

BI(sprintf)(value *f, value *args) {
  NEED(f, T_STR, "sprintf", 1);
  NEED(args, T_ARR, "sprintf", 2);
  vstr *fs = (vstr *)f; varr *a = (varr *)args;
  buf out; buf_init(&out, fs->len + 16);
  u32 next = 0;
  for (u32 i = 0; i < fs->len; i++) {
    char c = fs->s[i];
    if (c != '%') { buf_putc(&out, c); continue; }
    if (++i >= fs->len) { buf_puts(&out, "%!(NOVERB)"); break; }
    spec sp = {0, 0, 0, 0, 0, 0, -1};
    for (;; i++) {
      c = fs->s[i];
      if (c == '-') sp.minus = 1; else if (c == '+') sp.plus = 1; else if (c == '0') sp.zero = 1;
      else if (c == ' ') sp.space = 1; else if (c == '#') sp.sharp = 1; else break;
      if (i + 1 >= fs->len) break;
    }
    while (i < fs->len && fs->s[i] >= '0' && fs->s[i] <= '9') sp.width = sp.width * 10 + (fs->s[i++] - '0');
    if (i < fs->len && fs->s[i] == '.') {
      i++; sp.prec = 0;
      while (i < fs->len && fs->s[i] >= '0' && fs->s[i] <= '9') sp.prec = sp.prec * 10 + (fs->s[i++] - '0');
    }
    if (i >= fs->len) { buf_puts(&out, "%!(NOVERB)"); break; }
    char verb = fs->s[i];
    if (verb == '%') { buf_putc(&out, '%'); continue; }
    if (next >= a->len) { buf_puts(&out, "%!"); buf_putc(&out, verb); buf_puts(&out, "(MISSING)"); continue; }
    verb_value(&out, a->elems[next++], verb, &sp);
  }
  if (next < a->len) {
    buf_puts(&out, "%!(EXTRA ");
    for (u32 k = next; k < a->len; k++) { if (k > next) buf_puts(&out, ", "); rt_rego_text(&out, a->elems[k]); }
    buf_putc(&out, ')');
  }
  return rt_str_of(&out);
}
