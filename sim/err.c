/* sim/err.c -- see err.h. */
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const code_name[] = {
#define X(n, st, txt) #n,
    SIM_ERRORS(X)
#undef X
};
static const char *const code_text[] = {
#define X(n, st, txt) txt,
    SIM_ERRORS(X)
#undef X
};
static const int code_exit[] = {
#define X(n, st, txt) st,
    SIM_ERRORS(X)
#undef X
};

int sim_errf(sim_err *e, int code, const char *fmt, ...) {
  if (e) {
    va_list ap;
    va_start(ap, fmt);
    e->code = code;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

int sim_err_prefix(sim_err *e, const char *fmt, ...) {
  if (!e) return 0;
  char pre[256], old[sizeof e->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(pre, sizeof pre, fmt, ap);
  va_end(ap);
  memcpy(old, e->msg, sizeof old);
  /* Truncation of an overlong message is acceptable: it stays a message. */
  size_t k = strlen(pre);
  if (k > sizeof e->msg - 3) k = sizeof e->msg - 3;
  memcpy(e->msg, pre, k);
  memcpy(e->msg + k, ": ", 2);
  size_t room = sizeof e->msg - k - 3;
  size_t m = strnlen(old, room);
  memcpy(e->msg + k + 2, old, m);
  e->msg[k + 2 + m] = '\0';
  return e->code;
}

static int in_range(int code) { return code >= 0 && code < SIM_NERRORS; }

const char *sim_code_name(int code) { return in_range(code) ? code_name[code] : "?"; }
const char *sim_code_text(int code) { return in_range(code) ? code_text[code] : "unknown error"; }
int sim_code_exit(int code) { return in_range(code) ? code_exit[code] : 1; }

void sim_panic_at(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "mmsim: internal error at %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}
