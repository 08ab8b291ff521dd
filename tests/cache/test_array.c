/* tests/cache/test_array.c -- cache/array.c: memory is paid as it is
 * touched, and a frame claimed for the first time is a whole frame. */
#include <unistd.h>

#include "../check.h"
#include "cache/array.h"

/* Resident bytes of this process (/proc/self/statm). */
static __attribute__((unused)) uint64_t rss_bytes(void) {
  unsigned long size = 0, res = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return 0;
  if (fscanf(f, "%lu %lu", &size, &res) != 2) res = 0;
  fclose(f);
  return (uint64_t)res * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* A 64K-set x 64-way array (4M frames, over 500 MiB if written) costs only
 * the sets a run touches. */
static void t_lazy(void) {
  cache_array a;
#ifndef MMSIM_SANITIZED /* ASan's allocator may touch what it hands out */
  uint64_t before = rss_bytes();
#endif
  CHECK(cache_array_init(&a, 65536, 64, 64));
  CHECK_EQ_U64(cache_array_bytes(65536, 64, 64),
               (uint64_t)65536 * 64 * (sizeof(cache_line) + 64 + sizeof(cache_line *)));
  for (uint64_t i = 0; i < 100; i++) {
    bool is_free;
    uint64_t line = i * 64 * 977; /* spread over sets */
    cache_line *l = cache_victim(&a, line, NULL, NULL, &is_free);
    CHECK(l && is_free);
    cache_claim(&a, l, line);
    l->state = 1;
    CHECK(l->data != NULL);
    CHECK_EQ_I64(l->owner, -1);
    l->data[63] = 7; /* the frame's own bytes */
    CHECK(cache_find(&a, line) == l);
  }
#ifndef MMSIM_SANITIZED /* ASan's allocator may touch what it hands out */
  CHECK(rss_bytes() - before < (uint64_t)32 << 20);
#endif
  CHECK(cache_array_check(&a)); /* reads every frame: after the measurement */
  cache_array_reset(&a);
  CHECK(cache_find(&a, 0) == NULL);
  cache_array_free(&a);
}

static const check_case cases[] = {{"lazy", t_lazy}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
