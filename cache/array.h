/* cache/array.h -- a set-associative array of line frames, with LRU.
 *
 * One array per cache level: each private L1 (and L2), and the shared LLC.
 * A frame holds a line's address, its protocol state, its data bytes and
 * the few protocol fields the controllers keep per line (the Primer's MSHR
 * fields live in the frame: a line in a transient state owns its frame, so
 * the frame is the miss register).  State 0 means the frame is free: L1's
 * I and the directory's NP.
 *
 * Replacement is true LRU by a per-array use counter: a way's stamp is the
 * counter value at its last use, and the victim is the smallest stamp among
 * the ways the caller allows.  With at most 64 ways a scan is cheaper than
 * keeping an ordered list.
 *
 * Reset between iterations touches only frames used since the last reset
 * (the `used` list), so a large LLC costs nothing per iteration.
 *
 * Memory is paid for as it is touched.  init calloc()s the frames, data and
 * used list and writes none of them: an untouched frame is all zeros,
 * which is a free frame (state 0), and cache_claim fills in the fields a
 * zero does not stand for (data, owner, wait_tail).  For a large array
 * calloc maps fresh zero pages, so a 1M-set x 64-way L2 holds in memory
 * only the pages of the sets a run touches, not 8 GiB.  The whole array is
 * still reserved (address space), and what a run could touch is bounded
 * only by the array: the caller checks cache_array_bytes() against its
 * budget (sim.memory_limit) before building.  Rejected: a pointer per set,
 * allocated on first touch (an extra load on every lookup, the hot path,
 * for what the kernel's zero pages give for free).
 *
 * Invariants (cache_array_check):
 *   AR1  Two valid frames of one set never hold the same line.
 *   AR2  A valid frame sits in the set its address maps to.
 *   AR3  Every valid frame is on the used list.
 */
#ifndef MMSIM_CACHE_ARRAY_H
#define MMSIM_CACHE_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cache_wait cache_wait; /* a stalled request or message */

typedef struct cache_line {
  uint64_t addr;     /* line address: a multiple of the line size */
  uint64_t lru;      /* the array's use counter at the last use */
  uint64_t sharers;  /* directory: bit per core holding the line in S */
  uint8_t *data;     /* line_bytes of data */
  cache_wait *wait, **wait_tail; /* stalled here, in arrival order */
  int32_t owner;     /* directory: the core in E or M, or -1 */
  uint16_t acks_needed, acks_got; /* invalidation acks of a miss or recall */
  uint8_t state;     /* the controller's state; 0 = free */
  bool dirty;        /* LLC: newer than main memory */
  bool used;         /* on the used list */
} cache_line;

typedef struct cache_array {
  unsigned sets, ways, line_bytes, set_shift;
  uint64_t set_mask, clock;
  cache_line *frames; /* sets * ways, set-major */
  uint8_t *bytes;     /* the data of every frame */
  cache_line **used;  /* frames used since the last reset */
  size_t nused;
} cache_array;

/* Bytes cache_array_init takes for this shape, at most (all of it touched). */
uint64_t cache_array_bytes(uint64_t sets, uint64_t ways, uint64_t line_bytes);

/* Lifetime.  sets and line_bytes are powers of two (the config checks). */
bool cache_array_init(cache_array *a, unsigned sets, unsigned ways, unsigned line_bytes);
void cache_array_free(cache_array *a);
/* Free every frame used since the last reset, without writing anything back. */
void cache_array_reset(cache_array *a);

static inline uint64_t cache_line_addr(const cache_array *a, uint64_t addr) {
  return addr & ~(uint64_t)(a->line_bytes - 1);
}
static inline cache_line *cache_set(cache_array *a, uint64_t line) {
  return &a->frames[((line >> a->set_shift) & a->set_mask) * a->ways];
}

/* The valid frame holding `line`, or NULL. */
static inline cache_line *cache_find(cache_array *a, uint64_t line) {
  cache_line *set = cache_set(a, line);
  for (unsigned w = 0; w < a->ways; w++)
    if (set[w].state && set[w].addr == line) return &set[w];
  return NULL;
}

static inline void cache_touch(cache_array *a, cache_line *l) { l->lru = ++a->clock; }

/* A free frame in line's set, else the least recently used frame for which
 * evictable(ctx, frame) says yes (none if evictable is NULL), else NULL.
 * *is_free says which. */
cache_line *cache_victim(cache_array *a, uint64_t line, bool (*evictable)(void *, const cache_line *),
                         void *ctx, bool *is_free);

/* Take a free frame for `line`: state must be set by the caller (non-zero). */
void cache_claim(cache_array *a, cache_line *l, uint64_t line);
/* Give a frame back: state 0, no waiters (the caller moved them). */
void cache_release(cache_line *l);

bool cache_array_check(const cache_array *a);

#endif
