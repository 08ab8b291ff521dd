/* sim/hist.h -- outcome histogram: how often each outcome was observed.
 *
 * An outcome is a fixed-width vector of int64 values (a litmus test's
 * observed registers and locations, a scenario's observations).  Counting is
 * on the hot path of every iteration, so outcomes are hashed as vectors and
 * only turned into text once each, when the run is reported.  Open addressing
 * with linear probing; the table doubles at half load.
 *
 * Each entry also keeps the first iteration that produced it, so a rare
 * outcome can be replayed alone (`--iteration K`).
 */
#ifndef MMSIM_SIM_HIST_H
#define MMSIM_SIM_HIST_H

#include <stddef.h>
#include <stdint.h>

typedef struct sim_hist sim_hist;

sim_hist *hist_new(unsigned width); /* NULL if out of memory */
void hist_free(sim_hist *h);
/* Count one observation; returns its entry index (stable until hist_sort). */
size_t hist_add(sim_hist *h, const int64_t *vals, uint64_t iteration);

/* The entry index of vals, or -1 if never observed. */
long hist_find(const sim_hist *h, const int64_t *vals);

size_t hist_len(const sim_hist *h);
unsigned hist_width(const sim_hist *h);
const int64_t *hist_key(const sim_hist *h, size_t i);
uint64_t hist_count(const sim_hist *h, size_t i);
uint64_t hist_first(const sim_hist *h, size_t i);
/* The key of a histogram of one entry (a one-iteration run), else NULL. */
const int64_t *hist_only(const sim_hist *h);
void hist_sort(sim_hist *h); /* entries in lexicographic key order */

/* Add src's counts into dst (same width), each outcome keeping its
 * earliest iteration, then order dst's entries by that iteration: the
 * order in which one run over both ranges would have met them.  How a
 * parallel run (sim/par.h) joins its workers' histograms. */
void hist_absorb(sim_hist *dst, const sim_hist *src);

#endif
