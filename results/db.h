/* results/db.h -- the results database: one SQLite file per study.
 *
 * Schema (DESIGN.md "Interfaces"): experiments, runs, params, outcomes,
 * metrics, plus views with anomaly and reorder rates and Wilson 95% intervals.
 * WAL mode; PRAGMA user_version holds the schema version and db_open applies
 * forward migrations in order.  A file whose user_version is newer than ours,
 * or that is not an mmsim database, is refused with SIM_ESCHEMA.
 *
 * Invariants:
 *   D1  A run is written in one transaction; its status becomes 'done' as the
 *       last statement, so a reader never sees a half run as done and an
 *       interrupted writer leaves no row at all.
 *   D2  Read-only commands open the file with SQLITE_OPEN_READONLY.
 */
#ifndef MMSIM_RESULTS_DB_H
#define MMSIM_RESULTS_DB_H

#include <stdint.h>
#include <stdio.h>

#include "../sim/err.h"

typedef struct db db; /* opaque */

#define DB_SCHEMA_VERSION 4

typedef struct db_param { const char *key, *value; } db_param;
typedef struct db_metric { const char *key; double value; } db_metric;
typedef struct db_outcome {
  const char *outcome; /* "0:EAX=0; 1:EAX=0;" */
  uint64_t count;
  int forbidden;       /* 0/1 */
  const char *anomaly; /* kind, or NULL when the outcome is SC */
} db_outcome;

typedef struct db_run {
  const char *engine;   /* "sim" or "native" */
  const char *workload; /* litmus test name or scenario */
  const char *model;    /* "sc", "tso", ... or the host for native */
  uint64_t seed, iterations, sim_cycles;
  double wall_s;
  const char *host;
  const char *config_json; /* fully resolved */
  const char *config_hash;
  const db_param *params;     size_t nparams;
  const db_outcome *outcomes; size_t noutcomes;
  const db_metric *metrics;   size_t nmetrics;
} db_run;

/* Lifetime.  db_open creates or migrates; errors name the path. */
int db_open(const char *path, db **out, sim_err *err);
/* Read-only (results/readonly.c R1-R3): never writes the file, reads only
 * its own tables, works in a read-only directory; an older schema is first
 * migrated forward when the file can be written. */
int db_open_readonly(const char *path, db **out, sim_err *err);
void db_close(db *d);

/* The same as a bare SQLite handle, for code with its own SQL (plots/). */
struct sqlite3;
int db_sqlite_open_readonly(const char *path, struct sqlite3 **h, sim_err *err);

/* R4: a --where to paste inside parentheses is one condition (SIM_EUSAGE
 * naming the column otherwise). */
int db_where_check(const char *where, sim_err *err);

/* Writing (D1).  experiment_id <= 0: the run belongs to no experiment.
 * Integers above INT64_MAX are SIM_EINVAL; non-finite metrics are NULL. */
int db_experiment_create(db *d, const char *name, const char *config_json,
                         int64_t *id, sim_err *err);
int db_run_write(db *d, int64_t experiment_id, const db_run *r, int64_t *run_id,
                 sim_err *err);

/* A transaction of the caller's, so that several writes are one (a run
 * and the experiment row it creates: a run that fails to be stored leaves
 * no experiment behind).  db_begin is BEGIN IMMEDIATE; inside it
 * db_run_write and db_experiment_join nest as SAVEPOINTs and
 * db_experiment_create is one statement of it.  db_rollback is a no-op
 * when no transaction is open. */
int db_begin(db *d, sim_err *err);
int db_commit(db *d, sim_err *err);
void db_rollback(db *d);

/* Experiments by identity (experiment.c): name and config_json, and
 * created_at when not NULL.  find: the oldest match, *id = 0 when none;
 * created_out (may be NULL) gets its created_at.  join: find, or create one
 * (created_at NULL: now), in one transaction, so parallel writers agree.
 * done_hashes: fn(ctx, config_hash) for each done sim run of every
 * experiment with that name and config_json (any created_at). */
int db_experiment_find(db *d, const char *name, const char *config_json, const char *created_at,
                       int64_t *id, char created_out[32], sim_err *err);
int db_experiment_join(db *d, const char *name, const char *config_json, const char *created_at,
                       int64_t *id, sim_err *err);
int db_experiment_done_hashes(db *d, const char *name, const char *config_json,
                              void (*fn)(void *ctx, const char *hash), void *ctx, sim_err *err);

/* Claims of sweep points (claim.c, sweep.h W2).  A point is the run of
 * config hash `hash` in the experiment identified by (name, config_json).
 * An owner is a process: pid, its kernel start time (pid_start, to tell a
 * reused pid apart) and host.
 *
 * take, in one BEGIN IMMEDIATE transaction: DB_CLAIM_DONE when a done sim
 * run of the point exists; else DB_CLAIM_TAKEN when the point had no claim,
 * or me already held it, or its holder is gone (alive(ctx, holder) false):
 * the claim is now me's; else DB_CLAIM_HELD, *holder (may be NULL) filled.
 * The claim is released by the run itself: marking it done deletes the
 * claim in the same transaction (schema.c, runs_release_claim).
 * take sets the handle's PRAGMA synchronous to NORMAL (claim.c C5): claim
 * on a handle of its own.
 * release: deletes me's claim of the point, for a run that failed. */
typedef struct db_owner {
  int64_t pid, pid_start;
  char host[256];
  char claimed_at[32]; /* filled for a holder; ignored in me */
} db_owner;
typedef enum { DB_CLAIM_TAKEN, DB_CLAIM_DONE, DB_CLAIM_HELD } db_claim_state;
int db_claim_take(db *d, const char *name, const char *config_json, const char *hash,
                  const db_owner *me, int (*alive)(void *ctx, const db_owner *o), void *ctx,
                  db_claim_state *state, db_owner *holder, sim_err *err);
int db_claim_release(db *d, const char *name, const char *config_json, const char *hash,
                     const db_owner *me, sim_err *err);

/* Reading (D2).  Tables are printed aligned with a header line. */
int db_query_print(db *d, const char *sql, FILE *out, sim_err *err);
int db_runs_print(db *d, FILE *out, sim_err *err); /* db_runs_list, no filter */
/* The runs that pass every given filter (NULL fields: no filter), with a
 * column per config key whose value differs among them and the version of
 * mmsim that stored each.  where is an SQL condition over runs r and
 * experiments e; a bad one is SIM_EUSAGE naming --where. */
typedef struct db_runs_filter { const char *experiment, *workload, *model, *where; } db_runs_filter;
int db_runs_list(db *d, const db_runs_filter *f, FILE *out, sim_err *err);
/* fn(ctx, key, value) for each metric of run_id whose key starts with
 * prefix, in key order; SIM_EINVAL naming the run when it does not exist. */
int db_metrics_each(db *d, int64_t run_id, const char *prefix,
                    void (*fn)(void *ctx, const char *key, double value), void *ctx,
                    sim_err *err);
typedef enum { DB_CSV, DB_JSON } db_format;
int db_export(db *d, db_format f, FILE *out, sim_err *err);
/* Run run_id's resolved config (malloc'd), to replay it; SIM_EINVAL for no
 * such run or one stored without a config (an imported log). */
int db_run_config(db *d, int64_t run_id, char **json, sim_err *err);

/* Merging (merge.c): copy shard's finished runs into out in one
 * transaction, skipping runs out already has; refuses a shard that is not
 * an mmsim database of our schema version.  On failure out is unchanged. */
typedef struct db_merge_stats { uint64_t merged, skipped; } db_merge_stats;
int db_merge(db *out, const char *shard_path, db_merge_stats *st, sim_err *err);
/* Before opening (so creating) out_path: every shard passes db_merge's
 * checks -- an mmsim database of our version, not out_path itself by any
 * path or hard link (SIM_EINVAL, at once rather than after a lock wait). */
int db_merge_check(const char *out_path, const char *const *shards, size_t n, sim_err *err);

/* Importing (import_litmus7.c): litmus7/klitmus7 logs, each test one
 * native run, all of them in one transaction with one experiment row.
 * Every log is parsed before anything is written; a malformed one is
 * SIM_ESYNTAX "FILE:LINE: ..." and the database is left as it was. */
typedef struct db_import_stats { uint64_t files, tests; } db_import_stats;
int db_import_litmus7(db *d, const char *const *paths, size_t npaths, db_import_stats *st,
                      sim_err *err);

/* For tests: make the Nth SQLite step from now fail (0 = never). */
void db_fail_after(db *d, int n);

#endif
