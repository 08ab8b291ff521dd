/* sim/explain_print.c -- mmsim explain's account, in words and as JSON.
 *
 * An instruction is named as the user wrote it: the test's text
 * (litmus_source, what was parsed) from its line and column, up to the end of that thread's column (X86's
 * '|') or of the statement (';'), with the line number.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "explain.h"

/* Line `line` (1-based) of text, or NULL past its end. */
static const char *line_at(const char *text, unsigned line) {
  for (unsigned i = 1; i < line && text; i++)
    if ((text = strchr(text, '\n'))) text++;
  return text;
}

/* The instruction at line:col (1-based), trimmed, into buf: up to X86's
 * column end ('|' or ';'), or a C statement with its ';'. */
static const char *insn_text(const char *src, bool c_dialect, unsigned line, unsigned col,
                             char *buf, size_t n) {
  buf[0] = 0;
  const char *p = line ? line_at(src, line) : NULL;
  if (!p) return buf;
  size_t len = strcspn(p, "\n");
  if (col && col - 1 < len) p += col - 1;
  len = strcspn(p, c_dialect ? ";\n" : "|;\n");
  if (c_dialect && p[len] == ';') len++;
  while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
  snprintf(buf, n, "%.*s", (int)len, p);
  return buf;
}

static const char *fence_name(const litmus_test *t, mem_fence_kind k) {
  static const char *const x86[] = {"MFENCE", "SFENCE", "LFENCE"};
  static const char *const c[] = {"smp_mb()", "smp_wmb()", "smp_rmb()"};
  return strcmp(litmus_arch(t), "X86") == 0 ? x86[k] : c[k];
}

static const char *src_words(uint8_t src) {
  switch (src) {
  case TRACE_SRC_SB: return "forwarded from its own store buffer";
  case TRACE_SRC_STALE: return "from a stale line in its L1";
  default: return "from memory";
  }
}

typedef struct ctx {
  const explain_result *r;
  const char *src; /* the test's text (litmus_source), for instruction texts */
  bool c_dialect;
} ctx;

static ctx ctx_of(const explain_result *r) {
  return (ctx){r, litmus_source(r->t), strcmp(litmus_arch(r->t), "C") == 0};
}

/* "P0's store x=1 (line 5: MOV [x],$1)" */
static void access_words(const ctx *k, const explain_access *a, char *buf, size_t n) {
  const litmus_test *t = k->r->t;
  char text[160];
  unsigned line = 0, col = 0;
  litmus_insn_pos(t, a->thread, TRACE_TAG_INSN(a->tag), &line, &col);
  insn_text(k->src, k->c_dialect, line, col, text, sizeof text);
  const char *loc = litmus_loc_name(t, a->loc);
  if (a->kind == EXPLAIN_WRITE)
    snprintf(buf, n, "P%u's store %s=%" PRId64 " (line %u: %s)", a->thread, loc, (int64_t)a->wrote, line, text);
  else if (a->kind == EXPLAIN_READ)
    snprintf(buf, n, "P%u's load of %s (line %u: %s)", a->thread, loc, line, text);
  else
    snprintf(buf, n, "P%u's atomic update of %s (line %u: %s)", a->thread, loc, line, text);
}

/* The protocol messages behind a store's wait: the request its core sent
 * for the line after the store entered the buffer, and what arrived for it
 * until the store performed.  "" when the trace has no messages (ideal
 * memory) or the line was already held. */
static void store_story(const ctx *k, const explain_access *a, char *buf, size_t n) {
  const cpu_trace *tr = &k->r->trace;
  uint64_t line = k->r->loc_addr[a->loc] & ~(uint64_t)63;
  size_t used = 0;
  buf[0] = 0;
  for (size_t i = 0; i < tr->n && used + 48 < n; i++) {
    const trace_ev *e = &tr->ev[i];
    if (e->kind != TRACE_MSG || (e->addr & ~(uint64_t)63) != line) continue;
    if (e->core == a->thread && e->cycle >= a->issue && e->cycle <= a->visible)
      used += (size_t)snprintf(buf + used, n - used, "%s%s sent at %" PRIu64, used ? ", " : "",
                               e->msg, e->cycle);
    else if (e->dst == a->thread && used && e->at <= a->visible)
      used += (size_t)snprintf(buf + used, n - used, ", %s arrived at %" PRIu64, e->msg, e->at);
  }
}

/* The INV that a stale read overtook: who sent it. */
static void inv_story(const ctx *k, const explain_access *b, uint64_t arrival, char *buf, size_t n) {
  const cpu_trace *tr = &k->r->trace;
  uint64_t line = k->r->loc_addr[b->loc] & ~(uint64_t)63;
  buf[0] = 0;
  for (size_t i = 0; i < tr->n; i++) {
    const trace_ev *e = &tr->ev[i];
    if (e->kind == TRACE_MSG && e->dst == b->thread && (e->addr & ~(uint64_t)63) == line &&
        e->at == arrival && strcmp(e->msg, "INV") == 0) {
      if (e->core >= litmus_nthreads(k->r->t))
        snprintf(buf, n, " (an INV the directory sent at cycle %" PRIu64 ")", e->cycle);
      else
        snprintf(buf, n, " (an INV P%u sent at cycle %" PRIu64 ")", e->core, e->cycle);
      return;
    }
  }
}

static void print_mech(FILE *out, const ctx *k, const explain_mechanism *m) {
  const explain_exec *x = &k->r->x;
  const explain_access *a = &x->acc[m->older], *b = &x->acc[m->younger];
  char older[256], younger[256];
  access_words(k, a, older, sizeof older);
  access_words(k, b, younger, sizeof younger);
  const char *loc = litmus_loc_name(k->r->t, m->loc);
  fprintf(out, "  %s: ", explain_mech_name[m->kind]);
  switch (m->kind) {
  case EXPLAIN_STORE_BUFFER: {
    char story[400];
    store_story(k, a, story, sizeof story);
    fprintf(out, "%s bound %s=%" PRId64 " at cycle %" PRIu64 ", %s, while %s sat in the store "
            "buffer (cycles %" PRIu64 " to %" PRIu64 "%s%s); SC needed %s=%" PRId64 ".\n",
            younger, loc, (int64_t)m->seen, b->visible, src_words(b->src), older, m->from_cycle,
            m->to_cycle, *story ? ": " : "", story, loc, (int64_t)m->sc_value);
    break;
  }
  case EXPLAIN_STORE_ORDER: {
    char story[400];
    store_story(k, a, story, sizeof story);
    fprintf(out, "%s became visible at cycle %" PRIu64 ", before %s at cycle %" PRIu64
            "%s%s%s; meanwhile another thread read %s=%" PRId64 " where SC needed %" PRId64 ".\n",
            younger, m->from_cycle, older, m->to_cycle, *story ? " (" : "", story,
            *story ? ")" : "", loc, (int64_t)m->seen, (int64_t)m->sc_value);
    break;
  }
  case EXPLAIN_INVALIDATE_QUEUE: {
    char applied[64] = "still waited in the queue when it read";
    if (b->iq_applied)
      snprintf(applied, sizeof applied, "was applied only at cycle %" PRIu64, b->iq_applied);
    char story[96];
    inv_story(k, b, m->from_cycle, story, sizeof story);
    fprintf(out, "%s read %s=%" PRId64 " at cycle %" PRIu64 " %s, after %s at cycle %" PRIu64
            ": the invalidation arrived at cycle %" PRIu64 "%s and %s; SC needed %s=%" PRId64 ".\n",
            younger, loc, (int64_t)m->seen, b->issue, src_words(b->src), older, a->visible,
            m->from_cycle, story, applied, loc, (int64_t)m->sc_value);
    break;
  }
  default:
    fprintf(out, "%s performed at cycle %" PRIu64 ", before %s at cycle %" PRIu64 "; it read %s=%"
            PRId64 " where SC needed %" PRId64 ".\n", younger, b->visible, older, a->visible, loc,
            (int64_t)m->seen, (int64_t)m->sc_value);
    break;
  }
}

void explain_print(FILE *out, const explain_result *r) {
  const char *name = litmus_name(r->t);
  if (!r->found) {
    fprintf(out, "%s under %s: none of %" PRIu64 " iterations has an outcome outside the SC set; "
            "nothing to explain (more with --iterations N, or another --model)\n",
            name, r->model, r->searched);
    return;
  }
  ctx k = ctx_of(r);
  const explain_exec *x = &r->x;
  if (r->asked)
    fprintf(out, "%s under %s, iteration %" PRIu64 " (replayed with the cores traced)\n", name,
            r->model, r->iteration);
  else
    fprintf(out, "%s under %s, iteration %" PRIu64 ": the first of %" PRIu64 " whose outcome is "
            "not SC (replay: --iteration %" PRIu64 ")\n", name, r->model, r->iteration,
            r->searched, r->iteration);
  fprintf(out, "Outcome %s %s the condition; %s\n", r->outcome,
          r->cond ? "satisfies" : "does not satisfy",
          !r->sc_known ? "whether it is SC is unknown (the SC reference search hit its budget)"
          : r->sc     ? "it is SC: some interleaving of the threads gives it"
                      : "it is not SC: no interleaving of the threads gives it");
  if (x->dropped)
    fprintf(out, "(the trace lost %" PRIu64 " events to its bound; the account may be partial)\n",
            x->dropped);
  if (x->sc) {
    fprintf(out, "No cycle of program order and communication: nothing to explain.\n");
    return;
  }
  fprintf(out, "\nWhy: a cycle no SC order can satisfy (po: program order, rf: reads from, "
          "co: coherence order, fr: reads before)\n");
  for (unsigned i = 0; i < x->ncyc; i++) {
    char w[256];
    const explain_access *a = &x->acc[x->cyc[i]];
    access_words(&k, a, w, sizeof w);
    fprintf(out, "  %s", w);
    if (a->kind != EXPLAIN_WRITE) fprintf(out, " read %" PRId64, (int64_t)a->value);
    if (a->visible != UINT64_MAX) fprintf(out, ", visible at cycle %" PRIu64, a->visible);
    fprintf(out, "\n    --%s-->%s\n", explain_edge_name[x->edge[i]], i + 1 == x->ncyc ? " (back to the first)" : "");
  }
  fprintf(out, "\nMechanisms:\n");
  for (unsigned i = 0; i < x->nmech; i++) print_mech(out, &k, &x->mech[i]);
  if (x->nmech == 0)
    fprintf(out, "  none found: every program-order pair on the cycle performed in order "
            "(please report this test)\n");
  if (r->fix_tried) {
    fprintf(out, "\nFix:");
    for (unsigned i = 0; i < x->nmech; i++) {
      const explain_mechanism *m = &x->mech[i];
      unsigned line = 0, col = 0;
      litmus_insn_pos(r->t, x->acc[m->older].thread, TRACE_TAG_INSN(x->acc[m->older].tag), &line, &col);
      fprintf(out, "%s %s in P%u after line %u", i ? "," : "", fence_name(r->t, m->fix),
              x->acc[m->older].thread, line);
    }
    fprintf(out, ".\nReplayed with it, iteration %" PRIu64 " gives %s (%s)\n", r->iteration,
            r->fixed_outcome, r->fix_sc ? "SC" : "still not SC");
  }
}

/* ---- JSON ---- */

static cJSON *access_json(const ctx *k, const explain_access *a) {
  static const char *const kind[] = {"load", "store", "rmw"};
  unsigned line = 0, col = 0;
  char text[160];
  litmus_insn_pos(k->r->t, a->thread, TRACE_TAG_INSN(a->tag), &line, &col);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kind", kind[a->kind]);
  cJSON_AddNumberToObject(o, "thread", a->thread);
  cJSON_AddNumberToObject(o, "line", line);
  cJSON_AddStringToObject(o, "text", insn_text(k->src, k->c_dialect, line, col, text, sizeof text));
  cJSON_AddStringToObject(o, "location", litmus_loc_name(k->r->t, a->loc));
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

int explain_print_json(FILE *out, const explain_result *r, sim_err *err) {
  ctx k = ctx_of(r);
  const explain_exec *x = &r->x;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "test", litmus_name(r->t));
  cJSON_AddStringToObject(o, "model", r->model);
  cJSON_AddBoolToObject(o, "found", r->found);
  if (!r->asked) cJSON_AddNumberToObject(o, "searched", (double)r->searched);
  if (r->found) {
    cJSON_AddNumberToObject(o, "iteration", (double)r->iteration);
    cJSON_AddStringToObject(o, "outcome", r->outcome);
    cJSON_AddBoolToObject(o, "condition", r->cond);
    if (r->sc_known) cJSON_AddBoolToObject(o, "sc", r->sc);
    else cJSON_AddNullToObject(o, "sc");
    cJSON *cyc = cJSON_AddArrayToObject(o, "cycle");
    for (unsigned i = 0; i < x->ncyc; i++) {
      cJSON *a = access_json(&k, &x->acc[x->cyc[i]]);
      cJSON_AddStringToObject(a, "edge", explain_edge_name[x->edge[i]]);
      cJSON_AddItemToArray(cyc, a);
    }
    cJSON *ms = cJSON_AddArrayToObject(o, "mechanisms");
    for (unsigned i = 0; i < x->nmech; i++) {
      const explain_mechanism *m = &x->mech[i];
      cJSON *j = cJSON_CreateObject();
      cJSON_AddStringToObject(j, "kind", explain_mech_name[m->kind]);
      cJSON_AddNumberToObject(j, "thread", m->thread);
      cJSON_AddStringToObject(j, "location", litmus_loc_name(r->t, m->loc));
      cJSON_AddNumberToObject(j, "seen", (double)(int64_t)m->seen);
      cJSON_AddNumberToObject(j, "sc_value", (double)(int64_t)m->sc_value);
      cJSON_AddNumberToObject(j, "from_cycle", (double)m->from_cycle);
      cJSON_AddNumberToObject(j, "to_cycle", (double)m->to_cycle);
      cJSON_AddItemToObject(j, "older", access_json(&k, &x->acc[m->older]));
      cJSON_AddItemToObject(j, "younger", access_json(&k, &x->acc[m->younger]));
      cJSON_AddStringToObject(j, "fix", fence_name(r->t, m->fix));
      cJSON_AddItemToArray(ms, j);
    }
    if (r->fix_tried) {
      cJSON *f = cJSON_AddObjectToObject(o, "fix");
      cJSON_AddStringToObject(f, "outcome", r->fixed_outcome);
      cJSON_AddBoolToObject(f, "sc", r->fix_sc);
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
