/* cache/check.c -- the invariant checker (cache.check).
 *
 * After every protocol step on a line (one cell fired, at an L1 or the dir)
 * it checks, for that line:
 *   C1  Single writer, multiple readers: at most one core holds it in E or
 *       M, and then no core holds a readable S copy (S, SM_AD, SM_A).
 *   C2  Data value: every readable copy (S, SM_AD, SM_A, E, M) holds the
 *       line's last written value, the golden copy; so does the LLC when no
 *       core owns the line (dir I or S), and memory when the LLC lacks it.
 * The golden copy of a line is taken from memory when the line is first
 * read in an iteration and follows every store as it performs.  Taking it
 * only once per iteration is deliberate: refreshing it from memory on a
 * later read would hide a lost writeback.
 *
 * A violation prints the line's history (its last steps among the last
 * CHECK_HISTORY protocol steps of the machine) to stderr, as a bug report,
 * and stops the run through memsys_fault.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mesi_int.h"

#define CHECK_HISTORY 4096

typedef struct step {
  uint64_t cycle, line;
  unsigned node;
  const char *ev, *from, *to;
} step;

struct mesi_check {
  mesi *m;
  uint8_t *golden;
  uint8_t *valid; /* a byte per line: golden holds it */
  size_t nlines;
  step hist[CHECK_HISTORY];
  uint64_t nsteps;
};

mesi_check *check_new(mesi *m) {
  mesi_check *k = calloc(1, sizeof *k);
  if (!k) return NULL;
  k->m = m;
  k->nlines = (m->base.size + m->p.line_bytes - 1) / m->p.line_bytes;
  k->golden = calloc(k->nlines, m->p.line_bytes);
  k->valid = calloc(k->nlines, 1);
  if (!k->golden || !k->valid) {
    check_free(k);
    return NULL;
  }
  return k;
}

void check_free(mesi_check *k) {
  if (!k) return;
  free(k->golden);
  free(k->valid);
  free(k);
}

void check_reset(mesi_check *k) {
  memset(k->valid, 0, k->nlines);
  k->nsteps = 0;
}

void check_mem_fill(mesi_check *k, uint64_t line) {
  size_t i = line / k->m->p.line_bytes;
  if (i >= k->nlines || k->valid[i]) return;
  k->valid[i] = 1;
  size_t n = k->m->base.size - line < k->m->p.line_bytes ? k->m->base.size - line
                                                          : k->m->p.line_bytes;
  memcpy(k->golden + line, k->m->base.data + line, n);
}

void check_store(mesi_check *k, uint64_t addr, unsigned size, uint64_t value) {
  memsys_put(k->golden + addr, size, value);
}

static void report(mesi_check *k, uint64_t line, const char *what) {
  mesi *m = k->m;
  fprintf(stderr, "mmsim: coherence violation at line %#" PRIx64 ", cycle %" PRIu64 ": %s\n",
          line, sim_now(m->sim), what);
  fprintf(stderr, "  history of the line (node: event, from -> to):\n");
  uint64_t first = k->nsteps > CHECK_HISTORY ? k->nsteps - CHECK_HISTORY : 0;
  for (uint64_t i = first; i < k->nsteps; i++) {
    const step *s = &k->hist[i % CHECK_HISTORY];
    if (s->line != line) continue;
    char node[16];
    if (s->node >= m->p.cores)
      snprintf(node, sizeof node, "dir%u", s->node - m->p.cores);
    else
      snprintf(node, sizeof node, "l1[%u]", s->node);
    fprintf(stderr, "  cycle %8" PRIu64 "  %-6s %-12s %s -> %s\n", s->cycle, node, s->ev,
            s->from, s->to);
  }
  memsys_fault(&m->base, m->sim, "coherence violation at line %#" PRIx64 ", cycle %" PRIu64 ": %s",
               line, sim_now(m->sim), what);
}

void check_step(mesi_check *k, unsigned node, uint64_t line, const char *ev, const char *from,
                const char *to) {
  mesi *m = k->m;
  k->hist[k->nsteps++ % CHECK_HISTORY] = (step){sim_now(m->sim), line, node, ev, from, to};
  size_t i = line / m->p.line_bytes;
  bool have = i < k->nlines && k->valid[i];
  const uint8_t *gold = k->golden + line;
  unsigned owners = 0, readers = 0;
  char what[256];
  for (unsigned c = 0; c < m->p.cores; c++) {
    const cache_line *ln = cache_find(&m->l1[c].arr, line);
    if (!ln) continue;
    unsigned s = ln->state;
    bool readable = s == L1_S || s == L1_SM_AD || s == L1_SM_A || s == L1_E || s == L1_M;
    if (s == L1_E || s == L1_M) owners++;
    if (s == L1_S || s == L1_SM_AD || s == L1_SM_A) readers++;
    if (readable && have && memcmp(ln->data, gold, m->p.line_bytes) != 0) { /* C2 */
      snprintf(what, sizeof what, "l1[%u] holds the line in %s with stale data", c,
               l1_state_name[s]);
      report(k, line, what);
      return;
    }
  }
  if (owners > 1 || (owners && readers)) { /* C1 */
    snprintf(what, sizeof what, "%u cores hold it in E/M and %u in S", owners, readers);
    report(k, line, what);
    return;
  }
  if (!have) return;
  const cache_line *d = cache_find(&mesi_dir(m, line)->llc, line);
  size_t n = m->base.size - line < m->p.line_bytes ? m->base.size - line : m->p.line_bytes;
  if (d && (d->state == DIR_I || d->state == DIR_S) && memcmp(d->data, gold, m->p.line_bytes)) {
    snprintf(what, sizeof what, "the LLC holds stale data in dir state %s",
             dir_state_name[d->state]);
    report(k, line, what);
  } else if (!d && memcmp(m->base.data + line, gold, n)) {
    report(k, line, "memory holds stale data and no cache has the line");
  }
}
