/* sim/explain_print.c -- mmsim explain's account in words, and the names
 * the words and the JSON (explain_json.c) share.
 *
 * A litmus instruction is named as the user wrote it: the test's text
 * (litmus_source, what was parsed) from its line and column, up to the end
 * of that thread's column (X86's '|') or of the statement (';'), with the
 * line number.  A map access is named by its thread's role, its operation
 * and the field it touched (scenario_explain.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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

const char *explain_fence_name(const explain_result *r, mem_fence_kind k) {
  static const char *const x86[] = {"MFENCE", "SFENCE", "LFENCE"};
  static const char *const a64[] = {"DMB ISH", "DMB ISHST", "DMB ISHLD"};
  static const char *const c[] = {"smp_mb()", "smp_wmb()", "smp_rmb()"};
  const char *arch = r->t ? litmus_arch(r->t) : "C";
  return strcmp(arch, "X86") == 0 ? x86[k] : strcmp(arch, "AArch64") == 0 ? a64[k] : c[k];
}

const char *explain_loc_name(const explain_result *r, unsigned loc) {
  return r->t ? litmus_loc_name(r->t, loc) : r->w.loc_name[loc];
}

const char *explain_mech_field(const explain_result *r, unsigned i) {
  return r->t ? litmus_loc_name(r->t, r->x.mech[i].loc) : r->w.mech_field[i];
}

void explain_thread_name(const explain_result *r, unsigned thread, char *buf, size_t n) {
  const char *role = NULL;
  if (r->s && thread < WL_ROLES && r->s->role[thread]) role = r->s->role[thread];
  else if (r->s && r->s->role[0] && r->s->role[1] && strcmp(r->s->role[0], r->s->role[1]) == 0)
    role = r->s->role[0];
  if (role) snprintf(buf, n, "P%u (%s)", thread, role);
  else snprintf(buf, n, "P%u", thread);
}

/* A value as the outcome shows it: a map's large ones in hex. */
const char *explain_value(const explain_result *r, uint64_t v, char *buf, size_t n) {
  if (!r->t && v > 0xffff) snprintf(buf, n, "%#" PRIx64, v);
  else snprintf(buf, n, "%" PRId64, (int64_t)v);
  return buf;
}

static const char *src_words(uint8_t src) {
  switch (src) {
  case TRACE_SRC_SB: return "forwarded from its own store buffer";
  case TRACE_SRC_STALE: return "from a stale line in its L1";
  default: return "from memory";
  }
}

/* The instruction of a litmus access: its line and text. */
unsigned explain_insn(const explain_result *r, const explain_access *a, char *text, size_t n) {
  unsigned line = 0, col = 0;
  litmus_insn_pos(r->t, a->thread, TRACE_TAG_INSN(a->tag), &line, &col);
  insn_text(litmus_source(r->t), strcmp(litmus_arch(r->t), "C") == 0, line, col, text, n);
  return line;
}

/* "P0's store x=1 (line 5: MOV [x],$1)", or for a map
 * "P0 (writer)'s store bucket 0 tophash[0]=0x9a (in assign)" */
void explain_access_words(const explain_result *r, const explain_access *a, char *buf, size_t n) {
  char who[32], where[200], v[24];
  explain_thread_name(r, a->thread, who, sizeof who);
  if (r->t) {
    char text[160];
    unsigned line = explain_insn(r, a, text, sizeof text);
    snprintf(where, sizeof where, "line %u: %s", line, text);
  } else {
    snprintf(where, sizeof where, "in %s #%u", hmap_op_name[HMAP_TAG_OP(a->tag)],
             (unsigned)HMAP_TAG_CALL(a->tag));
  }
  const char *loc = explain_loc_name(r, a->loc);
  if (a->kind == EXPLAIN_WRITE)
    snprintf(buf, n, "%s's store %s=%s (%s)", who, loc, explain_value(r, a->wrote, v, sizeof v), where);
  else if (a->kind == EXPLAIN_READ)
    snprintf(buf, n, "%s's load of %s (%s)", who, loc, where);
  else
    snprintf(buf, n, "%s's atomic update of %s (%s)", who, loc, where);
}

/* The protocol messages behind a store's wait: the request its core sent
 * for the line after the store entered the buffer, and what arrived for it
 * until the store performed.  "" when the trace has no messages (ideal
 * memory) or the line was already held. */
static void store_story(const explain_result *r, const explain_access *a, char *buf, size_t n) {
  const cpu_trace *tr = &r->trace;
  uint64_t line = a->addr & ~(uint64_t)63;
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
static void inv_story(const explain_result *r, const explain_access *b, uint64_t arrival,
                      char *buf, size_t n) {
  const cpu_trace *tr = &r->trace;
  uint64_t line = b->addr & ~(uint64_t)63;
  buf[0] = 0;
  for (size_t i = 0; i < tr->n; i++) {
    const trace_ev *e = &tr->ev[i];
    if (e->kind == TRACE_MSG && e->dst == b->thread && (e->addr & ~(uint64_t)63) == line &&
        e->at == arrival && strcmp(e->msg, "INV") == 0) {
      if (e->core >= r->nthreads)
        snprintf(buf, n, " (an INV the directory sent at cycle %" PRIu64 ")", e->cycle);
      else
        snprintf(buf, n, " (an INV P%u sent at cycle %" PRIu64 ")", e->core, e->cycle);
      return;
    }
  }
}

/* torn_access and rmw_interleaving: the other thread's store between. */
static void print_atomicity(FILE *out, const explain_result *r, unsigned i, const char *older,
                            const char *younger) {
  const explain_mechanism *m = &r->x.mech[i];
  const explain_access *w = &r->x.acc[m->other];
  char seen[24], need[24], store[320];
  const char *field = explain_mech_field(r, i);
  explain_value(r, m->seen, seen, sizeof seen);
  explain_value(r, m->sc_value, need, sizeof need);
  explain_access_words(r, w, store, sizeof store);
  if (m->kind == EXPLAIN_TORN_ACCESS)
    fprintf(out, "%s was split in pieces (cpu.atomic_width, or a line boundary) and read %s=%s; "
            "%s became visible at cycle %" PRIu64 ", inside the window from cycle %" PRIu64
            " to %" PRIu64 " between the pieces, so they read different stores; read whole it "
            "was %s.\n", older, field, seen, store, w->visible, m->from_cycle, m->to_cycle, need);
  else
    fprintf(out, "%s read %s=%s at cycle %" PRIu64 ", and %s performed at cycle %" PRIu64
            "; in between, at cycle %" PRIu64 ", %s became visible, and the later store "
            "overwrote it unread: the update built on %s where SC needed %s.\n", older, field,
            seen, m->from_cycle, younger, m->to_cycle, w->visible, store, seen, need);
}

static void print_mech(FILE *out, const explain_result *r, unsigned i) {
  const explain_mechanism *m = &r->x.mech[i];
  const explain_exec *x = &r->x;
  const explain_access *a = &x->acc[m->older], *b = &x->acc[m->younger];
  char older[320], younger[320], seen[24], need[24];
  explain_access_words(r, a, older, sizeof older);
  explain_access_words(r, b, younger, sizeof younger);
  explain_value(r, m->seen, seen, sizeof seen);
  explain_value(r, m->sc_value, need, sizeof need);
  const char *loc = explain_mech_field(r, i);
  fprintf(out, "  %s: ", explain_mech_name[m->kind]);
  switch (m->kind) {
  case EXPLAIN_STORE_BUFFER: {
    char story[400];
    store_story(r, a, story, sizeof story);
    fprintf(out, "%s bound %s=%s at cycle %" PRIu64 ", %s, while %s sat in the store "
            "buffer (cycles %" PRIu64 " to %" PRIu64 "%s%s); SC needed %s=%s.\n",
            younger, loc, seen, b->visible, src_words(b->src), older, m->from_cycle,
            m->to_cycle, *story ? ": " : "", story, loc, need);
    break;
  }
  case EXPLAIN_STORE_ORDER: {
    char story[400];
    store_story(r, a, story, sizeof story);
    fprintf(out, "%s became visible at cycle %" PRIu64 ", before %s at cycle %" PRIu64
            "%s%s%s; meanwhile another thread read %s=%s where SC needed %s.\n",
            younger, m->from_cycle, older, m->to_cycle, *story ? " (" : "", story,
            *story ? ")" : "", loc, seen, need);
    break;
  }
  case EXPLAIN_INVALIDATE_QUEUE: {
    char applied[64] = "still waited in the queue when it read";
    if (b->iq_applied)
      snprintf(applied, sizeof applied, "was applied only at cycle %" PRIu64, b->iq_applied);
    char story[96];
    inv_story(r, b, m->from_cycle, story, sizeof story);
    fprintf(out, "%s read %s=%s at cycle %" PRIu64 " %s, after %s at cycle %" PRIu64
            ": the invalidation arrived at cycle %" PRIu64 "%s and %s; SC needed %s=%s.\n",
            younger, loc, seen, b->issue, src_words(b->src), older, a->visible,
            m->from_cycle, story, applied, loc, need);
    break;
  }
  case EXPLAIN_TORN_ACCESS:
  case EXPLAIN_RMW_INTERLEAVING: print_atomicity(out, r, i, older, younger); break;
  case EXPLAIN_LOAD_STORE:
    fprintf(out, "%s became visible at cycle %" PRIu64 ", before %s bound at cycle %" PRIu64
            "; it waited in the load queue meanwhile, and read %s=%s.\n", younger, b->visible,
            older, a->visible, loc, seen);
    break;
  default:
    fprintf(out, "%s performed at cycle %" PRIu64 ", before %s at cycle %" PRIu64 "; it read %s=%s"
            " where SC needed %s.\n", younger, b->visible, older, a->visible, loc, seen, need);
    break;
  }
}

/* What the fenced variant puts where a mechanism needs it (hmap.h). */
static const char *fenced_words(explain_mech k) {
  switch (k) {
  case EXPLAIN_STORE_BUFFER: return "a full fence ending every write and after every pin";
  case EXPLAIN_STORE_ORDER: return "a store fence before every publishing store";
  default: return "a load fence after every publication load";
  }
}

static void print_fix(FILE *out, const explain_result *r) {
  const explain_exec *x = &r->x;
  if (r->t) {
    fprintf(out, "\nFix:");
    for (unsigned i = 0; i < x->nmech; i++) {
      const explain_mechanism *m = &x->mech[i];
      char text[160];
      unsigned line = explain_insn(r, &x->acc[m->older], text, sizeof text);
      fprintf(out, "%s %s in P%u after line %u", i ? "," : "", explain_fence_name(r, m->fix),
              x->acc[m->older].thread, line);
    }
    fprintf(out, ".\nReplayed with it, iteration %" PRIu64 " gives %s (%s)\n", r->iteration,
            r->fixed_outcome, r->fix_sc ? "SC" : "still not SC");
    return;
  }
  fprintf(out, "\nFix: workload.variant=%s (", r->fix_variant);
  if (strcmp(r->fix_variant, "fenced") == 0) {
    bool said[EXPLAIN_NMECHS] = {false};
    for (unsigned i = 0, n = 0; i < x->nmech; i++)
      if (!said[x->mech[i].kind]) {
        said[x->mech[i].kind] = true;
        fprintf(out, "%s%s", n++ ? "; " : "", fenced_words(x->mech[i].kind));
      }
  } else if (strcmp(r->fix_variant, "atomic") == 0) {
    fprintf(out, "atomic RMWs for counts and pins, a CAS for hashWriting: never split, never "
            "interleaved; release/acquire at publication points");
  } else {
    fprintf(out, "a spinlock around every operation");
  }
  fprintf(out, ").\nReplayed with it, iteration %" PRIu64 " gives %s (%s)\n", r->iteration,
          r->fixed_outcome, r->fix_sc ? "no anomaly" : "still an anomaly");
}

static void print_head(FILE *out, const explain_result *r) {
  char what[160];
  if (r->t) snprintf(what, sizeof what, "%s under %s", r->name, r->model);
  else snprintf(what, sizeof what, "%s (%s) under %s", r->name, r->variant, r->model);
  const char *odd = r->t ? "outcome is not SC" : "outcome is an anomaly";
  if (r->asked)
    fprintf(out, "%s, iteration %" PRIu64 " (replayed with the cores traced)\n", what,
            r->iteration);
  else
    fprintf(out, "%s, iteration %" PRIu64 ": the first of %" PRIu64 " whose %s (replay: "
            "--iteration %" PRIu64 ")\n", what, r->iteration, r->searched, odd, r->iteration);
  if (r->t)
    fprintf(out, "Outcome %s %s the condition; %s\n", r->outcome,
            r->cond ? "satisfies" : "does not satisfy",
            !r->sc_known ? "whether it is SC is unknown (the SC reference search hit its budget)"
            : r->sc     ? "it is SC: some interleaving of the threads gives it"
                        : "it is not SC: no interleaving of the threads gives it");
  else if (r->anomaly)
    fprintf(out, "Outcome %s shows %s; %s\n", r->outcome, r->anomaly,
            r->sc ? "SC reaches it too, by interleaving map operations that are not atomic"
                  : "no SC execution of the map operations gives it");
  else
    fprintf(out, "Outcome %s has no anomaly\n", r->outcome);
}

void explain_print(FILE *out, const explain_result *r) {
  if (!r->found) {
    if (r->t)
      fprintf(out, "%s under %s: none of %" PRIu64 " iterations has an outcome outside the SC "
              "set; nothing to explain (more with --iterations N, or another --model)\n",
              r->name, r->model, r->searched);
    else
      fprintf(out, "%s (%s) under %s: none of %" PRIu64 " iterations has an anomaly; nothing "
              "to explain (more with --iterations N, or another --model)\n", r->name,
              r->variant, r->model, r->searched);
    return;
  }
  const explain_exec *x = &r->x;
  print_head(out, r);
  if (x->dropped)
    fprintf(out, "(the trace lost %" PRIu64 " events to its bound; the account may be partial)\n",
            x->dropped);
  if (r->t ? x->sc : !r->anomaly || x->nmech == 0) {
    if (!r->t && r->anomaly)
      fprintf(out, "No mechanism found in the trace (please report this scenario).\n");
    else
      fprintf(out, "No cycle of program order and communication: nothing to explain.\n");
    explain__print_locks(out, r);
    return;
  }
  if (x->ncyc && (r->t || r->w.forbidden)) {
    fprintf(out, "\nWhy: a cycle no SC order can satisfy (po: program order, rf: reads from, "
            "co: coherence order, fr: reads before)\n");
    for (unsigned i = 0; i < x->ncyc; i++) {
      char w[320], v[24];
      const explain_access *a = &x->acc[x->cyc[i]];
      explain_access_words(r, a, w, sizeof w);
      fprintf(out, "  %s", w);
      if (a->kind != EXPLAIN_WRITE) fprintf(out, " read %s", explain_value(r, a->value, v, sizeof v));
      if (a->visible != UINT64_MAX) fprintf(out, ", visible at cycle %" PRIu64, a->visible);
      fprintf(out, "\n    --%s-->%s\n", explain_edge_name[x->edge[i]],
              i + 1 == x->ncyc ? " (back to the first)" : "");
    }
  }
  fprintf(out, "\nMechanisms:\n");
  for (unsigned i = 0; i < x->nmech; i++) print_mech(out, r, i);
  if (x->nmech == 0)
    fprintf(out, "  none found: every program-order pair on the cycle performed in order "
            "(please report this test)\n");
  explain__print_locks(out, r);
  if (r->fix_tried) print_fix(out, r);
  else if (!r->t && x->nmech)
    fprintf(out, "\nFix: none tried: no variant of the map removes these mechanisms, or "
            "workload.variant=%s is the one that should\n", r->variant);
}
