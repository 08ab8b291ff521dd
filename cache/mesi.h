/* cache/mesi.h -- the MESI hierarchy as a memory system (see memsys.h).
 *
 * Private L1 per core (and an optional private L2), a shared inclusive LLC
 * holding the directory, main memory, and the point-to-point interconnect
 * between them.  The controllers are tables (proto.h, l1_table.c,
 * dir_table.c); l1.c and dir.c hold their actions and dispatchers.
 *
 * Lines hold real bytes.  A load binds the bytes the protocol delivered to
 * its core's cache; main memory is read only by the LLC on a miss and
 * written only by LLC writebacks (and, between iterations, by quiesce).
 */
#ifndef MMSIM_CACHE_MESI_H
#define MMSIM_CACHE_MESI_H

#include <stdbool.h>
#include <stdint.h>

#include "../sim/err.h"
#include "memsys.h"

typedef struct mesi mesi;

typedef struct mesi_level {
  unsigned sets, ways; /* sets 0: the level is absent (L2 only) */
  uint64_t latency;    /* cycles from request to lookup */
} mesi_level;

typedef struct mesi_params {
  unsigned cores, line_bytes;
  mesi_level l1, l2, llc;
  unsigned llc_banks;  /* directory banks, lines interleaved; a power of two, >= 1 */
  uint64_t mem_latency;
  uint64_t net_latency, net_jitter, link_cycles;
  bool check; /* run the invariant checker after every protocol step */
  unsigned iq_entries; /* per-core invalidate queue (weak); 0: none */
  uint64_t iq_delay;   /* cycles from an Inv's arrival to its application */
} mesi_params;

/* NULL + err when the params cannot be built (the caller names the keys). */
memsys *memsys_mesi_new(const mesi_params *p, uint8_t *data, size_t size, sim_err *err);

#endif
