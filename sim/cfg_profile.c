/* sim/cfg_profile.c -- machine profiles: a config file of machine keys
 * only (cpu.*, memory.*, cache.*, net.*, run.start_skew), such as the fit
 * `mmsim calibrate --joint` saves in profiles/.  A config names one with
 * "profile" (a path from the config's folder), a command with --profile.
 * Its values stand under the config's: a key the config (or --set) gives
 * keeps the config's value, so a scenario that needs, say, a wider jitter
 * to show its race still gets it on any profiled machine. */
#include "cfg_int.h"

#include <string.h>

/* Loading a profile loads a config; a profile naming a profile would
 * recurse, possibly forever. */
static __thread int depth;

bool cfg_machine_key(const char *path) {
  static const char *const groups[] = {"cpu.", "memory.", "cache.", "net."};
  for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
    if (strncmp(path, groups[i], strlen(groups[i])) == 0) return true;
  return strcmp(path, "run.start_skew") == 0;
}

int cfg__apply_profile(cfg *t, const char *path, sim_err *err) {
  if (depth) return sim_errf(err, SIM_ECONFIG, "%s: a profile cannot name another profile", path);
  cfg *p = cfg_new();
  if (!p) return cfg__nomem(err, path);
  depth++;
  int rc = cfg_load_file(p, path, err);
  depth--;
  if (rc == SIM_EIO) rc = err->code = SIM_ECONFIG; /* a path named in input: bad input */
  if (rc == SIM_OK && (p->nsweep || p->has_calib))
    rc = sim_errf(err, SIM_ECONFIG, "%s: a profile holds machine keys, not \"%s\"", path,
                  p->nsweep ? "sweep" : "calibrate");
  for (int i = 0; i < CFG_NKEYS && rc == SIM_OK; i++)
    if (p->given[i] && !cfg_machine_key(cfg__keys[i].path))
      rc = cfg__bad(err, path, cfg__keys[i].path,
                    "not a machine key: a profile sets cpu.*, memory.*, cache.*, net.* and "
                    "run.start_skew only");
  for (int i = 0; i < CFG_NKEYS && rc == SIM_OK; i++) { /* checked: now all of it */
    if (!p->given[i] || t->given[i]) continue;
    cval v = p->v[i];
    if (cfg__is_text(cfg__keys[i].type) && !(v.s = cfg__dup(p->v[i].s))) {
      rc = cfg__nomem(err, path);
      break;
    }
    cfg__val_free((cfg_key_id)i, &t->v[i]);
    t->v[i] = v;
  }
  cfg_free(p);
  return rc;
}

int cfg_apply_profile(cfg *c, const char *path, sim_err *err) {
  cfg *t = cfg_clone(c);
  if (!t) return cfg__nomem(err, path);
  int rc = cfg__apply_profile(t, path, err);
  if (rc == SIM_OK) cfg__swap(c, t); /* C1: c changes only on success */
  cfg_free(t);
  return rc;
}
