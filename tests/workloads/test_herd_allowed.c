/* tests/workloads/test_herd_allowed.c -- the shipped X86 tests under tso
 * and AArch64 tests under arm against herd7's models: tests/data/
 * x86tso_allowed.txt and aarch64_allowed.txt hold, per test, the final
 * states x86tso.cat and aarch64.cat allow (tests/herd_allowed.sh wrote
 * them with herd7 7.58; herd7 refuses XADD, so XADD+locks has no line).
 *
 * sound:     at the default timing, no state herd7 forbids ever appears;
 * complete:  with timing variety (profiles/timing-variety.json: issue
 *            gaps, long stalls, drain jitter) every allowed state appears
 *            in 50,000 iterations, and still none it forbids.
 * arm:       at the default timing no state aarch64.cat forbids appears,
 *            and at least 90% of the allowed ones do (the core is stronger
 *            than ARMv8 where it does not speculate past a branch).
 * A state is compared as a set of "loc=value" items, so the order in
 * which herd7 and mmsim print them does not matter.
 */
#include "../../sim/config.h"
#include "../../workloads/litmus_run.h"
#include "../check.h"
#include "../litmus_files.h"

#ifdef MMSIM_SANITIZED
#define ITER 2000 /* memory errors, not frequencies */
#define MUST_SEE_ALL 0
#else
#define ITER 50000
#define MUST_SEE_ALL 1
#endif

enum { MAX_STATES = 64, STATE_LEN = 256 };

/* "0:EAX=1; x=2;" -> its items sorted, joined by ';' (a canonical form). */
static void canon(const char *s, char *out, size_t n) {
  char items[16][64];
  int k = 0;
  while (*s && k < 16) {
    while (*s == ' ' || *s == ';') s++;
    size_t len = strcspn(s, ";");
    if (!len) break;
    while (len && s[len - 1] == ' ') len--;
    snprintf(items[k++], sizeof items[0], "%.*s", (int)len, s);
    s += strcspn(s, ";");
  }
  qsort(items, (size_t)k, sizeof items[0], (int (*)(const void *, const void *))strcmp);
  size_t used = 0;
  out[0] = '\0';
  for (int i = 0; i < k && used < n; i++)
    used += (size_t)snprintf(out + used, n - used, "%s;", items[i]);
}

typedef struct allowed {
  char state[MAX_STATES][STATE_LEN];
  int n;
} allowed;

/* What to run: a folder of tests, its data file, the model. */
typedef struct suite {
  const char *folder, *data, *model, *herd_model;
} suite;
static const suite x86 = {"x86", "x86tso_allowed.txt", "tso", "x86-TSO"};
static const suite a64 = {"aarch64", "aarch64_allowed.txt", "arm", "aarch64.cat"};

/* The line of test `name` in the data file; false if it has none. */
static bool load_allowed(const suite *su, const char *name, allowed *a) {
  char path[1024], line[8192];
  snprintf(path, sizeof path, "%s/tests/data/%s", MMSIM_SOURCE_DIR, su->data);
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  size_t len = strlen(name);
  bool found = false;
  while (!found && fgets(line, sizeof line, f))
    found = strncmp(line, name, len) == 0 && line[len] == ':';
  fclose(f);
  if (!found) return false;
  a->n = 0;
  for (char *s = line + len + 1; *s && a->n < MAX_STATES;) {
    size_t l = strcspn(s, "|\n");
    char one[STATE_LEN];
    snprintf(one, sizeof one, "%.*s", (int)l, s);
    canon(one, a->state[a->n++], STATE_LEN);
    s += l;
    if (*s) s++;
  }
  return true;
}

/* Runs every shipped test of the suite with herd7's states under its model
 * (plus the profile, if any); returns allowed states seen, *total the
 * allowed ones. */
static int run_all(const suite *su, const char *profile, int *total) {
  litmus_files files;
  CHECK(litmus_files_list(su->folder, &files));
  int seen_all = 0, tests = 0;
  *total = 0;
  for (size_t i = 0; i < files.n; i++) {
    const char *name = strrchr(files.path[i], '/') + 1;
    static allowed a;
    if (!load_allowed(su, name, &a)) continue;
    litmus_test *t;
    sim_err err = {0, ""};
    if (litmus_parse_file(files.path[i], &t, &err)) CHECK__FAIL("%s", err.msg);
    cfg *c = cfg_new();
    char prof[1024];
    if (profile) {
      snprintf(prof, sizeof prof, "%s/profiles/%s", MMSIM_SOURCE_DIR, profile);
      CHECK_EQ_I64(cfg_apply_profile(c, prof, &err), 0);
    }
    CHECK_EQ_I64(cfg_set(c, "cpu.model", su->model, &err), 0);
    litmus_result r;
    if (litmus_run_sim(t, c, 0, ITER, 0, &r, &err)) CHECK__FAIL("%s: %s", name, err.msg);
    bool seen[MAX_STATES] = {false};
    for (size_t h = 0; h < hist_len(r.hist); h++) {
      char text[STATE_LEN], key[STATE_LEN];
      litmus_outcome_format(t, hist_key(r.hist, h), text, sizeof text);
      canon(text, key, sizeof key);
      int j = 0;
      while (j < a.n && strcmp(a.state[j], key) != 0) j++;
      if (j == a.n) CHECK__FAIL("%s%s%s: %s forbids %s, seen %llu times", name,
                                profile ? " with " : "", profile ? profile : "", su->herd_model, text,
                                (unsigned long long)hist_count(r.hist, h));
      seen[j] = true;
    }
    for (int j = 0; j < a.n; j++) {
      seen_all += seen[j];
      if (!seen[j] && (profile || su == &a64)) printf("  %s: %s not seen\n", name, a.state[j]);
    }
    *total += a.n;
    tests++;
    litmus_result_free(&r);
    cfg_free(c);
    litmus_free(t);
  }
  litmus_files_free(&files);
  CHECK(tests >= 30);
  printf("  %s, %s: %d of %d allowed states in %d tests\n", su->model, profile ? profile : "defaults",
         seen_all, *total, tests);
  return seen_all;
}

static void t_sound(void) {
  int total;
  run_all(&x86, NULL, &total);
}

static void t_complete(void) {
  int total, seen = run_all(&x86, "timing-variety.json", &total);
  if (MUST_SEE_ALL) CHECK_EQ_I64(seen, total);
}

static void t_arm(void) {
  int total, seen = run_all(&a64, NULL, &total);
  if (MUST_SEE_ALL) CHECK(seen * 10 >= total * 9);
}

static const check_case cases[] = {
    {"sound", t_sound},
    {"complete", t_complete},
    {"arm", t_arm},
    {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
