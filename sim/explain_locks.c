/* sim/explain_locks.c -- who held each spinlock of a litmus iteration, and
 * how each handover went: the part of mmsim explain that reads the lock
 * words' accesses (spinlock.h) back out of the trace, for the text and the
 * JSON accounts alike.
 *
 * On a lock word an acquire attempt is a CAS: it took the lock when it read
 * 0 and wrote 1, it failed otherwise; a waiter spins on loads in between;
 * a release is a store of 0, which takes effect when it drains from the
 * store buffer.  So the accesses in trace order tell every handover: who
 * released, who was waiting and for how long, and how many CASes and loads
 * the wait cost.  An SC outcome has no cycle to explain, but its locks
 * still say in which order the critical sections ran.
 */
#include <inttypes.h>

#include "explain.h"

unsigned explain__lock_events(const explain_result *r, unsigned loc, explain_lock_ev *ev, unsigned cap) {
  const explain_exec *x = &r->x;
  struct {
    uint64_t since; /* first attempt since the thread last took the lock */
    unsigned cas_failed, spins;
  } w[LITMUS_MAX_THREADS];
  for (unsigned k = 0; k < LITMUS_MAX_THREADS; k++) w[k].since = UINT64_MAX, w[k].cas_failed = w[k].spins = 0;
  unsigned n = 0;
  for (unsigned i = 0; i < x->nacc && n < cap; i++) {
    const explain_access *a = &x->acc[i];
    if (a->loc != loc || a->thread >= LITMUS_MAX_THREADS) continue;
    if (a->kind == EXPLAIN_WRITE) {
      ev[n++] = (explain_lock_ev){.thread = a->thread, .took = false, .cycle = a->visible, .stored = a->issue};
      continue;
    }
    if (w[a->thread].since == UINT64_MAX) w[a->thread].since = a->visible;
    if (a->kind == EXPLAIN_READ) {
      w[a->thread].spins++;
    } else if (a->value != 0 || a->wrote == 0) { /* a CAS that found it held */
      w[a->thread].cas_failed++;
    } else {
      ev[n++] = (explain_lock_ev){.thread = a->thread, .took = true, .cycle = a->visible,
                                  .since = w[a->thread].since, .cas_failed = w[a->thread].cas_failed,
                                  .spins = w[a->thread].spins};
      w[a->thread].since = UINT64_MAX, w[a->thread].cas_failed = w[a->thread].spins = 0;
    }
  }
  return n;
}

void explain__print_locks(FILE *out, const explain_result *r) {
  if (!r->t) return;
  for (unsigned loc = 0; loc < litmus_nlocs(r->t); loc++) {
    if (!litmus_loc_is_lock(r->t, loc)) continue;
    explain_lock_ev ev[EXPLAIN_LOCK_EVENTS];
    unsigned n = explain__lock_events(r, loc, ev, EXPLAIN_LOCK_EVENTS);
    fprintf(out, "\nLock %s:\n", explain_loc_name(r, loc));
    for (unsigned i = 0; i < n; i++) {
      const explain_lock_ev *e = &ev[i];
      char who[64];
      explain_thread_name(r, e->thread, who, sizeof who);
      if (!e->took && e->cycle == UINT64_MAX)
        fprintf(out, "  %s released it: its store entered the store buffer at cycle %" PRIu64
                " and never drained\n", who, e->stored);
      else if (!e->took)
        fprintf(out, "  %s released it at cycle %" PRIu64 " (its store entered the store buffer at %" PRIu64
                ")\n", who, e->cycle, e->stored);
      else if (e->cas_failed == 0 && e->spins == 0)
        fprintf(out, "  %s took it at cycle %" PRIu64 " on its first try\n", who, e->cycle);
      else
        fprintf(out, "  %s took it at cycle %" PRIu64 " after %u failed CAS and %u spinning loads, %" PRIu64
                " cycles after it first tried\n", who, e->cycle, e->cas_failed, e->spins, e->cycle - e->since);
    }
  }
}
