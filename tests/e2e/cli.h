/* tests/e2e/cli.h -- run the mmsim program as a user does, and look at what
 * it printed, its exit status and the database it left. */
#ifndef MMSIM_TESTS_E2E_CLI_H
#define MMSIM_TESTS_E2E_CLI_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char cli_out[1 << 20]; /* stdout and stderr of the last command */
static char cli_dir[256];     /* a fresh temp folder, the commands' cwd */

static inline void cli_tmpdir(void) {
  snprintf(cli_dir, sizeof cli_dir, "/tmp/mmsim-e2e-XXXXXX");
  if (!mkdtemp(cli_dir)) abort();
}

/* Run "mmsim ARGS" in cli_dir; returns the exit status. */
static inline int cli(const char *fmt, ...) {
  char args[8192], cmd[9000];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  snprintf(cmd, sizeof cmd, "cd %s && %s %s 2>&1", cli_dir, MMSIM_BIN, args);
  FILE *p = popen(cmd, "r");
  if (!p) abort();
  size_t n = fread(cli_out, 1, sizeof cli_out - 1, p);
  cli_out[n] = 0;
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Write a file in cli_dir. */
static inline void cli_write(const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, name);
  FILE *f = fopen(path, "w");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

/* The text of a file in cli_dir (at most 64 KiB), "" if it cannot be read. */
static inline const char *cli_file(const char *name) {
  static char text[1 << 16];
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, name);
  FILE *f = fopen(path, "r");
  size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
  text[n] = 0;
  if (f) fclose(f);
  return text;
}

/* Does a file exist in cli_dir? */
static inline int cli_exists(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, name);
  return access(path, F_OK) == 0;
}

/* One integer from SQL on a database in cli_dir; -1 if it cannot be read. */
static inline long long cli_sql_int(const char *file, const char *sql) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, file);
  sqlite3 *d;
  long long v = -1;
  if (sqlite3_open_v2(path, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) == SQLITE_OK) {
      if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
    }
  }
  sqlite3_close(d);
  return v;
}

/* All rows of a query as text, one line per row, for comparing runs. */
static inline char *cli_sql_text(const char *file, const char *sql) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, file);
  sqlite3 *d;
  size_t cap = 1 << 16, len = 0;
  char *s = calloc(cap, 1);
  if (sqlite3_open_v2(path, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) == SQLITE_OK) {
      while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
          const char *t = (const char *)sqlite3_column_text(st, i);
          size_t k = strlen(t ? t : "NULL") + 2;
          if (len + k + 1 > cap) s = realloc(s, cap = 2 * (len + k + 1));
          len += (size_t)sprintf(s + len, "%s%c", t ? t : "NULL", i + 1 < sqlite3_column_count(st) ? '|' : '\n');
        }
      }
      sqlite3_finalize(st);
    }
  }
  sqlite3_close(d);
  return s;
}

#endif
