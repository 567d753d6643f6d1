/* Bump allocator over the imported linear memory. The SDK resets the heap
 * pointer between evaluations, so nothing is ever freed individually. */
#include "runtime.h"

extern u8 __heap_base;
static u32 heap_ptr = 0;

IMPORT(opa_abort) void opa_abort(const char *msg);
IMPORT(opa_println) void opa_println(const char *msg);

static u32 heap_start(void) { return heap_ptr ? heap_ptr : (u32)(size_t)&__heap_base; }

EXPORT(opa_heap_ptr_get) u32 opa_heap_ptr_get(void) { return heap_start(); }
EXPORT(opa_heap_ptr_set) void opa_heap_ptr_set(u32 p) { heap_ptr = p; }

/* Makes linear memory reach end (exclusive). */
static void ensure(u32 end) {
  /* memory only grows (here or by the SDK), so a cached size is a safe lower bound */
  static u32 have = 0;
  if (end > have) {
    have = (u32)__builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
      /* Grow geometrically (by half the current size, at least 1 MiB): V8 may copy the
       * whole buffer on each grow, so fixed-size steps make large inputs quadratic. */
      u32 current = (u32)__builtin_wasm_memory_size(0);
      u32 pages = (end - have + 65535u) / 65536u;
      u32 step = current / 2u;
      if (step < 16u) step = 16u;
      if (pages < step) pages = step;
      if (current + pages > 65536u) pages = (end - have + 65535u) / 65536u; /* near 4 GiB: only what is needed */
      if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) rt_abort("out of memory");
      have = (u32)__builtin_wasm_memory_size(0) * 65536u;
    }
  }
}

void *rt_malloc(u32 n) {
  u32 p = (heap_start() + 7u) & ~7u;
  u32 end = p + n;
  if (end < p) rt_abort("out of memory");
  ensure(end);
  heap_ptr = end;
  return (void *)(size_t)p;
}

/* Grows the newest allocation in place (from n to m bytes) when nothing was allocated
 * after it; returns 0 otherwise. Lets a buffer being filled (a JSON dump) grow without
 * leaving its earlier copies behind on the bump heap. */
int rt_grow_last(void *ptr, u32 n, u32 m) {
  u32 p = (u32)(size_t)ptr;
  if (!heap_ptr || p + n != heap_ptr || m < n) return 0;
  u32 end = p + m;
  if (end < p) return 0;
  ensure(end);
  heap_ptr = end;
  return 1;
}

EXPORT(opa_malloc) void *opa_malloc(u32 n) { return rt_malloc(n); }
EXPORT(opa_free) void opa_free(void *p) { (void)p; }

void *rt_memcpy(void *d, const void *s, u32 n) { return __builtin_memcpy(d, s, n); }
void *rt_memset(void *d, int c, u32 n) { return __builtin_memset(d, c, n); }
u32 rt_strlen(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
/* Eight bytes at a time: keys and ids often share long prefixes ("identity:corp-ad:…"),
 * which sorting and equality compare over and over. */
int rt_memcmp(const void *a, const void *b, u32 n) {
  const u8 *x = a, *y = b;
  u32 i = 0;
  for (; i + 8 <= n; i += 8) {
    u64 p, q;
    __builtin_memcpy(&p, x + i, 8);
    __builtin_memcpy(&q, y + i, 8);
    if (p != q) break;
  }
  for (; i < n; i++) if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/* clang lowers struct copies and loops to these symbols under -nostdlib; with bulk memory
 * (build.ts passes -mbulk-memory) the builtins are single memory.copy / memory.fill
 * instructions, not calls back into these. */
void *memcpy(void *d, const void *s, size_t n) { return __builtin_memcpy(d, s, n); }
void *memmove(void *d, const void *s, size_t n) { return __builtin_memmove(d, s, n); }
void *memset(void *d, int c, size_t n) { return __builtin_memset(d, c, n); }
int memcmp(const void *a, const void *b, size_t n) { return rt_memcmp(a, b, (u32)n); }

void rt_abort(const char *msg) {
  opa_abort(msg);
  __builtin_trap();
}

void rt_type_error(const char *builtin, const char *msg) {
  buf b; buf_init(&b, 64);
  buf_puts(&b, "eval_type_error: ");
  buf_puts(&b, builtin);
  buf_puts(&b, ": ");
  buf_puts(&b, msg);
  rt_abort(buf_cstr(&b));
}

/* Called by generated code: a runtime error at a policy location. */
EXPORT(rt_runtime_error) void rt_runtime_error(const char *file, i32 row, i32 col, const char *msg) {
  buf b; buf_init(&b, 64);
  buf_puts(&b, msg);
  buf_puts(&b, " (");
  buf_puts(&b, file);
  buf_putc(&b, ':'); buf_put_i64(&b, row);
  buf_putc(&b, ':'); buf_put_i64(&b, col);
  buf_putc(&b, ')');
  rt_abort(buf_cstr(&b));
}

EXPORT(rt_println) void rt_println(const char *msg) { opa_println(msg); }
EXPORT(rt_abort_export) void rt_abort_export(const char *msg) { rt_abort(msg); }
