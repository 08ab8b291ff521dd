/* tests/e2e/sweep.h -- what the two sweep tests share: a small grid config
 * and the queries that say which points a database holds. */
#ifndef MMSIM_TESTS_E2E_SWEEP_H
#define MMSIM_TESTS_E2E_SWEEP_H

#include "cli.h"

#define SB_LITMUS MMSIM_SOURCE_DIR "/litmus/x86/SB.litmus"

/* 2 models x 3 jitters x repeat 2 = 12 points, a few hundred iterations each. */
static const char grid_json[] =
    "{\"name\": \"grid\", \"workload\": {\"kind\": \"litmus\", \"litmus\": \"" SB_LITMUS "\"},\n"
    " \"run\": {\"iterations\": 400, \"seed\": 5},\n"
    " \"sweep\": {\"cpu.model\": [\"sc\", \"tso\"], \"net.jitter\": {\"from\": 0, \"to\": 16, "
    "\"step\": 8}, \"repeat\": 2}}\n";

/* Every done run as model|jitter|seed, in order: the grid a database holds. */
static const char points_sql[] =
    "SELECT m.value, j.value, r.seed FROM runs r "
    "JOIN params m ON m.run_id = r.id AND m.key = 'cpu.model' "
    "JOIN params j ON j.run_id = r.id AND j.key = 'net.jitter' "
    "WHERE r.status = 'done' ORDER BY 1, 2, 3";

static const char grid_points[] = "sc|0|5\nsc|0|6\nsc|8|5\nsc|8|6\nsc|16|5\nsc|16|6\n"
                                  "tso|0|5\ntso|0|6\ntso|8|5\ntso|8|6\ntso|16|5\ntso|16|6\n";

/* What a run measured, by its resolved config: equal between two databases
 * when they hold the same runs, however they were produced. */
static const char outcomes_sql[] =
    "SELECT r.config_hash, o.outcome, o.count, o.forbidden, o.anomaly FROM runs r "
    "JOIN outcomes o ON o.run_id = r.id WHERE r.status = 'done' ORDER BY 1, 2";
static const char metrics_sql[] =
    "SELECT r.config_hash, m.key, m.value FROM runs r JOIN metrics m ON m.run_id = r.id "
    "WHERE r.status = 'done' ORDER BY 1, 2";
static const char params_sql[] =
    "SELECT r.config_hash, r.workload, r.model, r.seed, r.iterations, p.key, p.value "
    "FROM runs r JOIN params p ON p.run_id = r.id WHERE r.status = 'done' ORDER BY 1, 6";

/* The same runs, row for row, in two databases of cli_dir. */
static inline int same_runs(const char *a, const char *b) {
  const char *q[] = {outcomes_sql, metrics_sql, params_sql};
  int same = 1;
  for (int i = 0; i < 3; i++) {
    char *x = cli_sql_text(a, q[i]), *y = cli_sql_text(b, q[i]);
    if (!*x || strcmp(x, y) != 0) {
      fprintf(stderr, "  %s and %s differ on: %s\n", a, b, q[i]);
      same = 0;
    }
    free(x), free(y);
  }
  return same;
}

#endif
