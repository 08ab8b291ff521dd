/* workloads/litmus_native.h -- a litmus test on the host's real cores, as
 * litmus7 runs it: `mmsim native --litmus FILE`.
 *
 * The same parsed program and interpreter as the simulator
 * (litmus_thread_run over the mem API), with one pthread per test thread
 * over mem_native ports (relaxed atomics, real fences, LOCK-prefixed RMWs).
 * Knobs as for native map runs (native.h): threads pinned to distinct CPUs,
 * native.batch instances per batch, a spin barrier before each instance
 * (native.mode barrier) or none (perpetual), native.start_skew PAUSEs, and
 * workload.stride bytes between locations (each on its own line by
 * default).  Thread 0 writes the initial values of a batch and reads the
 * final ones, between barriers.
 *
 * Results vary from run to run: the host is the randomness.
 */
#ifndef MMSIM_WORKLOADS_LITMUS_NATIVE_H
#define MMSIM_WORKLOADS_LITMUS_NATIVE_H

#include "litmus_run.h"
#include "native.h"

/* run.iterations instances of t under config c; r as litmus_run_sim fills it. */
int litmus_run_native(const litmus_test *t, const cfg *c, litmus_result *r, native_host *h,
                      sim_err *err);

#endif
