/* sim/cfg_load.c -- the JSON walk: files, text and --set into a cfg, every
 * value checked against its row before anything changes (config.h, C1).
 *
 * Loading.  Each load fills a clone and swaps it in only when the whole file
 * passed, which is how C1's "left as it was" holds without undo code.  A file
 * is applied on top of the values already in the cfg (a second file, like
 * --set, overrides key by key); name, sweep, source and folder are replaced,
 * because they describe one file.  cfg_load_string sets the folder to "."
 * (text has no folder of its own).  The "sweep" and "calibrate" members are
 * handed to their grammars (cfg_sweep.c, cfg_calib.c).
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
 * Messages (C1) all start with "SOURCE: KEY: ", SOURCE being the file name
 * (or the name given to cfg_load_string) and "--set" for cfg_set, and KEY the
 * full dotted path ("sweep.KEY" inside the sweep).  Besides cfg_keys.c's:
 *   F: K: expected an integer, got string "ten"   (number 1.5, true, null, ...)
 *   F: K: given twice
 *   F:LINE:COL: malformed JSON near 'TEXT'  (or "near end of input")
 *   F: No such file or directory              (SIM_EIO, strerror text)
 *
 * Rejected alternatives: keeping the parsed cJSON tree and reading values
 * from it on demand (string lookups on every read, and no place to hold
 * --set overrides); last-wins for duplicate keys (silently hides typos).
 *
 * Threads: cJSON records its last parse error in a global; we never read it
 * (we use ParseWithOpts' return_parse_end), but two threads parsing at once
 * still race on that write inside cJSON.
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

enum { FILE_MAX_BYTES = 16 << 20 }; /* a config is a few KiB; refuse a stray blob */

/* ---- Number literals as written ---- */

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
  if (!(lc->nums = calloc(n, sizeof *lc->nums))) return cfg__nomem(lc->err, lc->src);
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
  if (!nl) return cfg__real_text(j->valuedouble, buf, n);
  snprintf(buf, n, "%.*s", nl->len < 40 ? (int)nl->len : 40, nl->text);
  return buf;
}

/* What a wrong value was, for "expected X, got <this>". */
const char *cfg__describe(const load_ctx *lc, const cJSON *j, char *buf, size_t n) {
  char t[64];
  if (cJSON_IsString(j)) snprintf(buf, n, "string %s", cfg__quote(j->valuestring, t, sizeof t));
  else if (cJSON_IsNumber(j)) snprintf(buf, n, "number %s", number_text(lc, j, t, sizeof t));
  else if (cJSON_IsTrue(j)) snprintf(buf, n, "true");
  else if (cJSON_IsFalse(j)) snprintf(buf, n, "false");
  else if (cJSON_IsNull(j)) snprintf(buf, n, "null");
  else if (cJSON_IsArray(j)) snprintf(buf, n, "a list");
  else snprintf(buf, n, "an object");
  return buf;
}


/* The exact integer a JSON number spells (see "Integers" above). */
num_rc cfg__json_int(const load_ctx *lc, const cJSON *j, int64_t *out) {
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
int cfg__val_from_json(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *j,
                         cval *out) {
  const cfg_key *k = &cfg__keys[id];
  char got[128], num[64], r[64];
  switch (k->type) {
  case CFG_INT: {
    int64_t v = 0;
    if (!cJSON_IsNumber(j))
      return cfg__bad(lc->err, lc->src, where, "expected an integer, got %s",
                 cfg__describe(lc, j, got, sizeof got));
    switch (cfg__json_int(lc, j, &v)) {
    case NUM_OK: break;
    case NUM_NOT_INT:
      return cfg__bad(lc->err, lc->src, where, "expected an integer, got %s",
                 cfg__describe(lc, j, got, sizeof got));
    case NUM_TOO_BIG:
      return cfg__bad(lc->err, lc->src, where, "%s is out of range %s",
                 number_text(lc, j, num, sizeof num), cfg__range_text(k, r, sizeof r));
    case NUM_INEXACT:
      return cfg__bad(lc->err, lc->src, where,
                 "%s is not exact as a JSON double (beyond 2^53); write its digits out",
                 number_text(lc, j, num, sizeof num));
    }
    out->i = v;
    return cfg__check_int(lc->err, lc->src, where, id, v);
  }
  case CFG_REAL:
    if (!cJSON_IsNumber(j))
      return cfg__bad(lc->err, lc->src, where, "expected a number, got %s",
                 cfg__describe(lc, j, got, sizeof got));
    out->r = j->valuedouble;
    return cfg__check_real(lc->err, lc->src, where, id, out->r, number_text(lc, j, num, sizeof num));
  case CFG_BOOL:
    if (!cJSON_IsBool(j))
      return cfg__bad(lc->err, lc->src, where, "expected true or false, got %s",
                 cfg__describe(lc, j, got, sizeof got));
    out->i = cJSON_IsTrue(j) ? 1 : 0;
    return SIM_OK;
  case CFG_STR:
    if (!cJSON_IsString(j))
      return cfg__bad(lc->err, lc->src, where, "expected a string, got %s",
                 cfg__describe(lc, j, got, sizeof got));
    if (!(out->s = cfg__dup(j->valuestring))) return cfg__nomem(lc->err, lc->src);
    return SIM_OK;
  case CFG_ENUM:
    if (!cJSON_IsString(j))
      return cfg__bad(lc->err, lc->src, where, "expected one of %s, got %s", k->choices,
                 cfg__describe(lc, j, got, sizeof got));
    return cfg__take_choice(lc->err, lc->src, where, id, j->valuestring, out);
  }
  sim_panic("config: key %s has type %d", k->path, (int)k->type);
}

/* prefix.name into buf; false when it does not fit (then no key matches). */
bool cfg__join(char *buf, size_t n, const char *prefix, const char *name) {
  int len = *prefix ? snprintf(buf, n, "%s.%s", prefix, name) : snprintf(buf, n, "%s", name);
  return len >= 0 && (size_t)len < n;
}

bool cfg__is_comment(const cJSON *m) { return m->string && m->string[0] == '_'; }

/* The members of the file (prefix "") or of a group (prefix "cpu"). */
static int walk(load_ctx *lc, const char *prefix, const cJSON *obj) {
  for (const cJSON *m = obj->child; m; m = m->next) {
    char full[PATH_MAX_LEN], got[128];
    int rc = SIM_OK;
    if (cfg__is_comment(m)) continue;
    bool fits = cfg__join(full, sizeof full, prefix, m->string);
    bool top = !*prefix;
    int id = fits ? cfg_key_find(full) : -1;
    if (top && strcmp(full, "name") == 0) {
      if (lc->seen_name) return cfg__bad(lc->err, lc->src, "name", "given twice");
      lc->seen_name = true;
      if (!cJSON_IsString(m) || !*m->valuestring)
        return cfg__bad(lc->err, lc->src, "name", "expected a non-empty string, got %s",
                   cfg__describe(lc, m, got, sizeof got));
      if (!(lc->t->name = cfg__dup(m->valuestring))) return cfg__nomem(lc->err, lc->src);
    } else if (top && strcmp(full, "sweep") == 0) {
      if (lc->seen_sweep) return cfg__bad(lc->err, lc->src, "sweep", "given twice");
      lc->seen_sweep = true;
      if (!cJSON_IsObject(m))
        return cfg__bad(lc->err, lc->src, "sweep",
                   "expected an object mapping keys to lists of values, got %s",
                   cfg__describe(lc, m, got, sizeof got));
      rc = cfg__walk_sweep(lc, "", m);
    } else if (top && strcmp(full, "calibrate") == 0) {
      if (lc->seen_calib) return cfg__bad(lc->err, lc->src, "calibrate", "given twice");
      lc->seen_calib = true;
      if (!cJSON_IsObject(m))
        return cfg__bad(lc->err, lc->src, "calibrate", "expected an object with \"params\", got %s",
                   cfg__describe(lc, m, got, sizeof got));
      rc = cfg__walk_calibrate(lc, m);
    } else if (top && strcmp(full, "profile") == 0) {
      if (lc->profile) return cfg__bad(lc->err, lc->src, "profile", "given twice");
      if (!cJSON_IsString(m) || !*m->valuestring)
        return cfg__bad(lc->err, lc->src, "profile",
                        "expected the path of a machine profile, got %s",
                        cfg__describe(lc, m, got, sizeof got));
      lc->profile = m->valuestring;
    } else if (id >= 0) {
      cval v = {0};
      if (lc->seen[id]) return cfg__bad(lc->err, lc->src, full, "given twice");
      lc->seen[id] = true;
      lc->t->given[id] = true;
      if ((rc = cfg__val_from_json(lc, full, (cfg_key_id)id, m, &v)) != SIM_OK) {
        cfg__val_free((cfg_key_id)id, &v);
        return rc;
      }
      cfg__val_free((cfg_key_id)id, &lc->t->v[id]);
      lc->t->v[id] = v;
    } else if (fits && cfg__is_group(full)) {
      if (!cJSON_IsObject(m))
        return cfg__bad(lc->err, lc->src, full, "expected an object of %s.* keys, got %s", full,
                   cfg__describe(lc, m, got, sizeof got));
      rc = walk(lc, full, m);
    } else {
      rc = cfg__unknown_key(lc->err, lc->src, full, full, cJSON_IsObject(m));
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
    char *lit = cfg__dupn(lc->nums[i].text, lc->nums[i].len);
    if (!lit) return cfg__nomem(lc->err, lc->src);
    node->type = cJSON_Raw;
    node->valuestring = lit;
  }
  return SIM_OK;
}

static int load_text(cfg *c, const char *src, const char *text, char *dir, sim_err *err) {
  load_ctx lc = {.src = src, .err = err};
  const char *end = NULL;
  cJSON *root = NULL;
  int rc = SIM_OK;
  char got[128];

  if (!(lc.t = cfg_clone(c))) {
    rc = cfg__nomem(err, src);
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
                  cfg__describe(&lc, root, got, sizeof got));
    goto done;
  }
  if ((rc = index_numbers(&lc, text, root)) != SIM_OK) goto done;

  /* File-level state describes the new file only. */
  cfg__sweep_free(lc.t);
  cfg__calib_free(lc.t);
  free(lc.t->name);
  lc.t->name = NULL;
  free(lc.t->source);
  lc.t->source = NULL;
  free(lc.t->dir);
  lc.t->dir = dir;
  dir = NULL;
  free(lc.t->file);
  if (!(lc.t->file = cfg__dup(src))) {
    rc = cfg__nomem(err, src);
    goto done;
  }

  if ((rc = walk(&lc, "", root)) != SIM_OK) goto done;
  if (lc.profile) { /* under the file's own keys, whatever their order */
    char path[4096];
    if (!cfg__path(lc.t, lc.profile, path, sizeof path)) {
      rc = cfg__bad(err, src, "profile", "the path is too long");
      goto done;
    }
    if ((rc = cfg__apply_profile(lc.t, path, err)) != SIM_OK) {
      sim_err_prefix(err, "%s: profile", src);
      goto done;
    }
  }
  /* Read-only keys are computed, whatever the file said (a resolved config
   * loaded back gives its own value, which this recomputes). */
  if (cfg__litmus_rehash(lc.t) != SIM_OK) {
    rc = cfg__nomem(err, src);
    goto done;
  }
  if ((rc = numbers_as_written(&lc)) != SIM_OK) goto done;
  if (!(lc.t->source = cJSON_PrintUnformatted(root))) {
    rc = cfg__nomem(err, src);
    goto done;
  }
  cfg__swap(c, lc.t); /* C1: c changes only here, all at once */
done:
  cJSON_Delete(root);
  free(lc.nums);
  cfg_free(lc.t);
  free(dir);
  return rc;
}

int cfg_load_string(cfg *c, const char *name, const char *json, sim_err *err) {
  char *dir = cfg__dup(".");
  assert(c && name && json);
  if (!dir) return cfg__nomem(err, name);
  return load_text(c, name, json, dir, err);
}

/* The folder part of path: "configs/x.json" -> "configs", "x.json" -> ".". */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return cfg__dup(".");
  while (slash > path && slash[-1] == '/') slash--;
  if (slash == path) return cfg__dup("/");
  return cfg__dupn(path, (size_t)(slash - path));
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
        rc = cfg__nomem(err, path);
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
    rc = cfg__nomem(err, path);
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
    if (!*value) return cfg__bad(err, "--set", "name", "expected a non-empty string, got \"\"");
    if (!(name = cfg__dup(value))) return cfg__nomem(err, "--set");
    free(c->name);
    c->name = name;
    return SIM_OK;
  }
  if (id < 0) return cfg__unknown_key(err, "--set", path, path, false);
  if (cfg__read_only((cfg_key_id)id))
    return cfg__bad(err, "--set", path, "read-only: computed from the litmus file");
  if ((rc = cfg__val_from_text(err, "--set", path, (cfg_key_id)id, value, &v)) != SIM_OK) {
    cfg__val_free((cfg_key_id)id, &v);
    return rc;
  }
  cfg__val_free((cfg_key_id)id, &c->v[id]);
  c->v[id] = v;
  c->given[id] = true;
  if (id == CK_WORKLOAD_LITMUS && cfg__litmus_rehash(c) != SIM_OK) return cfg__nomem(err, "--set");
  return SIM_OK;
}
