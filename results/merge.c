/* results/merge.c -- shards from many machines into one database (mmsim
 * merge, DESIGN.md "Beyond one machine").
 *
 * A shard is checked first by opening it read-only (db_open_readonly:
 * refused unless it is an mmsim database of exactly our schema version), then
 * attached to the output and copied in one transaction: a failure leaves
 * the output as it was (D1).  Experiments are matched by (name, created_at,
 * config_json), so one sweep's shards land in one experiment.
 *
 * A run already present is skipped, never duplicated: a simulated run is
 * the same run when engine, workload, model, seed, iterations and the
 * resolved config's hash agree (the simulator is deterministic, so it
 * would have the same rows); a native run also needs the same host and
 * start time, since the host is its randomness.  Only finished runs
 * (status done) are copied.
 *
 * A shard that is the output itself -- the same path, another path to it,
 * or a hard link: the same st_dev and st_ino -- is refused at once.
 * Attaching it would wait for the output's own write lock until the busy
 * timeout (30 s) and then fail with "database is locked".  db_merge_check
 * makes that and the schema checks for every shard before the output is
 * opened, so `mmsim merge NEW.db BAD.db` does not leave NEW.db behind.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db_int.h"

/* Copy one table's rows of shard run `from` to run `to`. */
static int copy_rows(db *d, const char *table, const char *cols, int64_t from, int64_t to,
                     sim_err *err) {
  char sql[256];
  snprintf(sql, sizeof sql, "INSERT INTO main.%s (run_id, %s) SELECT ?1, %s FROM shard.%s "
           "WHERE run_id = ?2", table, cols, cols, table);
  sqlite3_stmt *s = NULL;
  int rc = db__prepare(d, sql, &s);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(s, 1, to);
    sqlite3_bind_int64(s, 2, from);
    rc = db__step(d, s);
  }
  int code = rc == SQLITE_DONE ? 0 : db__fail(d, err, rc, "merge: %s of run %" PRId64, table, from);
  sqlite3_finalize(s);
  return code;
}

static int merge_runs(db *d, db_merge_stats *st, sim_err *err) {
  static const char *const experiments =
      "INSERT INTO main.experiments (name, created_at, config_json) "
      "SELECT name, created_at, config_json FROM shard.experiments e WHERE NOT EXISTS "
      "(SELECT 1 FROM main.experiments m WHERE m.name = e.name AND m.created_at = e.created_at "
      "AND m.config_json IS e.config_json)";
  static const char *const runs =
      "SELECT s.id, (SELECT m.id FROM main.experiments m JOIN shard.experiments e ON "
      "m.name = e.name AND m.created_at = e.created_at AND m.config_json IS e.config_json "
      "WHERE e.id = s.experiment_id), EXISTS (SELECT 1 FROM main.runs r WHERE "
      "r.status = 'done' AND r.engine = s.engine AND r.workload = s.workload AND "
      "r.model = s.model AND r.seed = s.seed AND r.iterations = s.iterations AND "
      "r.config_hash IS s.config_hash AND (s.engine = 'sim' OR "
      "(r.host IS s.host AND r.started_at = s.started_at))) "
      "FROM shard.runs s WHERE s.status = 'done' ORDER BY s.id";
  static const char *const insert =
      "INSERT INTO main.runs (experiment_id, engine, workload, model, seed, iterations, "
      "status, started_at, wall_s, sim_cycles, host, config_json, config_hash, version) "
      "SELECT ?1, engine, workload, model, seed, iterations, 'running', started_at, wall_s, "
      "sim_cycles, host, config_json, config_hash, version FROM shard.runs WHERE id = ?2";
  int rc = db__exec(d, experiments);
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "merge: experiments");
  sqlite3_stmt *sel = NULL, *ins = NULL, *done = NULL;
  int code = 0;
  if ((rc = db__prepare(d, runs, &sel)) != SQLITE_OK ||
      (rc = db__prepare(d, insert, &ins)) != SQLITE_OK ||
      (rc = db__prepare(d, "UPDATE main.runs SET status = 'done' WHERE id = ?1", &done)) !=
          SQLITE_OK) {
    code = db__fail(d, err, rc, "merge: prepare");
    goto out;
  }
  while ((rc = db__step(d, sel)) == SQLITE_ROW) {
    int64_t from = sqlite3_column_int64(sel, 0);
    if (sqlite3_column_int(sel, 2)) {
      st->skipped++;
      continue;
    }
    sqlite3_reset(ins);
    if (sqlite3_column_type(sel, 1) == SQLITE_NULL)
      sqlite3_bind_null(ins, 1);
    else
      sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 1));
    sqlite3_bind_int64(ins, 2, from);
    if ((rc = db__step(d, ins)) != SQLITE_DONE) {
      code = db__fail(d, err, rc, "merge: run %" PRId64, from);
      goto out;
    }
    int64_t to = sqlite3_last_insert_rowid(d->h);
    if ((code = copy_rows(d, "params", "key, value", from, to, err)) ||
        (code = copy_rows(d, "outcomes", "outcome, count, forbidden, anomaly", from, to, err)) ||
        (code = copy_rows(d, "metrics", "key, value", from, to, err)))
      goto out;
    sqlite3_reset(done);
    sqlite3_bind_int64(done, 1, to); /* D1: done last */
    if ((rc = db__step(d, done)) != SQLITE_DONE) {
      code = db__fail(d, err, rc, "merge: run %" PRId64, from);
      goto out;
    }
    st->merged++;
  }
  if (rc != SQLITE_DONE) code = db__fail(d, err, rc, "merge: runs");
out:
  sqlite3_finalize(sel);
  sqlite3_finalize(ins);
  sqlite3_finalize(done);
  return code;
}

/* The same file: one inode on one device.  A path that does not exist is
 * no file, so it is nobody's twin. */
static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

static int check_shard(const char *out_path, const char *shard_path, sim_err *err) {
  if (!strcmp(out_path, shard_path) || same_file(out_path, shard_path))
    return sim_errf(err, SIM_EINVAL, "%s: is the output database %s itself; a database "
                                     "cannot be merged into itself", shard_path, out_path);
  db *shard = NULL;
  int code = db_open_readonly(shard_path, &shard, err); /* the schema checks */
  db_close(shard);
  return code;
}

int db_merge_check(const char *out_path, const char *const *shards, size_t n, sim_err *err) {
  for (size_t i = 0; i < n; i++) {
    int code = check_shard(out_path, shards[i], err);
    if (code) return code;
  }
  return 0;
}

int db_merge(db *out, const char *shard_path, db_merge_stats *st, sim_err *err) {
  st->merged = st->skipped = 0;
  const char *out_file = sqlite3_db_filename(out->h, "main");
  int code = check_shard(out_file && *out_file ? out_file : out->path, shard_path, err);
  if (code) return code;
  sqlite3_stmt *s = NULL;
  int rc = db__prepare(out, "ATTACH DATABASE ?1 AS shard", &s);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(s, 1, shard_path, -1, SQLITE_STATIC);
    rc = db__step(out, s);
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return db__fail(out, err, rc, "merge: attach %s", shard_path);
  if ((rc = db__exec(out, "BEGIN IMMEDIATE")) != SQLITE_OK) {
    code = db__fail(out, err, rc, "merge: begin");
  } else if ((code = merge_runs(out, st, err)) == 0 &&
             (rc = db__exec(out, "COMMIT")) != SQLITE_OK) {
    code = db__fail(out, err, rc, "merge: commit");
  }
  if (code) {
    db__rollback(out);
    st->merged = 0;
    sim_err_prefix(err, "%s", shard_path);
  }
  db__exec(out, "DETACH DATABASE shard");
  return code;
}
