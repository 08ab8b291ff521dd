/* tests/host_races.h -- can this host race, and did the runner let it?
 *
 * A native frequency test (an anomaly must appear on real cores) needs two
 * threads that really run at the same time.  Two different things can stop
 * an anomaly from showing, and they get opposite verdicts:
 *
 *   - The machine cannot race: one CPU online, or a CI box under load (or
 *     with a one-core quota though it shows two) that runs the threads in
 *     turn.  That is no fault of mmsim: the case SKIPs (CHECK_SKIP, CTest's
 *     SKIP_RETURN_CODE), saying why, rather than passing unseen.
 *   - The runner serialised its threads: with two or more CPUs online and
 *     pinning on, the threads were seen on one CPU only (native_host's
 *     cpus_used, from sched_getcpu in native_loop.c).  That is a bug in the
 *     runner and FAILs, whether or not an anomaly showed.
 *
 * HOST_CHECK_RAN_TOGETHER(h) is the second check, for every native run a
 * test makes.  host_races() runs x86 SB natively for 200,000 iterations,
 * checks that run the same way, and returns how often SB's relaxed outcome
 * appeared; host_need_races() skips the case when it is 0.  A case that
 * needs a race calls host_need_cpus() first.
 */
#ifndef MMSIM_TESTS_HOST_RACES_H
#define MMSIM_TESTS_HOST_RACES_H

#include <stdio.h>
#include <unistd.h>

#include "check.h"
#include "sim/config.h"
#include "workloads/litmus.h"
#include "workloads/litmus_native.h"

static inline long host_cpus_online(void) { return sysconf(_SC_NPROCESSORS_ONLN); }

/* Skip the case when fewer than two CPUs are online: nothing can race. */
static inline void host_need_cpus(const char *what) {
  long n = host_cpus_online();
  if (n < 2) CHECK_SKIP("%ld CPU online: %s cannot race on this machine", n, what);
}

/* Threads pinned to distinct CPUs (the default) must have run on at least
 * two of them; a runner that ran them one at a time fails here. */
#define HOST_CHECK_RAN_TOGETHER(h)                                                    \
  do {                                                                                \
    if (host_cpus_online() >= 2 && (h)->pinned && (h)->cpus_used < 2)                 \
      CHECK__FAIL("native threads pinned to distinct CPUs ran on %u CPU of %ld "      \
                  "online: the runner serialised them",                               \
                  (h)->cpus_used, host_cpus_online());                                \
  } while (0)

static inline unsigned long long host_races(void) {
  static const char sb[] = "X86 SB\n{ x=0; y=0; }\n"
                           " P0          | P1          ;\n"
                           " MOV [x],$1  | MOV [y],$1  ;\n"
                           " MOV EAX,[y] | MOV EAX,[x] ;\n"
                           "exists (0:EAX=0 /\\ 1:EAX=0)\n";
  sim_err err = {0, ""};
  litmus_test *t = NULL;
  cfg *c = cfg_new();
  litmus_result r;
  native_host h = {.cpus_used = 0};
  unsigned long long n = 0;
  int rc = 1;
  if (c && !litmus_parse_string("host_races:SB", sb, &t, &err) &&
      !cfg_set(c, "run.iterations", "200000", &err))
    rc = litmus_run_native(t, c, &r, &h, &err);
  if (!rc) {
    n = (unsigned long long)r.positive;
    litmus_result_free(&r);
  }
  litmus_free(t);
  cfg_free(c);
  if (rc) CHECK__FAIL("host check: %s", err.msg);
  printf("  host check: SB's relaxed outcome %llu times in 200000 native iterations"
         " (threads on %u CPU(s))\n", n, h.cpus_used);
  HOST_CHECK_RAN_TOGETHER(&h);
  return n;
}

/* For a case whose anomaly did not show: fail if the runner serialised the
 * probe, skip if the host shows no race now, else return (the caller's
 * CHECK then fails on its own missing anomaly). */
static inline void host_need_races(const char *what) {
  if (host_races() == 0)
    CHECK_SKIP("%s showed nothing, and SB shows no race on this host now: not a verdict", what);
}

#endif
