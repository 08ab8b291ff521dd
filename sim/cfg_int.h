/* sim/cfg_int.h -- what the cfg_ files share; nothing outside sim/cfg_*.c
 * and sim/config.c includes it (after SQLite's btreeInt.h).
 *
 * The configuration is five files, one job each:
 *   cfg_keys.c   the key table: rows, checking a value against its row,
 *                values from and to text, `mmsim config --defaults`
 *   config.c     a cfg's storage: lifetime, reading, resolved JSON, hash
 *   cfg_load.c   the JSON walk: files, text and --set into a cfg (C1)
 *   cfg_sweep.c  the "sweep" grammar (lists, from/to/step, repeat)
 *   cfg_calib.c  the "calibrate" grammar (params as sweep's, counts)
 *   cfg_profile.c  machine profiles ("profile", --profile)
 * A grammar file is handed a load_ctx by the walk and fills the clone it
 * holds, so C1's all-or-nothing swap stays in cfg_load.c.
 */
#ifndef MMSIM_SIM_CFG_INT_H
#define MMSIM_SIM_CFG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "config.h"

enum {
  PATH_MAX_LEN = 256,       /* longer member paths are unknown by length */
  SWEEP_MAX_VALUES = 100000 /* one from/to/step axis, a guard against typos */
};

extern const cfg_key cfg__keys[CFG_NKEYS]; /* the rows of CFG_KEYS, by id */

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
  char *file;   /* the file (or cfg_load_string's name) last loaded; NULL if none */
  char *source; /* printed source JSON, NULL when nothing was loaded */
  size_t nsweep;
  sweep_axis *sweep; /* in file order */
  bool has_calib;    /* the file has a "calibrate" object */
  cfg_calib calib;
  size_t ncalib;
  sweep_axis *calib_axes; /* calibrate.params, in file order */
  int64_t repeat;    /* sweep.repeat; 0 = not given (1) */
  bool given[CFG_NKEYS]; /* set by a file or cfg_set, not by a default or profile */
};

/* A number literal of the source text and the cJSON node it became. */
typedef struct numlit {
  const cJSON *node;
  const char *text;
  size_t len;
} numlit;

/* One load in progress (cfg_load.c), handed to the grammars. */
typedef struct load_ctx {
  const char *src; /* file name, for messages */
  cfg *t;          /* the clone being filled */
  sim_err *err;
  numlit *nums; /* sorted by node; NULL when the scan did not line up */
  size_t nnums;
  bool seen[CFG_NKEYS], swept[CFG_NKEYS], seen_name, seen_sweep, seen_repeat;
  bool fitted[CFG_NKEYS], seen_calib; /* calibrate.params, "calibrate" */
  const char *profile; /* "profile": applied after the walk */
} load_ctx;

typedef enum { NUM_OK, NUM_NOT_INT, NUM_TOO_BIG, NUM_INEXACT } num_rc;

static inline bool cfg__is_text(cfg_type t) { return t == CFG_STR || t == CFG_ENUM; }

/* Text and messages (cfg_keys.c) */
char *cfg__dupn(const char *s, size_t n);
char *cfg__dup(const char *s);
int cfg__nomem(sim_err *err, const char *src);
/* "SRC: WHERE: <fmt>" as SIM_ECONFIG. */
int cfg__bad(sim_err *err, const char *src, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *cfg__quote(const char *s, char *buf, size_t n); /* "s", escaped, cut at 40 */
const char *cfg__real_text(double d, char *buf, size_t n);  /* shortest exact text */

/* The table (cfg_keys.c) */
bool cfg__is_group(const char *path); /* some key starts with "path." */
/* "unknown key (did you mean K?)"; groups: suggest groups too. */
int cfg__unknown_key(sim_err *err, const char *src, const char *where, const char *path,
                     bool groups);
const char *cfg__range_text(const cfg_key *k, char *buf, size_t n); /* "[MIN, MAX]" */

/* Values against their rows (cfg_keys.c) */
int cfg__check_int(sim_err *err, const char *src, const char *where, cfg_key_id id, int64_t v);
int cfg__check_real(sim_err *err, const char *src, const char *where, cfg_key_id id, double v,
                    const char *shown);
int cfg__take_choice(sim_err *err, const char *src, const char *where, cfg_key_id id,
                     const char *s, cval *out); /* an owned copy on success */
int cfg__val_from_text(sim_err *err, const char *src, const char *where, cfg_key_id id,
                       const char *text, cval *out);
const char *cfg__val_text(cfg_key_id id, const cval *v, char *buf, size_t n); /* as --set */
void cfg__val_free(cfg_key_id id, cval *v);

/* The JSON walk's helpers, for the grammars (cfg_load.c) */
const char *cfg__describe(const load_ctx *lc, const cJSON *j, char *buf, size_t n);
num_rc cfg__json_int(const load_ctx *lc, const cJSON *j, int64_t *out);
int cfg__val_from_json(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *j,
                       cval *out);
bool cfg__join(char *buf, size_t n, const char *prefix, const char *name);
bool cfg__is_comment(const cJSON *m); /* a member named "_..." */

/* Sweep grammar (cfg_sweep.c) */
void cfg__sweep_free(cfg *c);
int cfg__walk_sweep(load_ctx *lc, const char *prefix, const cJSON *obj);
/* One axis appended to lc->t->sweep (calibrate moves it to its own list). */
int cfg__sweep_list(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *list);
int cfg__sweep_range(load_ctx *lc, const char *where, cfg_key_id id, const cJSON *obj);

/* Storage (config.c) */
/* p as a path: from c's folder unless absolute, as every path in a config
 * is (workload.litmus, "profile"); false if it does not fit in buf. */
bool cfg__path(const cfg *c, const char *p, char *buf, size_t n);
void cfg__swap(cfg *a, cfg *b); /* C1's one change of a cfg: swap in a filled clone */

/* Derived keys (config.c) */
bool cfg__read_only(cfg_key_id id); /* computed, never set: workload.litmus_hash */
int cfg__litmus_rehash(cfg *c);     /* workload.litmus_hash from the file; SIM_ENOMEM only */

/* Machine profiles (cfg_profile.c): the values of path's machine keys that
 * t has not been given; messages name path. */
int cfg__apply_profile(cfg *t, const char *path, sim_err *err);

/* Calibrate grammar (cfg_calib.c) */
void cfg__calib_free(cfg *c);
int cfg__walk_calibrate(load_ctx *lc, const cJSON *obj);

#endif
