/* workloads/litmus_report.c -- see litmus_report.h. */
#include "litmus_report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

litmus_expect litmus_observation(uint64_t positive, uint64_t n) {
  if (positive == 0) return LITMUS_EXPECT_NEVER;
  return positive == n ? LITMUS_EXPECT_ALWAYS : LITMUS_EXPECT_SOMETIMES;
}

bool litmus_matches(litmus_expect expected, uint64_t positive, uint64_t n) {
  return expected == LITMUS_EXPECT_UNKNOWN || expected == litmus_observation(positive, n);
}

/* Is an outcome that does (sat) or does not satisfy the body excluded by e? */
static bool excluded(litmus_expect e, bool sat) {
  return (e == LITMUS_EXPECT_NEVER && sat) || (e == LITMUS_EXPECT_ALWAYS && !sat);
}

static bool validated(litmus_quant q, uint64_t pos, uint64_t n) {
  switch (q) {
  case LITMUS_EXISTS: return pos > 0;
  case LITMUS_NOT_EXISTS: return pos == 0;
  case LITMUS_FORALL: return pos == n;
  }
  return false;
}

void litmus_report_print(FILE *out, const litmus_test *t, const char *model,
                         litmus_result *r) {
  static const char *const kind[] = {"Allowed", "Forbidden", "Required"};
  const char *name = litmus_name(t);
  litmus_quant q = litmus_quantifier(t);
  uint64_t pos = r->positive, neg = r->iterations - r->positive;
  char buf[1024];
  hist_sort(r->hist);
  fprintf(out, "Test %s %s (model %s)\n", name, kind[q], model);
  fprintf(out, "Histogram (%zu states)\n", hist_len(r->hist));
  for (size_t i = 0; i < hist_len(r->hist); i++) {
    const int64_t *v = hist_key(r->hist, i);
    litmus_outcome_format(t, v, buf, sizeof buf);
    fprintf(out, "%-8" PRIu64 "%s>%s\n", hist_count(r->hist, i),
            litmus_cond_eval(t, v) ? "*" : ":", buf);
  }
  bool ok = validated(q, pos, r->iterations);
  /* A witness validates the condition as quantified: ~exists counts the
   * iterations where the body fails. */
  bool flip = q == LITMUS_NOT_EXISTS;
  fprintf(out, "%s\nWitnesses\nPositive: %" PRIu64 ", Negative: %" PRIu64 "\n",
          ok ? "Ok" : "No", flip ? neg : pos, flip ? pos : neg);
  fprintf(out, "Condition %s is %svalidated\n", litmus_cond_str(t), ok ? "" : "NOT ");
  litmus_expect seen = litmus_observation(pos, r->iterations);
  if (r->data_race) fprintf(out, "Flag data-race\n"); /* where herd7 prints it */
  fprintf(out, "Observation %s %s %" PRIu64 " %" PRIu64 "\n", name, litmus_expect_name(seen),
          pos, neg);
  for (size_t i = 0; i < hist_len(r->hist); i++) /* the first witness, to replay */
    if (litmus_cond_eval(t, hist_key(r->hist, i))) {
      litmus_outcome_format(t, hist_key(r->hist, i), buf, sizeof buf);
      fprintf(out, "Witness %s at iteration %" PRIu64 " (replay: --iteration %" PRIu64 ")\n",
              buf, hist_first(r->hist, i), hist_first(r->hist, i));
      break;
    }
  litmus_expect want = litmus_expected(t, model);
  if (want != LITMUS_EXPECT_UNKNOWN)
    fprintf(out, "Expected %s %s: %s\n", model, litmus_expect_name(want),
            want == seen ? "as expected" : "MISMATCH");
  fprintf(out, "Time %s %.3f\n\n", name, r->wall_s);
}

db_outcome *litmus_report_outcomes(const litmus_test *t, const char *model,
                                   litmus_result *r, const sim_hist *sc_set, char **text) {
  size_t n = hist_len(r->hist), cap = 64 * n + 1, used = 0;
  db_outcome *o = calloc(n ? n : 1, sizeof *o);
  char *s = malloc(cap);
  size_t *at = calloc(n ? n : 1, sizeof *at);
  if (!o || !s || !at) {
    free(o), free(s), free(at);
    return NULL;
  }
  litmus_expect want = litmus_expected(t, model);
  for (size_t i = 0; i < n; i++) {
    const int64_t *v = hist_key(r->hist, i);
    size_t len = litmus_outcome_format(t, v, NULL, 0);
    if (used + len + 1 > cap) {
      cap = 2 * (used + len + 1);
      char *ns = realloc(s, cap);
      if (!ns) {
        free(o), free(s), free(at);
        return NULL;
      }
      s = ns;
    }
    litmus_outcome_format(t, v, s + used, len + 1);
    at[i] = used;
    used += len + 1;
    bool sat = litmus_cond_eval(t, v);
    o[i].count = hist_count(r->hist, i);
    o[i].forbidden = excluded(want, sat);
    /* No SC set: unknown, not the header's claim (the run says so). */
    bool non_sc = sc_set && hist_find(sc_set, v) < 0;
    o[i].anomaly = non_sc ? "non_sc" : NULL;
  }
  for (size_t i = 0; i < n; i++) o[i].outcome = s + at[i]; /* s no longer moves */
  free(at);
  *text = s;
  return o;
}
