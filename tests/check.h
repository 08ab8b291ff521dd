/* tests/check.h -- the unit-test harness: typed checks and a case table.
 *
 * After libuv's test-list.h and ASSERT_EQ: a test file lists its cases in one
 * table and each check prints both sides on failure.  A failing check ends
 * its case (the rest of the case would only report consequences) and the
 * file's process exits non-zero.  The last line is "N passed, N failed".
 *
 *   static void t_push(void) { CHECK_EQ_U64(sb_len(b), 1); }
 *   static const check_case cases[] = { {"push", t_push}, {0} };
 *   int main(int argc, char **argv) { return check_main(cases, argc, argv); }
 *
 * `test_x NAME` runs only the case NAME.
 *
 * CHECK_SKIP(reason...) ends a case that cannot give a verdict on this
 * machine (say, one CPU online for a race that needs two).  It prints
 * "SKIP: reason" and "skip NAME"; a file whose cases all passed or skipped, at least
 * one skipped, exits CHECK_SKIP_CODE, which CMakeLists.txt names as the
 * test's SKIP_RETURN_CODE, so CTest shows it skipped rather than passed.
 */
#ifndef MMSIM_TESTS_CHECK_H
#define MMSIM_TESTS_CHECK_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct check_case {
  const char *name;
  void (*fn)(void);
} check_case;

static jmp_buf check__jmp;
static int check__failed, check__skipped;

#define CHECK_SKIP_CODE 77

#define CHECK_SKIP(...)                                              \
  do {                                                               \
    printf("  SKIP: ");                                              \
    printf(__VA_ARGS__);                                             \
    putchar('\n');                                                   \
    check__skipped = 1;                                              \
    longjmp(check__jmp, 1);                                          \
  } while (0)

#define CHECK__FAIL(...)                                             \
  do {                                                               \
    fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                \
    fprintf(stderr, __VA_ARGS__);                                    \
    fputc('\n', stderr);                                             \
    check__failed = 1;                                               \
    longjmp(check__jmp, 1);                                          \
  } while (0)

#define CHECK(c)                                                     \
  do { if (!(c)) CHECK__FAIL("CHECK(%s) failed", #c); } while (0)

#define CHECK_EQ_U64(a, b)                                           \
  do {                                                               \
    uint64_t check_a_ = (uint64_t)(a), check_b_ = (uint64_t)(b);     \
    if (check_a_ != check_b_)                                        \
      CHECK__FAIL("%s == %s: %" PRIu64 " != %" PRIu64, #a, #b,       \
                  check_a_, check_b_);                               \
  } while (0)

#define CHECK_EQ_I64(a, b)                                           \
  do {                                                               \
    int64_t check_a_ = (int64_t)(a), check_b_ = (int64_t)(b);        \
    if (check_a_ != check_b_)                                        \
      CHECK__FAIL("%s == %s: %" PRId64 " != %" PRId64, #a, #b,       \
                  check_a_, check_b_);                               \
  } while (0)

#define CHECK_EQ_STR(a, b)                                           \
  do {                                                               \
    const char *check_a_ = (a), *check_b_ = (b);                     \
    if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0)   \
      CHECK__FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b,              \
                  check_a_ ? check_a_ : "(null)",                    \
                  check_b_ ? check_b_ : "(null)");                   \
  } while (0)

#define CHECK_CONTAINS(hay, needle)                                  \
  do {                                                               \
    const char *check_h_ = (hay), *check_n_ = (needle);              \
    if (!check_h_ || !strstr(check_h_, check_n_))                    \
      CHECK__FAIL("%s contains \"%s\": got \"%s\"", #hay, check_n_,  \
                  check_h_ ? check_h_ : "(null)");                   \
  } while (0)

/* A scratch folder for a test file's outputs: made before the cases run,
 * removed after they all pass, kept (and named) after a failure or when
 * MMSIM_KEEP_TEST_FILES is set, so a failure can be looked at. */
static inline int check_tmpdir_make(char *dir, size_t n, const char *name) {
  snprintf(dir, n, "/tmp/mmsim_%s.XXXXXX", name);
  if (mkdtemp(dir)) return 0;
  perror("mkdtemp");
  return 1;
}

/* dir/name, in one of four rotating buffers (so a call can use a few). */
static inline const char *check_path(const char *dir, const char *name) {
  static char buf[4][256];
  static int k;
  char *p = buf[k++ % 4];
  /* Checking the length also keeps GCC 12's -Wformat-truncation quiet in
   * the Release sanitizer build. */
  if (snprintf(p, 256, "%s/%s", dir, name) >= 256) {
    fprintf(stderr, "check_path: %s/%s is too long\n", dir, name);
    abort();
  }
  return p;
}

static inline void check_tmpdir_done(const char *dir, int rc) {
  if (rc == 0 && !getenv("MMSIM_KEEP_TEST_FILES")) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  } else {
    fprintf(stderr, "files kept in %s\n", dir);
  }
}

/* setjmp lives in its own frame so no local of the loop can be clobbered. */
static int check__run(const check_case *c) {
  check__failed = check__skipped = 0;
  if (setjmp(check__jmp) == 0) c->fn();
  return check__failed;
}

static inline int check_main(const check_case *cases, int argc, char **argv) {
  int passed = 0, failed = 0, skipped = 0;
  for (const check_case *c = cases; c->name; c++) {
    if (argc > 1 && strcmp(argv[1], c->name) != 0) continue;
    if (check__run(c)) {
      fprintf(stderr, "FAIL %s\n", c->name);
      failed++;
    } else if (check__skipped) {
      printf("skip %s\n", c->name);
      skipped++;
    } else {
      printf("ok   %s\n", c->name);
      passed++;
    }
  }
  if (skipped) printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  else printf("%d passed, %d failed\n", passed, failed);
  fflush(stdout);
  return failed ? 1 : skipped ? CHECK_SKIP_CODE : (passed ? 0 : 1);
}

#endif
