/* workloads/litmus_interp.c -- runs one thread of a parsed litmus test.
 *
 * The hot path of every litmus run: the simulator calls litmus_thread_run
 * once per thread per iteration, millions of times a second.  Everything was
 * resolved at parse time (litmus_int.h), so a run is a loop over a flat
 * instruction array with one switch per instruction; registers live in the
 * caller's array; there is no allocation, no lookup and no string.
 *
 * L1: every shared access goes through the port (mem_load, mem_store,
 * mem_rmw, mem_cas, mem_fence), in program order (M2); `loc` only supplies
 * the addresses and is never dereferenced here.  Register arithmetic is
 * local and costs no micro-op.
 *
 * Out-of-order loads (a port with load_async: an arm core, cpu/core.h):
 * litmus_ooo.c keeps the registers whose load is still in flight, and
 * what the thread runs speculatively past a branch on one of them.
 *
 * Pointers (litmus_int.h): an instruction with aptr takes its location from
 * that register's value when it runs, so a dependent load really waits for
 * the load that produced its address.
 *
 * Widths: a loaded or returned value is sign-extended from the location's
 * size, then narrowed to the destination register's width; a stored value is
 * truncated to the location's size (mem.h M1).
 */
#include <assert.h>
#include <limits.h>
#include <string.h>

#include "litmus_int.h"
#include "spinlock.h"

static int64_t eval(const litmus_expr *ex, uint32_t i, const int64_t *regs) {
  const litmus_expr *e = &ex[i];
  switch (e->kind) {
  case LX_CONST: return e->val;
  case LX_REG: return regs[e->reg];
  case LX_NEG:
  case LX_NOT:
  case LX_BNOT: return litmus__apply(e->kind, eval(ex, e->a, regs), 0);
  default: return litmus__apply(e->kind, eval(ex, e->a, regs), eval(ex, e->b, regs));
  }
}

int64_t litmus__eval(const litmus_expr *ex, uint32_t i, const int64_t *regs) { return eval(ex, i, regs); }

/* v (raw, `size` bytes) as the destination register holds it. */
static inline int64_t to_reg(uint64_t v, const litmus_insn *in) {
  return litmus__sext(v, in->size < in->dst_bytes ? in->size : in->dst_bytes);
}

/* The interpreter, inlined twice by litmus__exec: with o NULL (in order:
 * every `o` test folds away) and with o set (litmus_ooo.c). */
static inline __attribute__((always_inline)) unsigned exec(const litmus_test *t, unsigned tid,
                                                           unsigned pc, mem_port *p, void *const *loc,
                                                           int64_t *regs, unsigned max_mem,
                                                           litmus_ooo *o) {
  const litmus_thread *th = &t->th[tid];
  const litmus_insn *code = th->code;
  const litmus_expr *ex = t->ex;
  const unsigned n = th->ncode;

  for (;;) {
    /* A speculation ends where it must (litmus_ooo.c), or at the end. */
    if (o && o->spec && (pc >= n || litmus__ooo_must_resolve(&code[pc]))) {
      pc = litmus__ooo_resolve(o, pc);
      continue;
    }
    if (pc >= n) break;
    const litmus_insn *in = &code[pc];
    if (litmus__is_mem(in->op) && max_mem-- == 0) break;
    p->tag = pc++; /* the instruction's index, for a trace (cpu/trace.h) */
    if (o && in->op == LI_JZ && litmus__ooo_speculate(o, in, pc - 1)) continue; /* falls through */
    if (o) litmus__ooo_settle_insn(o, in);
    litmus_insn ind;
    if (in->aptr && litmus__is_mem(in->op)) { /* through a pointer */
      int l = litmus__insn_loc(t->nlocs, in, regs);
      if (l < 0) {
        if (in->dst >= 0) regs[in->dst] = 0;
        continue;
      }
      ind = *in;
      ind.loc = (uint8_t)l;
      ind.size = t->loc[l].size;
      in = &ind;
    }
    switch ((litmus_iop)in->op) {
    case LI_LOAD: {
      if (o && in->dst >= 0 && !in->excl) {
        litmus__ooo_load(o, in, loc[in->loc]);
        break;
      }
      if (in->excl && p->ops->load_excl) {
        uint64_t v = p->ops->load_excl(p, loc[in->loc], in->size, (mem_order)in->sub);
        if (in->dst >= 0) regs[in->dst] = to_reg(v, in);
        break;
      }
      uint64_t v = mem_load(p, loc[in->loc], in->size, o ? litmus__ooo_order(o, in) : (mem_order)in->sub);
      if (in->dst >= 0) regs[in->dst] = to_reg(v, in);
      break;
    }
    case LI_STORE:
      mem_store(p, loc[in->loc], mem_trunc((uint64_t)eval(ex, in->e1, regs), in->size), in->size,
                (mem_order)in->sub);
      break;
    case LI_RMW: {
      uint64_t v = mem_trunc((uint64_t)eval(ex, in->e1, regs), in->size);
      uint64_t old = mem_rmw_ord(p, loc[in->loc], (mem_rmw_op)in->sub, v, in->size,
                                 (mem_order)in->order);
      if (in->dst >= 0) regs[in->dst] = to_reg(in->ret_new ? mem_rmw_apply((mem_rmw_op)in->sub, old, v) : old, in);
      break;
    }
    case LI_CAS: {
      uint64_t expected = mem_trunc((uint64_t)eval(ex, in->e1, regs), in->size);
      uint64_t desired = mem_trunc((uint64_t)eval(ex, in->e2, regs), in->size);
      if (in->excl) { /* STXR: the monitor, or a CAS against what LDXR read */
        bool ok = p->ops->store_cond
                      ? p->ops->store_cond(p, loc[in->loc], desired, in->size, (mem_order)in->order)
                      : mem_cas_ord(p, loc[in->loc], &expected, desired, in->size, (mem_order)in->order);
        if (in->dst >= 0) regs[in->dst] = !ok;
        break;
      }
      bool ok = mem_cas_ord(p, loc[in->loc], &expected, desired, in->size, (mem_order)in->order);
      /* expected is now the old value */
      if (in->dst >= 0) regs[in->dst] = in->ret_new ? ok : to_reg(expected, in);
      break;
    }
    case LI_LOCK: mem_spin_lock(p, loc[in->loc], in->size); break;
    case LI_WAIT: mem_spin_until_zero(p, loc[in->loc], in->size); break;
    case LI_UNLESS: { /* the kernel's atomic_add_unless: a try_cmpxchg loop */
      uint64_t a = (uint64_t)eval(ex, in->e1, regs), u = mem_trunc((uint64_t)eval(ex, in->e2, regs), in->size);
      uint64_t old = mem_load(p, loc[in->loc], in->size, MO_RELAXED);
      bool added = false;
      while (old != u && !added)
        added = mem_cas_ord(p, loc[in->loc], &old, mem_trunc(old + a, in->size), in->size, (mem_order)in->order);
      if (in->dst >= 0) regs[in->dst] = added;
      break;
    }
    case LI_FENCE: mem_fence(p, (mem_fence_kind)in->sub); break;
    case LI_SET: regs[in->dst] = litmus__sext((uint64_t)eval(ex, in->e1, regs), in->dst_bytes); break;
    case LI_JZ:
      if (eval(ex, in->e1, regs) == 0) pc = in->target;
      break;
    case LI_JMP: pc = in->target; break;
    case LI_ISB: /* a speculation ended before it (litmus_ooo.c); later loads wait */
      mem_fence(p, MF_LOAD);
      break;
    case LI_GP:
    case LI_N: assert(!"litmus: bad instruction"); break;
    }
  }
  if (o) litmus__ooo_finish(o, th->nregs);
  return pc;
}

unsigned litmus__exec(const litmus_test *t, unsigned tid, unsigned pc, mem_port *p, void *const *loc,
                      int64_t *regs, unsigned max_mem) {
  /* Only a whole run goes out of order: the SC search steps one access. */
  if (!p->ops->load_async || max_mem != UINT_MAX) return exec(t, tid, pc, p, loc, regs, max_mem, NULL);
  litmus_ooo ooo;
  litmus__ooo_init(&ooo, p, t->ex, regs);
  return exec(t, tid, pc, p, loc, regs, max_mem, &ooo);
}

void litmus_thread_run(const litmus_test *t, unsigned tid, mem_port *p, void *const *loc, int64_t *regs) {
  assert(tid < t->nthreads);
  const litmus_thread *th = &t->th[tid];
  if (th->nregs) memcpy(regs, th->reg_init, th->nregs * sizeof *regs);
  litmus__exec(t, tid, 0, p, loc, regs, UINT_MAX);
}
