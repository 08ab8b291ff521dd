/* workloads/litmus_aarch64.c -- the code section of an AArch64 litmus test.
 *
 * herd7's column layout, as for X86 (litmus__parse_columns).  Registers are
 * X0-X30; W<n> names the same register (a 32-bit access of it), WZR and XZR
 * read as 0.  Locations are reached through registers the init block sets
 * (0:X1=x), so every memory instruction is indirect (litmus_insn.aptr).
 *
 * Instructions and what they compile to (litmus_int.h):
 *   LDR Rt,[a]  LDAR / LDAPR Rt,[a]       LOAD relaxed / acquire
 *   STR Rt,[a]  STLR Rt,[a]               STORE relaxed / release
 *   MOV Rd,#i|Rn                          SET
 *   ADD/SUB/EOR/AND/ORR Rd,Rn,Rm|#i       SET (EOR W2,W0,W0 is herd's fake
 *                                         dependency: 0, but it reads W0)
 *   CBZ/CBNZ Rn,L  B L  L:                JZ / JMP, forward only (LI3)
 *   CMP Rn,Rm|#i                          SET of two hidden registers (flags)
 *   B.EQ/NE/GE/LT/GT/LE L                 JZ on the negated comparison
 *   CSEL Rd,Rn,Rm,cond                    SET Rm + (Rn - Rm) * cond: it reads
 *                                         both, a data dependency on each
 *   DMB/DSB SY|ISH|OSH|NSH, ..LD, ..ST    FENCE full / load / store
 *   ISB                                   ISB: nothing runs speculatively
 *                                         past an earlier branch (litmus_ooo.c)
 *   NOP                                   nothing
 *   SWP Rs,Rt,[a]                         RMW xchg, old value into Rt
 *   LDADD/LDEOR/LDSET Rs,Rt,[a]           RMW add/xor/or, old value into Rt
 *   STADD/STEOR/STSET Rs,[a]              the same without a result
 *   CAS Rs,Rt,[a]                         CAS expecting Rs, desired Rt, old
 *                                         value into Rs
 * The atomics take suffixes A (acquire), L (release), AL (both).
 * Addressing modes [a]: [Xn], [Xn,Rm], [Xn,Wm,SXTW|UXTW] and [Xn,#0].  With
 * an index the address is computed into a hidden register first, so an
 * address dependency through a fake EOR really waits for its load.
 *   LDXR/LDAXR Rt,[a]                     LOAD excl into a hidden register,
 *                                         then SET Rt
 *   STXR/STLXR Ws,Rt,[a]                  CAS excl: Ws = 0 if it stored
 * Unsigned conditions and other instructions are refused (SIM_EUNSUP),
 * naming the instruction.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "litmus_int.h"

bool litmus__a64_reg(const litmus_tok *tok, char buf[8]) {
  if (tok->kind != LT_IDENT || tok->len < 2 || tok->len > 3) return false;
  char k = tok->s[0];
  if (k != 'X' && k != 'x' && k != 'W' && k != 'w') return false;
  unsigned n = 0;
  for (unsigned i = 1; i < tok->len; i++) {
    if (tok->s[i] < '0' || tok->s[i] > '9') return false;
    n = n * 10 + (unsigned)(tok->s[i] - '0');
  }
  if (n > 30 || (tok->len == 3 && tok->s[1] == '0')) return false;
  snprintf(buf, 8, "X%u", n);
  return true;
}

static bool zero_reg(const litmus_tok *tok) {
  return litmus__tok_iis(tok, "WZR") || litmus__tok_iis(tok, "XZR");
}

/* Register `tok` of thread tid (created on first use, 8 bytes). */
static int reg(litmus_ps *ps, unsigned tid, const litmus_tok *tok, int *idx) {
  char name[8];
  if (!litmus__a64_reg(tok, name))
    return litmus__expected(ps, tok, "a register (X0-X30 or W0-W30)");
  *idx = litmus__reg_find(&ps->t->th[tid], name, strlen(name));
  if (*idx >= 0) return 0;
  return litmus__reg_add(ps, tid, tok, name, 8, false, idx);
}

/* A destination register; WZR and XZR discard the value (*idx -1). */
static int dest_tok(litmus_ps *ps, unsigned tid, const litmus_tok *tok, int *idx) {
  if (!zero_reg(tok)) return reg(ps, tid, tok, idx);
  *idx = -1;
  return 0;
}

static int dest(litmus_ps *ps, unsigned tid, int *idx) {
  litmus_tok tok;
  litmus__lex_next(&ps->lx, &tok);
  return dest_tok(ps, tid, &tok, idx);
}

/* A source operand: a register, WZR/XZR, or #immediate (if imm_ok). */
static int source(litmus_ps *ps, unsigned tid, bool imm_ok, uint32_t *e) {
  litmus_tok tok;
  litmus__lex_next(&ps->lx, &tok);
  litmus_expr x = {.kind = LX_CONST};
  int rc, r;
  if (tok.kind == LT_HASH && imm_ok) {
    if ((rc = litmus__int(ps, &x.val))) return rc;
  } else if (!zero_reg(&tok)) {
    if (tok.kind != LT_IDENT)
      return litmus__expected(ps, &tok, imm_ok ? "a register or #immediate" : "a register");
    if ((rc = reg(ps, tid, &tok, &r))) return rc;
    x.kind = LX_REG;
    x.reg = (uint8_t)r;
  }
  return litmus__expr(ps, &tok, x, e);
}

static int comma(litmus_ps *ps) { return litmus__expect(ps, LT_COMMA, "','", NULL); }

/* Hidden register `name` of thread tid, or -1 (litmus__reg_find skips
 * hidden ones). */
static int hidden_find(const litmus_ps *ps, unsigned tid, const char *name) {
  const litmus_thread *th = &ps->t->th[tid];
  for (unsigned i = 0; i < th->nregs; i++)
    if (th->reg[i].hidden && strcmp(th->reg[i].name, name) == 0) return (int)i;
  return -1;
}

/* Hidden register `name` of thread tid, made on first use: %addr holds a
 * computed address, %cmpa and %cmpb CMP's operands. */
static int hidden_reg(litmus_ps *ps, unsigned tid, const litmus_tok *at, const char *name, int *idx) {
  if ((*idx = hidden_find(ps, tid, name)) >= 0) return 0;
  return litmus__reg_add(ps, tid, at, name, 8, true, idx);
}

/* [Xn], [Xn,Rm], [Xn,Wm,SXTW], [Xn,#0]: sets in->aptr, emitting the SET of
 * a computed address first. */
static int address(litmus_ps *ps, unsigned tid, litmus_insn *in) {
  litmus_tok open, base, tok;
  int rc, b;
  if ((rc = litmus__expect(ps, LT_LBRACK, "'[' (an address)", &open))) return rc;
  litmus__lex_next(&ps->lx, &base);
  if ((rc = reg(ps, tid, &base, &b))) return rc;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind == LT_RBRACK) {
    in->aptr = (uint8_t)(b + 1);
    return 0;
  }
  if (tok.kind != LT_COMMA) return litmus__expected(ps, &tok, "']' or ','");
  litmus_tok at;
  litmus__lex_peek(&ps->lx, &at);
  if (at.kind == LT_HASH) {
    int64_t off;
    litmus__lex_next(&ps->lx, &at);
    if ((rc = litmus__int(ps, &off))) return rc;
    if (off != 0)
      return litmus__err_tok(ps, &at, SIM_EUNSUP, "an offset other than #0 is not supported");
    in->aptr = (uint8_t)(b + 1);
    return litmus__expect(ps, LT_RBRACK, "']'", NULL);
  }
  uint32_t eb, ei, sum;
  litmus_expr xb = {.kind = LX_REG, .reg = (uint8_t)b};
  if ((rc = litmus__expr(ps, &base, xb, &eb)) || (rc = source(ps, tid, false, &ei))) return rc;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind == LT_COMMA) { /* an extension of a W index: the index is 0 in herd's tests */
    litmus__lex_next(&ps->lx, &tok);
    if (!litmus__tok_iis(&tok, "SXTW") && !litmus__tok_iis(&tok, "UXTW"))
      return litmus__err_tok(ps, &tok, SIM_EUNSUP, "index extension '%.*s' is not supported (SXTW, UXTW)",
                             (int)tok.len, tok.s);
    litmus__lex_next(&ps->lx, &tok);
  }
  if (tok.kind != LT_RBRACK) return litmus__expected(ps, &tok, "']'");
  int a;
  litmus_expr add = {.kind = LX_ADD, .a = eb, .b = ei};
  if ((rc = hidden_reg(ps, tid, &open, "%addr", &a)) || (rc = litmus__expr(ps, &open, add, &sum))) return rc;
  litmus_insn set = {.op = LI_SET, .dst = (int8_t)a, .dst_bytes = 8, .e1 = sum, .line = open.line,
                     .col = open.col};
  if ((rc = litmus__emit(ps, tid, &set, NULL))) return rc;
  in->aptr = (uint8_t)(a + 1);
  return 0;
}

typedef enum {
  A_LOAD, A_STORE, A_MOV, A_ALU, A_CB, A_B, A_CMP, A_CSEL, A_FENCE, A_ISB, A_NOP, A_LDX, A_STX,
  A_RMW, A_ST_RMW, A_CAS /* the atomics last: mnemonic() gives them suffixes */
} aclass;

static const struct {
  const char *name;
  aclass cls;
  uint8_t sub;   /* mem_order (loads, stores); mem_rmw_op; fence kind; CBNZ: 1 */
  uint8_t xkind; /* ALU: the expression */
} mnemonics[] = {
    {"LDR", A_LOAD, MO_RELAXED, 0},   {"LDAR", A_LOAD, MO_ACQUIRE, 0},
    {"LDAPR", A_LOAD, MO_ACQUIRE_PC, 0}, {"STR", A_STORE, MO_RELAXED, 0},
    {"STLR", A_STORE, MO_RELEASE, 0}, {"MOV", A_MOV, 0, 0},
    {"ADD", A_ALU, 0, LX_ADD},        {"SUB", A_ALU, 0, LX_SUB},
    {"EOR", A_ALU, 0, LX_XOR},        {"AND", A_ALU, 0, LX_AND},
    {"ORR", A_ALU, 0, LX_OR},         {"CBZ", A_CB, 0, 0},
    {"CBNZ", A_CB, 1, 0},             {"B", A_B, 0, 0},
    {"CMP", A_CMP, 0, 0},             {"CSEL", A_CSEL, 0, 0},
    {"LDXR", A_LDX, MO_RELAXED, 0},   {"LDAXR", A_LDX, MO_ACQUIRE, 0},
    {"STXR", A_STX, MO_RELAXED, 0},   {"STLXR", A_STX, MO_RELEASE, 0},
    {"DMB", A_FENCE, 0, 0},           {"DSB", A_FENCE, 0, 0},
    {"ISB", A_ISB, 0, 0},             {"NOP", A_NOP, 0, 0},
    {"SWP", A_RMW, RMW_XCHG, 0},
    {"LDADD", A_RMW, RMW_ADD, 0},     {"LDEOR", A_RMW, RMW_XOR, 0},
    {"LDSET", A_RMW, RMW_OR, 0},      {"STADD", A_ST_RMW, RMW_ADD, 0},
    {"STEOR", A_ST_RMW, RMW_XOR, 0},  {"STSET", A_ST_RMW, RMW_OR, 0},
    {"CAS", A_CAS, 0, 0},
};

/* The mnemonic of tok, with an atomic's ordering suffix (A, L, AL) split
 * off into *order; -1 if none matches. */
static int mnemonic(const litmus_tok *tok, mem_order *order) {
  static const struct {
    const char *sfx;
    mem_order o;
  } sfx[] = {{"", MO_RELAXED}, {"A", MO_ACQUIRE}, {"L", MO_RELEASE}, {"AL", MO_SEQ_CST}};
  for (size_t i = 0; i < sizeof mnemonics / sizeof mnemonics[0]; i++) {
    size_t n = strlen(mnemonics[i].name);
    bool atomic = mnemonics[i].cls >= A_RMW;
    for (size_t k = 0; k < (atomic ? 4 : 1); k++)
      if (tok->len == n + strlen(sfx[k].sfx) && strncasecmp(tok->s, mnemonics[i].name, n) == 0 &&
          strncasecmp(tok->s + n, sfx[k].sfx, tok->len - n) == 0) {
        *order = sfx[k].o;
        return (int)i;
      }
  }
  return -1;
}

/* DMB's option: SY ISH OSH NSH (full), ...LD (load), ...ST (store). */
static int barrier(litmus_ps *ps, uint8_t *kind) {
  litmus_tok tok;
  int rc = litmus__expect(ps, LT_IDENT, "a barrier option (SY, ISH, ISHLD, ISHST, ...)", &tok);
  if (rc) return rc;
  static const char *const dom[] = {"SY", "ISH", "OSH", "NSH", ""};
  for (size_t d = 0; d < sizeof dom / sizeof dom[0]; d++) {
    size_t n = strlen(dom[d]);
    if (tok.len < n || strncasecmp(tok.s, dom[d], n) != 0) continue;
    const char *rest = tok.s + n;
    size_t left = tok.len - n;
    if (left == 0 && n) *kind = MF_FULL;
    else if (left == 2 && strncasecmp(rest, "LD", 2) == 0) *kind = MF_LOAD;
    else if (left == 2 && strncasecmp(rest, "ST", 2) == 0) *kind = MF_STORE;
    else continue;
    return 0;
  }
  return litmus__err_tok(ps, &tok, SIM_ESYNTAX, "unknown barrier option '%.*s'", (int)tok.len, tok.s);
}

/* CMP Rn,op|#i keeps both operands in hidden registers (the flags); a
 * condition (B.cond, CSEL) compares them when it is used. */
static int cmp(litmus_ps *ps, unsigned tid, const litmus_tok *at) {
  uint32_t a, b;
  int rc, ra, rb;
  if ((rc = source(ps, tid, false, &a)) || (rc = comma(ps)) || (rc = source(ps, tid, true, &b)) ||
      (rc = hidden_reg(ps, tid, at, "%cmpa", &ra)) || (rc = hidden_reg(ps, tid, at, "%cmpb", &rb)))
    return rc;
  litmus_insn sa = {.op = LI_SET, .dst = (int8_t)ra, .dst_bytes = 8, .e1 = a, .line = at->line, .col = at->col};
  litmus_insn sb = sa;
  sb.dst = (int8_t)rb;
  sb.e1 = b;
  if ((rc = litmus__emit(ps, tid, &sa, NULL))) return rc;
  return litmus__emit(ps, tid, &sb, NULL);
}

/* The condition `tok` (EQ NE GE LT GT LE: signed) over CMP's operands, or
 * its negation: an expression that is 1 or 0. */
static int cond(litmus_ps *ps, unsigned tid, const litmus_tok *tok, bool negate, uint32_t *e) {
  static const struct {
    const char *name;
    uint8_t kind, neg;
  } conds[] = {{"EQ", LX_EQ, LX_NE}, {"NE", LX_NE, LX_EQ}, {"GE", LX_GE, LX_LT},
               {"LT", LX_LT, LX_GE}, {"GT", LX_GT, LX_LE}, {"LE", LX_LE, LX_GT}};
  int k = -1, ra, rb, rc;
  for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++)
    if (litmus__tok_iis(tok, conds[i].name)) k = (int)i;
  if (k < 0)
    return litmus__err_tok(ps, tok, SIM_EUNSUP, "condition '%.*s' is not supported (EQ NE GE LT GT LE)",
                           (int)tok->len, tok->s);
  ra = hidden_find(ps, tid, "%cmpa");
  rb = hidden_find(ps, tid, "%cmpb");
  if (ra < 0 || rb < 0) return litmus__err_tok(ps, tok, SIM_ESYNTAX, "a condition with no CMP before it");
  uint32_t a, b;
  litmus_expr xa = {.kind = LX_REG, .reg = (uint8_t)ra}, xb = {.kind = LX_REG, .reg = (uint8_t)rb};
  if ((rc = litmus__expr(ps, tok, xa, &a)) || (rc = litmus__expr(ps, tok, xb, &b))) return rc;
  litmus_expr c = {.kind = negate ? conds[k].neg : conds[k].kind, .a = a, .b = b};
  return litmus__expr(ps, tok, c, e);
}

/* B.cond L: after "B", the '.' and the condition; JZ jumps on 0, so its
 * expression is the negated condition. */
static int b_cond(litmus_ps *ps, unsigned tid, litmus_insn *in) {
  litmus_tok tok;
  litmus__lex_next(&ps->lx, &tok); /* the '.' */
  int rc = litmus__expect(ps, LT_IDENT, "a condition (EQ NE GE LT GT LE)", &tok);
  if (!rc) rc = cond(ps, tid, &tok, true, &in->e1);
  in->op = LI_JZ;
  return rc;
}

/* CSEL Rd,Rn,Rm,cond: Rd = Rm + (Rn - Rm) * cond, a value that reads both
 * sources (a data dependency on each, as on the hardware). */
static int csel(litmus_ps *ps, unsigned tid, const litmus_tok *at, litmus_insn *in) {
  uint32_t n, m, c, diff, prod;
  litmus_tok tok;
  int rc, d;
  if ((rc = dest(ps, tid, &d)) || (rc = comma(ps)) || (rc = source(ps, tid, false, &n)) ||
      (rc = comma(ps)) || (rc = source(ps, tid, false, &m)) || (rc = comma(ps)) ||
      (rc = litmus__expect(ps, LT_IDENT, "a condition (EQ NE GE LT GT LE)", &tok)) ||
      (rc = cond(ps, tid, &tok, false, &c)))
    return rc;
  litmus_expr sub = {.kind = LX_SUB, .a = n, .b = m};
  if ((rc = litmus__expr(ps, at, sub, &diff))) return rc;
  litmus_expr mul = {.kind = LX_MUL, .a = diff, .b = c};
  if ((rc = litmus__expr(ps, at, mul, &prod))) return rc;
  litmus_expr add = {.kind = LX_ADD, .a = m, .b = prod};
  if ((rc = litmus__expr(ps, at, add, &in->e1))) return rc;
  if (d < 0) return 0;
  in->op = LI_SET;
  in->dst = (int8_t)d;
  return 0;
}

/* LDXR Rt,[a]: an exclusive load into the hidden %xval (what STXR compares
 * with where there is no monitor: the host, the SC search), then Rt. */
static int ldx(litmus_ps *ps, unsigned tid, const litmus_tok *at, uint8_t order) {
  litmus_insn ld = {.op = LI_LOAD, .sub = order, .excl = 1, .dst_bytes = 8, .line = at->line,
                    .col = at->col};
  int rc, d, x;
  if ((rc = dest(ps, tid, &d)) || (rc = comma(ps)) || (rc = address(ps, tid, &ld)) ||
      (rc = hidden_reg(ps, tid, at, "%xval", &x)))
    return rc;
  ld.dst = (int8_t)x;
  if ((rc = litmus__emit(ps, tid, &ld, NULL)) || d < 0) return rc;
  uint32_t e;
  litmus_expr r = {.kind = LX_REG, .reg = (uint8_t)x};
  if ((rc = litmus__expr(ps, at, r, &e))) return rc;
  litmus_insn set = {.op = LI_SET, .dst = (int8_t)d, .dst_bytes = 8, .e1 = e, .line = at->line,
                     .col = at->col};
  return litmus__emit(ps, tid, &set, NULL);
}

/* STXR Ws,Rt,[a]: a store-conditional; Ws gets 0 if it stored, else 1. */
static int stx(litmus_ps *ps, unsigned tid, litmus_insn *in, uint8_t order) {
  litmus_tok at;
  litmus__lex_peek(&ps->lx, &at);
  int rc, d, x;
  if ((rc = dest(ps, tid, &d)) || (rc = comma(ps)) || (rc = source(ps, tid, false, &in->e2)) ||
      (rc = comma(ps)) || (rc = address(ps, tid, in)) || (rc = hidden_reg(ps, tid, &at, "%xval", &x)))
    return rc;
  litmus_expr r = {.kind = LX_REG, .reg = (uint8_t)x};
  if ((rc = litmus__expr(ps, &at, r, &in->e1))) return rc;
  in->op = LI_CAS;
  in->excl = 1;
  in->order = order;
  in->dst = (int8_t)d;
  return 0;
}

/* A branch to a label, resolved once every row is read (resolve()). */
static int branch(litmus_ps *ps, unsigned tid) {
  litmus_tok tok;
  int rc = litmus__expect(ps, LT_IDENT, "a label", &tok);
  if (rc) return rc;
  if (ps->nbranch >= LITMUS_MAX_LABELS || tok.len >= LITMUS_NAME_MAX)
    return litmus__err_tok(ps, &tok, SIM_EUNSUP, "too many branches, or too long a label");
  litmus_label *b = &ps->branch[ps->nbranch++];
  memcpy(b->name, tok.s, tok.len);
  b->name[tok.len] = '\0';
  b->tid = (uint8_t)tid;
  b->pc = (uint16_t)ps->t->th[tid].ncode; /* the branch is the next instruction */
  b->line = tok.line;
  b->col = tok.col;
  return 0;
}

static int label(litmus_ps *ps, unsigned tid, const litmus_tok *tok) {
  for (unsigned i = 0; i < ps->nlabel; i++)
    if (ps->label[i].tid == tid && strlen(ps->label[i].name) == tok->len &&
        strncmp(ps->label[i].name, tok->s, tok->len) == 0)
      return litmus__err_tok(ps, tok, SIM_ESYNTAX, "label '%.*s' defined twice", (int)tok->len, tok->s);
  if (ps->nlabel >= LITMUS_MAX_LABELS || tok->len >= LITMUS_NAME_MAX)
    return litmus__err_tok(ps, tok, SIM_EUNSUP, "too many labels, or too long a label");
  litmus_label *l = &ps->label[ps->nlabel++];
  memcpy(l->name, tok->s, tok->len);
  l->name[tok->len] = '\0';
  l->tid = (uint8_t)tid;
  l->pc = (uint16_t)ps->t->th[tid].ncode;
  l->line = tok->line;
  l->col = tok->col;
  return litmus__expect(ps, LT_COLON, "':' after a label", NULL);
}

/* One cell: an instruction or a label of thread tid, or nothing. */
static int cell(litmus_ps *ps, unsigned tid) {
  litmus_tok tok, next;
  int rc, d;
  litmus__lex_peek(&ps->lx, &tok);
  if (tok.kind == LT_BAR || tok.kind == LT_SEMI) return 0;
  litmus__lex_next(&ps->lx, &tok);
  if (tok.kind != LT_IDENT) return litmus__expected(ps, &tok, "an instruction, a label, '|' or ';'");
  litmus__lex_peek(&ps->lx, &next);
  if (next.kind == LT_COLON) return label(ps, tid, &tok);
  mem_order order = MO_RELAXED;
  int m = mnemonic(&tok, &order);
  if (m < 0)
    return litmus__err_tok(ps, &tok, SIM_EUNSUP, "instruction '%.*s' is not supported", (int)tok.len, tok.s);
  litmus_insn in = {.dst = -1, .line = tok.line, .col = tok.col};
  switch (mnemonics[m].cls) {
  case A_LOAD:
    if ((rc = dest(ps, tid, &d)) || (rc = comma(ps)) || (rc = address(ps, tid, &in))) return rc;
    in.op = LI_LOAD;
    in.sub = mnemonics[m].sub;
    in.dst = (int8_t)d; /* -1: LDR WZR, a load for its ordering only */
    break;
  case A_STORE:
    if ((rc = source(ps, tid, false, &in.e1)) || (rc = comma(ps)) || (rc = address(ps, tid, &in))) return rc;
    in.op = LI_STORE;
    in.sub = mnemonics[m].sub;
    break;
  case A_MOV:
    if ((rc = dest(ps, tid, &d)) || (rc = comma(ps)) || (rc = source(ps, tid, true, &in.e1))) return rc;
    if (d < 0) return 0; /* MOV WZR: nothing */
    in.op = LI_SET;
    in.dst = (int8_t)d;
    break;
  case A_ALU: {
    uint32_t a, b;
    if ((rc = dest(ps, tid, &d)) || (rc = comma(ps)) || (rc = source(ps, tid, false, &a)) ||
        (rc = comma(ps)) || (rc = source(ps, tid, true, &b)))
      return rc;
    litmus_expr op = {.kind = mnemonics[m].xkind, .a = a, .b = b};
    if ((rc = litmus__expr(ps, &tok, op, &in.e1))) return rc;
    if (d < 0) return 0;
    in.op = LI_SET;
    in.dst = (int8_t)d;
    break;
  }
  case A_CB: { /* JZ jumps when e1 == 0: CBNZ tests (r == 0) */
    uint32_t r, zero;
    if ((rc = source(ps, tid, false, &r)) || (rc = comma(ps))) return rc;
    if (mnemonics[m].sub) {
      litmus_expr z = {.kind = LX_CONST}, eq = {.kind = LX_EQ, .a = r};
      if ((rc = litmus__expr(ps, &tok, z, &zero))) return rc;
      eq.b = zero;
      if ((rc = litmus__expr(ps, &tok, eq, &r))) return rc;
    }
    in.op = LI_JZ;
    in.e1 = r;
    if ((rc = branch(ps, tid))) return rc;
    break;
  }
  case A_B:
    in.op = LI_JMP;
    litmus__lex_peek(&ps->lx, &next);
    if (next.kind == LT_BAD && next.s[0] == '.' && (rc = b_cond(ps, tid, &in))) return rc;
    if ((rc = branch(ps, tid))) return rc;
    break;
  case A_CMP: return cmp(ps, tid, &tok);
  case A_LDX: return ldx(ps, tid, &tok, mnemonics[m].sub);
  case A_STX:
    if ((rc = stx(ps, tid, &in, mnemonics[m].sub))) return rc;
    break;
  case A_CSEL:
    if ((rc = csel(ps, tid, &tok, &in))) return rc;
    if (in.op != LI_SET) return 0; /* CSEL WZR */
    break;
  case A_FENCE:
    in.op = LI_FENCE;
    if ((rc = barrier(ps, &in.sub))) return rc;
    break;
  case A_ISB: in.op = LI_ISB; break;
  case A_NOP: return 0;
  case A_RMW:
  case A_ST_RMW:
    if ((rc = source(ps, tid, false, &in.e1)) || (rc = comma(ps))) return rc;
    if (mnemonics[m].cls == A_RMW && ((rc = dest(ps, tid, &d)) || (rc = comma(ps)))) return rc;
    if ((rc = address(ps, tid, &in))) return rc;
    in.op = LI_RMW;
    in.sub = mnemonics[m].sub;
    in.order = (uint8_t)order;
    if (mnemonics[m].cls == A_RMW) in.dst = (int8_t)d;
    break;
  case A_CAS: {
    litmus_tok rs;
    litmus__lex_peek(&ps->lx, &rs);
    if ((rc = source(ps, tid, false, &in.e1)) || (rc = dest_tok(ps, tid, &rs, &d)) || (rc = comma(ps)) ||
        (rc = source(ps, tid, false, &in.e2)) || (rc = comma(ps)) || (rc = address(ps, tid, &in)))
      return rc;
    in.op = LI_CAS;
    in.order = (uint8_t)order;
    in.dst = (int8_t)d; /* the old value, as the hardware writes it back into Rs */
    break;
  }
  }
  if (in.dst >= 0) in.dst_bytes = 8;
  return litmus__emit(ps, tid, &in, NULL);
}

/* Every branch to its label: forward, in its own thread (LI3). */
static int resolve(litmus_ps *ps) {
  for (unsigned i = 0; i < ps->nbranch; i++) {
    const litmus_label *b = &ps->branch[i];
    const litmus_label *l = NULL;
    for (unsigned k = 0; k < ps->nlabel && !l; k++)
      if (ps->label[k].tid == b->tid && strcmp(ps->label[k].name, b->name) == 0) l = &ps->label[k];
    if (!l)
      return litmus__err_at(ps, b->line, b->col, SIM_ESYNTAX, "P%u has no label '%s'", b->tid, b->name);
    if (l->pc <= b->pc)
      return litmus__err_at(ps, b->line, b->col, SIM_EUNSUP,
                            "a branch back to '%s' (a loop) is not supported", b->name);
    ps->t->th[b->tid].code[b->pc].target = l->pc;
  }
  return 0;
}

int litmus__parse_aarch64(litmus_ps *ps) {
  int rc = litmus__parse_columns(ps, cell);
  return rc ? rc : resolve(ps);
}
