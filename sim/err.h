/* sim/err.h -- error codes and messages for input errors.
 *
 * Three kinds of failure (STYLE.md section 6): input errors return a code and
 * fill a sim_err; simulated anomalies are data, never errors; bugs are
 * assert() and sim_panic().  Only sim/cmd/cli.c prints a sim_err and exits.
 *
 * The codes, their names and default texts come from one X-macro list, after
 * libuv's UV_ERRNO_MAP, so a new code cannot be half-added.  Each code maps to
 * the process exit status that the CLI uses for it.
 */
#ifndef MMSIM_SIM_ERR_H
#define MMSIM_SIM_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* X(name, exit status, default text) */
#define SIM_ERRORS(X)                                              \
  X(OK,       0, "success")                                        \
  X(EINVAL,   2, "invalid input")                                  \
  X(ECONFIG,  2, "invalid configuration")                          \
  X(ESYNTAX,  2, "syntax error")                                   \
  X(EUNSUP,   2, "unsupported construct")                          \
  X(EUSAGE,   2, "bad command line")                               \
  X(EIO,      1, "input/output error")                             \
  X(EDB,      1, "database error")                                 \
  X(ESCHEMA,  1, "database schema mismatch")                       \
  X(ENOMEM,   1, "out of memory")                                  \
  X(ETOOL,    1, "external tool failed")                           \
  X(EFULL,    1, "resource full")                                  \
  X(EVIOLATION, 3, "invariant or value violation")               \
  X(EINTERRUPTED, 130, "interrupted") /* SIGINT: 128 + 2, as shells report it */

typedef enum {
#define X(n, st, txt) SIM_##n,
  SIM_ERRORS(X)
#undef X
  SIM_NERRORS
} sim_code;

typedef struct sim_err {
  int code;
  char msg[512];
} sim_err;

/* Fill e (may be NULL) with code and a printf-style message; returns code. */
int sim_errf(sim_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix an existing message with "ctx: " (keeps the code); returns code. */
int sim_err_prefix(sim_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

const char *sim_code_name(int code);  /* "EINVAL" */
const char *sim_code_text(int code);  /* "invalid input" */
int sim_code_exit(int code);          /* process exit status for the code */

/* Bugs and impossible simulated states: print and abort.  Never for input. */
void sim_panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
#define sim_panic(...) sim_panic_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
