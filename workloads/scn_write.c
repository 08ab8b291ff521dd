/* workloads/scn_write.c -- writers against writers.
 *
 *   write-detect-miss  every thread assigns its own key into the same
 *                      (empty) bucket at once.  Go's hashWriting check is a
 *                      plain load, a load-xor-store to set and a
 *                      load-and-store to clear: best effort.  Outcome: how
 *                      many writers caught the race, how many keys are
 *                      missing, the final count.  No catch but a missing
 *                      key or a short count is an undetected write;
 *                      interleaving reaches it under SC too (both writers
 *                      read the flag before either sets it), so forbidden
 *                      = 0; store buffers widen the window.  Fixed by
 *                      atomic (hashWriting set by CAS: a second writer
 *                      always fails it) and locked (no overlap at all).
 *   dekker-flags       two empty maps; thread i inserts a key into map i
 *                      (its flag: map i's count), then reads len of map
 *                      1-i.  Both seeing 0 is SB's forbidden outcome
 *                      (mutual exclusion lost): W_count0 < R_len1 <
 *                      W_count1 < R_len0 < W_count0.  tso and x86 show it.
 *                      The flag is the count, not a key's value, because a
 *                      lookup takes some twenty accesses: natively the
 *                      store commits long before a lookup reaches the
 *                      value (measured: 0 in 500,000), while len is one
 *                      load right behind the store, as in litmus SB.
 *                      Fixed by fenced (full fence ending every write),
 *                      atomic (count by RMW, a full fence here and on x86)
 *                      and locked (the next lock's CAS is a full fence).
 */
#include "scenario.h"

#define VAL 42

static size_t wd_bytes(const wl_params *prm) { return wl__arena_bytes(prm, 1, 2); }

static int wd_setup(wl_inst *x, mem_port *p) {
  int rc = wl__make(x, p, 0, x->prm->threads);
  for (unsigned i = 0; i < x->prm->threads && !rc; i++)
    x->key[i] = wl__key_in_bucket(x, p, 0, 0);
  return rc;
}

static void wd_thread(wl_inst *x, mem_port *p, unsigned tid) {
  x->obs[tid][0] = WL_OP(x, tid, hmap_assign(p, &x->map[0], x->key[tid], VAL)) == HMAP_CONCURRENT;
}

static void wd_observe(wl_inst *x, mem_port *p, int64_t *out) {
  hmap rd = x->map[0];
  rd.v = HMAP_UNSAFE; /* plain loads only: p may only load */
  out[0] = out[1] = 0;
  for (unsigned i = 0; i < x->prm->threads; i++) {
    uint64_t v;
    out[0] += x->obs[i][0];
    out[1] += hmap_probe(p, &rd, x->key[i], &v) != HMAP_OK;
  }
  out[2] = (int64_t)mem_load(p, &rd.h->count, 8, MO_RELAXED) - x->prm->keys;
}

static const char *wd_classify(const wl_params *prm, const int64_t *o, bool *forbidden) {
  *forbidden = false;
  if (o[0] != 0) return NULL; /* caught: Go would have stopped with a fatal error */
  return o[1] != 0 || o[2] != (int64_t)prm->threads ? "undetected_write" : NULL;
}

const wl_scenario wl_write_detect_miss = {
    .name = "write-detect-miss",
    .doc = "writers assign into one bucket at once; does Go's hashWriting check catch it?",
    .role = {"writer", "writer"},
    .anomaly = "undetected_write", .min_threads = 2, .max_threads = HMAP_SLOTS,
    .fixed_by = (1u << HMAP_ATOMIC) | (1u << HMAP_LOCKED) | (1u << HMAP_RWMUTEX),
    .nobs = 3, .obs_name = {"caught", "missing", "count"},
    .arena_bytes = wd_bytes, .setup = wd_setup, .thread = wd_thread,
    .observe = wd_observe, .classify = wd_classify,
};

/* --- dekker-flags --------------------------------------------------------- */

static size_t df_bytes(const wl_params *prm) { return wl__arena_bytes(prm, 2, 0); }

static int df_setup(wl_inst *x, mem_port *p) {
  int rc = HMAP_OK;
  for (int m = 0; m < 2 && !rc; m++)
    if (!(rc = wl__make(x, p, m, 1))) x->key[m] = wl__key_in_bucket(x, p, m, 0);
  return rc;
}

static void df_thread(wl_inst *x, mem_port *p, unsigned tid) {
  WL_OP(x, tid, hmap_assign(p, &x->map[tid], x->key[tid], 1));
  x->obs[tid][0] = WL_OP(x, tid, hmap_len(p, &x->map[1 - tid])) > x->prm->keys;
}

/* Every line of both maps in this thread's cache before the race. */
static void df_warm(wl_inst *x, mem_port *p, unsigned tid) {
  uint64_t v;
  (void)tid;
  for (int m = 0; m < 2; m++) hmap_probe(p, &x->map[m], x->key[m], &v), hmap_len(p, &x->map[m]);
}

static void df_observe(wl_inst *x, mem_port *p, int64_t *out) {
  (void)p;
  out[0] = x->obs[0][0];
  out[1] = x->obs[1][0];
}

static const char *df_classify(const wl_params *prm, const int64_t *o, bool *forbidden) {
  (void)prm;
  *forbidden = o[0] == 0 && o[1] == 0;
  return *forbidden ? "mutual_exclusion" : NULL;
}

const wl_scenario wl_dekker_flags = {
    .name = "dekker-flags",
    .doc = "each thread inserts into its own map, then checks that the other's is empty",
    .anomaly = "mutual_exclusion", .min_threads = 2, .max_threads = 2,
    .fixed_by = (1u << HMAP_FENCED) | (1u << HMAP_ATOMIC) | (1u << HMAP_LOCKED) | (1u << HMAP_RWMUTEX),
    .nobs = 2, .obs_name = {"saw1", "saw0"},
    .arena_bytes = df_bytes, .setup = df_setup, .thread = df_thread, .warm = df_warm,
    .observe = df_observe, .classify = df_classify,
};
