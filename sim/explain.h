/* sim/explain.h -- mmsim explain: find an iteration whose outcome is not
 * SC, replay it with the cores traced, and say why (workloads/
 * explain_exec.h), then check the proposed fix by replaying the same
 * iteration with it.
 *
 * The iteration: the one asked for, or else the first of run.iterations
 * whose outcome is outside the test's SC outcome set (litmus_sc.h), or for
 * a map scenario the first its oracle gives an anomaly kind.  A replay is
 * the same iteration as inside the run (machine.h), and tracing changes
 * nothing it computes (trace.h TR2), so the traced outcome is the run's;
 * explain_run checks that and fails loudly if not.
 *
 * The fix: for a litmus test, the fences of the mechanisms inserted in a
 * copy of the test (litmus_explain_fixed); for a map scenario, the cheapest
 * variant that removes every mechanism found (scenario_explain.h).
 */
#ifndef MMSIM_SIM_EXPLAIN_H
#define MMSIM_SIM_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu/trace.h"
#include "../workloads/litmus_explain.h"
#include "../workloads/scenario_explain.h"
#include "config.h"
#include "hist.h"

/* Events one traced iteration keeps at most (trace.h's bound). */
#define EXPLAIN_TRACE_CAP 65536

typedef struct explain_result {
  litmus_test *t;             /* the litmus test, or NULL: */
  const wl_scenario *s;       /* the map scenario */
  const char *variant;        /* its variant */
  wl_explained w;             /* its names (w.x is moved to x) */
  const char *name;           /* of the test or scenario */
  unsigned nthreads;
  const char *model;
  uint64_t iteration;
  bool asked;                 /* --iteration given */
  bool found;                 /* an iteration to explain (asked, or a non-SC one found) */
  uint64_t searched;          /* iterations run to find it */
  char outcome[512];          /* its outcome, litmus format */
  bool cond;                  /* it satisfies the test's condition body (map: has an anomaly) */
  const char *anomaly;        /* map: the oracle's kind, or NULL */
  bool sc_known, sc;          /* its outcome is in the SC set (sc_known: the set was computed) */
  cpu_trace trace;
  uint64_t loc_addr[LITMUS_MAX_LOCS];
  explain_exec x;
  bool fix_tried, fix_sc;     /* the replay with the fix (map: fix_sc = no anomaly) */
  char fixed_outcome[512];
  const char *fix_variant;    /* map: the variant replayed, or NULL if none fixes it */
} explain_result;

/* Explain under config c (workload.kind litmus or map); errors as for a
 * run.  explain_map.c does maps. */
int explain_run(const cfg *c, bool asked, uint64_t iteration, explain_result *r, sim_err *err);
void explain_result_free(explain_result *r);
int explain__map(const cfg *c, explain_result *r, sim_err *err);

/* Words both the text and the JSON use (explain_print.c). */
const char *explain_loc_name(const explain_result *r, unsigned loc);
const char *explain_mech_field(const explain_result *r, unsigned i);
/* "P1 (reader)" */
void explain_thread_name(const explain_result *r, unsigned thread, char *buf, size_t n);
/* "P0's store x=1 (line 5: MOV [x],$1)", "P0 (writer)'s store count=3 (in assign)" */
void explain_access_words(const explain_result *r, const explain_access *a, char *buf, size_t n);
/* A litmus access's line, and its text in text. */
unsigned explain_insn(const explain_result *r, const explain_access *a, char *text, size_t n);
const char *explain_fence_name(const explain_result *r, mem_fence_kind k);
const char *explain_value(const explain_result *r, uint64_t v, char *buf, size_t n);

/* The account, in words (explain_print.c) or as JSON (--json). */
void explain_print(FILE *out, const explain_result *r);
/* Each spinlock's acquisitions and releases in a litmus iteration
 * (explain_locks.c): printed (nothing for a test without locks), or listed
 * for lock word loc, in trace order, up to cap of them. */
typedef struct explain_lock_ev {
  unsigned thread;
  bool took;                /* took the lock, else released it */
  uint64_t cycle;           /* when: the CAS that won, or the release's drain (UINT64_MAX: never) */
  uint64_t since;           /* took: its first attempt since it last held the lock */
  uint64_t stored;          /* released: when the store entered the store buffer */
  unsigned cas_failed, spins; /* took: the wait's failed CASes and spinning loads */
} explain_lock_ev;
#define EXPLAIN_LOCK_EVENTS 256
void explain__print_locks(FILE *out, const explain_result *r);
unsigned explain__lock_events(const explain_result *r, unsigned loc, explain_lock_ev *ev, unsigned cap);
int explain_print_json(FILE *out, const explain_result *r, sim_err *err);
/* The iteration as a timeline figure OUT (.png or .svg), its .dat and .gp
 * beside it (explain_timeline.c). */
int explain_timeline(const explain_result *r, const char *out, sim_err *err);

#endif
