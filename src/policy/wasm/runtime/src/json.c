/* JSON parse (in place: strings and numbers point into the source text, which
 * the SDK leaves alone for the whole evaluation) and JSON dump.
 *
 * Heap use matters here (a snapshot is hundreds of MB and linear memory must stay under
 * 2 GiB for the SDK), so the parser
 * - collects a container's members on a scratch stack and builds the array/object once,
 *   at its final size, when it closes (no growth copies left behind on the bump heap);
 * - for large texts, shares one string value among equal object keys and equal short
 *   string values (a snapshot repeats the same few dozen keys millions of times). Values
 *   are immutable (only the cached hash is ever written), so sharing is invisible. */
#include "runtime.h"

/* An intern cache slot holds the string's hash beside it: probing past other strings (a flood of
 * distinct ids) compares hashes in the table instead of reading each string's value. */
struct slot { u32 hash; vstr *v; };

typedef struct {
  char *s; u32 i, len; int err;
  value **stk; u32 sp, scap;      /* scratch: members of the containers still open */
  struct slot *keys; u32 kmask;   /* intern caches (kmask 0: off) */
  struct slot *strs; u32 smask;
  value **next_key;               /* key prediction (kmask != 0 only): see parse_key */
  value **last_val;               /* value prediction by key (smask != 0 only): see parse_member_string */
} parser;

/* Texts below this size parse without intern caches (the tables would cost more than they save). */
#define INTERN_MIN_TEXT 4096u
/* Only string values up to this length are shared (ids, kinds, states); long ones are mostly unique. */
#define INTERN_MAX_STR 48u

static void push(parser *p, value *v) {
  if (p->sp == p->scap) {
    u32 cap = p->scap ? p->scap * 2 : (p->len < 512u ? p->len / 2u + 4u : 256u); /* small texts: small scratch */
    value **n = rt_malloc(cap * sizeof(value *));
    if (p->sp) rt_memcpy(n, p->stk, p->sp * sizeof(value *));
    p->stk = n; p->scap = cap;
  }
  p->stk[p->sp++] = v;
}

static struct slot *new_table(u32 slots) {
  struct slot *t = rt_malloc(slots * sizeof(struct slot));
  rt_memset(t, 0, slots * sizeof(struct slot));
  return t;
}

static u32 pow2_clamp(u32 want, u32 lo, u32 hi) {
  u32 n = lo;
  while (n < want && n < hi) n *= 2;
  return n;
}

/* A cache, not a set: up to 4 probes, then the home slot is overwritten, so a flood of
 * distinct strings (ids used as keys) costs lookups but never unbounded memory. */
static value *intern(struct slot *tab, u32 mask, const char *s, u32 len) {
  u32 h = rt_str_hash(s, len), j = h & mask;
  for (u32 probe = 0; probe < 4; probe++, j = (j + 1) & mask) {
    vstr *e = tab[j].v;
    if (!e) break;
    if (tab[j].hash == h && e->len == len && rt_memcmp(e->s, s, len) == 0) return (value *)e;
  }
  if (tab[j].v) j = h & mask;
  vstr *v = (vstr *)opa_string(s, len);
  v->hash = h;
  tab[j].hash = h; tab[j].v = v;
  return (value *)v;
}

static void ws(parser *p) {
  while (p->i < p->len) {
    char c = p->s[p->i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') p->i++; else break;
  }
}

static int hexv(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int hex4(parser *p, u32 at, u32 *out) {
  if (at + 4 > p->len) return 0;
  u32 v = 0;
  for (int k = 0; k < 4; k++) { int h = hexv(p->s[at + k]); if (h < 0) return 0; v = v * 16 + (u32)h; }
  *out = v; return 1;
}

static u32 put_utf8(char *o, u32 cp) {
  if (cp < 0x80) { o[0] = (char)cp; return 1; }
  if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) { o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F)); return 3; }
  o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F)); o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

/* Unescapes in place: the decoded string is never longer than its source.
 * is_key selects the intern cache. */
/* Nonzero when one of the 8 bytes of w is '"', '\\' or below 0x20 (SWAR; exact about
 * whether there is one, which is all the caller needs). */
static inline u64 special_bytes(u64 w) {
  const u64 ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  u64 q = w ^ (ones * '"'), b = w ^ (ones * '\\');
  return ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs) | ((w - ones * 0x20) & ~w & highs);
}

static value *parse_string(parser *p, int is_key) {
  u32 start = ++p->i, w = start;
  int escaped = 0;
  /* Plain text is skipped eight bytes at a time; the byte loop below takes over at the
   * word holding the closing quote, an escape or a control character. */
  while (p->i + 8 <= p->len) {
    u64 word;
    __builtin_memcpy(&word, p->s + p->i, 8);
    u64 special = special_bytes(word);
    /* The lowest flagged byte is exact (borrows only flag bytes above a real match): a plain
     * closing quote ends the string here, without the byte loop. */
    if (special) {
      u32 at = p->i + (u32)(__builtin_ctzll(special) >> 3);
      if (p->s[at] == '"') { p->i = at; w = at; goto closed; }
      break;
    }
    p->i += 8;
  }
  w = p->i;
  while (p->i < p->len) {
    char c = p->s[p->i];
    if (c == '"') {
    closed:
      p->i++;
      u32 n = w - start;
      if (is_key && p->kmask) return intern(p->keys, p->kmask, p->s + start, n);
      if (!is_key && p->smask && n <= INTERN_MAX_STR) return intern(p->strs, p->smask, p->s + start, n);
      return opa_string(p->s + start, n);
    }
    if ((u8)c < 0x20) break;
    if (c != '\\') { if (escaped) p->s[w] = c; w++; p->i++; continue; }
    escaped = 1;
    if (p->i + 1 >= p->len) break;
    char e = p->s[p->i + 1];
    p->i += 2;
    switch (e) {
    case '"': p->s[w++] = '"'; break;
    case '\\': p->s[w++] = '\\'; break;
    case '/': p->s[w++] = '/'; break;
    case 'b': p->s[w++] = '\b'; break;
    case 'f': p->s[w++] = '\f'; break;
    case 'n': p->s[w++] = '\n'; break;
    case 'r': p->s[w++] = '\r'; break;
    case 't': p->s[w++] = '\t'; break;
    case 'u': {
      u32 cp;
      if (!hex4(p, p->i, &cp)) { p->err = 1; return NULL; }
      p->i += 4;
      if (cp >= 0xD800 && cp < 0xDC00 && p->i + 6 <= p->len && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u') {
        u32 lo;
        if (hex4(p, p->i + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          p->i += 6;
        }
      }
      w += put_utf8(p->s + w, cp);
      break;
    }
    default: p->err = 1; return NULL;
    }
  }
  p->err = 1;
  return NULL;
}

static value *parse_value(parser *p, int depth);

/* Records of one kind repeat their keys in the same order, so the key after `prev` (NULL: an
 * object's first key) is most likely the one that followed it last time. A key read from the
 * text that matches the predicted key byte for byte, closing quote included, is that (interned)
 * value: no scan, hash or cache probe. */
#define NEXT_KEY_SLOTS 1024u
static inline u32 next_key_slot(value *prev) { return ((u32)(size_t)prev * 0x9e3779b1u) >> 22; }

/* The string at p->i if it is spelled exactly as guess (its bytes, then the closing quote). */
static inline value *as_guessed(parser *p, vstr *guess) {
  if (!guess) return NULL;
  u32 at = p->i + 1, n = guess->len;
  if (at + n >= p->len || p->s[at + n] != '"' || rt_memcmp(p->s + at, guess->s, n) != 0) return NULL;
  p->i = at + n + 1;
  return (value *)guess;
}

/* Parses a string and, when it was spelled without escapes, remembers it in *slot: its bytes
 * then hold no quote, backslash or control character, so text equal to them plus a quote is
 * that string and nothing else. */
static inline value *parse_and_remember(parser *p, int is_key, value **slot) {
  u32 start = p->i;
  value *v = parse_string(p, is_key);
  if (v && ((vstr *)v)->len == p->i - start - 2) *slot = v;
  return v;
}

static value *parse_key(parser *p, value *prev) {
  if (!p->kmask) return parse_string(p, 1);
  value **slot = &p->next_key[next_key_slot(prev)];
  value *k = as_guessed(p, (vstr *)*slot);
  return k ? k : parse_and_remember(p, 1, slot);
}

/* A member's string value: records of one kind often repeat it under the same key ("kind":
 * "human", "source": "corp-ad"), so the value last read under that key is tried first. Only
 * values the intern cache shares are remembered (unique long ones would only cost a compare). */
static value *parse_member_string(parser *p, value *key) {
  if (!p->smask) return parse_string(p, 0);
  value **slot = &p->last_val[next_key_slot(key)];
  value *v = as_guessed(p, (vstr *)*slot);
  if (v) return v;
  v = parse_and_remember(p, 0, slot);
  if (v && ((vstr *)v)->len > INTERN_MAX_STR && *slot == v) *slot = NULL;
  return v;
}

/* Sets crossing to and from host builtins travel as {"\u0000set": [...]} (a key no JSON
 * document has in practice): the parser turns the tag back into a set, and while
 * rt_tag_sets(1) is on (around a host builtin call) the writer emits it. */
static int tag_sets;
EXPORT(rt_tag_sets) void rt_tag_sets(i32 on) { tag_sets = on; }
static int is_set_tag(value *k) {
  vstr *s = (vstr *)k;
  return k->type == T_STR && s->len == 4 && s->s[0] == 0 && s->s[1] == 's' && s->s[2] == 'e' && s->s[3] == 't';
}

/* Integers beyond 2^53 would lose digits in the host's JSON.parse, so they cross tagged too,
 * as {"\u0000int": "digits"}, both ways (OPA's builtins see int64 timestamps exactly). */
static int is_int_tag(value *k) {
  vstr *s = (vstr *)k;
  return k->type == T_STR && s->len == 4 && s->s[0] == 0 && s->s[1] == 'i' && s->s[2] == 'n' && s->s[3] == 't';
}
static int integer_text(const char *s, u32 n) {
  u32 i = n && s[0] == '-';
  if (i == n) return 0;
  for (; i < n; i++) if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}
#define EXACT_DOUBLE_MAX 9007199254740992LL
static int beyond_double(value *v) {
  vnum *x = (vnum *)v;
  if (x->is_int) return x->i > EXACT_DOUBLE_MAX || x->i < -EXACT_DOUBLE_MAX;
  return x->len > 15 && integer_text(x->s, x->len);
}

static value *parse_number(parser *p) {
  u32 start = p->i;
  if (p->s[p->i] == '-') p->i++;
  u32 digits = p->i;
  while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
  if (p->i == digits) { p->err = 1; return NULL; }
  int simple = 1;
  if (p->i < p->len && p->s[p->i] == '.') {
    simple = 0; p->i++;
    u32 f = p->i;
    while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
    if (p->i == f) { p->err = 1; return NULL; }
  }
  if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
    simple = 0; p->i++;
    if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-')) p->i++;
    u32 f = p->i;
    while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
    if (p->i == f) { p->err = 1; return NULL; }
  }
  /* fast path: short plain integers */
  if (simple && p->i - digits <= 18) {
    i64 v = 0;
    for (u32 k = digits; k < p->i; k++) v = v * 10 + (p->s[k] - '0');
    return opa_number_int(p->s[start] == '-' ? -v : v);
  }
  return opa_number_ref(p->s + start, p->i - start);
}

static int lit(parser *p, const char *w, u32 n) {
  if (p->i + n > p->len || rt_memcmp(p->s + p->i, w, n) != 0) return 0;
  p->i += n; return 1;
}

static value *parse_value(parser *p, int depth) {
  if (depth > 1000) { p->err = 1; return NULL; } /* bounded by the 128 KiB stack */
  ws(p);
  if (p->i >= p->len) { p->err = 1; return NULL; }
  char c = p->s[p->i];
  switch (c) {
  case '"': return parse_string(p, 0);
  case 'n': if (lit(p, "null", 4)) return opa_null(); break;
  case 't': if (lit(p, "true", 4)) return opa_boolean(1); break;
  case 'f': if (lit(p, "false", 5)) return opa_boolean(0); break;
  case '[': {
    p->i++;
    u32 mark = p->sp;
    ws(p);
    if (p->i < p->len && p->s[p->i] == ']') { p->i++; return rt_array_from(NULL, 0); }
    for (;;) {
      value *v = parse_value(p, depth + 1);
      if (!v) return NULL;
      push(p, v);
      ws(p);
      if (p->i >= p->len) break;
      if (p->s[p->i] == ',') { p->i++; continue; }
      if (p->s[p->i] == ']') {
        p->i++;
        value *a = rt_array_from(p->stk + mark, p->sp - mark);
        p->sp = mark;
        return a;
      }
      break;
    }
    p->err = 1; return NULL;
  }
  case '{': {
    p->i++;
    u32 mark = p->sp;
    ws(p);
    if (p->i < p->len && p->s[p->i] == '}') { p->i++; return rt_object_from(NULL, 0); }
    value *k = NULL;
    for (;;) {
      ws(p);
      if (p->i >= p->len || p->s[p->i] != '"') break;
      k = parse_key(p, k);
      if (!k) return NULL;
      ws(p);
      if (p->i >= p->len || p->s[p->i] != ':') break;
      p->i++;
      ws(p);
      value *v = p->i < p->len && p->s[p->i] == '"' ? parse_member_string(p, k) : parse_value(p, depth + 1);
      if (!v) return NULL;
      push(p, k);
      push(p, v);
      ws(p);
      if (p->i >= p->len) break;
      if (p->s[p->i] == ',') { p->i++; continue; }
      if (p->s[p->i] == '}') {
        p->i++;
        if (p->sp - mark == 2 && is_int_tag(p->stk[mark]) && p->stk[mark + 1]->type == T_STR) {
          vstr *d = (vstr *)p->stk[mark + 1];
          if (!integer_text(d->s, d->len)) { p->err = 1; return NULL; }
          p->sp = mark;
          return opa_number_ref(d->s, d->len);
        }
        if (p->sp - mark == 2 && is_set_tag(p->stk[mark]) && p->stk[mark + 1]->type == T_ARR) {
          varr *a = (varr *)p->stk[mark + 1];
          value *set = opa_set();
          for (u32 i = 0; i < a->len; i++) opa_set_add(set, a->elems[i]);
          p->sp = mark;
          return set;
        }
        value *o = rt_object_from(p->stk + mark, (p->sp - mark) / 2);
        p->sp = mark;
        return o;
      }
      break;
    }
    p->err = 1; return NULL;
  }
  default:
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(p);
  }
  p->err = 1;
  return NULL;
}

/* The policy's own string constants (set by the module's start function). Seeded into the
 * intern caches, they make a parsed key or short string the very value the policy's code
 * names: a lookup of `a.enabled` or a test `a.kind == "human"` then finds its key by address
 * and never compares bytes. The caches may still evict them; equality by content stays. */
static vstr **seeds;
static u32 nseeds;
EXPORT(rt_set_string_seeds) void rt_set_string_seeds(vstr **s, u32 n) { seeds = s; nseeds = n; }

static void seed(struct slot *tab, u32 mask, vstr *v) {
  u32 h = rt_hash((value *)v), j = h & mask;
  for (u32 probe = 0; probe < 4; probe++, j = (j + 1) & mask) if (!tab[j].v) { tab[j].hash = h; tab[j].v = v; return; }
}

value *rt_json_parse(char *s, u32 len) {
  parser p = {s, 0, len, 0, NULL, 0, 0, NULL, 0, NULL, 0, NULL, NULL};
  if (len >= INTERN_MIN_TEXT) {
    u32 ks = pow2_clamp(len / 1024u, 256u, 4096u), ss = pow2_clamp(len / 256u, 1024u, 16384u);
    p.keys = new_table(ks); p.kmask = ks - 1;
    p.strs = new_table(ss); p.smask = ss - 1;
    p.next_key = rt_malloc(2 * NEXT_KEY_SLOTS * sizeof(value *));
    rt_memset(p.next_key, 0, 2 * NEXT_KEY_SLOTS * sizeof(value *));
    p.last_val = p.next_key + NEXT_KEY_SLOTS;
    for (u32 i = 0; i < nseeds; i++) {
      seed(p.keys, p.kmask, seeds[i]);
      if (seeds[i]->len <= INTERN_MAX_STR) seed(p.strs, p.smask, seeds[i]);
    }
  }
  value *v = parse_value(&p, 0);
  if (!v || p.err) return NULL;
  ws(&p);
  if (p.i != p.len) return NULL;
  return v;
}

EXPORT(opa_json_parse) value *opa_json_parse(char *s, u32 len) { return rt_json_parse(s, len); }
EXPORT(opa_value_parse) value *opa_value_parse(char *s, u32 len) { return rt_json_parse(s, len); }

static const char HEX[] = "0123456789abcdef";

static void write_string(buf *b, const char *s, u32 n) {
  buf_putc(b, '"');
  u32 run = 0;
  for (u32 i = 0; i < n; i++) {
    u8 c = (u8)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    buf_put(b, s + run, i - run); run = i + 1;
    switch (c) {
    case '"': buf_puts(b, "\\\""); break;
    case '\\': buf_puts(b, "\\\\"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': buf_puts(b, "\\r"); break;
    case '\t': buf_puts(b, "\\t"); break;
    default: { char e[6] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]}; buf_put(b, e, 6); }
    }
  }
  buf_put(b, s + run, n - run);
  buf_putc(b, '"');
}

/* Sets dump as arrays and non-string object keys as their JSON text, as OPA does. */
void rt_json_write(buf *b, value *v) {
  switch (v->type) {
  case T_NULL: buf_puts(b, "null"); return;
  case T_BOOL: buf_puts(b, ((vbool *)v)->b ? "true" : "false"); return;
  case T_NUM:
    if (tag_sets && beyond_double(v)) { buf_puts(b, "{\"\\u0000int\":\""); rt_num_write(b, v); buf_puts(b, "\"}"); return; }
    rt_num_write(b, v);
    return;
  case T_STR: write_string(b, ((vstr *)v)->s, ((vstr *)v)->len); return;
  case T_ARR: {
    varr *a = (varr *)v;
    buf_putc(b, '[');
    for (u32 i = 0; i < a->len; i++) { if (i) buf_putc(b, ','); rt_json_write(b, a->elems[i]); }
    buf_putc(b, ']');
    return;
  }
  case T_SET: {
    vobj *o = (vobj *)v; entry **ord = rt_obj_sorted(o);
    buf_puts(b, tag_sets ? "{\"\\u0000set\":[" : "[");
    for (u32 i = 0; i < o->len; i++) { if (i) buf_putc(b, ','); rt_json_write(b, ord[i]->key); }
    buf_puts(b, tag_sets ? "]}" : "]");
    return;
  }
  case T_OBJ: {
    vobj *o = (vobj *)v; entry **ord = rt_obj_sorted(o);
    buf_putc(b, '{');
    for (u32 i = 0; i < o->len; i++) {
      if (i) buf_putc(b, ',');
      value *k = ord[i]->key;
      if (k->type == T_STR) rt_json_write(b, k);
      else { buf tb; buf_init(&tb, 32); rt_json_write(&tb, k); write_string(b, tb.p, tb.len); }
      buf_putc(b, ':');
      rt_json_write(b, ord[i]->val);
    }
    buf_putc(b, '}');
    return;
  }
  }
}

char *rt_json_dump_cstr(value *v) {
  buf b; buf_init(&b, 256);
  rt_json_write(&b, v);
  return buf_cstr(&b);
}

EXPORT(opa_json_dump) char *opa_json_dump(value *v) { return rt_json_dump_cstr(v); }
EXPORT(opa_value_dump) char *opa_value_dump(value *v) { return rt_json_dump_cstr(v); }
