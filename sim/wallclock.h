/* sim/wallclock.h -- host time, for speed figures only.
 *
 * Never feeds the simulation: simulated time is cycles (engine.h), and host
 * seconds stay out of `metrics`, which must repeat bit for bit. */
#ifndef MMSIM_SIM_WALLCLOCK_H
#define MMSIM_SIM_WALLCLOCK_H

#include <time.h>

static inline double wallclock_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
