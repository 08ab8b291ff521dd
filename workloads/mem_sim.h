/* workloads/mem_sim.h -- the simulated backend of the mem API.
 *
 * A port belongs to one simulated thread and forwards each call to that
 * thread's core as uops.  Host pointers are translated to simulated addresses
 * (offsets into the machine's memory), and accesses wider than
 * cpu.atomic_width are split into independent uops, low half first, so a
 * 64-bit word can tear exactly as on a 32-bit machine.  A misaligned access
 * that crosses a cache line is split at the line boundary too, whatever the
 * width: each piece drains, misses and forwards on its own, as on hardware.
 * RMW and CAS are never split (an atomic that is not atomic on the machine
 * is the workload's error; one across a line stops the run).
 */
#ifndef MMSIM_WORKLOADS_MEM_SIM_H
#define MMSIM_WORKLOADS_MEM_SIM_H

#include <stdint.h>

#include "../cpu/core.h"
#include "mem.h"

typedef struct mem_sim_port {
  mem_port base; /* first: a mem_port * is a mem_sim_port * */
  cpu_core *core;
  const uint8_t *mem_base; /* host address of simulated address 0 */
  unsigned atomic_width, line_bytes;
} mem_sim_port;

void mem_sim_port_init(mem_sim_port *p, unsigned tid, cpu_core *core,
                       const uint8_t *mem_base, unsigned atomic_width, unsigned line_bytes);

#endif
