/* workloads/litmus_parse.c -- the parts of a litmus file that both dialects
 * share, and the entry points.
 *
 * A file reads, in order (herd7's layout):
 *   header      "X86 NAME" or "C NAME"; any other architecture: SIM_EUNSUP
 *   prefix      doc string, (* comments *), diy's "Key=value" metadata lines;
 *               a comment line "Result: ..." gives the expectations
 *   init        { x=0; uint64_t y=1; int z; 0:EAX=1; atomic_t a = ATOMIC_INIT(0);
 *                 p=y; int *q = &z; }  (C: a location's address is a value)
 *   code        the dialect's threads: litmus_x86.c or litmus_c.c
 *   final       locations [...] and one of exists / ~exists / forall (...)
 * Every error names file:line:col (L2), says what was expected and what was
 * found, and leaves no test behind.  Valid herd7 that we cannot run (other
 * architectures, X86 pointers, filter, loops, SRCU, ...) is SIM_EUNSUP,
 * never skipped.
 *
 * Choices, with reasons:
 *   - Location size: 4 bytes unless a declaration says otherwise (an init
 *     declaration such as `uint64_t x=0;` or a C parameter `long *x`); two
 *     declarations of different sizes are an error.  Inits are truncated
 *     to the size once every declaration is known (litmus__finalize).
 *   - Register inits (0:EAX=1) are kept until the threads are parsed, since
 *     the init block comes first: then an X86 register is created if the
 *     code never names it, and a C register must have been declared.
 *   - Observed variables: the condition's, then the locations line's, in
 *     order of first appearance (litmus.h); a locations line may come before
 *     or after the condition, as in herd7.
 *   - "Result:" accepts `model=Never|Sometimes|Always` pairs for any subset
 *     of sc, tso, pso, weak (others stay UNKNOWN); an unknown model or value
 *     is an error, so a typo cannot hide an expectation.  The LKMM's plain
 *     "Result: Never" is accepted and leaves every model UNKNOWN: it speaks of
 *     the LKMM, not of our machines.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "litmus_int.h"

/* --- Errors ------------------------------------------------------------ */

int litmus__err_at(litmus_ps *ps, unsigned line, unsigned col, int code, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sim_errf(ps->err, code, "%s:%u:%u: %s", ps->fname, line, col, msg);
}

int litmus__err_tok(litmus_ps *ps, const litmus_tok *tok, int code, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sim_errf(ps->err, code, "%s:%u:%u: %s", ps->fname, tok->line, tok->col, msg);
}

static const char *tok_desc(const litmus_tok *tok, char *buf, size_t n) {
  if (tok->kind == LT_EOF) return "end of file";
  if (tok->kind == LT_UNTERM)
    return tok->s[0] == '"' ? "an unterminated string" : "an unterminated comment";
  if (tok->kind == LT_BAD && isdigit((unsigned char)tok->s[0])) return "a number too large for 64 bits";
  unsigned len = tok->len > 24 ? 24 : tok->len;
  snprintf(buf, n, "'%.*s'%s", (int)len, tok->s, tok->len > len ? "..." : "");
  return buf;
}

int litmus__expected(litmus_ps *ps, const litmus_tok *tok, const char *what) {
  char buf[40];
  return litmus__err_tok(ps, tok, SIM_ESYNTAX, "expected %s but found %s", what,
                         tok_desc(tok, buf, sizeof buf));
}

int litmus__expect(litmus_ps *ps, litmus_tk k, const char *what, litmus_tok *out) {
  litmus_tok tok;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind != k) return litmus__expected(ps, &tok, what);
  if (out) *out = tok;
  return 0;
}

int litmus__int(litmus_ps *ps, int64_t *v) {
  litmus_tok tok;
  bool neg = false;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind == LT_MINUS) {
    neg = true;
    litmus__lex_next(&ps->lx, &tok);
  }
  if (tok.kind != LT_NUM) return litmus__expected(ps, &tok, "an integer");
  *v = (int64_t)(neg ? 0 - tok.num : tok.num); /* wraps: 0xffffffffffffffff is -1 */
  return 0;
}

/* --- Building ------------------------------------------------------------ */

static int nomem(litmus_ps *ps) { return sim_errf(ps->err, SIM_ENOMEM, "%s: out of memory", ps->fname); }

static int grow(litmus_ps *ps, void **arr, unsigned *cap, unsigned need, size_t elem) {
  if (need <= *cap) return 0;
  unsigned nc = *cap ? *cap * 2 : 16;
  while (nc < need) nc *= 2;
  void *p = realloc(*arr, nc * elem);
  if (!p) return nomem(ps);
  *arr = p;
  *cap = nc;
  return 0;
}

int litmus__loc_get(litmus_ps *ps, const litmus_tok *name, int *loc) {
  litmus_test *t = ps->t;
  int i = litmus__loc_find(t, name->s, name->len);
  if (i >= 0) {
    *loc = i;
    return 0;
  }
  if (name->len >= LITMUS_NAME_MAX)
    return litmus__err_tok(ps, name, SIM_EUNSUP, "location name '%.*s' is longer than %d characters",
                           (int)name->len, name->s, LITMUS_NAME_MAX - 1);
  if (t->nlocs >= LITMUS_MAX_LOCS)
    return litmus__err_tok(ps, name, SIM_EUNSUP, "more than %d shared locations", LITMUS_MAX_LOCS);
  litmus_loc *l = &t->loc[t->nlocs];
  memcpy(l->name, name->s, name->len);
  l->name[name->len] = '\0';
  l->size = 4;
  *loc = (int)t->nlocs++;
  return 0;
}

int litmus__reg_add(litmus_ps *ps, unsigned tid, const litmus_tok *at, const char *name,
                    unsigned bytes, bool hidden, int *reg) {
  litmus_thread *th = &ps->t->th[tid];
  if (strlen(name) >= LITMUS_NAME_MAX)
    return litmus__err_tok(ps, at, SIM_EUNSUP, "register name '%s' is longer than %d characters",
                           name, LITMUS_NAME_MAX - 1);
  if (th->nregs >= LITMUS_MAX_REGS)
    return litmus__err_tok(ps, at, SIM_EUNSUP, "P%u needs more than %d registers%s", tid,
                           LITMUS_MAX_REGS, hidden ? " (counting one per shared access inside an expression)" : "");
  litmus_reg *r = &th->reg[th->nregs];
  snprintf(r->name, sizeof r->name, "%s", name);
  r->bytes = (uint8_t)bytes;
  r->hidden = hidden;
  th->reg_init[th->nregs] = 0;
  *reg = (int)th->nregs++;
  return 0;
}

int litmus__emit(litmus_ps *ps, unsigned tid, const litmus_insn *in, unsigned *pc) {
  litmus_thread *th = &ps->t->th[tid];
  if (th->ncode >= LITMUS_MAX_CODE)
    return litmus__err_at(ps, in->line, in->col, SIM_EUNSUP, "P%u has more than %d instructions", tid,
                          LITMUS_MAX_CODE);
  int rc = grow(ps, (void **)&th->code, &th->capcode, th->ncode + 1, sizeof *th->code);
  if (rc) return rc;
  if (pc) *pc = th->ncode;
  th->code[th->ncode++] = *in;
  return 0;
}

/* LI6: a node's depth from its children's (already built: LI2). */
static int node_depth(litmus_ps *ps, const litmus_tok *at, unsigned a, unsigned b, bool leaf, uint16_t *depth) {
  unsigned d = leaf ? 1 : 1 + (a > b ? a : b);
  if (d > LITMUS_MAX_NEST)
    return litmus__err_tok(ps, at, SIM_EUNSUP, "%s nested deeper than %d levels",
                           ps->lx.c_code ? "expression" : "condition", LITMUS_MAX_NEST);
  *depth = (uint16_t)d;
  return 0;
}

int litmus__nest_enter(litmus_ps *ps, const litmus_tok *at) {
  if (ps->nest >= LITMUS_MAX_NEST)
    return litmus__err_tok(ps, at, SIM_EUNSUP,
                           "nested deeper than %d levels (parentheses, '~', '-', '!', blocks or ifs)",
                           LITMUS_MAX_NEST);
  ps->nest++;
  return 0;
}

int litmus__expr(litmus_ps *ps, const litmus_tok *at, litmus_expr e, uint32_t *idx) {
  litmus_test *t = ps->t;
  bool leaf = e.kind == LX_CONST || e.kind == LX_REG;
  int rc = node_depth(ps, at, leaf ? 0 : t->ex[e.a].depth, leaf ? 0 : t->ex[e.b].depth, leaf, &e.depth);
  if (rc) return rc;
  if (t->nex >= LITMUS_MAX_NODES)
    return litmus__err_tok(ps, at, SIM_EUNSUP, "more than %d expression nodes", LITMUS_MAX_NODES);
  rc = grow(ps, (void **)&t->ex, &t->capex, t->nex + 1, sizeof *t->ex);
  if (rc) return rc;
  *idx = t->nex;
  t->ex[t->nex++] = e;
  return 0;
}

int litmus__prop(litmus_ps *ps, const litmus_tok *at, litmus_prop p, uint32_t *idx) {
  litmus_test *t = ps->t;
  bool leaf = p.kind != LP_NOT && p.kind != LP_AND && p.kind != LP_OR && p.kind != LP_IMP;
  unsigned da = leaf ? 0 : t->pr[p.a].depth, db = p.kind == LP_NOT || leaf ? 0 : t->pr[p.b].depth;
  int rc = node_depth(ps, at, da, db, leaf, &p.depth);
  if (rc) return rc;
  if (t->npr >= LITMUS_MAX_NODES)
    return litmus__err_tok(ps, at, SIM_EUNSUP, "condition has more than %d nodes", LITMUS_MAX_NODES);
  rc = grow(ps, (void **)&t->pr, &t->cappr, t->npr + 1, sizeof *t->pr);
  if (rc) return rc;
  *idx = t->npr;
  t->pr[t->npr++] = p;
  return 0;
}

/* --- Types --------------------------------------------------------------- */

static const struct {
  const char *name;
  uint8_t bytes; /* 0: int-like word that leaves the size to the others */
} type_word[] = {
    {"int", 0},       {"signed", 0},    {"unsigned", 0},   {"volatile", 0},     {"const", 0},
    {"char", 1},      {"short", 2},     {"long", 8},       {"int8_t", 1},       {"uint8_t", 1},
    {"int16_t", 2},   {"uint16_t", 2},  {"int32_t", 4},    {"uint32_t", 4},     {"int64_t", 8},
    {"uint64_t", 8},  {"u8", 1},        {"s8", 1},         {"u16", 2},          {"s16", 2},
    {"u32", 4},       {"s32", 4},       {"u64", 8},        {"s64", 8},          {"intptr_t", 8},
    {"uintptr_t", 8}, {"size_t", 8},    {"atomic_t", 4},   {"atomic64_t", 8},   {"atomic_long_t", 8},
    {"spinlock_t", 4}, {"raw_spinlock_t", 4}, {"arch_spinlock_t", 4},
};

/* 1 + bytes for a type word (so 1 for "int"), 0 if not one. */
static unsigned type_word_code(const litmus_tok *tok) {
  if (tok->kind != LT_IDENT) return 0;
  for (size_t i = 0; i < sizeof type_word / sizeof type_word[0]; i++)
    if (litmus__tok_is(tok, type_word[i].name)) return 1u + type_word[i].bytes;
  return 0;
}

unsigned litmus__type_bytes(const litmus_tok *tok) {
  unsigned c = type_word_code(tok);
  return c == 0 ? 0 : c == 1 ? 4 : c - 1;
}

/* A run of type words: "unsigned long", "volatile int", "atomic_t". */
int litmus__type(litmus_ps *ps, unsigned *bytes) {
  litmus_tok tok;
  unsigned explicit_bytes = 0;
  bool any = false;
  for (;;) {
    litmus__lex_peek(&ps->lx, &tok);
    unsigned c = type_word_code(&tok);
    if (c == 0) break;
    litmus__lex_next(&ps->lx, &tok);
    any = true;
    if (c > 1) explicit_bytes = c - 1;
  }
  if (!any) return litmus__expected(ps, &tok, "a type");
  *bytes = explicit_bytes ? explicit_bytes : 4;
  return 0;
}

/* --- Header and prefix ------------------------------------------------- */

static int parse_header(litmus_ps *ps) {
  litmus_tok arch;
  litmus__lex_next(&ps->lx, &arch);
  if (arch.kind != LT_IDENT) return litmus__expected(ps, &arch, "an architecture ('X86', 'AArch64' or 'C')");
  if (litmus__tok_is(&arch, "X86")) {
    ps->t->dialect = LITMUS_DIALECT_X86;
  } else if (litmus__tok_is(&arch, "AArch64")) {
    ps->t->dialect = LITMUS_DIALECT_AARCH64;
  } else if (litmus__tok_is(&arch, "C")) {
    ps->t->dialect = LITMUS_DIALECT_C;
    ps->lx.c_comments = true;
  } else {
    return litmus__err_tok(ps, &arch, SIM_EUNSUP,
                           "architecture '%.*s' is not supported (only X86, AArch64 and C)", (int)arch.len, arch.s);
  }
  const char *q = ps->lx.p;
  while (*q == ' ' || *q == '\t') q++;
  const char *s = q;
  while (*q && !isspace((unsigned char)*q)) q++;
  unsigned line, col;
  if (q == s) {
    litmus__lex_where(&ps->lx, s, &line, &col);
    return litmus__err_at(ps, line, col, SIM_ESYNTAX, "expected a test name after '%.*s'", (int)arch.len,
                          arch.s);
  }
  ps->t->name = strndup(s, (size_t)(q - s));
  if (!ps->t->name) return nomem(ps);
  while (*q == ' ' || *q == '\t' || *q == '\r') q++;
  if (*q && *q != '\n') {
    litmus__lex_where(&ps->lx, q, &line, &col);
    return litmus__err_at(ps, line, col, SIM_ESYNTAX, "expected the end of the line after the test name");
  }
  litmus__lex_skip_line(&ps->lx);
  return 0;
}

/* "Never", "Sometimes", "Always" (w is not NUL-terminated), else UNKNOWN. */
static litmus_expect expect_word(const char *w, size_t n) {
  for (int e = LITMUS_EXPECT_NEVER; e <= LITMUS_EXPECT_ALWAYS; e++) {
    const char *name = litmus_expect_name((litmus_expect)e);
    if (strlen(name) == n && memcmp(name, w, n) == 0) return (litmus_expect)e;
  }
  return LITMUS_EXPECT_UNKNOWN;
}

/* The words after "Result:" up to eol. */
static int parse_result(litmus_ps *ps, const char *p, const char *eol) {
  unsigned line, col;
  if (ps->have_result) {
    litmus__lex_where(&ps->lx, p, &line, &col);
    return litmus__err_at(ps, line, col - 7, SIM_ESYNTAX, "a second 'Result:' line");
  }
  ps->have_result = true;
  bool pairs = false, first = true;
  bool seen[LITMUS_NMODELS] = {false};
  while (p < eol) {
    while (p < eol && (*p == ' ' || *p == '\t' || *p == '*' || *p == '\r')) p++;
    if (p >= eol) break;
    const char *w = p;
    while (p < eol && !isspace((unsigned char)*p)) p++;
    const char *eq = memchr(w, '=', (size_t)(p - w));
    litmus__lex_where(&ps->lx, w, &line, &col);
    if (first && !eq) return 0; /* LKMM's plain "Result: Never": no per-model meaning */
    first = false;
    pairs = true;
    if (!eq)
      return litmus__err_at(ps, line, col, SIM_ESYNTAX, "expected model=Never|Sometimes|Always but found '%.*s'",
                            (int)(p - w), w);
    int m = -1;
    for (int i = 0; i < LITMUS_NMODELS; i++)
      if (strlen(litmus__model_name[i]) == (size_t)(eq - w) &&
          memcmp(litmus__model_name[i], w, (size_t)(eq - w)) == 0)
        m = i;
    if (m < 0)
      return litmus__err_at(ps, line, col, SIM_ESYNTAX, "unknown model '%.*s' (expected sc, tso, pso, weak or arm)",
                            (int)(eq - w), w);
    if (seen[m])
      return litmus__err_at(ps, line, col, SIM_ESYNTAX, "model '%s' appears twice", litmus__model_name[m]);
    seen[m] = true;
    litmus_expect e = expect_word(eq + 1, (size_t)(p - eq - 1));
    if (e == LITMUS_EXPECT_UNKNOWN) {
      litmus__lex_where(&ps->lx, eq + 1, &line, &col);
      return litmus__err_at(ps, line, col, SIM_ESYNTAX, "expected Never, Sometimes or Always but found '%.*s'",
                            (int)(p - eq - 1), eq + 1);
    }
    ps->t->expect[m] = e;
  }
  if (!pairs) {
    litmus__lex_where(&ps->lx, eol, &line, &col);
    return litmus__err_at(ps, line, col, SIM_ESYNTAX, "expected model=Never|Sometimes|Always after 'Result:'");
  }
  return 0;
}

/* Looks for a "Result:" line in a prefix comment; leading blanks and the
 * '*' of a boxed comment do not count. */
static int on_comment(void *ctx, const char *s, size_t len) {
  litmus_ps *ps = ctx;
  const char *end = s + len;
  for (const char *ln = s; ln < end;) {
    const char *eol = memchr(ln, '\n', (size_t)(end - ln));
    if (!eol) eol = end;
    const char *q = ln;
    while (q < eol && (*q == ' ' || *q == '\t' || *q == '*')) q++;
    if (eol - q >= 7 && memcmp(q, "Result:", 7) == 0) {
      int rc = parse_result(ps, q + 7, eol);
      if (rc) return rc;
    }
    ln = eol + 1;
  }
  return 0;
}

static int parse_prefix(litmus_ps *ps) {
  for (;;) {
    int rc = litmus__lex_skip_blank(&ps->lx, on_comment, ps);
    if (rc) return rc;
    litmus_tok tok, tok2;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_STRING) {
      litmus__lex_next(&ps->lx, &tok); /* herd's doc string */
      continue;
    }
    if (tok.kind == LT_IDENT) {
      litmus__lex_peek2(&ps->lx, &tok2);
      if (tok2.kind == LT_ASSIGN) { /* diy metadata: Cycle=..., Relax=..., Generator=... */
        litmus__lex_skip_line(&ps->lx);
        continue;
      }
    }
    if (tok.kind == LT_LBRACE) return 0;
    return litmus__expected(ps, &tok, "'{' (the initial state)");
  }
}

/* --- Init block ------------------------------------------------------------ */

static int init_value(litmus_ps *ps, int64_t *v) {
  litmus_tok tok;
  litmus__lex_peek(&ps->lx, &tok);
  if (litmus__tok_is(&tok, "ATOMIC_INIT")) {
    litmus__lex_next(&ps->lx, &tok);
    int rc = litmus__expect(ps, LT_LPAREN, "'('", NULL);
    if (!rc) rc = litmus__int(ps, v);
    if (!rc) rc = litmus__expect(ps, LT_RPAREN, "')'", NULL);
    return rc;
  }
  if ((tok.kind == LT_IDENT || tok.kind == LT_AMP) && ps->t->dialect == LITMUS_DIALECT_X86)
    return litmus__err_tok(ps, &tok, SIM_EUNSUP,
                           "'%.*s': locations holding addresses are not supported (integer values only)",
                           (int)tok.len, tok.s);
  if (tok.kind == LT_IDENT || tok.kind == LT_AMP) { /* p=y or int *p = &y: y's address */
    litmus_tok name;
    int loc, rc;
    if (tok.kind == LT_AMP) litmus__lex_next(&ps->lx, &tok);
    if ((rc = litmus__expect(ps, LT_IDENT, "a location name", &name)) || (rc = litmus__loc_get(ps, &name, &loc)))
      return rc;
    *v = LITMUS_PTR_BASE + loc;
    return 0;
  }
  return litmus__int(ps, v);
}

static int set_loc_init(litmus_ps *ps, const litmus_tok *name, int64_t v) {
  int loc = 0; /* GCC 12 at -O3 cannot see that litmus__loc_get sets it */
  int rc = litmus__loc_get(ps, name, &loc);
  if (rc) return rc;
  litmus_loc *l = &ps->t->loc[loc];
  if (l->initialised)
    return litmus__err_tok(ps, name, SIM_ESYNTAX, "location '%s' is initialised twice", l->name);
  l->initialised = true;
  l->init = (uint64_t)v;
  return 0;
}

/* Give location `name` the declared size `bytes`. */
int litmus__loc_declare(litmus_ps *ps, const litmus_tok *name, unsigned bytes, bool ptr, int *loc) {
  int rc = litmus__loc_get(ps, name, loc);
  if (rc) return rc;
  litmus_loc *l = &ps->t->loc[*loc];
  if (ptr || l->ptr) {
    l->typed = l->ptr = true;
    l->size = 8;
    return 0;
  }
  if (l->typed && l->size != bytes)
    return litmus__err_tok(ps, name, SIM_ESYNTAX, "location '%s' declared with %u bytes here but %u before",
                           l->name, bytes, (unsigned)l->size);
  l->typed = true;
  l->size = (uint8_t)bytes;
  return 0;
}

static int init_decl(litmus_ps *ps) {
  unsigned bytes;
  int rc = litmus__type(ps, &bytes);
  if (rc) return rc;
  for (;;) {
    litmus_tok name, tok;
    bool ptr = false;
    litmus__lex_next(&ps->lx, &name);
    for (; name.kind == LT_STAR; litmus__lex_next(&ps->lx, &name)) ptr = true; /* int *x = &a */
    if (name.kind != LT_IDENT) return litmus__expected(ps, &name, "a location name");
    int loc;
    rc = litmus__loc_declare(ps, &name, bytes, ptr, &loc);
    if (rc) return rc;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_ASSIGN) {
      int64_t v;
      litmus__lex_next(&ps->lx, &tok);
      rc = init_value(ps, &v);
      if (!rc) rc = set_loc_init(ps, &name, v);
      if (rc) return rc;
      litmus__lex_peek(&ps->lx, &tok);
    }
    if (tok.kind != LT_COMMA) return 0;
    litmus__lex_next(&ps->lx, &tok);
  }
}

static int init_item(litmus_ps *ps) {
  litmus_tok tok, name;
  int rc;
  int64_t v;
  litmus__lex_peek(&ps->lx, &tok);
  if (tok.kind == LT_NUM) { /* 0:EAX=1 */
    litmus__lex_next(&ps->lx, &tok);
    if (tok.num >= LITMUS_MAX_THREADS)
      return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "no thread %" PRIu64, tok.num);
    if ((rc = litmus__expect(ps, LT_COLON, "':'", NULL)) ||
        (rc = litmus__expect(ps, LT_IDENT, "a register name", &name)) ||
        (rc = litmus__expect(ps, LT_ASSIGN, "'='", NULL)) || (rc = init_value(ps, &v)))
      return rc;
    if (name.len >= LITMUS_NAME_MAX)
      return litmus__err_tok(ps, &name, SIM_EUNSUP, "register name too long");
    litmus_rinit *ri = &ps->rinit[ps->nrinit++]; /* bounded: checked below */
    ri->tid = (unsigned)tok.num;
    ri->line = name.line;
    ri->col = name.col;
    memcpy(ri->name, name.s, name.len);
    ri->name[name.len] = '\0';
    ri->val = v;
    if (ps->nrinit >= sizeof ps->rinit / sizeof ps->rinit[0])
      return litmus__err_tok(ps, &name, SIM_EUNSUP, "too many register initialisations");
    return 0;
  }
  if (tok.kind == LT_LBRACK) { /* [x]=1 */
    litmus__lex_next(&ps->lx, &tok);
    if ((rc = litmus__expect(ps, LT_IDENT, "a location name", &name)) ||
        (rc = litmus__expect(ps, LT_RBRACK, "']'", NULL)) || (rc = litmus__expect(ps, LT_ASSIGN, "'='", NULL)) ||
        (rc = init_value(ps, &v)))
      return rc;
    return set_loc_init(ps, &name, v);
  }
  if (tok.kind == LT_IDENT && litmus__type_bytes(&tok)) return init_decl(ps);
  if (tok.kind == LT_IDENT) { /* x=1 */
    litmus__lex_next(&ps->lx, &name);
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_IDENT || tok.kind == LT_STAR)
      return litmus__err_tok(ps, &name, SIM_EUNSUP, "type '%.*s' is not supported", (int)name.len, name.s);
    if ((rc = litmus__expect(ps, LT_ASSIGN, "'='", NULL)) || (rc = init_value(ps, &v))) return rc;
    return set_loc_init(ps, &name, v);
  }
  return litmus__expected(ps, &tok, "a location, a register (0:EAX) or a declaration");
}

static int parse_init(litmus_ps *ps) {
  int rc = litmus__expect(ps, LT_LBRACE, "'{'", NULL);
  if (rc) return rc;
  for (;;) {
    litmus_tok tok;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_RBRACE) {
      litmus__lex_next(&ps->lx, &tok);
      return 0;
    }
    if (tok.kind == LT_SEMI) {
      litmus__lex_next(&ps->lx, &tok);
      continue;
    }
    if ((rc = init_item(ps))) return rc;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_SEMI)
      litmus__lex_next(&ps->lx, &tok);
    else if (tok.kind != LT_RBRACE)
      return litmus__expected(ps, &tok, "';' or '}'");
  }
}

/* --- Registers named outside the code ---------------------------------- */

/* Register `name` of thread tid, as the init block or the condition names it. */
static int outer_reg(litmus_ps *ps, unsigned tid, const litmus_tok *at, const char *name, size_t len,
                     int *reg) {
  litmus_test *t = ps->t;
  if (tid >= t->nthreads)
    return litmus__err_tok(ps, at, SIM_ESYNTAX, "no thread %u (the test has %u)", tid, t->nthreads);
  litmus_thread *th = &t->th[tid];
  if (t->dialect == LITMUS_DIALECT_X86) {
    litmus_tok rt = *at;
    rt.kind = LT_IDENT;
    rt.s = name;
    rt.len = (unsigned)len;
    const char *canon = litmus__x86_reg(&rt);
    if (!canon)
      return litmus__err_tok(ps, at, SIM_ESYNTAX, "'%.*s' is not an X86 register (EAX EBX ECX EDX ESI EDI)",
                             (int)len, name);
    *reg = litmus__reg_find(th, canon, strlen(canon));
    if (*reg >= 0) return 0;
    return litmus__reg_add(ps, tid, at, canon, 4, false, reg);
  }
  if (t->dialect == LITMUS_DIALECT_AARCH64) {
    litmus_tok rt = *at;
    rt.kind = LT_IDENT;
    rt.s = name;
    rt.len = (unsigned)len;
    char canon[8];
    if (!litmus__a64_reg(&rt, canon))
      return litmus__err_tok(ps, at, SIM_ESYNTAX, "'%.*s' is not an AArch64 register (X0-X30, W0-W30)",
                             (int)len, name);
    *reg = litmus__reg_find(th, canon, strlen(canon));
    if (*reg >= 0) return 0;
    return litmus__reg_add(ps, tid, at, canon, 8, false, reg);
  }
  *reg = litmus__reg_find(th, name, len);
  if (*reg < 0)
    return litmus__err_tok(ps, at, SIM_ESYNTAX, "P%u declares no register '%.*s'", tid, (int)len, name);
  return 0;
}

static int apply_rinits(litmus_ps *ps) {
  for (unsigned i = 0; i < ps->nrinit; i++) {
    litmus_rinit *ri = &ps->rinit[i];
    litmus_tok at = {.kind = LT_IDENT, .s = ri->name, .len = (unsigned)strlen(ri->name), .line = ri->line, .col = ri->col};
    for (unsigned j = 0; j < i; j++)
      if (ps->rinit[j].tid == ri->tid && strcasecmp(ps->rinit[j].name, ri->name) == 0)
        return litmus__err_tok(ps, &at, SIM_ESYNTAX, "register %u:%s is initialised twice", ri->tid, ri->name);
    int reg;
    int rc = outer_reg(ps, ri->tid, &at, ri->name, strlen(ri->name), &reg);
    if (rc) return rc;
    ps->t->th[ri->tid].reg_init[reg] = ri->val;
  }
  return 0;
}

/* --- Final section: condition and locations ----------------------------------- */

bool litmus__at_final(const litmus_ps *ps) {
  litmus_tok tok;
  litmus__lex_peek(&ps->lx, &tok);
  return tok.kind == LT_TILDE || litmus__tok_is(&tok, "exists") || litmus__tok_is(&tok, "forall") ||
         litmus__tok_is(&tok, "locations") || litmus__tok_is(&tok, "filter");
}

typedef struct var_ref {
  bool is_reg;
  unsigned tid;
  litmus_tok name;
} var_ref;

/* 0:EAX | x | [x] */
static int parse_var(litmus_ps *ps, var_ref *v) {
  litmus_tok tok;
  int rc;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind == LT_NUM) {
    v->is_reg = true;
    v->tid = tok.num < 1000 ? (unsigned)tok.num : 1000;
    if ((rc = litmus__expect(ps, LT_COLON, "':'", NULL))) return rc;
    return litmus__expect(ps, LT_IDENT, "a register name", &v->name);
  }
  v->is_reg = false;
  if (tok.kind == LT_LBRACK) {
    if ((rc = litmus__expect(ps, LT_IDENT, "a location name", &v->name))) return rc;
    return litmus__expect(ps, LT_RBRACK, "']'", NULL);
  }
  if (tok.kind == LT_IDENT) {
    v->name = tok;
    return 0;
  }
  return litmus__expected(ps, &tok, "a register (0:EAX) or a location");
}

/* The observed variable for v, added if new. */
static int obs_get(litmus_ps *ps, const var_ref *v, unsigned *obs) {
  litmus_test *t = ps->t;
  int idx, rc;
  if (v->is_reg)
    rc = outer_reg(ps, v->tid, &v->name, v->name.s, v->name.len, &idx);
  else
    rc = litmus__loc_get(ps, &v->name, &idx);
  if (rc) return rc;
  for (unsigned i = 0; i < t->nobs; i++)
    if (t->obs[i].is_reg == v->is_reg && t->obs[i].idx == idx && (!v->is_reg || t->obs[i].tid == v->tid)) {
      *obs = i;
      return 0;
    }
  if (t->nobs >= LITMUS_MAX_OBS)
    return litmus__err_tok(ps, &v->name, SIM_EUNSUP, "more than %d observed variables", LITMUS_MAX_OBS);
  litmus_obs *o = &t->obs[t->nobs];
  o->is_reg = v->is_reg;
  o->idx = (uint8_t)idx;
  char name[sizeof o->name];
  if (v->is_reg) {
    o->tid = (uint8_t)v->tid;
    snprintf(name, sizeof name, "%u:%s", v->tid, t->th[v->tid].reg[idx].name);
  } else {
    snprintf(name, sizeof name, "%s", t->loc[idx].name);
  }
  memcpy(o->name, name, sizeof name);
  *obs = t->nobs++;
  return 0;
}

static unsigned obs_bytes(const litmus_test *t, unsigned obs) {
  const litmus_obs *o = &t->obs[obs];
  return o->is_reg ? t->th[o->tid].reg[o->idx].bytes : t->loc[o->idx].size;
}

static int prop_imp(litmus_ps *ps, uint32_t *out);
static int prop_unary(litmus_ps *ps, uint32_t *out);

static int prop_unary_in(litmus_ps *ps, uint32_t *out) {
  litmus_tok tok;
  int rc;
  litmus__lex_peek(&ps->lx, &tok);
  litmus_tok after;
  litmus__lex_peek2(&ps->lx, &after);
  bool not_word = litmus__tok_is(&tok, "not") && after.kind != LT_ASSIGN && after.kind != LT_EQ &&
                  after.kind != LT_NE; /* herd's spelling of ~, unless a location is named "not" */
  if (tok.kind == LT_TILDE || not_word) {
    litmus__lex_next(&ps->lx, &tok);
    litmus_prop p = {.kind = LP_NOT};
    if ((rc = prop_unary(ps, &p.a))) return rc;
    return litmus__prop(ps, &tok, p, out);
  }
  if (tok.kind == LT_LPAREN) {
    litmus__lex_next(&ps->lx, &tok);
    if ((rc = prop_imp(ps, out))) return rc;
    return litmus__expect(ps, LT_RPAREN, "')' or an operator (/\\ \\/ =>)", NULL);
  }
  if (litmus__tok_is(&tok, "true") || litmus__tok_is(&tok, "false")) {
    litmus__lex_next(&ps->lx, &tok);
    litmus_prop p = {.kind = litmus__tok_is(&tok, "true") ? LP_TRUE : LP_FALSE};
    return litmus__prop(ps, &tok, p, out);
  }
  if (tok.kind != LT_NUM && tok.kind != LT_IDENT && tok.kind != LT_LBRACK)
    return litmus__expected(ps, &tok, "a register (0:EAX), a location, '~' or '('");
  var_ref v;
  unsigned obs;
  if ((rc = parse_var(ps, &v)) || (rc = obs_get(ps, &v, &obs))) return rc;
  litmus__lex_next(&ps->lx, &tok);
  litmus_prop p = {.obs = (uint8_t)obs};
  if (tok.kind == LT_ASSIGN || tok.kind == LT_EQ)
    p.kind = LP_EQ;
  else if (tok.kind == LT_NE)
    p.kind = LP_NE;
  else
    return litmus__expected(ps, &tok, "'='");
  litmus__lex_peek(&ps->lx, &tok);
  int64_t val;
  if (tok.kind == LT_IDENT) { /* 1:r0=x: the register holds x's address */
    litmus__lex_next(&ps->lx, &tok);
    int loc = litmus__loc_find(ps->t, tok.s, tok.len);
    if (loc < 0)
      return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "comparing with '%.*s', which is no location",
                             (int)tok.len, tok.s);
    val = LITMUS_PTR_BASE + loc;
  } else if ((rc = litmus__int(ps, &val))) {
    return rc;
  }
  p.val = litmus__sext((uint64_t)val, obs_bytes(ps->t, obs)); /* LI5 */
  return litmus__prop(ps, &v.name, p, out);
}

/* LI6: every cycle of the condition's recursion passes through here. */
static int prop_unary(litmus_ps *ps, uint32_t *out) {
  litmus_tok at;
  litmus__lex_peek(&ps->lx, &at);
  int rc = litmus__nest_enter(ps, &at);
  if (rc) return rc;
  rc = prop_unary_in(ps, out);
  litmus__nest_leave(ps);
  return rc;
}

static int prop_bin(litmus_ps *ps, litmus_tk op, litmus_pkind kind, int (*sub)(litmus_ps *, uint32_t *),
                    uint32_t *out) {
  int rc = sub(ps, out);
  for (;;) {
    litmus_tok tok;
    litmus__lex_peek(&ps->lx, &tok);
    if (rc || tok.kind != op) return rc;
    litmus__lex_next(&ps->lx, &tok);
    litmus_prop p = {.kind = (uint8_t)kind, .a = *out};
    if ((rc = sub(ps, &p.b))) return rc;
    rc = litmus__prop(ps, &tok, p, out);
  }
}

static int prop_conj(litmus_ps *ps, uint32_t *out) { return prop_bin(ps, LT_CONJ, LP_AND, prop_unary, out); }
static int prop_disj(litmus_ps *ps, uint32_t *out) { return prop_bin(ps, LT_DISJ, LP_OR, prop_conj, out); }

static int prop_imp(litmus_ps *ps, uint32_t *out) {
  int rc = prop_disj(ps, out);
  litmus_tok tok;
  litmus__lex_peek(&ps->lx, &tok);
  if (rc || tok.kind != LT_IMPL) return rc;
  litmus__lex_next(&ps->lx, &tok);
  litmus_prop p = {.kind = LP_IMP, .a = *out};
  /* right-associative: the one recursion that skips prop_unary (LI6) */
  if ((rc = litmus__nest_enter(ps, &tok))) return rc;
  rc = prop_imp(ps, &p.b);
  litmus__nest_leave(ps);
  if (rc) return rc;
  return litmus__prop(ps, &tok, p, out);
}

static int parse_cond(litmus_ps *ps) {
  litmus_tok tok;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind == LT_TILDE) {
    litmus_tok ex;
    litmus__lex_next(&ps->lx, &ex);
    if (!litmus__tok_is(&ex, "exists")) return litmus__expected(ps, &ex, "'exists' after '~'");
    ps->t->quant = LITMUS_NOT_EXISTS;
  } else if (litmus__tok_is(&tok, "exists")) {
    ps->t->quant = LITMUS_EXISTS;
  } else if (litmus__tok_is(&tok, "forall")) {
    ps->t->quant = LITMUS_FORALL;
  } else {
    return litmus__expected(ps, &tok, "'exists', '~exists' or 'forall'");
  }
  return prop_imp(ps, &ps->t->cond_root);
}

static int parse_final(litmus_ps *ps) {
  var_ref pend[LITMUS_MAX_OBS];
  unsigned npend = 0;
  bool have_cond = false;
  int rc;
  for (;;) {
    litmus_tok tok;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_EOF) break;
    if (litmus__tok_is(&tok, "locations")) {
      litmus__lex_next(&ps->lx, &tok);
      if ((rc = litmus__expect(ps, LT_LBRACK, "'['", NULL))) return rc;
      for (;;) { /* [x; 0:r1;] or [x; 0:r1] */
        litmus__lex_peek(&ps->lx, &tok);
        if (tok.kind == LT_RBRACK) {
          litmus__lex_next(&ps->lx, &tok);
          break;
        }
        if (npend >= LITMUS_MAX_OBS)
          return litmus__err_tok(ps, &tok, SIM_EUNSUP, "more than %d observed variables", LITMUS_MAX_OBS);
        if ((rc = parse_var(ps, &pend[npend++]))) return rc;
        litmus__lex_next(&ps->lx, &tok);
        if (tok.kind == LT_RBRACK) break;
        if (tok.kind != LT_SEMI) return litmus__expected(ps, &tok, "';' or ']'");
      }
      continue;
    }
    if (litmus__tok_is(&tok, "filter"))
      return litmus__err_tok(ps, &tok, SIM_EUNSUP, "'filter' is not supported");
    if (have_cond) return litmus__expected(ps, &tok, "the end of the file after the condition");
    if ((rc = parse_cond(ps))) return rc;
    have_cond = true;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_SEMI) litmus__lex_next(&ps->lx, &tok); /* "exists ...;", as herd7 takes it */
  }
  if (!have_cond) {
    litmus_tok tok;
    litmus__lex_peek(&ps->lx, &tok);
    return litmus__expected(ps, &tok, "a final condition ('exists', '~exists' or 'forall')");
  }
  for (unsigned i = 0; i < npend; i++) {
    unsigned obs;
    if ((rc = obs_get(ps, &pend[i], &obs))) return rc;
  }
  return 0;
}

/* --- Entry points ------------------------------------------------------ */

static int parse_all(litmus_ps *ps) {
  int rc;
  if ((rc = litmus__lex_skip_blank(&ps->lx, on_comment, ps)) || (rc = parse_header(ps)) ||
      (rc = parse_prefix(ps)) || (rc = parse_init(ps)))
    return rc;
  switch (ps->t->dialect) {
  case LITMUS_DIALECT_X86: rc = litmus__parse_x86(ps); break;
  case LITMUS_DIALECT_AARCH64: rc = litmus__parse_aarch64(ps); break;
  default: rc = litmus__parse_c(ps); break;
  }
  if (rc || (rc = apply_rinits(ps)) || (rc = parse_final(ps))) return rc;
  litmus__finalize(ps->t);
  if (litmus__cond_render(ps->t)) return nomem(ps);
  return 0;
}

int litmus_parse_string(const char *fname, const char *text, litmus_test **out, sim_err *err) {
  *out = NULL;
  litmus_ps *ps = calloc(1, sizeof *ps);
  if (!ps) return sim_errf(err, SIM_ENOMEM, "out of memory");
  ps->fname = fname ? fname : "<string>";
  ps->err = err;
  litmus__lex_init(&ps->lx, text);
  ps->t = litmus__new(ps->fname);
  int rc = ps->t ? parse_all(ps) : nomem(ps);
  if (!rc && !(ps->t->src = strdup(text))) rc = nomem(ps);
  if (rc) {
    litmus_free(ps->t);
  } else {
    assert(litmus__check(ps->t));
    *out = ps->t;
  }
  free(ps);
  return rc;
}

int litmus_parse_file(const char *path, litmus_test **out, sim_err *err) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return sim_errf(err, SIM_EIO, "cannot read %s: %s", path, strerror(errno));
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int rc = 0;
  for (;;) {
    if (len + 4096 + 1 > cap) {
      size_t nc = cap ? cap * 2 : 8192;
      char *nb = realloc(buf, nc);
      if (!nb) {
        rc = sim_errf(err, SIM_ENOMEM, "%s: out of memory", path);
        goto fail;
      }
      buf = nb;
      cap = nc;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    rc = sim_errf(err, SIM_EIO, "cannot read %s: read error", path);
    goto fail;
  }
  buf[len] = '\0';
  rc = litmus_parse_string(path, buf, out, err);
fail:
  free(buf);
  fclose(f);
  return rc;
}
