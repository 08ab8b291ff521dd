/* sim/sweep.h -- mmsim sweep: every point of a config's "sweep" grid, each
 * one run of one experiment, in parallel worker processes, resumable.
 *
 * Points.  The grid is the cartesian product of the sweep axes, in file
 * order, the last axis varying fastest; a grid cell is one value per axis.
 * With "repeat": N in the sweep object each cell runs N times, the r-th
 * (r = 0..N-1) with run.seed = S + r, S being the cell's resolved run.seed
 * (the config's, the --set one, or the swept one).  A point is one (cell, r):
 * one resolved config, one run.  A point's identity is cfg_hash of its
 * resolved config, seed included, so points are told apart by what runs,
 * not by where they sit in the grid.
 *
 * Experiment.  Named by the config's "name", else the file's base name
 * without ".json" (not the path as typed: `sweep x.json` and `sweep ./x.json`
 * must resume each other).  Identified by (name, source config JSON);
 * every worker joins it (results/experiment.c), so there is one per sweep.
 *
 * Invariants:
 *   W1  Nothing is written before every point resolved: a bad --set, a value
 *       that a combination makes invalid, two points with one hash (a swept
 *       run.seed overlapping repeat's seeds) fail with nothing stored.
 *   W2  Each point is stored at most once, whatever runs beside it: a
 *       point with a done sim run in the experiment does not run again, and
 *       a point runs only under a durable claim in the database (a claims
 *       row naming its owner process; results/claim.c), taken in one
 *       transaction and released by the commit of its run.  A claim is
 *       taken over only when its owner is gone (sweep_claim.c).  So a rerun
 *       after an interrupt, a crash, an error or a kill -9 of the parent
 *       runs exactly the missing points, and two sweeps of one grid on one
 *       database share the points between them, each stored once; a sweep
 *       ends when every point is done, by it or by the other.
 *   W2a Workers die with their parent (sweep_pool.c), so no orphan of a
 *       killed sweep goes on writing.
 *   W3  Each run is written whole or not at all (D1 of results/db.h), by the
 *       worker that simulated it; the parent never writes the database.
 *   W4  Results do not depend on -j: a point's rows are a function of its
 *       resolved config alone (the simulator is deterministic per seed).
 *
 * Interrupt.  The first SIGINT stops handing out points and lets the runs
 * in flight finish and commit: a run is seconds to minutes of simulation,
 * too dear to throw away on a reflex Ctrl-C.  A second SIGINT, or SIGTERM
 * (what schedulers send), abandons them: the workers are killed and their
 * transactions, never committed, leave nothing (SQLite's atomic commit).
 * Either way the result is SIM_EINTERRUPTED (exit 130) with a message
 * counting the points done and saying to run the same command again.
 *
 * --emit-jobs FILE writes, instead of running, one self-contained `mmsim
 * run` command per missing point (sweep_emit.c), each into its own shard.
 */
#ifndef MMSIM_SIM_SWEEP_H
#define MMSIM_SIM_SWEEP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

typedef enum {
  SWEEP_PROGRESS_AUTO, /* a bar when out is a terminal, else one line per run */
  SWEEP_PROGRESS_BAR,
  SWEEP_PROGRESS_LINES,
  SWEEP_PROGRESS_NONE, /* the first and last lines only (bench) */
} sweep_progress_mode;

typedef struct sweep_opts {
  const char *config_path;
  const char *db_path;
  const char *const *sets; /* "key=value", applied to the config in order */
  int nsets;
  unsigned jobs;           /* worker processes; 0: one per online CPU */
  const char *emit_jobs;   /* write the commands to this file instead */
  FILE *out;               /* progress and summary */
  sweep_progress_mode progress;
} sweep_opts;

typedef struct sweep_stats {
  uint64_t points;   /* in the grid, repeats included */
  uint64_t before;   /* already done when the command started */
  uint64_t ran;      /* run and stored by this command */
  double wall_s;     /* of the parallel part */
} sweep_stats;

/* Run (or with emit_jobs, write the commands of) every missing point.
 * SIM_EINTERRUPTED after a SIGINT or SIGTERM; the first failing run's
 * error, prefixed with its point, stops the sweep the same way. */
int sweep_main(const sweep_opts *o, sweep_stats *st, sim_err *err);

#endif
