/* workloads/scenario_report.c -- a scenario run as text and as outcome rows.
 *
 * Text: like a litmus7 histogram, one line per outcome with its count, a
 * `*>` mark on anomalies and their kind, then the anomaly and forbidden
 * counts with their rates, the first iteration of each anomaly (to replay
 * with --iteration K) and map operations per second.  The anomaly rate is
 * printed with its Wilson 95% interval, the same formula as the run_rates
 * view (results/schema.c), so the report and the database agree. */
#include "scenario_run.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Wilson score interval, z = 1.96, for k of n. */
static void wilson(uint64_t k, uint64_t n, double *lo, double *hi) {
  const double z = 1.96;
  if (!n) {
    *lo = *hi = 0;
    return;
  }
  double p = (double)k / (double)n, nn = (double)n, d = 1 + z * z / nn;
  double c = (p + z * z / (2 * nn)) / d, h = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / d;
  *lo = k == 0 || c - h < 0 ? 0 : c - h; /* exact at k = 0 and k = n, as the view */
  *hi = k == n || c + h > 1 ? 1 : c + h;
}

void wl_report_print(FILE *out, const wl_result *r, const char *engine, const char *model) {
  const wl_scenario *s = r->s;
  char buf[512];
  hist_sort(r->hist);
  fprintf(out, "Scenario %s variant %s (%s, %s, %u threads)\n", s->name,
          hmap_variant_name[r->prm.variant], engine, model, r->prm.threads);
  fprintf(out, "Histogram (%zu states)\n", hist_len(r->hist));
  uint64_t first_anomaly = UINT64_MAX;
  for (size_t i = 0; i < hist_len(r->hist); i++) {
    const int64_t *o = hist_key(r->hist, i);
    bool forbidden;
    const char *kind = s->classify(&r->prm, o, &forbidden);
    wl_outcome_format(s, o, buf, sizeof buf);
    fprintf(out, "%-10" PRIu64 "%s>%s%s%s%s\n", hist_count(r->hist, i), kind ? "*" : ":", buf,
            kind ? "  " : "", kind ? kind : "", forbidden ? " (not SC)" : "");
    if (kind && hist_first(r->hist, i) < first_anomaly) first_anomaly = hist_first(r->hist, i);
  }
  double n = r->iterations ? (double)r->iterations : 1;
  fprintf(out, "Anomalies %s %" PRIu64 " of %" PRIu64 " (%.4g%%), not SC %" PRIu64 " (%.4g%%)\n",
          s->anomaly, r->anomalies, r->iterations, 100.0 * (double)r->anomalies / n,
          r->forbidden, 100.0 * (double)r->forbidden / n);
  double lo, hi;
  wilson(r->anomalies, r->iterations, &lo, &hi);
  fprintf(out, "Anomaly rate %.4g [%.4g, %.4g] (95%% Wilson interval)\n",
          (double)r->anomalies / n, lo, hi);
  if (first_anomaly != UINT64_MAX && r->sim_cycles)
    fprintf(out, "First anomaly at iteration %" PRIu64 " (replay: --iteration %" PRIu64 ")\n",
            first_anomaly, first_anomaly);
  double cpo = metrics_get(&r->metrics, "map.cycles_per_op", -1);
  if (cpo >= 0) fprintf(out, "Simulated cycles per map operation %.1f\n", cpo);
  fprintf(out, "Map operations %" PRIu64 " in %.3f s: %.0f ops/s\n\n", r->map_ops, r->wall_s,
          r->wall_s > 0 ? (double)r->map_ops / r->wall_s : 0);
}

db_outcome *wl_report_outcomes(wl_result *r, char **text) {
  size_t n = hist_len(r->hist), cap = 128 * (n ? n : 1), used = 0;
  db_outcome *o = calloc(n ? n : 1, sizeof *o);
  char *s = malloc(cap);
  size_t *at = calloc(n ? n : 1, sizeof *at);
  if (!o || !s || !at) goto fail;
  for (size_t i = 0; i < n; i++) {
    const int64_t *v = hist_key(r->hist, i);
    size_t len = wl_outcome_format(r->s, v, NULL, 0);
    if (used + len + 1 > cap) {
      char *ns = realloc(s, cap = 2 * (used + len + 1));
      if (!ns) goto fail;
      s = ns;
    }
    wl_outcome_format(r->s, v, s + used, len + 1);
    at[i] = used;
    used += len + 1;
    bool forbidden;
    o[i].anomaly = r->s->classify(&r->prm, v, &forbidden);
    o[i].forbidden = forbidden;
    o[i].count = hist_count(r->hist, i);
  }
  for (size_t i = 0; i < n; i++) o[i].outcome = s + at[i];
  free(at);
  *text = s;
  return o;
fail:
  free(o), free(s), free(at);
  return NULL;
}
