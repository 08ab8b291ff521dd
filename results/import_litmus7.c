/* results/import_litmus7.c -- litmus7 and klitmus7 logs stored as native runs.
 *
 * What a log holds (litmus7 prints it, klitmus7's run.sh wraps the same
 * per-test block from /proc/litmus in its own header).  Per test:
 *
 *   Test SB Allowed                              starts a test (Allowed,
 *                                                Forbidden or Required)
 *   Histogram (4 states)     or    States 4      then exactly N lines
 *   96    *>0:EAX=0; 1:EAX=0; x=1; y=1;          COUNT, *> (the condition's
 *   499878:>0:EAX=1; 1:EAX=0; x=1; y=1;          predicate holds) or :>, outcome
 *   Ok | No
 *   Witnesses / Positive: 96, Negative: 999904   checked against the histogram
 *   Condition exists (...) is validated | is NOT validated
 *   Hash=2d53e83c...
 *   Observation SB Sometimes 96 999904           ends the test
 *   Time SB 0.11                                 optional, after it
 *
 * and, once per log, where the machine and configuration show: litmus7's
 * trailer (`Revision ...`, `Command line: litmus7 ...`, `#define
 * SIZE_OF_TEST 100000`, the `affinity: none` comment lines), klitmus7's header
 * (`Compilation command: "klitmus7 ..."`, `OPT=...`, `uname -r=...`), and
 * when the user saved them, `uname -a` (`Linux HOST 6.1.0 ... x86_64
 * GNU/Linux`) and /proc/cpuinfo's `model name : ...`.  Every other line
 * (the echoed test source, generated assembler, dates) is skipped.
 *
 * Each test becomes one run, as `mmsim native --litmus` stores one (see
 * sim/run.c store_litmus): engine native, workload the test name,
 * iterations the sum of the histogram counts, model the host CPU (model
 * name), else the architecture from uname -a, else litmus7's -carch, else
 * "unknown"; host the uname -a node name when present.
 *
 * forbidden and anomaly, as sim/run.c and litmus_report.c store a litmus
 * run.  There, forbidden means "excluded by the test's own expectation" and
 * anomaly "non_sc" means "not sequentially consistent".  A log has no test
 * source, so mmsim cannot enumerate SC outcomes; what it has is the
 * condition and its `*>` marks (the outcomes its predicate holds for):
 *   exists   (litmus7 says Allowed)   the condition's outcomes are sought,
 *            not excluded: nothing forbidden; `*>` is the anomaly.
 *   ~exists  (Forbidden)              `*>` is forbidden and the anomaly.
 *   forall   (Required)               `:>` (the violations) is forbidden and
 *            the anomaly.
 * So SB's 0:EAX=0; 1:EAX=0; imported from litmus7 on x86 is stored exactly
 * as `mmsim native --litmus` stores it there: not forbidden (x86-TSO allows
 * it), anomaly non_sc.  The anomaly rule rests on the classic shapes (SB,
 * MP, LB, IRIW, ...), whose condition names the relaxed, non-SC outcome.
 * (Rejected: forbidden = `*>` whatever the quantifier, which would call
 * SB's relaxed outcome forbidden on x86, where the same test run by mmsim
 * native says allowed -- the two sources would disagree on one machine.)
 * The quantifier comes from the Condition line, else from the Test line's
 * word; a test with neither is refused.
 *
 * Invariants:
 *   I1  All logs are parsed before anything is written; a malformed one is
 *       SIM_ESYNTAX "FILE:LINE: what", and the database is not touched.
 *   I2  All runs of one import are one transaction with their experiment
 *       row: the database gets every test of every log, or nothing.
 *   I3  A test's histogram agrees with its Witnesses and Observation lines
 *       (positive = sum of the *> counts, positive + negative = iterations);
 *       a log that disagrees with itself is refused, not half believed.
 *   I4  Counts are at most 2^63-1 (SQLite's INTEGER) and so are their sums:
 *       a histogram whose counts wrap past 2^64 would otherwise store a
 *       handful of iterations with 9.2e18 anomalies.
 *   I5  A verdict agrees with its counts: Observation's Never, Sometimes or
 *       Always with its P and N; Ok/No and "is [NOT] validated" with each
 *       other and with the Witnesses (check_verdict).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

typedef struct outcome {
  char *text;
  uint64_t count;
  int star; /* *>: the condition's predicate holds */
} outcome;

typedef struct test {
  char *name, *kind, *condition, *observation, *hash;
  size_t line; /* of its Test line */
  outcome *outs;
  size_t nouts, cap;
  int ok;                 /* Ok 1, No 0, -1 absent */
  int validated;          /* -1 absent */
  int have_witnesses, have_time, closed;
  uint64_t positive, negative;
  uint64_t total; /* the histogram's counts so far, at most INT64_MAX (I4) */
  double time_s;
} test;

typedef struct log_info {
  char *tool, *revision, *command, *opt, *kernel, *uname_arch, *host, *cpu, *carch;
  char *defs[16][2]; /* #define NAME VALUE */
  size_t ndefs;
} log_info;

typedef struct logfile {
  const char *path;
  log_info info;
  test *tests;
  size_t ntests;
} logfile;

/* ---- small text helpers ---- */

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
  return s;
}

static int starts(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int set_str(char **dst, const char *v) {
  if (*dst) return 0; /* the first one a log shows wins */
  *dst = strdup(v);
  return *dst ? 0 : -1;
}

/* A non-negative integer that is the whole of [s, end). */
static int parse_u64(const char *s, uint64_t *v) {
  if (!isdigit((unsigned char)*s)) return -1;
  errno = 0;
  char *end;
  unsigned long long x = strtoull(s, &end, 10);
  if (errno || *end) return -1;
  *v = x;
  return 0;
}

/* ---- freeing ---- */

static void test_free(test *t) {
  for (size_t i = 0; i < t->nouts; i++) free(t->outs[i].text);
  free(t->outs);
  free(t->name);
  free(t->kind);
  free(t->condition);
  free(t->observation);
  free(t->hash);
}

static void log_free(logfile *l) {
  for (size_t i = 0; i < l->ntests; i++) test_free(&l->tests[i]);
  free(l->tests);
  log_info *m = &l->info;
  char **strs[] = {&m->tool, &m->revision, &m->command, &m->opt, &m->kernel,
                   &m->uname_arch, &m->host, &m->cpu, &m->carch};
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) free(*strs[i]);
  for (size_t i = 0; i < m->ndefs; i++) free(m->defs[i][0]), free(m->defs[i][1]);
}

/* ---- parsing one log (I1, I3) ---- */

typedef struct parser {
  logfile *l;
  size_t line;
  test *cur;        /* open test: Test seen, Observation not yet */
  test *last;       /* the last test, for its Time line */
  uint64_t pending; /* histogram lines still expected */
  sim_err *err;
} parser;

#define FAIL(p, ...) parse_fail(p, __VA_ARGS__)
static int parse_fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int parse_fail(parser *p, const char *fmt, ...) {
  char what[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return sim_errf(p->err, SIM_ESYNTAX, "%s:%zu: %s", p->l->path, p->line, what);
}

static int nomem(parser *p) { return sim_errf(p->err, SIM_ENOMEM, "out of memory"); }

static int begin_test(parser *p, char *rest) {
  if (p->cur)
    return FAIL(p, "Test line while test %s (line %zu) has no Observation line yet",
                p->cur->name, p->cur->line);
  char *name = strtok(rest, " \t"), *kind = strtok(NULL, " \t");
  if (!name || !kind || strtok(NULL, " \t"))
    return FAIL(p, "expected 'Test NAME Allowed|Forbidden|Required'");
  logfile *l = p->l;
  test *t = realloc(l->tests, (l->ntests + 1) * sizeof *t);
  if (!t) return nomem(p);
  l->tests = t;
  t = &l->tests[l->ntests++];
  memset(t, 0, sizeof *t);
  t->ok = t->validated = -1;
  t->line = p->line;
  t->name = strdup(name);
  t->kind = strdup(kind);
  if (!t->name || !t->kind) return nomem(p);
  p->cur = p->last = t;
  return 0;
}

/* "Histogram (N states)" or "States N". */
static int begin_histogram(parser *p, const char *s) {
  uint64_t n;
  char num[32];
  if (sscanf(s, "Histogram (%31[0-9] state", num) == 1 || sscanf(s, "States %31[0-9]", num) == 1) {
    if (parse_u64(num, &n)) return FAIL(p, "bad state count in '%s'", s);
  } else {
    return FAIL(p, "expected 'Histogram (N states)' or 'States N', got '%s'", s);
  }
  if (!p->cur) return FAIL(p, "histogram outside a test (no Test line before it)");
  if (p->cur->nouts) return FAIL(p, "test %s has a second histogram", p->cur->name);
  if (n == 0) return FAIL(p, "test %s: a histogram of 0 states", p->cur->name);
  p->pending = n;
  return 0;
}

/* "COUNT *>OUTCOME" or "COUNT :>OUTCOME", count and marker maybe apart. */
static int histogram_line(parser *p, char *s) {
  test *t = p->cur;
  char *c = s;
  while (isdigit((unsigned char)*c)) c++;
  char *digits_end = c;
  while (*c == ' ' || *c == '\t') c++;
  if (digits_end == s || (c[0] != '*' && c[0] != ':') || c[1] != '>')
    return FAIL(p, "test %s: expected 'COUNT *>OUTCOME' or 'COUNT :>OUTCOME' "
                   "(%" PRIu64 " more histogram lines due), got '%s'",
                t->name, p->pending, s);
  int star = c[0] == '*';
  char *text = trim(c + 2);
  *digits_end = '\0';
  uint64_t count;
  if (parse_u64(s, &count) || count > (uint64_t)INT64_MAX)
    return FAIL(p, "test %s: count '%s' out of range", t->name, s);
  if (count > (uint64_t)INT64_MAX - t->total) /* I4 */
    return FAIL(p, "test %s: the histogram's counts add up past 2^63-1 (%" PRIu64 " + %" PRIu64
                   "): not the log of a run",
                t->name, t->total, count);
  t->total += count;
  if (!*text) return FAIL(p, "test %s: histogram line with no outcome", t->name);
  for (size_t i = 0; i < t->nouts; i++)
    if (!strcmp(t->outs[i].text, text))
      return FAIL(p, "test %s: outcome '%s' listed twice", t->name, text);
  if (t->nouts == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 8;
    outcome *o = realloc(t->outs, t->cap * sizeof *o);
    if (!o) return nomem(p);
    t->outs = o;
  }
  outcome *o = &t->outs[t->nouts++];
  o->text = strdup(text);
  o->count = count;
  o->star = star;
  if (!o->text) return nomem(p);
  p->pending--;
  return 0;
}

static uint64_t sum_counts(const test *t, int star_only) {
  uint64_t n = 0;
  for (size_t i = 0; i < t->nouts; i++)
    if (!star_only || t->outs[i].star) n += t->outs[i].count;
  return n;
}

typedef enum { Q_UNKNOWN, Q_EXISTS, Q_NOT_EXISTS, Q_FORALL } quant;

static quant quant_of(const test *t) {
  if (t->condition) {
    if (starts(t->condition, "exists")) return Q_EXISTS;
    if (starts(t->condition, "~exists") || starts(t->condition, "~ exists")) return Q_NOT_EXISTS;
    if (starts(t->condition, "forall")) return Q_FORALL;
  }
  if (!strcmp(t->kind, "Allowed")) return Q_EXISTS;
  if (!strcmp(t->kind, "Forbidden")) return Q_NOT_EXISTS;
  if (!strcmp(t->kind, "Required")) return Q_FORALL;
  return Q_UNKNOWN;
}

/* "Observation NAME Never|Sometimes|Always P N": closes the test (I3). */
static int end_test(parser *p, char *rest) {
  test *t = p->cur;
  char *name = strtok(rest, " \t"), *obs = strtok(NULL, " \t"), *ps = strtok(NULL, " \t"),
       *ns = strtok(NULL, " \t");
  uint64_t pos, neg;
  if (!name || !obs || !ps || !ns || parse_u64(ps, &pos) || parse_u64(ns, &neg))
    return FAIL(p, "expected 'Observation NAME Never|Sometimes|Always P N'");
  if (!t) return FAIL(p, "Observation %s outside a test (no Test line before it)", name);
  if (strcmp(name, t->name))
    return FAIL(p, "Observation names %s inside test %s (line %zu)", name, t->name, t->line);
  if (!t->nouts) return FAIL(p, "test %s has no histogram before its Observation", t->name);
  if (pos > (uint64_t)INT64_MAX || neg > (uint64_t)INT64_MAX - pos) /* I4 */
    return FAIL(p, "test %s: Observation counts %" PRIu64 " + %" PRIu64 " add up past 2^63-1",
                t->name, pos, neg);
  const char *want = pos == 0 ? "Never" : neg == 0 ? "Always" : "Sometimes"; /* I5 */
  if (strcmp(obs, want))
    return FAIL(p, "test %s: Observation says %s but counts %" PRIu64 " positive, %" PRIu64
                   " negative (that is %s)",
                t->name, obs, pos, neg, want);
  uint64_t star = sum_counts(t, 1), all = sum_counts(t, 0);
  if (pos != star || pos + neg != all)
    return FAIL(p, "test %s: Observation says %" PRIu64 " positive of %" PRIu64
                   " but the histogram has %" PRIu64 " *> of %" PRIu64,
                t->name, pos, pos + neg, star, all);
  if (t->have_witnesses && (t->positive != pos || t->negative != neg))
    return FAIL(p, "test %s: Observation %" PRIu64 "/%" PRIu64
                   " disagrees with Witnesses %" PRIu64 "/%" PRIu64,
                t->name, pos, neg, t->positive, t->negative);
  if (quant_of(t) == Q_UNKNOWN)
    return FAIL(p, "test %s: '%s' is not Allowed, Forbidden or Required and no Condition "
                   "line says exists, ~exists or forall",
                t->name, t->kind);
  t->positive = pos;
  t->negative = neg;
  t->observation = strdup(obs);
  if (!t->observation) return nomem(p);
  t->closed = 1;
  p->cur = NULL;
  return 0;
}

/* I5: Ok/No, "is [NOT] validated" and the Witnesses agree, as both tools
 * print them (herdtools7 litmus/skelUtil.ml postlude, KSkel.ml do_it):
 * Positive counts the outcomes that satisfy the condition, so an exists
 * is validated iff Positive > 0 and a forall iff Negative = 0.  A ~exists
 * is left alone: litmus7 validates it when its predicate never held,
 * klitmus7 when Negative is 0, and a log does not always say which tool
 * wrote it before its end.  Called when the second of them is read. */
static int check_verdict(parser *p, test *t) {
  if (t->ok >= 0 && t->validated >= 0 && t->ok != t->validated)
    return FAIL(p, "test %s: says %s but its condition is %svalidated", t->name,
                t->ok ? "Ok" : "No", t->validated ? "" : "NOT ");
  if (!t->have_witnesses || t->validated < 0) return 0;
  quant q = quant_of(t);
  int want = q == Q_EXISTS ? t->positive > 0 : q == Q_FORALL ? t->negative == 0 : t->validated;
  if (t->validated != want)
    return FAIL(p, "test %s: condition %s is %svalidated but Witnesses count %" PRIu64
                   " positive, %" PRIu64 " negative",
                t->name, t->condition ? t->condition : t->kind, t->validated ? "" : "NOT ",
                t->positive, t->negative);
  return 0;
}

/* One line inside an open test, outside its histogram. */
static int test_line(parser *p, char *s) {
  test *t = p->cur;
  if (!strcmp(s, "Ok") || !strcmp(s, "No")) {
    t->ok = s[0] == 'O';
  } else if (starts(s, "Positive:")) {
    char *neg = strstr(s, "Negative:");
    char ps[32], ns[32];
    if (!neg || sscanf(s, "Positive: %31[0-9]", ps) != 1 ||
        sscanf(neg, "Negative: %31[0-9]", ns) != 1 || parse_u64(ps, &t->positive) ||
        parse_u64(ns, &t->negative))
      return FAIL(p, "test %s: expected 'Positive: P, Negative: N'", t->name);
    if (t->positive > (uint64_t)INT64_MAX || t->negative > (uint64_t)INT64_MAX - t->positive)
      return FAIL(p, "test %s: Witnesses %" PRIu64 " + %" PRIu64 " add up past 2^63-1", t->name,
                  t->positive, t->negative); /* I4 */
    t->have_witnesses = 1;
    return check_verdict(p, t);
  } else if (starts(s, "Condition ")) {
    const char *v = strstr(s, " is NOT validated"), *y = strstr(s, " is validated");
    const char *end = v ? v : y;
    if (!end) return FAIL(p, "test %s: expected 'Condition ... is [NOT] validated'", t->name);
    t->validated = v == NULL;
    free(t->condition); /* a repeated Condition line: the last one holds */
    t->condition = strndup(s + 10, (size_t)(end - (s + 10)));
    if (!t->condition) return nomem(p);
    return check_verdict(p, t);
  } else if (starts(s, "Hash=")) {
    if (set_str(&t->hash, s + 5)) return nomem(p);
  } else if (starts(s, "Histogram") || starts(s, "States ")) {
    return begin_histogram(p, s);
  }
  return 0; /* "Witnesses", blank lines, ... */
}

/* The machine and configuration lines, anywhere in the log. */
static int info_line(parser *p, char *s) {
  log_info *m = &p->l->info;
  int rc = 0;
  if (starts(s, "Revision ")) {
    rc = set_str(&m->revision, s + 9);
  } else if (starts(s, "Command line: ")) {
    rc = set_str(&m->command, s + 14);
    if (!rc) rc = set_str(&m->tool, strstr(s, "klitmus7") ? "klitmus7" : "litmus7");
    const char *ca = strstr(s, "-carch ");
    char arch[64];
    if (!rc && ca && sscanf(ca + 7, "%63s", arch) == 1) rc = set_str(&m->carch, arch);
  } else if (starts(s, "Compilation command: ")) {
    char *c = s + 21;
    size_t n = strlen(c);
    if (n >= 2 && c[0] == '"' && c[n - 1] == '"') c[n - 1] = '\0', c++;
    rc = set_str(&m->command, c);
    if (!rc) rc = set_str(&m->tool, strstr(c, "klitmus7") ? "klitmus7" : "litmus7");
  } else if (starts(s, "OPT=")) {
    rc = set_str(&m->opt, s + 4);
  } else if (starts(s, "uname -r=")) {
    rc = set_str(&m->kernel, s + 9);
  } else if (starts(s, "#define ") && m->ndefs < 16) {
    char name[64], value[64];
    if (sscanf(s + 8, "%63s %63s", name, value) == 2) {
      m->defs[m->ndefs][0] = strdup(name);
      m->defs[m->ndefs][1] = strdup(value);
      if (!m->defs[m->ndefs][0] || !m->defs[m->ndefs][1]) rc = -1;
      m->ndefs++;
    }
  } else if (starts(s, "model name")) {
    char *colon = strchr(s, ':');
    if (colon) rc = set_str(&m->cpu, trim(colon + 1));
  } else if (starts(s, "Linux ") && strstr(s, "GNU/Linux")) {
    /* uname -a: Linux NODE RELEASE VERSION... MACHINE [PROCESSOR PLATFORM] GNU/Linux */
    char *copy = strdup(s);
    if (!copy) return nomem(p);
    char *fields[64];
    size_t n = 0;
    for (char *f = strtok(copy, " \t"); f && n < 64; f = strtok(NULL, " \t")) fields[n++] = f;
    if (n >= 4) {
      rc = set_str(&m->host, fields[1]);
      if (!rc) rc = set_str(&m->kernel, fields[2]);
      if (!rc) rc = set_str(&m->uname_arch, fields[n - 2]);
    }
    free(copy);
  }
  return rc ? nomem(p) : 0;
}

static int parse_line(parser *p, char *raw) {
  char *s = trim(raw);
  if (p->pending) return histogram_line(p, s);
  if (starts(s, "Test ")) return begin_test(p, s + 5);
  if (starts(s, "Observation ")) return end_test(p, s + 12);
  if (starts(s, "Time ") && p->last && !p->cur) {
    char name[256], secs[64];
    char *end;
    if (sscanf(s + 5, "%255s %63s", name, secs) == 2 && !strcmp(name, p->last->name)) {
      double v = strtod(secs, &end);
      if (*end || v < 0) return FAIL(p, "test %s: bad Time '%s'", name, secs);
      p->last->time_s = v;
      p->last->have_time = 1;
    }
    return 0;
  }
  if (p->cur) {
    int rc = test_line(p, s);
    if (rc) return rc;
  }
  return info_line(p, s);
}

static int parse_log(logfile *l, sim_err *err) {
  FILE *f = fopen(l->path, "r");
  if (!f) return sim_errf(err, SIM_EIO, "%s: cannot open: %s", l->path, strerror(errno));
  parser p = {.l = l, .err = err};
  char *buf = NULL;
  size_t cap = 0;
  int rc = 0;
  ssize_t len;
  while (!rc && (len = getline(&buf, &cap, f)) >= 0) {
    p.line++;
    if (strlen(buf) != (size_t)len)
      rc = FAIL(&p, "NUL byte in the line: not a text log");
    else
      rc = parse_line(&p, buf);
  }
  if (!rc && ferror(f)) rc = sim_errf(err, SIM_EIO, "%s: read failed", l->path);
  free(buf);
  fclose(f);
  if (rc) return rc;
  if (p.pending)
    return FAIL(&p, "test %s: log ends %" PRIu64 " histogram line(s) short (truncated?)",
                p.cur->name, p.pending);
  if (p.cur)
    return FAIL(&p, "test %s (line %zu) ends without its Observation line (truncated?)",
                p.cur->name, p.cur->line);
  if (l->ntests == 0)
    return sim_errf(err, SIM_ESYNTAX, "%s:%zu: no litmus7 test in this file (no 'Test NAME ...' line)",
                    l->path, p.line);
  return 0;
}

/* ---- writing (I2) ---- */

static const char *model_of(const log_info *m) {
  if (m->cpu) return m->cpu;
  if (m->uname_arch) return m->uname_arch;
  if (m->carch) return m->carch;
  return "unknown";
}

/* Params with no value in the log are left out, not stored empty. */
static size_t add_param(db_param *ps, size_t n, const char *key, const char *value) {
  if (value) ps[n++] = (db_param){key, value};
  return n;
}

static int write_test(db *d, int64_t exp_id, const logfile *l, const test *t, sim_err *err) {
  const log_info *m = &l->info;
  /* The quantifier rule of the file comment. */
  quant q = quant_of(t);
  db_outcome *outs = calloc(t->nouts, sizeof *outs);
  if (!outs) return sim_errf(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < t->nouts; i++) {
    int odd = q == Q_FORALL ? !t->outs[i].star : t->outs[i].star;
    outs[i] = (db_outcome){t->outs[i].text, t->outs[i].count, odd && q != Q_EXISTS,
                           odd ? "non_sc" : NULL};
  }
  char line[32], file_line[600];
  snprintf(line, sizeof line, "%zu", t->line);
  snprintf(file_line, sizeof file_line, "%s:%zu", l->path, t->line);
  db_param ps[40];
  size_t np = 0;
#define PARAM(k, v) np = add_param(ps, np, (k), (v))
  PARAM("workload.kind", "litmus");
  PARAM("import.tool", m->tool ? m->tool : "litmus7");
  PARAM("import.file", file_line);
  PARAM("litmus7.kind", t->kind);
  PARAM("litmus7.condition", t->condition);
  PARAM("litmus7.observation", t->observation);
  PARAM("litmus7.ok", t->ok < 0 ? NULL : t->ok ? "Ok" : "No");
  PARAM("litmus7.validated", t->validated < 0 ? NULL : t->validated ? "1" : "0");
  PARAM("litmus7.revision", m->revision);
  PARAM("litmus7.command", m->command);
  PARAM("litmus7.opt", m->opt);
  PARAM("host.cpu", m->cpu);
  PARAM("host.arch", m->uname_arch ? m->uname_arch : m->carch);
  PARAM("host.kernel", m->kernel);
  char keys[16][80];
  for (size_t i = 0; i < m->ndefs; i++) {
    snprintf(keys[i], sizeof keys[i], "litmus7.%s", m->defs[i][0]);
    PARAM(keys[i], m->defs[i][1]);
  }
#undef PARAM
  db_metric ms[] = {{"litmus.positive", (double)t->positive},
                    {"litmus.negative", (double)t->negative}};
  db_run r = {
      .engine = "native", .workload = t->name, .model = model_of(m), .seed = 0,
      .iterations = sum_counts(t, 0), .wall_s = t->have_time ? t->time_s : 0.0,
      .host = m->host, .config_hash = t->hash,
      .params = ps, .nparams = np, .outcomes = outs, .noutcomes = t->nouts,
      .metrics = ms, .nmetrics = 2,
  };
  int rc = db_run_write(d, exp_id, &r, NULL, err);
  free(outs);
  return rc;
}

static int write_all(db *d, const logfile *logs, size_t n, db_import_stats *st, sim_err *err) {
  int rc = db__exec(d, "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK) return db__fail(d, err, rc, "import-litmus7: begin");
  int64_t exp_id = 0;
  rc = db_experiment_create(d, "import-litmus7", "{}", &exp_id, err);
  for (size_t i = 0; i < n && !rc; i++)
    for (size_t j = 0; j < logs[i].ntests && !rc; j++) {
      rc = write_test(d, exp_id, &logs[i], &logs[i].tests[j], err);
      if (rc) sim_err_prefix(err, "%s:%zu: test %s", logs[i].path, logs[i].tests[j].line,
                             logs[i].tests[j].name);
      else st->tests++;
    }
  int src;
  if (!rc && (src = db__exec(d, "COMMIT")) != SQLITE_OK)
    rc = db__fail(d, err, src, "import-litmus7: commit");
  if (rc) {
    db__rollback(d);
    st->tests = 0;
  }
  return rc;
}

int db_import_litmus7(db *d, const char *const *paths, size_t n, db_import_stats *st,
                      sim_err *err) {
  st->files = st->tests = 0;
  if (!n) return sim_errf(err, SIM_EINVAL, "no log to import");
  if (d->readonly) return sim_errf(err, SIM_EDB, "%s: opened read-only", d->path);
  logfile *logs = calloc(n, sizeof *logs);
  if (!logs) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) { /* I1: every log parsed first */
    logs[i].path = paths[i];
    rc = parse_log(&logs[i], err);
  }
  if (!rc) rc = write_all(d, logs, n, st, err);
  if (!rc) st->files = n;
  for (size_t i = 0; i < n; i++) log_free(&logs[i]);
  free(logs);
  return rc;
}
