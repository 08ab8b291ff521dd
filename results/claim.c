/* results/claim.c -- durable claims of sweep points (db.h "Claims", the
 * claims table of schema.c).
 *
 * Why a table: the done set a sweep reads when it starts says nothing about
 * points other processes are running at that moment -- the orphaned workers
 * of a sweep killed with kill -9, or a second sweep of the same grid -- and
 * both would store such a point a second time.  A claim row says "this
 * process runs this point"; it lives in the database the runs go to, so
 * every sweep on that file sees it, and it survives its owner, so a crash
 * leaves a claim that the next sweep can recognise as abandoned.
 *
 * Invariants:
 *   C1  take is one BEGIN IMMEDIATE transaction: the done check, the read
 *       of the claim and its insert or takeover see one state of the file,
 *       and two processes cannot both take one point.
 *   C2  A claim is taken over only when alive() says its holder is gone;
 *       alive() errs towards "alive" (another host cannot be looked at), so
 *       a point is never run twice because of a guess.
 *   C3  A point with a done run is never claimed (DB_CLAIM_DONE).
 *   C4  A claim disappears in the transaction that marks its point's run
 *       done (the runs_release_claim trigger), or by release after a failed
 *       run; a holder that dies leaves it for C2.
 *   C5  A claim outlives its process, not the machine: take commits with
 *       synchronous NORMAL, without the fsync a run's commit pays.  A claim
 *       a power cut loses was held by a process that is gone with it, which
 *       is C2's case anyway; the fsync was most of a claim's cost (about 10
 *       ms a point on this machine's disk, a tenth of a short run).
 *
 * Rejected: a lease with a time-out (a run may take hours, and a clock is
 * not evidence that a process died); advisory file locks (they vanish with
 * the process, but not across hosts sharing a file, and a lock says nothing
 * about which point is held).
 */
#include <inttypes.h>
#include <string.h>

#include "db_int.h"

#define POINT "name = ?1 AND config_json = ?2 AND config_hash = ?3"

static void bind_point(sqlite3_stmt *s, const char *name, const char *config_json,
                       const char *hash) {
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, config_json, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, hash, -1, SQLITE_STATIC);
}

static void bind_owner(sqlite3_stmt *s, const db_owner *o) {
  sqlite3_bind_int64(s, 4, o->pid);
  sqlite3_bind_int64(s, 5, o->pid_start);
  sqlite3_bind_text(s, 6, o->host, -1, SQLITE_STATIC);
}

static int same_owner(const db_owner *a, const db_owner *b) {
  return a->pid == b->pid && a->pid_start == b->pid_start && strcmp(a->host, b->host) == 0;
}

/* One prepared, bound statement stepped once: SQLITE_ROW or SQLITE_DONE. */
static int step_point(db *d, const char *sql, const char *name, const char *config_json,
                      const char *hash, const db_owner *o, sqlite3_stmt **s) {
  int rc = db__prepare(d, sql, s);
  if (rc != SQLITE_OK) return rc;
  bind_point(*s, name, config_json, hash);
  if (o) bind_owner(*s, o);
  return db__step(d, *s);
}

/* C3 */
static int point_done(db *d, const char *name, const char *config_json, const char *hash,
                      int *done) {
  sqlite3_stmt *s = NULL;
  int rc = step_point(d, "SELECT EXISTS (SELECT 1 FROM runs r JOIN experiments e ON "
                         "e.id = r.experiment_id WHERE r.config_hash = ?3 AND r.status = 'done' "
                         "AND r.engine = 'sim' AND e.name = ?1 AND e.config_json IS ?2)",
                      name, config_json, hash, NULL, &s);
  if (rc == SQLITE_ROW) *done = sqlite3_column_int(s, 0), rc = SQLITE_OK;
  sqlite3_finalize(s);
  return rc;
}

/* The holder of the point's claim; *found 0 when there is none. */
static int read_claim(db *d, const char *name, const char *config_json, const char *hash,
                      db_owner *h, int *found) {
  sqlite3_stmt *s = NULL;
  int rc = step_point(d, "SELECT pid, pid_start, host, claimed_at FROM claims WHERE " POINT,
                      name, config_json, hash, NULL, &s);
  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW) {
    const char *host = (const char *)sqlite3_column_text(s, 2);
    const char *at = (const char *)sqlite3_column_text(s, 3);
    h->pid = sqlite3_column_int64(s, 0);
    h->pid_start = sqlite3_column_int64(s, 1);
    snprintf(h->host, sizeof h->host, "%s", host ? host : "");
    snprintf(h->claimed_at, sizeof h->claimed_at, "%s", at ? at : "");
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  }
  sqlite3_finalize(s);
  return rc;
}

int db_claim_take(db *d, const char *name, const char *config_json, const char *hash,
                  const db_owner *me, int (*alive)(void *ctx, const db_owner *o), void *ctx,
                  db_claim_state *state, db_owner *holder, sim_err *err) {
  if (d->readonly) return sim_errf(err, SIM_EDB, "%s: opened read-only; cannot claim", d->path);
  /* C5: no fsync for a claim (WAL with synchronous NORMAL still commits
   * atomically, and in order with the fsync'd run commits after it). */
  int rc = db__exec(d, "PRAGMA synchronous = NORMAL");
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "claiming point %s", hash);
  rc = db__exec(d, "BEGIN IMMEDIATE"); /* C1 */
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "claiming point %s: begin", hash);
  int done = 0, found = 0;
  db_owner h;
  memset(&h, 0, sizeof h);
  if ((rc = point_done(d, name, config_json, hash, &done)) != SQLITE_OK) goto fail;
  if (done) {
    *state = DB_CLAIM_DONE;
  } else {
    if ((rc = read_claim(d, name, config_json, hash, &h, &found)) != SQLITE_OK) goto fail;
    if (found && !same_owner(&h, me) && alive(ctx, &h)) { /* C2 */
      *state = DB_CLAIM_HELD;
      if (holder) *holder = h;
    } else {
      sqlite3_stmt *s = NULL;
      rc = step_point(d, "INSERT OR REPLACE INTO claims(name, config_json, config_hash, pid, "
                         "pid_start, host, claimed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                         "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                      name, config_json, hash, me, &s);
      sqlite3_finalize(s);
      if (rc != SQLITE_DONE) goto fail;
      *state = DB_CLAIM_TAKEN;
    }
  }
  if ((rc = db__exec(d, "COMMIT")) != SQLITE_OK) goto fail;
  return 0;
fail:;
  int code = db__fail(d, err, rc, "claiming point %s", hash);
  db__rollback(d);
  return code;
}

int db_claim_release(db *d, const char *name, const char *config_json, const char *hash,
                     const db_owner *me, sim_err *err) {
  sqlite3_stmt *s = NULL;
  int rc = step_point(d, "DELETE FROM claims WHERE " POINT " AND pid = ?4 AND pid_start = ?5 "
                         "AND host = ?6", name, config_json, hash, me, &s);
  int code = rc == SQLITE_DONE ? 0 : db__fail(d, err, rc, "releasing the claim of point %s", hash);
  sqlite3_finalize(s);
  return code;
}
