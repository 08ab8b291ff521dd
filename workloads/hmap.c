/* workloads/hmap.c -- see hmap.h.  Function names follow Go's runtime/map.go
 * where they do the same job (hashGrow -> hash_grow, growWork -> grow_work,
 * evacuate, advanceEvacuationMark -> advance_mark), so the two read side by
 * side.  Each public operation is the Go function body (*_in) wrapped in the
 * variant's lock and trailing fence. */
#include "hmap.h"

#include <stdio.h>
#include <string.h>

#include "rwmutex.h"
#include "spinlock.h"

const char *const hmap_variant_name[HMAP_NVARIANTS] = {
#define X(id, name, doc) name,
    HMAP_VARIANTS(X)
#undef X
};

int hmap_variant_find(const char *name) {
  for (int i = 0; i < HMAP_NVARIANTS; i++)
    if (strcmp(hmap_variant_name[i], name) == 0) return i;
  return -1;
}

/* tophash marks, Go's values. */
enum { EMPTY_REST = 0, EMPTY_ONE = 1, EVAC_X = 2, EVAC_Y = 3, EVAC_EMPTY = 4 };

#define PTR(x) ((hmap_bucket *)(uintptr_t)(x))
#define INT(p) ((uint64_t)(uintptr_t)(p))

/* --- Accesses by variant -------------------------------------------------- */

static inline uint64_t ld(mem_port *p, const void *a, unsigned s) {
  return mem_load(p, a, s, MO_RELAXED);
}
static inline void st(mem_port *p, void *a, uint64_t v, unsigned s) {
  mem_store(p, a, v, s, MO_RELAXED);
}

/* A load that reads a publication point (tophash, count, value). */
static uint64_t ld_pub(const hmap *m, mem_port *p, const void *a, unsigned s) {
  switch (m->v) {
  case HMAP_ATOMIC: return mem_load(p, a, s, MO_ACQUIRE);
  case HMAP_FENCED: {
    uint64_t v = ld(p, a, s);
    mem_fence(p, MF_LOAD);
    return v;
  }
  default: return ld(p, a, s);
  }
}

/* A pointer load: later loads through it carry an address dependency,
 * which every model orders (DESIGN.md), so unsafe says consume. */
static hmap_bucket *ld_ptr(const hmap *m, mem_port *p, const uint64_t *a) {
  if (m->v == HMAP_UNSAFE || m->v == HMAP_LOCKED || m->v == HMAP_RWMUTEX)
    return PTR(mem_load(p, a, 8, MO_CONSUME));
  return PTR(ld_pub(m, p, a, 8));
}

/* A store that publishes what the thread wrote before it. */
static void st_pub(const hmap *m, mem_port *p, void *a, uint64_t v, unsigned s) {
  switch (m->v) {
  case HMAP_ATOMIC: mem_store(p, a, v, s, MO_RELEASE); return;
  case HMAP_FENCED: mem_fence(p, MF_STORE); /* fall through */
  default: st(p, a, v, s);
  }
}

static void count_add(const hmap *m, mem_port *p, int64_t d) {
  if (m->v == HMAP_ATOMIC) {
    mem_rmw(p, &m->h->count, RMW_ADD, (uint64_t)d, 8);
    return;
  }
  uint64_t c = ld(p, &m->h->count, 8);
  st_pub(m, p, &m->h->count, c + (uint64_t)d, 8);
}

/* --- Locks (locked and rwmutex variants) --------------------------------- */

/* lock/unlock around writes, rlock/runlock around reads: the same spinlock
 * for both in the locked variant, shared and exclusive in rwmutex.  The
 * time spent acquiring adds to the port's lock_wait (mapbench's
 * mapbench.lock_wait_per_op). */
static void lock(const hmap *m, mem_port *p) {
  if (m->v != HMAP_LOCKED && m->v != HMAP_RWMUTEX) return;
  uint64_t t0 = mem_now(p); /* free: no access, no simulated time */
  if (m->v == HMAP_LOCKED) mem_spin_lock(p, &m->h->lock, 8);
  else mem_rw_lock(p, m->rw);
  p->lock_wait += mem_now(p) - t0;
}

static void unlock(const hmap *m, mem_port *p) {
  if (m->v == HMAP_LOCKED) mem_spin_unlock(p, &m->h->lock, 8);
  else if (m->v == HMAP_RWMUTEX) mem_rw_unlock(p, m->rw);
}

static void rlock(const hmap *m, mem_port *p) {
  if (m->v != HMAP_RWMUTEX) {
    lock(m, p);
    return;
  }
  uint64_t t0 = mem_now(p);
  mem_rw_rlock(p, m->rw);
  p->lock_wait += mem_now(p) - t0;
}

static void runlock(const hmap *m, mem_port *p) {
  if (m->v == HMAP_RWMUTEX) mem_rw_runlock(p, m->rw);
  else unlock(m, p);
}

/* Pins are counted by RMW where readers may pin side by side. */
static bool atomic_pins(const hmap *m) { return m->v == HMAP_ATOMIC || m->v == HMAP_RWMUTEX; }

/* --- Hashing and placement ------------------------------------------------ */

static uint64_t mix(uint64_t x) { /* splitmix64's finaliser */
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static uint64_t hashk(uint64_t hash0, uint64_t key) { return mix(key ^ hash0); }

static uint8_t tophash(uint64_t hash) {
  uint8_t t = (uint8_t)(hash >> 56);
  return t < HMAP_MIN_TOPHASH ? (uint8_t)(t + HMAP_MIN_TOPHASH) : t;
}

/* Go's overLoadFactor: more than 6.5 keys per bucket on average. */
static bool over_load(uint64_t count, uint64_t B) {
  return count > HMAP_SLOTS && count > 13 * ((UINT64_C(1) << B) / 2);
}

static bool evacuated(mem_port *p, hmap_bucket *b) {
  uint64_t t = ld(p, &b->tophash[0], 1);
  return t > EMPTY_ONE && t < HMAP_MIN_TOPHASH;
}

uint64_t hmap_hash(const hmap *m, mem_port *p, uint64_t key) {
  return hashk(ld(p, &m->h->hash0, 8), key);
}

hmap_bucket *hmap_bucket_at(mem_port *p, const hmap *m, uint64_t index) {
  return ld_ptr(m, p, &m->h->buckets) + index;
}

uint64_t hmap_bucket_of(mem_port *p, const hmap *m, uint64_t key) {
  return hmap_hash(m, p, key) & ((UINT64_C(1) << ld(p, &m->h->B, 8)) - 1);
}

/* --- Pins ----------------------------------------------------------------- */

static void pin_in(mem_port *p, const hmap *m, hmap_bucket *head) {
  if (atomic_pins(m)) {
    mem_rmw(p, &head->refcount, RMW_ADD, 1, 8);
    return;
  }
  st(p, &head->refcount, ld(p, &head->refcount, 8) + 1, 8);
  /* The pin must be visible before the iterator reads a slot (Dekker with
   * hmap_delete). */
  if (m->v == HMAP_FENCED) mem_fence(p, MF_FULL);
}

static void unpin_in(mem_port *p, const hmap *m, hmap_bucket *head) {
  if (atomic_pins(m)) {
    mem_rmw(p, &head->refcount, RMW_SUB, 1, 8);
    return;
  }
  st(p, &head->refcount, ld(p, &head->refcount, 8) - 1, 8);
}

static uint64_t pins_in(mem_port *p, const hmap *m, hmap_bucket *head) {
  /* An RMW reads the whole word at once even where plain 8-byte loads are
   * split (cpu.atomic_width 4), and orders it after earlier stores. */
  if (atomic_pins(m)) return mem_rmw(p, &head->refcount, RMW_ADD, 0, 8);
  return ld(p, &head->refcount, 8);
}

/* --- hashWriting ---------------------------------------------------------- */

static int writing_begin(const hmap *m, mem_port *p) {
  uint64_t *f = &m->h->flags;
  if (m->v == HMAP_ATOMIC) { /* a CAS: two writers cannot both set it */
    uint64_t v = mem_load(p, f, 8, MO_ACQUIRE);
    for (;;) {
      if (v & HMAP_WRITING) return HMAP_CONCURRENT;
      if (mem_cas(p, f, &v, v | HMAP_WRITING, 8)) return HMAP_OK;
    }
  }
  if (ld(p, f, 8) & HMAP_WRITING) return HMAP_CONCURRENT; /* Go: fatal */
  st(p, f, ld(p, f, 8) ^ HMAP_WRITING, 8);                 /* h.flags ^= hashWriting */
  return HMAP_OK;
}

static int writing_end(const hmap *m, mem_port *p) {
  uint64_t *f = &m->h->flags;
  if (m->v == HMAP_ATOMIC)
    return mem_rmw(p, f, RMW_AND, ~(uint64_t)HMAP_WRITING, 8) & HMAP_WRITING ? HMAP_OK
                                                                             : HMAP_CONCURRENT;
  int rc = ld(p, f, 8) & HMAP_WRITING ? HMAP_OK : HMAP_CONCURRENT;
  st_pub(m, p, f, ld(p, f, 8) & ~(uint64_t)HMAP_WRITING, 8); /* h.flags &^= hashWriting */
  return rc;
}

/* --- Growth --------------------------------------------------------------- */

static hmap_bucket *new_overflow(const hmap *m, mem_port *p) {
  hmap_bucket *nb = m->alloc(m->alloc_ctx, sizeof *nb);
  if (nb) st(p, &m->h->noverflow, ld(p, &m->h->noverflow, 8) + 1, 8);
  return nb;
}

static int hash_grow(const hmap *m, mem_port *p) {
  hmap_hdr *h = m->h;
  uint64_t B = ld(p, &h->B, 8);
  hmap_bucket *nb = m->alloc(m->alloc_ctx, sizeof(hmap_bucket) << (B + 1));
  if (!nb) return HMAP_ENOMEM;
  uint64_t f = ld(p, &h->flags, 8), nf = f & ~(uint64_t)(HMAP_ITERATOR | HMAP_OLD_ITERATOR);
  if (f & HMAP_ITERATOR) nf |= HMAP_OLD_ITERATOR;
  st(p, &h->flags, nf, 8);
  st(p, &h->oldbuckets, INT(ld_ptr(m, p, &h->buckets)), 8);
  st(p, &h->nevacuate, 0, 8);
  st(p, &h->noverflow, 0, 8);
  st(p, &h->B, B + 1, 8);
  st_pub(m, p, &h->buckets, INT(nb), 8);
  return HMAP_OK;
}

static void advance_mark(const hmap *m, mem_port *p, hmap_bucket *old, uint64_t nold) {
  uint64_t n = ld(p, &m->h->nevacuate, 8) + 1, stop = n + 1024;
  while (n != stop && n != nold && evacuated(p, &old[n])) n++;
  st(p, &m->h->nevacuate, n, 8);
  if (n == nold) st_pub(m, p, &m->h->oldbuckets, 0, 8); /* growth done */
}

typedef struct evac_dst { hmap_bucket *b; unsigned i; } evac_dst;

static int evacuate(const hmap *m, mem_port *p, uint64_t oldbucket) {
  hmap_hdr *h = m->h;
  uint64_t newbit = UINT64_C(1) << (ld(p, &h->B, 8) - 1), hash0 = ld(p, &h->hash0, 8);
  hmap_bucket *old = ld_ptr(m, p, &h->oldbuckets), *b = &old[oldbucket];
  if (!evacuated(p, b)) {
    hmap_bucket *nb = ld_ptr(m, p, &h->buckets);
    evac_dst d[2] = {{&nb[oldbucket], 0}, {&nb[oldbucket + newbit], 0}};
    for (hmap_bucket *c = b; c; c = ld_ptr(m, p, &c->overflow)) {
      for (unsigned i = 0; i < HMAP_SLOTS; i++) {
        uint64_t t = ld(p, &c->tophash[i], 1);
        if (t <= EMPTY_ONE) {
          st(p, &c->tophash[i], EVAC_EMPTY, 1);
          continue;
        }
        uint64_t k = ld(p, &c->keys[i], 8), v = ld(p, &c->vals[i], 8);
        unsigned y = (hashk(hash0, k) & newbit) != 0;
        st(p, &c->tophash[i], EVAC_X + y, 1);
        evac_dst *e = &d[y];
        if (e->i == HMAP_SLOTS) {
          hmap_bucket *n = new_overflow(m, p);
          if (!n) return HMAP_ENOMEM;
          st_pub(m, p, &e->b->overflow, INT(n), 8);
          e->b = n, e->i = 0;
        }
        st(p, &e->b->keys[e->i], k, 8);
        st(p, &e->b->vals[e->i], v, 8);
        st_pub(m, p, &e->b->tophash[e->i], t, 1);
        e->i++;
      }
    }
  }
  if (oldbucket == ld(p, &h->nevacuate, 8)) advance_mark(m, p, old, newbit);
  return HMAP_OK;
}

static bool growing(const hmap *m, mem_port *p) { return ld_ptr(m, p, &m->h->oldbuckets) != 0; }

static int grow_work(const hmap *m, mem_port *p, uint64_t bucket) {
  uint64_t oldmask = (UINT64_C(1) << (ld(p, &m->h->B, 8) - 1)) - 1;
  int rc = evacuate(m, p, bucket & oldmask);
  if (!rc && growing(m, p)) rc = evacuate(m, p, ld(p, &m->h->nevacuate, 8));
  return rc;
}

int hmap_grow_finish(mem_port *p, const hmap *m) {
  lock(m, p);
  int rc = HMAP_OK;
  while (!rc && growing(m, p)) rc = evacuate(m, p, ld(p, &m->h->nevacuate, 8));
  unlock(m, p);
  return rc;
}

/* --- Lifetime ------------------------------------------------------------- */

int hmap_make(hmap *m, mem_port *p, hmap_variant v, unsigned hint, uint64_t hash0,
              hmap_alloc_fn alloc, void *ctx) {
  *m = (hmap){.v = v, .alloc = alloc, .alloc_ctx = ctx};
  uint64_t B = 0;
  while (over_load(hint, B)) B++;
  m->h = alloc(ctx, sizeof *m->h);
  hmap_bucket *b = alloc(ctx, sizeof(hmap_bucket) << B);
  if (v == HMAP_RWMUTEX) m->rw = alloc(ctx, sizeof *m->rw); /* zero: unlocked */
  if (!m->h || !b || (v == HMAP_RWMUTEX && !m->rw)) return HMAP_ENOMEM;
  st(p, &m->h->B, B, 8);
  st(p, &m->h->hash0, hash0, 8);
  st(p, &m->h->buckets, INT(b), 8);
  return HMAP_OK;
}

/* --- Operations (Go's bodies) --------------------------------------------- */

static int assign_in(mem_port *p, const hmap *m, uint64_t key, uint64_t val) {
  hmap_hdr *h = m->h;
  uint64_t hash = hmap_hash(m, p, key);
  uint8_t top = tophash(hash);
  int rc = writing_begin(m, p);
  if (rc) return rc;
again:;
  uint64_t B = ld(p, &h->B, 8), bi = hash & ((UINT64_C(1) << B) - 1);
  if (growing(m, p) && (rc = grow_work(m, p, bi))) goto out;
  hmap_bucket *b = hmap_bucket_at(p, m, bi), *ib = NULL;
  unsigned ii = 0;
  for (;;) {
    for (unsigned i = 0; i < HMAP_SLOTS; i++) {
      uint64_t t = ld(p, &b->tophash[i], 1);
      if (t != top) {
        if (t <= EMPTY_ONE && !ib) ib = b, ii = i;
        if (t == EMPTY_REST) goto absent;
        continue;
      }
      if (ld(p, &b->keys[i], 8) != key) continue;
      st_pub(m, p, &b->vals[i], val, 8); /* an update publishes the value */
      goto out;
    }
    hmap_bucket *o = ld_ptr(m, p, &b->overflow);
    if (!o) break;
    b = o;
  }
absent:
  if (!growing(m, p) && over_load(ld(p, &h->count, 8) + 1, B)) {
    if ((rc = hash_grow(m, p))) goto out;
    goto again;
  }
  if (!ib) { /* chain full: fill a new overflow bucket, then link it */
    hmap_bucket *nb = new_overflow(m, p);
    if (!nb) {
      rc = HMAP_ENOMEM;
      goto out;
    }
    st(p, &nb->keys[0], key, 8);
    st(p, &nb->vals[0], val, 8);
    st(p, &nb->tophash[0], top, 1);
    st_pub(m, p, &b->overflow, INT(nb), 8);
  } else {
    st(p, &ib->keys[ii], key, 8);
    st(p, &ib->vals[ii], val, 8);
    st_pub(m, p, &ib->tophash[ii], top, 1);
  }
  count_add(m, p, 1);
out:;
  int rc2 = writing_end(m, p);
  return rc ? rc : rc2;
}

/* Go's mapaccessK: find key without the hashWriting check (the iterator's
 * lookup of a key whose bucket moved since the iteration began). */
static int access_k(mem_port *p, const hmap *m, uint64_t key, uint64_t *val) {
  hmap_hdr *h = m->h;
  uint64_t hash = hmap_hash(m, p, key), mask = (UINT64_C(1) << ld(p, &h->B, 8)) - 1;
  uint8_t top = tophash(hash);
  hmap_bucket *b = hmap_bucket_at(p, m, hash & mask), *old = ld_ptr(m, p, &h->oldbuckets);
  if (old && !evacuated(p, &old[hash & (mask >> 1)])) b = &old[hash & (mask >> 1)];
  for (; b; b = ld_ptr(m, p, &b->overflow))
    for (unsigned i = 0; i < HMAP_SLOTS; i++) {
      uint64_t t = ld_pub(m, p, &b->tophash[i], 1);
      if (t != top) {
        if (t == EMPTY_REST) return HMAP_NOTFOUND;
        continue;
      }
      if (ld(p, &b->keys[i], 8) != key) continue;
      *val = ld_pub(m, p, &b->vals[i], 8);
      return HMAP_OK;
    }
  return HMAP_NOTFOUND;
}

static int lookup_in(mem_port *p, const hmap *m, uint64_t key, uint64_t *val) {
  if (ld_pub(m, p, &m->h->count, 8) == 0) return HMAP_NOTFOUND;
  if (ld(p, &m->h->flags, 8) & HMAP_WRITING) return HMAP_CONCURRENT; /* Go: fatal */
  return access_k(p, m, key, val);
}

static int delete_in(mem_port *p, const hmap *m, uint64_t key) {
  hmap_hdr *h = m->h;
  if (ld(p, &h->count, 8) == 0) return HMAP_NOTFOUND;
  uint64_t hash = hmap_hash(m, p, key);
  uint8_t top = tophash(hash);
  int rc = writing_begin(m, p);
  if (rc) return rc;
  uint64_t bi = hash & ((UINT64_C(1) << ld(p, &h->B, 8)) - 1);
  if (growing(m, p) && (rc = grow_work(m, p, bi))) goto out;
  hmap_bucket *orig = hmap_bucket_at(p, m, bi);
  rc = HMAP_NOTFOUND;
  for (hmap_bucket *b = orig; b; b = ld_ptr(m, p, &b->overflow))
    for (unsigned i = 0; i < HMAP_SLOTS; i++) {
      uint64_t t = ld(p, &b->tophash[i], 1);
      if (t != top) {
        if (t == EMPTY_REST) goto out;
        continue;
      }
      if (ld(p, &b->keys[i], 8) != key) continue;
      hmap_bucket *slot_b = b;
      unsigned slot = i;
      st_pub(m, p, &b->tophash[i], EMPTY_ONE, 1);
      /* Go: if every later slot is empty, turn this and earlier tombstones
       * into emptyRest so lookups stop early. */
      bool last;
      if (i == HMAP_SLOTS - 1) {
        hmap_bucket *o = ld_ptr(m, p, &b->overflow);
        last = !o || ld(p, &o->tophash[0], 1) == EMPTY_REST;
      } else {
        last = ld(p, &b->tophash[i + 1], 1) == EMPTY_REST;
      }
      while (last) {
        st(p, &b->tophash[i], EMPTY_REST, 1);
        if (i == 0) {
          if (b == orig) break;
          hmap_bucket *c = b;
          for (b = orig; ld_ptr(m, p, &b->overflow) != c; b = ld_ptr(m, p, &b->overflow)) {
          }
          i = HMAP_SLOTS - 1;
        } else {
          i--;
        }
        if (ld(p, &b->tophash[i], 1) != EMPTY_ONE) break;
      }
      /* The pin check comes after the tombstone (Dekker with hmap_pin). */
      if (m->v == HMAP_FENCED) mem_fence(p, MF_FULL);
      if (pins_in(p, m, orig) == 0) {
        st(p, &slot_b->keys[slot], 0, 8);
        st(p, &slot_b->vals[slot], 0, 8);
      }
      count_add(m, p, -1);
      rc = HMAP_OK;
      goto out;
    }
out:;
  int rc2 = writing_end(m, p);
  return rc == HMAP_OK || rc == HMAP_NOTFOUND ? (rc2 ? rc2 : rc) : rc;
}

/* --- Public operations: the variant's lock and trailing fence ------------- */

const char *const hmap_op_name[HMAP_NOPS] = {
#define X(id, name) name,
    HMAP_OPS(X)
#undef X
};

/* The next call's tag (hmap.h): keep the caller's bits, count the call. */
static void tag(mem_port *p, hmap_op op) {
  uint32_t call = (HMAP_TAG_CALL(p->tag) + 1) & 0x7fffu;
  p->tag = (p->tag & ~UINT32_C(0x7fffff)) | call << 8 | (uint32_t)op;
}

int hmap_assign(mem_port *p, const hmap *m, uint64_t key, uint64_t val) {
  tag(p, HMAP_OP_ASSIGN);
  lock(m, p);
  int rc = assign_in(p, m, key, val);
  unlock(m, p);
  if (m->v == HMAP_FENCED) mem_fence(p, MF_FULL); /* the write is visible on return */
  return rc;
}

int hmap_lookup(mem_port *p, const hmap *m, uint64_t key, uint64_t *val) {
  tag(p, HMAP_OP_LOOKUP);
  rlock(m, p);
  int rc = lookup_in(p, m, key, val);
  runlock(m, p);
  return rc;
}

int hmap_delete(mem_port *p, const hmap *m, uint64_t key) {
  tag(p, HMAP_OP_DELETE);
  lock(m, p);
  int rc = delete_in(p, m, key);
  unlock(m, p);
  if (m->v == HMAP_FENCED) mem_fence(p, MF_FULL);
  return rc;
}

uint64_t hmap_len(mem_port *p, const hmap *m) {
  tag(p, HMAP_OP_LEN);
  rlock(m, p);
  uint64_t n = ld_pub(m, p, &m->h->count, 8);
  runlock(m, p);
  return n;
}

void hmap_pin(mem_port *p, const hmap *m, hmap_bucket *head) {
  tag(p, HMAP_OP_PIN);
  rlock(m, p);
  pin_in(p, m, head);
  runlock(m, p);
}

void hmap_unpin(mem_port *p, const hmap *m, hmap_bucket *head) {
  tag(p, HMAP_OP_UNPIN);
  rlock(m, p);
  unpin_in(p, m, head);
  runlock(m, p);
}

uint64_t hmap_pins(mem_port *p, const hmap *m, hmap_bucket *head) {
  tag(p, HMAP_OP_PINS);
  rlock(m, p);
  uint64_t n = pins_in(p, m, head);
  runlock(m, p);
  return n;
}

hmap_bucket *hmap_overflow(mem_port *p, const hmap *m, hmap_bucket *b) {
  tag(p, HMAP_OP_OVERFLOW);
  rlock(m, p);
  hmap_bucket *o = ld_ptr(m, p, &b->overflow);
  runlock(m, p);
  return o;
}

int hmap_each(mem_port *p, const hmap *m, int (*fn)(void *ctx, mem_port *p, uint64_t key,
                                                    uint64_t val), void *ctx) {
  uint64_t nb = UINT64_C(1) << ld(p, &m->h->B, 8);
  hmap_bucket *buckets = PTR(ld(p, &m->h->buckets, 8));
  for (uint64_t i = 0; i < nb; i++)
    for (hmap_bucket *b = &buckets[i]; b; b = PTR(ld(p, &b->overflow, 8)))
      for (unsigned s = 0; s < HMAP_SLOTS; s++) {
        if (ld(p, &b->tophash[s], 1) < HMAP_MIN_TOPHASH) continue;
        int rc = fn(ctx, p, ld(p, &b->keys[s], 8), ld(p, &b->vals[s], 8));
        if (rc) return rc;
      }
  return HMAP_OK;
}

static int copy_one(void *dst, mem_port *p, uint64_t key, uint64_t val) {
  return hmap_assign(p, dst, key, val);
}

int hmap_copy(mem_port *p, const hmap *dst, const hmap *src) {
  return hmap_each(p, src, copy_one, (void *)dst);
}

/* Lookup without Go's count shortcut and hashWriting check, relaxed: for
 * oracles reading a final state that a race may have left odd. */
int hmap_probe(mem_port *p, const hmap *m, uint64_t key, uint64_t *val) {
  hmap_hdr *h = m->h;
  uint64_t hash = hmap_hash(m, p, key), mask = (UINT64_C(1) << ld(p, &h->B, 8)) - 1;
  uint8_t top = tophash(hash);
  hmap_bucket *b = PTR(ld(p, &h->buckets, 8)) + (hash & mask), *old = PTR(ld(p, &h->oldbuckets, 8));
  if (old && !evacuated(p, &old[hash & (mask >> 1)])) b = &old[hash & (mask >> 1)];
  for (; b; b = PTR(ld(p, &b->overflow, 8)))
    for (unsigned i = 0; i < HMAP_SLOTS; i++)
      if (ld(p, &b->tophash[i], 1) == top && ld(p, &b->keys[i], 8) == key) {
        *val = ld(p, &b->vals[i], 8);
        return HMAP_OK;
      }
  return HMAP_NOTFOUND;
}

/* --- Iteration ------------------------------------------------------------ */

/* Go's mapiterinit: the iterator keeps the bucket array and B it began
 * with, so a growth later in the iteration does not move it. */
void hmap_iter_init(mem_port *p, const hmap *m, hmap_iter *it) {
  tag(p, HMAP_OP_ITER_INIT);
  memset(it, 0, sizeof *it);
  rlock(m, p);
  it->B = ld(p, &m->h->B, 8);
  it->buckets = ld_ptr(m, p, &m->h->buckets);
  const uint64_t both = HMAP_ITERATOR | HMAP_OLD_ITERATOR;
  if ((ld(p, &m->h->flags, 8) & both) != both) /* Go: atomic.Or8 */
    mem_rmw(p, &m->h->flags, RMW_OR, both, 8);
  runlock(m, p);
}

static void iter_leave(mem_port *p, const hmap *m, hmap_iter *it) {
  if (it->head) unpin_in(p, m, it->head);
  it->head = it->b = NULL;
}

/* Go's mapiternext, bucket by bucket of the array the iteration began with
 * (it->buckets, 2^it->B of them). */
static int iter_next_in(mem_port *p, const hmap *m, hmap_iter *it, uint64_t *key, uint64_t *val) {
  hmap_hdr *h = m->h;
  if (ld(p, &h->flags, 8) & HMAP_WRITING) { /* Go: fatal */
    iter_leave(p, m, it);
    it->bucket = UINT64_C(1) << it->B;
    return HMAP_CONCURRENT;
  }
  uint64_t hash0 = ld(p, &h->hash0, 8), nb = UINT64_C(1) << it->B;
  for (;;) {
    if (!it->b) { /* enter the chain of it->bucket */
      if (it->bucket >= nb) return HMAP_NOTFOUND;
      hmap_bucket *head = &it->buckets[it->bucket], *old = ld_ptr(m, p, &h->oldbuckets);
      it->old = false;
      /* Begun in the middle of a growth that is not done: an old bucket
       * not yet evacuated holds this bucket's keys (and its sibling's). */
      if (old && ld(p, &h->B, 8) == it->B) {
        hmap_bucket *ob = &old[it->bucket & (nb / 2 - 1)];
        if (!evacuated(p, ob)) head = ob, it->old = true;
      }
      pin_in(p, m, head);
      it->head = it->b = head;
      it->slot = 0;
    }
    while (it->slot < HMAP_SLOTS) {
      unsigned i = it->slot++;
      uint64_t t = ld_pub(m, p, &it->b->tophash[i], 1);
      if (t <= EMPTY_ONE || t == EVAC_EMPTY) continue;
      uint64_t k = ld(p, &it->b->keys[i], 8);
      /* An old bucket holds keys of two new buckets: only ours. */
      if (it->old && (hashk(hash0, k) & (nb - 1)) != it->bucket) continue;
      if (t != EVAC_X && t != EVAC_Y) { /* the golden data */
        *key = k;
        *val = ld_pub(m, p, &it->b->vals[i], 8);
        return HMAP_OK;
      }
      /* The map grew since the iteration began and this slot moved: the
       * key's current value is wherever a lookup finds it, if anywhere. */
      if (ld_pub(m, p, &h->count, 8) == 0 || access_k(p, m, k, val) != HMAP_OK) continue;
      *key = k;
      return HMAP_OK;
    }
    hmap_bucket *o = ld_ptr(m, p, &it->b->overflow);
    if (o) {
      it->b = o, it->slot = 0;
      continue;
    }
    iter_leave(p, m, it);
    it->bucket++;
  }
}

int hmap_iter_next(mem_port *p, const hmap *m, hmap_iter *it, uint64_t *key, uint64_t *val) {
  tag(p, HMAP_OP_ITER_NEXT);
  rlock(m, p);
  int rc = iter_next_in(p, m, it, key, val);
  runlock(m, p);
  return rc;
}

void hmap_iter_done(mem_port *p, const hmap *m, hmap_iter *it) {
  tag(p, HMAP_OP_ITER_DONE);
  rlock(m, p);
  iter_leave(p, m, it);
  runlock(m, p);
}

/* --- Debug ---------------------------------------------------------------- */

static bool check_chain(mem_port *p, const hmap *m, hmap_bucket *b, uint64_t *live, char *why,
                        size_t n) {
  bool rest = false;
  for (; b; b = ld_ptr(m, p, &b->overflow))
    for (unsigned i = 0; i < HMAP_SLOTS; i++) {
      uint64_t t = ld(p, &b->tophash[i], 1);
      if (rest && t != EMPTY_REST) {
        snprintf(why, n, "H3: slot after emptyRest has tophash %u", (unsigned)t);
        return false;
      }
      rest = t == EMPTY_REST;
      *live += t >= HMAP_MIN_TOPHASH;
    }
  return true;
}

bool hmap_check(mem_port *p, const hmap *m, char *why, size_t n) {
  hmap_hdr *h = m->h;
  uint64_t B = ld(p, &h->B, 8), nb = UINT64_C(1) << B, live = 0;
  hmap_bucket *b = ld_ptr(m, p, &h->buckets), *old = ld_ptr(m, p, &h->oldbuckets);
  for (uint64_t i = 0; i < nb; i++) {
    hmap_bucket *c = &b[i];
    if (old && !evacuated(p, &old[i & (nb / 2 - 1)])) {
      if (i >= nb / 2) continue; /* counted with its old bucket */
      c = &old[i];
    }
    if (!check_chain(p, m, c, &live, why, n)) return false;
  }
  uint64_t count = ld(p, &h->count, 8);
  if (count != live) {
    snprintf(why, n, "H1: count %llu but %llu live slots", (unsigned long long)count,
             (unsigned long long)live);
    return false;
  }
  return true;
}
