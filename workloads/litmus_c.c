/* workloads/litmus_c.c -- the threads of a C (LKMM) litmus test.
 *
 *   P0(int *x, atomic_t *y) { int r0; r0 = READ_ONCE(*x); if (r0) { ... } else ... }
 *
 * Pointer parameters name shared locations (a parameter's type may declare
 * the location's size; `int **p` says p holds a pointer); local variables
 * are registers, `int *r0` one that holds a pointer, and a register herd7
 * leaves undeclared is declared by its first assignment.  Statements:
 * declarations (`int r0 = e, r1;`), `r = e;`, `*x = e;` (a plain store),
 * calls of the primitives in the table below, `if (e) s [else s]`, blocks
 * and `;`.  Expressions are C's over integer constants, registers and
 * parameters (a parameter's value is its location's address,
 * litmus_int.h), with casts ignored (+ - * & | ^ ~ ! == != < <= > >= && ||),
 * and may contain value-returning primitives (READ_ONCE(*x) + 1) and plain
 * loads (*x).  `*r0` where r0 holds a pointer accesses the location it
 * points to; a relaxed load that way is a consume load (an address
 * dependency, cpu.order_address_deps).
 *
 * Primitives map onto the mem API as LKMM names them:
 *   READ_ONCE, atomic_read        load  relaxed
 *   WRITE_ONCE, atomic_set        store relaxed
 *   smp_load_acquire, atomic_read_acquire     load  acquire
 *   smp_store_release, atomic_set_release     store release
 *   smp_mb, smp_wmb, smp_rmb      fence full, store, load
 *   smp_mb__{before,after}_atomic fence full (redundant here: every RMW is one)
 *   barrier                       nothing: a compiler barrier, and the
 *                                 interpreter never reorders
 *   xchg, atomic_xchg             rmw xchg, old value
 *   cmpxchg, atomic_cmpxchg       cas, old value
 *   atomic_{inc,dec,add,sub,and,or,xor}                 rmw, no value
 *   atomic_{inc,dec,add,sub}_return                     rmw, new value
 *   atomic_fetch_{inc,dec,add,sub,and,or,xor}           rmw, old value
 *   atomic_{fetch_,}andnot, _and_test, add_negative      rmw (and a test)
 *   atomic_add_unless, atomic_inc_not_zero               unless (a CAS loop)
 *   atomic64_*, atomic_long_*     as atomic_* on their 8-byte location
 *   rcu_dereference, rcu_assign_pointer       load relaxed, store release
 *   smp_store_mb                  store relaxed, fence full
 *   spin_lock, spin_unlock        lock (spinlock.h), store release of 0
 *   spin_trylock, spin_is_locked  acquire cas 0 -> 1 (1 if it won), load
 *   smp_mb__after_spinlock, smp_mb__after_unlock_lock    fence full
 *   rcu_read_lock, rcu_read_unlock, synchronize_rcu      see rcu() below
 * An RMW or cmpxchg name may end in _relaxed, _acquire or _release: its
 * mem_order (the plain name is seq_cst).  Every RMW is atomic and drains the
 * store buffer; the order says which invalidate-queue fences come with it
 * (mem.h), so the suffix matters under weak only.
 *
 * A shared access inside an expression is hoisted: it becomes an
 * instruction writing a hidden register, emitted where C evaluates it (left
 * to right, before the expression's own instruction).  That is exact except
 * in the right operand of && and ||, which C evaluates only sometimes, so an
 * access there is refused (SIM_EUNSUP) rather than made unconditional.
 * `r = READ_ONCE(*x);` and friends write r directly, with no hidden register.
 *
 * Refused (SIM_EUNSUP): SRCU, call_rcu and every other primitive; loops,
 * goto and return (a thread must run straight through); pointers to
 * registers (&r0).
 */
#include <stdio.h>
#include <string.h>

#include "litmus_int.h"

typedef enum {
  CK_LOAD, CK_STORE, CK_RMW, CK_CAS, CK_FENCE, CK_NOP,
  CK_LOCK, CK_UNLOCK, CK_TRYLOCK, CK_UNLESS, CK_STORE_MB,
  CK_RCU_LOCK, CK_RCU_UNLOCK, CK_GP,
} call_kind;

typedef enum {
  A_NONE,      /* f() */
  A_DEREF,     /* f(*x) */
  A_PTR,       /* f(x) */
  A_DEREF_VAL, /* f(*x, e) */
  A_PTR_VAL,   /* f(x, e) */
  A_VAL_PTR,   /* f(e, x) */
  A_PTR_2VAL,  /* f(x, e1, e2) */
} call_args;

typedef enum { R_NONE, R_OLD, R_NEW } call_ret;

/* What the value of a returning RMW becomes (the kernel's _and_test and
 * add_negative forms). */
typedef enum { T_NONE, T_ZERO, T_NEG } call_test;

typedef struct call_def {
  const char *name;
  uint8_t kind, sub, args, ret;
  uint8_t one;  /* the operand is an implicit 1 (inc, dec) */
  uint8_t bnot; /* the operand is complemented (andnot) */
  uint8_t test; /* call_test */
} call_def;

static const call_def calls[] = {
    {"READ_ONCE", CK_LOAD, MO_RELAXED, A_DEREF, R_OLD, 0, 0, T_NONE},
    {"WRITE_ONCE", CK_STORE, MO_RELAXED, A_DEREF_VAL, R_NONE, 0, 0, T_NONE},
    {"smp_load_acquire", CK_LOAD, MO_ACQUIRE, A_PTR, R_OLD, 0, 0, T_NONE},
    {"smp_store_release", CK_STORE, MO_RELEASE, A_PTR_VAL, R_NONE, 0, 0, T_NONE},
    {"atomic_read", CK_LOAD, MO_RELAXED, A_PTR, R_OLD, 0, 0, T_NONE},
    {"atomic_read_acquire", CK_LOAD, MO_ACQUIRE, A_PTR, R_OLD, 0, 0, T_NONE},
    {"atomic_set", CK_STORE, MO_RELAXED, A_PTR_VAL, R_NONE, 0, 0, T_NONE},
    {"atomic_set_release", CK_STORE, MO_RELEASE, A_PTR_VAL, R_NONE, 0, 0, T_NONE},
    {"smp_mb", CK_FENCE, MF_FULL, A_NONE, R_NONE, 0, 0, T_NONE},
    {"smp_wmb", CK_FENCE, MF_STORE, A_NONE, R_NONE, 0, 0, T_NONE},
    {"smp_rmb", CK_FENCE, MF_LOAD, A_NONE, R_NONE, 0, 0, T_NONE},
    {"smp_mb__before_atomic", CK_FENCE, MF_FULL, A_NONE, R_NONE, 0, 0, T_NONE},
    {"smp_mb__after_atomic", CK_FENCE, MF_FULL, A_NONE, R_NONE, 0, 0, T_NONE},
    {"barrier", CK_NOP, 0, A_NONE, R_NONE, 0, 0, T_NONE},
    {"xchg", CK_RMW, RMW_XCHG, A_PTR_VAL, R_OLD, 0, 0, T_NONE},
    {"atomic_xchg", CK_RMW, RMW_XCHG, A_PTR_VAL, R_OLD, 0, 0, T_NONE},
    {"cmpxchg", CK_CAS, 0, A_PTR_2VAL, R_OLD, 0, 0, T_NONE},
    {"atomic_cmpxchg", CK_CAS, 0, A_PTR_2VAL, R_OLD, 0, 0, T_NONE},
    {"atomic_inc", CK_RMW, RMW_ADD, A_PTR, R_NONE, 1, 0, T_NONE},
    {"atomic_dec", CK_RMW, RMW_SUB, A_PTR, R_NONE, 1, 0, T_NONE},
    {"atomic_add", CK_RMW, RMW_ADD, A_VAL_PTR, R_NONE, 0, 0, T_NONE},
    {"atomic_sub", CK_RMW, RMW_SUB, A_VAL_PTR, R_NONE, 0, 0, T_NONE},
    {"atomic_and", CK_RMW, RMW_AND, A_VAL_PTR, R_NONE, 0, 0, T_NONE},
    {"atomic_or", CK_RMW, RMW_OR, A_VAL_PTR, R_NONE, 0, 0, T_NONE},
    {"atomic_xor", CK_RMW, RMW_XOR, A_VAL_PTR, R_NONE, 0, 0, T_NONE},
    {"atomic_inc_return", CK_RMW, RMW_ADD, A_PTR, R_NEW, 1, 0, T_NONE},
    {"atomic_dec_return", CK_RMW, RMW_SUB, A_PTR, R_NEW, 1, 0, T_NONE},
    {"atomic_add_return", CK_RMW, RMW_ADD, A_VAL_PTR, R_NEW, 0, 0, T_NONE},
    {"atomic_sub_return", CK_RMW, RMW_SUB, A_VAL_PTR, R_NEW, 0, 0, T_NONE},
    {"atomic_fetch_inc", CK_RMW, RMW_ADD, A_PTR, R_OLD, 1, 0, T_NONE},
    {"atomic_fetch_dec", CK_RMW, RMW_SUB, A_PTR, R_OLD, 1, 0, T_NONE},
    {"atomic_fetch_add", CK_RMW, RMW_ADD, A_VAL_PTR, R_OLD, 0, 0, T_NONE},
    {"atomic_fetch_sub", CK_RMW, RMW_SUB, A_VAL_PTR, R_OLD, 0, 0, T_NONE},
    {"atomic_fetch_and", CK_RMW, RMW_AND, A_VAL_PTR, R_OLD, 0, 0, T_NONE},
    {"atomic_fetch_or", CK_RMW, RMW_OR, A_VAL_PTR, R_OLD, 0, 0, T_NONE},
    {"atomic_fetch_xor", CK_RMW, RMW_XOR, A_VAL_PTR, R_OLD, 0, 0, T_NONE},
    {"atomic_andnot", CK_RMW, RMW_AND, A_VAL_PTR, R_NONE, 0, 1, T_NONE},
    {"atomic_fetch_andnot", CK_RMW, RMW_AND, A_VAL_PTR, R_OLD, 0, 1, T_NONE},
    {"atomic_sub_and_test", CK_RMW, RMW_SUB, A_VAL_PTR, R_NEW, 0, 0, T_ZERO},
    {"atomic_dec_and_test", CK_RMW, RMW_SUB, A_PTR, R_NEW, 1, 0, T_ZERO},
    {"atomic_inc_and_test", CK_RMW, RMW_ADD, A_PTR, R_NEW, 1, 0, T_ZERO},
    {"atomic_add_negative", CK_RMW, RMW_ADD, A_VAL_PTR, R_NEW, 0, 0, T_NEG},
    {"atomic_add_unless", CK_UNLESS, 0, A_PTR_2VAL, R_OLD, 0, 0, T_NONE},
    {"atomic_inc_not_zero", CK_UNLESS, 0, A_PTR, R_OLD, 1, 0, T_NONE},
    {"rcu_dereference", CK_LOAD, MO_RELAXED, A_DEREF, R_OLD, 0, 0, T_NONE},
    {"rcu_assign_pointer", CK_STORE, MO_RELEASE, A_DEREF_VAL, R_NONE, 0, 0, T_NONE},
    {"smp_store_mb", CK_STORE_MB, MO_RELAXED, A_DEREF_VAL, R_NONE, 0, 0, T_NONE},
    {"spin_lock", CK_LOCK, 0, A_PTR, R_NONE, 0, 0, T_NONE},
    {"spin_unlock", CK_UNLOCK, MO_RELEASE, A_PTR, R_NONE, 0, 0, T_NONE},
    {"spin_trylock", CK_TRYLOCK, 0, A_PTR, R_OLD, 0, 0, T_NONE},
    {"spin_is_locked", CK_LOAD, MO_RELAXED, A_PTR, R_OLD, 0, 0, T_NONE},
    {"smp_mb__after_spinlock", CK_FENCE, MF_FULL, A_NONE, R_NONE, 0, 0, T_NONE},
    {"smp_mb__after_unlock_lock", CK_FENCE, MF_FULL, A_NONE, R_NONE, 0, 0, T_NONE},
    {"rcu_read_lock", CK_RCU_LOCK, 0, A_NONE, R_NONE, 0, 0, T_NONE},
    {"rcu_read_unlock", CK_RCU_UNLOCK, 0, A_NONE, R_NONE, 0, 0, T_NONE},
    {"synchronize_rcu", CK_GP, 0, A_NONE, R_NONE, 0, 0, T_NONE},
    {"synchronize_rcu_expedited", CK_GP, 0, A_NONE, R_NONE, 0, 0, T_NONE},
};

/* The call a name denotes, and (order != NULL) the order its suffix gives.
 * atomic64_ and atomic_long_ name the atomic_ operations (the location's
 * size is the difference). */
static const call_def *find_call_ord(const litmus_tok *tok, mem_order *order) {
  static const char *const suffix[] = {"_relaxed", "_acquire", "_release"};
  static const mem_order suffix_order[] = {MO_RELAXED, MO_ACQUIRE, MO_RELEASE};
  static const char *const wide[] = {"atomic64_", "atomic_long_"};
  if (order) *order = MO_SEQ_CST;
  if (tok->kind != LT_IDENT) return NULL;
  for (size_t w = 0; w < 2; w++) {
    size_t wl = strlen(wide[w]);
    char buf[LITMUS_NAME_MAX + 8];
    if (tok->len <= wl || tok->len - wl + 7 >= sizeof buf || memcmp(tok->s, wide[w], wl) != 0) continue;
    memcpy(buf, "atomic_", 7);
    memcpy(buf + 7, tok->s + wl, tok->len - wl);
    litmus_tok narrow = *tok;
    narrow.s = buf;
    narrow.len = (unsigned)(tok->len - wl + 7);
    return find_call_ord(&narrow, order);
  }
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
    if (litmus__tok_is(tok, calls[i].name)) return &calls[i];
  for (size_t s = 0; s < 3; s++) {
    size_t sl = strlen(suffix[s]);
    if (tok->len <= sl || memcmp(tok->s + tok->len - sl, suffix[s], sl) != 0) continue;
    litmus_tok base = *tok;
    base.len -= (unsigned)sl;
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
      if (litmus__tok_is(&base, calls[i].name) && (calls[i].kind == CK_RMW || calls[i].kind == CK_CAS)) {
        if (order) *order = suffix_order[s];
        return &calls[i];
      }
  }
  return NULL;
}

static const call_def *find_call(const litmus_tok *tok) { return find_call_ord(tok, NULL); }

static const char *const unsupported_kw[] = {"while", "for", "do", "goto", "return", "switch", "break", "continue"};

static bool is_unsupported_kw(const litmus_tok *tok) {
  for (size_t i = 0; i < sizeof unsupported_kw / sizeof unsupported_kw[0]; i++)
    if (litmus__tok_is(tok, unsupported_kw[i])) return true;
  return false;
}

static int param_find(const litmus_ps *ps, const litmus_tok *tok) {
  for (unsigned i = 0; i < ps->nparam; i++)
    if (strlen(ps->param[i].name) == tok->len && memcmp(ps->param[i].name, tok->s, tok->len) == 0) return (int)i;
  return -1;
}

static int reg_of(const litmus_ps *ps, const litmus_tok *tok) {
  if (tok->kind != LT_IDENT) return -1;
  return litmus__reg_find(&ps->t->th[ps->tid], tok->s, tok->len);
}

/* --- Expressions --------------------------------------------------------- */

static int expr(litmus_ps *ps, uint32_t *out);
static int call(litmus_ps *ps, int dst, bool want_value);

static int mk_const(litmus_ps *ps, const litmus_tok *at, int64_t v, uint32_t *out) {
  litmus_expr e = {.kind = LX_CONST, .val = v};
  return litmus__expr(ps, at, e, out);
}

static int mk_reg(litmus_ps *ps, const litmus_tok *at, int reg, uint32_t *out) {
  litmus_expr e = {.kind = LX_REG, .reg = (uint8_t)reg};
  return litmus__expr(ps, at, e, out);
}

/* Operator node, folded when its operands are constants. */
static int mk_op(litmus_ps *ps, const litmus_tok *at, unsigned kind, uint32_t a, uint32_t b, uint32_t *out) {
  const litmus_expr *ea = &ps->t->ex[a], *eb = &ps->t->ex[b];
  bool unary = kind == LX_NEG || kind == LX_NOT || kind == LX_BNOT;
  if (ea->kind == LX_CONST && (unary || eb->kind == LX_CONST))
    return mk_const(ps, at, litmus__apply(kind, ea->val, unary ? 0 : eb->val), out);
  litmus_expr e = {.kind = (uint8_t)kind, .a = a, .b = unary ? a : b};
  return litmus__expr(ps, at, e, out);
}

/* A hidden register for a shared access inside an expression. */
static int temp(litmus_ps *ps, const litmus_tok *at, int *reg) {
  if (ps->temp_used < ps->ntemp) {
    *reg = ps->temp[ps->temp_used++];
    return 0;
  }
  char name[16];
  snprintf(name, sizeof name, "%%t%u", ps->ntemp);
  int rc = litmus__reg_add(ps, ps->tid, at, name, 8, true, reg);
  if (rc) return rc;
  ps->temp[ps->ntemp++] = (uint8_t)*reg;
  ps->temp_used = ps->ntemp;
  return 0;
}

/* After '(' of a cast: type words, stars, ')'.  *bytes: 8 for a pointer. */
static int cast_rest(litmus_ps *ps, unsigned *bytes) {
  int rc = litmus__type(ps, bytes);
  litmus_tok tok;
  for (litmus__lex_peek(&ps->lx, &tok); !rc && tok.kind == LT_STAR; litmus__lex_peek(&ps->lx, &tok)) {
    litmus__lex_next(&ps->lx, &tok);
    *bytes = 8;
  }
  return rc ? rc : litmus__expect(ps, LT_RPAREN, "')'", NULL);
}

static int pointer_arg(litmus_ps *ps, bool deref, int *loc, uint8_t *aptr);
static int unary(litmus_ps *ps, uint32_t *out);
static void set_target(litmus_ps *ps, litmus_insn *in, int loc, uint8_t aptr);

/* A plain C access: `*x` read into reg (at: the star), or `*x = e` stored.
 * Plain accesses are relaxed loads and stores; the LKMM gives them no
 * ordering and flags their races. */
static int plain_load(litmus_ps *ps, const litmus_tok *at, int reg) {
  litmus_insn in = {.op = LI_LOAD, .sub = MO_RELAXED, .plain = 1, .dst = (int8_t)reg, .line = at->line, .col = at->col};
  int loc, rc;
  uint8_t aptr;
  if ((rc = pointer_arg(ps, true, &loc, &aptr))) return rc;
  set_target(ps, &in, loc, aptr);
  in.dst_bytes = ps->t->th[ps->tid].reg[reg].bytes;
  return litmus__emit(ps, ps->tid, &in, NULL);
}

static int primary(litmus_ps *ps, uint32_t *out) {
  litmus_tok tok;
  int rc;
  litmus__lex_peek(&ps->lx, &tok);
  switch (tok.kind) {
  case LT_NUM:
    litmus__lex_next(&ps->lx, &tok);
    return mk_const(ps, &tok, (int64_t)tok.num, out);
  case LT_LPAREN: {
    litmus__lex_next(&ps->lx, &tok);
    litmus_tok ty;
    litmus__lex_peek(&ps->lx, &ty);
    if (litmus__type_bytes(&ty)) { /* a cast, (int **): values are untyped here */
      unsigned bytes;
      if ((rc = cast_rest(ps, &bytes))) return rc;
      return unary(ps, out);
    }
    if ((rc = expr(ps, out))) return rc;
    return litmus__expect(ps, LT_RPAREN, "')'", NULL);
  }
  case LT_STAR: { /* a plain load, *x or *r0 */
    int reg;
    if (ps->pure_only)
      return litmus__err_tok(ps, &tok, SIM_EUNSUP,
                             "a shared access in the right operand of && or || would happen only sometimes; "
                             "read it into a register first");
    if ((rc = temp(ps, &tok, &reg)) || (rc = plain_load(ps, &tok, reg))) return rc;
    return mk_reg(ps, &tok, reg, out);
  }
  case LT_AMP:
    return litmus__err_tok(ps, &tok, SIM_EUNSUP, "addresses are not supported as values");
  case LT_IDENT: {
    int reg = reg_of(ps, &tok);
    if (reg >= 0) {
      litmus__lex_next(&ps->lx, &tok);
      return mk_reg(ps, &tok, reg, out);
    }
    if (find_call(&tok)) {
      if (ps->pure_only)
        return litmus__err_tok(ps, &tok, SIM_EUNSUP,
                               "a shared access in the right operand of && or || would happen only sometimes; "
                               "read it into a register first");
      if ((rc = temp(ps, &tok, &reg)) || (rc = call(ps, reg, true))) return rc;
      return mk_reg(ps, &tok, reg, out);
    }
    int par = param_find(ps, &tok);
    if (par >= 0) { /* the location's address, as a value */
      litmus__lex_next(&ps->lx, &tok);
      return mk_const(ps, &tok, LITMUS_PTR_BASE + ps->param[par].loc, out);
    }
    litmus_tok next;
    litmus__lex_peek2(&ps->lx, &next);
    if (next.kind == LT_LPAREN)
      return litmus__err_tok(ps, &tok, SIM_EUNSUP, "'%.*s' is not supported", (int)tok.len, tok.s);
    return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "unknown name '%.*s' (not a register of P%u)", (int)tok.len,
                           tok.s, ps->tid);
  }
  default:
    return litmus__expected(ps, &tok, "an expression");
  }
}

static int unary(litmus_ps *ps, uint32_t *out);

static int unary_in(litmus_ps *ps, uint32_t *out) {
  litmus_tok tok;
  int rc;
  litmus__lex_peek(&ps->lx, &tok);
  unsigned kind;
  switch (tok.kind) {
  case LT_MINUS: kind = LX_NEG; break;
  case LT_BANG: kind = LX_NOT; break;
  case LT_TILDE: kind = LX_BNOT; break;
  case LT_PLUS:
    litmus__lex_next(&ps->lx, &tok);
    return unary(ps, out);
  default: return primary(ps, out);
  }
  litmus__lex_next(&ps->lx, &tok);
  uint32_t a;
  if ((rc = unary(ps, &a))) return rc;
  return mk_op(ps, &tok, kind, a, a, out);
}

/* LI6: every cycle of the expression recursion (prefix operators, '(' and a
 * call's arguments) passes through here. */
static int unary(litmus_ps *ps, uint32_t *out) {
  litmus_tok at;
  litmus__lex_peek(&ps->lx, &at);
  int rc = litmus__nest_enter(ps, &at);
  if (rc) return rc;
  rc = unary_in(ps, out);
  litmus__nest_leave(ps);
  return rc;
}

/* Binding strength of a binary operator (C's), 0 if tok is none. */
static int binary_prec(litmus_tk k, unsigned *kind) {
  switch (k) {
  case LT_OROR: *kind = LX_LOR; return 1;
  case LT_ANDAND: *kind = LX_LAND; return 2;
  case LT_BAR: *kind = LX_OR; return 3;
  case LT_CARET: *kind = LX_XOR; return 4;
  case LT_AMP: *kind = LX_AND; return 5;
  case LT_EQ: *kind = LX_EQ; return 6;
  case LT_NE: *kind = LX_NE; return 6;
  case LT_LT: *kind = LX_LT; return 7;
  case LT_LE: *kind = LX_LE; return 7;
  case LT_GT: *kind = LX_GT; return 7;
  case LT_GE: *kind = LX_GE; return 7;
  case LT_PLUS: *kind = LX_ADD; return 8;
  case LT_MINUS: *kind = LX_SUB; return 8;
  case LT_STAR: *kind = LX_MUL; return 9;
  default: return 0;
  }
}

static int binary(litmus_ps *ps, int min_prec, uint32_t *out) {
  int rc = unary(ps, out);
  while (!rc) {
    litmus_tok tok;
    unsigned kind;
    litmus__lex_peek(&ps->lx, &tok);
    int prec = binary_prec(tok.kind, &kind);
    if (prec == 0 || prec < min_prec) break;
    litmus__lex_next(&ps->lx, &tok);
    bool saved = ps->pure_only;
    if (kind == LX_LAND || kind == LX_LOR) ps->pure_only = true;
    uint32_t rhs;
    rc = binary(ps, prec + 1, &rhs);
    ps->pure_only = saved;
    if (!rc) rc = mk_op(ps, &tok, kind, *out, rhs, out);
  }
  return rc;
}

static int expr(litmus_ps *ps, uint32_t *out) { return binary(ps, 1, out); }

/* --- Primitives ----------------------------------------------------------- */

/* A pointer argument: `x` or, for A_DEREF, `*x`; gives its location, or
 * (*aptr = 1 + the register) a register holding a pointer: `*r0`. */
static int pointer_arg(litmus_ps *ps, bool deref, int *loc, uint8_t *aptr) {
  litmus_tok tok;
  int rc;
  *aptr = 0;
  if (deref && (rc = litmus__expect(ps, LT_STAR, "'*'", NULL))) return rc;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind == LT_STAR && !deref)
    return litmus__err_tok(ps, &tok, SIM_EUNSUP, "'*': pointers to pointers are not supported");
  if (tok.kind != LT_IDENT) return litmus__expected(ps, &tok, "a pointer parameter or register");
  int p = param_find(ps, &tok);
  if (p < 0) {
    int reg = reg_of(ps, &tok);
    if (reg >= 0) {
      *loc = 0;
      *aptr = (uint8_t)(reg + 1);
      return 0;
    }
    return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "'%.*s' is not a parameter or register of P%u", (int)tok.len,
                           tok.s, ps->tid);
  }
  *loc = ps->param[p].loc;
  return 0;
}

/* A shared access's location, direct or through a pointer register; a
 * relaxed load through a pointer carries an address dependency (consume:
 * cpu.order_address_deps decides whether the core orders it). */
static void set_target(litmus_ps *ps, litmus_insn *in, int loc, uint8_t aptr) {
  in->loc = (uint8_t)loc;
  in->aptr = aptr;
  in->size = aptr ? 8 : ps->t->loc[loc].size; /* indirect: the pointee's, at run time */
  if (aptr && in->op == LI_LOAD && in->sub == MO_RELAXED) in->sub = MO_CONSUME;
}

static int comma(litmus_ps *ps) { return litmus__expect(ps, LT_COMMA, "','", NULL); }

static int fence(litmus_ps *ps, const litmus_tok *at, mem_fence_kind k) {
  litmus_insn f = {.op = LI_FENCE, .sub = (uint8_t)k, .dst = -1, .line = at->line, .col = at->col};
  return litmus__emit(ps, ps->tid, &f, NULL);
}

/* RCU, as userspace RCU's memory-barrier flavour (urcu-mb) builds it from
 * plain loads, stores and full fences, since a litmus thread has no
 * scheduler whose context switches could end a grace period:
 *   rcu_read_lock    (outermost) store 1 to the thread's hidden word "Pn:rcu",
 *                    then a full fence: the critical section's accesses come
 *                    after the word is visible;
 *   rcu_read_unlock  (outermost) a full fence, then store 0;
 *   synchronize_rcu  a full fence, wait until every other reader's word
 *                    reads 0 (LI_GP, expanded into one WAIT per reader once
 *                    all threads are parsed), a full fence.
 * A reader whose store of 1 the updater did not see started after the grace
 * period did (store-buffering with fences on both sides forbids both
 * missing each other), so any critical section that began before the grace
 * period ends before it: RCU's fundamental law.  Readers are stronger than
 * the LKMM's (two full fences each); nesting is counted in the source text. */
static int rcu(litmus_ps *ps, const litmus_tok *at, call_kind k) {
  int rc;
  litmus_insn st = {.op = LI_STORE, .sub = MO_RELAXED, .dst = -1, .line = at->line, .col = at->col};
  switch (k) {
  case CK_RCU_LOCK:
    if (ps->rcu_nest++ > 0) return 0;
    if (ps->rcu_loc[ps->tid] < 0) {
      char name[16];
      snprintf(name, sizeof name, "P%u:rcu", ps->tid);
      litmus_tok tok = *at;
      tok.s = name;
      tok.len = (unsigned)strlen(name);
      int loc;
      if ((rc = litmus__loc_get(ps, &tok, &loc))) return rc;
      ps->rcu_loc[ps->tid] = loc;
    }
    st.loc = (uint8_t)ps->rcu_loc[ps->tid];
    if ((rc = mk_const(ps, at, 1, &st.e1)) || (rc = litmus__emit(ps, ps->tid, &st, NULL))) return rc;
    return fence(ps, at, MF_FULL);
  case CK_RCU_UNLOCK:
    if (ps->rcu_nest == 0)
      return litmus__err_tok(ps, at, SIM_ESYNTAX, "rcu_read_unlock() without rcu_read_lock() in P%u", ps->tid);
    if (--ps->rcu_nest > 0) return 0;
    st.loc = (uint8_t)ps->rcu_loc[ps->tid];
    if ((rc = fence(ps, at, MF_FULL)) || (rc = mk_const(ps, at, 0, &st.e1))) return rc;
    return litmus__emit(ps, ps->tid, &st, NULL);
  default: {
    if (ps->rcu_nest > 0)
      return litmus__err_tok(ps, at, SIM_ESYNTAX,
                             "synchronize_rcu() inside a read-side critical section waits for itself");
    litmus_insn gp = {.op = LI_GP, .dst = -1, .line = at->line, .col = at->col};
    if ((rc = fence(ps, at, MF_FULL)) || (rc = litmus__emit(ps, ps->tid, &gp, NULL))) return rc;
    return fence(ps, at, MF_FULL);
  }
  }
}

/* Each grace period becomes one WAIT per other thread that reads under RCU
 * (or a jump to the next instruction, a no-op, when there is none). */
static int expand_gps(litmus_ps *ps) {
  litmus_test *t = ps->t;
  for (unsigned k = 0; k < t->nthreads; k++) {
    litmus_thread *th = &t->th[k];
    for (unsigned pc = 0; pc < th->ncode; pc++) {
      if (th->code[pc].op != LI_GP) continue;
      litmus_insn w = th->code[pc];
      w.op = LI_WAIT;
      unsigned at = pc;
      for (unsigned j = 0; j < t->nthreads; j++) {
        if (j == k || ps->rcu_loc[j] < 0) continue;
        w.loc = (uint8_t)ps->rcu_loc[j];
        if (at == pc) {
          th->code[pc] = w;
        } else if (litmus__insert(t, k, at, &w)) {
          return litmus__err_at(ps, w.line, w.col, SIM_EUNSUP, "P%u has more than %d instructions", k,
                                LITMUS_MAX_CODE);
        }
        at++;
      }
      if (at == pc) {
        th->code[pc].op = LI_JMP;
        th->code[pc].target = (uint16_t)(pc + 1);
      } else {
        pc = at - 1;
      }
    }
  }
  return 0;
}

/* A primitive call; its value (if any, and wanted) goes to register dst. */
static int call(litmus_ps *ps, int dst, bool want_value) {
  litmus_tok name;
  int rc, loc = 0;
  litmus__lex_next(&ps->lx, &name);
  mem_order order;
  const call_def *c = find_call_ord(&name, &order);
  if (!c) return litmus__err_tok(ps, &name, SIM_EUNSUP, "'%.*s' is not supported", (int)name.len, name.s);
  if (want_value && c->ret == R_NONE)
    return litmus__err_tok(ps, &name, SIM_ESYNTAX, "'%s' has no value", c->name);
  litmus_insn in = {.dst = -1, .line = name.line, .col = name.col};
  uint8_t aptr = 0;
  if ((rc = litmus__expect(ps, LT_LPAREN, "'('", NULL))) return rc;
  switch ((call_args)c->args) {
  case A_NONE: break;
  case A_DEREF: rc = pointer_arg(ps, true, &loc, &aptr); break;
  case A_PTR: rc = pointer_arg(ps, false, &loc, &aptr); break;
  case A_DEREF_VAL:
  case A_PTR_VAL:
    if (!(rc = pointer_arg(ps, c->args == A_DEREF_VAL, &loc, &aptr)) && !(rc = comma(ps))) rc = expr(ps, &in.e1);
    break;
  case A_VAL_PTR:
    if (!(rc = expr(ps, &in.e1)) && !(rc = comma(ps))) rc = pointer_arg(ps, false, &loc, &aptr);
    break;
  case A_PTR_2VAL:
    if (!(rc = pointer_arg(ps, false, &loc, &aptr)) && !(rc = comma(ps)) && !(rc = expr(ps, &in.e1)) &&
        !(rc = comma(ps)))
      rc = expr(ps, &in.e2);
    break;
  }
  if (rc || (rc = litmus__expect(ps, LT_RPAREN, "')'", NULL))) return rc;
  if (c->one && (rc = mk_const(ps, &name, 1, &in.e1))) return rc;
  if (c->one && c->kind == CK_UNLESS && (rc = mk_const(ps, &name, 0, &in.e2))) return rc; /* inc_not_zero */
  if (c->bnot && (rc = mk_op(ps, &name, LX_BNOT, in.e1, in.e1, &in.e1))) return rc;

  in.sub = c->sub;
  /* The LKMM orders value-returning atomics only: atomic_inc() and friends
   * are relaxed. */
  if (c->kind == CK_RMW && c->ret == R_NONE) order = MO_RELAXED;
  in.order = (uint8_t)order;
  in.ret_new = c->ret == R_NEW;
  if (c->ret != R_NONE && dst >= 0) {
    in.dst = (int8_t)dst;
    in.dst_bytes = ps->t->th[ps->tid].reg[dst].bytes;
  }
  switch ((call_kind)c->kind) {
  case CK_LOAD: in.op = LI_LOAD; break;
  case CK_STORE: in.op = LI_STORE; break;
  case CK_RMW: in.op = LI_RMW; break;
  case CK_CAS: in.op = LI_CAS; break;
  case CK_FENCE: in.op = LI_FENCE; break;
  case CK_NOP: return 0;
  case CK_LOCK: in.op = LI_LOCK; break;
  case CK_UNLOCK: /* a release store of 0 (spinlock.h) */
    in.op = LI_STORE;
    if ((rc = mk_const(ps, &name, 0, &in.e1))) return rc;
    break;
  case CK_TRYLOCK: /* an acquire CAS from 0 to 1 that says whether it won */
    in.op = LI_CAS;
    in.order = MO_ACQUIRE;
    in.ret_new = 1;
    if ((rc = mk_const(ps, &name, 0, &in.e1)) || (rc = mk_const(ps, &name, 1, &in.e2))) return rc;
    break;
  case CK_UNLESS: in.op = LI_UNLESS; break;
  case CK_STORE_MB:
    in.op = LI_STORE;
    set_target(ps, &in, loc, aptr);
    if ((rc = litmus__emit(ps, ps->tid, &in, NULL))) return rc;
    return fence(ps, &name, MF_FULL);
  case CK_RCU_LOCK:
  case CK_RCU_UNLOCK:
  case CK_GP: return rcu(ps, &name, (call_kind)c->kind);
  }
  if (c->args != A_NONE) set_target(ps, &in, loc, aptr);
  if ((rc = litmus__emit(ps, ps->tid, &in, NULL))) return rc;
  if (c->test != T_NONE && in.dst >= 0) { /* dst = (new value == 0), or (< 0) */
    litmus_insn set = {.op = LI_SET, .dst = in.dst, .dst_bytes = in.dst_bytes, .line = name.line, .col = name.col};
    uint32_t reg, zero;
    if ((rc = mk_reg(ps, &name, in.dst, &reg)) || (rc = mk_const(ps, &name, 0, &zero)) ||
        (rc = mk_op(ps, &name, c->test == T_ZERO ? LX_EQ : LX_LT, reg, zero, &set.e1)))
      return rc;
    return litmus__emit(ps, ps->tid, &set, NULL);
  }
  return 0;
}

/* True if the tokens ahead are exactly `name(...)` followed by ';'. */
static bool whole_call_ahead(const litmus_ps *ps) {
  litmus_lex lx = ps->lx;
  litmus_tok tok;
  litmus__lex_next(&lx, &tok);
  if (!find_call(&tok)) return false;
  litmus__lex_next(&lx, &tok);
  if (tok.kind != LT_LPAREN) return false;
  for (int depth = 1; depth > 0;) {
    litmus__lex_next(&lx, &tok);
    if (tok.kind == LT_EOF) return false;
    if (tok.kind == LT_LPAREN) depth++;
    if (tok.kind == LT_RPAREN) depth--;
  }
  litmus__lex_next(&lx, &tok);
  return tok.kind == LT_SEMI;
}

/* reg = expression (the '=' already consumed). */
static int assign(litmus_ps *ps, int reg, const litmus_tok *at) {
  int rc;
  if (whole_call_ahead(ps)) return call(ps, reg, true);
  litmus_insn in = {.op = LI_SET, .dst = (int8_t)reg, .line = at->line, .col = at->col};
  if ((rc = expr(ps, &in.e1))) return rc;
  in.dst_bytes = ps->t->th[ps->tid].reg[reg].bytes;
  return litmus__emit(ps, ps->tid, &in, NULL);
}

/* --- Statements ---------------------------------------------------------- */

static int stmt(litmus_ps *ps);

static int block_rest(litmus_ps *ps) {
  for (;;) {
    litmus_tok tok;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_RBRACE) {
      litmus__lex_next(&ps->lx, &tok);
      return 0;
    }
    if (tok.kind == LT_EOF) return litmus__expected(ps, &tok, "'}'");
    int rc = stmt(ps);
    if (rc) return rc;
  }
}

static int decl(litmus_ps *ps) {
  unsigned bytes;
  int rc = litmus__type(ps, &bytes);
  if (rc) return rc;
  for (;;) {
    litmus_tok name, tok;
    unsigned var_bytes = bytes;
    litmus__lex_next(&ps->lx, &name);
    for (; name.kind == LT_STAR; litmus__lex_next(&ps->lx, &name)) var_bytes = 8; /* a pointer */
    if (name.kind != LT_IDENT) return litmus__expected(ps, &name, "a variable name");
    if (reg_of(ps, &name) >= 0)
      return litmus__err_tok(ps, &name, SIM_ESYNTAX, "'%.*s' is declared twice", (int)name.len, name.s);
    if (param_find(ps, &name) >= 0)
      return litmus__err_tok(ps, &name, SIM_ESYNTAX, "'%.*s' is also a parameter", (int)name.len, name.s);
    if (find_call(&name) || litmus__type_bytes(&name))
      return litmus__err_tok(ps, &name, SIM_ESYNTAX, "'%.*s' is a reserved name", (int)name.len, name.s);
    char buf[LITMUS_NAME_MAX + 1];
    if (name.len >= sizeof buf) return litmus__err_tok(ps, &name, SIM_EUNSUP, "variable name too long");
    memcpy(buf, name.s, name.len);
    buf[name.len] = '\0';
    int reg;
    if ((rc = litmus__reg_add(ps, ps->tid, &name, buf, var_bytes, false, &reg))) return rc;
    litmus__lex_next(&ps->lx, &tok);
    if (tok.kind == LT_ASSIGN) {
      if ((rc = assign(ps, reg, &name))) return rc;
      litmus__lex_next(&ps->lx, &tok);
    }
    if (tok.kind == LT_SEMI) return 0;
    if (tok.kind != LT_COMMA) return litmus__expected(ps, &tok, "',' or ';'");
    ps->temp_used = 0;
  }
}

static int if_stmt(litmus_ps *ps) {
  litmus_tok kw, tok;
  int rc;
  litmus__lex_next(&ps->lx, &kw);
  litmus_insn jz = {.op = LI_JZ, .dst = -1, .line = kw.line, .col = kw.col};
  unsigned jz_pc, jmp_pc;
  if ((rc = litmus__expect(ps, LT_LPAREN, "'(' after 'if'", NULL)) || (rc = expr(ps, &jz.e1)) ||
      (rc = litmus__expect(ps, LT_RPAREN, "')'", NULL)) || (rc = litmus__emit(ps, ps->tid, &jz, &jz_pc)) ||
      (rc = stmt(ps)))
    return rc;
  litmus_thread *th = &ps->t->th[ps->tid];
  litmus__lex_peek(&ps->lx, &tok);
  if (!litmus__tok_is(&tok, "else")) {
    th->code[jz_pc].target = (uint16_t)th->ncode;
    return 0;
  }
  litmus__lex_next(&ps->lx, &tok);
  litmus_insn jmp = {.op = LI_JMP, .dst = -1, .line = tok.line, .col = tok.col};
  if ((rc = litmus__emit(ps, ps->tid, &jmp, &jmp_pc))) return rc;
  th->code[jz_pc].target = (uint16_t)th->ncode;
  if ((rc = stmt(ps))) return rc;
  th->code[jmp_pc].target = (uint16_t)th->ncode;
  return 0;
}

static int stmt_in(litmus_ps *ps) {
  litmus_tok tok, next;
  int rc;
  ps->temp_used = 0; /* the previous statement's temporaries are dead */
  litmus__lex_peek(&ps->lx, &tok);
  switch (tok.kind) {
  case LT_SEMI:
    litmus__lex_next(&ps->lx, &tok);
    return 0;
  case LT_LBRACE:
    litmus__lex_next(&ps->lx, &tok);
    return block_rest(ps);
  case LT_STAR: { /* a plain store, *x = e; */
    litmus_insn in = {.op = LI_STORE, .sub = MO_RELAXED, .plain = 1, .dst = -1, .line = tok.line, .col = tok.col};
    int loc;
    uint8_t aptr;
    if ((rc = pointer_arg(ps, true, &loc, &aptr)) || (rc = litmus__expect(ps, LT_ASSIGN, "'='", NULL)) ||
        (rc = expr(ps, &in.e1)))
      return rc;
    set_target(ps, &in, loc, aptr);
    if ((rc = litmus__emit(ps, ps->tid, &in, NULL))) return rc;
    return litmus__expect(ps, LT_SEMI, "';'", NULL);
  }
  case LT_IDENT:
    break;
  default:
    return litmus__expected(ps, &tok, "a statement");
  }
  if (litmus__tok_is(&tok, "exists") || litmus__tok_is(&tok, "forall") || litmus__tok_is(&tok, "locations"))
    return litmus__expected(ps, &tok, "'}'"); /* the thread was never closed */
  if (litmus__tok_is(&tok, "if")) return if_stmt(ps);
  if (litmus__tok_is(&tok, "else")) return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "'else' without 'if'");
  if (is_unsupported_kw(&tok))
    return litmus__err_tok(ps, &tok, SIM_EUNSUP, "'%.*s' is not supported (a thread must run straight through)",
                           (int)tok.len, tok.s);
  if (litmus__type_bytes(&tok)) return decl(ps);
  int reg = reg_of(ps, &tok);
  if (reg >= 0) {
    litmus__lex_next(&ps->lx, &tok);
    litmus__lex_next(&ps->lx, &next);
    if (next.kind != LT_ASSIGN) return litmus__expected(ps, &next, "'='");
    if ((rc = assign(ps, reg, &tok))) return rc;
    return litmus__expect(ps, LT_SEMI, "';'", NULL);
  }
  if (find_call(&tok)) {
    if ((rc = call(ps, -1, false))) return rc;
    return litmus__expect(ps, LT_SEMI, "';'", NULL);
  }
  litmus__lex_peek2(&ps->lx, &next);
  if (next.kind == LT_LPAREN)
    return litmus__err_tok(ps, &tok, SIM_EUNSUP, "'%.*s' is not supported", (int)tok.len, tok.s);
  if (param_find(ps, &tok) >= 0)
    return litmus__err_tok(ps, &tok, SIM_EUNSUP, "assigning pointer '%.*s' is not supported", (int)tok.len, tok.s);
  if (next.kind == LT_ASSIGN) { /* herd7 takes undeclared registers: a long, which holds a pointer too */
    char buf[LITMUS_NAME_MAX + 1];
    if (tok.len >= sizeof buf) return litmus__err_tok(ps, &tok, SIM_EUNSUP, "variable name too long");
    memcpy(buf, tok.s, tok.len);
    buf[tok.len] = '\0';
    if ((rc = litmus__reg_add(ps, ps->tid, &tok, buf, 8, false, &reg))) return rc;
    litmus__lex_next(&ps->lx, &tok);
    litmus__lex_next(&ps->lx, &next);
    if ((rc = assign(ps, reg, &tok))) return rc;
    return litmus__expect(ps, LT_SEMI, "';'", NULL);
  }
  return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "unknown name '%.*s' (not a register of P%u)", (int)tok.len, tok.s,
                         ps->tid);
}

/* LI6: blocks and ifs nest through here. */
static int stmt(litmus_ps *ps) {
  litmus_tok at;
  litmus__lex_peek(&ps->lx, &at);
  int rc = litmus__nest_enter(ps, &at);
  if (rc) return rc;
  rc = stmt_in(ps);
  litmus__nest_leave(ps);
  return rc;
}

/* --- Threads ---------------------------------------------------------- */

static int params(litmus_ps *ps) {
  litmus_tok tok, tok2;
  int rc;
  if ((rc = litmus__expect(ps, LT_LPAREN, "'('", NULL))) return rc;
  litmus__lex_peek(&ps->lx, &tok);
  litmus__lex_peek2(&ps->lx, &tok2);
  if (litmus__tok_is(&tok, "void") && tok2.kind == LT_RPAREN) litmus__lex_next(&ps->lx, &tok);
  litmus__lex_peek(&ps->lx, &tok);
  if (tok.kind == LT_RPAREN) {
    litmus__lex_next(&ps->lx, &tok);
    return 0;
  }
  for (;;) {
    unsigned bytes;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_IDENT && !litmus__type_bytes(&tok))
      return litmus__err_tok(ps, &tok, SIM_EUNSUP, "parameter type '%.*s' is not supported", (int)tok.len, tok.s);
    if ((rc = litmus__type(ps, &bytes))) return rc;
    litmus__lex_next(&ps->lx, &tok);
    if (tok.kind != LT_STAR) {
      if (tok.kind == LT_IDENT)
        return litmus__err_tok(ps, &tok, SIM_EUNSUP, "parameter '%.*s' is not a pointer to a shared location",
                               (int)tok.len, tok.s);
      return litmus__expected(ps, &tok, "'*'");
    }
    bool ptr = false;
    litmus__lex_peek(&ps->lx, &tok);
    for (; tok.kind == LT_STAR; litmus__lex_peek(&ps->lx, &tok)) { /* int **p: p holds a pointer */
      litmus__lex_next(&ps->lx, &tok);
      ptr = true;
    }
    litmus_tok name;
    if ((rc = litmus__expect(ps, LT_IDENT, "a parameter name", &name))) return rc;
    if (param_find(ps, &name) >= 0)
      return litmus__err_tok(ps, &name, SIM_ESYNTAX, "parameter '%.*s' appears twice", (int)name.len, name.s);
    int loc;
    if ((rc = litmus__loc_declare(ps, &name, bytes, ptr, &loc))) return rc;
    litmus_param *p = &ps->param[ps->nparam++]; /* <= nlocs <= LITMUS_MAX_LOCS: each names a distinct location */
    memcpy(p->name, ps->t->loc[loc].name, sizeof p->name);
    p->loc = (uint8_t)loc;
    litmus__lex_next(&ps->lx, &tok);
    if (tok.kind == LT_RPAREN) return 0;
    if (tok.kind != LT_COMMA) return litmus__expected(ps, &tok, "',' or ')'");
  }
}

int litmus__parse_c(litmus_ps *ps) {
  litmus_test *t = ps->t;
  for (unsigned k = 0; k < LITMUS_MAX_THREADS; k++) ps->rcu_loc[k] = -1;
  for (;;) {
    litmus_tok tok;
    int rc;
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_EOF || litmus__at_final(ps)) break;
    if (litmus__tok_is(&tok, "void")) litmus__lex_next(&ps->lx, &tok);
    char want[16];
    snprintf(want, sizeof want, "P%u", t->nthreads);
    litmus__lex_next(&ps->lx, &tok);
    if (!litmus__tok_is(&tok, want)) {
      char what[40];
      snprintf(what, sizeof what, "'%s' (a thread)", want);
      return litmus__expected(ps, &tok, what);
    }
    if (t->nthreads >= LITMUS_MAX_THREADS)
      return litmus__err_tok(ps, &tok, SIM_EUNSUP, "more than %d threads", LITMUS_MAX_THREADS);
    ps->tid = t->nthreads++;
    ps->nparam = ps->ntemp = ps->temp_used = 0;
    ps->pure_only = false;
    ps->rcu_nest = 0;
    ps->lx.c_code = true;
    if ((rc = params(ps)) || (rc = litmus__expect(ps, LT_LBRACE, "'{'", NULL)) || (rc = block_rest(ps))) return rc;
    ps->lx.c_code = false;
    if (ps->rcu_nest > 0)
      return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "P%u ends inside rcu_read_lock()", ps->tid);
  }
  if (t->nthreads == 0) {
    litmus_tok tok;
    litmus__lex_peek(&ps->lx, &tok);
    return litmus__expected(ps, &tok, "'P0' (a thread)");
  }
  return expand_gps(ps);
}
