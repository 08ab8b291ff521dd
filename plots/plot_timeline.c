/* plots/plot_timeline.c -- one iteration's timeline, for mmsim explain -o.
 *
 * The .dat holds four blocks (gnuplot index 0..3): bars, points, arrows,
 * marked points; the .gp draws bars with `boxxyerror`, points by kind with
 * labels, arrows with `vectors`.  Lane i is core Pi at y = i.
 */
#include <stdio.h>

#include "plot_int.h"

/* Stores sit this far above their lane, loads this far below. */
#define LANE_OFF 0.18

/* Block 2 (values between cores) or 4 (protocol messages): the arrows of
 * that kind; a NaN row when none, as gnuplot wants every block. */
static void write_arrows(FILE *f, const plot_timeline *t, int message) {
  size_t shown = 0;
  for (size_t i = 0; i < t->narrows; i++) {
    const plot_tl_arrow *a = &t->arrows[i];
    if (a->message != message) continue;
    shown++;
    double y0 = a->from_lane + (message ? 0 : a->from_store ? LANE_OFF : -LANE_OFF);
    double y1 = a->to_lane + (message ? 0 : a->to_store ? LANE_OFF : -LANE_OFF);
    fprintf(f, "%g %g %g %g ", a->from, y0, a->to - a->from, y1 - y0);
    plot__put_text(f, a->label);
    fputc('\n', f);
  }
  if (!shown) fputs("NaN NaN NaN NaN \"\"\n", f);
}

/* Labels near each other in one lane would print over each other: each
 * label is raised a step for every earlier one of its kind in the lane
 * that starts within LABEL_NEAR cycles. */
#define LABEL_NEAR 150.0
#define LABEL_STEP 0.11

static double bar_raise(const plot_timeline *t, size_t i) {
  unsigned n = 0;
  for (size_t j = 0; j < i; j++)
    n += t->bars[j].lane == t->bars[i].lane && t->bars[j].kind == t->bars[i].kind &&
         t->bars[i].from - t->bars[j].from < LABEL_NEAR && t->bars[j].from <= t->bars[i].from;
  return n * LABEL_STEP;
}

static double point_raise(const plot_timeline *t, size_t i) {
  unsigned n = 0;
  for (size_t j = 0; j < i; j++)
    n += t->points[j].lane == t->points[i].lane &&
         t->points[i].at - t->points[j].at < LABEL_NEAR && t->points[j].at <= t->points[i].at;
  return -(double)n * LABEL_STEP;
}

static void write_dat(FILE *f, const void *fig, const plot__files *files) {
  const plot_timeline *t = fig;
  (void)files;
  fputs("# mmsim explain timeline: ", f);
  plot__comment(f, t->title);
  fputs("\n# block 0 bars: lane_y from to kind label label_dy (kind 0 store buffer, 1 mechanism)\n", f);
  for (size_t i = 0; i < t->nbars; i++) {
    const plot_tl_bar *b = &t->bars[i];
    fprintf(f, "%g %g %g %u ", b->lane + (b->kind ? 0.0 : LANE_OFF), b->from, b->to, b->kind);
    plot__put_text(f, b->label);
    fprintf(f, " %g\n", bar_raise(t, i));
  }
  fputs("\n\n# block 1 points: lane_y at kind label label_dy (0 load, 1 stale load, 2 fence, 3 iq apply)\n", f);
  for (size_t i = 0; i < t->npoints; i++) {
    const plot_tl_point *p = &t->points[i];
    fprintf(f, "%g %g %u ", p->lane - LANE_OFF, p->at, p->kind);
    plot__put_text(f, p->label);
    fprintf(f, " %g\n", point_raise(t, i));
  }
  fputs("\n\n# block 2 values between cores: from_x from_y dx dy label\n", f);
  write_arrows(f, t, 0);
  fputs("\n\n# block 3 marked loads: lane_y at\n", f);
  size_t marked = 0;
  for (size_t i = 0; i < t->npoints; i++)
    if (t->points[i].marked)
      fprintf(f, "%g %g\n", t->points[i].lane - LANE_OFF, t->points[i].at), marked++;
  /* gnuplot counts an empty block as no block, and every later index
   * would name the one after it. */
  if (!marked) fputs("NaN NaN\n", f);
  fputs("\n\n# block 4 protocol messages: from_x from_y dx dy label\n", f);
  write_arrows(f, t, 1);
}

static void write_gp(FILE *f, const void *fig, const plot__files *files) {
  const plot_timeline *t = fig;
  plot__preamble(f, files, t->title, 1100);
  fputs("set title ", f);
  plot__quote(f, t->title);
  fprintf(f, "\nset xlabel 'cycle'\nset yrange [-0.7:%u.7]\nset ytics (", t->nlanes - 1);
  for (unsigned i = 0; i < t->nlanes; i++) {
    fprintf(f, "%s", i ? ", " : "");
    if (t->lane_names) plot__quote(f, t->lane_names[i]);
    else fprintf(f, "'P%u'", i);
    fprintf(f, " %u", i);
  }
  fputs(")\nset grid xtics noytics\nset key below\nset style fill transparent solid 0.25\n", f);
  fputs("plot ", f);
  plot__quote(f, files->dat_base);
  fprintf(f,
          " index 0 using (($2+$3)/2):1:(($3-$2)/2):($4 > 0 ? 0.45 : 0.08):($4 > 0 ? 2 : 1) "
          "with boxxyerror lc variable notitle, \\\n"
          "  '' index 0 using 2:($1+$6):5 with labels left offset 0,0.6 font ',9' notitle, \\\n"
          "  '' index 1 using 2:1:($3 + 3) with points pt 7 ps 1.2 lc variable notitle, \\\n"
          "  '' index 1 using 2:($1+$5):4 with labels left offset 0.6,-0.6 font ',9' notitle, \\\n"
          "  '' index 4 using 1:2:3:4 with vectors head size 1,15 lc rgb '#bbbbbb' notitle, \\\n"
          "  '' index 4 using ($1+$3):($2+$4):5 with labels font ',7' tc rgb '#888888' notitle, \\\n"
          "  '' index 2 using 1:2:3:4 with vectors head filled lc 8 notitle, \\\n"
          "  '' index 3 using 2:1 with points pt 6 ps 3 lw 2 lc 2 notitle, \\\n"
          "  NaN with boxes lc 1 title 'store in the store buffer', \\\n"
          "  NaN with boxes lc 2 title 'mechanism window', \\\n"
          "  NaN with points pt 7 lc 3 title 'load', \\\n"
          "  NaN with points pt 7 lc 4 title 'load of a stale line', \\\n"
          "  NaN with points pt 7 lc 5 title 'fence', \\\n"
          "  NaN with vectors lc 8 title 'value between cores (rf, fr)', \\\n"
          "  NaN with vectors lc rgb '#bbbbbb' title 'protocol message', \\\n"
          "  NaN with points pt 6 ps 2 lw 2 lc 2 title 'the load the account blames'\n");
}

int plot_timeline_draw(const plot_timeline *t, const char *out, sim_err *err) {
  plot__files files;
  int rc = plot__files_init(&files, out, err);
  if (rc) return rc;
  rc = plot__draw(&files, write_dat, write_gp, t, err);
  plot__files_free(&files);
  return rc;
}
