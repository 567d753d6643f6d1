/* Value constructors and the array / object / set containers. */
#include "runtime.h"

vbool rt_true = {T_BOOL, 1}, rt_false = {T_BOOL, 0};
value rt_null_v = {T_NULL};

EXPORT(opa_null) value *opa_null(void) { return &rt_null_v; }
EXPORT(opa_boolean) value *opa_boolean(int b) { return (value *)(b ? &rt_true : &rt_false); }

/* Small non-negative integers (counts, lengths, array indices, most numbers of a snapshot) are
 * shared static values, not 16 bytes of heap each: numbers are immutable, and the bump heap
 * would otherwise fill with millions of copies of 0, 1 and 2 per evaluation. */
#define SHARED_INTS 1024
static vnum shared_ints[SHARED_INTS];

EXPORT(opa_number_int) value *opa_number_int(i64 v) {
  if ((u64)v < SHARED_INTS) {
    vnum *s = &shared_ints[v];
    if (!s->type) { s->is_int = 1; s->len = 0; s->i = v; s->type = T_NUM; }
    return (value *)s;
  }
  vnum *n = rt_malloc(sizeof(vnum));
  n->type = T_NUM; n->is_int = 1; n->len = 0; n->i = v;
  return (value *)n;
}

/* Integral texts that fit int64 ("10", "1.0", "1e3") become ints so that the
 * fast path, hashing and equality only ever see one form of an integer. */
static int text_to_i64(const char *s, u32 len, i64 *out) {
  vnum t; t.type = T_NUM; t.is_int = 0; t.len = len; t.s = s;
  dec d; dec_from_value((value *)&t, &d);
  if (d.n == 0) { *out = 0; return 1; }
  if (d.exp < (i32)d.n || d.exp > 19) return 0;
  u64 acc = 0;
  for (i32 i = 0; i < d.exp; i++) {
    u32 dig = i < (i32)d.n ? d.d[i] : 0;
    if (acc > (u64)1844674407370955161ull) return 0;
    acc = acc * 10 + dig;
  }
  if (d.neg) { if (acc > (u64)9223372036854775808ull) return 0; *out = (i64)(0 - acc); }
  else { if (acc > (u64)9223372036854775807ull) return 0; *out = (i64)acc; }
  return 1;
}

value *opa_number_ref(const char *s, u32 len) {
  i64 iv;
  if (text_to_i64(s, len, &iv)) return opa_number_int(iv);
  vnum *n = rt_malloc(sizeof(vnum));
  n->type = T_NUM; n->is_int = 0; n->len = len; n->s = s;
  return (value *)n;
}
EXPORT(opa_number_ref_cstr) value *opa_number_ref_cstr(const char *s) { return opa_number_ref(s, rt_strlen(s)); }

value *opa_string(const char *s, u32 len) {
  vstr *v = rt_malloc(sizeof(vstr));
  v->type = T_STR; v->len = len; v->s = s; v->hash = 0;
  return (value *)v;
}
EXPORT(opa_string_cstr) value *opa_string_cstr(const char *s) { return opa_string(s, rt_strlen(s)); }

EXPORT(opa_array_with_cap) value *opa_array_with_cap(u32 cap) {
  varr *a = rt_malloc(sizeof(varr));
  a->type = T_ARR; a->len = 0; a->cap = cap ? cap : 4;
  a->elems = rt_malloc(a->cap * sizeof(value *));
  return (value *)a;
}

EXPORT(opa_array_append) void opa_array_append(value *av, value *v) {
  varr *a = (varr *)av;
  if (a->len == a->cap) {
    u32 cap = a->cap ? a->cap * 2 : 4; /* parsed arrays are exact-size, possibly 0 */
    value **e = rt_malloc(cap * sizeof(value *));
    rt_memcpy(e, a->elems, a->len * sizeof(value *));
    a->elems = e; a->cap = cap;
  }
  a->elems[a->len++] = v;
}

static value *new_hashed(u8 type) {
  vobj *o = rt_malloc(sizeof(vobj));
  o->type = type; o->sorted = 1; o->len = 0; o->cap = 0; o->nbuckets = 0;
  o->buckets = NULL; o->order = NULL;
  return (value *)o;
}
EXPORT(opa_object) value *opa_object(void) { return new_hashed(T_OBJ); }
EXPORT(opa_set) value *opa_set(void) { return new_hashed(T_SET); }

/* A set that keeps insertion order (never sorted): the result set, whose entries OPA
 * reports in the order they were produced. */
#define KEEP_ORDER 2
EXPORT(rt_result_set) value *rt_result_set(void) {
  value *s = new_hashed(T_SET);
  ((vobj *)s)->sorted = KEEP_ORDER;
  return s;
}

static u32 mix(u32 h) { h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; h ^= h >> 16; return h; }

/* Eight bytes at a time (Wasm has 64-bit multiplies and unaligned loads), with a final
 * avalanche so that the low bits (bucket indices) depend on every byte; FNV-1a's one
 * multiply per byte was a large share of parsing a snapshot, which hashes every key and
 * short string it interns. 0 is reserved for "not computed yet". */
u32 rt_str_hash(const char *s, u32 len) {
  u64 h = 0x9e3779b97f4a7c15ull ^ len;
  u32 i = 0;
  for (; i + 8 <= len; i += 8) {
    u64 w;
    __builtin_memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  if (i < len) {
    u64 w = 0;
    for (u32 k = 0; i + k < len; k++) w |= (u64)(u8)s[i + k] << (8 * k);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  h ^= h >> 29;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 32;
  u32 r = (u32)h;
  return r ? r : 1;
}

u32 rt_hash(value *v) {
  switch (v->type) {
  case T_NULL: return 0x9e3779b9u;
  case T_BOOL: return ((vbool *)v)->b ? 0x51ed270bu : 0x2545f491u;
  case T_NUM: return rt_num_hash(v);
  case T_STR: {
    vstr *s = (vstr *)v;
    if (!s->hash) s->hash = rt_str_hash(s->s, s->len);
    return s->hash;
  }
  case T_ARR: {
    varr *a = (varr *)v; u32 h = 0x1234567u;
    for (u32 i = 0; i < a->len; i++) h = mix(h * 31u + rt_hash(a->elems[i]));
    return h;
  }
  default: {
    /* order-independent so that equal objects/sets hash alike */
    vobj *o = (vobj *)v; u32 h = v->type;
    for (u32 i = 0; i < o->len; i++) {
      entry *e = o->order[i];
      h += mix(e->hash * 31u + (e->val && v->type == T_OBJ ? rt_hash(e->val) : 0));
    }
    return h;
  }
  }
}

/* Objects up to SMALL entries are searched linearly (no bucket array at all): most
 * JSON objects are small, and this saves an allocation and a rehash per object. */
#define SMALL 8

static entry *find_h(vobj *o, value *k, u32 h) {
  if (!o->nbuckets) {
    for (u32 i = 0; i < o->len; i++) {
      entry *e = o->order[i];
      if (e->key == k || (e->hash == h && rt_equal(e->key, k))) return e;
    }
    return NULL;
  }
  for (entry *e = o->buckets[h & (o->nbuckets - 1)]; e; e = e->next)
    if (e->key == k || (e->hash == h && rt_equal(e->key, k))) return e;
  return NULL;
}

entry *rt_obj_find(vobj *o, value *k) {
  if (!o->len) return NULL;
  return find_h(o, k, rt_hash(k));
}

static void rehash(vobj *o, u32 nb) {
  entry **b = rt_malloc(nb * sizeof(entry *));
  rt_memset(b, 0, nb * sizeof(entry *));
  for (u32 i = 0; i < o->len; i++) {
    entry *e = o->order[i];
    u32 j = e->hash & (nb - 1);
    e->next = b[j]; b[j] = e;
  }
  o->buckets = b; o->nbuckets = nb;
}

static void add_entry(vobj *o, value *k, value *v, u32 h) {
  if (o->len == o->cap) {
    u32 cap = o->cap ? o->cap * 2 : 4;
    entry **ord = rt_malloc(cap * sizeof(entry *));
    if (o->len) rt_memcpy(ord, o->order, o->len * sizeof(entry *));
    o->order = ord; o->cap = cap;
  }
  entry *e = rt_malloc(sizeof(entry));
  e->key = k; e->val = v; e->hash = h; e->next = NULL;
  o->order[o->len++] = e;
  if (!o->nbuckets) {
    if (o->len > SMALL) rehash(o, 32);
  } else if (o->len > o->nbuckets - (o->nbuckets >> 2)) {
    rehash(o, o->nbuckets * 2);
  } else {
    u32 j = h & (o->nbuckets - 1);
    e->next = o->buckets[j]; o->buckets[j] = e;
  }
  if (o->sorted == 1 && o->len > 1 && opa_value_compare(o->order[o->len - 2]->key, k) > 0) o->sorted = 0;
}

/* Containers built by the JSON parser, which knows the final size when the container
 * closes: one allocation each, no growth copies (a bump heap never reclaims them). */
value *rt_array_from(value **elems, u32 n) {
  varr *a = rt_malloc(sizeof(varr) + n * sizeof(value *));
  a->type = T_ARR; a->len = n; a->cap = n;
  a->elems = (value **)(a + 1);
  if (n) rt_memcpy(a->elems, elems, n * sizeof(value *));
  return (value *)a;
}

/* Parsed objects up to this many members get no bucket array: their entries are contiguous,
 * so the linear hash scan stays cheap, and snapshot records (10-25 members) would otherwise
 * spend 64-128 bytes each on buckets. add_entry adds buckets if such an object grows. */
#define PARSED_SMALL 24

/* kv holds n key/value pairs; a repeated key keeps its first position and its last
 * value, as opa_object_insert does. The bucket array (only past PARSED_SMALL entries) is
 * sized so that the load stays under 3/4, the bound add_entry keeps. */
value *rt_object_from(value **kv, u32 n) {
  u32 nb = 0;
  if (n > PARSED_SMALL) { nb = 16; while (n > nb - (nb >> 2)) nb *= 2; }
  vobj *o = rt_malloc(sizeof(vobj) + n * sizeof(entry *) + n * sizeof(entry) + nb * sizeof(entry *));
  entry **ord = (entry **)(o + 1);
  entry *ents = (entry *)(ord + n);
  o->type = T_OBJ; o->sorted = 1; o->len = 0; o->cap = n; o->nbuckets = 0;
  o->buckets = NULL; o->order = ord;
  if (nb) {
    o->buckets = (entry **)(ents + n);
    rt_memset(o->buckets, 0, nb * sizeof(entry *));
    o->nbuckets = nb;
  }
  /* One bit per key hash seen (its top six bits): a key whose bit is clear is new, so the
   * search for a repeated key (linear below PARSED_SMALL) runs only on a bit collision. */
  u64 seen = 0;
  for (u32 i = 0; i < n; i++) {
    value *k = kv[2 * i], *v = kv[2 * i + 1];
    u32 h = rt_hash(k);
    u64 bit = 1ull << (h >> 26);
    entry *e = seen & bit ? find_h(o, k, h) : NULL;
    seen |= bit;
    if (e) { e->val = v; continue; }
    e = &ents[o->len];
    e->key = k; e->val = v; e->hash = h; e->next = NULL;
    ord[o->len++] = e;
    if (nb) { u32 j = h & (nb - 1); e->next = o->buckets[j]; o->buckets[j] = e; }
    if (o->sorted && o->len > 1 && opa_value_compare(ord[o->len - 2]->key, k) > 0) o->sorted = 0;
  }
  return (value *)o;
}

EXPORT(opa_object_insert) void opa_object_insert(value *ov, value *k, value *v) {
  vobj *o = (vobj *)ov;
  u32 h = rt_hash(k);
  entry *e = find_h(o, k, h);
  if (e) { e->val = v; return; }
  add_entry(o, k, v, h);
}

EXPORT(opa_set_add) void opa_set_add(value *sv, value *v) {
  vobj *o = (vobj *)sv;
  u32 h = rt_hash(v);
  if (find_h(o, v, h)) return;
  add_entry(o, v, NULL, h);
}

/* OPA's order of two strings (bytewise), eight bytes at a time: the string keys of a large
 * object often share a long prefix ("identity:corp-ad:…"). */
static inline int str_order(const vstr *x, const vstr *y) {
  u32 n = x->len < y->len ? x->len : y->len, i = 0;
  for (; i + 8 <= n; i += 8) {
    u64 p, q;
    __builtin_memcpy(&p, x->s + i, 8);
    __builtin_memcpy(&q, y->s + i, 8);
    if (p != q) {
      p = __builtin_bswap64(p); q = __builtin_bswap64(q);
      return p < q ? -1 : 1;
    }
  }
  for (; i < n; i++) if (x->s[i] != y->s[i]) return (u8)x->s[i] < (u8)y->s[i] ? -1 : 1;
  return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
}

/* Big-endian load of up to eight bytes of s from i (zero past the end): comparing two such
 * words as integers orders them as their bytes would. */
static inline u64 be_word(const vstr *x, u32 i) {
  if (i >= x->len) return 0;
  u64 w = 0;
  if (i + 8 <= x->len) {
    __builtin_memcpy(&w, x->s + i, 8);
  } else {
    for (u32 k = 0; i + k < x->len; k++) w |= (u64)(u8)x->s[i + k] << (8 * k);
  }
  return __builtin_bswap64(w);
}

/* A string key with the sixteen bytes after the keys' common prefix, big-endian. */
typedef struct { u64 k0, k1; entry *e; } keyed;

static inline int keyed_order(const keyed *x, const keyed *y) {
  if (x->k0 != y->k0) return x->k0 < y->k0 ? -1 : 1;
  if (x->k1 != y->k1) return x->k1 < y->k1 ? -1 : 1;
  /* Same sixteen bytes (zero padding makes "ab" and "ab\0" alike): the whole strings decide. */
  return str_order((vstr *)x->e->key, (vstr *)y->e->key);
}

/* Arrays of strings (the [source, id] pairs of a population set) as one byte string that sorts
 * as OPA orders the arrays: per element 01, its bytes with 00 written as 00 01, then 00 00; at
 * the end 00. No encoding is a prefix of another, so two arrays differ within both. */
typedef struct { const varr *a; u32 el, at; u8 state; } tuple_bytes;

/* The next byte of the encoding, or -1 past its end. */
static inline int tuple_next(tuple_bytes *c) {
  switch (c->state) {
  case 0: /* before an element, or the end */
    if (c->el >= c->a->len) { c->state = 4; return 0; }
    c->state = 1; c->at = 0;
    return 1;
  case 1: { /* inside element el */
    const vstr *s = (const vstr *)c->a->elems[c->el];
    if (c->at < s->len) { u8 b = (u8)s->s[c->at++]; if (!b) c->state = 2; return b; }
    c->state = 3;
    return 0;
  }
  case 2: c->state = 1; return 1;             /* after an escaped 00 */
  case 3: c->state = 0; c->el++; return 0;   /* second byte of the element's end */
  default: return -1;
  }
}

/* Eight bytes of the encoding, big-endian, zero past its end. */
static inline u64 tuple_word(tuple_bytes *c) {
  u64 w = 0;
  for (int i = 0; i < 8; i++) { int b = tuple_next(c); w = (w << 8) | (u64)(b < 0 ? 0 : b); }
  return w;
}

static int is_string_tuple(const value *v) {
  if (v->type != T_ARR) return 0;
  const varr *a = (const varr *)v;
  for (u32 i = 0; i < a->len; i++) if (a->elems[i]->type != T_STR) return 0;
  return 1;
}

/* Common prefixes longer than this are skipped in steps (the next round skips more). */
#define TUPLE_PREFIX_MAX 64u
/* Past this depth of the encodings, a run still tied is sorted by opa_value_compare. */
#define TUPLE_DEPTH_MAX 4096u

/* One entry of a tuple sort: eight bytes of its key's encoding at the sort's current depth and
 * its position in the entries (and cursors) being sorted. Sixteen bytes, so the merge passes
 * move little memory; the cursor (just past those bytes) stays in its own array. */
typedef struct { u64 k; u32 i; } tkeyed;

/* Stable bottom-up merge sort of n entries, in place in k (t: scratch of n); generic: by the
 * keys themselves (opa_value_compare of ents[i]->key). */
static void merge_tkeyed(tkeyed *k, tkeyed *t, u32 n, entry **ents, int generic) {
  tkeyed *src = k, *dst = t;
  for (u32 w = 1; w < n; w *= 2) {
    for (u32 lo = 0; lo < n; lo += 2 * w) {
      u32 mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      u32 i = lo, j = mid, o = lo;
      while (i < mid && j < hi) {
        int before = generic ? opa_value_compare(ents[src[j].i]->key, ents[src[i].i]->key) < 0 : src[j].k < src[i].k;
        dst[o++] = before ? src[j++] : src[i++];
      }
      while (i < mid) dst[o++] = src[i++];
      while (j < hi) dst[o++] = src[j++];
    }
    tkeyed *s2 = src; src = dst; dst = s2;
  }
  if (src != k) rt_memcpy(k, src, n * sizeof(tkeyed));
}

/* Sorts n entries whose keys are arrays of strings, each cursor at the same depth of its
 * encoding (past bytes all n share): by the eight bytes after the run's common prefix, then
 * each run still tied on them again from there (an MSD radix sort with eight-byte digits).
 * The keys of a population set share their source for thousands of entries: one window
 * cannot tell them apart. */
static void sort_tuples_from(tkeyed *k, tkeyed *t, u32 n, entry **ents, tuple_bytes *cur, u32 depth) {
  if (n < 2) return;
  if (depth > TUPLE_DEPTH_MAX) { merge_tkeyed(k, t, n, ents, 1); return; }
  u32 lcp = TUPLE_PREFIX_MAX;
  for (u32 i = 1; i < n && lcp; i++) {
    tuple_bytes x = cur[k[0].i], y = cur[k[i].i];
    u32 j = 0;
    while (j < lcp) { int p = tuple_next(&x), q = tuple_next(&y); if (p != q || p < 0) break; j++; }
    lcp = j;
  }
  for (u32 i = 0; i < n; i++) {
    tuple_bytes *c = &cur[k[i].i];
    for (u32 j = 0; j < lcp; j++) tuple_next(c);
    k[i].k = tuple_word(c);
  }
  merge_tkeyed(k, t, n, ents, 0);
  for (u32 i = 0; i < n;) {
    u32 j = i + 1;
    while (j < n && k[j].k == k[i].k) j++;
    if (j - i > 1) sort_tuples_from(k + i, t + i, j - i, ents, cur, depth + lcp + 8);
    i = j;
  }
}

static entry **merge_sort_tuples(entry **a, u32 n) {
  tkeyed *k = rt_malloc(2 * n * sizeof(tkeyed));
  tuple_bytes *cur = rt_malloc(n * sizeof(tuple_bytes));
  entry **ents = rt_malloc(n * sizeof(entry *));
  for (u32 i = 0; i < n; i++) {
    ents[i] = a[i]; k[i].i = i;
    cur[i].a = (const varr *)a[i]->key; cur[i].el = 0; cur[i].at = 0; cur[i].state = 0;
  }
  sort_tuples_from(k, k + n, n, ents, cur, 0);
  for (u32 i = 0; i < n; i++) a[i] = ents[k[i].i];
  return a;
}

/* Stable bottom-up merge sort of n entries with string keys (most large objects and sets),
 * into a (returned). The keys of a large object often share a long prefix ("identity:corp-ad:…")
 * and live all over the heap: comparing them in place chased three pointers per comparison.
 * Instead each entry carries the sixteen bytes after the common prefix inline, so almost
 * every comparison is two integer compares in one contiguous array; ties (equal sixteen
 * bytes) compare the whole strings, so the order is exactly bytewise. */
static entry **merge_sort_strings(entry **a, u32 n) {
  const vstr *first = (vstr *)a[0]->key;
  u32 lcp = first->len;
  for (u32 i = 1; i < n && lcp; i++) {
    const vstr *x = (vstr *)a[i]->key;
    u32 m = x->len < lcp ? x->len : lcp, j = 0;
    while (j < m && x->s[j] == first->s[j]) j++;
    lcp = j;
  }
  keyed *k = rt_malloc(2 * n * sizeof(keyed)), *t = k + n;
  for (u32 i = 0; i < n; i++) {
    const vstr *x = (vstr *)a[i]->key;
    k[i].k0 = be_word(x, lcp); k[i].k1 = be_word(x, lcp + 8); k[i].e = a[i];
  }
  for (u32 w = 1; w < n; w *= 2) {
    for (u32 lo = 0; lo < n; lo += 2 * w) {
      u32 mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      u32 i = lo, j = mid, o = lo;
      while (i < mid && j < hi) t[o++] = keyed_order(&k[j], &k[i]) < 0 ? k[j++] : k[i++];
      while (i < mid) t[o++] = k[i++];
      while (j < hi) t[o++] = k[j++];
    }
    keyed *s = k; k = t; t = s;
  }
  for (u32 i = 0; i < n; i++) a[i] = k[i].e;
  return a;
}

/* Stable bottom-up merge sort of n entries by key; returns a or t, whichever holds the result. */
static entry **merge_sort(entry **a, entry **t, u32 n) {
  u32 strings = 1, tuples = 1;
  for (u32 i = 0; i < n && strings; i++) strings = a[i]->key->type == T_STR;
  if (strings && n > 1) return merge_sort_strings(a, n);
  for (u32 i = 0; i < n && tuples; i++) tuples = is_string_tuple(a[i]->key);
  if (tuples && n > 1) return merge_sort_tuples(a, n);
  for (u32 w = 1; w < n; w *= 2) {
    for (u32 lo = 0; lo < n; lo += 2 * w) {
      u32 mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      u32 i = lo, j = mid, k = lo;
      while (i < mid && j < hi) t[k++] = opa_value_compare(a[j]->key, a[i]->key) < 0 ? a[j++] : a[i++];
      while (i < mid) t[k++] = a[i++];
      while (j < hi) t[k++] = a[j++];
    }
    entry **s = a; a = t; t = s;
  }
  return a;
}

/* Entries in key order. A container whose iteration order is key order anyway (every one but
 * a result set) is put in key order in place, once, as rt_iter_key does: the permutation
 * lives in its own entry list (so it survives heap resets for data documents) and later
 * comparisons of it (a set of objects sorts or compares its elements over and over) cost no
 * sort. */
entry **rt_obj_sorted(vobj *o) {
  if (o->sorted) return o->order; /* in key order already (1), or a result set (KEEP_ORDER, insertion order) */
  u32 n = o->len;
  entry **t = rt_malloc((n ? n : 1) * sizeof(entry *));
  entry **r = merge_sort(o->order, t, n);
  if (r != o->order) rt_memcpy(o->order, r, n * sizeof(entry *));
  o->sorted = 1;
  return o->order;
}

EXPORT(opa_value_get) value *opa_value_get(value *v, value *k) {
  if (!v || !k) return NULL;
  switch (v->type) {
  case T_ARR: {
    i64 i;
    if (k->type != T_NUM || !rt_num_to_i64(k, &i)) return NULL;
    varr *a = (varr *)v;
    if (i < 0 || i >= a->len) return NULL;
    return a->elems[i];
  }
  case T_OBJ: { entry *e = rt_obj_find((vobj *)v, k); return e ? e->val : NULL; }
  case T_SET: { entry *e = rt_obj_find((vobj *)v, k); return e ? e->key : NULL; }
  default: return NULL;
  }
}

EXPORT(opa_value_type) i32 opa_value_type(value *v) { return v ? v->type : 0; }

EXPORT(opa_value_length) u32 opa_value_length(value *v) {
  switch (v->type) {
  case T_ARR: return ((varr *)v)->len;
  case T_OBJ: case T_SET: return ((vobj *)v)->len;
  case T_STR: {
    vstr *s = (vstr *)v; u32 n = 0;
    for (u32 i = 0; i < s->len; i++) if (((u8)s->s[i] & 0xC0) != 0x80) n++;
    return n;
  }
  default: return 0;
  }
}

EXPORT(opa_value_shallow_copy) value *opa_value_shallow_copy(value *v) {
  switch (v->type) {
  case T_ARR: {
    varr *a = (varr *)v; value *c = opa_array_with_cap(a->len);
    for (u32 i = 0; i < a->len; i++) opa_array_append(c, a->elems[i]);
    return c;
  }
  case T_OBJ: case T_SET: {
    vobj *o = (vobj *)v; value *c = new_hashed(v->type);
    for (u32 i = 0; i < o->len; i++) add_entry((vobj *)c, o->order[i]->key, o->order[i]->val, o->order[i]->hash);
    return c;
  }
  default: return v;
  }
}

/* Deep merge used for base documents overlaid with virtual documents:
 * objects merge key by key; elsewhere the first operand wins. */
EXPORT(opa_value_merge) value *opa_value_merge(value *a, value *b) {
  if (!a) return b;
  if (!b) return a;
  if (a->type != T_OBJ || b->type != T_OBJ) return a;
  vobj *x = (vobj *)a, *y = (vobj *)b;
  value *r = opa_object();
  for (u32 i = 0; i < x->len; i++) {
    entry *e = x->order[i];
    entry *f = rt_obj_find(y, e->key);
    opa_object_insert(r, e->key, f ? opa_value_merge(e->val, f->val) : e->val);
  }
  for (u32 i = 0; i < y->len; i++) {
    entry *f = y->order[i];
    if (!rt_obj_find(x, f->key)) opa_object_insert(r, f->key, f->val);
  }
  return r;
}

/* Iteration by position for ScanStmt: keys and values of the i-th element in
 * OPA order (array index order; object/set key order, as OPA's evaluator iterates).
 * An object or set not yet in key order is put in key order in place on first
 * iteration: the permutation lives in the container's own entry list (so it
 * survives heap resets for data documents), the scratch copy on the heap. */
EXPORT(rt_iter_key) value *rt_iter_key(value *v, u32 i) {
  if (!v) return NULL;
  switch (v->type) {
  case T_ARR: return i < ((varr *)v)->len ? opa_number_int(i) : NULL;
  case T_OBJ: case T_SET: {
    vobj *o = (vobj *)v;
    if (i >= o->len) return NULL;
    if (!o->sorted) rt_obj_sorted(o);
    return o->order[i]->key;
  }
  default: return NULL;
  }
}
/* ScanStmt when the key is never read: whether there is an i-th element (in the same order
 * as rt_iter_key), without building the key (for an array, a number per element). */
EXPORT(rt_iter_has) i32 rt_iter_has(value *v, u32 i) {
  if (!v) return 0;
  switch (v->type) {
  case T_ARR: return i < ((varr *)v)->len;
  case T_OBJ: case T_SET: {
    vobj *o = (vobj *)v;
    if (i >= o->len) return 0;
    if (!o->sorted) rt_obj_sorted(o);
    return 1;
  }
  default: return 0;
  }
}
EXPORT(rt_iter_val) value *rt_iter_val(value *v, u32 i) {
  switch (v->type) {
  case T_ARR: return ((varr *)v)->elems[i];
  case T_OBJ: return ((vobj *)v)->order[i]->val;
  default: return ((vobj *)v)->order[i]->key;
  }
}

/* ObjectInsertOnceStmt: returns 0 when the key holds a different value. */
EXPORT(rt_object_insert_once) i32 rt_object_insert_once(value *o, value *k, value *v) {
  entry *e = rt_obj_find((vobj *)o, k);
  if (e) return rt_equal(e->val, v);
  opa_object_insert(o, k, v);
  return 1;
}

/* WithStmt: a copy of base with path (array of keys) set to v; missing or
 * non-object intermediate nodes become objects. base may be undefined. */
static value *upsert(value *base, varr *path, u32 i, value *v) {
  if (i == path->len) return v;
  value *node = base && base->type == T_OBJ ? opa_value_shallow_copy(base) : opa_object();
  value *child = base && base->type == T_OBJ ? opa_value_get(base, path->elems[i]) : NULL;
  opa_object_insert(node, path->elems[i], upsert(child, path, i + 1, v));
  return node;
}
EXPORT(rt_upsert) value *rt_upsert(value *base, value *path, value *v) { return upsert(base, (varr *)path, 0, v); }

/* Dot on the base data document: OPA's storage addresses base documents by string
 * path segments, so an integer key also finds the object key spelled as that integer
 * (data.x[2] reads {"2": ...}). Virtual documents keep exact key semantics. */
EXPORT(rt_value_get_data) value *rt_value_get_data(value *v, value *k) {
  value *r = opa_value_get(v, k);
  if (r || !v || v->type != T_OBJ || !k || !rt_is_int(k)) return r;
  buf b; buf_init(&b, 24);
  buf_put_i64(&b, ((vnum *)k)->i);
  return opa_value_get(v, opa_string(b.p, b.len));
}
