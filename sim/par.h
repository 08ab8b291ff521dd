/* sim/par.h -- a run's iterations split over host threads (-j N).
 *
 * Every iteration is seeded from (run seed, iteration index) alone and
 * starts from a reset machine (machine.h), so iterations can run in any
 * order on any number of machines.  A parallel run gives each host thread
 * a worker of its own (its machine, histogram and counters); the workers
 * take chunks of consecutive iterations in increasing order from one
 * atomic counter, and the caller then merges the workers with operations
 * that do not depend on order: sums, and for each outcome its earliest
 * iteration.  So the stored run is the same bit for bit for every N.
 *
 * Invariants:
 *   PA1 jobs == 1 runs chunk(w[0], first, count, true) on the calling
 *       thread: the serial runner, untouched.
 *   PA2 The iterations done form a prefix first .. first+*done-1: a worker
 *       finishes every chunk it took, and chunks are taken in order.  An
 *       error or Ctrl-C stops the taking of new chunks.
 *   PA3 On errors the one kept is that of the earliest failing chunk, the
 *       one a serial run would have met first (all earlier chunks were
 *       taken before it and ran to their end).
 *   PA4 Workers never poll progress nor see signals; the calling thread
 *       polls (progress.h) while it waits, and Ctrl-C stops the taking.
 */
#ifndef MMSIM_SIM_PAR_H
#define MMSIM_SIM_PAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Run iterations first .. first+count-1 on worker w.  poll: call
 * SIM_PROGRESS_POLL after each iteration (the serial run, PA1) and stop
 * when it says so.  Sets *ran to the iterations it finished. */
typedef int (*par_chunk_fn)(void *w, uint64_t first, uint64_t count, bool poll, uint64_t *ran,
                            sim_err *err);

/* Run the iterations on `jobs` workers (w[0..jobs-1]), each on a thread
 * of its own when jobs > 1.  *done gets the iterations done (PA2). */
int par_run(unsigned jobs, void *const *w, par_chunk_fn chunk, uint64_t first, uint64_t count,
            uint64_t *done, sim_err *err);

/* The whole of a parallel run but the join: `jobs` workers of `size`
 * bytes each, zeroed, in one array (*pool: the caller joins them, frees
 * what each holds, then frees the array, also after an error), each made
 * by init(worker, index, ctx), then par_run over them; *wall_s gets the
 * host seconds par_run took. */
typedef int (*par_init_fn)(void *w, unsigned index, void *ctx, sim_err *err);
int par_run_pool(unsigned jobs, size_t size, par_init_fn init, void *ctx, par_chunk_fn chunk,
                 uint64_t first, uint64_t count, void **pool, double *wall_s, sim_err *err);

/* The default for -j: the host's online CPUs (at least 1). */
unsigned par_host_jobs(void);

/* A run's jobs: no more workers than iterations, and 0 means the host's. */
unsigned par_jobs_for(unsigned jobs, uint64_t count);

#endif
