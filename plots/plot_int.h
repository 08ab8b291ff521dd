/* plots/plot_int.h -- what the files of plots/ share; nothing outside plots/
 * includes it.
 *
 * plot.c (a metric against a parameter) and plot_hist.c (one run's outcome
 * histogram) both go through gnuplot.c for everything that makes a figure
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
 */
#ifndef MMSIM_PLOTS_PLOT_INT_H
#define MMSIM_PLOTS_PLOT_INT_H

#include <sqlite3.h>
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
void plot__comment(FILE *f, const char *s); /* s on a comment line, newlines flattened */

/* Linetypes of the house style, for scripts that pick colours by meaning. */
#define PLOT_LT_ALLOWED 1   /* blue */
#define PLOT_LT_FORBIDDEN 2 /* vermillion */
#define PLOT_NCOLORS 8      /* linetypes 1..8, then they cycle */

/* Run gnuplot (found on PATH) on f->gp in f->dir and check OUT appeared.
 * SIM_ETOOL: not on PATH (naming gnuplot-nox), or failed (with its stderr). */
int plot__run(const plot__files *f, sim_err *err);

#endif
