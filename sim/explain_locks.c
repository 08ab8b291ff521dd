/* sim/explain_locks.c -- who held each spinlock of a litmus iteration, and
 * how each handover went: the part of mmsim explain that reads the lock
 * words' accesses (spinlock.h) back out of the trace.
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

typedef struct waiter {
  uint64_t since; /* first attempt since the last acquisition, or UINT64_MAX */
  unsigned cas_failed, spins;
} waiter;

static void print_lock(FILE *out, const explain_result *r, unsigned loc) {
  const explain_exec *x = &r->x;
  waiter w[LITMUS_MAX_THREADS];
  for (unsigned k = 0; k < LITMUS_MAX_THREADS; k++) w[k] = (waiter){UINT64_MAX, 0, 0};
  fprintf(out, "\nLock %s:\n", explain_loc_name(r, loc));
  for (unsigned i = 0; i < x->nacc; i++) {
    const explain_access *a = &x->acc[i];
    if (a->loc != loc || a->thread >= LITMUS_MAX_THREADS) continue;
    waiter *me = &w[a->thread];
    char who[64];
    explain_thread_name(r, a->thread, who, sizeof who);
    if (a->kind == EXPLAIN_WRITE) {
      if (a->visible == UINT64_MAX)
        fprintf(out, "  %s released it: its store entered the store buffer at cycle %" PRIu64
                " and never drained\n", who, a->issue);
      else
        fprintf(out, "  %s released it at cycle %" PRIu64 " (its store entered the store buffer at %" PRIu64
                ")\n", who, a->visible, a->issue);
      continue;
    }
    if (me->since == UINT64_MAX) me->since = a->visible;
    if (a->kind == EXPLAIN_READ) {
      me->spins++;
      continue;
    }
    if (!(a->value == 0 && a->wrote != 0)) { /* a failed CAS */
      me->cas_failed++;
      continue;
    }
    if (me->cas_failed == 0 && me->spins == 0)
      fprintf(out, "  %s took it at cycle %" PRIu64 " on its first try\n", who, a->visible);
    else
      fprintf(out, "  %s took it at cycle %" PRIu64 " after %u failed CAS and %u spinning loads, %" PRIu64
              " cycles after it first tried\n", who, a->visible, me->cas_failed, me->spins, a->visible - me->since);
    *me = (waiter){UINT64_MAX, 0, 0};
  }
}

void explain__print_locks(FILE *out, const explain_result *r) {
  if (!r->t) return;
  for (unsigned loc = 0; loc < litmus_nlocs(r->t); loc++)
    if (litmus_loc_is_lock(r->t, loc)) print_lock(out, r, loc);
}
