/* Core string builtins. Indexes count Unicode code points, as OPA's do. */
#include "builtins.h"

#define S(v) ((vstr *)(v))

static int has_at(vstr *s, u32 at, vstr *p) { return at + p->len <= s->len && rt_memcmp(s->s + at, p->s, p->len) == 0; }
static i64 find(vstr *s, vstr *p, u32 from) {
  if (p->len == 0) return from;
  for (u32 i = from; i + p->len <= s->len; i++) if (has_at(s, i, p)) return i;
  return -1;
}
static u32 rune_len(u8 c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }
/* byte offset of the rune with the given index (or len if past the end) */
static u32 rune_offset(vstr *s, u32 idx) {
  u32 b = 0;
  while (idx && b < s->len) { b += rune_len((u8)s->s[b]); idx--; }
  return b < s->len ? b : s->len;
}

BI(concat)(value *d, value *c) {
  NEED(d, T_STR, "concat", 1);
  buf b; buf_init(&b, 64);
  if (c->type == T_ARR) {
    varr *a = (varr *)c;
    for (u32 i = 0; i < a->len; i++) {
      if (a->elems[i]->type != T_STR) return rt_fail_type("concat", "operand 2 must be one of {array[string], set[string]}");
      if (i) buf_put(&b, S(d)->s, S(d)->len);
      buf_put(&b, S(a->elems[i])->s, S(a->elems[i])->len);
    }
  } else if (c->type == T_SET) {
    vobj *o = (vobj *)c; entry **ord = rt_obj_sorted(o);
    for (u32 i = 0; i < o->len; i++) {
      value *e = ord[i]->key;
      if (e->type != T_STR) return rt_fail_type("concat", "operand 2 must be one of {array[string], set[string]}");
      if (i) buf_put(&b, S(d)->s, S(d)->len);
      buf_put(&b, S(e)->s, S(e)->len);
    }
  } else return rt_fail_type("concat", "operand 2 must be one of {array[string], set[string]}");
  return rt_str_of(&b);
}

BI(contains)(value *a, value *b) { NEED(a, T_STR, "contains", 1); NEED(b, T_STR, "contains", 2); return opa_boolean(find(S(a), S(b), 0) >= 0); }
BI(startswith)(value *a, value *b) { NEED(a, T_STR, "startswith", 1); NEED(b, T_STR, "startswith", 2); return opa_boolean(has_at(S(a), 0, S(b))); }
BI(endswith)(value *a, value *b) {
  NEED(a, T_STR, "endswith", 1); NEED(b, T_STR, "endswith", 2);
  return opa_boolean(S(b)->len <= S(a)->len && has_at(S(a), S(a)->len - S(b)->len, S(b)));
}

/* Go's simple case mapping (unicode.ToLower / unicode.ToUpper), which OPA's lower() and upper()
 * apply rune by rune: a binary search of the generated ranges. */
#include "case_ranges.h"
static u32 map_rune(u32 c, int upper) {
  if (c < 0x80) {
    if (upper) return c >= 'a' && c <= 'z' ? c - 32 : c;
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }
  u32 lo = 0, hi = sizeof(CASE_RANGES) / sizeof(CASE_RANGES[0]);
  while (lo < hi) {
    u32 mid = (lo + hi) / 2;
    const case_range *r = &CASE_RANGES[mid];
    if (c < r->lo) hi = mid;
    else if (c > r->hi) lo = mid + 1;
    else if (r->dl == CASE_ALTERNATE) return upper ? r->lo + ((c - r->lo) & ~1u) : r->lo + ((c - r->lo) | 1u);
    else return (u32)((i32)c + (upper ? r->du : r->dl));
  }
  return c;
}

static u32 utf8_decode(const char *s, u32 len, u32 *n) {
  u8 c = (u8)s[0];
  u32 k = rune_len(c);
  if (k > len || k == 1) { *n = 1; return c; }
  u32 cp = k == 2 ? (c & 0x1F) : k == 3 ? (c & 0x0F) : (c & 0x07);
  for (u32 i = 1; i < k; i++) {
    u8 t = (u8)s[i];
    if ((t & 0xC0) != 0x80) { *n = 1; return c; }
    cp = (cp << 6) | (t & 0x3F);
  }
  *n = k;
  return cp;
}

void buf_put_utf8(buf *b, u32 cp) {
  if (cp < 0x80) { buf_putc(b, (char)cp); return; }
  if (cp < 0x800) { buf_putc(b, (char)(0xC0 | (cp >> 6))); buf_putc(b, (char)(0x80 | (cp & 0x3F))); return; }
  if (cp < 0x10000) { buf_putc(b, (char)(0xE0 | (cp >> 12))); buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F))); buf_putc(b, (char)(0x80 | (cp & 0x3F))); return; }
  buf_putc(b, (char)(0xF0 | (cp >> 18))); buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F))); buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F))); buf_putc(b, (char)(0x80 | (cp & 0x3F)));
}

static value *map_case(value *a, const char *bi, int upper) {
  NEED(a, T_STR, bi, 1);
  vstr *s = S(a); buf b; buf_init(&b, s->len + 1);
  for (u32 i = 0; i < s->len;) {
    u32 n, cp = utf8_decode(s->s + i, s->len - i, &n);
    if (n == 1 && cp >= 0x80) buf_putc(&b, s->s[i]); /* invalid byte: keep as is */
    else buf_put_utf8(&b, map_rune(cp, upper));
    i += n;
  }
  return rt_str_of(&b);
}
BI(lower)(value *a) { return map_case(a, "lower", 0); }
BI(upper)(value *a) { return map_case(a, "upper", 1); }

BI(split)(value *a, value *d) {
  NEED(a, T_STR, "split", 1); NEED(d, T_STR, "split", 2);
  vstr *s = S(a), *p = S(d); value *r = opa_array_with_cap(4);
  if (!p->len) {
    for (u32 i = 0; i < s->len;) { u32 n = rune_len((u8)s->s[i]); if (i + n > s->len) n = s->len - i; opa_array_append(r, opa_string(s->s + i, n)); i += n; }
    return r;
  }
  u32 start = 0; i64 at;
  while ((at = find(s, p, start)) >= 0) { opa_array_append(r, opa_string(s->s + start, (u32)at - start)); start = (u32)at + p->len; }
  opa_array_append(r, opa_string(s->s + start, s->len - start));
  return r;
}

BI(replace)(value *a, value *o, value *n) {
  NEED(a, T_STR, "replace", 1); NEED(o, T_STR, "replace", 2); NEED(n, T_STR, "replace", 3);
  vstr *s = S(a), *p = S(o), *w = S(n);
  buf b; buf_init(&b, s->len + 16);
  if (!p->len) { /* Go inserts the replacement around every rune */
    buf_put(&b, w->s, w->len);
    for (u32 i = 0; i < s->len;) { u32 k = rune_len((u8)s->s[i]); buf_put(&b, s->s + i, k); buf_put(&b, w->s, w->len); i += k; }
    return rt_str_of(&b);
  }
  u32 start = 0; i64 at;
  while ((at = find(s, p, start)) >= 0) { buf_put(&b, s->s + start, (u32)at - start); buf_put(&b, w->s, w->len); start = (u32)at + p->len; }
  buf_put(&b, s->s + start, s->len - start);
  return rt_str_of(&b);
}

/* cutset membership by code point */
static int in_cutset(vstr *cut, const char *r, u32 rl) {
  for (u32 i = 0; i < cut->len;) { u32 k = rune_len((u8)cut->s[i]); if (k == rl && rt_memcmp(cut->s + i, r, rl) == 0) return 1; i += k; }
  return 0;
}
static value *trim_impl(value *a, value *c, const char *bi, int left, int right) {
  NEED(a, T_STR, bi, 1); NEED(c, T_STR, bi, 2);
  vstr *s = S(a), *cut = S(c);
  u32 lo = 0, hi = s->len;
  if (left) while (lo < hi) { u32 k = rune_len((u8)s->s[lo]); if (!in_cutset(cut, s->s + lo, k)) break; lo += k; }
  if (right) while (hi > lo) {
    u32 st = hi - 1; while (st > lo && ((u8)s->s[st] & 0xC0) == 0x80) st--;
    if (!in_cutset(cut, s->s + st, hi - st)) break;
    hi = st;
  }
  return opa_string(s->s + lo, hi - lo);
}
BI(trim)(value *a, value *c) { return trim_impl(a, c, "trim", 1, 1); }
BI(trim_left)(value *a, value *c) { return trim_impl(a, c, "trim_left", 1, 0); }
BI(trim_right)(value *a, value *c) { return trim_impl(a, c, "trim_right", 0, 1); }
BI(trim_space)(value *a) {
  static vstr ws = {T_STR, 6, " \t\n\r\v\f", 0};
  return trim_impl(a, (value *)&ws, "trim_space", 1, 1);
}
BI(trim_prefix)(value *a, value *p) {
  NEED(a, T_STR, "trim_prefix", 1); NEED(p, T_STR, "trim_prefix", 2);
  if (has_at(S(a), 0, S(p))) return opa_string(S(a)->s + S(p)->len, S(a)->len - S(p)->len);
  return a;
}
BI(trim_suffix)(value *a, value *p) {
  NEED(a, T_STR, "trim_suffix", 1); NEED(p, T_STR, "trim_suffix", 2);
  if (S(p)->len <= S(a)->len && has_at(S(a), S(a)->len - S(p)->len, S(p))) return opa_string(S(a)->s, S(a)->len - S(p)->len);
  return a;
}

BI(substring)(value *a, value *st, value *ln) {
  NEED(a, T_STR, "substring", 1);
  NEED_INT(start, st, "substring", 2);
  NEED_INT(len, ln, "substring", 3);
  if (start < 0) return rt_fail_builtin("substring", "negative offset");
  u32 runes = opa_value_length(a);
  if (start >= runes) return opa_string("", 0);
  u32 b0 = rune_offset(S(a), (u32)start);
  u32 b1 = (len < 0 || start + len >= runes) ? S(a)->len : rune_offset(S(a), (u32)(start + len));
  return opa_string(S(a)->s + b0, b1 - b0);
}

BI(indexof)(value *a, value *p) {
  NEED(a, T_STR, "indexof", 1); NEED(p, T_STR, "indexof", 2);
  if (S(p)->len == 0) return rt_fail_builtin("indexof", "empty search character"); /* as OPA's builtinIndexOf */
  i64 at = find(S(a), S(p), 0);
  if (at < 0) return opa_number_int(-1);
  u32 n = 0; for (u32 i = 0; i < (u32)at; i++) if (((u8)S(a)->s[i] & 0xC0) != 0x80) n++;
  return opa_number_int(n);
}

BI_NAMED(strings_reverse, "strings.reverse")(value *a) {
  NEED(a, T_STR, "strings.reverse", 1);
  vstr *s = S(a); char *o = rt_malloc(s->len + 1); u32 w = s->len;
  for (u32 i = 0; i < s->len;) { u32 k = rune_len((u8)s->s[i]); if (i + k > s->len) k = s->len - i; w -= k; rt_memcpy(o + w, s->s + i, k); i += k; }
  return opa_string(o, s->len);
}

BI_NAMED(strings_any_prefix_match, "strings.any_prefix_match")(value *a, value *p) {
  value *ss = a->type == T_STR ? NULL : a, *ps = p->type == T_STR ? NULL : p;
  if (ss && ss->type != T_ARR && ss->type != T_SET) return rt_fail_type("strings.any_prefix_match", "operand 1 must be one of {string, array[string], set[string]}");
  if (ps && ps->type != T_ARR && ps->type != T_SET) return rt_fail_type("strings.any_prefix_match", "operand 2 must be one of {string, array[string], set[string]}");
  u32 ns = ss ? opa_value_length(ss) : 1, np = ps ? opa_value_length(ps) : 1;
  for (u32 i = 0; i < ns; i++) {
    value *s = ss ? rt_iter_val_any(ss, i) : a;
    if (s->type != T_STR) return rt_fail_type("strings.any_prefix_match", "operand 1 must be one of {string, array[string], set[string]}");
    for (u32 j = 0; j < np; j++) {
      value *q = ps ? rt_iter_val_any(ps, j) : p;
      if (q->type != T_STR) return rt_fail_type("strings.any_prefix_match", "operand 2 must be one of {string, array[string], set[string]}");
      if (has_at(S(s), 0, S(q))) return opa_boolean(1);
    }
  }
  return opa_boolean(0);
}

/* strings.replace_n(patterns, s): like Go's strings.NewReplacer, matches do not overlap and at
 * each position the first pattern (in key order) that matches wins. Native so that a non-string
 * pattern key is seen as the type error it is (JSON would turn it into a string). */
BI_NAMED(strings_replace_n, "strings.replace_n")(value *patterns, value *str) {
  NEED(patterns, T_OBJ, "strings.replace_n", 1);
  NEED(str, T_STR, "strings.replace_n", 2);
  vobj *o = (vobj *)patterns; entry **ord = rt_obj_sorted(o);
  for (u32 k = 0; k < o->len; k++) {
    if (ord[k]->key->type != T_STR) return rt_fail_type("strings.replace_n", "operand 1 must be object[string: string]");
    if (ord[k]->val->type != T_STR) return rt_fail_type("strings.replace_n", "operand 1 must be object[string: string]");
  }
  vstr *s = S(str); buf b; buf_init(&b, s->len + 16);
  for (u32 i = 0; i < s->len;) {
    int hit = 0;
    for (u32 k = 0; k < o->len && !hit; k++) {
      vstr *p = S(ord[k]->key);
      if (p->len && has_at(s, i, p)) { buf_put(&b, S(ord[k]->val)->s, S(ord[k]->val)->len); i += p->len; hit = 1; }
    }
    if (!hit) buf_putc(&b, s->s[i++]);
  }
  return rt_str_of(&b);
}
