/* plots/plot.h -- figures from a results database, drawn by gnuplot.
 *
 * A figure is a query, a data file and a gnuplot script.  The .dat and .gp
 * files are written beside the output (out.png -> out.dat, out.gp) so the
 * figure can be regenerated and edited by hand; gnuplot is then run as a
 * program found on PATH (none there -> SIM_ETOOL naming gnuplot-nox).
 *
 * x is a run parameter (any key of `params`, or a column of `runs`: workload,
 * model, engine); a numeric x draws lines, a text x draws clustered bars.
 * y is a metric: a key of `metrics`, or one of the derived rates
 * anomaly_rate, forbidden_rate (per iteration, with Wilson 95% error bars).
 * by splits the data into one series per value of another parameter, or of
 * several joined (engine,model).  x may also be a metric: then each by group
 * is one labelled point, x its mean metric, y its rate (a scatter of what a
 * fix buys against what it costs).
 *
 * A point pools only repeats (runs whose resolved configs differ in
 * nothing but the seed), and identical runs count once; a figure whose
 * points would pool more is refused with SIM_EINVAL naming the keys that
 * differ, unless pool is set (plots/plot_pool.c).
 */
#ifndef MMSIM_PLOTS_PLOT_H
#define MMSIM_PLOTS_PLOT_H

#include "../sim/err.h"

typedef struct plot_opts {
  const char *db_path;
  const char *x, *y, *by; /* by may be NULL */
  const char *where;      /* SQL condition on runs (alias r), or NULL */
  const char *out;        /* .png or .svg */
  const char *title;      /* NULL: derived from x and y */
  const char *experiment; /* only runs of experiments of this name, or NULL */
  int pool;               /* pool runs whose configs differ (title says so) */
} plot_opts;

int plot_metric(const plot_opts *o, sim_err *err);

/* Outcome histograms of one test (runs with workload = test) side by side,
 * one bar per o->by group (NULL: "model") at each outcome, as frequencies
 * per iteration; bars forbidden under their group hatched.  o->x and o->y
 * are not used. */
int plot_outcomes(const plot_opts *o, const char *test, sim_err *err);

/* Outcome histogram of one run: one bar per outcome, forbidden ones marked. */
int plot_histogram(const char *db_path, long long run_id, const char *out, sim_err *err);

/* The figure of an mmsim calibrate experiment (plot_calib.c): per-run
 * anomaly frequencies, native beside the best point, and the residual of
 * every grid point.  SIM_EINVAL when the experiment holds no calibration. */
int plot_calibration(const char *db_path, long long experiment_id, const char *out,
                     sim_err *err);

/* A timeline of one iteration (plot_timeline.c), for mmsim explain -o: one
 * lane per core, cycles along x.  Bars: a store's time in the store buffer
 * (kind 0) or a mechanism's window (kind 1, shaded).  Points: a load
 * (0), a load of a stale line (1), a fence (2), an invalidate-queue apply
 * (3); `marked` circles the loads the account blames.  Arrows: a value
 * travelling between lanes (a store another core's load read, or a read
 * that missed a store), from the store's visible cycle to the load's; and
 * protocol messages, thin, from send to arrival, lanes at and past the
 * cores' being the directory's (lane_names names them all). */
typedef struct plot_tl_bar {
  unsigned lane, kind;
  double from, to;
  char label[48];
} plot_tl_bar;
typedef struct plot_tl_point {
  unsigned lane, kind;
  int marked;
  double at;
  char label[48];
} plot_tl_point;
typedef struct plot_tl_arrow {
  unsigned from_lane, to_lane;
  int from_store, to_store; /* ends at a store bar (else at a load point) */
  int message;              /* a protocol message (label: its type), not a value */
  double from, to;
  char label[16]; /* rf, fr, or the message type */
} plot_tl_arrow;
typedef struct plot_timeline {
  const char *title;
  unsigned nlanes;
  const char *const *lane_names;
  plot_tl_bar *bars;
  size_t nbars;
  plot_tl_point *points;
  size_t npoints;
  plot_tl_arrow *arrows;
  size_t narrows;
} plot_timeline;

int plot_timeline_draw(const plot_timeline *t, const char *out, sim_err *err);

#endif
