/* sim/progress.c -- see progress.h. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "wallclock.h"

#define PROGRESS_PERIOD_MS 250 /* at most four lines a second */

volatile sig_atomic_t sim_progress_flag;
static volatile sig_atomic_t interrupted, tick;

/* The state of the progress line: touched only outside signal handlers. */
static struct {
  bool active, tty, shown;
  uint64_t kept; /* iterations done when the loop stopped for SIGINT */
  char label[96];
  double t0;
  struct sigaction old_int, old_alrm;
} P;

static void on_sigint(int sig) {
  (void)sig;
  interrupted = 1;
  sim_progress_flag = 1;
}

static void on_sigalrm(int sig) {
  (void)sig;
  tick = 1;
  sim_progress_flag = 1;
}

void sim_progress_begin(void) {
  memset(&P, 0, sizeof P);
  interrupted = tick = 0;
  sim_progress_flag = 0;
  P.active = true;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_sigint;
  sa.sa_flags = SA_RESTART | SA_RESETHAND; /* P2 */
  sigaction(SIGINT, &sa, &P.old_int);
  P.tty = isatty(STDERR_FILENO); /* P3 */
  if (P.tty) {
    sa.sa_handler = on_sigalrm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, &P.old_alrm);
    struct itimerval it = {{0, PROGRESS_PERIOD_MS * 1000}, {0, PROGRESS_PERIOD_MS * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
  }
}

static void clear_line(void) {
  if (P.shown) fputs("\r\033[K", stderr);
  P.shown = false;
}

void sim_progress_end(void) {
  if (!P.active) return;
  if (P.tty) {
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &P.old_alrm, NULL);
    clear_line();
  }
  if (!interrupted) sigaction(SIGINT, &P.old_int, NULL); /* else already reset (P2) */
  sim_progress_flag = 0;
  P.active = false;
}

void sim_progress_loop(const char *label, uint64_t total) {
  (void)total;
  if (!P.active) return;
  snprintf(P.label, sizeof P.label, "%s", label ? label : "");
  P.t0 = wallclock_s();
  if (P.tty) clear_line();
}

bool sim_progress_poll(uint64_t done, uint64_t total) {
  sim_progress_flag = 0;
  if (interrupted) { /* keep the flag up: nested or later loops stop too */
    sim_progress_flag = 1;
    P.kept = done;
    return true;
  }
  if (tick && P.tty) {
    tick = 0;
    double el = wallclock_s() - P.t0, rate = el > 0 ? (double)done / el : 0;
    fprintf(stderr, "\r\033[K%s: %llu/%llu iterations, %.0f it/s", P.label,
            (unsigned long long)done, (unsigned long long)total, rate);
    if (rate > 0 && total > done)
      fprintf(stderr, ", %.0f s left", (double)(total - done) / rate);
    fflush(stderr);
    P.shown = true;
  }
  return false;
}

bool sim_progress_interrupted(void) { return interrupted != 0; }

uint64_t sim_progress_kept(void) { return P.kept; }

void sim_progress_keep(uint64_t done) { P.kept = done; }
