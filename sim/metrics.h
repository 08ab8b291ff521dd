/* sim/metrics.h -- a run's named counters and rates, in insertion order.
 *
 * Parts report into a list through a (ctx, key, value) callback, so no part
 * needs to know the database; the runner hands the list to results/.
 * Adding a key twice replaces its value.
 */
#ifndef MMSIM_SIM_METRICS_H
#define MMSIM_SIM_METRICS_H

#include <stddef.h>

typedef struct sim_metric { char key[64]; double value; } sim_metric;
typedef struct sim_metrics { sim_metric *v; size_t len, cap; } sim_metrics;

void metrics_set(void *metrics, const char *key, double value); /* sim_metric_fn */
void metrics_add(void *metrics, const char *key, double value); /* sums into the key */
double metrics_get(const sim_metrics *m, const char *key, double dflt);
void metrics_free(sim_metrics *m);

#endif
