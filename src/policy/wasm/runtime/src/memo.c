/* Per-evaluation cache of one-argument functions' results, keyed by the address of the
 * argument. Values are immutable once a function receives them and the bump heap never reuses
 * an address within an evaluation, so the same address means the same argument: `in_scope(a)`
 * called for one account by a control's population, failing and results rules is computed
 * once (OPA's evaluator caches function results by their arguments within a query too).
 * Equal arguments at different addresses simply miss.
 *
 * Each function's cache is an array of (argument, result) in increasing address order: rules
 * iterate input arrays, whose elements the parser allocated in order, so the second and third
 * pass over the accounts find each entry right after the previous one (a sequential read, no
 * hash table's cache miss per call); other orders binary-search. A call whose argument lies
 * below the last cached one is not cached. The generated code resets the cache at the start of
 * each evaluation and passes the current `with` frame's epoch: entries of another frame (other
 * input or data, the same addresses) are dropped, as OPA's evaluator pushes a fresh cache for
 * each `with`. */
#include "runtime.h"

#define MEMO_MISS ((value *)0xffffffffu)

typedef struct { value *arg, *result; } memo_entry;
typedef struct { memo_entry *e; u32 len, cap, cursor, epoch; } memo;

static memo *memos;

EXPORT(rt_memo_reset) void rt_memo_reset(u32 n) {
  memos = rt_malloc(n * sizeof(memo));
  rt_memset(memos, 0, n * sizeof(memo));
}

/* The cached result of function fn for argument a (0 for undefined) in `with` frame epoch, or
 * MEMO_MISS. */
EXPORT(rt_memo_get) value *rt_memo_get(u32 fn, value *a, u32 epoch) {
  memo *m = &memos[fn];
  if (m->epoch != epoch) return MEMO_MISS;
  u32 c = m->cursor, n = m->len;
  if (c < n && m->e[c].arg == a) { m->cursor = c + 1; return m->e[c].result; }
  if (!n || a > m->e[n - 1].arg) return MEMO_MISS;
  u32 lo = 0, hi = n;
  while (lo < hi) {
    u32 mid = lo + (hi - lo) / 2;
    if (m->e[mid].arg < a) lo = mid + 1; else hi = mid;
  }
  if (lo < n && m->e[lo].arg == a) { m->cursor = lo + 1; return m->e[lo].result; }
  return MEMO_MISS;
}

EXPORT(rt_memo_put) void rt_memo_put(u32 fn, value *a, value *result, u32 epoch) {
  memo *m = &memos[fn];
  if (m->epoch != epoch) { m->len = 0; m->cursor = 0; m->epoch = epoch; }
  if (m->len && a <= m->e[m->len - 1].arg) return;
  if (m->len == m->cap) {
    u32 cap = m->cap ? m->cap * 2 : 64;
    memo_entry *e = rt_malloc(cap * sizeof(memo_entry));
    if (m->len) rt_memcpy(e, m->e, m->len * sizeof(memo_entry));
    m->e = e; m->cap = cap;
  }
  m->e[m->len].arg = a; m->e[m->len].result = result;
  m->len++;
  m->cursor = m->len;
}
