/* sim/explain.h -- mmsim explain: find an iteration whose outcome is not
 * SC, replay it with the cores traced, and say why (workloads/
 * litmus_explain.h), then check the proposed fix by replaying the same
 * iteration of the test with the fences in.
 *
 * The iteration: the one asked for, or else the first of run.iterations
 * whose outcome is outside the test's SC outcome set (litmus_sc.h).  A
 * replay is the same iteration as inside the run (machine.h), and tracing
 * changes nothing it computes (trace.h TR2), so the traced outcome is the
 * run's; explain_run checks that and fails loudly if not.
 *
 * Today: litmus tests; map scenarios are not explained yet.
 */
#ifndef MMSIM_SIM_EXPLAIN_H
#define MMSIM_SIM_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu/trace.h"
#include "../workloads/litmus_explain.h"
#include "config.h"
#include "hist.h"

/* Events one traced iteration keeps at most (trace.h's bound). */
#define EXPLAIN_TRACE_CAP 65536

typedef struct explain_result {
  litmus_test *t;
  const char *model;
  uint64_t iteration;
  bool asked;                 /* --iteration given */
  bool found;                 /* an iteration to explain (asked, or a non-SC one found) */
  uint64_t searched;          /* iterations run to find it */
  char outcome[512];          /* its outcome, litmus format */
  bool cond;                  /* it satisfies the test's condition body */
  bool sc_known, sc;          /* its outcome is in the SC set (sc_known: the set was computed) */
  cpu_trace trace;
  uint64_t loc_addr[LITMUS_MAX_LOCS];
  explain_exec x;
  bool fix_tried, fix_sc;     /* the replay with the fences in */
  char fixed_outcome[512];
} explain_result;

/* Explain under config c (workload.kind litmus).  SIM_EUNSUP for other
 * workloads; errors as for a run. */
int explain_run(const cfg *c, bool asked, uint64_t iteration, explain_result *r, sim_err *err);
void explain_result_free(explain_result *r);

/* The account, in words (explain_print.c) or as JSON (--json). */
void explain_print(FILE *out, const explain_result *r);
int explain_print_json(FILE *out, const explain_result *r, sim_err *err);
/* The iteration as a timeline figure OUT (.png or .svg), its .dat and .gp
 * beside it (explain_timeline.c). */
int explain_timeline(const explain_result *r, const char *out, sim_err *err);

#endif
