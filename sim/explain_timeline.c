/* sim/explain_timeline.c -- mmsim explain -o: the explained iteration as a
 * timeline figure (plots/plot_timeline.c draws it). */
#include <stdlib.h>
#include <string.h>

#include "../plots/plot.h"
#include "explain.h"

static void label(char *buf, size_t n, const explain_result *r, unsigned loc, uint64_t v) {
  char val[24];
  snprintf(buf, n, "%s=%s", explain_loc_name(r, loc), explain_value(r, v, val, sizeof val));
}

/* What the figure shows.  A litmus iteration: everything.  A map
 * iteration has thousands of accesses: those of the chain and the
 * mechanisms, and the messages for their lines sent from the first of them
 * on (before it: the warm-up's). */
#define VIEW_MAX (EXPLAIN_MAX_CYCLE + 3 * EXPLAIN_MAX_MECHS)
typedef struct view {
  bool all;
  int acc[VIEW_MAX];       /* the accesses shown */
  uint64_t line[VIEW_MAX]; /* and their lines */
  unsigned n;
  uint64_t from;           /* the first of them issued */
} view;

static void view_add(view *v, const explain_exec *x, int i) {
  if (i < 0) return;
  for (unsigned k = 0; k < v->n; k++)
    if (v->acc[k] == i) return;
  v->acc[v->n] = i;
  v->line[v->n++] = x->acc[i].addr & ~(uint64_t)63;
  if (x->acc[i].issue < v->from) v->from = x->acc[i].issue;
}

static void view_of(const explain_result *r, view *v) {
  const explain_exec *x = &r->x;
  *v = (view){.all = r->t != NULL, .from = UINT64_MAX};
  for (unsigned k = 0; k < x->ncyc; k++) view_add(v, x, x->cyc[k]);
  for (unsigned k = 0; k < x->nmech; k++) {
    view_add(v, x, x->mech[k].older);
    view_add(v, x, x->mech[k].younger);
    view_add(v, x, x->mech[k].other);
  }
}

static bool shown(const view *v, int i) {
  for (unsigned k = 0; k < v->n && !v->all; k++)
    if (v->acc[k] == i) return true;
  return v->all;
}

static bool msg_shown(const view *v, const trace_ev *e) {
  for (unsigned k = 0; k < v->n && !v->all; k++)
    if (v->line[k] == (e->addr & ~(uint64_t)63)) return e->cycle >= v->from;
  return v->all;
}

int explain_timeline(const explain_result *r, const char *out, sim_err *err) {
  const explain_exec *x = &r->x;
  size_t cap = x->nacc + x->nmech + r->trace.n + 1;
  unsigned n = r->nthreads;
  /* Lanes: the cores P0.., then the directory (every node past them). */
  char names[WL_MAX_THREADS + 1][16];
  const char *lanes[WL_MAX_THREADS + 1];
  for (unsigned i = 0; i <= n; i++) {
    if (i < n) snprintf(names[i], sizeof names[i], "P%u", i);
    else snprintf(names[i], sizeof names[i], "dir");
    lanes[i] = names[i];
  }
  plot_timeline t = {.nlanes = n, .lane_names = lanes};
  t.bars = calloc(cap, sizeof *t.bars);
  t.points = calloc(cap, sizeof *t.points);
  t.arrows = calloc(x->ncyc + r->trace.n + 1, sizeof *t.arrows);
  char title[700];
  snprintf(title, sizeof title, "%s under %s, iteration %llu: %s", r->name, r->model,
           (unsigned long long)r->iteration, r->outcome);
  t.title = title;
  view v;
  view_of(r, &v);
  if (!t.bars || !t.points || !t.arrows) {
    free(t.bars), free(t.points), free(t.arrows);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  for (unsigned i = 0; i < x->nacc; i++) {
    const explain_access *a = &x->acc[i];
    if (!shown(&v, (int)i)) continue;
    if (a->kind == EXPLAIN_WRITE) {
      plot_tl_bar *b = &t.bars[t.nbars++];
      *b = (plot_tl_bar){.lane = a->thread, .from = (double)a->issue,
                         .to = (double)(a->visible == UINT64_MAX ? a->issue : a->visible)};
      label(b->label, sizeof b->label, r, a->loc, a->wrote);
    } else {
      plot_tl_point *p = &t.points[t.npoints++];
      *p = (plot_tl_point){.lane = a->thread, .at = (double)a->issue,
                           .kind = a->src == TRACE_SRC_STALE};
      label(p->label, sizeof p->label, r, a->loc, a->value);
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
    if (e->kind == TRACE_MSG && !msg_shown(&v, e)) continue;
    if (e->kind == TRACE_MSG) {
      plot_tl_arrow *w = &t.arrows[t.narrows++];
      unsigned src = e->core < n ? e->core : n, dst = e->dst < n ? e->dst : n;
      *w = (plot_tl_arrow){.from_lane = src, .to_lane = dst, .message = 1,
                           .from = (double)e->cycle, .to = (double)e->at};
      snprintf(w->label, sizeof w->label, "%s", e->msg);
      if (src == n || dst == n) t.nlanes = n + 1;
      continue;
    }
    if ((e->kind != TRACE_FENCE && e->kind != TRACE_IQ_APPLY) || !r->t) continue;
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
