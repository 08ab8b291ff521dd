/* workloads/native.h -- a map scenario on the host's real cores.
 *
 * The same scenario code and oracle as the simulator (scenario.h), with
 * one pthread per scenario thread over mem_native ports.  Knobs after
 * litmus7's: threads pinned to distinct CPUs when possible
 * (native.affinity: thread i on CPU i mod the online CPUs); a spin barrier
 * before every iteration (native.mode barrier) or none inside a batch of
 * native.batch instances (perpetual: each thread runs its part of instance
 * j as soon as it finished j-1, so threads drift against each other as in
 * litmus7's non-synchronised modes); a seeded start skew of U[0,
 * native.start_skew] PAUSE spins per thread and iteration; the stride
 * between separately allocated objects (workload.stride).
 *
 * Per batch: thread 0 builds every instance (after the previous batch's
 * threads all reached the batch barrier), a barrier, the threads run the
 * instances, a barrier, thread 0 observes and classifies them.  The spin
 * barrier yields the CPU after a while: on a host with fewer CPUs than
 * threads a pure spin would burn whole time slices.
 *
 * Results vary from run to run (the host is the randomness); the seed only
 * fixes the map's hash seed and the skew draws.  Host speed is in metrics
 * here: native.iterations_per_s and native.map_ops_per_s.
 */
#ifndef MMSIM_WORKLOADS_NATIVE_H
#define MMSIM_WORKLOADS_NATIVE_H

#include <stdbool.h>

#include "scenario_run.h"

typedef struct native_host {
  char cpu[128];  /* /proc/cpuinfo's model name */
  unsigned cores; /* online CPUs */
  bool pinned;    /* every thread got its CPU */
  unsigned cpus_used; /* distinct CPUs the threads ran on: 1 = one at a time */
} native_host;

int native_run(const cfg *c, wl_result *r, native_host *h, sim_err *err);
void native_host_info(native_host *h);

#endif
