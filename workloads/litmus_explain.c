/* workloads/litmus_explain.c -- see litmus_explain.h. */
#include "litmus_explain.h"


typedef struct locs {
  const litmus_test *t;
  const uint64_t *addr;
} locs;

static int loc_of(void *ctx, const trace_ev *e) {
  const locs *l = ctx;
  for (unsigned i = 0; i < litmus_nlocs(l->t); i++)
    if (l->addr[i] == e->addr) return (int)i;
  return -1;
}

int litmus_explain(const litmus_test *t, const cpu_trace *tr, const uint64_t *loc_addr,
                   explain_exec *x, sim_err *err) {
  locs l = {t, loc_addr};
  explain_opts o = {loc_of, &l, NULL};
  return explain_exec_build(tr, &o, x, err);
}

/* The instruction of an access: its index in the thread. */
static unsigned pc_of(const explain_access *a) { return TRACE_TAG_INSN(a->tag); }

int litmus_explain_fixed(const litmus_test *t, const explain_exec *x, litmus_test **out,
                         sim_err *err) {
  int rc = litmus_parse_string(litmus_path(t), litmus_source(t), out, err);
  if (rc) return rc;
  /* Highest pc first, so earlier insertions do not move later ones. */
  bool done[EXPLAIN_MAX_MECHS] = {false};
  for (unsigned k = 0; k < x->nmech; k++) {
    int pick = -1;
    for (unsigned i = 0; i < x->nmech; i++) {
      if (done[i]) continue;
      const explain_access *a = &x->acc[x->mech[i].older];
      if (pick < 0 || pc_of(a) > pc_of(&x->acc[x->mech[pick].older])) pick = (int)i;
    }
    done[pick] = true;
    const explain_mechanism *m = &x->mech[pick];
    const explain_access *a = &x->acc[m->older];
    bool dup = false; /* the same fence after the same access, once */
    for (unsigned i = 0; i < x->nmech; i++)
      if (done[i] && (int)i != pick && x->mech[i].older == m->older && x->mech[i].fix == m->fix)
        dup = true;
    if (dup) continue;
    if ((rc = litmus_insert_fence(*out, a->thread, pc_of(a) + 1, m->fix))) {
      litmus_free(*out);
      *out = NULL;
      return sim_errf(err, rc, "%s: cannot insert a fence in thread %u", litmus_path(t), a->thread);
    }
  }
  return 0;
}
