/* regex.match and regex.is_valid: a linear-time matcher (Pike VM) for the RE2 syntax policies
 * use (literals, '.', classes with ranges and negation, \d \w \s and their negations, \b \B,
 * ^ $ \A \z, groups, alternation, greedy and lazy quantifiers), searching unanchored like Go's
 * MatchString with Go's default flags ('.' excludes '\n', ^ and $ only at the text's ends).
 * Valid RE2 this matcher does not implement (flags, \p{..}, POSIX classes, octal), and a pattern
 * whose program would be too large, are left to the host (RE2 semantics too), never guessed. */
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

/* ---- matching: a Pike VM (Thompson NFA simulation), linear in the text ----
 * The tree is compiled to a program of rune tests, splits, jumps and zero-width assertions; the
 * text is read once, rune by rune, keeping the set of program counters alive at that position
 * (each at most once). Time is O(text runes x program size) whatever the pattern: (a+)+$ and
 * (a*)*b cost the same per rune as a+$, as in RE2 and Go's regexp. Only "is there a match" is
 * asked, so greedy and lazy repeats compile alike. */
enum { I_RUNE, I_ASSERT, I_SPLIT, I_JMP, I_MATCH };
typedef struct { u8 op; node *n; u32 x, y; } inst;  /* I_RUNE/I_ASSERT: n; I_SPLIT: x, y; I_JMP: x */
typedef struct { inst *code; u32 len, cap; int too_big; } program;
/* Counted repeats are copied out ((x{1000}){1000} would be a million copies): past this size the
 * call goes to the host, whose RE2 engine (linear too) accepts or rejects it as Go does. */
#define MAX_PROGRAM 20000u

static u32 emit(program *p, u8 op, node *n) {
  if (p->len >= MAX_PROGRAM) { p->too_big = 1; return p->len - 1; }
  if (p->len == p->cap) {
    u32 cap = p->cap ? p->cap * 2 : 64; inst *c = rt_malloc(cap * sizeof(inst));
    if (p->len) rt_memcpy(c, p->code, p->len * sizeof(inst));
    p->code = c; p->cap = cap;
  }
  inst *i = &p->code[p->len]; i->op = op; i->n = n; i->x = i->y = 0;
  return p->len++;
}

static void emit_seq(program *p, node *n);

/* One atom (n->next is the caller's business). */
static void emit_atom(program *p, node *n) {
  if (p->too_big) return;
  switch (n->t) {
  case N_CHAR: case N_ANY: case N_CLASS: emit(p, I_RUNE, n); return;
  case N_BOT: case N_EOT: case N_WORDB: case N_NWORDB: emit(p, I_ASSERT, n); return;
  case N_GROUP: emit_seq(p, n->child); return;
  case N_ALT: {
    u32 *jumps = rt_malloc(n->nalt * sizeof(u32)); u32 nj = 0;
    for (u32 a = 0; a < n->nalt; a++) {
      u32 split = 0;
      if (a + 1 < n->nalt) { split = emit(p, I_SPLIT, NULL); p->code[split].x = p->len; }
      emit_seq(p, n->alts[a]);
      if (a + 1 < n->nalt) { jumps[nj++] = emit(p, I_JMP, NULL); p->code[split].y = p->len; }
      if (p->too_big) return;
    }
    for (u32 j = 0; j < nj; j++) p->code[jumps[j]].x = p->len;
    return;
  }
  default: { /* N_REP: min copies, then a loop (unbounded) or max-min nested optional copies */
    for (i32 k = 0; k < n->min && !p->too_big; k++) emit_atom(p, n->child);
    if (n->max < 0) {
      u32 loop = emit(p, I_SPLIT, NULL); p->code[loop].x = p->len;
      emit_atom(p, n->child);
      u32 back = emit(p, I_JMP, NULL);
      if (p->too_big) return;
      p->code[back].x = loop; p->code[loop].y = p->len;
      return;
    }
    i32 optional = n->max - n->min;
    u32 *splits = rt_malloc((u32)(optional > 0 ? optional : 1) * sizeof(u32));
    for (i32 k = 0; k < optional && !p->too_big; k++) {
      splits[k] = emit(p, I_SPLIT, NULL); p->code[splits[k]].x = p->len;
      emit_atom(p, n->child);
    }
    if (p->too_big) return;
    for (i32 k = 0; k < optional; k++) p->code[splits[k]].y = p->len;
  }
  }
}

static void emit_seq(program *p, node *n) {
  for (; n && !p->too_big; n = n->next) emit_atom(p, n);
}

static int is_word_at(const char *s, u32 len, u32 i) {
  if (i >= len) return 0;
  char c = s[i];
  return is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int assertion_holds(node *n, const char *s, u32 len, u32 i) {
  switch (n->t) {
  case N_BOT: return i == 0;
  case N_EOT: return i == len;
  default: {
    int boundary = is_word_at(s, len, i) != (i > 0 && is_word_at(s, len, i - 1));
    return boundary == (n->t == N_WORDB);
  }
  }
}

/* Does the rune c (decoded at the text position) pass the rune test n? */
static int rune_matches(node *n, u32 c) {
  switch (n->t) {
  case N_CHAR: return c == n->c;
  case N_ANY: return c != '\n';
  default: {
    int in = 0;
    for (u32 r = 0; r < n->nrng && !in; r++) in = c >= n->rng[2 * r] && c <= n->rng[2 * r + 1];
    return in != n->neg;
  }
  }
}

typedef struct { u32 *pcs; u32 n; } thread_list;
typedef struct { program *prog; const char *s; u32 len; u32 *mark; u32 *stack; u32 steps; } vm;

/* Steps (instructions visited) of the last match, so tests can show the cost is linear. */
static u32 last_steps;
u32 opa_regex_last_steps(void) { return last_steps; }

/* Adds pc and everything reachable from it without reading a rune, at text position pos, to the
 * list; each pc at most once per position (mark == stamp). Returns 1 when a match is reached. */
static int add_thread(vm *v, thread_list *l, u32 pc, u32 pos, u32 stamp) {
  u32 top = 0;
  v->stack[top++] = pc;
  while (top) {
    u32 p = v->stack[--top];
    if (v->mark[p] == stamp) continue;
    v->mark[p] = stamp;
    v->steps++;
    inst *i = &v->prog->code[p];
    switch (i->op) {
    case I_MATCH: return 1;
    case I_RUNE: l->pcs[l->n++] = p; break;
    case I_JMP: v->stack[top++] = i->x; break;
    case I_SPLIT: v->stack[top++] = i->y; v->stack[top++] = i->x; break;
    default: if (assertion_holds(i->n, v->s, v->len, pos)) v->stack[top++] = p + 1; break;
    }
  }
  return 0;
}

/* Unanchored search, as Go's MatchString: 1 match, 0 none. */
static int search(program *prog, const char *s, u32 len) {
  u32 size = prog->len;
  vm v = {prog, s, len, rt_malloc(size * sizeof(u32)), rt_malloc((2 * size + 2) * sizeof(u32)), 0};
  rt_memset(v.mark, 0, size * sizeof(u32));
  thread_list a = {rt_malloc(size * sizeof(u32)), 0}, b = {rt_malloc(size * sizeof(u32)), 0};
  thread_list *cur = &a, *next = &b;
  u32 stamp = 1, pos = 0;
  int r = add_thread(&v, cur, 0, 0, stamp);
  while (!r && pos < len) {
    u32 w, c = decode(s, len, pos, &w);
    stamp++;
    next->n = 0;
    for (u32 t = 0; t < cur->n && !r; t++) {
      u32 pc = cur->pcs[t];
      v.steps++;
      if (rune_matches(prog->code[pc].n, c)) r = add_thread(&v, next, pc + 1, pos + w, stamp);
    }
    pos += w;
    /* a match may also start here */
    if (!r) r = add_thread(&v, next, 0, pos, stamp);
    thread_list *tmp = cur; cur = next; next = tmp;
  }
  last_steps = v.steps;
  return r;
}

static program *compile_program(node *re) {
  program *p = rt_malloc(sizeof(program));
  rt_memset(p, 0, sizeof(program));
  emit_seq(p, re);
  emit(p, I_MATCH, NULL);
  return p->too_big ? NULL : p;
}

/* Exported as guards, not as native builtins: the host's RE2 translation also covers flags,
 * POSIX classes and \Q..\E, so a call this matcher cannot answer exactly (unsupported syntax,
 * an invalid pattern whose error text the host reports, a program too large, a non-string operand)
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
  program *prog = compile_program(re);
  if (!prog) return NULL; /* a program too large to copy out: the host decides */
  vstr *s = (vstr *)str;
  return opa_boolean(search(prog, s->s, s->len));
}
