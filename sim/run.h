/* sim/run.h -- the experiment runner: a resolved config in, a stored run out.
 *
 * A session is one experiment in one database.  run_config runs the
 * config's workload, prints its report and writes it as one run (D1 of
 * results/db.h: all or nothing).  The database is opened before anything is
 * simulated, so a bad path fails in a millisecond, not after the run.
 */
#ifndef MMSIM_SIM_RUN_H
#define MMSIM_SIM_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "err.h"

typedef struct run_session run_session;

typedef struct run_opts {
  const char *db_path;     /* NULL: print only, store nothing */
  const char *experiment;  /* experiment name */
  const char *config_json; /* the experiment's config as given (sweep included) */
  FILE *out;               /* report; NULL for none */
  bool join;               /* join the experiment (experiment, config_json[, created_at])
                              if one exists (results/experiment.c), else one per session */
  const char *created_at;  /* join: also match, and create with, this time; NULL: any/now */
  bool replay;             /* run only iteration `iteration`; never stored */
  uint64_t iteration;
  unsigned jobs;           /* host threads per simulated run (sim/par.h); 0: all */
} run_opts;

int run_session_open(run_session **out, const run_opts *o, sim_err *err);
void run_session_close(run_session *s);

/* Run c's workload.  *matched is false when a litmus test's observation
 * disagrees with its expectation for the model (may be NULL). */
int run_config(run_session *s, const cfg *c, bool *matched, sim_err *err);

/* Run c's map scenario natively (mmsim native) and store it with engine
 * "native", the host's CPU model as model and host.cpu/host.cores params. */
int run_native_config(run_session *s, const cfg *c, bool *matched, sim_err *err);

/* Store a map scenario's result that the caller ran (mmsim calibrate runs
 * everything first and stores once the fit is known, its calibrate.*
 * metrics in r->metrics).  h: the host of a native run (engine "native",
 * model h->cpu, host.* params); NULL for a simulated run (engine "sim",
 * model cpu.model).  Prints nothing when the session's out is NULL. */
struct wl_result;
struct native_host;
int run_store_map(run_session *s, const cfg *c, struct wl_result *r,
                  const struct native_host *h, sim_err *err);

/* The same for a litmus test's result: its outcomes marked against model's
 * expectation and the SC set sc (NULL: unknown, as sim/run.c's runs). */
struct litmus_test;
struct litmus_result;
struct sim_hist;
int run_store_litmus(run_session *s, const cfg *c, const struct litmus_test *t,
                     struct litmus_result *r, const struct sim_hist *sc, const char *model,
                     const struct native_host *h, sim_err *err);
/* c's litmus test (workload.litmus); errors name the config and key. */
int run_load_litmus(const cfg *c, struct litmus_test **t, sim_err *err);
/* The model a native litmus run is checked and stored against: the host
 * architecture's (x86: tso). */
const char *run_host_model(void);

/* The session's experiment, 0 until its first run is stored. */
int64_t run_session_experiment(const run_session *s);

/* The path of c's litmus file: relative paths resolve against cfg_dir. */
void run_litmus_path(const cfg *c, char *buf, size_t n);

#endif
