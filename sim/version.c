/* sim/version.c -- see version.h. */
#include "version.h"

#include "mmsim_version.h" /* generated: MMSIM_VERSION */

const char *sim_version(void) { return MMSIM_VERSION; }
