/* sim/config.c -- the configuration loader: JSON files and --set text in,
 * typed values by key id out, canonical JSON back (see config.h, C1 and C2).
 *
 * Storage.  A cfg holds one value per row of CFG_KEYS, indexed by cfg_key_id,
 * so cfg_int()/cfg_str() are one array load: the hot paths read config in
 * loops and must not pay for string work.  Text values (CFG_STR, CFG_ENUM)
 * are owned copies.  Beside the values a cfg keeps what belongs to the last
 * file loaded: its folder (cfg_dir), its "name", its "sweep" grid and its
 * source JSON.
 *
 * Loading.  Each load fills a clone and swaps it in only when the whole file
 * passed, which is how C1's "left as it was" holds without undo code.  A file
 * is applied on top of the values already in the cfg (a second file, like
 * --set, overrides key by key); name, sweep, source and folder are replaced,
 * because they describe one file.  cfg_load_string sets the folder to "."
 * (text has no folder of its own).
 *
 * Choices a config author sees (also printed by cfg_print_defaults):
 *   - A member whose name starts with '_' is a comment, at any depth and in
 *     "sweep" too ({"_why": "..."}).  JSON has no comments and cJSON rejects
 *     // and slash-star; one prefix is easier to remember than a list of
 *     reserved names such as "$comment", and no real key starts with '_'.
 *   - A key given twice (dotted and nested, or a duplicate JSON member) is an
 *     error rather than last-wins: two values for one key is a mistake.
 *   - null is not "the default"; it is a wrong type like any other.
 *   - "name" must be a non-empty string.
 *   - A sweep list may not repeat a value (it would run the same point
 *     twice); a sweep range {"from","to","step"} is for numeric keys only,
 *     step defaults to 1, may be negative to count down, and may give at
 *     most SWEEP_MAX_VALUES values.  Every swept value is checked as the key's
 *     type and range at load time, so a bad point fails before anything runs.
 *   - "repeat" inside "sweep" (top level of it only) is not a key but the
 *     number of runs per grid point, each with its own seed (sim/sweep.h
 *     has the rule); a positive integer up to SWEEP_MAX_VALUES, default 1.
 *     It lives in the sweep because it shapes the grid, not one run.
 *   - "calibrate" (see its section below) holds a grid written like sweep's
 *     under "params", kept in a list of its own, with the same checks.
 *
 * Integers.  cJSON keeps numbers as doubles, which are exact only up to 2^53,
 * but run.seed and run.max_cycles go to INT64_MAX.  So the loader scans the
 * text for number literals (in document order, which is also cJSON's tree
 * order) and reads a plain integer literal with strtoll: every int64 is
 * exact.  Other spellings of a whole number (1e6, 2.0) are accepted while
 * they are exact as doubles, and otherwise rejected with a message saying to
 * write the digits out; 1.5 is "expected an integer".  The source JSON is
 * re-printed with each number exactly as written, for the same reason.
 *
 * Extra checks beyond the table's range: a few integer keys must be powers
 * of two (cpu.atomic_width, line size and set counts); they are listed in
 * pow2_key() below, since the X-macro has no column for it.  Their messages
 * list the allowed values when there are few ("3 is not 1, 2, 4 or 8").
 *
 * Messages (C1) all start with "SOURCE: KEY: ", SOURCE being the file name
 * (or the name given to cfg_load_string) and "--set" for cfg_set, and KEY the
 * full dotted path ("sweep.KEY" inside the sweep):
 *   F: K: V is out of range [MIN, MAX]
 *   F: K: "V" is not one of a|b|c            (+ " (did you mean b?)")
 *   F: K: V is not 1, 2, 4 or 8        (or "is not a power of two in [MIN, MAX]")
 *   F: K: expected an integer, got string "ten"   (number 1.5, true, null, ...)
 *   F: K: unknown key (did you mean K2?)     or "(mmsim config --defaults ...)"
 *   F: K: given twice
 *   F:LINE:COL: malformed JSON near 'TEXT'  (or "near end of input")
 *   F: No such file or directory              (SIM_EIO, strerror text)
 * The suggestion is the key (or group, for an object) nearest by edit
 * distance, within one edit per four characters; failing that, the only key
 * ending in ".K" ("model" -> cpu.model).  Values in messages are shown as
 * written, strings quoted and cut at 40 characters.
 *
 * Rejected alternatives: keeping the parsed cJSON tree and reading values
 * from it on demand (string lookups on every read, and no place to hold
 * --set overrides); last-wins for duplicate keys (silently hides typos).
 *
 * Threads: no mutable globals here; a cfg may be read from many threads at
 * once.  cJSON itself records its last parse error in a global; we never read
 * it (we use ParseWithOpts' return_parse_end), but two threads parsing at once
 * still race on that write inside cJSON.
 */
#include "config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

enum {
  PATH_MAX_LEN = 256,        /* longer member paths are unknown by length */
  SWEEP_MAX_VALUES = 100000, /* one from/to/step axis, a guard against typos */
  FILE_MAX_BYTES = 16 << 20, /* a config is a few KiB; refuse a stray blob */
  DOC_WIDTH = 100            /* cfg_print_defaults fits this terminal width */
};

static const cfg_key cfg_keys[CFG_NKEYS] = {
#define X(id, path, type, min, max, def, choices, doc) {path, type, min, max, def, choices, doc},
    CFG_KEYS(X)
#undef X
};

typedef union cval {
  int64_t i; /* CFG_INT, CFG_BOOL (0/1) */
  double r;  /* CFG_REAL */
  char *s;   /* CFG_STR, CFG_ENUM: owned */
} cval;

typedef struct sweep_axis {
  cfg_key_id id;
  size_t n;
  char **vals; /* n owned strings, each as cfg_set text */
} sweep_axis;

struct cfg {
  cval v[CFG_NKEYS];
  char *name;   /* NULL when the file gave none */
  char *dir;    /* never NULL */
  char *source; /* printed source JSON, NULL when nothing was loaded */
  size_t nsweep;
  sweep_axis *sweep; /* in file order */
  bool has_calib;    /* the file has a "calibrate" object */
  cfg_calib calib;
  size_t ncalib;
  sweep_axis *calib_axes; /* calibrate.params, in file order */
  int64_t repeat;    /* sweep.repeat; 0 = not given (1) */
};

/* ---- Small helpers ---- */

static bool is_text(cfg_type t) { return t == CFG_STR || t == CFG_ENUM; }

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

static char *dup(const char *s) { return dupn(s, strlen(s)); }

static int nomem(sim_err *err, const char *src) {
  return sim_errf(err, SIM_ENOMEM, "%s: out of memory", src);
}

/* "SRC: WHERE: <fmt>" as SIM_ECONFIG. */
static int bad(sim_err *err, const char *src, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(sim_err *err, const char *src, const char *where, const char *fmt, ...) {
  char what[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return sim_errf(err, SIM_ECONFIG, "%s: %s: %s", src, where, what);
}

/* s in double quotes, escaped, cut after 40 characters: values in messages
 * must stay on one line and not drown the key. */
static const char *quote(const char *s, char *buf, size_t n) {
  size_t k = 0, shown = 0;
  assert(n >= 16);
  buf[k++] = '"';
  for (; *s && k + 8 < n; s++, shown++) {
    unsigned char ch = (unsigned char)*s;
    if (shown == 40) {
      memcpy(buf + k, "...", 3);
      k += 3;
      break;
    }
    if (ch == '"' || ch == '\\') {
      buf[k++] = '\\';
      buf[k++] = (char)ch;
    } else if (ch < 0x20 || ch == 0x7f) {
      k += (size_t)snprintf(buf + k, n - k, "\\x%02x", ch);
    } else {
      buf[k++] = (char)ch;
    }
  }
  buf[k++] = '"';
  buf[k] = '\0';
  return buf;
}

/* Shortest text that reads back as the same double. */
static const char *real_text(double d, char *buf, size_t n) {
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, n, "%.*g", prec, d);
    if (strtod(buf, NULL) == d) break;
  }
  return buf;
}

static const char *int_text(int64_t v, char *buf, size_t n) {
  snprintf(buf, n, "%" PRId64, v);
  return buf;
}

/* Optimal string alignment distance (Levenshtein plus adjacent swaps, so
 * "modle" is one edit from "model"), ignoring case.  SIZE_MAX for strings
 * too long to be a key. */
static size_t edit_distance(const char *a, size_t n, const char *b, size_t m) {
  enum { L = 64 };
  unsigned short d[L][L];
  if (n >= L || m >= L) return SIZE_MAX;
  for (size_t i = 0; i <= n; i++) d[i][0] = (unsigned short)i;
  for (size_t j = 0; j <= m; j++) d[0][j] = (unsigned short)j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
      unsigned short best = (unsigned short)(d[i - 1][j - 1] + (ca != cb));
      if (d[i - 1][j] + 1 < best) best = (unsigned short)(d[i - 1][j] + 1);
      if (d[i][j - 1] + 1 < best) best = (unsigned short)(d[i][j - 1] + 1);
      if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
        best = (unsigned short)(d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  return d[n][m];
}

/* A close-enough distance to suggest: one edit in four characters, at
 * least one ("foo" is not a misspelt "tso"). */
static bool near_enough(size_t dist, size_t len) {
  size_t limit = len / 4 > 1 ? len / 4 : 1;
  return dist <= limit;
}

/* ---- The table ---- */

const cfg_key *cfg_key_at(cfg_key_id id) {
  assert((unsigned)id < CFG_NKEYS);
  return &cfg_keys[id];
}

int cfg_key_find(const char *path) {
  for (int i = 0; i < CFG_NKEYS; i++)
    if (strcmp(cfg_keys[i].path, path) == 0) return i;
  return -1;
}

/* True when path names a group: some key starts with "path.". */
static bool is_group(const char *path) {
  size_t n = strlen(path);
  for (int i = 0; i < CFG_NKEYS; i++)
    if (strncmp(cfg_keys[i].path, path, n) == 0 && cfg_keys[i].path[n] == '.') return true;
  return false;
}

/* Integer keys whose value must also be a power of two. */
static bool pow2_key(cfg_key_id id) {
  return id == CK_CPU_ATOMIC_WIDTH || id == CK_CACHE_LINE_BYTES || id == CK_CACHE_L1_SETS ||
         id == CK_CACHE_LLC_SETS || id == CK_WORKLOAD_STRIDE;
}

/* The powers of two in [min, max] as "1, 2, 4 or 8" (sep ", " and last
 * " or ") or "1|2|4|8"; false when there are too many to list. */
static bool pow2_list(const cfg_key *k, bool bars, char *buf, size_t n) {
  int64_t lo = 1, count = 0;
  while (lo < k->min) lo <<= 1;
  for (int64_t p = lo; p <= k->max && p > 0; p <<= 1) count++;
  if (count > 6) return false;
  size_t len = 0;
  buf[0] = '\0';
  int64_t i = 0;
  for (int64_t p = lo; i < count; p <<= 1, i++) {
    const char *sep = i == 0 ? "" : bars ? "|" : i == count - 1 ? " or " : ", ";
    len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%" PRId64, sep, p);
  }
  return len < n;
}

/* Is s (length n) one of the '|'-separated choices? */
static bool is_choice(const char *choices, const char *s, size_t n) {
  for (const char *c = choices;;) {
    const char *bar = strchr(c, '|');
    size_t len = bar ? (size_t)(bar - c) : strlen(c);
    if (len == n && memcmp(c, s, n) == 0) return true;
    if (!bar) return false;
    c = bar + 1;
  }
}

/* The choice nearest to s, copied into buf, or NULL. */
static const char *near_choice(const char *choices, const char *s, char *buf, size_t n) {
  size_t best = SIZE_MAX, slen = strlen(s);
  const char *found = NULL;
  size_t flen = 0;
  for (const char *c = choices;;) {
    const char *bar = strchr(c, '|');
    size_t len = bar ? (size_t)(bar - c) : strlen(c);
    size_t d = edit_distance(s, slen, c, len);
    if (d < best && near_enough(d, len)) best = d, found = c, flen = len;
    if (!bar) break;
    c = bar + 1;
  }
  if (!found || flen >= n) return NULL;
  memcpy(buf, found, flen);
  buf[flen] = '\0';
  return buf;
}

/* The key (or, when groups, the group) nearest to an unknown path, copied
 * into buf; NULL when nothing is close.  Failing an edit-distance match, a
 * key that ends in ".path" is suggested if it is the only one: "model" at the
 * top level means cpu.model. */
static const char *suggest(const char *path, bool groups, char *buf, size_t n) {
  size_t plen = strlen(path), best = SIZE_MAX, blen = 0, nsuffix = 0, slen = 0;
  const char *found = NULL, *suffix = NULL;
  for (int i = 0; i < CFG_NKEYS; i++) {
    const char *kp = cfg_keys[i].path;
    size_t klen = strlen(kp);
    for (size_t len = 1; len <= klen; len++) {
      if (len < klen && (!groups || kp[len] != '.')) continue;
      size_t d = edit_distance(path, plen, kp, len);
      if (d < best && near_enough(d, len)) best = d, found = kp, blen = len;
      if (len > plen && kp[len - plen - 1] == '.' &&
          strncasecmp(kp + len - plen, path, plen) == 0 &&
          !(suffix && slen == len && strncmp(suffix, kp, len) == 0)) {
        nsuffix++;
        suffix = kp, slen = len;
      }
    }
  }
  if (!found && nsuffix == 1) found = suffix, blen = slen;
  if (!found || blen >= n) return NULL;
  memcpy(buf, found, blen);
  buf[blen] = '\0';
  return buf;
}

static int unknown_key(sim_err *err, const char *src, const char *where, const char *path,
                       bool groups) {
  char near[PATH_MAX_LEN];
  if (suggest(path, groups, near, sizeof near))
    return bad(err, src, where, "unknown key (did you mean %s?)", near);
  return bad(err, src, where, "unknown key (mmsim config --defaults lists every key)");
}

/* ---- Checking a value against its row ---- */

static const char *range_text(const cfg_key *k, char *buf, size_t n) {
  snprintf(buf, n, "[%" PRId64 ", %" PRId64 "]", k->min, k->max);
  return buf;
}

static int check_int(sim_err *err, const char *src, const char *where, cfg_key_id id, int64_t v) {
  const cfg_key *k = &cfg_keys[id];
  char r[64], list[64];
  if (pow2_key(id) && (v < k->min || v > k->max || (v & (v - 1)) != 0)) {
    if (pow2_list(k, false, list, sizeof list))
      return bad(err, src, where, "%" PRId64 " is not %s", v, list);
    return bad(err, src, where, "%" PRId64 " is not a power of two in %s", v,
               range_text(k, r, sizeof r));
  }
  if (v < k->min || v > k->max)
    return bad(err, src, where, "%" PRId64 " is out of range %s", v, range_text(k, r, sizeof r));
  return SIM_OK;
}

static int check_real(sim_err *err, const char *src, const char *where, cfg_key_id id, double v,
                      const char *shown) {
  const cfg_key *k = &cfg_keys[id];
  char r[64];
  if (!isfinite(v)) return bad(err, src, where, "expected a finite number, got %s", shown);
  if (v < (double)k->min || v > (double)k->max)
    return bad(err, src, where, "%s is out of range %s", shown, range_text(k, r, sizeof r));
  return SIM_OK;
}

/* Checks s as an enum value and stores an owned copy in *out. */
static int take_choice(sim_err *err, const char *src, const char *where, cfg_key_id id,
                       const char *s, cval *out) {
  const cfg_key *k = &cfg_keys[id];
  char q[64], near[64];
  if (!is_choice(k->choices, s, strlen(s))) {
    if (near_choice(k->choices, s, near, sizeof near))
      return bad(err, src, where, "%s is not one of %s (did you mean %s?)", quote(s, q, sizeof q),
                 k->choices, near);
    return bad(err, src, where, "%s is not one of %s", quote(s, q, sizeof q), k->choices);
  }
  if (!(out->s = dup(s))) return nomem(err, src);
  return SIM_OK;
}

/* ---- Values from text (--set, defaults, sweep points) ---- */

static int val_from_text(sim_err *err, const char *src, const char *where, cfg_key_id id,
                         const char *text, cval *out) {
  const cfg_key *k = &cfg_keys[id];
  char q[64], r[64];
  char *end;
  switch (k->type) {
  case CFG_INT: {
    if (!*text || isspace((unsigned char)*text))
      return bad(err, src, where, "expected an integer, got %s", quote(text, q, sizeof q));
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (*end) return bad(err, src, where, "expected an integer, got %s", quote(text, q, sizeof q));
    if (errno == ERANGE)
      return bad(err, src, where, "%s is out of range %s", text, range_text(k, r, sizeof r));
    out->i = v;
    return check_int(err, src, where, id, v);
  }
  case CFG_REAL: {
    if (!*text || isspace((unsigned char)*text))
      return bad(err, src, where, "expected a number, got %s", quote(text, q, sizeof q));
    double v = strtod(text, &end);
    if (*end) return bad(err, src, where, "expected a number, got %s", quote(text, q, sizeof q));
    out->r = v;
    return check_real(err, src, where, id, v, text);
  }
  case CFG_BOOL:
    if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
      out->i = text[0] == 't';
      return SIM_OK;
    }
    return bad(err, src, where, "expected true or false, got %s", quote(text, q, sizeof q));
  case CFG_STR:
    if (!(out->s = dup(text))) return nomem(err, src);
    return SIM_OK;
  case CFG_ENUM: return take_choice(err, src, where, id, text, out);
  }
  sim_panic("config: key %s has type %d", k->path, (int)k->type);
}

/* The value as cfg_set text: "tso", "16", "true", "0.5". */
static const char *val_text(cfg_key_id id, const cval *v, char *buf, size_t n) {
  switch (cfg_keys[id].type) {
  case CFG_INT: return int_text(v->i, buf, n);
  case CFG_REAL: return real_text(v->r, buf, n);
  case CFG_BOOL: snprintf(buf, n, "%s", v->i ? "true" : "false"); return buf;
  case CFG_STR:
  case CFG_ENUM: snprintf(buf, n, "%s", v->s); return buf;
  }
  sim_panic("config: key %s has type %d", cfg_keys[id].path, (int)cfg_keys[id].type);
}

static void val_free(cfg_key_id id, cval *v) {
  if (is_text(cfg_keys[id].type)) {
    free(v->s);
    v->s = NULL;
  }
}

/* ---- Lifetime ---- */

static void sweep_free(cfg *c) {
  for (size_t i = 0; i < c->nsweep; i++) {
    for (size_t j = 0; j < c->sweep[i].n; j++) free(c->sweep[i].vals[j]);
    free(c->sweep[i].vals);
  }
  free(c->sweep);
  c->sweep = NULL;
  c->nsweep = 0;
  c->repeat = 0;
}

static void calib_free(cfg *c) {
  for (size_t i = 0; i < c->ncalib; i++) {
    for (size_t j = 0; j < c->calib_axes[i].n; j++) free(c->calib_axes[i].vals[j]);
    free(c->calib_axes[i].vals);
  }
  free(c->calib_axes);
  c->calib_axes = NULL;
  c->ncalib = 0;
  c->has_calib = false;
}

void cfg_free(cfg *c) {
  if (!c) return;
  for (int i = 0; i < CFG_NKEYS; i++) val_free((cfg_key_id)i, &c->v[i]);
  sweep_free(c);
  calib_free(c);
  free(c->name);
  free(c->dir);
  free(c->source);
  free(c);
}

cfg *cfg_new(void) {
  cfg *c = calloc(1, sizeof *c);
  if (!c || !(c->dir = dup("."))) goto fail;
  for (int i = 0; i < CFG_NKEYS; i++) {
    sim_err e = {0};
    int rc = val_from_text(&e, "config.h", "default", (cfg_key_id)i, cfg_keys[i].def, &c->v[i]);
    if (rc == SIM_ENOMEM) goto fail;
    /* A default that fails its own row is a bug in the table, not input. */
    if (rc != SIM_OK) sim_panic("config.h: default of %s: %s", cfg_keys[i].path, e.msg);
  }
  return c;
fail:
  cfg_free(c);
  return NULL;
}

cfg *cfg_clone(const cfg *c) {
  cfg *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  for (int i = 0; i < CFG_NKEYS; i++) {
    d->v[i] = c->v[i];
    if (is_text(cfg_keys[i].type) && !(d->v[i].s = dup(c->v[i].s))) goto fail;
  }
  if (!(d->dir = dup(c->dir))) goto fail;
  if (c->name && !(d->name = dup(c->name))) goto fail;
  if (c->source && !(d->source = dup(c->source))) goto fail;
  d->repeat = c->repeat;
  if (c->nsweep) {
    if (!(d->sweep = calloc(c->nsweep, sizeof *d->sweep))) goto fail;
    for (size_t i = 0; i < c->nsweep; i++) {
      sweep_axis *a = &d->sweep[d->nsweep++]; /* counted first: fail frees it */
      a->id = c->sweep[i].id;
      if (!(a->vals = calloc(c->sweep[i].n, sizeof *a->vals))) goto fail;
      for (; a->n < c->sweep[i].n; a->n++)
        if (!(a->vals[a->n] = dup(c->sweep[i].vals[a->n]))) goto fail;
    }
  }
  d->has_calib = c->has_calib;
  d->calib = c->calib;
  if (c->ncalib) {
    if (!(d->calib_axes = calloc(c->ncalib, sizeof *d->calib_axes))) goto fail;
    for (size_t i = 0; i < c->ncalib; i++) {
      sweep_axis *a = &d->calib_axes[d->ncalib++]; /* counted first: fail frees it */
      a->id = c->calib_axes[i].id;
      if (!(a->vals = calloc(c->calib_axes[i].n, sizeof *a->vals))) goto fail;
      for (; a->n < c->calib_axes[i].n; a->n++)
        if (!(a->vals[a->n] = dup(c->calib_axes[i].vals[a->n]))) goto fail;
    }
  }
  return d;
fail:
  cfg_free(d);
  return NULL;
}

/* ---- Loading JSON ---- */

/* A number literal of the source text and the cJSON node it became. */
typedef struct numlit {
  const cJSON *node;
  const char *text;
  size_t len;
} numlit;

typedef struct load_ctx {
  const char *src; /* file name, for messages */
  cfg *t;          /* the clone being filled */
  sim_err *err;
  numlit *nums; /* sorted by node; NULL when the scan did not line up */
  size_t nnums;
  bool seen[CFG_NKEYS], swept[CFG_NKEYS], seen_name, seen_sweep, seen_repeat;
  bool fitted[CFG_NKEYS], seen_calib; /* calibrate.params, "calibrate" */
} load_ctx;

/* The number literals of valid JSON text, in order (out may be NULL to count).
 * Outside strings, a '-' or a digit can only start a number. */
static size_t scan_numbers(const char *s, numlit *out) {
  size_t k = 0;
  while (*s) {
    if (*s == '"') {
      for (s++; *s && *s != '"'; s++)
        if (*s == '\\' && s[1]) s++;
      if (*s) s++;
    } else if (*s == '-' || isdigit((unsigned char)*s)) {
      const char *b = s;
      while (*s && strchr("0123456789+-.eE", *s)) s++;
      if (out) out[k].text = b, out[k].len = (size_t)(s - b);
      k++;
    } else {
      s++;
    }
  }
  return k;
}

static void number_nodes(const cJSON *j, numlit *out, size_t *k, size_t cap) {
  if (cJSON_IsNumber(j)) {
    if (*k < cap) out[*k].node = j;
    ++*k;
  }
  for (const cJSON *ch = j->child; ch; ch = ch->next) number_nodes(ch, out, k, cap);
}

static int numlit_cmp(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const numlit *)a)->node, y = (uintptr_t)((const numlit *)b)->node;
  return x < y ? -1 : x > y;
}

/* Pairs every number node with its literal.  If the counts disagree (a bug
 * in scan_numbers) numbers fall back to their double values. */
static int index_numbers(load_ctx *lc, const char *text, const cJSON *root) {
  size_t n = scan_numbers(text, NULL), k = 0;
  if (n == 0) return SIM_OK;
  if (!(lc->nums = calloc(n, sizeof *lc->nums))) return nomem(lc->err, lc->src);
  scan_numbers(text, lc->nums);
  number_nodes(root, lc->nums, &k, n);
  assert(k == n);
  if (k != n) {
    free(lc->nums);
    lc->nums = NULL;
    return SIM_OK;
  }
  lc->nnums = n;
  qsort(lc->nums, n, sizeof *lc->nums, numlit_cmp);
  return SIM_OK;
}

static const numlit *literal_of(const load_ctx *lc, const cJSON *j) {
  numlit key = {.node = j};
  if (!lc->nums) return NULL;
  return bsearch(&key, lc->nums, lc->nnums, sizeof key, numlit_cmp);
}

/* The number as written (or its double, lacking the literal). */
static const char *number_text(const load_ctx *lc, const cJSON *j, char *buf, size_t n) {
  const numlit *nl = literal_of(lc, j);
  if (!nl) return real_text(j->valuedouble, buf, n);
  snprintf(buf, n, "%.*s", nl->len < 40 ? (int)nl->len : 40, nl->text);
  return buf;
}

/* What a wrong value was, for "expected X, got <this>". */
static const char *describe(const load_ctx *lc, const cJSON *j, char *buf, size_t n) {
  char t[64];
  if (cJSON_IsString(j)) snprintf(buf, n, "string %s", quote(j->valuestring, t, sizeof t));
  else if (cJSON_IsNumber(j)) snprintf(buf, n, "number %s", number_text(lc, j, t, sizeof t));
  else if (cJSON_IsTrue(j)) snprintf(buf, n, "true");
  else if (cJSON_IsFalse(j)) snprintf(buf, n, "false");
  else if (cJSON_IsNull(j)) snprintf(buf, n, "null");
  else if (cJSON_IsArray(j)) snprintf(buf, n, "a list");
  else snprintf(buf, n, "an object");
  return buf;
}

typedef enum { NUM_OK, NUM_NOT_INT, NUM_TOO_BIG, NUM_INEXACT } num_rc;

/* The exact integer a JSON number spells (see "Integers" above). */
static num_rc json_int(const load_ctx *lc, const cJSON *j, int64_t *out) {
  const numlit *nl = literal_of(lc, j);
  if (nl &&
      strspn(nl->text + (nl->text[0] == '-'), "0123456789") + (nl->text[0] == '-') == nl->len) {
    char digits[40];
    if (nl->len >= sizeof digits) return NUM_TOO_BIG;
    memcpy(digits, nl->text, nl->len);
    digits[nl->len] = '\0';
    errno = 0;
    long long v = strtoll(digits, NULL, 10);
    if (errno == ERANGE) return NUM_TOO_BIG;
    *out = v;
    return NUM_OK;
  }
  double d = j->valuedouble;
  if (!isfinite(d) || d != floor(d)) return NUM_NOT_INT;
  if (fabs(d) > 0x1p53) return NUM_INEXACT;
  *out = (int64_t)d;
  return NUM_OK;
}

/* Reads j as key id's type into *out, checked against the row.  where is
 * the path for messages. */
static int val_from_json(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *j,
                         cval *out) {
  const cfg_key *k = &cfg_keys[id];
  char got[128], num[64], r[64];
  switch (k->type) {
  case CFG_INT: {
    int64_t v = 0;
    if (!cJSON_IsNumber(j))
      return bad(lc->err, lc->src, where, "expected an integer, got %s",
                 describe(lc, j, got, sizeof got));
    switch (json_int(lc, j, &v)) {
    case NUM_OK: break;
    case NUM_NOT_INT:
      return bad(lc->err, lc->src, where, "expected an integer, got %s",
                 describe(lc, j, got, sizeof got));
    case NUM_TOO_BIG:
      return bad(lc->err, lc->src, where, "%s is out of range %s",
                 number_text(lc, j, num, sizeof num), range_text(k, r, sizeof r));
    case NUM_INEXACT:
      return bad(lc->err, lc->src, where,
                 "%s is not exact as a JSON double (beyond 2^53); write its digits out",
                 number_text(lc, j, num, sizeof num));
    }
    out->i = v;
    return check_int(lc->err, lc->src, where, id, v);
  }
  case CFG_REAL:
    if (!cJSON_IsNumber(j))
      return bad(lc->err, lc->src, where, "expected a number, got %s",
                 describe(lc, j, got, sizeof got));
    out->r = j->valuedouble;
    return check_real(lc->err, lc->src, where, id, out->r, number_text(lc, j, num, sizeof num));
  case CFG_BOOL:
    if (!cJSON_IsBool(j))
      return bad(lc->err, lc->src, where, "expected true or false, got %s",
                 describe(lc, j, got, sizeof got));
    out->i = cJSON_IsTrue(j) ? 1 : 0;
    return SIM_OK;
  case CFG_STR:
    if (!cJSON_IsString(j))
      return bad(lc->err, lc->src, where, "expected a string, got %s",
                 describe(lc, j, got, sizeof got));
    if (!(out->s = dup(j->valuestring))) return nomem(lc->err, lc->src);
    return SIM_OK;
  case CFG_ENUM:
    if (!cJSON_IsString(j))
      return bad(lc->err, lc->src, where, "expected one of %s, got %s", k->choices,
                 describe(lc, j, got, sizeof got));
    return take_choice(lc->err, lc->src, where, id, j->valuestring, out);
  }
  sim_panic("config: key %s has type %d", k->path, (int)k->type);
}

/* prefix.name into buf; false when it does not fit (then no key matches). */
static bool join(char *buf, size_t n, const char *prefix, const char *name) {
  int len = *prefix ? snprintf(buf, n, "%s.%s", prefix, name) : snprintf(buf, n, "%s", name);
  return len >= 0 && (size_t)len < n;
}

static bool is_comment(const cJSON *m) { return m->string && m->string[0] == '_'; }

/* Adds the axis for key id from a list or a {"from","to","step"} object. */
static int sweep_push(load_ctx *lc, cfg_key_id id, char **vals, size_t n) {
  cfg *t = lc->t;
  sweep_axis *ax = realloc(t->sweep, (t->nsweep + 1) * sizeof *ax);
  if (!ax) return nomem(lc->err, lc->src);
  t->sweep = ax;
  t->sweep[t->nsweep++] = (sweep_axis){.id = id, .n = n, .vals = vals};
  return SIM_OK;
}

/* Checks one sweep point and appends its text to vals[*n]. */
static int sweep_point(load_ctx *lc, cfg_key_id id, cval *v, char **vals, size_t *n) {
  char text[64];
  const char *s = is_text(cfg_keys[id].type) ? v->s : val_text(id, v, text, sizeof text);
  char *copy = dup(s);
  val_free(id, v);
  if (!copy) return nomem(lc->err, lc->src);
  vals[(*n)++] = copy;
  return SIM_OK;
}

static int sweep_list(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *list) {
  size_t cap = (size_t)cJSON_GetArraySize(list), n = 0;
  char **vals;
  int rc = SIM_OK;
  if (cap == 0)
    return bad(lc->err, lc->src, where, "expected a non-empty list of values, got an empty list");
  if (!(vals = calloc(cap, sizeof *vals))) return nomem(lc->err, lc->src);
  for (const cJSON *e = list->child; e; e = e->next) {
    cval v = {0};
    if ((rc = val_from_json(lc, where, id, e, &v)) != SIM_OK) {
      val_free(id, &v);
      goto fail;
    }
    if ((rc = sweep_point(lc, id, &v, vals, &n)) != SIM_OK) goto fail;
    for (size_t i = 0; i + 1 < n; i++)
      if (strcmp(vals[i], vals[n - 1]) == 0) {
        char q[64];
        rc = bad(lc->err, lc->src, where, "%s is listed twice",
                 is_text(cfg_keys[id].type) ? quote(vals[i], q, sizeof q) : vals[i]);
        goto fail;
      }
  }
  if ((rc = sweep_push(lc, id, vals, n)) == SIM_OK) return SIM_OK;
fail:
  for (size_t i = 0; i < n; i++) free(vals[i]);
  free(vals);
  return rc;
}

/* {"from": a, "to": b, "step": s}: a, a+s, ... while not past b. */
static int sweep_range(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *obj) {
  const cfg_key *k = &cfg_keys[id];
  const cJSON *part[3] = {NULL, NULL, NULL};
  static const char *const names[3] = {"from", "to", "step"};
  char sub[PATH_MAX_LEN + 16], got[128];
  if (k->type != CFG_INT && k->type != CFG_REAL)
    return bad(lc->err, lc->src, where,
               "from/to/step needs a numeric key; give a list of values instead");
  for (const cJSON *m = obj->child; m; m = m->next) {
    int i = 0;
    if (is_comment(m)) continue;
    while (i < 3 && strcmp(m->string, names[i]) != 0) i++;
    if (i == 3)
      return bad(lc->err, lc->src, where, "unknown member \"%s\" (expected from, to, step)",
                 m->string);
    if (part[i]) return bad(lc->err, lc->src, where, "\"%s\" given twice", names[i]);
    part[i] = m;
  }
  for (int i = 0; i < 2; i++)
    if (!part[i]) return bad(lc->err, lc->src, where, "missing \"%s\"", names[i]);

  /* Read from/to/step as numbers (integers for an integer key). */
  int64_t iv[3] = {0, 0, 1};
  double dv[3] = {0, 0, 1};
  for (int i = 0; i < 3; i++) {
    if (!part[i]) continue;
    snprintf(sub, sizeof sub, "%s.%s", where, names[i]);
    if (!cJSON_IsNumber(part[i]) || !isfinite(part[i]->valuedouble))
      return bad(lc->err, lc->src, sub, "expected a%s number, got %s",
                 k->type == CFG_INT ? "n integer" : "", describe(lc, part[i], got, sizeof got));
    dv[i] = part[i]->valuedouble;
    if (k->type == CFG_INT && json_int(lc, part[i], &iv[i]) != NUM_OK)
      return bad(lc->err, lc->src, sub, "expected an exact integer, got %s",
                 describe(lc, part[i], got, sizeof got));
  }

  /* Count the points before allocating them. */
  size_t n;
  if (k->type == CFG_INT) {
    __int128 span = (__int128)iv[1] - iv[0], cnt;
    if (iv[2] == 0) return bad(lc->err, lc->src, where, "step must not be 0");
    cnt = span / iv[2] + 1;
    if (cnt < 1)
      return bad(lc->err, lc->src, where,
                 "from %" PRId64 " to %" PRId64 " by step %" PRId64 " gives no values", iv[0],
                 iv[1], iv[2]);
    if (cnt > SWEEP_MAX_VALUES)
      return bad(lc->err, lc->src, where, "from/to/step gives more than %d values",
                 SWEEP_MAX_VALUES);
    n = (size_t)cnt;
  } else {
    if (dv[2] == 0) return bad(lc->err, lc->src, where, "step must not be 0");
    double q = (dv[1] - dv[0]) / dv[2];
    if (q < -1e-9)
      return bad(lc->err, lc->src, where, "from %g to %g by step %g gives no values", dv[0], dv[1],
                 dv[2]);
    if (!(q < SWEEP_MAX_VALUES))
      return bad(lc->err, lc->src, where, "from/to/step gives more than %d values",
                 SWEEP_MAX_VALUES);
    n = (size_t)floor(q + 1e-9) + 1;
  }

  char **vals = calloc(n, sizeof *vals);
  size_t got_n = 0;
  int rc = SIM_OK;
  if (!vals) return nomem(lc->err, lc->src);
  for (size_t i = 0; i < n; i++) {
    cval v;
    if (k->type == CFG_INT) {
      v.i = (int64_t)(iv[0] + (__int128)iv[2] * (int64_t)i);
      rc = check_int(lc->err, lc->src, where, id, v.i);
    } else {
      char shown[64];
      v.r = dv[0] + dv[2] * (double)i;
      if (i == n - 1 && fabs(v.r - dv[1]) <= fabs(dv[2]) * 1e-9)
        v.r = dv[1]; /* no 0.30000000000000004 */
      rc = check_real(lc->err, lc->src, where, id, v.r, real_text(v.r, shown, sizeof shown));
    }
    if (rc != SIM_OK || (rc = sweep_point(lc, id, &v, vals, &got_n)) != SIM_OK) break;
  }
  if (rc == SIM_OK && (rc = sweep_push(lc, id, vals, got_n)) == SIM_OK) return SIM_OK;
  for (size_t i = 0; i < got_n; i++) free(vals[i]);
  free(vals);
  return rc;
}

/* "sweep": {"repeat": N}: runs per grid point. */
static int sweep_repeat(load_ctx *lc, const cJSON *m) {
  char got[128];
  int64_t v = 0;
  if (lc->seen_repeat) return bad(lc->err, lc->src, "sweep.repeat", "given twice");
  lc->seen_repeat = true;
  if (!cJSON_IsNumber(m) || json_int(lc, m, &v) != NUM_OK || v < 1 || v > SWEEP_MAX_VALUES)
    return bad(lc->err, lc->src, "sweep.repeat",
               "expected a positive integer (runs per point, at most %d), got %s",
               SWEEP_MAX_VALUES, describe(lc, m, got, sizeof got));
  lc->t->repeat = v;
  return SIM_OK;
}

/* The members of "sweep" (or of a group inside it), prefix being the group. */
static int walk_sweep(load_ctx *lc, const char *prefix, const cJSON *obj) {
  for (const cJSON *m = obj->child; m; m = m->next) {
    char full[PATH_MAX_LEN], where[PATH_MAX_LEN + 8], got[128];
    int rc;
    if (is_comment(m)) continue;
    if (!*prefix && strcmp(m->string, "repeat") == 0) {
      if ((rc = sweep_repeat(lc, m)) != SIM_OK) return rc;
      continue;
    }
    bool fits = join(full, sizeof full, prefix, m->string);
    snprintf(where, sizeof where, "sweep.%s", full);
    int id = fits ? cfg_key_find(full) : -1;
    if (id >= 0) {
      if (lc->swept[id]) return bad(lc->err, lc->src, where, "given twice");
      lc->swept[id] = true;
      if (cJSON_IsArray(m)) rc = sweep_list(lc, where, (cfg_key_id)id, m);
      else if (cJSON_IsObject(m)) rc = sweep_range(lc, where, (cfg_key_id)id, m);
      else
        rc = bad(lc->err, lc->src, where,
                 "expected a list of values or {\"from\", \"to\", \"step\"}, got %s",
                 describe(lc, m, got, sizeof got));
    } else if (fits && is_group(full) && cJSON_IsObject(m)) {
      rc = walk_sweep(lc, full, m);
    } else {
      rc = unknown_key(lc->err, lc->src, where, full, cJSON_IsObject(m));
    }
    if (rc != SIM_OK) return rc;
  }
  return SIM_OK;
}

/* ---- The "calibrate" object (mmsim calibrate) ----
 *
 * "params" holds axes written exactly as sweep's (a list, or from/to/step),
 * parsed by the same sweep_list/sweep_range and then moved to their own
 * list, so the two grids never mix and both are checked alike at load.
 * Only keys of the simulated machine may be fitted: cpu.*, memory.*,
 * cache.*, net.* and run.start_skew.  Fitting workload.* or run.iterations
 * would change the experiment, not the machine, and native.* does nothing
 * in the simulator. */

static bool fittable(const char *path) {
  static const char *const groups[] = {"cpu.", "memory.", "cache.", "net."};
  for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
    if (strncmp(path, groups[i], strlen(groups[i])) == 0) return true;
  return strcmp(path, "run.start_skew") == 0;
}

static int calib_axis(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *m) {
  cfg *t = lc->t;
  int rc = cJSON_IsArray(m) ? sweep_list(lc, where, id, m) : sweep_range(lc, where, id, m);
  if (rc != SIM_OK) return rc; /* on success the axis is the last of t->sweep */
  sweep_axis ax = t->sweep[--t->nsweep];
  sweep_axis *a = realloc(t->calib_axes, (t->ncalib + 1) * sizeof *a);
  if (!a) {
    for (size_t j = 0; j < ax.n; j++) free(ax.vals[j]);
    free(ax.vals);
    return nomem(lc->err, lc->src);
  }
  t->calib_axes = a;
  t->calib_axes[t->ncalib++] = ax;
  return SIM_OK;
}

static int walk_calib_params(load_ctx *lc, const char *prefix, const cJSON *obj) {
  for (const cJSON *m = obj->child; m; m = m->next) {
    char full[PATH_MAX_LEN], where[PATH_MAX_LEN + 24], got[128];
    int rc;
    if (is_comment(m)) continue;
    bool fits = join(full, sizeof full, prefix, m->string);
    snprintf(where, sizeof where, "calibrate.params.%s", full);
    int id = fits ? cfg_key_find(full) : -1;
    if (id >= 0) {
      if (lc->fitted[id]) return bad(lc->err, lc->src, where, "given twice");
      lc->fitted[id] = true;
      if (!fittable(full))
        rc = bad(lc->err, lc->src, where,
                 "not a parameter of the simulated machine (calibrate fits cpu.*, memory.*, "
                 "cache.*, net.* and run.start_skew)");
      else if (cJSON_IsArray(m) || cJSON_IsObject(m)) rc = calib_axis(lc, where, (cfg_key_id)id, m);
      else
        rc = bad(lc->err, lc->src, where,
                 "expected a list of values or {\"from\", \"to\", \"step\"}, got %s",
                 describe(lc, m, got, sizeof got));
    } else if (fits && is_group(full) && cJSON_IsObject(m)) {
      rc = walk_calib_params(lc, full, m);
    } else {
      rc = unknown_key(lc->err, lc->src, where, full, cJSON_IsObject(m));
    }
    if (rc != SIM_OK) return rc;
  }
  return SIM_OK;
}

/* One of calibrate's counts: an integer in [lo, hi]. */
static int calib_count(load_ctx *lc, const cJSON *m, int64_t lo, int64_t hi, int64_t *out) {
  char where[64], got[128];
  int64_t v;
  snprintf(where, sizeof where, "calibrate.%s", m->string);
  if (!cJSON_IsNumber(m) || json_int(lc, m, &v) != NUM_OK)
    return bad(lc->err, lc->src, where, "expected an integer, got %s",
               describe(lc, m, got, sizeof got));
  if (v < lo || v > hi)
    return bad(lc->err, lc->src, where, "%" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]%s",
               v, lo, hi, lo == 2 ? " (a distribution needs at least 2 runs)" : "");
  *out = v;
  return SIM_OK;
}

static int walk_calibrate(load_ctx *lc, const cJSON *obj) {
  static const char *const names[] = {"params", "native_runs", "sim_runs", "native_iterations"};
  bool seen[4] = {false, false, false, false};
  char got[128];
  lc->t->has_calib = true;
  lc->t->calib = (cfg_calib){.native_runs = 10, .sim_runs = 10, .native_iterations = 0};
  for (const cJSON *m = obj->child; m; m = m->next) {
    size_t i = 0;
    int rc;
    if (is_comment(m)) continue;
    while (i < 4 && strcmp(m->string, names[i]) != 0) i++;
    if (i == 4) {
      char where[PATH_MAX_LEN + 16];
      snprintf(where, sizeof where, "calibrate.%.*s", PATH_MAX_LEN, m->string);
      return bad(lc->err, lc->src, where,
                 "unknown member (expected params, native_runs, sim_runs, native_iterations)");
    }
    if (seen[i]) return bad(lc->err, lc->src, "calibrate", "\"%s\" given twice", names[i]);
    seen[i] = true;
    switch (i) {
    case 0:
      if (!cJSON_IsObject(m))
        return bad(lc->err, lc->src, "calibrate.params",
                   "expected an object mapping keys to lists of values, got %s",
                   describe(lc, m, got, sizeof got));
      rc = walk_calib_params(lc, "", m);
      break;
    case 1: rc = calib_count(lc, m, 2, 100000, &lc->t->calib.native_runs); break;
    case 2: rc = calib_count(lc, m, 2, 100000, &lc->t->calib.sim_runs); break;
    default: rc = calib_count(lc, m, 1, 10000000000LL, &lc->t->calib.native_iterations); break;
    }
    if (rc != SIM_OK) return rc;
  }
  if (lc->t->ncalib == 0)
    return bad(lc->err, lc->src, "calibrate.params",
               "missing or empty: name at least one key to fit (net.jitter, ...)");
  return SIM_OK;
}

/* The members of the file (prefix "") or of a group (prefix "cpu"). */
static int walk(load_ctx *lc, const char *prefix, const cJSON *obj) {
  for (const cJSON *m = obj->child; m; m = m->next) {
    char full[PATH_MAX_LEN], got[128];
    int rc = SIM_OK;
    if (is_comment(m)) continue;
    bool fits = join(full, sizeof full, prefix, m->string);
    bool top = !*prefix;
    int id = fits ? cfg_key_find(full) : -1;
    if (top && strcmp(full, "name") == 0) {
      if (lc->seen_name) return bad(lc->err, lc->src, "name", "given twice");
      lc->seen_name = true;
      if (!cJSON_IsString(m) || !*m->valuestring)
        return bad(lc->err, lc->src, "name", "expected a non-empty string, got %s",
                   describe(lc, m, got, sizeof got));
      if (!(lc->t->name = dup(m->valuestring))) return nomem(lc->err, lc->src);
    } else if (top && strcmp(full, "sweep") == 0) {
      if (lc->seen_sweep) return bad(lc->err, lc->src, "sweep", "given twice");
      lc->seen_sweep = true;
      if (!cJSON_IsObject(m))
        return bad(lc->err, lc->src, "sweep",
                   "expected an object mapping keys to lists of values, got %s",
                   describe(lc, m, got, sizeof got));
      rc = walk_sweep(lc, "", m);
    } else if (top && strcmp(full, "calibrate") == 0) {
      if (lc->seen_calib) return bad(lc->err, lc->src, "calibrate", "given twice");
      lc->seen_calib = true;
      if (!cJSON_IsObject(m))
        return bad(lc->err, lc->src, "calibrate", "expected an object with \"params\", got %s",
                   describe(lc, m, got, sizeof got));
      rc = walk_calibrate(lc, m);
    } else if (id >= 0) {
      cval v = {0};
      if (lc->seen[id]) return bad(lc->err, lc->src, full, "given twice");
      lc->seen[id] = true;
      if ((rc = val_from_json(lc, full, (cfg_key_id)id, m, &v)) != SIM_OK) {
        val_free((cfg_key_id)id, &v);
        return rc;
      }
      val_free((cfg_key_id)id, &lc->t->v[id]);
      lc->t->v[id] = v;
    } else if (fits && is_group(full)) {
      if (!cJSON_IsObject(m))
        return bad(lc->err, lc->src, full, "expected an object of %s.* keys, got %s", full,
                   describe(lc, m, got, sizeof got));
      rc = walk(lc, full, m);
    } else {
      rc = unknown_key(lc->err, lc->src, full, full, cJSON_IsObject(m));
    }
    if (rc != SIM_OK) return rc;
  }
  return SIM_OK;
}

/* The innermost bracket open at text[0..n): '{', '[' or 0. */
static char open_bracket(const char *text, size_t n) {
  char stack[64];
  size_t depth = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = text[i];
    if (ch == '"') {
      for (i++; i < n && text[i] != '"'; i++)
        if (text[i] == '\\') i++;
    } else if (ch == '{' || ch == '[') {
      if (depth < sizeof stack) stack[depth] = ch;
      depth++;
    } else if ((ch == '}' || ch == ']') && depth > 0) {
      depth--;
    }
  }
  return depth == 0 ? 0 : depth <= sizeof stack ? stack[depth - 1] : '{';
}

/* "F:LINE:COL: malformed JSON near '...'" for a parse that stopped at pos.
 * Columns count characters (UTF-8 continuation bytes do not), from 1. */
static int malformed(sim_err *err, const char *src, const char *text, const char *pos) {
  size_t line = 1, col = 1;
  char near[64];
  size_t k = 0;
  if (!pos || pos < text) pos = text;
  /* cJSON 1.7 reports a member name that is not a string one character
   * late ({"a": 1,} points past the '}').  That is the one case where the
   * character before pos follows '{' or ',' inside an object. */
  if (pos > text && pos[-1] != '"' && !isspace((unsigned char)pos[-1])) {
    const char *b = pos - 1;
    while (b > text && isspace((unsigned char)b[-1])) b--;
    if (b > text && (b[-1] == '{' || b[-1] == ',') && open_bracket(text, (size_t)(b - text)) == '{')
      pos--;
  }
  for (const char *p = text; p < pos && *p; p++) {
    if (*p == '\n') line++, col = 1;
    else if (((unsigned char)*p & 0xc0) != 0x80) col++;
  }
  for (const char *p = pos; *p && *p != '\n' && *p != '\r' && k < 24; p++)
    near[k++] = isprint((unsigned char)*p) || ((unsigned char)*p & 0x80) ? *p : ' ';
  while (k > 0 && ((unsigned char)near[k - 1] & 0xc0) == 0x80) k--; /* no cut UTF-8 */
  if (k > 0 && ((unsigned char)near[k - 1] & 0xc0) == 0xc0) k--;
  near[k] = '\0';
  if (k == 0)
    return sim_errf(err, SIM_ECONFIG, "%s:%zu:%zu: malformed JSON near end of %s", src, line, col,
                    *pos ? "line" : "input");
  return sim_errf(err, SIM_ECONFIG, "%s:%zu:%zu: malformed JSON near '%s'", src, line, col, near);
}

/* Turns every number node into a raw node holding its literal, so the
 * re-printed source shows numbers exactly as written. */
static int numbers_as_written(load_ctx *lc) {
  for (size_t i = 0; i < lc->nnums; i++) {
    cJSON *node = (cJSON *)lc->nums[i].node;
    char *lit = dupn(lc->nums[i].text, lc->nums[i].len);
    if (!lit) return nomem(lc->err, lc->src);
    node->type = cJSON_Raw;
    node->valuestring = lit;
  }
  return SIM_OK;
}

static void cfg_swap(cfg *a, cfg *b) {
  cfg tmp = *a;
  *a = *b;
  *b = tmp;
}

static int load_text(cfg *c, const char *src, const char *text, char *dir, sim_err *err) {
  load_ctx lc = {.src = src, .err = err};
  const char *end = NULL;
  cJSON *root = NULL;
  int rc = SIM_OK;
  char got[128];

  if (!(lc.t = cfg_clone(c))) {
    rc = nomem(err, src);
    goto done;
  }
  root = cJSON_ParseWithOpts(text, &end, 1);
  if (!root) {
    /* cJSON cannot tell out of memory from bad JSON; for a config file
     * of a few KiB, bad JSON is the only likely cause. */
    rc = malformed(err, src, text, end);
    goto done;
  }
  if (!cJSON_IsObject(root)) {
    rc = sim_errf(err, SIM_ECONFIG, "%s: expected a JSON object at the top level, got %s", src,
                  describe(&lc, root, got, sizeof got));
    goto done;
  }
  if ((rc = index_numbers(&lc, text, root)) != SIM_OK) goto done;

  /* File-level state describes the new file only. */
  sweep_free(lc.t);
  calib_free(lc.t);
  free(lc.t->name);
  lc.t->name = NULL;
  free(lc.t->source);
  lc.t->source = NULL;
  free(lc.t->dir);
  lc.t->dir = dir;
  dir = NULL;

  if ((rc = walk(&lc, "", root)) != SIM_OK) goto done;
  if ((rc = numbers_as_written(&lc)) != SIM_OK) goto done;
  if (!(lc.t->source = cJSON_PrintUnformatted(root))) {
    rc = nomem(err, src);
    goto done;
  }
  cfg_swap(c, lc.t); /* C1: c changes only here, all at once */
done:
  cJSON_Delete(root);
  free(lc.nums);
  cfg_free(lc.t);
  free(dir);
  return rc;
}

int cfg_load_string(cfg *c, const char *name, const char *json, sim_err *err) {
  char *dir = dup(".");
  assert(c && name && json);
  if (!dir) return nomem(err, name);
  return load_text(c, name, json, dir, err);
}

/* The folder part of path: "configs/x.json" -> "configs", "x.json" -> ".". */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return dup(".");
  while (slash > path && slash[-1] == '/') slash--;
  if (slash == path) return dup("/");
  return dupn(path, (size_t)(slash - path));
}

int cfg_load_file(cfg *c, const char *path, sim_err *err) {
  FILE *f;
  char *text = NULL, *dir = NULL;
  size_t len = 0, cap = 0;
  int rc;
  assert(c && path);
  if (!(f = fopen(path, "rb"))) return sim_errf(err, SIM_EIO, "%s: %s", path, strerror(errno));
  for (;;) {
    if (len + 1 >= cap) {
      char *t;
      cap = cap ? cap * 2 : 4096;
      if (cap > FILE_MAX_BYTES + 1) {
        rc = sim_errf(err, SIM_EIO, "%s: larger than %d bytes; is it a config?", path,
                      FILE_MAX_BYTES);
        goto fail;
      }
      if (!(t = realloc(text, cap))) {
        rc = nomem(err, path);
        goto fail;
      }
      text = t;
    }
    size_t got = fread(text + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    rc = sim_errf(err, SIM_EIO, "%s: %s", path, strerror(errno ? errno : EIO));
    goto fail;
  }
  text[len] = '\0';
  if (strlen(text) != len) {
    rc = sim_errf(err, SIM_ECONFIG, "%s: malformed JSON: a NUL byte at offset %zu", path,
                  strlen(text));
    goto fail;
  }
  if (!(dir = dir_of(path))) {
    rc = nomem(err, path);
    goto fail;
  }
  rc = load_text(c, path, text, dir, err); /* takes dir */
  fclose(f);
  free(text);
  return rc;
fail:
  fclose(f);
  free(text);
  return rc;
}

int cfg_set(cfg *c, const char *path, const char *value, sim_err *err) {
  int id = cfg_key_find(path);
  cval v = {0};
  int rc;
  assert(c && path && value);
  if (strcmp(path, "name") == 0) {
    char *name;
    if (!*value) return bad(err, "--set", "name", "expected a non-empty string, got \"\"");
    if (!(name = dup(value))) return nomem(err, "--set");
    free(c->name);
    c->name = name;
    return SIM_OK;
  }
  if (id < 0) return unknown_key(err, "--set", path, path, false);
  if ((rc = val_from_text(err, "--set", path, (cfg_key_id)id, value, &v)) != SIM_OK) {
    val_free((cfg_key_id)id, &v);
    return rc;
  }
  val_free((cfg_key_id)id, &c->v[id]);
  c->v[id] = v;
  return SIM_OK;
}

/* ---- Reading ---- */

int64_t cfg_int(const cfg *c, cfg_key_id id) {
  assert((unsigned)id < CFG_NKEYS);
  assert(cfg_keys[id].type == CFG_INT || cfg_keys[id].type == CFG_BOOL);
  return c->v[id].i;
}

double cfg_real(const cfg *c, cfg_key_id id) {
  assert((unsigned)id < CFG_NKEYS && cfg_keys[id].type == CFG_REAL);
  return c->v[id].r;
}

const char *cfg_str(const cfg *c, cfg_key_id id) {
  assert((unsigned)id < CFG_NKEYS && is_text(cfg_keys[id].type));
  return c->v[id].s;
}

const char *cfg_name(const cfg *c) { return c->name; }

const char *cfg_dir(const cfg *c) { return c->dir; }

const char *cfg_value_text(const cfg *c, cfg_key_id id, char *buf, size_t n) {
  assert((unsigned)id < CFG_NKEYS && buf && n > 0);
  return val_text(id, &c->v[id], buf, n);
}

/* ---- Output ---- */

/* The object for the group of path's segments before the last, created in
 * first-use order; *leaf is set to the last segment. */
static cJSON *group_of(cJSON *root, const char *path, const char **leaf) {
  cJSON *obj = root;
  const char *seg = path, *dot;
  while ((dot = strchr(seg, '.'))) {
    char name[PATH_MAX_LEN];
    size_t len = (size_t)(dot - seg);
    assert(len < sizeof name);
    memcpy(name, seg, len);
    name[len] = '\0';
    cJSON *child = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!child && !(child = cJSON_AddObjectToObject(obj, name))) return NULL;
    obj = child;
    seg = dot + 1;
  }
  *leaf = seg;
  return obj;
}

char *cfg_resolved_json(const cfg *c) {
  cJSON *root = cJSON_CreateObject();
  char *out = NULL;
  if (!root) return NULL;
  if (c->name && !cJSON_AddStringToObject(root, "name", c->name)) goto done;
  for (int i = 0; i < CFG_NKEYS; i++) {
    const char *leaf;
    char text[64];
    cJSON *obj = group_of(root, cfg_keys[i].path, &leaf), *item;
    if (!obj) goto done;
    switch (cfg_keys[i].type) {
    case CFG_INT:
    case CFG_REAL:
      /* Raw: cJSON would print an int64 through a double. */
      item = cJSON_CreateRaw(val_text((cfg_key_id)i, &c->v[i], text, sizeof text));
      break;
    case CFG_BOOL: item = cJSON_CreateBool(c->v[i].i != 0); break;
    default: item = cJSON_CreateString(c->v[i].s); break;
    }
    if (!item) goto done;
    if (!cJSON_AddItemToObject(obj, leaf, item)) {
      cJSON_Delete(item);
      goto done;
    }
  }
  out = cJSON_PrintUnformatted(root);
done:
  cJSON_Delete(root);
  return out;
}

char *cfg_source_json(const cfg *c) { return dup(c->source ? c->source : "{}"); }

void cfg_hash(const cfg *c, char out[17]) {
  char *json = cfg_resolved_json(c);
  uint64_t h = 14695981039346656037ULL; /* FNV-1a 64 offset basis */
  if (!json) sim_panic("cfg_hash: out of memory");
  for (const unsigned char *p = (const unsigned char *)json; *p; p++) {
    h ^= *p;
    h *= 1099511628211ULL; /* FNV 64 prime */
  }
  free(json);
  snprintf(out, 17, "%016" PRIx64, h);
}

/* ---- Sweep ---- */

size_t cfg_sweep_nkeys(const cfg *c) { return c->nsweep; }

const char *cfg_sweep_key(const cfg *c, size_t i) {
  assert(i < c->nsweep);
  return cfg_keys[c->sweep[i].id].path;
}

size_t cfg_sweep_nvalues(const cfg *c, size_t i) {
  assert(i < c->nsweep);
  return c->sweep[i].n;
}

const char *cfg_sweep_value(const cfg *c, size_t i, size_t j) {
  assert(i < c->nsweep && j < c->sweep[i].n);
  return c->sweep[i].vals[j];
}

/* ---- Calibrate ---- */

bool cfg_calibrate(const cfg *c, cfg_calib *out) {
  if (c->has_calib && out) *out = c->calib;
  return c->has_calib;
}

size_t cfg_calib_nkeys(const cfg *c) { return c->ncalib; }

const char *cfg_calib_key(const cfg *c, size_t i) {
  assert(i < c->ncalib);
  return cfg_keys[c->calib_axes[i].id].path;
}

size_t cfg_calib_nvalues(const cfg *c, size_t i) {
  assert(i < c->ncalib);
  return c->calib_axes[i].n;
}

const char *cfg_calib_value(const cfg *c, size_t i, size_t j) {
  assert(i < c->ncalib && j < c->calib_axes[i].n);
  return c->calib_axes[i].vals[j];
}
uint64_t cfg_sweep_repeat(const cfg *c) { return c->repeat ? (uint64_t)c->repeat : 1; }

/* ---- mmsim config --defaults ---- */

static const char *type_name(cfg_type t) {
  switch (t) {
  case CFG_INT: return "int";
  case CFG_REAL: return "real";
  case CFG_BOOL: return "bool";
  case CFG_STR: return "string";
  case CFG_ENUM: return "enum";
  }
  return "?";
}

/* The RANGE / CHOICES column. */
static const char *domain_text(cfg_key_id id, char *buf, size_t n) {
  const cfg_key *k = &cfg_keys[id];
  switch (k->type) {
  case CFG_INT:
    if (pow2_key(id) && pow2_list(k, true, buf, n)) return buf;
    if (pow2_key(id)) {
      char r[64];
      snprintf(buf, n, "2^k in %s", range_text(k, r, sizeof r));
      return buf;
    }
    return range_text(k, buf, n);
  case CFG_REAL: return range_text(k, buf, n);
  case CFG_BOOL: snprintf(buf, n, "true|false"); return buf;
  case CFG_STR: snprintf(buf, n, "text"); return buf;
  case CFG_ENUM: snprintf(buf, n, "%s", k->choices); return buf;
  }
  return "?";
}

static const char *default_text(cfg_key_id id, char *buf, size_t n) {
  if (cfg_keys[id].type == CFG_STR) return quote(cfg_keys[id].def, buf, n);
  snprintf(buf, n, "%s", cfg_keys[id].def);
  return buf;
}

/* Words of s from column indent, wrapped before DOC_WIDTH. */
static void print_wrapped(FILE *out, const char *s, int indent) {
  int col = indent;
  fprintf(out, "%*s", indent, "");
  while (*s) {
    size_t w = strcspn(s, " ");
    if (col > indent && col + 1 + (int)w > DOC_WIDTH) {
      fprintf(out, "\n%*s", indent, "");
      col = indent;
    }
    if (col > indent) col += fprintf(out, " ");
    col += fprintf(out, "%.*s", (int)w, s);
    s += w;
    while (*s == ' ') s++;
  }
  fputc('\n', out);
}

void cfg_print_defaults(FILE *out) {
  int wpath = 3, wtype = 4, wdom = 15;
  char dom[96], def[96];
  for (int i = 0; i < CFG_NKEYS; i++) {
    int lp = (int)strlen(cfg_keys[i].path), lt = (int)strlen(type_name(cfg_keys[i].type));
    int ld = (int)strlen(domain_text((cfg_key_id)i, dom, sizeof dom));
    if (lp > wpath) wpath = lp;
    if (lt > wtype) wtype = lt;
    if (ld > wdom) wdom = ld;
  }
  fprintf(out, "%-*s  %-*s  %-*s  %s\n", wpath, "KEY", wtype, "TYPE", wdom, "RANGE / CHOICES",
          "DEFAULT");
  for (int i = 0; i < CFG_NKEYS; i++) {
    const char *p = cfg_keys[i].path, *q = i ? cfg_keys[i - 1].path : NULL;
    size_t g = strcspn(p, ".");
    if (q && (strncmp(p, q, g) != 0 || q[g] != '.')) fputc('\n', out); /* new group */
    fprintf(out, "%-*s  %-*s  %-*s  %s\n", wpath, p, wtype, type_name(cfg_keys[i].type), wdom,
            domain_text((cfg_key_id)i, dom, sizeof dom),
            default_text((cfg_key_id)i, def, sizeof def));
    print_wrapped(out, cfg_keys[i].doc, 4);
  }
  fputc('\n', out);
  fputs("Ranges are inclusive.  --set cpu.model=sc overrides one key.\n"
        "In a config file a key is nested ({\"cpu\": {\"model\": \"sc\"}}) or dotted "
        "({\"cpu.model\": \"sc\"});\n"
        "members whose names start with \"_\" are comments.  \"name\" names the experiment.\n"
        "\"sweep\" maps keys to lists of values, or numeric keys to "
        "{\"from\": a, \"to\": b, \"step\": s};\n"
        "its member \"repeat\": N (default 1) runs each grid point N times, with seeds\n"
        "run.seed, run.seed+1, ..., run.seed+N-1 (mmsim sweep --help).\n"
        "\"calibrate\" (mmsim calibrate): \"params\" maps machine keys to values as sweep does;\n"
        "\"native_runs\" and \"sim_runs\" (default 10) repeat each side; \"native_iterations\"\n"
        "(default run.iterations) sets the native runs' length.\n",
        out);
}
