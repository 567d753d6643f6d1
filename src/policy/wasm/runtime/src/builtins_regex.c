/* regex.match and regex.is_valid: a compact backtracking matcher for the RE2 syntax policies
 * use (literals, '.', classes with ranges and negation, \d \w \s and their negations, \b \B,
 * ^ $ \A \z, groups, alternation, greedy and lazy quantifiers), searching unanchored like Go's
 * MatchString with Go's default flags ('.' excludes '\n', ^ and $ only at the text's ends).
 * Valid RE2 this matcher does not implement (flags, \p{..}, POSIX classes, octal), and a match
 * that exceeds the step or depth budget, are left to the host, never guessed. */
#include "builtins.h"

enum { N_CHAR, N_ANY, N_CLASS, N_BOT, N_EOT, N_WORDB, N_NWORDB, N_GROUP, N_ALT, N_REP };
typedef struct node {
  u8 t, lazy, neg;
  u32 c;                   /* N_CHAR rune */
  u32 *rng; u32 nrng;      /* N_CLASS: [lo, hi] pairs */
  struct node *child;      /* N_GROUP, N_REP */
  struct node **alts; u32 nalt;
  i32 min, max;            /* N_REP; max -1 = unbounded */
  struct node *next;
} node;

/* compile status: 0 ok, 1 invalid RE2, 2 valid but unsupported */
typedef struct { const char *s; u32 i, len; int err; } re_parser;

static node *new_node(u8 t) { node *n = rt_malloc(sizeof(node)); rt_memset(n, 0, sizeof(node)); n->t = t; return n; }

static u32 decode(const char *s, u32 len, u32 i, u32 *n) {
  u8 c = (u8)s[i];
  if (c < 0x80) { *n = 1; return c; }
  u32 k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (k == 1 || i + k > len) { *n = 1; return 0xFFFD; }
  u32 cp = c & (0x3F >> (k - 1));
  for (u32 j = 1; j < k; j++) {
    u8 t = (u8)s[i + j];
    if ((t & 0xC0) != 0x80) { *n = 1; return 0xFFFD; }
    cp = cp << 6 | (t & 0x3F);
  }
  *n = k;
  return cp;
}

typedef struct { u32 *r; u32 n, cap; } ranges;
static void add_range(ranges *r, u32 lo, u32 hi) {
  if (r->n + 2 > r->cap) {
    u32 cap = r->cap ? r->cap * 2 : 16; u32 *p = rt_malloc(cap * sizeof(u32));
    if (r->n) rt_memcpy(p, r->r, r->n * sizeof(u32));
    r->r = p; r->cap = cap;
  }
  r->r[r->n++] = lo; r->r[r->n++] = hi;
}

/* \d \w \s (and the negations) as ranges; returns 0 if c is not one of them */
static int perl_class(char c, ranges *r) {
  static const u32 D[] = {'0', '9'}, W[] = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}, S[] = {'\t', '\n', '\f', '\r', ' ', ' '};
  const u32 *set; u32 n;
  switch (c | 0x20) {
  case 'd': set = D; n = 2; break;
  case 'w': set = W; n = 8; break;
  case 's': set = S; n = 6; break;
  default: return 0;
  }
  if (c >= 'a') { for (u32 k = 0; k < n; k += 2) add_range(r, set[k], set[k + 1]); return 1; }
  u32 lo = 0; /* complement of the sorted ranges */
  for (u32 k = 0; k < n; k += 2) { if (set[k] > lo) add_range(r, lo, set[k] - 1); lo = set[k + 1] + 1; }
  add_range(r, lo, 0x10FFFF);
  return 1;
}

static int hexdig(char c) { return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1; }

/* A single-rune escape (after '\'); sets p->err on failure. */
static u32 escape_rune(re_parser *p, char c) {
  switch (c) {
  case 'n': return '\n'; case 't': return '\t'; case 'r': return '\r';
  case 'f': return '\f'; case 'v': return '\v'; case 'a': return 7;
  case 'x': {
    if (p->i + 2 <= p->len && hexdig(p->s[p->i]) >= 0 && hexdig(p->s[p->i + 1]) >= 0) {
      u32 v = (u32)(hexdig(p->s[p->i]) * 16 + hexdig(p->s[p->i + 1])); p->i += 2; return v;
    }
    p->err = p->i < p->len && p->s[p->i] == '{' ? 2 : 1; return 0;
  }
  }
  if ((u8)c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return (u8)c;
  /* \0 (octal), \p \P (Unicode classes), \Q..\E and \C are RE2 but not implemented here */
  p->err = (c == '0' || c == 'p' || c == 'P' || c == 'Q' || c == 'C') ? 2 : 1;
  return 0;
}

static node *parse_class(re_parser *p) {
  node *n = new_node(N_CLASS); ranges r = {NULL, 0, 0};
  if (p->i < p->len && p->s[p->i] == '^') { n->neg = 1; p->i++; }
  int first = 1;
  for (;;) {
    if (p->i >= p->len) { p->err = 1; return NULL; } /* missing closing ] */
    char c = p->s[p->i];
    if (c == ']' && !first) { p->i++; break; }
    first = 0;
    if (c == '[' && p->i + 1 < p->len && p->s[p->i + 1] == ':') { p->err = 2; return NULL; } /* POSIX class */
    u32 lo, k;
    if (c == '\\') {
      if (p->i + 1 >= p->len) { p->err = 1; return NULL; }
      char e = p->s[p->i + 1]; p->i += 2;
      if (perl_class(e, &r)) {
        if (p->i + 1 < p->len && p->s[p->i] == '-' && p->s[p->i + 1] != ']') { p->err = 1; return NULL; } /* \d-z */
        continue;
      }
      lo = escape_rune(p, e);
      if (p->err) return NULL;
    } else { lo = decode(p->s, p->len, p->i, &k); p->i += k; }
    u32 hi = lo;
    if (p->i + 1 < p->len && p->s[p->i] == '-' && p->s[p->i + 1] != ']') {
      p->i++;
      char c2 = p->s[p->i];
      if (c2 == '\\') {
        if (p->i + 1 >= p->len) { p->err = 1; return NULL; }
        char e = p->s[p->i + 1]; p->i += 2;
        if (perl_class(e, &r)) { p->err = 1; return NULL; } /* a range ending in \d is invalid */
        hi = escape_rune(p, e);
        if (p->err) return NULL;
      } else { hi = decode(p->s, p->len, p->i, &k); p->i += k; }
      if (hi < lo) { p->err = 1; return NULL; } /* invalid character class range */
    }
    add_range(&r, lo, hi);
  }
  n->rng = r.r; n->nrng = r.n / 2;
  return n;
}

static node *parse_alt(re_parser *p, int depth);

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* {m}, {m,}, {m,n}: returns 1 and consumes it if the text is a repeat spec (else '{' is literal). */
static int repeat_spec(re_parser *p, i32 *min, i32 *max) {
  u32 i = p->i + 1; i32 a = 0, b;
  if (i >= p->len || !is_digit(p->s[i])) return 0;
  while (i < p->len && is_digit(p->s[i])) { if (a <= 100000) a = a * 10 + (p->s[i] - '0'); i++; }
  if (i < p->len && p->s[i] == '}') b = a;
  else if (i < p->len && p->s[i] == ',') {
    i++;
    if (i < p->len && p->s[i] == '}') b = -1;
    else {
      if (i >= p->len || !is_digit(p->s[i])) return 0;
      b = 0;
      while (i < p->len && is_digit(p->s[i])) { if (b <= 100000) b = b * 10 + (p->s[i] - '0'); i++; }
      if (i >= p->len || p->s[i] != '}') return 0;
    }
  } else return 0;
  p->i = i + 1; *min = a; *max = b;
  return 1;
}

static node *parse_seq(re_parser *p, int depth) {
  node *head = NULL, *tail = NULL;
  while (p->i < p->len && p->s[p->i] != '|' && p->s[p->i] != ')') {
    char c = p->s[p->i]; node *n;
    if (c == '*' || c == '+' || c == '?') { p->err = 1; return NULL; } /* missing argument to repetition */
    if (c == '{') { i32 a, b; u32 save = p->i; if (repeat_spec(p, &a, &b)) { p->err = 1; return NULL; } p->i = save; }
    if (c == '(') {
      p->i++;
      if (p->i < p->len && p->s[p->i] == '?') {
        if (p->i + 1 < p->len && p->s[p->i + 1] == ':') p->i += 2;
        else if (p->i + 2 < p->len && (p->s[p->i + 1] == 'P' || p->s[p->i + 1] == '<')) {
          u32 j = p->i + (p->s[p->i + 1] == 'P' ? 2 : 1);
          if (j >= p->len || p->s[j] != '<') { p->err = 1; return NULL; }
          u32 start = ++j;
          while (j < p->len && p->s[j] != '>') {
            char d = p->s[j];
            if (!(is_digit(d) || d == '_' || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z'))) { p->err = 1; return NULL; }
            j++;
          }
          if (j >= p->len || j == start) { p->err = 1; return NULL; }
          p->i = j + 1;
        } else { /* flags such as (?i) are RE2 but not implemented; anything else (lookaround) is invalid */
          char f = p->i + 1 < p->len ? p->s[p->i + 1] : 0;
          p->err = (f == 'i' || f == 'm' || f == 's' || f == 'U' || f == '-') ? 2 : 1;
          return NULL;
        }
      }
      n = new_node(N_GROUP);
      n->child = parse_alt(p, depth + 1);
      if (p->err) return NULL;
      if (p->i >= p->len || p->s[p->i] != ')') { p->err = 1; return NULL; } /* missing ) */
      p->i++;
    } else if (c == '[') { p->i++; n = parse_class(p); if (!n) return NULL; }
    else if (c == '.') { p->i++; n = new_node(N_ANY); }
    else if (c == '^') { p->i++; n = new_node(N_BOT); }
    else if (c == '$') { p->i++; n = new_node(N_EOT); }
    else if (c == '\\') {
      if (p->i + 1 >= p->len) { p->err = 1; return NULL; } /* trailing backslash */
      char e = p->s[p->i + 1]; p->i += 2;
      ranges r = {NULL, 0, 0};
      if (perl_class(e, &r)) { n = new_node(N_CLASS); n->rng = r.r; n->nrng = r.n / 2; }
      else if (e == 'b') n = new_node(N_WORDB);
      else if (e == 'B') n = new_node(N_NWORDB);
      else if (e == 'A') n = new_node(N_BOT);
      else if (e == 'z') n = new_node(N_EOT);
      else { n = new_node(N_CHAR); n->c = escape_rune(p, e); if (p->err) return NULL; }
    } else { u32 k; n = new_node(N_CHAR); n->c = decode(p->s, p->len, p->i, &k); p->i += k; }
    /* quantifiers */
    int quantified = 0;
    while (p->i < p->len) {
      char q = p->s[p->i]; i32 a, b;
      if (q == '*') { a = 0; b = -1; p->i++; }
      else if (q == '+') { a = 1; b = -1; p->i++; }
      else if (q == '?') { a = 0; b = 1; p->i++; }
      else if (q == '{' && repeat_spec(p, &a, &b)) {
        if (a > 1000 || b > 1000 || (b >= 0 && b < a)) { p->err = 1; return NULL; } /* invalid repeat count */
      } else break;
      if (quantified) { p->err = 1; return NULL; } /* invalid nested repetition operator */
      quantified = 1;
      node *r = new_node(N_REP); r->child = n; r->min = a; r->max = b;
      if (p->i < p->len && p->s[p->i] == '?') { r->lazy = 1; p->i++; }
      n = r;
    }
    if (tail) tail->next = n; else head = n;
    tail = n;
  }
  return head ? head : new_node(N_GROUP); /* empty: a group with no child matches "" */
}

static node *parse_alt(re_parser *p, int depth) {
  if (depth > 200) { p->err = 2; return NULL; }
  node *first = parse_seq(p, depth);
  if (p->err) return NULL;
  if (p->i >= p->len || p->s[p->i] != '|') return first;
  node *alt = new_node(N_ALT); u32 cap = 4;
  alt->alts = rt_malloc(cap * sizeof(node *)); alt->alts[alt->nalt++] = first;
  while (p->i < p->len && p->s[p->i] == '|') {
    p->i++;
    node *n = parse_seq(p, depth);
    if (p->err) return NULL;
    if (alt->nalt == cap) { node **a = rt_malloc(cap * 2 * sizeof(node *)); rt_memcpy(a, alt->alts, cap * sizeof(node *)); alt->alts = a; cap *= 2; }
    alt->alts[alt->nalt++] = n;
  }
  return alt;
}

static node *compile(const char *s, u32 len, int *err) {
  re_parser p = {s, 0, len, 0};
  node *n = parse_alt(&p, 0);
  if (!p.err && p.i < p.len) p.err = 1; /* unexpected ) */
  *err = p.err;
  return p.err ? NULL : n;
}

/* ---- matching: continuation-passing backtracking with step and depth budgets ---- */
typedef struct cont { int rep; node *n; i32 count; u32 start; struct cont *next; } cont;
typedef struct { const char *s; u32 len; u32 steps, depth; int blown; } matcher;
#define MAX_STEPS 5000000u
#define MAX_DEPTH 600u /* each level keeps ~64 bytes on the 128 KiB shadow stack */

static int m(matcher *x, node *n, u32 i, cont *k);
static int rep(matcher *x, node *n, i32 count, u32 i, u32 prev, cont *k);

static int run(matcher *x, cont *k, u32 i) {
  if (!k) return 1;
  if (k->rep) return rep(x, k->n, k->count, i, k->start, k->next);
  return m(x, k->n, i, k->next);
}

static int is_word(const matcher *x, u32 i) {
  if (i >= x->len) return 0;
  char c = x->s[i];
  return is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the single rune node n matches at i, 0 if none. */
static u32 one(matcher *x, node *n, u32 i) {
  if (i >= x->len) return 0;
  u32 k, c = decode(x->s, x->len, i, &k);
  switch (n->t) {
  case N_CHAR: return c == n->c ? k : 0;
  case N_ANY: return c != '\n' ? k : 0;
  default: {
    int in = 0;
    for (u32 r = 0; r < n->nrng && !in; r++) in = c >= n->rng[2 * r] && c <= n->rng[2 * r + 1];
    return in != n->neg ? k : 0;
  }
  }
}

static int single(node *n) { return n->t == N_CHAR || n->t == N_ANY || n->t == N_CLASS; }

static int m(matcher *x, node *n, u32 i, cont *k) {
  if (x->blown) return 0;
  if (++x->steps > MAX_STEPS || x->depth >= MAX_DEPTH) { x->blown = 1; return 0; }
  int r = 0;
  x->depth++;
  for (;;) { /* iterate over simple nodes without recursing */
    if (!n) { r = run(x, k, i); break; }
    if (single(n)) { u32 w = one(x, n, i); if (!w) break; i += w; n = n->next; continue; }
    if (n->t == N_BOT) { if (i != 0) break; n = n->next; continue; }
    if (n->t == N_EOT) { if (i != x->len) break; n = n->next; continue; }
    if (n->t == N_WORDB || n->t == N_NWORDB) {
      int b = is_word(x, i) != (i > 0 && is_word(x, i - 1));
      if (b != (n->t == N_WORDB)) break;
      n = n->next; continue;
    }
    if (n->t == N_GROUP) { cont c = {0, n->next, 0, 0, k}; r = m(x, n->child, i, &c); break; }
    if (n->t == N_ALT) {
      for (u32 a = 0; a < n->nalt && !r && !x->blown; a++) { cont c = {0, n->next, 0, 0, k}; r = m(x, n->alts[a], i, &c); }
      break;
    }
    /* N_REP */
    if (single(n->child)) {
      /* a repeated single rune: take the run once, then try the rest from each length */
      u32 pos = i; i32 cnt = 0;
      while ((n->max < 0 || cnt < n->max) && (!n->lazy || cnt < n->min)) {
        u32 w = one(x, n->child, pos); if (!w) break;
        pos += w; cnt++;
      }
      if (cnt < n->min) break;
      if (n->lazy) {
        for (;;) {
          if (m(x, n->next, pos, k)) { r = 1; break; }
          if (x->blown || (n->max >= 0 && cnt >= n->max)) break;
          u32 w = one(x, n->child, pos); if (!w) break;
          pos += w; cnt++;
        }
        break;
      }
      for (;;) {
        if (m(x, n->next, pos, k)) { r = 1; break; }
        if (x->blown || cnt == n->min) break;
        pos--; while (pos > i && ((u8)x->s[pos] & 0xC0) == 0x80) pos--; /* previous rune start */
        cnt--;
      }
      break;
    }
    r = rep(x, n, 0, i, (u32)-1, k);
    break;
  }
  x->depth--;
  return r;
}

static int rep(matcher *x, node *n, i32 count, u32 i, u32 prev, cont *k) {
  if (count > n->min && i == prev) return 0; /* an empty iteration past the minimum adds nothing */
  int more = n->max < 0 || count < n->max;
  cont c = {1, n, count + 1, i, k};
  if (n->lazy) {
    if (count >= n->min && m(x, n->next, i, k)) return 1;
    return more && m(x, n->child, i, &c);
  }
  if (more && m(x, n->child, i, &c)) return 1;
  return count >= n->min && m(x, n->next, i, k);
}

/* 1 match, 0 none, -1 budget exceeded */
static int search(node *re, const char *s, u32 len) {
  matcher x = {s, len, 0, 0, 0};
  /* An unanchored search for .*X matches exactly when one for X does (X may start where .* begins). */
  while (re && re->t == N_REP && re->min == 0 && re->max < 0 && re->child->t == N_ANY) re = re->next;
  for (u32 i = 0; i <= len;) {
    /* a leading literal rune: only start where it is */
    if ((!re || re->t != N_CHAR || one(&x, re, i)) && m(&x, re, i, NULL)) return 1;
    if (x.blown) return -1;
    if (i == len) break;
    u32 k; decode(s, len, i, &k); i += k;
  }
  return 0;
}

/* Exported as guards, not as native builtins: the host's RE2 translation also covers flags,
 * POSIX classes and \Q..\E, so a call this matcher cannot answer exactly (unsupported syntax,
 * an invalid pattern whose error text the host reports, a blown budget, a non-string operand)
 * returns NULL and goes to the host. */
__attribute__((export_name("opa_guard_regex.is_valid"))) value *opa_guard_regex_is_valid(value *pat) {
  if (pat->type != T_STR) return opa_boolean(0);
  int err; compile(((vstr *)pat)->s, ((vstr *)pat)->len, &err);
  return err == 2 ? NULL : opa_boolean(err == 0);
}

__attribute__((export_name("opa_guard_regex.match"))) value *opa_guard_regex_match(value *pat, value *str) {
  if (pat->type != T_STR || str->type != T_STR) return NULL;
  int err; node *re = compile(((vstr *)pat)->s, ((vstr *)pat)->len, &err);
  if (err) return NULL;
  vstr *s = (vstr *)str;
  int r = search(re, s->s, s->len);
  return r < 0 ? NULL : opa_boolean(r);
}
