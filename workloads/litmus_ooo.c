/* workloads/litmus_ooo.c -- a litmus thread on an out-of-order core.
 *
 * On a port with load_async (an arm core, cpu/core.h) a load into a register
 * is handed over and the thread runs on; the register is pending until an
 * instruction reads it, which waits for the value (settle).  So an address,
 * a store's data, a branch or a computed value that depends on a load waits
 * for it, and nothing else does: ARMv8's dependency order, from the data
 * flow.  A computation (MOV, EOR, ADD) that reads a pending register waits
 * too, so whatever follows a fake dependency in program order waits with
 * it: stronger than ARMv8, never weaker.
 *
 * Address dependencies.  dep[r] says regs[r] came from a load, directly or
 * through arithmetic; a load whose address register has it runs as a
 * consume load, which applies the invalidate queue before it issues (arm
 * keeps weak's queue, cpu/model.h), as a real core's dependent load cannot
 * bind before the load that gave its address.
 *
 * Speculation.  A branch whose condition waits for a load is predicted not
 * taken and the thread runs on past it, as a real core does: loads, register
 * arithmetic and fences issue, so a control dependency does not order loads
 * (MP+dmb.sy+ctrl shows on ARMv8).  A store, an atomic, ISB, a second branch
 * or the thread's end first resolves the branch: it waits for the
 * condition's loads and, if the branch is taken after all, throws away what
 * ran past it (registers back to the checkpoint, loads already issued left to
 * bind into cells nobody reads) and goes on at the target.  So stores never
 * perform speculatively (ARMv8: control dependencies order stores), and
 * ctrl+ISB orders a later load.
 *
 * Cells.  Register r's load writes cell r.  Invariant: while ck_pend[r], no
 * load into r has been issued since the branch (reloaded[r] is false), so
 * cell r still holds the value the checkpoint's regs[r] awaits; a
 * speculative load into r first settles the checkpoint's value (ck_settle).
 */
#include <string.h>

#include "litmus_int.h"

void litmus__ooo_init(litmus_ooo *o, mem_port *p, const litmus_expr *ex, int64_t *regs) {
  memset(o, 0, sizeof *o);
  o->p = p;
  o->ex = ex;
  o->regs = regs;
}

static int64_t cell_value(const litmus_ooo *o, unsigned r) {
  return litmus__sext(o->val[r], o->size[r] < o->bytes[r] ? o->size[r] : o->bytes[r]);
}

/* The checkpoint's register r, made final (the speculation keeps it). */
static void ck_settle(litmus_ooo *o, unsigned r) {
  if (!o->ck_pend[r]) return;
  o->p->ops->load_wait(o->p, &o->bound[r]);
  o->ck_regs[r] = cell_value(o, r);
  o->ck_pend[r] = false;
  if (o->pend[r] && !o->reloaded[r]) o->regs[r] = o->ck_regs[r], o->pend[r] = false;
}

static void settle(litmus_ooo *o, unsigned r) {
  if (!o->pend[r]) return;
  o->p->ops->load_wait(o->p, &o->bound[r]);
  o->regs[r] = cell_value(o, r);
  o->pend[r] = false;
  if (o->spec && o->ck_pend[r] && !o->reloaded[r]) o->ck_regs[r] = o->regs[r], o->ck_pend[r] = false;
}

/* Each register of expression i, through f. */
static void each_reg(litmus_ooo *o, uint32_t i, void (*f)(litmus_ooo *, unsigned)) {
  const litmus_expr *e = &o->ex[i];
  switch (e->kind) {
  case LX_CONST: return;
  case LX_REG: f(o, e->reg); return;
  case LX_NEG:
  case LX_NOT:
  case LX_BNOT: each_reg(o, e->a, f); return;
  default:
    each_reg(o, e->a, f);
    each_reg(o, e->b, f);
    return;
  }
}

/* Does expression i read a register that came from a load? */
static bool reads_dep(const litmus_ooo *o, uint32_t i) {
  const litmus_expr *e = &o->ex[i];
  switch (e->kind) {
  case LX_CONST: return false;
  case LX_REG: return o->dep[e->reg];
  case LX_NEG:
  case LX_NOT:
  case LX_BNOT: return reads_dep(o, e->a);
  default: return reads_dep(o, e->a) || reads_dep(o, e->b);
  }
}

void litmus__ooo_settle_insn(litmus_ooo *o, const litmus_insn *in) {
  if (in->aptr && litmus__is_mem(in->op)) settle(o, in->aptr - 1u);
  switch ((litmus_iop)in->op) {
  case LI_CAS:
  case LI_UNLESS: each_reg(o, in->e2, settle); /* fall through */
  case LI_STORE:
  case LI_RMW:
  case LI_SET:
  case LI_JZ: each_reg(o, in->e1, settle); break;
  default: break;
  }
  if (in->dst >= 0 && (in->op != LI_LOAD || in->excl)) { /* overwritten here, not by the LQ */
    o->pend[in->dst] = false;
    o->dep[in->dst] = in->op != LI_SET || reads_dep(o, in->e1);
  }
}

mem_order litmus__ooo_order(const litmus_ooo *o, const litmus_insn *in) {
  bool addr_dep = in->aptr && o->dep[in->aptr - 1];
  return addr_dep && in->sub == MO_RELAXED ? MO_CONSUME : (mem_order)in->sub;
}

void litmus__ooo_load(litmus_ooo *o, const litmus_insn *in, void *addr) {
  unsigned r = (unsigned)in->dst;
  if (o->spec && !o->reloaded[r]) { /* cell r is about to be reused */
    ck_settle(o, r);
    o->reloaded[r] = true;
  }
  if (o->issued[r]) o->p->ops->load_wait(o->p, &o->bound[r]); /* its cell is free again */
  mem_order ord = litmus__ooo_order(o, in);
  o->issued[r] = o->pend[r] = o->dep[r] = true;
  o->size[r] = in->size;
  o->bytes[r] = in->dst_bytes;
  o->p->ops->load_async(o->p, addr, in->size, ord, &o->val[r], &o->bound[r]);
}

/* Does expression i read a register whose load has not bound? */
static bool waits(const litmus_ooo *o, uint32_t i) {
  const litmus_expr *e = &o->ex[i];
  switch (e->kind) {
  case LX_CONST: return false;
  case LX_REG: return o->pend[e->reg] && !o->bound[e->reg];
  case LX_NEG:
  case LX_NOT:
  case LX_BNOT: return waits(o, e->a);
  default: return waits(o, e->a) || waits(o, e->b);
  }
}

bool litmus__ooo_speculate(litmus_ooo *o, const litmus_insn *in, unsigned pc) {
  if (o->spec || !waits(o, in->e1)) return false;
  o->spec = in;
  o->spec_next = pc + 1;
  memcpy(o->ck_regs, o->regs, sizeof o->ck_regs);
  memcpy(o->ck_pend, o->pend, sizeof o->ck_pend);
  memcpy(o->ck_dep, o->dep, sizeof o->ck_dep);
  memset(o->reloaded, 0, sizeof o->reloaded);
  return true;
}

bool litmus__ooo_must_resolve(const litmus_insn *in) {
  switch ((litmus_iop)in->op) {
  case LI_LOAD:
  case LI_FENCE:
  case LI_SET:
  case LI_JMP: return false;
  default: return true;
  }
}

unsigned litmus__ooo_resolve(litmus_ooo *o, unsigned pc) {
  const litmus_insn *br = o->spec;
  each_reg(o, br->e1, ck_settle); /* the condition as it was at the branch */
  int64_t v = litmus__eval(o->ex, br->e1, o->ck_regs);
  o->spec = NULL;
  /* Not taken, as predicted, or taken to where it would have fallen through
   * anyway (herd's ctrl idiom: CBNZ W0,LC00 / LC00:). */
  if (v != 0 || br->target == o->spec_next) return pc;
  memcpy(o->regs, o->ck_regs, sizeof o->ck_regs);
  memcpy(o->pend, o->ck_pend, sizeof o->pend);
  memcpy(o->dep, o->ck_dep, sizeof o->dep);
  return br->target;
}

void litmus__ooo_finish(litmus_ooo *o, unsigned nregs) {
  for (unsigned r = 0; r < nregs; r++) {
    settle(o, r);
    if (o->issued[r]) o->p->ops->load_wait(o->p, &o->bound[r]);
  }
}
