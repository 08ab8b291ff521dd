/* plots/plot_int.h -- what the files of plots/ share; nothing outside plots/
 * includes it.
 *
 * plot.c (a metric against a parameter), plot_scatter.c (a rate against a
 * metric) and plot_hist.c (outcome histograms) share plot_resolve.c for
 * what names mean, and all go through gnuplot.c for everything that makes a figure
 * an mmsim figure: where its files go, the script preamble with the house
 * style, and running gnuplot.
 *
 * Invariants:
 *   P1  Every figure's script starts with plot__preamble, so the look
 *       (font, size, colours, grid, key) is defined once, in gnuplot.c.
 *   P2  Scripts name their .dat and output by basename and gnuplot runs in
 *       the output's directory, so a figure's three files can be moved
 *       together and regenerated with `gnuplot NAME.gp` there.
 *   P3  The database is opened read-only after results/ has checked its
 *       schema (D2 in results/db.h).
 *   P4  A figure's .dat, .gp and OUT appear together or not at all: a
 *       failed plot leaves no file behind and an earlier figure untouched
 *       (plot__draw).
 */
#ifndef MMSIM_PLOTS_PLOT_INT_H
#define MMSIM_PLOTS_PLOT_INT_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#include "plot.h"

/* The files of one figure: OUT and its stem's .dat and .gp. */
typedef struct plot__files {
  char *dir;                   /* OUT's directory ("." if none) */
  char *out, *dat, *gp;        /* full paths, for writing and messages */
  char *out_base, *dat_base, *gp_base; /* what the script names (P2) */
  int svg;                     /* by OUT's extension: 1 svg, 0 png */
} plot__files;

int plot__files_init(plot__files *f, const char *out, sim_err *err); /* EINVAL on ext */
void plot__files_free(plot__files *f);

/* P3: a read-only SQLite handle on a checked mmsim database. */
int plot__open_db(const char *path, sqlite3 **h, sim_err *err);

/* Script text.  plot__preamble writes the header comment, the terminal for
 * OUT's extension (pngcairo, else png; or svg), the output name and the
 * house style (P1).  width_px 0 means the standard size. */
void plot__preamble(FILE *gp, const plot__files *f, const char *what, int width_px);
void plot__quote(FILE *gp, const char *s); /* a gnuplot '...' string literal */
/* "set title": o->title, else `what` with o->where as a second line cut to
 * PLOT_TITLE_WHERE_MAX characters (whole in a comment below it); a pooled
 * note (plot__pool, may be NULL) always as a line of its own, cut alike. */
#define PLOT_TITLE_WHERE_MAX 100
void plot__title(FILE *gp, const plot_opts *o, const char *what, const char *pooled);
/* Series names longer than this move the key below the plot, so a native
 * run's CPU name does not take half the width. */
#define PLOT_KEY_RIGHT_MAX 24
void plot__key_for(FILE *gp, size_t longest_name);
void plot__comment(FILE *f, const char *s); /* s on a comment line, newlines flattened */
/* A .dat file's "# db:", "# x: ... y: ... by:" and "# where:" lines (no
 * newline after the last); x_note follows x's name. */
void plot__dat_source(FILE *f, const plot_opts *o, const char *x_note);

/* ---- Names to SQL (plot_resolve.c) ---- */

/* PLOT_Y_CAUSE: a cause.KIND metric (run.causes), a count of iterations,
 * drawn as a rate per iteration like the anomaly rates.  PLOT_Y_CAUSES: a
 * comma-separated list of them, one series each (no --by). */
typedef enum {
  PLOT_Y_METRIC,
  PLOT_Y_FORBIDDEN,
  PLOT_Y_ANOMALY,
  PLOT_Y_ANOMALY_KIND,
  PLOT_Y_CAUSE,
  PLOT_Y_CAUSES
} plot__ykind;
typedef struct plot__y {
  plot__ykind kind;
  const char *anomaly; /* PLOT_Y_ANOMALY_KIND: the kind, inside o->y */
} plot__y;

/* SIM_EDB "DB: plot: SQLITE-MESSAGE". */
int plot__db_error(sqlite3 *h, const plot_opts *o, sim_err *err);
/* A figure's query failed: the only SQL we did not write is the user's
 * --where, so with one it is SIM_EINVAL naming it, else plot__db_error. */
int plot__query_error(sqlite3 *h, const plot_opts *o, sim_err *err);
/* Does some done run have this metric / this axis (runs column or param)?
 * SQLite result codes. */
int plot__is_metric(sqlite3 *h, const char *key, int *found);
int plot__is_axis(sqlite3 *h, const char *name, int *found);
/* x or by (role names it in messages): SQL over runs r, malloc'd.  A
 * comma-separated list joins the values with spaces.  SIM_EINVAL naming an
 * unknown name with a few valid ones. */
int plot__axis_sql(sqlite3 *h, const plot_opts *o, const char *role, const char *names,
                   char **expr, sim_err *err);
int plot__resolve_y(sqlite3 *h, const plot_opts *o, plot__y *y, sim_err *err);
/* For a rate y: SQL of a run's k over runs r joined with run_rates rr (the
 * anomaly kind as the named parameter :kind). */
const char *plot__k_sql(const plot__y *y);
/* SQL condition over run_rates rr: the run's count for y is known.  A
 * litmus run whose SC reference hit its budget has an unknown non-SC count
 * (NULL, results/schema.c); such runs are left out of anomaly figures
 * rather than read as 0. */
const char *plot__known_sql(const plot__y *y);
/* Wilson 95% interval of k of n (NAN for n 0), as results/schema.c's views. */
void plot__wilson(int64_t k, int64_t n, double *p, double *lo, double *hi);
/* .dat values: a number (' ?' for NAN), a double-quoted string. */
void plot__put_num(FILE *f, double v);
void plot__put_text(FILE *f, const char *s);

/* ---- Which runs a point pools (plot_pool.c, Q1 and Q2 there) ---- */

/* A figure's runs restricted to o->experiment (bound as :experiment; no
 * --experiment: all). */
#define PLOT_EXPERIMENT_SQL                                                     \
  "(:experiment IS NULL OR r.experiment_id IN "                                \
  "(SELECT e.id FROM experiments e WHERE e.name = :experiment))"

typedef struct plot__pool {
  char *note;      /* --pool and the runs differ: "pooled over KEY (N values), ..." */
  int64_t dropped; /* identical runs counted once (Q1): how many left out */
} plot__pool;

/* "WITH sel AS (SEL), pick AS (...)" (malloc'd; NULL: no memory): pick is
 * sel's (rid, xv, bv) rows after Q1. */
char *plot__with_pick(const char *sel);
/* Q2 over the figure's sel, before anything is written: SIM_EINVAL naming
 * the keys that differ within points, unless o->pool (then pool->note).
 * Also SIM_EINVAL for an --experiment no experiment has.  kind and test
 * are bound as :kind and :test (may be NULL). */
int plot__pool_check(sqlite3 *h, const plot_opts *o, const char *sel, const char *kind,
                     const char *test, plot__pool *pool, sim_err *err);
void plot__pool_free(plot__pool *p);
/* Binds the named parameters a figure's SQL uses: :x, :y, :by from o,
 * :experiment, :kind and :test. */
void plot__bind(sqlite3_stmt *s, const plot_opts *o, const char *kind, const char *test);
/* .dat comment lines for the pooling: the note, and runs left out by Q1. */
void plot__dat_pool(FILE *f, const plot__pool *p);

/* ---- Figures drawn for plot_metric (one file each) ---- */

/* x is a metric: one point per --by group (plot_scatter.c). */
int plot__scatter(sqlite3 *h, const plot_opts *o, const plot__y *y, const plot__files *f,
                  sim_err *err);

/* Linetypes of the house style, for scripts that pick colours by meaning. */
#define PLOT_LT_ALLOWED 1   /* blue */
#define PLOT_LT_FORBIDDEN 2 /* vermillion */
#define PLOT_NCOLORS 8      /* linetypes 1..8, then they cycle */

/* ---- Drawing (plot_draw.c, gnuplot.c) ---- */

/* What a figure writes into its .dat or its .gp; the .gp names the files by
 * f's basenames (P2). */
typedef void plot__write_fn(FILE *out, const void *fig, const plot__files *f);

/* P4: write f's .dat and .gp with these writers and draw OUT with gnuplot,
 * all three in a folder of their own beside OUT, renamed into place only
 * when gnuplot succeeded and OUT is a whole image; on failure none is left
 * (but gnuplot not on PATH leaves the .dat and .gp, and says so).  SIM_EIO
 * when a file cannot be written, SIM_ETOOL from plot__run. */
int plot__draw(const plot__files *f, plot__write_fn *dat, plot__write_fn *gp, const void *fig,
               sim_err *err);

/* Run gnuplot (found on PATH) on f->gp_base in run_dir and check that it
 * left a whole run_dir/OUT (plot__check_image); messages name f's paths.
 * SIM_ETOOL: not on PATH (*missing 1, naming gnuplot-nox), failed (with its
 * stderr), or wrote a missing, empty or cut-short image (quoting stderr). */
int plot__run(const plot__files *f, const char *run_dir, int *missing, sim_err *err);

/* Is path a whole PNG (svg 0: signature, IEND chunk last) or SVG (svg 1:
 * <?xml or <svg first, </svg> last)?  If not, *why says what is wrong. */
int plot__check_image(const char *path, int svg, const char **why);

#endif
