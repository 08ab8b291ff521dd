/* tests/host_races.h -- is this host racing right now?
 *
 * A native frequency test (an anomaly must appear on real cores) needs two
 * threads that really run at the same time.  A CI machine under load, or
 * one whose CPU quota is a single core though it shows two, runs them in
 * turn and shows nothing: the test would measure the machine's load, not
 * the hardware.  host_races() runs x86 SB natively for 200,000 iterations
 * and returns how often its relaxed outcome appeared; a test that sees no
 * anomaly asks it, and fails only when the host does race (SB > 0), else
 * says it could not tell and passes.
 */
#ifndef MMSIM_TESTS_HOST_RACES_H
#define MMSIM_TESTS_HOST_RACES_H

#include <stdio.h>

#include "sim/config.h"
#include "workloads/litmus.h"
#include "workloads/litmus_native.h"

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
  native_host h;
  unsigned long long n = 0;
  if (c && !litmus_parse_string("host_races:SB", sb, &t, &err) &&
      !cfg_set(c, "run.iterations", "200000", &err) && !litmus_run_native(t, c, &r, &h, &err)) {
    n = (unsigned long long)r.positive;
    litmus_result_free(&r);
  }
  litmus_free(t);
  cfg_free(c);
  printf("  host check: SB's relaxed outcome %llu times in 200000 native iterations\n", n);
  return n;
}

#endif
