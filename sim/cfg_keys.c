/* sim/cfg_keys.c -- the key table: its rows, a value checked against its
 * row, values to and from --set text, and `mmsim config --defaults`.
 *
 * The rows themselves are the CFG_KEYS X-macro (sim/cfg_keys.h); this file
 * is everything that reads them.  It also holds the small text and message
 * helpers every cfg_ file uses (cfg_int.h lists them).
 *
 * Extra checks beyond the table's range: a few integer keys must be powers
 * of two (cpu.atomic_width, line size and set counts); they are listed in
 * pow2_key() below, since the X-macro has no column for it.  Their messages
 * list the allowed values when there are few ("3 is not 1, 2, 4 or 8").
 *
 * Messages about a value (C1) read "SOURCE: KEY: ...":
 *   F: K: V is out of range [MIN, MAX]
 *   F: K: "V" is not one of a|b|c            (+ " (did you mean b?)")
 *   F: K: V is not 1, 2, 4 or 8        (or "is not a power of two in [MIN, MAX]")
 *   F: K: unknown key (did you mean K2?)     or "(mmsim config --defaults ...)"
 * The suggestion is the key (or group, for an object) nearest by edit
 * distance, within one edit per four characters; failing that, the only key
 * ending in ".K" ("model" -> cpu.model).  Values in messages are shown as
 * written, strings quoted and cut at 40 characters.
 */
#include "cfg_int.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DOC_WIDTH = 100 }; /* cfg_print_defaults fits this terminal width */

const cfg_key cfg__keys[CFG_NKEYS] = {
#define X(id, path, type, min, max, def, choices, doc) {path, type, min, max, def, choices, doc},
    CFG_KEYS(X)
#undef X
};

/* ---- Text and messages, for every cfg_ file ---- */

char *cfg__dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

char *cfg__dup(const char *s) { return cfg__dupn(s, strlen(s)); }

int cfg__nomem(sim_err *err, const char *src) {
  return sim_errf(err, SIM_ENOMEM, "%s: out of memory", src);
}

int cfg__bad(sim_err *err, const char *src, const char *where, const char *fmt, ...) {
  char what[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return sim_errf(err, SIM_ECONFIG, "%s: %s: %s", src, where, what);
}

/* s in double quotes, escaped, cut after 40 characters: values in messages
 * must stay on one line and not drown the key. */
const char *cfg__quote(const char *s, char *buf, size_t n) {
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

/* Shortest text that reads back as the same double.  The digits are found
 * in a local buffer and copied once: formatting straight into buf made
 * GCC 12 with -O2 and -fsanitize=undefined see a path where buf is NULL
 * (-Werror=format-truncation, "null destination pointer"). */
const char *cfg__real_text(double d, char *buf, size_t n) {
  char digits[32]; /* "%.17g" of any double: at most 24 characters */
  size_t len;
  assert(buf && n > 0);
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(digits, sizeof digits, "%.*g", prec, d);
    if (strtod(digits, NULL) == d) break;
  }
  len = strlen(digits);
  if (len >= n) len = n - 1;
  memcpy(buf, digits, len);
  buf[len] = '\0';
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
  return &cfg__keys[id];
}

int cfg_key_find(const char *path) {
  for (int i = 0; i < CFG_NKEYS; i++)
    if (strcmp(cfg__keys[i].path, path) == 0) return i;
  return -1;
}

/* True when path names a group: some key starts with "path.". */
bool cfg__is_group(const char *path) {
  size_t n = strlen(path);
  for (int i = 0; i < CFG_NKEYS; i++)
    if (strncmp(cfg__keys[i].path, path, n) == 0 && cfg__keys[i].path[n] == '.') return true;
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
    const char *kp = cfg__keys[i].path;
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

int cfg__unknown_key(sim_err *err, const char *src, const char *where, const char *path,
                       bool groups) {
  char near[PATH_MAX_LEN];
  if (suggest(path, groups, near, sizeof near))
    return cfg__bad(err, src, where, "unknown key (did you mean %s?)", near);
  return cfg__bad(err, src, where, "unknown key (mmsim config --defaults lists every key)");
}

/* ---- Checking a value against its row ---- */

const char *cfg__range_text(const cfg_key *k, char *buf, size_t n) {
  snprintf(buf, n, "[%" PRId64 ", %" PRId64 "]", k->min, k->max);
  return buf;
}

int cfg__check_int(sim_err *err, const char *src, const char *where, cfg_key_id id, int64_t v) {
  const cfg_key *k = &cfg__keys[id];
  char r[64], list[64];
  if (pow2_key(id) && (v < k->min || v > k->max || (v & (v - 1)) != 0)) {
    if (pow2_list(k, false, list, sizeof list))
      return cfg__bad(err, src, where, "%" PRId64 " is not %s", v, list);
    return cfg__bad(err, src, where, "%" PRId64 " is not a power of two in %s", v,
               cfg__range_text(k, r, sizeof r));
  }
  if (v < k->min || v > k->max)
    return cfg__bad(err, src, where, "%" PRId64 " is out of range %s", v, cfg__range_text(k, r, sizeof r));
  return SIM_OK;
}

int cfg__check_real(sim_err *err, const char *src, const char *where, cfg_key_id id, double v,
                      const char *shown) {
  const cfg_key *k = &cfg__keys[id];
  char r[64];
  if (!isfinite(v)) return cfg__bad(err, src, where, "expected a finite number, got %s", shown);
  if (v < (double)k->min || v > (double)k->max)
    return cfg__bad(err, src, where, "%s is out of range %s", shown, cfg__range_text(k, r, sizeof r));
  return SIM_OK;
}

/* Checks s as an enum value and stores an owned copy in *out. */
int cfg__take_choice(sim_err *err, const char *src, const char *where, cfg_key_id id,
                       const char *s, cval *out) {
  const cfg_key *k = &cfg__keys[id];
  char q[64], near[64];
  if (!is_choice(k->choices, s, strlen(s))) {
    if (near_choice(k->choices, s, near, sizeof near))
      return cfg__bad(err, src, where, "%s is not one of %s (did you mean %s?)", cfg__quote(s, q, sizeof q),
                 k->choices, near);
    return cfg__bad(err, src, where, "%s is not one of %s", cfg__quote(s, q, sizeof q), k->choices);
  }
  if (!(out->s = cfg__dup(s))) return cfg__nomem(err, src);
  return SIM_OK;
}

/* ---- Values from text (--set, defaults, sweep points) ---- */

int cfg__val_from_text(sim_err *err, const char *src, const char *where, cfg_key_id id,
                         const char *text, cval *out) {
  const cfg_key *k = &cfg__keys[id];
  char q[64], r[64];
  char *end;
  switch (k->type) {
  case CFG_INT: {
    if (!*text || isspace((unsigned char)*text))
      return cfg__bad(err, src, where, "expected an integer, got %s", cfg__quote(text, q, sizeof q));
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (*end) return cfg__bad(err, src, where, "expected an integer, got %s", cfg__quote(text, q, sizeof q));
    if (errno == ERANGE)
      return cfg__bad(err, src, where, "%s is out of range %s", text, cfg__range_text(k, r, sizeof r));
    out->i = v;
    return cfg__check_int(err, src, where, id, v);
  }
  case CFG_REAL: {
    if (!*text || isspace((unsigned char)*text))
      return cfg__bad(err, src, where, "expected a number, got %s", cfg__quote(text, q, sizeof q));
    double v = strtod(text, &end);
    if (*end) return cfg__bad(err, src, where, "expected a number, got %s", cfg__quote(text, q, sizeof q));
    out->r = v;
    return cfg__check_real(err, src, where, id, v, text);
  }
  case CFG_BOOL:
    if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
      out->i = text[0] == 't';
      return SIM_OK;
    }
    return cfg__bad(err, src, where, "expected true or false, got %s", cfg__quote(text, q, sizeof q));
  case CFG_STR:
    if (!(out->s = cfg__dup(text))) return cfg__nomem(err, src);
    return SIM_OK;
  case CFG_ENUM: return cfg__take_choice(err, src, where, id, text, out);
  }
  sim_panic("config: key %s has type %d", k->path, (int)k->type);
}

/* The value as cfg_set text: "tso", "16", "true", "0.5". */
const char *cfg__val_text(cfg_key_id id, const cval *v, char *buf, size_t n) {
  switch (cfg__keys[id].type) {
  case CFG_INT: return int_text(v->i, buf, n);
  case CFG_REAL: return cfg__real_text(v->r, buf, n);
  case CFG_BOOL: snprintf(buf, n, "%s", v->i ? "true" : "false"); return buf;
  case CFG_STR:
  case CFG_ENUM: snprintf(buf, n, "%s", v->s); return buf;
  }
  sim_panic("config: key %s has type %d", cfg__keys[id].path, (int)cfg__keys[id].type);
}

void cfg__val_free(cfg_key_id id, cval *v) {
  if (cfg__is_text(cfg__keys[id].type)) {
    free(v->s);
    v->s = NULL;
  }
}
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
  const cfg_key *k = &cfg__keys[id];
  switch (k->type) {
  case CFG_INT:
    if (pow2_key(id) && pow2_list(k, true, buf, n)) return buf;
    if (pow2_key(id)) {
      char r[64];
      snprintf(buf, n, "2^k in %s", cfg__range_text(k, r, sizeof r));
      return buf;
    }
    return cfg__range_text(k, buf, n);
  case CFG_REAL: return cfg__range_text(k, buf, n);
  case CFG_BOOL: snprintf(buf, n, "true|false"); return buf;
  case CFG_STR: snprintf(buf, n, "text"); return buf;
  case CFG_ENUM: snprintf(buf, n, "%s", k->choices); return buf;
  }
  return "?";
}

static const char *default_text(cfg_key_id id, char *buf, size_t n) {
  if (cfg__keys[id].type == CFG_STR) return cfg__quote(cfg__keys[id].def, buf, n);
  snprintf(buf, n, "%s", cfg__keys[id].def);
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

/* Choices longer than this get a line of their own under the key, so the
 * table fits a 100-column terminal. */
#define DOMAIN_COLUMN 32

void cfg_print_defaults(FILE *out) {
  int wpath = 3, wtype = 4, wdom = 15;
  char dom[96], def[96];
  for (int i = 0; i < CFG_NKEYS; i++) {
    int lp = (int)strlen(cfg__keys[i].path), lt = (int)strlen(type_name(cfg__keys[i].type));
    int ld = (int)strlen(domain_text((cfg_key_id)i, dom, sizeof dom));
    if (lp > wpath) wpath = lp;
    if (lt > wtype) wtype = lt;
    if (ld > wdom && ld <= DOMAIN_COLUMN) wdom = ld;
  }
  fprintf(out, "%-*s  %-*s  %-*s  %s\n", wpath, "KEY", wtype, "TYPE", wdom, "RANGE / CHOICES",
          "DEFAULT");
  for (int i = 0; i < CFG_NKEYS; i++) {
    const char *p = cfg__keys[i].path, *q = i ? cfg__keys[i - 1].path : NULL;
    size_t g = strcspn(p, ".");
    if (q && (strncmp(p, q, g) != 0 || q[g] != '.')) fputc('\n', out); /* new group */
    bool long_dom = strlen(domain_text((cfg_key_id)i, dom, sizeof dom)) > DOMAIN_COLUMN;
    fprintf(out, "%-*s  %-*s  %-*s  %s\n", wpath, p, wtype, type_name(cfg__keys[i].type), wdom,
            long_dom ? "(below)" : dom, default_text((cfg_key_id)i, def, sizeof def));
    if (long_dom) fprintf(out, "    one of %s\n", dom);
    print_wrapped(out, cfg__keys[i].doc, 4);
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
