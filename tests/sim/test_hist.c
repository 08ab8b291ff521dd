/* tests/sim/test_hist.c -- sim/hist.c: counting outcomes as vectors. */
#include "../check.h"
#include "sim/hist.h"

static void t_count(void) {
  sim_hist *h = hist_new(2);
  int64_t a[2] = {0, 1}, b[2] = {1, 0}, c[2] = {0, 1};
  CHECK_EQ_U64(hist_add(h, a, 10), 0);
  CHECK_EQ_U64(hist_add(h, b, 11), 1);
  CHECK_EQ_U64(hist_add(h, c, 12), 0);
  CHECK_EQ_U64(hist_len(h), 2);
  CHECK_EQ_U64(hist_count(h, 0), 2);
  CHECK_EQ_U64(hist_first(h, 0), 10);
  CHECK_EQ_U64(hist_first(h, 1), 11);
  hist_free(h);
}

/* Many distinct outcomes force rehashing; counts and sort order survive. */
static void t_grow_sort(void) {
  sim_hist *h = hist_new(3);
  for (int rep = 0; rep < 3; rep++)
    for (int64_t i = 999; i >= 0; i--) {
      int64_t v[3] = {i % 7, -i, i};
      hist_add(h, v, (uint64_t)(rep * 1000 + i));
    }
  CHECK_EQ_U64(hist_len(h), 1000);
  hist_sort(h);
  for (size_t i = 0; i < hist_len(h); i++) {
    CHECK_EQ_U64(hist_count(h, i), 3);
    if (i) {
      const int64_t *p = hist_key(h, i - 1), *q = hist_key(h, i);
      CHECK(p[0] < q[0] || (p[0] == q[0] && p[1] < q[1]));
    }
    CHECK_EQ_U64(hist_first(h, i), (uint64_t)hist_key(h, i)[2]);
  }
  int64_t again[3] = {0, 0, 0};
  size_t at = hist_add(h, again, 5000);
  CHECK_EQ_U64(hist_count(h, at), 4);
  hist_free(h);
}

static const check_case cases[] = {{"count", t_count}, {"grow_sort", t_grow_sort}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
