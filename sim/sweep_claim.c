/* sim/sweep_claim.c -- who holds a sweep point, and whether that process is
 * still there (the owner side of results/claim.c's claims).
 *
 * An owner is (pid, pid_start, host).  pid_start is field 22 of
 * /proc/PID/stat, the process's start time in clock ticks since boot: a pid
 * the kernel has handed to a new process since carries a later start time,
 * so "that pid runs" is not mistaken for "that owner runs".
 *
 * Alive, on this host: /proc/PID/stat exists, the process is not a zombie
 * (a worker that died and was not reaped yet holds its pid but runs
 * nothing) and its start time is the recorded one.  On another host the
 * question cannot be answered from here, so the answer is "alive" (C2 of
 * results/claim.c: never steal on a guess); the sweep then leaves the point
 * to that host and says so.  Without a readable /proc the answer is
 * "alive" too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep_int.h"

/* State and start time of pid from /proc; false when there is no such
 * process (or /proc cannot tell). */
static bool proc_stat(long pid, char *state, int64_t *start) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return false;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
  if (!p || p[1] != ' ') return false;
  p += 2;
  *state = *p;
  /* Fields after comm: 3 (state) is token 0, so 22 (starttime) is token 19. */
  for (int tok = 0; tok < 19; tok++) {
    p = strchr(p, ' ');
    if (!p) return false;
    p++;
  }
  char *end;
  long long v = strtoll(p, &end, 10);
  if (end == p) return false;
  *start = (int64_t)v;
  return true;
}

int sweep__owner_self(db_owner *me) {
  memset(me, 0, sizeof *me);
  me->pid = (int64_t)getpid();
  char state;
  if (!proc_stat((long)me->pid, &state, &me->pid_start)) me->pid_start = 0;
  if (gethostname(me->host, sizeof me->host - 1) != 0) snprintf(me->host, sizeof me->host, "unknown");
  return 0;
}

int sweep__owner_alive(void *ctx, const db_owner *o) {
  const db_owner *me = ctx;
  if (strcmp(o->host, me->host) != 0) return 1; /* cannot look: assume it runs */
  char state;
  int64_t start;
  if (!proc_stat((long)getpid(), &state, &start)) return 1; /* no /proc: cannot tell either */
  if (o->pid <= 0 || !proc_stat((long)o->pid, &state, &start)) return 0;
  if (state == 'Z' || state == 'X') return 0;
  return start == o->pid_start;
}

bool sweep__owner_remote(const db_owner *me, const db_owner *o) {
  return strcmp(o->host, me->host) != 0;
}
