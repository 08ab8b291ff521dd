/* workloads/scn_publish.c -- the message-passing family: a writer publishes
 * through the map, a reader that sees the publication looks for what it
 * published.  Thread 0 writes, thread 1 reads.
 *
 * All three are MP (litmus MP) shaped: the writer's stores A then B, the
 * reader's loads B then A.  An outcome with B new and A old is forbidden:
 * SC would need W_A < W_B (program order) <= R_B (read new) < R_A (program
 * order) < W_A (read old), a cycle.  sc and tso keep both orders, so none
 * of the three appears there; pso (store->store) and weak (also
 * load->load) let them through, and on x86 hardware they never appear.
 *
 *   publish-flag      assign(K, 42) then assign(F, 1); the reader polls F
 *                     and then looks K up.  A = K's slot, B = F's value.
 *   delete-len        delete(K) from {K, J}; the reader polls len until it
 *                     drops, then looks K up.  A = K's tombstone, B = count.
 *   overflow-publish  the hot bucket is full; assign(K9) fills a new
 *                     overflow bucket and links it.  The reader reads the
 *                     link once (run.start_skew spreads when) and, if it is
 *                     set, looks K9 up.  A = K9's slot, B = the link.
 *
 * A reader's lookup may also catch the writer's hashWriting (Go's "concurrent
 * map read and map write"): recorded as res=2, an SC outcome.
 * Fixed by fenced (store fence before each publication, load fence after
 * each publication load), atomic (release/acquire) and locked.
 */
#include "scenario.h"

#define VAL 42
#define FIXED ((1u << HMAP_FENCED) | (1u << HMAP_ATOMIC) | (1u << HMAP_LOCKED) | (1u << HMAP_RWMUTEX))

static size_t arena_bytes(const wl_params *prm) { return wl__arena_bytes(prm, 1, 2); }

/* The reader's verdict on K: 0 found with the right value, 1 not found,
 * 2 concurrent write caught, 3 found with a wrong value. */
static int64_t probe(wl_inst *x, mem_port *p, unsigned tid, uint64_t key) {
  uint64_t v = 0;
  int rc = WL_OP(x, tid, hmap_lookup(p, &x->map[0], key, &v));
  if (rc == HMAP_OK) return v == VAL ? 0 : 3;
  return rc == HMAP_NOTFOUND ? 1 : 2;
}

/* Outcome: seen (the publication was seen), res (probe's verdict). */
static const char *classify(const wl_params *prm, const int64_t *o, bool *forbidden) {
  (void)prm;
  *forbidden = o[0] == 1 && (o[1] == 1 || o[1] == 3);
  return *forbidden ? "stale_read" : NULL;
}

/* Both threads, before the race: the lines of the keys it involves and the
 * count in their caches, as after earlier use of the map.  (With a miss on
 * every line the reader's first load of K's bucket would queue behind the
 * writer's own request for it at the directory and always read it new.) */
static void warm_keys(wl_inst *x, mem_port *p, const uint64_t *keys, int n) {
  uint64_t v;
  for (int i = 0; i < n; i++) hmap_probe(p, &x->map[0], keys[i], &v);
  hmap_len(p, &x->map[0]);
}

static void warm2(wl_inst *x, mem_port *p, unsigned tid) {
  (void)tid;
  warm_keys(x, p, x->key, 2);
}

static void observe(wl_inst *x, mem_port *p, int64_t *out) {
  (void)p;
  out[0] = x->obs[1][0];
  out[1] = x->obs[1][1];
}

/* --- publish-flag --------------------------------------------------------- */

static int pf_setup(wl_inst *x, mem_port *p) {
  int rc = wl__make(x, p, 0, 2);
  if (rc) return rc;
  x->key[0] = wl__key_in_bucket(x, p, 0, 0);                  /* K, in the hot bucket */
  uint64_t nb = UINT64_C(1) << mem_load(p, &x->map[0].h->B, 8, MO_RELAXED);
  x->key[1] = wl__key_in_bucket(x, p, 0, nb > 1 ? 1 : 0);     /* F, elsewhere if possible */
  return hmap_assign(p, &x->map[0], x->key[1], 0);
}

static void pf_thread(wl_inst *x, mem_port *p, unsigned tid) {
  if (tid == 0) {
    WL_OP(x, tid, hmap_assign(p, &x->map[0], x->key[0], VAL));
    WL_OP(x, tid, hmap_assign(p, &x->map[0], x->key[1], 1));
    return;
  }
  uint64_t f = 0;
  for (int i = 0; i < WL_SPIN && f != 1; i++)
    if (WL_OP(x, tid, hmap_lookup(p, &x->map[0], x->key[1], &f)) != HMAP_OK) f = 0;
  x->obs[1][0] = f == 1;
  x->obs[1][1] = f == 1 ? probe(x, p, tid, x->key[0]) : 1;
}

const wl_scenario wl_publish_flag = {
    .name = "publish-flag",
    .doc = "writer assigns K then sets flag F; a reader that sees F looks K up",
    .role = {"writer", "reader"},
    .anomaly = "stale_read", .min_threads = 2, .max_threads = 2, .fixed_by = FIXED,
    .nobs = 2, .obs_name = {"flag", "res"},
    .arena_bytes = arena_bytes, .setup = pf_setup, .thread = pf_thread, .warm = warm2,
    .observe = observe, .classify = classify,
};

/* --- delete-len ----------------------------------------------------------- */

static int dl_setup(wl_inst *x, mem_port *p) {
  int rc = wl__make(x, p, 0, 2);
  if (rc) return rc;
  x->key[0] = wl__key_in_bucket(x, p, 0, 0);
  x->key[1] = wl__key_in_bucket(x, p, 0, 0); /* J keeps count above 0 */
  if ((rc = hmap_assign(p, &x->map[0], x->key[0], VAL))) return rc;
  return hmap_assign(p, &x->map[0], x->key[1], VAL);
}

static void dl_thread(wl_inst *x, mem_port *p, unsigned tid) {
  uint64_t before = x->prm->keys + 2;
  if (tid == 0) {
    WL_OP(x, tid, hmap_delete(p, &x->map[0], x->key[0]));
    return;
  }
  uint64_t n = before;
  for (int i = 0; i < WL_SPIN && n == before; i++) n = WL_OP(x, tid, hmap_len(p, &x->map[0]));
  x->obs[1][0] = n == before - 1;
  /* Found after len dropped is stale; "not found" is this scenario's
   * success, so the verdicts swap: 1 = still there (stale). */
  int64_t r = x->obs[1][0] ? probe(x, p, tid, x->key[0]) : 1; /* unseen: res=0 */
  x->obs[1][1] = r == 0 ? 1 : r == 1 ? 0 : r;
}

/* The reader has looked K up before, but not len: with len's line in its
 * cache too, its spin would keep reading len's stale copy while len's Inv
 * waits behind K's in a weak core's invalidate queue (first in, first out),
 * and it could only ever see len drop after K's line is gone.  The writer
 * has used both. */
static void dl_warm(wl_inst *x, mem_port *p, unsigned tid) {
  if (tid == 0) {
    warm_keys(x, p, x->key, 2);
    return;
  }
  uint64_t v;
  for (int i = 0; i < 2; i++) hmap_probe(p, &x->map[0], x->key[i], &v);
}

const wl_scenario wl_delete_len = {
    .name = "delete-len",
    .doc = "writer deletes K; a reader that sees len drop looks K up",
    .role = {"writer", "reader"},
    .anomaly = "stale_read", .min_threads = 2, .max_threads = 2, .fixed_by = FIXED,
    .nobs = 2, .obs_name = {"len_dropped", "res"},
    .arena_bytes = arena_bytes, .setup = dl_setup, .thread = dl_thread, .warm = dl_warm,
    .observe = observe, .classify = classify,
};

/* --- overflow-publish ----------------------------------------------------- */

static int op_setup(wl_inst *x, mem_port *p) {
  int rc = wl__make(x, p, 0, HMAP_SLOTS + 1);
  if (rc) return rc;
  for (int i = 0; i < HMAP_SLOTS; i++) { /* fill the hot bucket */
    x->key[i] = wl__key_in_bucket(x, p, 0, 0);
    if ((rc = hmap_assign(p, &x->map[0], x->key[i], VAL))) return rc;
  }
  x->key[HMAP_SLOTS] = wl__key_in_bucket(x, p, 0, 0); /* goes to an overflow bucket */
  x->hot = hmap_bucket_at(p, &x->map[0], 0);
  return HMAP_OK;
}

static void op_thread(wl_inst *x, mem_port *p, unsigned tid) {
  if (tid == 0) {
    WL_OP(x, tid, hmap_assign(p, &x->map[0], x->key[HMAP_SLOTS], VAL));
    return;
  }
  /* One look, not a poll: a reader spinning on the link would hold its line
   * in S, so the writer's link store would be a miss sent after the bucket's
   * own misses and the reader would always learn of the link last. */
  hmap_bucket *o = hmap_overflow(p, &x->map[0], x->hot);
  x->obs[1][0] = o != NULL;
  x->obs[1][1] = o ? probe(x, p, tid, x->key[HMAP_SLOTS]) : 1;
}

/* The writer has been filling the hot bucket, so it holds the bucket's lines
 * (its link store can drain as a hit).  The reader has read the header, and
 * the memory the allocator hands out next: memory reused after an earlier
 * object died, still in the reader's cache with its old (zero) bytes. */
static void op_warm(wl_inst *x, mem_port *p, unsigned tid) {
  if (tid == 0) {
    warm_keys(x, p, &x->key[HMAP_SLOTS], 1);
    return;
  }
  hmap_len(p, &x->map[0]);
  const uint8_t *next = x->arena.base + x->arena.used;
  for (size_t o = 0; o < sizeof(hmap_bucket); o += 64) mem_load(p, next + o, 8, MO_RELAXED);
}

const wl_scenario wl_overflow_publish = {
    .name = "overflow-publish",
    .doc = "writer overflows a full bucket; a reader that sees the link looks the key up",
    .role = {"writer", "reader"},
    .anomaly = "stale_read", .min_threads = 2, .max_threads = 2, .fixed_by = FIXED,
    .nobs = 2, .obs_name = {"link", "res"},
    .arena_bytes = arena_bytes, .setup = op_setup, .thread = op_thread, .warm = op_warm,
    .observe = observe, .classify = classify,
};
