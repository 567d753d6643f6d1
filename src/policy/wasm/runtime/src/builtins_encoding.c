/* base64, base64url and hex builtins with Go's encoding semantics (as OPA uses them):
 * standard decoding needs padding, ignores '\r' and '\n', and accepts non-zero trailing bits.
 *
 * Decoded bytes that are not valid UTF-8 become U+FFFD, one per byte (as Go's utf8 package
 * reads them, so count() agrees with OPA): the runtime's string builtins assume UTF-8, and the
 * host builtins these replace gave the same replacement. Unlike OPA, binary decoded data does
 * therefore not survive a re-encode. */
#include "builtins.h"

/* Length of the valid UTF-8 sequence at s[i] (Go's rules: no overlongs, surrogates or
 * code points past U+10FFFF), 0 if invalid. */
static u32 valid_seq(const u8 *s, u32 i, u32 n) {
  u8 c = s[i];
  if (c < 0x80) return 1;
  u32 k; u8 lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) k = 2;
  else if (c >= 0xE0 && c <= 0xEF) { k = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
  else if (c >= 0xF0 && c <= 0xF4) { k = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
  else return 0;
  if (i + k > n || s[i + 1] < lo || s[i + 1] > hi) return 0;
  for (u32 j = 2; j < k; j++) if (s[i + j] < 0x80 || s[i + j] > 0xBF) return 0;
  return k;
}

static value *utf8_string(buf *b) {
  const u8 *p = (const u8 *)b->p; u32 i = 0;
  while (i < b->len) { u32 k = valid_seq(p, i, b->len); if (!k) break; i += k; }
  if (i == b->len) return rt_str_of(b);
  buf o; buf_init(&o, b->len + 16); buf_put(&o, b->p, i);
  while (i < b->len) {
    u32 k = valid_seq(p, i, b->len);
    if (k) { buf_put(&o, b->p + i, k); i += k; } else { buf_puts(&o, "\xEF\xBF\xBD"); i++; }
  }
  return rt_str_of(&o);
}

static const char STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static value *encode64(vstr *s, const char *alpha, int pad) {
  buf b; buf_init(&b, (s->len + 2) / 3 * 4 + 1);
  const u8 *p = (const u8 *)s->s; u32 i = 0;
  for (; i + 3 <= s->len; i += 3) {
    u32 v = (u32)p[i] << 16 | (u32)p[i + 1] << 8 | p[i + 2];
    buf_putc(&b, alpha[v >> 18]); buf_putc(&b, alpha[v >> 12 & 63]); buf_putc(&b, alpha[v >> 6 & 63]); buf_putc(&b, alpha[v & 63]);
  }
  u32 rest = s->len - i;
  if (rest) {
    u32 v = (u32)p[i] << 16 | (rest == 2 ? (u32)p[i + 1] << 8 : 0);
    buf_putc(&b, alpha[v >> 18]); buf_putc(&b, alpha[v >> 12 & 63]);
    if (rest == 2) buf_putc(&b, alpha[v >> 6 & 63]);
    if (pad) { if (rest == 1) buf_putc(&b, '='); buf_putc(&b, '='); }
  }
  return rt_str_of(&b);
}

static int sextet(char c, const char *alpha) {
  for (int k = 0; k < 64; k++) if (alpha[k] == c) return k;
  return -1;
}

/* Padded decoding; returns 0 on corrupt input. */
static int decode64(const char *src, u32 n, const char *alpha, buf *out) {
  buf f; buf_init(&f, n + 1);
  for (u32 i = 0; i < n; i++) if (src[i] != '\r' && src[i] != '\n') buf_putc(&f, src[i]);
  if (f.len % 4) return 0;
  buf_init(out, f.len / 4 * 3 + 1);
  for (u32 q = 0; q < f.len; q += 4) {
    int v[4], data = 4;
    for (int k = 0; k < 4; k++) {
      char c = f.p[q + k];
      if (c == '=') {
        if (q + 4 != f.len || k < 2) return 0;       /* padding only ends the last quantum */
        if (k == 2 && f.p[q + 3] != '=') return 0;
        data = k; break;
      }
      if ((v[k] = sextet(c, alpha)) < 0) return 0;
    }
    u32 x = 0;
    for (int k = 0; k < 4; k++) x = x << 6 | (k < data ? (u32)v[k] : 0);
    buf_putc(out, (char)(x >> 16));
    if (data > 2) buf_putc(out, (char)(x >> 8 & 255));
    if (data > 3) buf_putc(out, (char)(x & 255));
  }
  return 1;
}

BI_NAMED(base64_encode, "base64.encode")(value *a) {
  NEED(a, T_STR, "base64.encode", 1);
  return encode64((vstr *)a, STD, 1);
}

BI_NAMED(base64url_encode, "base64url.encode")(value *a) {
  NEED(a, T_STR, "base64url.encode", 1);
  return encode64((vstr *)a, URL, 1);
}

BI_NAMED(base64url_encode_no_pad, "base64url.encode_no_pad")(value *a) {
  NEED(a, T_STR, "base64url.encode_no_pad", 1);
  return encode64((vstr *)a, URL, 0);
}

BI_NAMED(base64_decode, "base64.decode")(value *a) {
  NEED(a, T_STR, "base64.decode", 1);
  buf out; vstr *s = (vstr *)a;
  if (!decode64(s->s, s->len, STD, &out)) return rt_fail_builtin("base64.decode", "illegal base64 data");
  return utf8_string(&out);
}

BI_NAMED(base64_is_valid, "base64.is_valid")(value *a) {
  NEED(a, T_STR, "base64.is_valid", 1);
  buf out; vstr *s = (vstr *)a;
  return opa_boolean(decode64(s->s, s->len, STD, &out));
}

/* OPA pads unpadded input first (RFC 7515 appendix C); a length of 1 mod 4 is an error. */
BI_NAMED(base64url_decode, "base64url.decode")(value *a) {
  NEED(a, T_STR, "base64url.decode", 1);
  vstr *s = (vstr *)a; buf in, out;
  buf_init(&in, s->len + 3); buf_put(&in, s->s, s->len);
  if (!s->len || s->s[s->len - 1] != '=') {
    switch (s->len % 4) {
    case 2: buf_puts(&in, "=="); break;
    case 3: buf_putc(&in, '='); break;
    case 1: return rt_fail_builtin("base64url.decode", "illegal base64url string");
    }
  }
  if (!decode64(in.p, in.len, URL, &out)) return rt_fail_builtin("base64url.decode", "illegal base64 data");
  return utf8_string(&out);
}

static const char HEXD[] = "0123456789abcdef";

BI_NAMED(hex_encode, "hex.encode")(value *a) {
  NEED(a, T_STR, "hex.encode", 1);
  vstr *s = (vstr *)a; buf b; buf_init(&b, s->len * 2 + 1);
  for (u32 i = 0; i < s->len; i++) { u8 c = (u8)s->s[i]; buf_putc(&b, HEXD[c >> 4]); buf_putc(&b, HEXD[c & 15]); }
  return rt_str_of(&b);
}

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Go's InvalidByteError text: "encoding/hex: invalid byte: %#U" of the byte as a rune. */
static value *invalid_byte(u8 c) {
  buf b; buf_init(&b, 48);
  buf_puts(&b, "encoding/hex: invalid byte: U+00");
  buf_putc(&b, "0123456789ABCDEF"[c >> 4]); buf_putc(&b, "0123456789ABCDEF"[c & 15]);
  if ((c >= 0x20 && c < 0x7f) || (c >= 0xa1 && c != 0xad)) {
    buf_puts(&b, " '");
    if (c < 0x80) buf_putc(&b, (char)c);
    else { buf_putc(&b, (char)(0xc0 | c >> 6)); buf_putc(&b, (char)(0x80 | (c & 63))); }
    buf_putc(&b, '\'');
  }
  return rt_fail_builtin("hex.decode", buf_cstr(&b));
}

BI_NAMED(hex_decode, "hex.decode")(value *a) {
  NEED(a, T_STR, "hex.decode", 1);
  vstr *s = (vstr *)a; buf b; buf_init(&b, s->len / 2 + 1);
  /* Go reports an invalid byte before an odd length */
  for (u32 i = 0; i + 1 < s->len; i += 2) {
    int hi = nibble(s->s[i]), lo = nibble(s->s[i + 1]);
    if (hi < 0) return invalid_byte((u8)s->s[i]);
    if (lo < 0) return invalid_byte((u8)s->s[i + 1]);
    buf_putc(&b, (char)(hi << 4 | lo));
  }
  if (s->len % 2 && nibble(s->s[s->len - 1]) < 0) return invalid_byte((u8)s->s[s->len - 1]);
  if (s->len % 2) return rt_fail_builtin("hex.decode", "encoding/hex: odd length hex string");
  return utf8_string(&b);
}
