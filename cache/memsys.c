/* cache/memsys.c -- what every memory system shares: recording a fault. */
#include "memsys.h"

#include <stdio.h>

void memsys_fault(memsys *m, sim_engine *sim, const char *fmt, ...) {
  sim->stop = true;
  if (m->fault.code) return; /* the first fault explains the rest */
  va_list ap;
  va_start(ap, fmt);
  m->fault.code = SIM_EVIOLATION;
  vsnprintf(m->fault.msg, sizeof m->fault.msg, fmt, ap);
  va_end(ap);
}
