/* sim/config.h -- configuration: one table of every key, JSON in, resolved out.
 *
 * Every key the simulator reads is a row of CFG_KEYS (sim/cfg_keys.h): its
 * dotted path, type, range, default and one-line doc.  `mmsim config
 * --defaults` prints this table, the loader validates against it, and every
 * run stores the resolved value of every row, so what ran is never in doubt.
 * sim/cfg_int.h says which cfg_ file does what.
 *
 * A config file is JSON.  Keys may be nested objects ({"cpu":{"model":"tso"}})
 * or dotted strings ({"cpu.model":"tso"}), or a mix.  The top-level key
 * "sweep" maps dotted keys to lists of values (or {"from","to","step"}), plus
 * an optional "repeat": N (runs per point), and is kept aside for `mmsim
 * sweep`; "calibrate" holds the grid and repeats of `mmsim calibrate` (see
 * cfg_calibrate below); "name" names the experiment; "profile" is the path
 * (from the file's folder) of a machine profile whose keys stand under the
 * file's own (cfg_apply_profile).
 *
 * Invariants:
 *   C1  An unknown key, a wrong type or a value out of range is an error whose
 *       message names the file, the key's full dotted path and the bad value;
 *       the cfg is then left as it was before the call.
 *   C2  The resolved JSON is canonical (keys in table order, every key
 *       present), so equal configs have equal hashes.
 */
#ifndef MMSIM_SIM_CONFIG_H
#define MMSIM_SIM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg_keys.h" /* CFG_KEYS: the rows */
#include "err.h"

typedef enum {
#define X(id, path, type, min, max, def, choices, doc) CK_##id,
  CFG_KEYS(X)
#undef X
  CFG_NKEYS
} cfg_key_id;

typedef struct cfg_key {
  const char *path;
  cfg_type type;
  int64_t min, max;
  const char *def, *choices, *doc;
} cfg_key;

typedef struct cfg cfg; /* opaque */

/* The table */
const cfg_key *cfg_key_at(cfg_key_id id);
int cfg_key_find(const char *path); /* id, or -1 */
void cfg_print_defaults(FILE *out); /* path, type, range or choices, default, doc */

/* Lifetime */
cfg *cfg_new(void); /* every key at its default */
cfg *cfg_clone(const cfg *c);
void cfg_free(cfg *c);

/* Loading (C1).  path is used in messages and to resolve relative paths. */
int cfg_load_file(cfg *c, const char *path, sim_err *err);
int cfg_load_string(cfg *c, const char *name, const char *json, sim_err *err);
int cfg_set(cfg *c, const char *path, const char *value, sim_err *err); /* --set */
/* A machine profile (sim/cfg_profile.c): its keys, where c was not given
 * them by its file or cfg_set.  All or nothing (C1). */
int cfg_apply_profile(cfg *c, const char *path, sim_err *err);
/* cpu.*, memory.*, cache.*, net.*, run.start_skew: what a profile or a
 * calibration may set. */
bool cfg_machine_key(const char *path);

/* Reading */
int64_t cfg_int(const cfg *c, cfg_key_id id);   /* CFG_INT, CFG_BOOL */
double cfg_real(const cfg *c, cfg_key_id id);
const char *cfg_str(const cfg *c, cfg_key_id id); /* CFG_STR, CFG_ENUM */
const char *cfg_name(const cfg *c);               /* "name", or NULL */
const char *cfg_dir(const cfg *c); /* folder of the loaded file, "." if none */
const char *cfg_file(const cfg *c); /* the file (or load_string name) loaded; NULL if none */

/* Checks beyond one row (workloads/, sim/run.c), their messages naming the
 * config file and key like the loader's (C1). */
/* err = "FILE: KEY: <fmt>" ("KEY: <fmt>" when nothing was loaded); returns code. */
int cfg_errf(const cfg *c, sim_err *err, int code, cfg_key_id key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* err's message prefixed with "FILE: KEY: "; SIM_EIO (the key named a file
 * that cannot be read) becomes SIM_ECONFIG, an input error.  Returns the code. */
int cfg_blame(const cfg *c, sim_err *err, cfg_key_id key);
/* workload.litmus resolved against cfg_dir into buf; SIM_ECONFIG naming the
 * file and key when it is empty (buf is then ""). */
int cfg_litmus_path(const cfg *c, char *buf, size_t n, sim_err *err);
/* The value as text, as stored in `params` ("tso", "16", "true"). */
const char *cfg_value_text(const cfg *c, cfg_key_id id, char *buf, size_t n);

/* Output (C2).  Both return malloc'd strings. */
char *cfg_resolved_json(const cfg *c);
char *cfg_source_json(const cfg *c); /* as loaded, sweep included; "{}" if none */
void cfg_hash(const cfg *c, char out[17]); /* FNV-1a 64 of the resolved JSON, hex */

/* Sweep: the grid of the config's "sweep" object, validated at load. */
size_t cfg_sweep_nkeys(const cfg *c);
const char *cfg_sweep_key(const cfg *c, size_t i);
size_t cfg_sweep_nvalues(const cfg *c, size_t i);
const char *cfg_sweep_value(const cfg *c, size_t i, size_t j); /* as --set text */
uint64_t cfg_sweep_repeat(const cfg *c); /* "repeat" of the sweep: runs per point, >= 1 */

/* Calibrate: the config's "calibrate" object (mmsim calibrate), validated at
 * load like sweep: "params" is a grid of machine keys (cpu.*, memory.*,
 * cache.*, net.*, run.start_skew), messages say "calibrate.params.KEY". */
typedef struct cfg_calib {
  int64_t native_runs, sim_runs; /* repetitions of each side, >= 2 (default 10) */
  int64_t native_iterations;     /* per native run; 0 = run.iterations */
} cfg_calib;
bool cfg_calibrate(const cfg *c, cfg_calib *out); /* false: the file has none */
size_t cfg_calib_nkeys(const cfg *c);
const char *cfg_calib_key(const cfg *c, size_t i);
size_t cfg_calib_nvalues(const cfg *c, size_t i);
const char *cfg_calib_value(const cfg *c, size_t i, size_t j); /* as --set text */

#endif
