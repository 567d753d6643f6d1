/* json.marshal and json.unmarshal. marshal is Go's json.Marshal of the value: the runtime's
 * dump (sorted keys, sets as arrays, exact numbers) with Go's extra escapes (<, >, &, U+2028,
 * U+2029, and \b \f short forms). unmarshal parses a copy of the text, because the parser
 * works in place and the result's strings point into it. */
#include "builtins.h"

BI_NAMED(json_marshal, "json.marshal")(value *v) {
  buf d; buf_init(&d, 256); rt_json_write(&d, v);
  buf b; buf_init(&b, d.len + 16);
  for (u32 i = 0; i < d.len; i++) {
    char c = d.p[i];
    if (c == '\\') { /* an escape from the dump: copy it whole, rewriting \u0008 and \u000c */
      if (i + 5 < d.len && d.p[i + 1] == 'u' && d.p[i + 2] == '0' && d.p[i + 3] == '0' && d.p[i + 4] == '0' &&
          (d.p[i + 5] == '8' || d.p[i + 5] == 'c')) {
        buf_puts(&b, d.p[i + 5] == '8' ? "\\b" : "\\f"); i += 5;
      } else { buf_putc(&b, c); buf_putc(&b, d.p[++i]); }
    } else if (c == '<') buf_puts(&b, "\\u003c");
    else if (c == '>') buf_puts(&b, "\\u003e");
    else if (c == '&') buf_puts(&b, "\\u0026");
    else if ((u8)c == 0xE2 && i + 2 < d.len && (u8)d.p[i + 1] == 0x80 && ((u8)d.p[i + 2] == 0xA8 || (u8)d.p[i + 2] == 0xA9)) {
      buf_puts(&b, (u8)d.p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"); i += 2;
    } else buf_putc(&b, c);
  }
  return rt_str_of(&b);
}

BI_NAMED(json_unmarshal, "json.unmarshal")(value *a) {
  NEED(a, T_STR, "json.unmarshal", 1);
  vstr *s = (vstr *)a;
  char *copy = rt_malloc(s->len + 1);
  rt_memcpy(copy, s->s, s->len);
  copy[s->len] = 0;
  value *v = rt_json_parse(copy, s->len);
  if (!v) return rt_fail_builtin("json.unmarshal", "invalid JSON");
  return v;
}
