/* workloads/syncmap.h -- Go's sync.Map (sync/map.go, Go 1.20 to 1.23) on
 * the mem API, over the C map.
 *
 * As Go's:
 *   - read: an atomic pointer to a readOnly {m, amended}; m maps a key to
 *     its entry and is never written once published, so lookups in it
 *     take no lock;
 *   - an entry is one word p: a value, 0 (deleted) or SM_EXPUNGED (deleted
 *     and left out of dirty); stores and deletes of a key in read CAS it;
 *   - dirty: a map under mu holding every live key, read's included, built
 *     by copying read (expunging deleted entries) on the first store of a
 *     new key; amended says dirty has keys read lacks;
 *   - misses: lookups that had to take mu; as many as dirty has keys and
 *     dirty is promoted to read, and a later new key copies read again.
 * mu is the spinlock of spinlock.h.  Maps and entries come from the
 * arena and are never reused (Go's GC would reclaim them).
 *
 * Values are nonzero and below SM_EXPUNGED (mapbench's MB_VAL).
 */
#ifndef MMSIM_WORKLOADS_SYNCMAP_H
#define MMSIM_WORKLOADS_SYNCMAP_H

#include "hmap.h"

#define SM_EXPUNGED UINT64_MAX

/* Shared: the words Go's sync.Map holds, a line each. */
typedef struct syncmap_words {
  uint64_t read; uint8_t pad0[56];   /* readOnly *, atomic */
  uint64_t mu; uint8_t pad1[56];     /* the spinlock */
  uint64_t dirty; uint64_t misses; uint8_t pad2[48]; /* under mu: hmap_hdr *, count */
} syncmap_words;

/* Host side, shared read-only by every thread. */
typedef struct syncmap {
  syncmap_words *w;
  hmap tmpl;      /* every map's handle but its header: variant and allocator */
  unsigned hint;  /* keys each map is made for */
  uint64_t hash0;
} syncmap;

/* Make it empty, from alloc's memory; its maps are of variant v. */
int syncmap_make(syncmap *s, mem_port *p, hmap_variant v, unsigned hint, uint64_t hash0,
                 hmap_alloc_fn alloc, void *ctx);
/* Promote dirty to read now, as a program's first misses would: for a
 * setup that preloads keys and wants lookups to start lock-free. */
int syncmap_promote(mem_port *p, const syncmap *s);

/* Load: HMAP_OK with *val, or HMAP_NOTFOUND.  Store (Go's Swap): HMAP_OK.
 * Delete (LoadAndDelete): HMAP_OK or HMAP_NOTFOUND.  HMAP_ENOMEM when the
 * arena ran out. */
int syncmap_load(mem_port *p, const syncmap *s, uint64_t key, uint64_t *val);
int syncmap_store(mem_port *p, const syncmap *s, uint64_t key, uint64_t val);
int syncmap_delete(mem_port *p, const syncmap *s, uint64_t key);

#endif
