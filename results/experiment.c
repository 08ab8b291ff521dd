/* results/experiment.c -- experiments found by identity, for runs that join
 * one instead of starting their own (mmsim sweep, mmsim run --experiment).
 *
 * An experiment's identity is its name and its config_json (the config as
 * the user gave it, sweep included): running the same sweep again must land
 * in the same experiment, and a different config under the same name is a
 * different experiment.  created_at narrows the match when given: the shards
 * of one `mmsim sweep --emit-jobs` all carry the same created_at, so that
 * `mmsim merge`, which matches experiments by (name, created_at,
 * config_json), joins them into one experiment.
 *
 * Find-or-create runs in one BEGIN IMMEDIATE transaction: sweep workers
 * writing their first runs at the same moment must agree on one experiment,
 * and the write lock taken up front makes the second one see the first's row.
 * Inside a transaction of the caller's (db_begin: a run and the experiment
 * it creates, stored together) the join is a SAVEPOINT of it instead.
 * When several experiments match (two emit-jobs before any merge), the
 * oldest (lowest id) is the one joined; the done runs of all of them count
 * as done, so no point runs twice.
 */
#include <inttypes.h>
#include <string.h>

#include "db_int.h"

#define MATCH(e) e "name = ?1 AND " e "config_json IS ?2 AND (?3 IS NULL OR " e "created_at = ?3)"

static void bind_identity(sqlite3_stmt *s, const char *name, const char *config_json,
                          const char *created_at) {
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  if (config_json) sqlite3_bind_text(s, 2, config_json, -1, SQLITE_STATIC);
  if (created_at) sqlite3_bind_text(s, 3, created_at, -1, SQLITE_STATIC);
}

int db_experiment_find(db *d, const char *name, const char *config_json, const char *created_at,
                       int64_t *id, char created_out[32], sim_err *err) {
  sqlite3_stmt *s = NULL;
  *id = 0;
  if (created_out) created_out[0] = '\0';
  int rc = db__prepare(d, "SELECT id, created_at FROM experiments WHERE " MATCH("")
                          " ORDER BY id LIMIT 1", &s);
  if (rc == SQLITE_OK) {
    bind_identity(s, name, config_json, created_at);
    rc = db__step(d, s);
  }
  int code = 0;
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(s, 0);
    const char *t = (const char *)sqlite3_column_text(s, 1);
    if (created_out) snprintf(created_out, 32, "%s", t ? t : "");
  } else if (rc != SQLITE_DONE) {
    code = db__fail(d, err, rc, "finding experiment '%s'", name);
  }
  sqlite3_finalize(s);
  return code;
}

int db_experiment_join(db *d, const char *name, const char *config_json, const char *created_at,
                       int64_t *id, sim_err *err) {
  if (!name || !*name) return sim_errf(err, SIM_EINVAL, "%s: experiment name is empty", d->path);
  int nested = !sqlite3_get_autocommit(d->h);
  int rc = db__exec(d, nested ? "SAVEPOINT experiment_join" : "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "joining experiment '%s': begin", name);
  int code = db_experiment_find(d, name, config_json, created_at, id, NULL, err);
  if (!code && !*id) {
    sqlite3_stmt *s = NULL;
    rc = db__prepare(d, "INSERT INTO experiments(name, created_at, config_json) VALUES (?1, "
                        "coalesce(?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), ?2)", &s);
    if (rc == SQLITE_OK) {
      bind_identity(s, name, config_json, created_at);
      rc = db__step(d, s);
    }
    if (rc == SQLITE_DONE) *id = sqlite3_last_insert_rowid(d->h);
    else code = db__fail(d, err, rc, "creating experiment '%s'", name);
    sqlite3_finalize(s);
  }
  if (!code && (rc = db__exec(d, nested ? "RELEASE experiment_join" : "COMMIT")) != SQLITE_OK)
    code = db__fail(d, err, rc, "joining experiment '%s': commit", name);
  if (code) {
    if (nested) {
      db__exec(d, "ROLLBACK TO experiment_join");
      db__exec(d, "RELEASE experiment_join");
    } else {
      db__rollback(d);
    }
    *id = 0;
  }
  return code;
}

int db_experiment_done_hashes(db *d, const char *name, const char *config_json,
                              void (*fn)(void *ctx, const char *hash), void *ctx, sim_err *err) {
  sqlite3_stmt *s = NULL;
  int rc = db__prepare(d, "SELECT r.config_hash FROM runs r JOIN experiments e ON "
                          "e.id = r.experiment_id WHERE r.status = 'done' AND r.engine = 'sim' "
                          "AND r.config_hash IS NOT NULL AND " MATCH("e."), &s);
  if (rc == SQLITE_OK) {
    bind_identity(s, name, config_json, NULL);
    while ((rc = db__step(d, s)) == SQLITE_ROW) fn(ctx, (const char *)sqlite3_column_text(s, 0));
  }
  int code = rc == SQLITE_DONE ? 0 : db__fail(d, err, rc, "reading the runs of '%s'", name);
  sqlite3_finalize(s);
  return code;
}
