/* results/db_int.h -- what the files of results/ share; nothing outside
 * results/ includes it (STYLE.md 2, after SQLite's btreeInt.h).
 *
 * The layout of the db handle and the three doors every SQL statement goes
 * through.  All statement execution -- sqlite3_step and what would be
 * sqlite3_exec -- passes db__step(), so that db_fail_after() can fail any one
 * of them (STYLE.md 7: SQLite's I/O-error loops).
 *
 * Invariants:
 *   DI1  No file of results/ calls sqlite3_step or sqlite3_exec directly:
 *        only db__step does.  (grep sqlite3_step results/ finds one call.)
 *   DI2  fail_after counts down once per db__step; when it reaches zero that
 *        step returns SQLITE_IOERR without running, `injected` is set, and
 *        the counter disarms (a fault fires once, so the ROLLBACK that
 *        follows it runs for real).
 *   DI3  Error messages are "PATH: WHAT: SQLITE-MESSAGE", built by db__fail
 *        before any cleanup statement can overwrite sqlite3_errmsg().
 */
#ifndef MMSIM_RESULTS_DB_INT_H
#define MMSIM_RESULTS_DB_INT_H

#include <sqlite3.h>

#include "db.h"

/* How long a connection waits for another process's lock (busy_timeout),
 * and schema.c for another process's switch to WAL. */
#define DB_BUSY_TIMEOUT_MS 30000

struct db {
  sqlite3 *h;
  char *path;     /* as given to db_open, for messages */
  int readonly;   /* D2: opened with SQLITE_OPEN_READONLY */
  int fail_after; /* DI2: steps until an injected failure; 0 = never */
  int injected;   /* DI2: the last failure was ours, not SQLite's */
};

/* Statements (DI1) */
int db__step(db *d, sqlite3_stmt *s);                 /* sqlite3_step + DI2 */
int db__exec(db *d, const char *sql);                 /* every statement of sql */
int db__prepare(db *d, const char *sql, sqlite3_stmt **s);

/* Errors (DI3).  rc is the SQLite result code that failed; the sim code is
 * derived from it (CANTOPEN, READONLY, ... -> EDB; IOERR, FULL -> EIO;
 * NOTADB -> ESCHEMA; CONSTRAINT -> EINVAL; NOMEM -> ENOMEM). */
int db__fail(db *d, sim_err *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int db__code(int rc);

/* Transactions: ROLLBACK if one is open, keeping the caller's error. */
void db__rollback(db *d);

/* Schema (schema.c).  db__schema_migrate runs on a read-write handle:
 * checks the file is mmsim's and not newer, applies migrations, turns WAL
 * on.  db__schema_check runs on a read-only handle: the same refusals, and
 * an older or empty file is refused too since it cannot be migrated. */
int db__schema_migrate(db *d, sim_err *err);
int db__schema_check(db *d, sim_err *err);
/* The file's schema version when it is mmsim's and older than this mmsim's
 * (1 .. DB_SCHEMA_VERSION - 1), else 0. */
int64_t db__schema_older(db *d);

/* A read-only SQLite handle with readonly.c's R1-R3; on failure the SQLite
 * code, and why (n bytes) says what. */
int db__readonly_open(const char *path, sqlite3 **h, char *why, size_t n);

#endif
