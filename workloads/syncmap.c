/* workloads/syncmap.c -- see syncmap.h.  The functions follow Go's
 * sync/map.go (Load, Swap as Store, LoadAndDelete as Delete, missLocked,
 * dirtyLocked, and the entry's trySwap, unexpungeLocked, swapLocked,
 * tryExpungeLocked and delete) one for one. */
#include "syncmap.h"

#include "spinlock.h"

#define PTR64(x) ((uint64_t *)(uintptr_t)(x))
#define INT(x) ((uint64_t)(uintptr_t)(x))

static uint64_t ld(mem_port *p, const uint64_t *a) { return mem_load(p, a, 8, MO_RELAXED); }
static void st(mem_port *p, uint64_t *a, uint64_t v) { mem_store(p, a, v, 8, MO_RELAXED); }

static hmap handle(const syncmap *s, uint64_t hdr) {
  hmap m = s->tmpl;
  m.h = (hmap_hdr *)(uintptr_t)hdr;
  return m;
}

/* --- readOnly: {m, amended}, immutable once published -------------------- */

static void load_read(mem_port *p, const syncmap *s, uint64_t *m, bool *amended) {
  uint64_t *ro = PTR64(mem_load(p, &s->w->read, 8, MO_ACQUIRE));
  *m = ld(p, &ro[0]);
  *amended = ld(p, &ro[1]) != 0;
}

static int publish_read(mem_port *p, const syncmap *s, uint64_t m, bool amended) {
  uint64_t *ro = s->tmpl.alloc(s->tmpl.alloc_ctx, 2 * sizeof *ro);
  if (!ro) return HMAP_ENOMEM;
  st(p, &ro[0], m);
  st(p, &ro[1], amended);
  mem_store(p, &s->w->read, INT(ro), 8, MO_RELEASE);
  return HMAP_OK;
}

/* key's entry in the map at header m (0: an empty map). */
static int find(mem_port *p, const syncmap *s, uint64_t m, uint64_t key, uint64_t **e) {
  if (!m) return HMAP_NOTFOUND;
  hmap h = handle(s, m);
  uint64_t v;
  int rc = hmap_lookup(p, &h, key, &v);
  if (rc == HMAP_OK) *e = PTR64(v);
  return rc;
}

/* --- Entries -------------------------------------------------------------- */

static bool try_swap(mem_port *p, uint64_t *e, uint64_t v) {
  for (uint64_t old = mem_load(p, e, 8, MO_ACQUIRE);;) {
    if (old == SM_EXPUNGED) return false;
    if (mem_cas(p, e, &old, v, 8)) return true;
  }
}

static bool unexpunge_locked(mem_port *p, uint64_t *e) {
  uint64_t old = SM_EXPUNGED;
  return mem_cas(p, e, &old, 0, 8);
}

static bool try_expunge_locked(mem_port *p, uint64_t *e) {
  uint64_t v = mem_load(p, e, 8, MO_ACQUIRE);
  while (v == 0) {
    if (mem_cas(p, e, &v, SM_EXPUNGED, 8)) return true;
  }
  return v == SM_EXPUNGED;
}

static int entry_delete(mem_port *p, uint64_t *e) {
  for (uint64_t v = mem_load(p, e, 8, MO_ACQUIRE);;) {
    if (v == 0 || v == SM_EXPUNGED) return HMAP_NOTFOUND;
    if (mem_cas(p, e, &v, 0, 8)) return HMAP_OK;
  }
}

/* --- Under mu -------------------------------------------------------------- */

typedef struct copy_ctx {
  const syncmap *s;
  hmap *dirty;
} copy_ctx;

static int copy_unexpunged(void *ctx, mem_port *p, uint64_t key, uint64_t e) {
  copy_ctx *c = ctx;
  return try_expunge_locked(p, PTR64(e)) ? HMAP_OK : hmap_assign(p, c->dirty, key, e);
}

/* dirtyLocked: a dirty map made from read, deleted entries expunged. */
static int dirty_locked(mem_port *p, const syncmap *s, uint64_t readm) {
  if (ld(p, &s->w->dirty)) return HMAP_OK;
  hmap d;
  int rc = hmap_make(&d, p, s->tmpl.v, s->hint, s->hash0, s->tmpl.alloc, s->tmpl.alloc_ctx);
  if (!rc && readm) {
    hmap r = handle(s, readm);
    copy_ctx c = {s, &d};
    rc = hmap_each(p, &r, copy_unexpunged, &c);
  }
  if (!rc) st(p, &s->w->dirty, INT(d.h));
  return rc;
}

/* dirty (its header dm) becomes read; the next new key starts a dirty. */
static int promote_locked(mem_port *p, const syncmap *s, uint64_t dm) {
  int rc = publish_read(p, s, dm, false);
  st(p, &s->w->dirty, 0);
  st(p, &s->w->misses, 0);
  return rc;
}

/* missLocked: as many misses as dirty has keys promote it to read. */
static int miss_locked(mem_port *p, const syncmap *s) {
  uint64_t misses = ld(p, &s->w->misses) + 1, dm = ld(p, &s->w->dirty);
  hmap d = handle(s, dm);
  if (misses >= hmap_len(p, &d)) return promote_locked(p, s, dm);
  st(p, &s->w->misses, misses);
  return HMAP_OK;
}

/* --- Operations ------------------------------------------------------------ */

int syncmap_make(syncmap *s, mem_port *p, hmap_variant v, unsigned hint, uint64_t hash0,
                 hmap_alloc_fn alloc, void *ctx) {
  *s = (syncmap){.tmpl = {.v = v, .alloc = alloc, .alloc_ctx = ctx}, .hint = hint, .hash0 = hash0};
  s->w = alloc(ctx, sizeof *s->w);
  if (!s->w) return HMAP_ENOMEM;
  return publish_read(p, s, 0, false);
}

static void lock(mem_port *p, const syncmap *s) {
  uint64_t t0 = mem_now(p);
  mem_spin_lock(p, &s->w->mu, 8);
  p->lock_wait += mem_now(p) - t0;
}

/* key's entry: in read, lock-free; failing that, while read is amended,
 * under mu in read again (dirty may have been promoted meanwhile) and then
 * in dirty, counting a miss whether or not dirty has it, as Load and
 * LoadAndDelete do (del: LoadAndDelete's, which also takes it out of
 * dirty). */
static int find_entry(mem_port *p, const syncmap *s, uint64_t key, uint64_t **e, bool del) {
  uint64_t m;
  bool amended;
  load_read(p, s, &m, &amended);
  int rc = find(p, s, m, key, e);
  if (rc == HMAP_OK || !amended) return rc;
  lock(p, s);
  load_read(p, s, &m, &amended);
  if ((rc = find(p, s, m, key, e)) != HMAP_OK && amended) {
    hmap d = handle(s, ld(p, &s->w->dirty));
    if ((rc = find(p, s, INT(d.h), key, e)) == HMAP_OK && del) hmap_delete(p, &d, key);
    int mrc = miss_locked(p, s);
    if (mrc) rc = mrc;
  }
  mem_spin_unlock(p, &s->w->mu, 8);
  return rc;
}

int syncmap_load(mem_port *p, const syncmap *s, uint64_t key, uint64_t *val) {
  uint64_t *e = NULL;
  int rc = find_entry(p, s, key, &e, false);
  if (rc != HMAP_OK) return rc;
  uint64_t v = mem_load(p, e, 8, MO_ACQUIRE);
  if (v == 0 || v == SM_EXPUNGED) return HMAP_NOTFOUND;
  *val = v;
  return HMAP_OK;
}

int syncmap_store(mem_port *p, const syncmap *s, uint64_t key, uint64_t val) {
  uint64_t m, *e = NULL;
  bool amended;
  load_read(p, s, &m, &amended);
  if (find(p, s, m, key, &e) == HMAP_OK && try_swap(p, e, val)) return HMAP_OK;
  lock(p, s);
  load_read(p, s, &m, &amended);
  int rc = HMAP_OK;
  hmap d = handle(s, ld(p, &s->w->dirty));
  if (find(p, s, m, key, &e) == HMAP_OK) {
    if (unexpunge_locked(p, e)) rc = hmap_assign(p, &d, key, INT(e)); /* dirty lacked it */
    mem_rmw(p, e, RMW_XCHG, val, 8);
  } else if (find(p, s, INT(d.h), key, &e) == HMAP_OK) {
    mem_rmw(p, e, RMW_XCHG, val, 8);
  } else {
    if (!amended && !(rc = dirty_locked(p, s, m))) { /* the first new key since a promotion */
      d = handle(s, ld(p, &s->w->dirty));
      rc = publish_read(p, s, m, true);
    }
    e = rc ? NULL : s->tmpl.alloc(s->tmpl.alloc_ctx, sizeof *e);
    if (!rc && !e) rc = HMAP_ENOMEM;
    if (!rc) {
      st(p, e, val);
      rc = hmap_assign(p, &d, key, INT(e));
    }
  }
  mem_spin_unlock(p, &s->w->mu, 8);
  return rc;
}

int syncmap_delete(mem_port *p, const syncmap *s, uint64_t key) {
  uint64_t *e = NULL;
  int rc = find_entry(p, s, key, &e, true);
  return rc == HMAP_OK ? entry_delete(p, e) : rc;
}

int syncmap_promote(mem_port *p, const syncmap *s) {
  uint64_t dm = ld(p, &s->w->dirty);
  return dm ? promote_locked(p, s, dm) : HMAP_OK;
}
