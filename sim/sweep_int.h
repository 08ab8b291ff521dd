/* sim/sweep_int.h -- what the sweep files share; only sim/sweep*.c include it.
 *
 *   sweep.c           the plan: grid, points, what is done already (W1, W2)
 *   sweep_pool.c      the worker processes and the interrupt (W3)
 *   sweep_claim.c     the owner of a point's claim, and whether it still runs
 *   sweep_progress.c  the progress bar or lines
 *   sweep_emit.c      --emit-jobs
 *
 * The plan is built once in the parent, before any fork; workers inherit it
 * (copy-on-write) and build a point's cfg from it by index, so nothing but
 * point numbers and results crosses a pipe.
 */
#ifndef MMSIM_SIM_SWEEP_INT_H
#define MMSIM_SIM_SWEEP_INT_H

#include "../results/db.h"
#include "config.h"
#include "sweep.h"

typedef struct sweep_point {
  size_t cell; /* grid index, last axis fastest */
  uint64_t r;  /* repeat index */
  uint64_t seed;
  char hash[17];
} sweep_point;

typedef struct sweep_plan {
  const sweep_opts *o;
  cfg *base;      /* the file with the --set overrides */
  char *name;     /* experiment name */
  char *source;   /* the file's source JSON: the experiment's identity */
  size_t naxes;
  uint64_t repeat;
  sweep_point *pts; /* every point, grid order */
  size_t npts;
  size_t *todo; /* indices into pts of the missing points, grid order */
  size_t ntodo;
} sweep_plan;

/* sweep.c */
int sweep__plan(sweep_plan *p, const sweep_opts *o, bool create_db, sim_err *err);
void sweep__plan_free(sweep_plan *p);
/* The value index of axis k in grid cell `cell`. */
size_t sweep__axis_index(const sweep_plan *p, size_t cell, size_t k);
/* A fresh cfg for point i (NULL + err on failure). */
cfg *sweep__point_cfg(const sweep_plan *p, size_t i, sim_err *err);
/* "cpu.model=tso net.jitter=8 seed 3", for progress lines and errors. */
const char *sweep__point_str(const sweep_plan *p, size_t i, char *buf, size_t n);

/* sweep_pool.c: run p->todo on o->jobs workers. */
int sweep__pool_run(const sweep_plan *p, sweep_stats *st, sim_err *err);

/* sweep_claim.c: the calling process as a claim's owner; whether owner o
 * still runs (ctx: the caller's own db_owner, for its host), the alive
 * callback of db_claim_take; whether o is on another host than me. */
int sweep__owner_self(db_owner *me);
int sweep__owner_alive(void *ctx, const db_owner *o);
bool sweep__owner_remote(const db_owner *me, const db_owner *o);

/* sweep_emit.c */
int sweep__emit(const sweep_plan *p, sim_err *err);

/* sweep_progress.c */
typedef struct sweep_progress {
  const sweep_plan *p;
  FILE *out;
  bool bar;   /* redraw one line in place; else one line per run */
  bool quiet; /* SWEEP_PROGRESS_NONE */
  size_t total, done;
  size_t ran; /* by this command */
  double t0, last_draw;
} sweep_progress;
void sweep__progress_start(sweep_progress *pg, const sweep_plan *p, unsigned jobs);
void sweep__progress_run(sweep_progress *pg, const sweep_plan *p, size_t point, double wall_s);
/* A point another process (a concurrent sweep) stored: done, not run here. */
void sweep__progress_skip(sweep_progress *pg, const sweep_plan *p, size_t point);
void sweep__progress_tick(sweep_progress *pg); /* redraw the bar, at most 10 times a second */
void sweep__progress_note(sweep_progress *pg, const char *msg); /* a line above the bar */
void sweep__progress_end(sweep_progress *pg);

#endif
