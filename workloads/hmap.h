/* workloads/hmap.h -- the C map: Go's runtime map before Go 1.24, over the mem API.
 *
 * Layout, as in Go's runtime/map.go: a header (count, flags, B, noverflow,
 * hash0, buckets, oldbuckets, nevacuate) and 2^B buckets of 8 slots; each
 * bucket holds a tophash byte per slot, 8 keys, 8 values and a pointer to
 * its overflow bucket.  Keys and values are uint64.  tophash values below
 * HMAP_MIN_TOPHASH are marks: emptyRest (this and every later slot of the
 * chain are empty), emptyOne (a tombstone), evacuatedX/Y/Empty (moved by
 * growth).  Growth doubles the bucket array incrementally: hashGrow swaps
 * in a new array and keeps the old one in oldbuckets; every later write
 * evacuates the old bucket it needs and one more (growWork), and nevacuate
 * marks the progress.  flags holds hashWriting, set and cleared around
 * every write and checked by readers and writers as Go does (a best-effort
 * concurrent-write check), and Go's iterator bits.
 *
 * mmsim's addition: every bucket that heads a chain has a reference count
 * that iterators hold while they read the chain ("pin").  A delete leaves
 * the key and value of a pinned chain in place (only the tombstone is
 * written) so that an iterator never reads a half-cleared slot; it clears
 * them when the count is 0.  The deleter writes the tombstone first and
 * reads the count after, the iterator raises the count first and reads the
 * tophash after: a Dekker handshake, correct under SC, broken by store
 * buffers unless fenced (scenario iterate-delete).
 *
 * Where we differ from Go, and why:
 *   - Slots are written key, value, then tophash (and a new overflow bucket
 *     is filled, then linked): the tophash and the link are the publication
 *     points, so a reader that sees them and not the key saw a reordering
 *     (Go links first and fills later: harmless with one writer, but then
 *     no outcome would tell a reordering from a slow writer).
 *   - No same-size growth and no clearing of evacuated buckets (neither
 *     changes what a thread can observe in the scenarios).
 *   - A detected concurrent write returns HMAP_CONCURRENT instead of
 *     Go's fatal error, so a scenario can count detections.
 *
 * Every shared access goes through the mem API on the caller's port, so the
 * same code runs in the simulator and natively.  Memory comes from the
 * allocator given at creation (simulated arena or host), zero-filled;
 * allocating is not a shared-memory access.
 *
 * Variants (hmap_variant), i.e. what each shared access becomes:
 *   unsafe  plain relaxed accesses, as Go's map.
 *   fenced  unsafe plus fences at publication points: a store fence before
 *           each publishing store (tophash, link, value, count), a full fence
 *           at the end of every write and after a pin, and before a delete
 *           reads the pin count; a load fence after each publication load.
 *   atomic  release stores and acquire loads at publication points, count
 *           and refcount by atomic RMW (a refcount is read by RMW too, so it
 *           is never torn), hashWriting set by CAS and cleared by RMW.
 *           Release/acquire alone does not order a store before a later
 *           load; the RMW that ends every write does (a full fence here).
 *   locked  every operation holds a spinlock built on CAS.
 *   rwmutex the map behind Go's sync.RWMutex (rwmutex.h), the usual fix:
 *           lookups, len and iteration hold it shared, writes exclusive.
 *           Readers pin chains concurrently, so pins are atomic RMWs.
 *
 * Invariants (single-threaded; checked by hmap_check):
 *   H1  count equals the number of live slots reachable from buckets and
 *       not-yet-evacuated old buckets.
 *   H2  A key appears in at most one live slot.
 *   H3  Every slot after an emptyRest slot of a chain is emptyRest.
 */
#ifndef MMSIM_WORKLOADS_HMAP_H
#define MMSIM_WORKLOADS_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define HMAP_SLOTS 8
#define HMAP_MIN_TOPHASH 5

#define HMAP_VARIANTS(X)                                           \
  X(UNSAFE, "unsafe", "plain accesses, as Go")                     \
  X(FENCED, "fenced", "fences at publication points")              \
  X(ATOMIC, "atomic", "release/acquire, atomic count and refcount") \
  X(LOCKED, "locked", "a spinlock on CAS around every operation")           \
  X(RWMUTEX, "rwmutex", "Go's sync.RWMutex: reads share it, writes exclusive")

typedef enum {
#define X(id, name, doc) HMAP_##id,
  HMAP_VARIANTS(X)
#undef X
  HMAP_NVARIANTS
} hmap_variant;

extern const char *const hmap_variant_name[HMAP_NVARIANTS];
int hmap_variant_find(const char *name); /* -1 if unknown */

/* The operations, named in a trace.  Every public operation below writes
 * its name into the caller's mem_port.tag (low 8 bits) and counts itself in
 * bits 8..22, so `mmsim explain` can say which operation of which thread
 * made an access, and tell one call from the next (cpu/trace.h); bit 23 is
 * the caller's (the scenario runner marks the race with it). */
#define HMAP_OPS(X)                                                           \
  X(NONE, "access") X(ASSIGN, "assign") X(LOOKUP, "lookup")                 \
  X(DELETE, "delete") X(LEN, "len") X(PIN, "pin") X(UNPIN, "unpin")        \
  X(PINS, "pin count read") X(OVERFLOW, "overflow link read")               \
  X(ITER_INIT, "iterator start") X(ITER_NEXT, "iterator next")              \
  X(ITER_DONE, "iterator end")

typedef enum {
#define X(id, name) HMAP_OP_##id,
  HMAP_OPS(X)
#undef X
  HMAP_NOPS
} hmap_op;

extern const char *const hmap_op_name[HMAP_NOPS];

#define HMAP_TAG_OP(tag) ((hmap_op)((tag) & 0xffu))
#define HMAP_TAG_CALL(tag) (((tag) >> 8) & 0x7fffu)
#define HMAP_TAG_RACE (UINT32_C(1) << 23)

/* flags bits, Go's values. */
enum { HMAP_ITERATOR = 1, HMAP_OLD_ITERATOR = 2, HMAP_WRITING = 4 };

/* Results of operations. */
enum { HMAP_OK = 0, HMAP_NOTFOUND = 1, HMAP_CONCURRENT = 2, HMAP_ENOMEM = 3 };

/* Shared memory: the layout is public so scenarios can place hot keys and
 * tests can check structure; only this module's code touches it at run time. */
typedef struct hmap_bucket {
  uint8_t tophash[HMAP_SLOTS];
  uint64_t keys[HMAP_SLOTS];
  uint64_t vals[HMAP_SLOTS];
  uint64_t refcount; /* iterators pinning this chain (head buckets only) */
  uint64_t overflow; /* hmap_bucket *, as an integer so it has one size */
} hmap_bucket;

typedef struct hmap_hdr {
  /* count has a line of its own (Go keeps it beside flags): len polls it,
   * and a write's count store then misses on its own line instead of
   * riding on the ownership that the hashWriting store took at the start,
   * so it lingers in a store buffer as a lone flag store would. */
  uint64_t count;
  uint8_t count_line[56];
  uint64_t flags, B, noverflow, hash0;
  uint64_t buckets, oldbuckets, nevacuate; /* pointers as integers */
  uint64_t lock;                           /* locked variant */
} hmap_hdr;

/* Zero-filled memory of `bytes`, 64-byte aligned; NULL when exhausted. */
typedef void *(*hmap_alloc_fn)(void *ctx, size_t bytes);

/* The host-side handle: read-only once made, shared by every thread. */
struct mem_rwmutex;

typedef struct hmap {
  hmap_hdr *h;
  struct mem_rwmutex *rw; /* rwmutex variant: on a line of its own */
  hmap_variant v;
  hmap_alloc_fn alloc;
  void *alloc_ctx;
} hmap;

/* One thread's iterator (host-side, private). */
typedef struct hmap_iter {
  hmap_bucket *buckets; /* the bucket array when the iteration began */
  uint64_t B;           /* and its log2 size */
  uint64_t bucket;      /* index in that array */
  hmap_bucket *head;    /* pinned chain head, or NULL */
  hmap_bucket *b;       /* bucket being read */
  unsigned slot;
  bool old;             /* reading the old bucket of `bucket` (growth in progress) */
} hmap_iter;

/* Lifetime: make the header and 2^B buckets for `hint` keys, through port p
 * (before the threads start: a native port on the arena).  hash0 is the seed. */
int hmap_make(hmap *m, mem_port *p, hmap_variant v, unsigned hint, uint64_t hash0,
              hmap_alloc_fn alloc, void *ctx);

/* Operations.  assign/delete return HMAP_OK, HMAP_NOTFOUND (delete),
 * HMAP_CONCURRENT (hashWriting caught another writer) or HMAP_ENOMEM. */
int hmap_assign(mem_port *p, const hmap *m, uint64_t key, uint64_t val);
int hmap_lookup(mem_port *p, const hmap *m, uint64_t key, uint64_t *val); /* OK/NOTFOUND/CONCURRENT */
int hmap_delete(mem_port *p, const hmap *m, uint64_t key);
uint64_t hmap_len(mem_port *p, const hmap *m);

/* Iteration, as Go's range over a map: a key present from init to the end
 * is returned exactly once, with its current value, even when whole writes
 * (and so a growth) come between the calls; a key added or deleted
 * meanwhile may or may not be.  Writes that overlap a call void that
 * promise (scenario grow-evacuate).  next returns
 * HMAP_OK with a pair, HMAP_NOTFOUND at the end, HMAP_CONCURRENT on a caught
 * writer (the iterator is then finished).  Pins are released by next at the
 * end of each chain and by done. */
void hmap_iter_init(mem_port *p, const hmap *m, hmap_iter *it);
int hmap_iter_next(mem_port *p, const hmap *m, hmap_iter *it, uint64_t *key, uint64_t *val);
void hmap_iter_done(mem_port *p, const hmap *m, hmap_iter *it);

/* Growth: finish any growth in progress (evacuate every old bucket). */
int hmap_grow_finish(mem_port *p, const hmap *m);

/* Placement, for scenarios: the hash of key and the bucket index it has now. */
uint64_t hmap_hash(const hmap *m, mem_port *p, uint64_t key);
uint64_t hmap_bucket_of(mem_port *p, const hmap *m, uint64_t key);
hmap_bucket *hmap_bucket_at(mem_port *p, const hmap *m, uint64_t index);

/* The pin count of a chain head (what iterators do, for refcount scenarios),
 * and the variant's load of a bucket's overflow link. */
void hmap_pin(mem_port *p, const hmap *m, hmap_bucket *head);
void hmap_unpin(mem_port *p, const hmap *m, hmap_bucket *head);
uint64_t hmap_pins(mem_port *p, const hmap *m, hmap_bucket *head);
hmap_bucket *hmap_overflow(mem_port *p, const hmap *m, hmap_bucket *b);

/* Every live pair of m (not growing; nobody writes it), read with plain
 * loads and no pins, as Go's `for k, v := range m` reads a map no one
 * else writes: fn(ctx, p, key, val) each, stopping at its first nonzero
 * return, which hmap_each returns. */
int hmap_each(mem_port *p, const hmap *m, int (*fn)(void *ctx, mem_port *p, uint64_t key,
                                                    uint64_t val), void *ctx);
/* Copy-on-write: every live pair of src assigned into dst (hmap_each).
 * HMAP_OK or HMAP_ENOMEM. */
int hmap_copy(mem_port *p, const hmap *dst, const hmap *src);

/* For oracles and tests: find key with plain loads, without Go's count
 * shortcut and hashWriting check (a race may leave flags odd). */
int hmap_probe(mem_port *p, const hmap *m, uint64_t key, uint64_t *val);

/* Debug: H1 and H3 (H2 is checked by the property tests against a
 * reference map); false with a reason in why. */
bool hmap_check(mem_port *p, const hmap *m, char *why, size_t n);

#endif
