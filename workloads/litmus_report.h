/* workloads/litmus_report.h -- a litmus run as herd7 and litmus7 print it,
 * and as the database stores it.
 *
 * Text: "Test NAME Allowed", the histogram with `*>` on outcomes that satisfy
 * the condition, Ok/No, Witnesses, Condition ... is validated, Observation
 * NAME Never|Sometimes|Always P N, then mmsim's own line comparing with the
 * expectation for the model.
 *
 * Database: an outcome is forbidden when the test's expectation for the
 * run's model excludes it (Never: the condition's outcomes; Always: the
 * others).  It is an anomaly ("non_sc") when it is not sequentially
 * consistent: absent from the SC outcomes that litmus_sc.c enumerates (or,
 * for a test too large to enumerate, excluded by its expectation for sc).
 */
#ifndef MMSIM_WORKLOADS_LITMUS_REPORT_H
#define MMSIM_WORKLOADS_LITMUS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../results/db.h"
#include "litmus_run.h"

/* Never / Sometimes / Always for p positive of n. */
litmus_expect litmus_observation(uint64_t positive, uint64_t n);
/* Does the observation agree with the expectation (UNKNOWN agrees)? */
bool litmus_matches(litmus_expect expected, uint64_t positive, uint64_t n);

void litmus_report_print(FILE *out, const litmus_test *t, const char *model,
                         litmus_result *r);

/* The outcome rows of r for db_run; strings live in *text (free both).
 * An outcome's anomaly is non_sc when it is not in sc (the SC outcome set);
 * sc NULL (unknown) marks none, and the run must carry sc.complete = 0. */
db_outcome *litmus_report_outcomes(const litmus_test *t, const char *model,
                                   litmus_result *r, const sim_hist *sc, char **text);

#endif
