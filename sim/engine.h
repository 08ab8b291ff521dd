/* sim/engine.h -- the event kernel: simulated time and what runs next.
 *
 * The engine owns the clock (cycles) and the event queue.  Every part takes a
 * sim_engine * as its first argument, as Lua passes lua_State and libuv
 * uv_loop_t: there is no global clock, so two engines can run side by side.
 *
 * Invariants:
 *   E1  Time never goes backwards: an event is never scheduled in the past.
 *   E2  Events run in (cycle, seq) order (eventq.h).
 */
#ifndef MMSIM_SIM_ENGINE_H
#define MMSIM_SIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "eventq.h"

struct sim_engine {
  uint64_t now;
  sim_eventq q;
  uint64_t events;   /* events run, for speed figures */
  uint64_t until;    /* the bound of the sim_run in progress */
  bool fast_forward; /* sim_can_skip_to may say yes (run.fast_forward) */
  bool stop;         /* a part found a fault: sim_run returns at once */
};

void sim_engine_init(sim_engine *sim);
void sim_engine_free(sim_engine *sim);
void sim_engine_reset(sim_engine *sim); /* time 0, no events; keeps memory */

static inline uint64_t sim_now(const sim_engine *sim) { return sim->now; }

/* Run fn(sim, ctx, arg) delay cycles from now (E1: delay is unsigned). */
static inline void sim_schedule(sim_engine *sim, uint64_t delay, sim_handler fn,
                                void *ctx, uint64_t arg, const char *name) {
  eventq_push(&sim->q, sim->now + delay, fn, ctx, arg, name);
}

/* May a part move time to `cycle` itself, without an event, and carry on?
 * Only when no event is due at or before it: then the skipped event would
 * have been the next one popped, so results are the same bit for bit, and
 * run.fast_forward=false (which makes this always say no) checks that. */
static inline bool sim_can_skip_to(const sim_engine *sim, uint64_t cycle) {
  return sim->fast_forward && cycle <= sim->until && eventq_next_cycle(&sim->q) > cycle;
}

/* Run events until none is left or the next one lies beyond `until`.
 * Returns the number of events left (0: the machine went idle). */
size_t sim_run(sim_engine *sim, uint64_t until);

#endif
