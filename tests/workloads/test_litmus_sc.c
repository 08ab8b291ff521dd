/* tests/workloads/test_litmus_sc.c -- the SC reference (litmus_sc.c).
 *
 * shipped: the SC outcome set of every shipped test, against
 * tests/data/litmus_sc_sets.txt, written by the interleaving enumerator this
 * state-space search replaced: the new search must find exactly the same
 * sets.  One line per test: "FILE: outcome | outcome | ...", outcomes in
 * hist_sort order.  (MMSIM_SC_REBASE=1 rewrites the file; it was written once,
 * before the search was replaced, and should not need it again.)
 */
#include "../check.h"
#include "../litmus_files.h"
#include "workloads/litmus_sc.h"

/* "x.litmus: 0:EAX=0; 1:EAX=1; | ..." for t's SC set; caller frees. */
static char *sc_line(const char *path, const litmus_test *t, const sim_hist *sc) {
  size_t cap = 256 + hist_len(sc) * 256, used = 0;
  char *s = malloc(cap);
  CHECK(s != NULL);
  used += (size_t)snprintf(s, cap, "%s:", strrchr(path, '/') + 1);
  for (size_t i = 0; i < hist_len(sc); i++) {
    used += (size_t)snprintf(s + used, cap - used, i ? " | " : " ");
    used += litmus_outcome_format(t, hist_key(sc, i), s + used, cap - used);
    CHECK(used < cap);
  }
  return s;
}

static void t_shipped(void) {
  char golden[1024];
  snprintf(golden, sizeof golden, "%s/tests/data/litmus_sc_sets.txt", MMSIM_SOURCE_DIR);
  FILE *want = fopen(golden, getenv("MMSIM_SC_REBASE") ? "w" : "r");
  CHECK(want != NULL);
  static const char *const subs[] = {"c", "x86"};
  size_t n = 0;
  for (int d = 0; d < 2; d++) {
    litmus_files f;
    CHECK(litmus_files_list(subs[d], &f));
    for (size_t i = 0; i < f.n; i++, n++) {
      litmus_test *t;
      sim_hist *sc;
      sim_err err = {0, ""};
      if (litmus_parse_file(f.path[i], &t, &err)) CHECK__FAIL("%s", err.msg);
      if (litmus_sc_outcomes(t, &sc, &err)) CHECK__FAIL("%s", err.msg);
      char *got = sc_line(f.path[i], t, sc), line[8192];
      if (getenv("MMSIM_SC_REBASE")) {
        fprintf(want, "%s\n", got);
      } else {
        CHECK(fgets(line, sizeof line, want) != NULL);
        line[strcspn(line, "\n")] = '\0';
        CHECK_EQ_STR(got, line);
      }
      free(got);
      hist_free(sc);
      litmus_free(t);
    }
    litmus_files_free(&f);
  }
  CHECK(n >= 50);
  fclose(want);
}

static const check_case cases[] = {
    {"shipped", t_shipped},
    {0},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
