/* sim/bench.h -- `mmsim bench`: the speed figures of DESIGN.md.
 *
 * Each case runs `reps` times and prints its median and the spread (min and
 * max): the machine is shared and noisy, so one number would mislead.
 *   uops      simulated memory micro-ops per host second: 2 threads, each
 *             storing to its own line and loading the other's, 1,000 ops an
 *             iteration (tso, ideal memory, default timing).
 *   sb        the SB litmus test under tso: iterations per second, and
 *             witnesses (iterations showing the relaxed outcome) per second,
 *             on one host thread (-j 1) and on all the host's CPUs.
 */
#ifndef MMSIM_SIM_BENCH_H
#define MMSIM_SIM_BENCH_H

#include <stdio.h>

#include "err.h"

/* x86 SB in herd7 format, the test both benches run. */
extern const char bench_sb_litmus[];

int bench_main(FILE *out, unsigned reps, unsigned only_cores, const char *model, sim_err *err);
/* bench --sweep (bench_sweep.c): one grid swept at -j1 and -j2, runs/s and ratio. */
int bench_sweep(FILE *out, unsigned reps, sim_err *err);

#endif
