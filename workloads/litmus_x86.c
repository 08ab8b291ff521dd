/* workloads/litmus_x86.c -- the code section of an X86 litmus test.
 *
 * herd7's column layout: a first row `P0 | P1 | ... ;` names the threads,
 * then each row holds one instruction (or nothing) per thread, cells
 * separated by '|' and the row ended by ';'.  A row must have one cell per
 * thread.
 *
 * Instructions and what they compile to (litmus_int.h):
 *   MOV [x],$1 / MOV [x],EAX      STORE relaxed
 *   MOV EAX,[x]                   LOAD relaxed
 *   MOV EAX,$1 / MOV EAX,EBX      SET
 *   ADD/SUB/AND/OR/XOR EAX,$1|EBX, INC/DEC EAX      SET (register arithmetic)
 *   MFENCE / SFENCE / LFENCE      FENCE full / store / load
 *   XCHG [x],EAX / XCHG EAX,[x]   RMW xchg, old value into EAX (always locked)
 *   LOCK ADD/SUB/AND/OR/XOR [x],$1|EAX, LOCK INC/DEC [x]    RMW, no result
 *   ADD/SUB/AND/OR/XOR [x],$1|EAX, INC/DEC [x] (no LOCK)     LOAD into a hidden
 *                                 register, then STORE of it op the source
 *   LOCK XADD [x],EAX             RMW add, old value into EAX
 *   LOCK CMPXCHG [x],EBX          CAS expecting EAX, old value into EAX
 * Register sizes: E?X are 32-bit.  An access has its location's size, so a
 * load from a uint64_t location keeps the low 32 bits in EAX (sign-extended).
 * Memory-destination arithmetic without LOCK is a read-modify-write that is
 * not atomic on x86: another core's store can land between its read and
 * its write (herd7's x86 model gives it separate read and write events),
 * so it compiles to a load and a store, never to an RMW.  XADD and CMPXCHG
 * without LOCK, branches, labels and other addressing modes are refused
 * (SIM_EUNSUP).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "litmus_int.h"

static const char *const x86_regs[] = {"EAX", "EBX", "ECX", "EDX", "ESI", "EDI"};

const char *litmus__x86_reg(const litmus_tok *tok) {
  for (size_t i = 0; i < sizeof x86_regs / sizeof x86_regs[0]; i++)
    if (litmus__tok_iis(tok, x86_regs[i])) return x86_regs[i];
  return NULL;
}

typedef enum { OP_REG, OP_MEM, OP_IMM } opnd_kind;

typedef struct opnd {
  opnd_kind kind;
  int idx; /* register of the thread, or location */
  int64_t imm;
  litmus_tok tok;
} opnd;

static int operand(litmus_ps *ps, unsigned tid, opnd *o) {
  litmus_tok tok;
  int rc;
  litmus__lex_next(&ps->lx, &tok);
  o->tok = tok;
  if (tok.kind == LT_LBRACK) {
    litmus_tok name, close;
    if ((rc = litmus__expect(ps, LT_IDENT, "a location name", &name))) return rc;
    litmus__lex_next(&ps->lx, &close);
    if (close.kind != LT_RBRACK) {
      if (close.kind == LT_PLUS || close.kind == LT_MINUS || close.kind == LT_STAR)
        return litmus__err_tok(ps, &close, SIM_EUNSUP, "addressing modes other than [location] are not supported");
      return litmus__expected(ps, &close, "']'");
    }
    if (litmus__x86_reg(&name))
      return litmus__err_tok(ps, &name, SIM_EUNSUP, "register-indirect addressing [%.*s] is not supported",
                             (int)name.len, name.s);
    o->kind = OP_MEM;
    return litmus__loc_get(ps, &name, &o->idx);
  }
  if (tok.kind == LT_DOLLAR) {
    o->kind = OP_IMM;
    litmus_tok v;
    litmus__lex_peek(&ps->lx, &v);
    if (v.kind == LT_IDENT)
      return litmus__err_tok(ps, &v, SIM_EUNSUP, "'$%.*s': addresses as values are not supported", (int)v.len, v.s);
    return litmus__int(ps, &o->imm);
  }
  const char *reg = tok.kind == LT_IDENT ? litmus__x86_reg(&tok) : NULL;
  if (reg) {
    o->kind = OP_REG;
    litmus_thread *th = &ps->t->th[tid];
    o->idx = litmus__reg_find(th, reg, strlen(reg));
    if (o->idx >= 0) return 0;
    return litmus__reg_add(ps, tid, &tok, reg, 4, false, &o->idx);
  }
  return litmus__expected(ps, &tok, "a register (EAX EBX ECX EDX ESI EDI), [location] or $immediate");
}

static int two_operands(litmus_ps *ps, unsigned tid, opnd *a, opnd *b) {
  int rc = operand(ps, tid, a);
  if (!rc) rc = litmus__expect(ps, LT_COMMA, "','", NULL);
  if (!rc) rc = operand(ps, tid, b);
  return rc;
}

/* The expression for a register or immediate source operand. */
static int source(litmus_ps *ps, const opnd *o, uint32_t *e) {
  litmus_expr x = {0};
  if (o->kind == OP_IMM) {
    x.kind = LX_CONST;
    x.val = o->imm;
  } else if (o->kind == OP_REG) {
    x.kind = LX_REG;
    x.reg = (uint8_t)o->idx;
  } else {
    return litmus__err_tok(ps, &o->tok, SIM_ESYNTAX, "expected a register or $immediate, not a memory operand");
  }
  return litmus__expr(ps, &o->tok, x, e);
}

static int need(litmus_ps *ps, const opnd *o, opnd_kind k, const char *what) {
  if (o->kind == k) return 0;
  return litmus__err_tok(ps, &o->tok, SIM_ESYNTAX, "expected %s operand", what);
}

typedef enum { M_MOV, M_ALU, M_INCDEC, M_XCHG, M_XADD, M_CMPXCHG, M_FENCE } mclass;

static const struct {
  const char *name;
  mclass cls;
  uint8_t sub; /* mem_rmw_op for ALU/INC/DEC (and its expression kind below), fence kind */
  uint8_t xkind;
} mnemonics[] = {
    {"MOV", M_MOV, 0, 0},
    {"ADD", M_ALU, RMW_ADD, LX_ADD},
    {"SUB", M_ALU, RMW_SUB, LX_SUB},
    {"AND", M_ALU, RMW_AND, LX_AND},
    {"OR", M_ALU, RMW_OR, LX_OR},
    {"XOR", M_ALU, RMW_XOR, LX_XOR},
    {"INC", M_INCDEC, RMW_ADD, LX_ADD},
    {"DEC", M_INCDEC, RMW_SUB, LX_SUB},
    {"XCHG", M_XCHG, RMW_XCHG, 0},
    {"XADD", M_XADD, RMW_ADD, 0},
    {"CMPXCHG", M_CMPXCHG, 0, 0},
    {"MFENCE", M_FENCE, MF_FULL, 0},
    {"SFENCE", M_FENCE, MF_STORE, 0},
    {"LFENCE", M_FENCE, MF_LOAD, 0},
};

/* `ADD [x],src` without LOCK: the load of x into a hidden register is
 * emitted here; *st becomes the store of that register op src. */
static int unlocked_rmw(litmus_ps *ps, unsigned tid, const litmus_tok *mn, int m, const opnd *a,
                        opnd *b, litmus_insn *st) {
  litmus_test *t = ps->t;
  unsigned bytes = t->loc[a->idx].size;
  int tmp = litmus__reg_find(&t->th[tid], "%tmp", 4), rc; /* one per thread and width */
  if ((tmp < 0 || t->th[tid].reg[tmp].bytes != bytes) &&
      (rc = litmus__reg_add(ps, tid, mn, "%tmp", bytes, true, &tmp)))
    return rc;
  litmus_insn ld = {.op = LI_LOAD, .sub = MO_RELAXED, .loc = (uint8_t)a->idx, .dst = (int8_t)tmp,
                    .size = (uint8_t)bytes, .dst_bytes = (uint8_t)bytes, .line = st->line,
                    .col = st->col};
  if ((rc = litmus__emit(ps, tid, &ld, NULL))) return rc;
  uint32_t e, er;
  litmus_expr r = {.kind = LX_REG, .reg = (uint8_t)tmp};
  if ((rc = source(ps, b, &e)) || (rc = litmus__expr(ps, mn, r, &er))) return rc;
  litmus_expr op = {.kind = mnemonics[m].xkind, .a = er, .b = e};
  if ((rc = litmus__expr(ps, mn, op, &st->e1))) return rc;
  st->op = LI_STORE;
  st->sub = MO_RELAXED;
  st->loc = (uint8_t)a->idx;
  return 0;
}

/* One cell: an instruction of thread tid, or nothing. */
static int cell(litmus_ps *ps, unsigned tid) {
  litmus_tok tok, mn;
  int rc;
  litmus__lex_peek(&ps->lx, &tok);
  if (tok.kind == LT_BAR || tok.kind == LT_SEMI) return 0;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind != LT_IDENT) return litmus__expected(ps, &tok, "an instruction, '|' or ';'");
  bool lock = litmus__tok_iis(&tok, "LOCK");
  mn = tok;
  if (lock && (rc = litmus__expect(ps, LT_IDENT, "an instruction after LOCK", &mn))) return rc;
  int m = -1;
  for (size_t i = 0; i < sizeof mnemonics / sizeof mnemonics[0]; i++)
    if (litmus__tok_iis(&mn, mnemonics[i].name)) m = (int)i;
  if (m < 0)
    return litmus__err_tok(ps, &mn, SIM_EUNSUP, "instruction '%.*s' is not supported", (int)mn.len, mn.s);
  mclass cls = mnemonics[m].cls;
  litmus_insn in = {.dst = -1, .line = tok.line, .col = tok.col};
  opnd a, b;
  uint32_t e = 0;
  litmus_test *t = ps->t;

  if (lock && (cls == M_MOV || cls == M_FENCE))
    return litmus__err_tok(ps, &mn, SIM_ESYNTAX, "LOCK cannot prefix %s", mnemonics[m].name);

  switch (cls) {
  case M_FENCE:
    in.op = LI_FENCE;
    in.sub = mnemonics[m].sub;
    break;

  case M_MOV:
    if ((rc = two_operands(ps, tid, &a, &b))) return rc;
    if (a.kind == OP_MEM) {
      if (b.kind == OP_MEM)
        return litmus__err_tok(ps, &b.tok, SIM_ESYNTAX, "MOV cannot have two memory operands");
      if ((rc = source(ps, &b, &in.e1))) return rc;
      in.op = LI_STORE;
      in.sub = MO_RELAXED;
      in.loc = (uint8_t)a.idx;
    } else if ((rc = need(ps, &a, OP_REG, "a register or [location] destination"))) {
      return rc;
    } else if (b.kind == OP_MEM) {
      in.op = LI_LOAD;
      in.sub = MO_RELAXED;
      in.loc = (uint8_t)b.idx;
      in.dst = (int8_t)a.idx;
    } else {
      if ((rc = source(ps, &b, &in.e1))) return rc;
      in.op = LI_SET;
      in.dst = (int8_t)a.idx;
    }
    break;

  case M_ALU:
  case M_INCDEC:
    if (cls == M_ALU) {
      if ((rc = two_operands(ps, tid, &a, &b))) return rc;
      if (a.kind != OP_MEM && (rc = source(ps, &b, &e))) return rc;
    } else {
      if ((rc = operand(ps, tid, &a))) return rc;
      b = (opnd){.kind = OP_IMM, .imm = 1, .tok = a.tok};
    }
    if (a.kind == OP_MEM && !lock) {
      if ((rc = unlocked_rmw(ps, tid, &mn, m, &a, &b, &in))) return rc;
    } else if (a.kind == OP_MEM) {
      if ((rc = source(ps, &b, &in.e1))) return rc;
      in.op = LI_RMW;
      in.sub = mnemonics[m].sub;
      in.loc = (uint8_t)a.idx;
    } else {
      if ((rc = need(ps, &a, OP_REG, "a register or [location] destination"))) return rc;
      if (lock) return litmus__err_tok(ps, &mn, SIM_ESYNTAX, "LOCK needs a memory destination");
      if (cls == M_INCDEC && (rc = source(ps, &b, &e))) return rc;
      litmus_expr r = {.kind = LX_REG, .reg = (uint8_t)a.idx};
      uint32_t er;
      if ((rc = litmus__expr(ps, &mn, r, &er))) return rc;
      litmus_expr op = {.kind = mnemonics[m].xkind, .a = er, .b = e};
      if ((rc = litmus__expr(ps, &mn, op, &in.e1))) return rc;
      in.op = LI_SET;
      in.dst = (int8_t)a.idx;
    }
    break;

  case M_XCHG:
    if ((rc = two_operands(ps, tid, &a, &b))) return rc;
    if (a.kind == OP_REG && b.kind == OP_MEM) {
      opnd s = a;
      a = b;
      b = s;
    }
    if ((rc = need(ps, &a, OP_MEM, "a [location]")) || (rc = need(ps, &b, OP_REG, "a register"))) return rc;
    if ((rc = source(ps, &b, &in.e1))) return rc;
    in.op = LI_RMW;
    in.sub = RMW_XCHG;
    in.loc = (uint8_t)a.idx;
    in.dst = (int8_t)b.idx;
    break;

  case M_XADD:
  case M_CMPXCHG:
    if ((rc = two_operands(ps, tid, &a, &b))) return rc;
    if ((rc = need(ps, &a, OP_MEM, "a [location] destination")) || (rc = need(ps, &b, OP_REG, "a register source")))
      return rc;
    if (!lock)
      return litmus__err_tok(ps, &mn, SIM_EUNSUP, "%s without LOCK is not atomic; only LOCK %s is supported",
                             mnemonics[m].name, mnemonics[m].name);
    in.loc = (uint8_t)a.idx;
    if (cls == M_XADD) {
      if ((rc = source(ps, &b, &in.e1))) return rc;
      in.op = LI_RMW;
      in.sub = RMW_ADD;
      in.dst = (int8_t)b.idx;
    } else {
      litmus_tok eax = mn;
      eax.s = "EAX";
      eax.len = 3;
      opnd acc = {.kind = OP_REG, .tok = mn};
      acc.idx = litmus__reg_find(&t->th[tid], "EAX", 3);
      if (acc.idx < 0 && (rc = litmus__reg_add(ps, tid, &eax, "EAX", 4, false, &acc.idx))) return rc;
      if ((rc = source(ps, &acc, &in.e1)) || (rc = source(ps, &b, &in.e2))) return rc;
      in.op = LI_CAS;
      in.dst = (int8_t)acc.idx;
    }
    break;
  }
  if (litmus__is_mem(in.op)) in.size = t->loc[in.loc].size;
  if (in.op == LI_RMW || in.op == LI_CAS) in.order = MO_SEQ_CST; /* LOCK, XCHG: full fences */
  if (in.dst >= 0) in.dst_bytes = t->th[tid].reg[in.dst].bytes;
  return litmus__emit(ps, tid, &in, NULL);
}

int litmus__parse_columns(litmus_ps *ps, int (*parse_cell)(litmus_ps *ps, unsigned tid)) {
  litmus_test *t = ps->t;
  litmus_tok tok;
  int rc;
  for (;;) { /* P0 | P1 | ... ; */
    char want[16];
    snprintf(want, sizeof want, "P%u", t->nthreads);
    litmus__lex_next(&ps->lx, &tok);
    if (!litmus__tok_is(&tok, want)) {
      char what[40];
      snprintf(what, sizeof what, "'%s' (a thread name)", want);
      return litmus__expected(ps, &tok, what);
    }
    if (t->nthreads >= LITMUS_MAX_THREADS)
      return litmus__err_tok(ps, &tok, SIM_EUNSUP, "more than %d threads", LITMUS_MAX_THREADS);
    t->nthreads++;
    litmus__lex_next(&ps->lx, &tok);
    if (tok.kind == LT_SEMI) break;
    if (tok.kind != LT_BAR) return litmus__expected(ps, &tok, "'|' or ';'");
  }
  for (;;) { /* rows */
    litmus__lex_peek(&ps->lx, &tok);
    if (tok.kind == LT_EOF || litmus__at_final(ps)) return 0;
    for (unsigned col = 0;; col++) {
      if (col >= t->nthreads) {
        litmus__lex_peek(&ps->lx, &tok);
        return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "this row has more cells than the %u threads", t->nthreads);
      }
      if ((rc = parse_cell(ps, col))) return rc;
      litmus__lex_next(&ps->lx, &tok);
      if (tok.kind == LT_SEMI) {
        if (col + 1 != t->nthreads)
          return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "this row has %u cells but the test has %u threads",
                                 col + 1, t->nthreads);
        break;
      }
      if (tok.kind != LT_BAR) return litmus__expected(ps, &tok, "'|' or ';'");
    }
  }
}

int litmus__parse_x86(litmus_ps *ps) { return litmus__parse_columns(ps, cell); }
