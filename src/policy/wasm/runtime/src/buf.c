/* Growable byte buffer used by the JSON writer and string builtins. */
#include "runtime.h"

void buf_init(buf *b, u32 cap) { b->p = rt_malloc(cap); b->len = 0; b->cap = cap; }

static void buf_grow(buf *b, u32 need) {
  if (b->len + need <= b->cap) return;
  u32 cap = b->cap * 2;
  while (cap < b->len + need) cap *= 2;
  /* At the top of the heap (nothing allocated since): extend in place instead of copying,
   * so a growing buffer (a JSON dump) leaves no abandoned copies on the bump heap. The
   * capacities stay the same doubling sequence, so interleaved allocations never make
   * growth more frequent. */
  if (rt_grow_last(b->p, b->cap, cap)) { b->cap = cap; return; }
  char *p = rt_malloc(cap);
  rt_memcpy(p, b->p, b->len);
  b->p = p; b->cap = cap;
}

void buf_put(buf *b, const char *s, u32 n) { buf_grow(b, n); rt_memcpy(b->p + b->len, s, n); b->len += n; }
void buf_putc(buf *b, char c) { buf_grow(b, 1); b->p[b->len++] = c; }
void buf_puts(buf *b, const char *s) { buf_put(b, s, rt_strlen(s)); }
void buf_put_i64(buf *b, i64 v) {
  char tmp[24]; int n = 0;
  u64 u = v < 0 ? (u64)0 - (u64)v : (u64)v;
  do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
  if (v < 0) tmp[n++] = '-';
  buf_grow(b, (u32)n);
  while (n) b->p[b->len++] = tmp[--n];
}
char *buf_cstr(buf *b) { buf_putc(b, 0); b->len--; return b->p; }
