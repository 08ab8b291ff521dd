/* workloads/scenario_explain.c -- see scenario_explain.h. */
#include "scenario_explain.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wl_locs {
  const uint8_t *mem;  /* the machine's memory: host = mem + simulated */
  uint64_t lo, bytes;  /* the arena, simulated */
  int32_t *by_off;     /* location + 1 by offset in the arena; 0: not met */
  uint64_t *addr;      /* by location */
  unsigned n;
};

wl_locs *wl_locs_new(sim_machine *m, const void *arena, size_t bytes) {
  wl_locs *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  l->mem = sim_machine_mem(m);
  l->lo = sim_machine_addr(m, arena);
  l->bytes = bytes;
  l->by_off = calloc(bytes ? bytes : 1, sizeof *l->by_off);
  l->addr = malloc((bytes ? bytes : 1) * sizeof *l->addr);
  if (!l->by_off || !l->addr) wl_locs_free(l), l = NULL;
  return l;
}

void wl_locs_free(wl_locs *l) {
  if (!l) return;
  free(l->by_off);
  free(l->addr);
  free(l);
}

/* Numbered afresh every iteration, so a location's index depends on this
 * iteration only. */
static void locs_reset(wl_locs *l) {
  for (unsigned i = 0; i < l->n; i++) l->by_off[l->addr[i] - l->lo] = 0;
  l->n = 0;
}

static int loc_of(void *ctx, const trace_ev *e) {
  wl_locs *l = ctx;
  if (!(e->tag & HMAP_TAG_RACE) || e->addr < l->lo || e->addr - l->lo >= l->bytes) return -1;
  int32_t *slot = &l->by_off[e->addr - l->lo];
  if (!*slot) {
    l->addr[l->n] = e->addr;
    *slot = (int32_t)++l->n;
  }
  return *slot - 1;
}

static uint32_t call_of(uint32_t tag) { return HMAP_TAG_CALL(tag); }

int wl_explain_trace(wl_locs *l, const cpu_trace *tr, bool forbidden, explain_exec *x,
                     sim_err *err) {
  locs_reset(l);
  explain_opts o = {loc_of, l, call_of};
  int rc = explain_exec_build(tr, &o, x, err);
  if (!rc) explain_exec_prefer(x, !forbidden);
  return rc;
}

/* --- Names ----------------------------------------------------------------- */

/* A field of a bucket at byte off (of a field of `size` bytes there). */
static void bucket_field(char *buf, size_t n, size_t off) {
  size_t keys = offsetof(hmap_bucket, keys), vals = offsetof(hmap_bucket, vals);
  if (off < keys) snprintf(buf, n, "tophash[%zu]", off);
  else if (off < vals) snprintf(buf, n, "keys[%zu]", (off - keys) / 8);
  else if (off < offsetof(hmap_bucket, refcount)) snprintf(buf, n, "vals[%zu]", (off - vals) / 8);
  else if (off < offsetof(hmap_bucket, overflow)) snprintf(buf, n, "refcount");
  else snprintf(buf, n, "overflow");
}

static void header_field(char *buf, size_t n, size_t off) {
  static const struct { size_t at; const char *name; } f[] = {
      {offsetof(hmap_hdr, count), "count"},   {offsetof(hmap_hdr, flags), "flags"},
      {offsetof(hmap_hdr, B), "B"},           {offsetof(hmap_hdr, noverflow), "noverflow"},
      {offsetof(hmap_hdr, hash0), "hash0"},   {offsetof(hmap_hdr, buckets), "buckets"},
      {offsetof(hmap_hdr, oldbuckets), "oldbuckets"},
      {offsetof(hmap_hdr, nevacuate), "nevacuate"}, {offsetof(hmap_hdr, lock), "lock"}};
  const char *name = "header";
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
    if (off >= f[i].at) name = f[i].name;
  snprintf(buf, n, "%s", name);
}

/* The bytes of an 8-byte field that a piece covers, when it is a piece. */
static size_t field_base(size_t off, size_t keys_at) {
  return off < keys_at ? off : keys_at + (off - keys_at) / 8 * 8;
}

/* Where host address a lies in the bucket array `base` of nb buckets and
 * their overflow chains; false if elsewhere. */
static bool in_buckets(mem_port *peek, const char *what, const hmap_bucket *base, uint64_t nb,
                       const uint8_t *a, unsigned size, char *buf, size_t n) {
  for (uint64_t i = 0; base && i < nb; i++) {
    const hmap_bucket *b = &base[i];
    for (unsigned depth = 0; b && depth < 64; depth++) {
      const uint8_t *lo = (const uint8_t *)b;
      if (a >= lo && a < lo + sizeof *b) {
        size_t off = (size_t)(a - lo), at = field_base(off, offsetof(hmap_bucket, keys));
        char f[32], chain[24] = "";
        bucket_field(f, sizeof f, off);
        if (depth) snprintf(chain, sizeof chain, " overflow %u", depth);
        if (at != off || (size < 8 && off >= offsetof(hmap_bucket, keys)))
          snprintf(buf, n, "%s %llu%s %s bytes %zu-%zu", what, (unsigned long long)i, chain, f,
                   off - at, off - at + size - 1);
        else
          snprintf(buf, n, "%s %llu%s %s", what, (unsigned long long)i, chain, f);
        return true;
      }
      b = (const hmap_bucket *)(uintptr_t)mem_load(peek, &b->overflow, 8, MO_RELAXED);
    }
  }
  return false;
}

static void name_of(const wl_inst *inst, mem_port *peek, const uint8_t *a, unsigned size,
                    char *buf, size_t n) {
  for (int m = 0; m < 2; m++) {
    const hmap_hdr *h = inst->map[m].h;
    if (!h) continue;
    char pre[8] = "", what[24];
    if (inst->map[1].h) snprintf(pre, sizeof pre, "map%d.", m);
    if (a >= (const uint8_t *)h && a < (const uint8_t *)(h + 1)) {
      char f[32];
      header_field(f, sizeof f, (size_t)(a - (const uint8_t *)h));
      snprintf(buf, n, "%s%s", pre, f);
      return;
    }
    uint64_t nb = UINT64_C(1) << mem_load(peek, &h->B, 8, MO_RELAXED);
    snprintf(what, sizeof what, "%sbucket", pre);
    const hmap_bucket *b = (const hmap_bucket *)(uintptr_t)mem_load(peek, &h->buckets, 8, MO_RELAXED);
    if (in_buckets(peek, what, b, nb, a, size, buf, n)) return;
    snprintf(what, sizeof what, "%sold bucket", pre);
    b = (const hmap_bucket *)(uintptr_t)mem_load(peek, &h->oldbuckets, 8, MO_RELAXED);
    if (in_buckets(peek, what, b, nb / 2, a, size, buf, n)) return;
  }
  /* A growth that ended leaves no oldbuckets to name the old array by. */
  if (inst->grown_from &&
      in_buckets(peek, "old bucket", inst->grown_from, inst->ngrown_from, a, size, buf, n))
    return;
  snprintf(buf, n, "arena+%#llx", (unsigned long long)(a - inst->arena.base));
}

int wl_explained_name(wl_explained *w, const wl_locs *l, const wl_inst *inst, mem_port *peek,
                      sim_err *err) {
  w->loc_name = calloc(l->n ? l->n : 1, sizeof *w->loc_name);
  if (!w->loc_name) return sim_errf(err, SIM_ENOMEM, "out of memory");
  unsigned *size = calloc(l->n ? l->n : 1, sizeof *size); /* of the accesses there */
  if (!size) return sim_errf(err, SIM_ENOMEM, "out of memory");
  for (unsigned i = 0; i < w->x.nacc; i++) size[w->x.acc[i].loc] = w->x.acc[i].size;
  for (unsigned i = 0; i < l->n; i++)
    name_of(inst, peek, l->mem + l->addr[i], size[i] ? size[i] : 8, w->loc_name[i],
            sizeof w->loc_name[i]);
  free(size);
  for (unsigned i = 0; i < w->x.nmech; i++) {
    const explain_mechanism *m = &w->x.mech[i];
    name_of(inst, peek, l->mem + m->addr, m->size, w->mech_field[i], sizeof w->mech_field[i]);
  }
  return 0;
}

/* A pointer the map stored (a bucket's address, as an integer) is a host
 * address, which moves from run to run; as a simulated address it is the
 * same every time. */
static uint64_t unhost(const wl_locs *l, const wl_inst *inst, uint64_t v) {
  uint64_t lo = (uint64_t)(uintptr_t)inst->arena.base;
  return v >= lo && v - lo < inst->arena.size ? v - (uint64_t)(uintptr_t)l->mem : v;
}

void wl_explained_unhost(const wl_locs *l, const wl_inst *inst, explain_exec *x, cpu_trace *tr) {
  for (unsigned i = 0; i < x->nacc; i++) {
    x->acc[i].value = unhost(l, inst, x->acc[i].value);
    x->acc[i].wrote = unhost(l, inst, x->acc[i].wrote);
  }
  for (unsigned i = 0; i < x->nmech; i++) {
    x->mech[i].seen = unhost(l, inst, x->mech[i].seen);
    x->mech[i].sc_value = unhost(l, inst, x->mech[i].sc_value);
  }
  for (size_t i = 0; i < tr->n; i++) {
    if (tr->ev[i].kind == TRACE_MSG || tr->ev[i].kind == TRACE_CELL) continue;
    tr->ev[i].value = unhost(l, inst, tr->ev[i].value);
    tr->ev[i].wrote = unhost(l, inst, tr->ev[i].wrote);
  }
}

void wl_explained_free(wl_explained *w) {
  explain_exec_free(&w->x);
  free(w->loc_name);
  memset(w, 0, sizeof *w);
}

int wl_fix_variant(const wl_scenario *s, explain_mech k) {
  static const hmap_variant order[] = {HMAP_FENCED, HMAP_ATOMIC, HMAP_LOCKED};
  bool atomicity = k == EXPLAIN_TORN_ACCESS || k == EXPLAIN_RMW_INTERLEAVING;
  for (size_t i = atomicity ? 1 : 0; i < sizeof order / sizeof order[0]; i++)
    if (s->fixed_by & (1u << order[i])) return (int)order[i];
  return -1;
}
