/* tests/e2e/test_readme.c -- the README's examples, run as a user runs
 * them: in README order, in one folder laid out like a checkout (litmus/
 * and configs/ linked in, build/mmsim the program under test), starting
 * with no database, so each example finds what the ones above it stored.
 *
 * The README's own markup says what runs, so a new example is tested with
 * no edit here:
 *   ```sh block        run whole by `sh -ex`; it must exit 0.
 *   ``` block whose first line starts with "$ "
 *                      a transcript: each "$ COMMAND" runs (sh -c, stdout
 *                      and stderr) and must exit 0 and print the lines shown
 *                      under it, in order, exactly (trailing blanks aside).
 *                      A "..." line stands for any number of lines; with no
 *                      line shown, the output is not checked.  The one
 *                      figure that cannot repeat is wall time: a shown
 *                      "Time TEST SECONDS" line is compared up to SECONDS.
 *   <!-- readme-test: write FILE -->   on the line before a block: the
 *                      block's text is written to FILE first (a config the
 *                      next examples use).
 *   <!-- readme-test: skip REASON -->  on the line before a block: it is
 *                      not run, and REASON is printed (needs a cluster; the
 *                      setup commands, which .ci/run runs itself).
 * Any other block (```json, output without "$ ") is text.
 *
 * Under the sanitizers (MMSIM_SANITIZED) the examples are not run: at the
 * README's own sizes they take minutes there; the Release suite runs them.
 *
 * Besides the examples: every link and image in the README names a file in
 * the repository (a user's checkout has nothing beside it), and figures the
 * prose quotes that the repository can confirm (the number of shipped
 * litmus tests) are confirmed.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#include "../check.h"
#include "cli.h"

#define MARK "<!-- readme-test: "

/* The README, whole, and split into lines (NUL-terminated in place). */
static char *readme_text;
static char **line;
static int nlines;

static void load_readme(void) {
  if (line) return;
  char path[512];
  snprintf(path, sizeof path, "%s/README.md", MMSIM_SOURCE_DIR);
  FILE *f = fopen(path, "r");
  if (!f) CHECK__FAIL("cannot read %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  readme_text = malloc((size_t)n + 1);
  char *copy = malloc((size_t)n + 1);
  if (fread(copy, 1, (size_t)n, f) != (size_t)n) abort();
  fclose(f);
  copy[n] = 0;
  memcpy(readme_text, copy, (size_t)n + 1);
  line = calloc((size_t)n + 2, sizeof *line);
  for (char *p = copy; *p;) {
    line[nlines++] = p;
    char *nl = strchr(p, '\n');
    if (!nl) break;
    *nl = 0;
    p = nl + 1;
  }
}

/* --- Running commands in the work folder ---------------------------------- */

static char work[256];

static void link_to(const char *from, const char *name) {
  char to[512];
  snprintf(to, sizeof to, "%s/%s", work, name);
  if (symlink(from, to) != 0) CHECK__FAIL("symlink %s -> %s failed", to, from);
}

static void make_work(void) {
  cli_tmpdir();
  snprintf(work, sizeof work, "%s", cli_dir);
  char p[512];
  snprintf(p, sizeof p, "%s/litmus", MMSIM_SOURCE_DIR);
  link_to(p, "litmus");
  snprintf(p, sizeof p, "%s/configs", MMSIM_SOURCE_DIR);
  link_to(p, "configs");
  snprintf(p, sizeof p, "%s/profiles", MMSIM_SOURCE_DIR);
  link_to(p, "profiles");
  snprintf(p, sizeof p, "%s/build", work);
  if (mkdir(p, 0777) != 0) abort();
  link_to(MMSIM_BIN, "build/mmsim");
}

static void write_file(const char *name, const char *text) {
  FILE *f = fopen(check_path(work, name), "w");
  if (!f) CHECK__FAIL("cannot write %s", name);
  fputs(text, f);
  fclose(f);
}

/* The whole of a file in the work folder (malloc'd). */
static char *slurp(const char *name) {
  FILE *f = fopen(check_path(work, name), "r");
  size_t cap = 1 << 16, len = 0, k;
  char *s = malloc(cap);
  if (f) {
    while ((k = fread(s + len, 1, cap - len - 1, f)) > 0)
      if ((len += k) + 1 == cap) s = realloc(s, cap *= 2);
    fclose(f);
  }
  s[len] = 0;
  return s;
}

/* Run a script file of the work folder; its output goes to out.log. */
static int run_script(const char *script, const char *shell) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "cd %s && %s %s > out.log 2>&1 < /dev/null", work, shell, script);
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* --- Transcripts ------------------------------------------------------------ */

/* Split text into lines in place, trailing blanks and blank last lines
 * dropped. */
static int split(char *text, char **out, int max) {
  int n = 0;
  for (char *p = text; *p && n < max;) {
    out[n++] = p;
    char *nl = strchr(p, '\n');
    if (nl) *nl = 0;
    size_t k = strlen(p);
    while (k && (p[k - 1] == ' ' || p[k - 1] == '\t' || p[k - 1] == '\r')) p[--k] = 0;
    if (!nl) break;
    p = nl + 1;
  }
  while (n && !out[n - 1][0]) n--;
  return n;
}

static int is_ellipsis(const char *s) {
  while (*s == ' ') s++;
  return strcmp(s, "...") == 0;
}

/* A shown line against a printed one; "Time TEST SECONDS" up to SECONDS. */
static int same_line(const char *shown, const char *got) {
  if (strcmp(shown, got) == 0) return 1;
  if (strncmp(shown, "Time ", 5) || strncmp(got, "Time ", 5)) return 0;
  const char *a = strrchr(shown, ' '), *b = strrchr(got, ' ');
  return a - shown == b - got && strncmp(shown, got, (size_t)(a - shown)) == 0;
}

static int seg_at(char **shown, int len, char **got, int at) {
  for (int i = 0; i < len; i++)
    if (!same_line(shown[i], got[at + i])) return 0;
  return 1;
}

/* Whether the printed lines are the shown ones, "..." matching any run of
 * lines.  Each run of shown lines between "..." lines is found at its
 * earliest place after the one before; the first is anchored at the start
 * unless a "..." precedes it, the last at the end unless one follows it. */
static int matches(char **shown, int ns, char **got, int ng) {
  int at = 0, i = 0, lead = 0;
  for (;;) {
    while (i < ns && is_ellipsis(shown[i])) i++, lead = 1;
    if (i == ns) return lead || at == ng;
    int j = i;
    while (j < ns && !is_ellipsis(shown[j])) j++;
    int len = j - i;
    if (j == ns) { /* the last run of lines ends the output */
      int start = lead ? ng - len : at;
      return start >= at && start + len == ng && seg_at(shown + i, len, got, start);
    }
    if (!lead) {
      if (at + len > ng || !seg_at(shown + i, len, got, at)) return 0;
    } else {
      while (at + len <= ng && !seg_at(shown + i, len, got, at)) at++;
      if (at + len > ng) return 0;
    }
    at += len, i = j, lead = 0;
  }
}

/* Run one "$ COMMAND" and compare what it printed with the shown lines. */
static void run_transcript_command(int readme_line, const char *command, char **shown, int ns) {
  write_file("example.sh", command);
  double t0 = now_s();
  int rc = run_script("example.sh", "sh");
  char *out = slurp("out.log");
  printf("  README.md:%d  %.1f s  $ %s\n", readme_line, now_s() - t0, command);
  if (rc != 0)
    CHECK__FAIL("README.md:%d: `%s` exited %d:\n%s", readme_line, command, rc, out);
  if (ns > 0) {
    static char *got[1 << 16];
    char *copy = strdup(out);
    int ng = split(copy, got, 1 << 16);
    if (!matches(shown, ns, got, ng)) {
      fprintf(stderr, "  README.md:%d: `%s` printed other lines than the README shows:\n"
                      "--- the README shows:\n", readme_line, command);
      for (int i = 0; i < ns; i++) fprintf(stderr, "%s\n", shown[i]);
      fprintf(stderr, "--- it printed:\n%s---\n", out);
      CHECK__FAIL("README.md:%d: transcript differs", readme_line);
    }
    free(copy);
  }
  free(out);
}

/* A transcript block, lines [from, to): "$ " lines and what follows each. */
static void run_transcript(int from, int to) {
  static char *shown[4096];
  for (int i = from; i < to;) {
    int cmd_line = i;
    const char *cmd = line[i] + 2;
    char *command = strdup(cmd); /* a "# ..." beside it is sh's comment */
    int ns = 0;
    for (i++; i < to && strncmp(line[i], "$ ", 2) != 0; i++) {
      shown[ns] = strdup(line[i]);
      size_t k = strlen(shown[ns]);
      while (k && shown[ns][k - 1] == ' ') shown[ns][--k] = 0;
      ns++;
    }
    while (ns && !shown[ns - 1][0]) free(shown[--ns]);
    run_transcript_command(cmd_line + 1, command, shown, ns);
    for (int k = 0; k < ns; k++) free(shown[k]);
    free(command);
  }
}

/* A ```sh block, lines [from, to), as one script. */
static void run_sh(int from, int to) {
  size_t cap = 1, len = 0;
  for (int i = from; i < to; i++) cap += strlen(line[i]) + 1;
  char *script = malloc(cap);
  for (int i = from; i < to; i++) len += (size_t)sprintf(script + len, "%s\n", line[i]);
  write_file("example.sh", script);
  double t0 = now_s();
  int rc = run_script("example.sh", "sh -ex");
  char *out = slurp("out.log");
  printf("  README.md:%d  %.1f s  ```sh block of %d lines\n", from, now_s() - t0, to - from);
  if (rc != 0)
    CHECK__FAIL("README.md:%d: the ```sh block exited %d:\n%s", from, rc, out);
  free(out);
  free(script);
}

/* --- Cases ------------------------------------------------------------------ */

static void t_examples(void) {
#ifdef MMSIM_SANITIZED
  /* The examples run with the README's own arguments (100,000 iterations,
   * a 360-run calibration): 13 s of CPU in Release, ten times that under
   * the sanitizers.  The Release suite runs them; the sanitizers watch the
   * same code paths through the other e2e tests, which run short. */
  printf("  not run under the sanitizers: the Release suite runs the examples\n");
  return;
#endif
  load_readme();
  make_work();
  int blocks = 0, skipped = 0;
  for (int i = 0; i < nlines; i++) {
    if (strncmp(line[i], "```", 3) != 0) continue;
    const char *info = line[i] + 3;
    int at = i;
    const char *mark = i > 0 && !strncmp(line[i - 1], MARK, strlen(MARK))
                           ? line[i - 1] + strlen(MARK) : NULL;
    int from = i + 1, to = from;
    while (to < nlines && strncmp(line[to], "```", 3) != 0) to++;
    if (to == nlines) CHECK__FAIL("README.md:%d: the block is never closed", i + 1);
    i = to;
    if (mark && !strncmp(mark, "skip ", 5)) {
      printf("  README.md:%d  not run: %.*s\n", from, (int)(strstr(mark, " -->") - mark - 5),
             mark + 5);
      skipped++;
    } else if (mark && !strncmp(mark, "write ", 6)) {
      char name[128];
      CHECK(sscanf(mark + 6, "%127s", name) == 1);
      size_t cap = 1, len = 0;
      for (int k = from; k < to; k++) cap += strlen(line[k]) + 1;
      char *text = malloc(cap);
      for (int k = from; k < to; k++) len += (size_t)sprintf(text + len, "%s\n", line[k]);
      write_file(name, text);
      free(text);
    } else if (mark) {
      CHECK__FAIL("README.md:%d: unknown mark %s", at, line[at - 1]);
    } else if (!strcmp(info, "sh")) {
      run_sh(from, to);
      blocks++;
    } else if (!info[0] && from < to && !strncmp(line[from], "$ ", 2)) {
      run_transcript(from, to);
      blocks++;
    }
  }
  printf("  %d example blocks run, %d not run\n", blocks, skipped);
  CHECK(blocks >= 10); /* the markup is still what this test reads */
}

static int in_repo(const char *target) {
  struct stat st;
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", MMSIM_SOURCE_DIR, target);
  return target[0] != '/' && !strstr(target, "..") && !strstr(target, "://") &&
         stat(path, &st) == 0;
}

/* Every [text](target) and ![alt](target) names a file of the repository:
 * nothing above it (../), no absolute path, no other site.  The prose
 * outside code blocks names no "../" path either, and every `FILE.md` it
 * names is in the repository (a user's checkout has nothing beside it). */
static void t_links(void) {
  load_readme();
  int n = 0, bad = 0;
  for (const char *p = readme_text; (p = strstr(p, "](")) != NULL; p++) {
    const char *t = p + 2, *e = strchr(t, ')');
    CHECK(e);
    char target[512];
    snprintf(target, sizeof target, "%.*s", (int)(e - t), t);
    char *hash = strchr(target, '#');
    if (hash) *hash = 0;
    n++;
    if (target[0] && !in_repo(target))
      fprintf(stderr, "  README.md links to %s: not a file of the repository\n", target), bad++;
  }
  int fenced = 0;
  for (int i = 0; i < nlines; i++) {
    if (!strncmp(line[i], "```", 3)) fenced = !fenced;
    if (fenced) continue;
    if (strstr(line[i], "../"))
      fprintf(stderr, "  README.md:%d names a path outside the repository: %s\n", i + 1,
              line[i]), bad++;
    for (const char *p = line[i]; (p = strchr(p, '`')) != NULL;) {
      const char *e = strchr(p + 1, '`');
      if (!e) break;
      char span[512];
      snprintf(span, sizeof span, "%.*s", (int)(e - p - 1), p + 1);
      size_t k = strlen(span);
      if (k > 3 && !strcmp(span + k - 3, ".md") && !in_repo(span))
        fprintf(stderr, "  README.md:%d names %s, not a file of the repository\n", i + 1,
                span), bad++;
      p = e + 1;
    }
  }
  CHECK_EQ_I64(bad, 0);
  CHECK(n >= 2); /* the figures and docs/design.md, at least */
}

static int count_litmus(const char *dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/litmus/%s", MMSIM_SOURCE_DIR, dir);
  DIR *d = opendir(path);
  int n = 0;
  struct dirent *e;
  if (!d) return -1;
  while ((e = readdir(d)) != NULL) {
    size_t k = strlen(e->d_name);
    n += k > 7 && strcmp(e->d_name + k - 7, ".litmus") == 0;
  }
  closedir(d);
  return n;
}

/* The number before `what` in the README (its first mention). */
static int figure_before(const char *what) {
  const char *p = strstr(readme_text, what);
  CHECK(p);
  while (p > readme_text && p[-1] >= '0' && p[-1] <= '9') p--;
  return atoi(p);
}

/* "84 shipped X86 and C tests", "44 AArch64 tests": as many as litmus/ holds. */
static void t_figures(void) {
  load_readme();
  CHECK_EQ_I64(figure_before(" shipped X86 and C tests"), count_litmus("x86") + count_litmus("c"));
  CHECK_EQ_I64(figure_before(" AArch64 tests with herd7"), count_litmus("aarch64"));
}

static const check_case cases[] = {
    {"links", t_links},
    {"figures", t_figures},
    {"examples", t_examples},
    {0},
};

int main(int argc, char **argv) {
  int rc = check_main(cases, argc, argv);
  if (work[0]) check_tmpdir_done(work, rc); /* kept after a failure */
  return rc;
}
