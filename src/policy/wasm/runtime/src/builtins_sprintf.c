/* sprintf with Go's fmt verbs as OPA uses them. Native because values reach host
 * builtins as JSON: sets would arrive as arrays and big numbers lose precision. */
#include "builtins.h"
#include "go_float.h"

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

/* Go's fmtInteger: a precision is the least number of digits (%.4d of 1 is 0001; %.0d of 0 is
 * nothing); without one, the 0 flag pads the digits to the width instead; then the base prefix
 * of # and the sign (+ or space flags). The width is padded with spaces by the caller. */
static void put_go_int(buf *b, i64 v, u32 base, int upper, spec *sp) {
  char tmp[70]; int n = 0;
  u64 u = v < 0 ? (u64)0 - (u64)v : (u64)v;
  int sign = v < 0 || sp->plus || sp->space;
  i32 prec = 1;
  if (sp->prec >= 0) {
    prec = sp->prec;
    if (prec == 0 && u == 0) return;
  } else if (sp->zero && !sp->minus && sp->width > 0) {
    prec = sp->width - (sign ? 1 : 0);
  }
  while (u) { tmp[n++] = (upper ? DIGITS_U : DIGITS_L)[u % base]; u /= base; }
  while (n < prec && n < (int)sizeof tmp - 2) tmp[n++] = '0';
  if (sp->sharp) {
    if (base == 8 && tmp[n - 1] != '0') tmp[n++] = '0';
    else if (base == 16 || base == 2) { tmp[n++] = base == 2 ? 'b' : upper ? 'X' : 'x'; tmp[n++] = '0'; }
  }
  if (v < 0) buf_putc(b, '-'); else if (sp->plus) buf_putc(b, '+'); else if (sp->space) buf_putc(b, ' ');
  while (n) buf_putc(b, tmp[--n]);
}

/* Go's %q of an integer: strconv.QuoteRune of it as a rune (U+FFFD past U+10FFFF, below 0 and
 * for surrogates), e.g. '\x01', 'A', '\u00ad'. Printable is Go's strconv.IsPrint, approximated
 * from U+00A1 on as every code point but U+00AD, the surrogates and U+FFFE/U+FFFF. */
static void put_go_quoted_rune(buf *b, i64 v) {
  u32 r = v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : (u32)v;
  buf_putc(b, '\'');
  const char *esc = r == '\a' ? "\\a" : r == '\b' ? "\\b" : r == '\f' ? "\\f" : r == '\n' ? "\\n" : r == '\r' ? "\\r"
                  : r == '\t' ? "\\t" : r == '\v' ? "\\v" : r == '\'' ? "\\'" : r == '\\' ? "\\\\" : 0;
  int printable = (r >= 0x20 && r < 0x7F) || (r >= 0xA1 && r != 0xAD && r != 0xFFFE && r != 0xFFFF);
  if (esc) buf_puts(b, esc);
  else if (printable) buf_put_utf8(b, r);
  else {
    int digits = r < 0x20 || r == 0x7F ? 2 : r < 0x10000 ? 4 : 8;
    buf_putc(b, '\\'); buf_putc(b, digits == 2 ? 'x' : digits == 4 ? 'u' : 'U');
    for (int k = digits - 1; k >= 0; k--) buf_putc(b, DIGITS_L[(r >> (4 * k)) & 15]);
  }
  buf_putc(b, '\'');
}

/* r (0.d1d2... * 10^exp) with `frac` fraction digits, as strconv's %f writes a rounded decimal */
static void put_fixed(buf *b, dec *r, i32 frac) {
  if (r->exp <= 0) buf_putc(b, '0');
  for (i32 k = 0; k < r->exp; k++) buf_putc(b, (char)('0' + (k < (i32)r->n ? r->d[k] : 0)));
  if (frac > 0) {
    buf_putc(b, '.');
    for (i32 k = 0; k < frac; k++) {
      i32 at = r->exp + k;
      buf_putc(b, (char)('0' + (at >= 0 && at < (i32)r->n ? r->d[at] : 0)));
    }
  }
}

/* r as d.ddde+XX with `frac` digits after the point (strconv's %e: at least two exponent digits) */
static void put_exponent(buf *b, dec *r, i32 frac, char e) {
  buf_putc(b, (char)('0' + (r->n ? r->d[0] : 0)));
  if (frac > 0) {
    buf_putc(b, '.');
    for (i32 k = 1; k <= frac; k++) buf_putc(b, (char)('0' + (k < (i32)r->n ? r->d[k] : 0)));
  }
  i32 x = r->n ? r->exp - 1 : 0;
  buf_putc(b, e); buf_putc(b, x < 0 ? '-' : '+');
  if (x < 0) x = -x;
  if (x < 10) buf_putc(b, '0');
  buf_put_i64(b, x);
}

/* The double f with a float verb, as Go's fmt prints a float64 (strconv.AppendFloat): %e and %f
 * round its exact value half to even (default precision 6); %g with a precision rounds to that
 * many digits; %v and %g without one take the shortest digits that read back as the double. */
static void put_go_float(buf *b, go_float *f, char verb, i32 prec, int plus) {
  if (f->neg && f->bits) buf_putc(b, '-');
  else if (plus) buf_putc(b, '+');
  dec r;
  char e = (verb == 'E' || verb == 'G') ? 'E' : 'e';
  if (verb == 'f' || verb == 'F') {
    if (prec < 0) prec = 6;
    go_round_digits(&f->exact, f->exact.exp + prec, &r);
    put_fixed(b, &r, prec);
    return;
  }
  if (verb == 'e' || verb == 'E') {
    if (prec < 0) prec = 6;
    go_round_digits(&f->exact, prec + 1, &r);
    put_exponent(b, &r, prec, e);
    return;
  }
  /* g, G, v */
  i32 eprec;
  int shortest = prec < 0;
  if (shortest) {
    go_float_shortest(f, &r);
    prec = (i32)r.n;
    eprec = 6;
  } else {
    if (prec == 0) prec = 1;
    go_round_digits(&f->exact, prec, &r);
    eprec = prec;
    if (eprec > (i32)r.n && (i32)r.n >= r.exp) eprec = (i32)r.n;
  }
  i32 x = r.n ? r.exp - 1 : 0;
  if (x < -4 || x >= eprec) {
    if (prec > (i32)r.n) prec = (i32)r.n;
    put_exponent(b, &r, prec > 0 ? prec - 1 : 0, e);
    return;
  }
  if (prec > r.exp) prec = (i32)r.n;
  put_fixed(b, &r, prec - r.exp > 0 ? prec - r.exp : 0);
}

/* The Go type OPA hands fmt.Sprintf for a value (topdown/strings.go): int64 for an integer
 * written without fraction or exponent, *big.Int for one beyond int64, float64 for any other
 * number, and a string for everything else (a non-string value as its Rego text). */
typedef enum { GO_INT, GO_FLOAT, GO_BIG, GO_STRING } go_kind;

static go_kind go_kind_of(value *v, go_float *f) {
  if (v->type != T_NUM) return GO_STRING;
  vnum *x = (vnum *)v;
  if (x->is_int) return GO_INT;
  for (u32 k = 0; k < x->len; k++) {
    if (x->s[k] == '.' || x->s[k] == 'e' || x->s[k] == 'E') {
      dec d; dec_from_value(v, &d);
      /* beyond the largest double Float64() fails, and OPA hands fmt the number's text */
      return go_float_of(&d, f) ? GO_FLOAT : GO_STRING;
    }
  }
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
static void bad_verb(buf *b, value *v, go_kind k, go_float *f, char verb) {
  static const char *names[] = { "int64", "float64", "big.Int", "string" };
  buf_puts(b, "%!"); buf_putc(b, verb); buf_putc(b, '(');
  buf_puts(b, names[k]); buf_putc(b, '=');
  if (v->type == T_STR) buf_put(b, ((vstr *)v)->s, ((vstr *)v)->len);
  else if (k == GO_FLOAT) put_go_float(b, f, 'v', -1, 0);
  else if (v->type == T_NUM) rt_num_write(b, v);
  else rt_rego_text(b, v);
  buf_putc(b, ')');
}

static void verb_value(buf *b, value *v, char verb, spec *sp) {
  go_float f;
  go_kind kind = go_kind_of(v, &f);
  if (!go_verb_ok(kind, verb)) { bad_verb(b, v, kind, &f, verb); return; }
  buf t; buf_init(&t, 32);
  int numeric = 0;
  switch (verb) {
  case 'd': case 'x': case 'X': case 'o': case 'b': {
    i64 i;
    if (v->type == T_NUM && rt_num_to_i64(v, &i)) {
      u32 base = verb == 'd' ? 10 : verb == 'o' ? 8 : verb == 'b' ? 2 : 16;
      put_go_int(&t, i, base, verb == 'X', sp); /* zero padding done: the width pads with spaces */
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
      bad_verb(&t, v, kind, &f, verb);
    }
    break;
  }
  case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
    /* an int takes them as a float64 too (the runtime stores 5.0 as the int 5) */
    if (kind == GO_INT) { dec d; dec_from_value(v, &d); go_float_of(&d, &f); }
    put_go_float(&t, &f, verb, sp->prec, sp->plus);
    numeric = 1;
    break;
  case 'q': {
    i64 i;
    if (v->type == T_NUM && rt_num_to_i64(v, &i)) put_go_quoted_rune(&t, i);
    else if (v->type == T_NUM) rt_num_write(&t, v);
    else if (v->type == T_STR) rt_json_write(&t, v);
    else { /* the Rego text, quoted as the Go string it is */
      buf txt; buf_init(&txt, 32); rt_rego_text(&txt, v);
      value *s = rt_str_of(&txt);
      rt_json_write(&t, s);
    }
    break;
  }
  default: /* v, s */
    if (v->type == T_STR) buf_put(&t, ((vstr *)v)->s, ((vstr *)v)->len);
    else if (kind == GO_FLOAT) { put_go_float(&t, &f, 'v', sp->prec, sp->plus); numeric = 1; }
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
