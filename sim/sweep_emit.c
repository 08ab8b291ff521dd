/* sim/sweep_emit.c -- mmsim sweep --emit-jobs FILE: the missing points as
 * shell commands, one per line, for GNU parallel or a Slurm job array.
 *
 * Line K is self-contained:
 *   /abs/mmsim run /abs/CONFIG.json --db shard-K.db --experiment NAME
 *       --experiment-created T [--set k=v]... --seed S
 * Absolute paths, because the line runs on another machine, in another
 * folder (a shared file system is assumed, as for any cluster job).  The
 * --set list is the sweep's own --set overrides, then the point's grid
 * values; run.seed never appears in it, its final value being --seed (mmsim
 * run applies --seed before the --set list, so a --set run.seed would win).
 * The line's resolved config is therefore the point's, hash for hash, and
 * --experiment with the pinned created_at puts every shard's run in an
 * experiment that `mmsim merge` identifies as one, and as the local sweep's
 * when DB already has it (its created_at is reused).  One shard per line:
 * no two jobs ever share a SQLite file, which on NFS would not be safe.
 *
 * The file is written beside itself and renamed into place, so it is whole
 * or absent.  Nothing is written to DB, which is only read (if it exists) to
 * leave out the points done already.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../results/db.h"
#include "sweep_int.h"

/* s as one shell word: bare when it is plainly safe, else single-quoted. */
static void put_word(FILE *f, const char *s) {
  if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%") ==
                strlen(s)) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (; *s; s++)
    if (*s == '\'') fputs("'\\''", f);
    else fputc(*s, f);
  fputc('\'', f);
}

static bool is_seed(const char *kv) { return strncmp(kv, "run.seed=", 9) == 0; }

/* The created_at the shards' experiment gets: DB's experiment's, else now. */
static int created_at(const sweep_plan *p, char out[32], sim_err *err) {
  out[0] = '\0';
  if (access(p->o->db_path, F_OK) == 0) {
    db *d;
    int64_t id;
    int rc = db_open_readonly(p->o->db_path, &d, err);
    if (!rc) rc = db_experiment_find(d, p->name, p->source, NULL, &id, out, err);
    if (d) db_close(d);
    if (rc) return rc;
  }
  if (!out[0]) {
    time_t now = time(NULL);
    struct tm tm;
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
  }
  return 0;
}

static int write_jobs(const sweep_plan *p, FILE *f, const char *self, const char *conf,
                      const char *when) {
  for (size_t j = 0; j < p->ntodo; j++) {
    const sweep_point *pt = &p->pts[p->todo[j]];
    char shard[64], set[4096], seed[32];
    snprintf(shard, sizeof shard, "shard-%zu.db", j + 1);
    put_word(f, self);
    fputs(" run ", f);
    put_word(f, conf);
    fputs(" --db ", f);
    put_word(f, shard);
    fputs(" --experiment ", f);
    put_word(f, p->name);
    fputs(" --experiment-created ", f);
    put_word(f, when);
    for (int i = 0; i < p->o->nsets; i++)
      if (!is_seed(p->o->sets[i])) {
        fputs(" --set ", f);
        put_word(f, p->o->sets[i]);
      }
    for (size_t k = 0; k < p->naxes; k++) {
      const char *key = cfg_sweep_key(p->base, k);
      if (strcmp(key, "run.seed") == 0) continue;
      snprintf(set, sizeof set, "%s=%s", key,
               cfg_sweep_value(p->base, k, sweep__axis_index(p, pt->cell, k)));
      fputs(" --set ", f);
      put_word(f, set);
    }
    snprintf(seed, sizeof seed, "%" PRIu64, pt->seed);
    fputs(" --seed ", f);
    put_word(f, seed);
    fputc('\n', f);
  }
  return ferror(f) ? -1 : 0;
}

int sweep__emit(const sweep_plan *p, sim_err *err) {
  const char *path = p->o->emit_jobs;
  char self[PATH_MAX], conf[PATH_MAX], when[32], tmp[PATH_MAX + 16];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return sim_errf(err, SIM_EIO, "--emit-jobs: cannot find the mmsim program: %s",
                              strerror(errno));
  self[n] = '\0';
  if (!realpath(p->o->config_path, conf))
    return sim_errf(err, SIM_EIO, "%s: %s", p->o->config_path, strerror(errno));
  int rc = created_at(p, when, err);
  if (rc) return rc;
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f) return sim_errf(err, SIM_EIO, "--emit-jobs: %s: %s", tmp, strerror(errno));
  int w = write_jobs(p, f, self, conf, when);
  if (fclose(f) || w || rename(tmp, path)) {
    rc = sim_errf(err, SIM_EIO, "--emit-jobs: %s: %s", path, strerror(errno ? errno : EIO));
    unlink(tmp);
    return rc;
  }
  FILE *out = p->o->out;
  if (out)
    fprintf(out, "sweep %s: %zu points, %zu done already in %s; wrote %zu command%s to %s\n"
            "run them (GNU parallel: parallel < %s; Slurm: README \"Sweeps on many "
            "machines\"),\nthen merge the shards: mmsim merge %s shard-*.db\n",
            p->name, p->npts, p->npts - p->ntodo, p->o->db_path, p->ntodo,
            p->ntodo == 1 ? "" : "s", path, path, p->o->db_path);
  return 0;
}
