/* workloads/scn_pin.c -- the refcount family: iterators pin a bucket chain
 * by raising its reference count (hmap.h).
 *
 *   iterate-delete        thread 1 iterates the hot bucket {K, K2} (slot 0,
 *                         slot 1) while thread 0 deletes K.  The iterator
 *                         pins, then reads slots; the deleter writes K's
 *                         tombstone, then reads the pin count and clears K's
 *                         key and value only if it read 0.  The iterator
 *                         stops at K2 still holding its pin, so a 0 was read
 *                         before the pin.  Forbidden: cleared (the deleter
 *                         read 0) and the iterator read slot 0 live, without
 *                         catching the writer: SB's cycle, W_pin < R_top <
 *                         W_tomb < R_pin < W_pin.  tso lets it through.  A
 *                         cleared pair yielded is a torn_read, an intact one
 *                         a stale_read.  (When the iterator catches the
 *                         writer it leaves the chain and unpins, after which
 *                         0 is an SC answer, so caught outcomes are SC.)
 *                         Fixed by fenced (full fence after the pin and
 *                         before the count is read), atomic (both by RMW)
 *                         and locked.
 *   refcount-tear         the count is 0xFFFFFFFF; thread 0 pins (to
 *                         0x100000000) while thread 1 reads it.  A value
 *                         neither is torn: with cpu.atomic_width 4 (two
 *                         halves, natively too) under every model, sc
 *                         included; never with 8.  Fixed by atomic (RMW,
 *                         never split) and locked.
 *   refcount-lost-update  every thread pins workload.rounds times with a
 *                         plain load and store.  A final count short of
 *                         threads x rounds is a lost update; interleaving
 *                         alone produces it, under sc too (forbidden = 0).
 *                         Fixed by atomic and locked.
 */
#include "scenario.h"

#define OLD UINT64_C(0xFFFFFFFF)
#define NEW UINT64_C(0x100000000)

static uint64_t val_of(uint64_t k) { return k + 1000; }

/* --- iterate-delete ------------------------------------------------------- */

static size_t id_bytes(const wl_params *prm) { return wl__arena_bytes(prm, 1, 1); }

static int id_setup(wl_inst *x, mem_port *p) {
  int rc = wl__make(x, p, 0, 2);
  for (int i = 0; i < 2 && !rc; i++) {
    x->key[i] = wl__key_in_bucket(x, p, 0, 0);
    rc = hmap_assign(p, &x->map[0], x->key[i], val_of(x->key[i]));
  }
  x->hot = hmap_bucket_at(p, &x->map[0], 0);
  return rc;
}

static void id_thread(wl_inst *x, mem_port *p, unsigned tid) {
  if (tid == 0) {
    WL_OP(x, tid, hmap_delete(p, &x->map[0], x->key[0]));
    return;
  }
  hmap_iter it;
  uint64_t k, v;
  int64_t *o = x->obs[1];
  o[0] = o[1] = 0;
  WL_OPV(x, tid, hmap_iter_init(p, &x->map[0], &it));
  for (;;) {
    int rc = WL_OP(x, tid, hmap_iter_next(p, &x->map[0], &it, &k, &v));
    if (rc == HMAP_CONCURRENT) o[1] = 1;
    if (rc != HMAP_OK) break;
    if (k == x->key[1] && v == val_of(k)) break; /* K2: stop inside the chain, pinned */
    if (k >= UINT64_C(1) << 40 && v == k) continue; /* background, other buckets */
    o[0] = k == x->key[0] && v == val_of(k) ? 1 : 2;
  }
}

static void id_observe(wl_inst *x, mem_port *p, int64_t *out) {
  out[0] = mem_load(p, &x->hot->keys[0], 8, MO_RELAXED) == 0; /* the deleter read 0 pins */
  out[1] = x->obs[1][0];
  out[2] = x->obs[1][1];
}

static const char *id_classify(const wl_params *prm, const int64_t *o, bool *forbidden) {
  (void)prm;
  *forbidden = o[0] == 1 && o[1] != 0 && o[2] == 0;
  if (!*forbidden) return NULL;
  return o[1] == 2 ? "torn_read" : "stale_read";
}

const wl_scenario wl_iterate_delete = {
    .name = "iterate-delete",
    .doc = "an iterator pins a bucket and reads it while a writer deletes from it",
    .role = {"deleter", "iterator"},
    .anomaly = "stale_read", .min_threads = 2, .max_threads = 2,
    .fixed_by = (1u << HMAP_FENCED) | (1u << HMAP_ATOMIC) | (1u << HMAP_LOCKED) | (1u << HMAP_RWMUTEX),
    .nobs = 3, .obs_name = {"cleared", "slot0", "caught"},
    .arena_bytes = id_bytes, .setup = id_setup, .thread = id_thread,
    .observe = id_observe, .classify = id_classify,
};

/* --- refcount-tear -------------------------------------------------------- */

static int rt_setup(wl_inst *x, mem_port *p) {
  int rc = wl__make(x, p, 0, 1);
  if (rc) return rc;
  x->hot = hmap_bucket_at(p, &x->map[0], 0);
  mem_store(p, &x->hot->refcount, OLD, 8, MO_RELAXED); /* OLD pins already held */
  return HMAP_OK;
}

static void rt_thread(wl_inst *x, mem_port *p, unsigned tid) {
  if (tid == 0) {
    WL_OPV(x, tid, hmap_pin(p, &x->map[0], x->hot));
    return;
  }
  int64_t *o = x->obs[1];
  o[0] = o[1] = o[2] = 0;
  for (int i = 0; i < WL_SPIN; i++) {
    uint64_t v = WL_OP(x, tid, hmap_pins(p, &x->map[0], x->hot));
    if (v == NEW) {
      o[0] = 1;
      break;
    }
    if (v != OLD) {
      o[1] = 1, o[2] = (int64_t)v;
      break;
    }
  }
}

static void rt_observe(wl_inst *x, mem_port *p, int64_t *out) {
  (void)p;
  for (int i = 0; i < 3; i++) out[i] = x->obs[1][i];
}

static const char *rt_classify(const wl_params *prm, const int64_t *o, bool *forbidden) {
  (void)prm;
  *forbidden = o[1] != 0;
  return *forbidden ? "torn_read" : NULL;
}

const wl_scenario wl_refcount_tear = {
    .name = "refcount-tear",
    .doc = "a 64-bit pin count moves from 0xFFFFFFFF to 0x100000000 while another thread reads it",
    .role = {"pinner", "reader"},
    .anomaly = "torn_read", .min_threads = 2, .max_threads = 2,
    .fixed_by = (1u << HMAP_ATOMIC) | (1u << HMAP_LOCKED) | (1u << HMAP_RWMUTEX),
    .nobs = 3, .obs_name = {"new", "torn", "value"},
    .arena_bytes = id_bytes, .setup = rt_setup, .thread = rt_thread,
    .observe = rt_observe, .classify = rt_classify,
};

/* --- refcount-lost-update ------------------------------------------------- */

static int lu_setup(wl_inst *x, mem_port *p) {
  int rc = wl__make(x, p, 0, 1);
  x->hot = hmap_bucket_at(p, &x->map[0], 0);
  return rc;
}

static void lu_thread(wl_inst *x, mem_port *p, unsigned tid) {
  for (unsigned r = 0; r < x->prm->rounds; r++)
    WL_OPV(x, tid, hmap_pin(p, &x->map[0], x->hot));
}

static void lu_observe(wl_inst *x, mem_port *p, int64_t *out) {
  out[0] = (int64_t)mem_load(p, &x->hot->refcount, 8, MO_RELAXED);
}

static const char *lu_classify(const wl_params *prm, const int64_t *o, bool *forbidden) {
  *forbidden = false; /* interleaving alone loses updates */
  return o[0] != (int64_t)prm->threads * prm->rounds ? "lost_update" : NULL;
}

const wl_scenario wl_refcount_lost_update = {
    .name = "refcount-lost-update",
    .doc = "every thread pins one bucket workload.rounds times with a plain increment",
    .role = {"pinner", "pinner"},
    .anomaly = "lost_update", .min_threads = 2, .max_threads = WL_MAX_THREADS,
    .fixed_by = (1u << HMAP_ATOMIC) | (1u << HMAP_LOCKED) | (1u << HMAP_RWMUTEX),
    .nobs = 1, .obs_name = {"pins"},
    .arena_bytes = id_bytes, .setup = lu_setup, .thread = lu_thread,
    .observe = lu_observe, .classify = lu_classify,
};
