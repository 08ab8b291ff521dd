/* workloads/scn_grow.c -- the growth race: readers and an iterator meet a
 * map that is moving to a bucket array twice its size.
 *
 *   grow-evacuate  A map of 2^2 buckets holds 26 keys (7, 7, 6, 6 a
 *                  bucket: full to Go's load factor, no overflow).
 *                  Thread 0 (grower) inserts N1, whose old bucket is 1:
 *                  the 27th key starts a growth (hashGrow), and its
 *                  growWork evacuates old buckets 1 and 0.  It then
 *                  inserts N2 (old bucket 3), which evacuates 3 and 2 and
 *                  ends the growth.  Thread 1 (reader) looks up A1 (old
 *                  bucket 1) and A2 (old bucket 2), then deletes D (old
 *                  bucket 3), a write that helps evacuate.  Thread 2
 *                  (iterator) ranges over the whole map.
 *
 *                  Outcome: caught (calls that met Go's hashWriting check:
 *                  Go stops the program, so no anomaly), lookup_bad (A1 or
 *                  A2 not found or with a wrong value), iter_dup (keys the
 *                  range returned again), iter_missed (preloaded keys
 *                  other than D it never returned, or returned wrong),
 *                  gone (at the end: a key that should be there and is
 *                  not, or D there after its delete said OK), len_off
 *                  (final count minus the keys present).
 *
 *                  Whole operations in any order give zeros: Go's
 *                  iterator follows a key its bucket's evacuation moved
 *                  (hmap_iter_next).  Anything else is inconsistent_map:
 *                  a view no order of whole operations gives.  The
 *                  accesses of one operation interleaved with another's
 *                  reach it under SC (evacuate marks an old slot moved
 *                  before it copies the key, so a reader between the two
 *                  finds neither), so forbidden = 0; store buffers and
 *                  invalidate queues widen the windows.  Fixed by locked
 *                  and rwmutex (operations never overlap); not by fenced
 *                  or atomic, which order accesses but cannot make an
 *                  evacuation one step.
 *
 * workload.keys is not used: the layout above is the scenario.
 */
#include "scenario.h"

#define PRE 26                        /* keys preloaded: 6.5 per bucket of 2^2 */
static const unsigned quota[4] = {7, 7, 6, 6}; /* per old bucket */

enum { N1, N2, A1, A2, D }; /* x->key[] */

static uint64_t val_of(uint64_t k) { return k + 1000; }

static size_t ge_bytes(const wl_params *prm) { return wl__arena_bytes(prm, 1, 32); }

/* The next unused key whose bucket in 2^2 is `b`. */
static uint64_t key_in(wl_inst *x, mem_port *p, uint64_t *k, unsigned b) {
  while ((hmap_hash(&x->map[0], p, *k) & 3) != b) ++*k;
  return (*k)++;
}

static int ge_setup(wl_inst *x, mem_port *p) {
  int rc = hmap_make(&x->map[0], p, x->prm->variant, PRE, x->prm->hash0, wl_arena_alloc,
                     &x->arena);
  if (rc) return rc;
  uint64_t next[4] = {1, 1, 1, 1};
  for (unsigned b = 0; b < 4; b++)
    for (unsigned i = 0; i < quota[b]; i++) x->pre[x->npre++] = key_in(x, p, &next[b], b);
  for (unsigned i = 0; i < x->npre && !rc; i++)
    rc = hmap_assign(p, &x->map[0], x->pre[i], val_of(x->pre[i]));
  /* quota[] order: bucket 1's keys start at 7, bucket 2's at 14, 3's at 20 */
  x->key[A1] = x->pre[7], x->key[A2] = x->pre[14], x->key[D] = x->pre[PRE - 1];
  x->key[N1] = key_in(x, p, &next[1], 1), x->key[N2] = key_in(x, p, &next[3], 3);
  x->grown_from = hmap_bucket_at(p, &x->map[0], 0), x->ngrown_from = 4;
  return rc;
}

static unsigned pre_index(const wl_inst *x, uint64_t k) {
  for (unsigned i = 0; i < x->npre; i++)
    if (x->pre[i] == k) return i;
  return x->npre;
}

static void ge_thread(wl_inst *x, mem_port *p, unsigned tid) {
  const hmap *m = &x->map[0];
  int64_t *o = x->obs[tid];
  uint64_t k, v;
  o[0] = o[1] = o[2] = o[3] = 0;
  if (tid == 0) {
    for (int i = N1; i <= N2; i++) {
      int rc = WL_OP(x, tid, hmap_assign(p, m, x->key[i], val_of(x->key[i])));
      o[0] += rc == HMAP_CONCURRENT;
      o[1 + i] = rc == HMAP_OK; /* its key should be there */
    }
  } else if (tid == 1) {
    for (int i = A1; i <= A2; i++) {
      int rc = WL_OP(x, tid, hmap_lookup(p, m, x->key[i], &v));
      o[0] += rc == HMAP_CONCURRENT;
      o[1] += rc == HMAP_NOTFOUND || (rc == HMAP_OK && v != val_of(x->key[i]));
    }
    int rc = WL_OP(x, tid, hmap_delete(p, m, x->key[D]));
    o[0] += rc == HMAP_CONCURRENT;
    o[2] = rc == HMAP_OK; /* D should be gone */
  } else if (tid == 2) {
    uint8_t seen[PRE] = {0};
    hmap_iter it;
    WL_OPV(x, tid, hmap_iter_init(p, m, &it));
    int rc;
    while ((rc = WL_OP(x, tid, hmap_iter_next(p, m, &it, &k, &v))) == HMAP_OK) {
      unsigned i = pre_index(x, k);
      if (i == x->npre) continue; /* N1 or N2: may or may not be returned */
      o[1] += seen[i] > 0;      /* again */
      seen[i] += v == val_of(k); /* a wrong value is not a return of the key */
    }
    WL_OPV(x, tid, hmap_iter_done(p, m, &it));
    o[0] += rc == HMAP_CONCURRENT;
    for (unsigned i = 0; i < PRE && rc != HMAP_CONCURRENT; i++)
      o[2] += !seen[i] && x->pre[i] != x->key[D];
  }
}

static void ge_observe(wl_inst *x, mem_port *p, int64_t *out) {
  hmap rd = x->map[0];
  rd.v = HMAP_UNSAFE; /* plain loads only: p may only load */
  uint64_t v;
  int64_t present = 0, gone = 0;
  for (unsigned i = 0; i < x->npre + 2; i++) {
    uint64_t k = i < x->npre ? x->pre[i] : x->key[N1 + i - x->npre];
    bool in = hmap_probe(p, &rd, k, &v) == HMAP_OK && v == val_of(k), want = true;
    if (k == x->key[D]) want = !x->obs[1][2];
    else if (i >= x->npre) want = x->obs[0][1 + i - x->npre];
    present += in;
    gone += in != want && (want || k == x->key[D]);
  }
  out[0] = x->obs[0][0] + x->obs[1][0] + x->obs[2][0];
  out[1] = x->obs[1][1];
  out[2] = x->obs[2][1];
  out[3] = x->obs[2][2];
  out[4] = gone;
  out[5] = (int64_t)mem_load(p, &rd.h->count, 8, MO_RELAXED) - present;
}

static const char *ge_classify(const wl_params *prm, const int64_t *o, bool *forbidden) {
  (void)prm;
  *forbidden = false;
  if (o[0] != 0) return NULL; /* caught: Go would have stopped with a fatal error */
  for (int i = 1; i < 6; i++)
    if (o[i] != 0) return "inconsistent_map";
  return NULL;
}

const wl_scenario wl_grow_evacuate = {
    .name = "grow-evacuate",
    .doc = "an insert grows the map while a reader looks up and deletes and a third thread ranges",
    .role = {"grower", "reader", "iterator"},
    .anomaly = "inconsistent_map", .min_threads = 2, .max_threads = 3,
    .fixed_by = (1u << HMAP_LOCKED) | (1u << HMAP_RWMUTEX),
    .nobs = 6, .obs_name = {"caught", "lookup_bad", "iter_dup", "iter_missed", "gone", "len_off"},
    .arena_bytes = ge_bytes, .setup = ge_setup, .thread = ge_thread,
    .observe = ge_observe, .classify = ge_classify,
};
