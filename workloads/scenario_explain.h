/* workloads/scenario_explain.h -- why one iteration of a map scenario showed
 * its anomaly: the chain in the trace (explain_exec.h), told in the map's
 * own words.
 *
 * What is looked at.  The accesses each thread makes in the race (tag bit
 * HMAP_TAG_RACE: after the warm-up and the barrier, scenario_sim.c) to the
 * scenario's arena: a location is a field of the map, one per address, and
 * each map operation is a call (HMAP_TAG_CALL), so the chain is anchored on
 * a thread's last operation and torn_access and rmw_interleaving are looked
 * for.  A location is named by where it lies when the iteration ends: a
 * header field ("count", "flags"), or a bucket's ("bucket 0 tophash[3]",
 * "bucket 0 overflow 1 keys[0]"), with "map1." in front when a scenario has
 * two maps, and the bytes of a field when a split access read part of it.
 *
 * The fix.  Each mechanism has a cheapest variant that removes it, tried
 * in this order: fenced (its fences order the pair: store fence before a
 * publishing store for store_order, full fence ending a write or a pin for
 * store_buffer, load fence after a publication load for the load pairs),
 * then atomic (an RMW is neither split nor interleaved), then locked.
 * `mmsim explain` replays the same iteration with that variant.
 */
#ifndef MMSIM_WORKLOADS_SCENARIO_EXPLAIN_H
#define MMSIM_WORKLOADS_SCENARIO_EXPLAIN_H

#include "../sim/machine.h"
#include "explain_exec.h"
#include "scenario.h"

#define WL_NAME_BYTES 64

/* The locations of one run: the arena's addresses, numbered as met. */
typedef struct wl_locs wl_locs;

wl_locs *wl_locs_new(sim_machine *m, const void *arena, size_t bytes);
void wl_locs_free(wl_locs *l);

/* x from the trace of one iteration whose outcome is `forbidden` (the
 * oracle's: no SC execution gives it), keeping the mechanisms that explain
 * that (explain_exec_prefer).  SIM_ENOMEM only. */
int wl_explain_trace(wl_locs *l, const cpu_trace *tr, bool forbidden, explain_exec *x,
                     sim_err *err);

/* One iteration explained, with its outcome and the names of what it
 * touched (taken while the instance still stands). */
typedef struct wl_explained {
  int64_t outcome[WL_MAX_OBS];
  const char *anomaly; /* the oracle's kind, or NULL */
  bool forbidden;      /* no SC execution gives the outcome */
  explain_exec x;
  char (*loc_name)[WL_NAME_BYTES]; /* by location */
  char mech_field[EXPLAIN_MAX_MECHS][WL_NAME_BYTES]; /* the whole access of each */
} wl_explained;

/* Name x's locations and mechanisms in w, reading the map's shape through
 * peek (loads only).  SIM_ENOMEM only. */
int wl_explained_name(wl_explained *w, const wl_locs *l, const wl_inst *inst, mem_port *peek,
                      sim_err *err);
void wl_explained_free(wl_explained *w);
/* Rewrite the pointers the map stored, host addresses in the arena, as
 * simulated addresses in x and tr, so an account repeats bit for bit
 * (after naming: names read the map through host pointers). */
void wl_explained_unhost(const wl_locs *l, const wl_inst *inst, explain_exec *x, cpu_trace *tr);

/* The cheapest variant that removes mechanism kind k from scenario s
 * (see above), or -1 if none of s's fixes does. */
int wl_fix_variant(const wl_scenario *s, explain_mech k);

#endif
