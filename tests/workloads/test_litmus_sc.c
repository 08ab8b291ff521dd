/* tests/workloads/test_litmus_sc.c -- the SC reference (litmus_sc.c).
 *
 * shipped: the SC outcome set of every shipped test, against
 * tests/data/litmus_sc_sets.txt, written by the interleaving enumerator this
 * state-space search replaced: the new search must find exactly the same
 * sets.  One line per test: "FILE: outcome | outcome | ...", outcomes in
 * hist_sort order, found by file name (the next line of that name).  (MMSIM_SC_REBASE=1 rewrites the
 * file; it was written once, before the search was replaced.  Tests shipped
 * later, with locks, RCU, pointers and plain accesses the enumerator never
 * ran, were added by this search after their sets were checked by hand
 * against the tests' comments.)
 *
 * data_race: "Flag data-race" for plain accesses that nothing orders, and
 * none once a release/acquire pair orders them; on small tests, the same
 * flag as herd7 7.58 gives under linux-kernel.cfg.
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
        size_t name = strcspn(got, ":") + 1; /* "FILE:"; c/ and x86/ share names, in file order */
        bool found = false;
        for (int pass = 0; pass < 2 && !found; pass++) {
          if (pass) rewind(want);
          while (!found && fgets(line, sizeof line, want)) found = strncmp(line, got, name) == 0;
        }
        if (!found) CHECK__FAIL("%.*s is not in %s", (int)name, got, golden);
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

/* The SC search's statistics for a test, from its file (path) or its text. */
static litmus_sc_stats search_stats(const char *path, const char *text) {
  litmus_test *t;
  sim_hist *sc;
  litmus_sc_stats st;
  sim_err err = {0, ""};
  if ((text ? litmus_parse_string(path, text, &t, &err) : litmus_parse_file(path, &t, &err)) ||
      litmus_sc_search(t, LITMUS_SC_MAX_STATES, &sc, &st, &err))
    CHECK__FAIL("%s", err.msg);
  hist_free(sc);
  litmus_free(t);
  return st;
}

static bool races(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/litmus/c/%s.litmus", MMSIM_SOURCE_DIR, name);
  litmus_sc_stats st = search_stats(path, NULL);
  CHECK(st.plain);
  if (st.data_race) CHECK_CONTAINS(st.race, "x: P0 line 17 (plain write), P1 line 28 (plain read)");
  return st.data_race;
}

/* Small tests whose flag herd7 7.58 (linux-kernel.cfg) gives: the flag
 * must agree on each. */
static const struct {
  const char *threads;
  bool race;
} herd_races[] = {
    {"P0(int *x) { *x = 1; }\nP1(int *x) { *x = 2; }\n", true},
    {"P0(int *x) { WRITE_ONCE(*x, 1); }\nP1(int *x) { int r0; r0 = *x; }\n", true},
    {"P0(int *x) { int r0; r0 = *x; }\nP1(int *x) { int r0; r0 = *x; }\n", false},
    {"P0(int *x, spinlock_t *l) { spin_lock(l); *x = 1; spin_unlock(l); }\n"
     "P1(int *x, spinlock_t *l) { int r0; spin_lock(l); r0 = *x; spin_unlock(l); }\n", false},
    {"P0(int *x, int *y) { *x = 1; smp_wmb(); WRITE_ONCE(*y, 1); }\n"
     "P1(int *x, int *y) { int r0; int r1 = 0; r0 = READ_ONCE(*y); smp_rmb(); if (r0) r1 = *x; }\n", false},
    {"P0(int *x, int *y) { *x = 1; smp_mb(); WRITE_ONCE(*y, 1); }\n"
     "P1(int *x, int *y) { int r0; int r1 = 0; r0 = READ_ONCE(*y); smp_mb(); if (r0) r1 = *x; }\n", false},
    {"P0(int *x, int *y) { int r0; r0 = READ_ONCE(*y); if (r0) *x = 2; }\n"
     "P1(int *x, int *y) { *x = 1; smp_store_release(y, 1); }\n", true},
    {"P0(int *x, int *y) { *x = 1; synchronize_rcu(); WRITE_ONCE(*y, 1); }\n"
     "P1(int *x, int *y) { int r0; int r1; rcu_read_lock(); r0 = READ_ONCE(*y); r1 = *x; rcu_read_unlock(); }\n",
     true},
};

static void t_data_race(void) {
  CHECK(races("MP+plain+once"));
  CHECK(!races("MP+plain+relacq"));
  for (size_t i = 0; i < sizeof herd_races / sizeof herd_races[0]; i++) {
    char text[1024];
    snprintf(text, sizeof text, "C race%zu\n{}\n%sexists (x=1)\n", i, herd_races[i].threads);
    if (search_stats("race.litmus", text).data_race != herd_races[i].race)
      CHECK__FAIL("herd7 flags %s race in:\n%s", herd_races[i].race ? "a" : "no", text);
  }
}

static const check_case cases[] = {
    {"shipped", t_shipped},
    {"data_race", t_data_race},
    {0},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
