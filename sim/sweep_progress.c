/* sim/sweep_progress.c -- what a sweep prints while it runs.
 *
 * On a terminal, one line redrawn in place (at most ten times a second, so
 * a grid of fast points does not spend its time in the terminal):
 *   [=========>           ]  12/40 points  3.2 runs/s  0:09 left
 * Otherwise (a pipe, a log file, CI) one line per finished run, which greps
 * and diffs; a bar's carriage returns would make a log unreadable.
 * Rate and time left count this command's runs only: points done before it
 * started took no time now.
 */
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "sweep_int.h"
#include "wallclock.h"

enum { BAR_WIDTH = 30 };

static void hms(double s, char *buf, size_t n) {
  unsigned long t = s > 0 && s < 1e9 ? (unsigned long)(s + 0.5) : 0;
  if (t >= 3600) snprintf(buf, n, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
  else snprintf(buf, n, "%lu:%02lu", t / 60, t % 60);
}

static double rate(const sweep_progress *pg) {
  double dt = wallclock_s() - pg->t0;
  return dt > 0 ? (double)pg->ran / dt : 0;
}

static void draw(sweep_progress *pg) {
  char bar[BAR_WIDTH + 1], left[32] = "?";
  size_t fill = pg->total ? pg->done * BAR_WIDTH / pg->total : BAR_WIDTH;
  for (size_t k = 0; k < BAR_WIDTH; k++) bar[k] = k < fill ? '=' : k == fill ? '>' : ' ';
  bar[BAR_WIDTH] = '\0';
  double r = rate(pg);
  if (r > 0) hms((double)(pg->total - pg->done) / r, left, sizeof left);
  fprintf(pg->out, "\r[%s] %zu/%zu points  %.1f runs/s  %s left\033[K", bar, pg->done,
          pg->total, r, left);
  fflush(pg->out);
  pg->last_draw = wallclock_s();
}

void sweep__progress_start(sweep_progress *pg, const sweep_plan *p, unsigned jobs) {
  const sweep_opts *o = p->o;
  memset(pg, 0, sizeof *pg);
  pg->p = p;
  pg->out = o->out;
  pg->quiet = !o->out || o->progress == SWEEP_PROGRESS_NONE;
  pg->bar = !pg->quiet && (o->progress == SWEEP_PROGRESS_BAR ||
                           (o->progress == SWEEP_PROGRESS_AUTO && isatty(fileno(o->out))));
  pg->total = p->npts;
  pg->done = p->npts - p->ntodo;
  pg->t0 = wallclock_s();
  if (!o->out) return;
  fprintf(o->out, "sweep %s: %zu points (%zu grid points x repeat %" PRIu64 "), %zu done "
          "already", p->name, p->npts, p->npts / p->repeat, p->repeat, pg->done);
  if (p->ntodo)
    fprintf(o->out, ", %zu to run on %u worker%s into %s\n", p->ntodo, jobs, jobs == 1 ? "" : "s",
            o->db_path);
  else
    fprintf(o->out, ": nothing to run\n");
  if (pg->bar && p->ntodo) draw(pg);
  fflush(o->out);
}

void sweep__progress_run(sweep_progress *pg, const sweep_plan *p, size_t point, double wall_s) {
  pg->done++, pg->ran++;
  if (pg->quiet) return;
  if (pg->bar) {
    if (wallclock_s() - pg->last_draw >= 0.1 || pg->done == pg->total) draw(pg);
    return;
  }
  char what[256];
  fprintf(pg->out, "[%zu/%zu] %s: %.2f s\n", pg->done, pg->total,
          sweep__point_str(p, point, what, sizeof what), wall_s);
  fflush(pg->out);
}

void sweep__progress_skip(sweep_progress *pg, const sweep_plan *p, size_t point) {
  pg->done++;
  if (pg->quiet) return;
  if (pg->bar) {
    if (wallclock_s() - pg->last_draw >= 0.1 || pg->done == pg->total) draw(pg);
    return;
  }
  char what[256];
  fprintf(pg->out, "[%zu/%zu] %s: stored by another sweep\n", pg->done, pg->total,
          sweep__point_str(p, point, what, sizeof what));
  fflush(pg->out);
}

void sweep__progress_tick(sweep_progress *pg) {
  if (pg->bar && wallclock_s() - pg->last_draw >= 0.1) draw(pg);
}

void sweep__progress_note(sweep_progress *pg, const char *msg) {
  if (!pg->out) return;
  fprintf(pg->out, "%s%s\n", pg->bar ? "\r\033[K" : "", msg);
  if (pg->bar) draw(pg);
  fflush(pg->out);
}

void sweep__progress_end(sweep_progress *pg) {
  if (!pg->out || !pg->p->ntodo) return;
  if (pg->bar) {
    draw(pg);
    fputc('\n', pg->out);
  }
  double dt = wallclock_s() - pg->t0;
  fprintf(pg->out, "sweep %s: %zu of %zu points done; %zu run now in %.1f s (%.2f runs/s)\n",
          pg->p->name, pg->done, pg->total, pg->ran, dt, dt > 0 ? (double)pg->ran / dt : 0.0);
  fflush(pg->out);
}
