/* sim/engine.c -- see engine.h. */
#include "engine.h"

#include <assert.h>

void sim_engine_init(sim_engine *sim) {
  sim->now = 0;
  sim->events = 0;
  sim->until = 0;
  sim->fast_forward = false;
  sim->stop = false;
  eventq_init(&sim->q);
}

void sim_engine_free(sim_engine *sim) { eventq_free(&sim->q); }

void sim_engine_reset(sim_engine *sim) {
  sim->now = 0;
  sim->stop = false;
  eventq_clear(&sim->q);
}

size_t sim_run(sim_engine *sim, uint64_t until) {
  sim_event ev;
  sim->until = until;
  while (!sim->stop && eventq_pop(&sim->q, until, &ev)) {
    assert(ev.cycle >= sim->now); /* E1 */
    sim->now = ev.cycle;
    sim->events++;
    ev.fn(sim, ev.ctx, ev.arg);
  }
  return eventq_len(&sim->q);
}
