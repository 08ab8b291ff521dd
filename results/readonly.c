/* results/readonly.c -- how a reading command opens a database, and the
 * --where conditions it pastes into its SQL.
 *
 * Every reader (runs, query, export, plot, a merge's shards) goes through
 * db__readonly_open, which makes three promises:
 *   R1  It never writes a file.  The handle is SQLITE_OPEN_READONLY with
 *       PRAGMA query_only, which also refuses VACUUM INTO '/any/path' (a
 *       statement sqlite3_stmt_readonly calls read-only, since it leaves
 *       the database itself alone); an authorizer refuses ATTACH, DDL, DML
 *       and pragmas that set something, so user SQL cannot lift query_only.
 *   R2  Statements read the database's own tables only: SELECT, READ of
 *       main or temp, functions, WITH RECURSIVE, read pragmas, and BEGIN
 *       and COMMIT for a consistent snapshot.
 *   R3  A database in a directory the user cannot write is still readable.
 *       WAL readers need the -shm file, which SQLite cannot create there;
 *       when the first read fails so, the file is opened again with
 *       immutable=1, which reads the main file without locks or WAL.  That
 *       is exact for a database no one is writing, which a read-only
 *       directory implies (a writer could not make its -wal there either).
 *
 * db_where_check (R4) makes a --where one condition: it is pasted inside
 * parentheses, so it must not close them, open a comment that swallows the
 * closing one, or end the statement.  Quotes are followed so that a ')' or
 * '--' inside a string is text.  With that, `1)) UNION SELECT ...` cannot
 * forge a series; it can only filter.
 *
 * Rejected: binding --where as a parameter (it is SQL, not a value), and
 * parsing it ourselves into an expression tree (SQLite's grammar is the
 * one users know; the lexical check plus R1/R2 leave it nothing to abuse).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

/* Pragmas that take an argument and only read (R1: all others with an
 * argument set something). */
static const char *const read_pragmas[] = {
    "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", NULL,
};

static int authorize(void *ctx, int action, const char *a, const char *b, const char *dbname,
                     const char *trigger) {
  (void)ctx, (void)trigger;
  switch (action) {
  case SQLITE_SELECT:
  case SQLITE_FUNCTION:
  case SQLITE_RECURSIVE:
  case SQLITE_TRANSACTION: /* a read snapshot (export) */
    return SQLITE_OK;
  case SQLITE_READ: /* R2 */
    return !dbname || !strcmp(dbname, "main") || !strcmp(dbname, "temp") ? SQLITE_OK
                                                                         : SQLITE_DENY;
  case SQLITE_PRAGMA:
    if (!b) return SQLITE_OK;
    for (const char *const *p = read_pragmas; *p; p++)
      if (a && !strcmp(a, *p)) return SQLITE_OK;
    return SQLITE_DENY;
  default:
    return SQLITE_DENY;
  }
}

/* path as a file: URI, with the characters a URI gives meaning escaped. */
static char *file_uri(const char *path, const char *query) {
  size_t n = strlen(path);
  char *u = malloc(3 * n + strlen(query) + 8), *q = u;
  if (!u) return NULL;
  q += sprintf(q, "file:");
  for (const char *p = path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#')
      q += sprintf(q, "%%%02X", (unsigned char)*p);
    else
      *q++ = *p;
  }
  sprintf(q, "?%s", query);
  return u;
}

/* One read of the schema: what fails when WAL cannot be read (R3). */
static int probe(sqlite3 *h) {
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_schema", -1, &s, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(s) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(h);
  sqlite3_finalize(s);
  return rc;
}

int db__readonly_open(const char *path, sqlite3 **out, char *why, size_t n) {
  sqlite3 *h = NULL;
  int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK && (rc = probe(h)) != SQLITE_OK && (rc & 0xff) != SQLITE_NOTADB &&
      (rc & 0xff) != SQLITE_BUSY) {
    char *uri = file_uri(path, "immutable=1");
    sqlite3_close(h);
    h = NULL;
    rc = uri ? sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL)
             : SQLITE_NOMEM;
    free(uri);
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(h, "PRAGMA query_only = 1", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    snprintf(why, n, "%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_close(h);
    return rc;
  }
  sqlite3_set_authorizer(h, authorize, NULL);
  *out = h;
  return SQLITE_OK;
}

int db_sqlite_open_readonly(const char *path, sqlite3 **h, sim_err *err) {
  *h = NULL;
  db *d;
  int rc = db_open_readonly(path, &d, err); /* the schema checks, a migration */
  if (rc) return rc;
  *h = d->h; /* the checked handle itself, rather than opening the file again */
  d->h = NULL;
  db_close(d);
  return 0;
}

int db_where_check(const char *where, sim_err *err) {
  int depth = 0;
  char quote = 0;
  const char *what = NULL;
  const char *p = where;
  for (; *p && !what; p++) {
    if (quote) {
      if (*p == quote) quote = 0; /* '' inside '...' reopens at once */
      continue;
    }
    switch (*p) {
    case '\'': case '"': case '`': quote = *p; break;
    case '[': quote = ']'; break;
    case '(': depth++; break;
    case ')': if (--depth < 0) what = "a ')' that closes more than it opened"; break;
    case ';': what = "';' (one condition, not statements)"; break;
    case '-': if (p[1] == '-') what = "a comment (--)"; break;
    case '/': if (p[1] == '*') what = "a comment (/*)"; break;
    }
  }
  if (!what && quote) what = "a quote that is never closed", p = where + strlen(where) + 1;
  if (!what && depth > 0) what = "a '(' that is never closed", p = where + strlen(where) + 1;
  if (what)
    return sim_errf(err, SIM_EUSAGE, "--where \"%s\": must be one condition; column %d has %s",
                    where, (int)(p - where), what);
  return 0;
}
