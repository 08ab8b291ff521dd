/* sim/explain_timeline.c -- mmsim explain -o: the explained iteration as a
 * timeline figure (plots/plot_timeline.c draws it). */
#include <stdlib.h>
#include <string.h>

#include "../plots/plot.h"
#include "explain.h"

static void label(char *buf, size_t n, const litmus_test *t, unsigned loc, uint64_t v) {
  snprintf(buf, n, "%s=%lld", litmus_loc_name(t, loc), (long long)(int64_t)v);
}

int explain_timeline(const explain_result *r, const char *out, sim_err *err) {
  const explain_exec *x = &r->x;
  size_t cap = x->nacc + x->nmech + r->trace.n + 1;
  unsigned n = litmus_nthreads(r->t);
  /* Lanes: the cores P0.., then the directory (every node past them). */
  static const char *const names[] = {"P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "dir"};
  const char *lanes[LITMUS_MAX_THREADS + 1];
  for (unsigned i = 0; i < n; i++) lanes[i] = names[i];
  lanes[n] = names[8];
  plot_timeline t = {.nlanes = n, .lane_names = lanes};
  t.bars = calloc(cap, sizeof *t.bars);
  t.points = calloc(cap, sizeof *t.points);
  t.arrows = calloc(x->ncyc + r->trace.n + 1, sizeof *t.arrows);
  char title[700];
  snprintf(title, sizeof title, "%s under %s, iteration %llu: %s", litmus_name(r->t), r->model,
           (unsigned long long)r->iteration, r->outcome);
  t.title = title;
  if (!t.bars || !t.points || !t.arrows) {
    free(t.bars), free(t.points), free(t.arrows);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  for (unsigned i = 0; i < x->nacc; i++) {
    const explain_access *a = &x->acc[i];
    if (a->kind == EXPLAIN_WRITE) {
      plot_tl_bar *b = &t.bars[t.nbars++];
      *b = (plot_tl_bar){.lane = a->thread, .from = (double)a->issue,
                         .to = (double)(a->visible == UINT64_MAX ? a->issue : a->visible)};
      label(b->label, sizeof b->label, r->t, a->loc, a->wrote);
    } else {
      plot_tl_point *p = &t.points[t.npoints++];
      *p = (plot_tl_point){.lane = a->thread, .at = (double)a->issue,
                           .kind = a->src == TRACE_SRC_STALE};
      label(p->label, sizeof p->label, r->t, a->loc, a->value);
      for (unsigned m = 0; m < x->nmech; m++) p->marked |= x->mech[m].younger == (int)i;
    }
  }
  for (unsigned m = 0; m < x->nmech; m++) {
    const explain_mechanism *mc = &x->mech[m];
    plot_tl_bar *b = &t.bars[t.nbars++];
    *b = (plot_tl_bar){.lane = mc->thread, .kind = 1, .from = (double)mc->from_cycle,
                       .to = (double)mc->to_cycle};
    snprintf(b->label, sizeof b->label, "%s", explain_mech_name[mc->kind]);
  }
  for (size_t i = 0; i < r->trace.n; i++) {
    const trace_ev *e = &r->trace.ev[i];
    if (e->kind == TRACE_MSG) {
      plot_tl_arrow *w = &t.arrows[t.narrows++];
      unsigned src = e->core < n ? e->core : n, dst = e->dst < n ? e->dst : n;
      *w = (plot_tl_arrow){.from_lane = src, .to_lane = dst, .message = 1,
                           .from = (double)e->cycle, .to = (double)e->at};
      snprintf(w->label, sizeof w->label, "%s", e->msg);
      if (src == n || dst == n) t.nlanes = n + 1;
      continue;
    }
    if (e->kind != TRACE_FENCE && e->kind != TRACE_IQ_APPLY) continue;
    plot_tl_point *p = &t.points[t.npoints++];
    *p = (plot_tl_point){.lane = e->core, .at = (double)e->cycle,
                         .kind = e->kind == TRACE_FENCE ? 2 : 3};
    snprintf(p->label, sizeof p->label, "%s", e->kind == TRACE_FENCE ? "fence" : "iq");
  }
  for (unsigned i = 0; i < x->ncyc; i++) {
    const explain_access *a = &x->acc[x->cyc[i]], *b = &x->acc[x->cyc[(i + 1) % x->ncyc]];
    if (a->thread == b->thread || (x->edge[i] != EXPLAIN_RF && x->edge[i] != EXPLAIN_FR)) continue;
    plot_tl_arrow *w = &t.arrows[t.narrows++];
    double from = (double)(x->edge[i] == EXPLAIN_RF ? a->visible : a->issue);
    double to = (double)(x->edge[i] == EXPLAIN_RF ? b->issue : b->visible);
    *w = (plot_tl_arrow){.from_lane = a->thread, .to_lane = b->thread, .from = from, .to = to,
                         .from_store = a->kind != EXPLAIN_READ, .to_store = b->kind != EXPLAIN_READ};
    snprintf(w->label, sizeof w->label, "%s", explain_edge_name[x->edge[i]]);
  }
  int rc = plot_timeline_draw(&t, out, err);
  free(t.bars), free(t.points), free(t.arrows);
  return rc;
}
