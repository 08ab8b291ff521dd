/* sim/explain_json.c -- mmsim explain --json: the account as one object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "explain.h"

/* Where an access is: a litmus test's line and text, or a map
 * operation (and which call of its thread it was). */
static cJSON *access_json(const explain_result *r, const explain_access *a) {
  static const char *const kind[] = {"load", "store", "rmw"};
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kind", kind[a->kind]);
  cJSON_AddNumberToObject(o, "thread", a->thread);
  if (r->t) {
    char text[160];
    cJSON_AddNumberToObject(o, "line", explain_insn(r, a, text, sizeof text));
    cJSON_AddStringToObject(o, "text", text);
  } else {
    cJSON_AddStringToObject(o, "operation", hmap_op_name[HMAP_TAG_OP(a->tag)]);
    cJSON_AddNumberToObject(o, "call", HMAP_TAG_CALL(a->tag));
  }
  if (TRACE_TAG_PART(a->tag)) cJSON_AddNumberToObject(o, "part", TRACE_TAG_PART(a->tag));
  cJSON_AddStringToObject(o, "location", explain_loc_name(r, a->loc));
  if (a->kind != EXPLAIN_WRITE) {
    cJSON_AddNumberToObject(o, "value", (double)(int64_t)a->value);
    cJSON_AddStringToObject(o, "source", trace_src_name[a->src]);
  }
  if (a->kind != EXPLAIN_READ) cJSON_AddNumberToObject(o, "wrote", (double)(int64_t)a->wrote);
  cJSON_AddNumberToObject(o, "issue_cycle", (double)a->issue);
  if (a->visible != UINT64_MAX) cJSON_AddNumberToObject(o, "visible_cycle", (double)a->visible);
  return o;
}

static cJSON *events_json(const cpu_trace *tr) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < tr->n; i++) {
    const trace_ev *e = &tr->ev[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "cycle", (double)e->cycle);
    cJSON_AddNumberToObject(o, "core", e->core);
    cJSON_AddStringToObject(o, "event", trace_kind_name[e->kind]);
    if (e->kind == TRACE_CELL) {
      cJSON_AddNumberToObject(o, "node", e->core);
      cJSON_AddNumberToObject(o, "addr", (double)e->addr);
      cJSON_AddStringToObject(o, "state", e->msg);
      cJSON_AddStringToObject(o, "on", e->event);
      cJSON_AddStringToObject(o, "next", e->next);
      cJSON_DeleteItemFromObject(o, "core");
      cJSON_AddItemToArray(a, o);
      continue;
    }
    if (e->kind != TRACE_FENCE && e->kind != TRACE_IQ_APPLY) {
      cJSON_AddNumberToObject(o, "addr", (double)e->addr);
      cJSON_AddNumberToObject(o, "value", (double)e->value);
    }
    if (e->kind == TRACE_LOAD) {
      cJSON_AddStringToObject(o, "source", trace_src_name[e->src]);
      cJSON_AddNumberToObject(o, "performed", (double)e->at);
    }
    if (e->kind == TRACE_MSG) {
      cJSON_DeleteItemFromObject(o, "value");
      cJSON_AddStringToObject(o, "message", e->msg);
      cJSON_AddNumberToObject(o, "to", e->dst);
      cJSON_AddNumberToObject(o, "arrives", (double)e->at);
    }
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

/* {"mylock": [{"thread": 1, "event": "took", "cycle": 113, ...}, ...]} */
static cJSON *locks_json(const explain_result *r) {
  cJSON *o = cJSON_CreateObject();
  for (unsigned loc = 0; loc < litmus_nlocs(r->t); loc++) {
    if (!litmus_loc_is_lock(r->t, loc)) continue;
    explain_lock_ev ev[EXPLAIN_LOCK_EVENTS];
    unsigned n = explain__lock_events(r, loc, ev, EXPLAIN_LOCK_EVENTS);
    cJSON *a = cJSON_AddArrayToObject(o, explain_loc_name(r, loc));
    for (unsigned i = 0; i < n; i++) {
      cJSON *j = cJSON_CreateObject();
      cJSON_AddNumberToObject(j, "thread", ev[i].thread);
      cJSON_AddStringToObject(j, "event", ev[i].took ? "took" : "released");
      if (ev[i].cycle == UINT64_MAX) cJSON_AddNullToObject(j, "cycle");
      else cJSON_AddNumberToObject(j, "cycle", (double)ev[i].cycle);
      if (ev[i].took) {
        cJSON_AddNumberToObject(j, "first_try_cycle", (double)ev[i].since);
        cJSON_AddNumberToObject(j, "failed_cas", ev[i].cas_failed);
        cJSON_AddNumberToObject(j, "spinning_loads", ev[i].spins);
      } else {
        cJSON_AddNumberToObject(j, "stored_cycle", (double)ev[i].stored);
      }
      cJSON_AddItemToArray(a, j);
    }
  }
  return o;
}

int explain_print_json(FILE *out, const explain_result *r, sim_err *err) {
  const explain_exec *x = &r->x;
  cJSON *o = cJSON_CreateObject();
  if (r->t) {
    cJSON_AddStringToObject(o, "test", r->name);
  } else {
    cJSON_AddStringToObject(o, "scenario", r->name);
    cJSON_AddStringToObject(o, "variant", r->variant);
  }
  cJSON_AddStringToObject(o, "model", r->model);
  cJSON_AddBoolToObject(o, "found", r->found);
  if (!r->asked) cJSON_AddNumberToObject(o, "searched", (double)r->searched);
  if (r->found) {
    cJSON_AddNumberToObject(o, "iteration", (double)r->iteration);
    cJSON_AddStringToObject(o, "outcome", r->outcome);
    if (r->t) cJSON_AddBoolToObject(o, "condition", r->cond);
    else if (r->anomaly) cJSON_AddStringToObject(o, "anomaly", r->anomaly);
    else cJSON_AddNullToObject(o, "anomaly");
    if (r->sc_known) cJSON_AddBoolToObject(o, "sc", r->sc);
    else cJSON_AddNullToObject(o, "sc");
    cJSON *cyc = cJSON_AddArrayToObject(o, "cycle");
    for (unsigned i = 0; i < x->ncyc; i++) {
      cJSON *a = access_json(r, &x->acc[x->cyc[i]]);
      cJSON_AddStringToObject(a, "edge", explain_edge_name[x->edge[i]]);
      cJSON_AddItemToArray(cyc, a);
    }
    cJSON *ms = cJSON_AddArrayToObject(o, "mechanisms");
    for (unsigned i = 0; i < x->nmech; i++) {
      const explain_mechanism *m = &x->mech[i];
      cJSON *j = cJSON_CreateObject();
      cJSON_AddStringToObject(j, "kind", explain_mech_name[m->kind]);
      cJSON_AddNumberToObject(j, "thread", m->thread);
      cJSON_AddStringToObject(j, "location", explain_mech_field(r, i));
      cJSON_AddNumberToObject(j, "seen", (double)(int64_t)m->seen);
      cJSON_AddNumberToObject(j, "sc_value", (double)(int64_t)m->sc_value);
      cJSON_AddNumberToObject(j, "from_cycle", (double)m->from_cycle);
      cJSON_AddNumberToObject(j, "to_cycle", (double)m->to_cycle);
      cJSON_AddItemToObject(j, "older", access_json(r, &x->acc[m->older]));
      cJSON_AddItemToObject(j, "younger", access_json(r, &x->acc[m->younger]));
      if (m->other >= 0) cJSON_AddItemToObject(j, "other", access_json(r, &x->acc[m->other]));
      if (r->t) cJSON_AddStringToObject(j, "fix", explain_fence_name(r, m->fix));
      else if (wl_fix_variant(r->s, m->kind) >= 0)
        cJSON_AddStringToObject(j, "fix", hmap_variant_name[wl_fix_variant(r->s, m->kind)]);
      cJSON_AddItemToArray(ms, j);
    }
    if (r->t) cJSON_AddItemToObject(o, "locks", locks_json(r));
    if (r->fix_tried) {
      cJSON *f = cJSON_AddObjectToObject(o, "fix");
      if (r->fix_variant) cJSON_AddStringToObject(f, "variant", r->fix_variant);
      cJSON_AddStringToObject(f, "outcome", r->fixed_outcome);
      cJSON_AddBoolToObject(f, r->t ? "sc" : "anomaly_free", r->fix_sc);
    }
    cJSON_AddNumberToObject(o, "events_dropped", (double)x->dropped);
    cJSON_AddItemToObject(o, "events", events_json(&r->trace));
  }
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if (!s) return sim_errf(err, SIM_ENOMEM, "out of memory");
  fprintf(out, "%s\n", s);
  free(s);
  return 0;
}
