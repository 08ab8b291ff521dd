/* sim/calib_report.c -- what mmsim calibrate prints, and the machine
 * profile it saves (see calibrate.h). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "calib_int.h"
#include "calib_stats.h"

/* median [q1, q3] min..max of a sample's frequencies. */
static void print_dist(FILE *out, const sample *s) {
  double *v = malloc(s->n * sizeof *v);
  if (!v) return;
  memcpy(v, s->freq, s->n * sizeof *v);
  calib_sort(v, s->n);
  fprintf(out, "%-10.4g %-10.4g %-10.4g %-10.4g %-10.4g", calib_quantile(v, s->n, 0.5),
          calib_quantile(v, s->n, 0.25), calib_quantile(v, s->n, 0.75), v[0], v[s->n - 1]);
  free(v);
}

static void print_runs(FILE *out, const char *what, const sample *s) {
  fprintf(out, "  %-8s", what);
  for (size_t i = 0; i < s->n; i++) {
    if (i && i % 10 == 0) fprintf(out, "\n  %-8s", "");
    fprintf(out, " %-9.4g", s->freq[i]);
  }
  fputc('\n', out);
}

/* A row's start: the best point's star, its number, its keys' values
 * (every scenario's point p has the same, the grid's). */
static void print_point(const calib *k, size_t p, FILE *out) {
  fprintf(out, "%c %6zu  ", p == k->best ? '*' : ' ', p);
  for (size_t i = 0; i < k->nkeys; i++) {
    char v[64];
    const char *key = cfg_calib_key(k->grid, i);
    fprintf(out, "%*s  ", (int)strlen(key),
            cfg_value_text(k->sc[0].pts[p].c, (cfg_key_id)cfg_key_find(key), v, sizeof v));
  }
}

static void report_one(const calib *k, FILE *out) {
  const calib_scn *sc = &k->sc[0];
  const point *b = &sc->pts[k->best];
  char where[512];
  fprintf(out,
          "Calibration of %s (%s) against %s (%u CPUs, load average %.2f)\n"
          "  native: %zu runs of %" PRId64 " iterations; simulated: %zu points x %zu runs of "
          "%" PRId64 " iterations (seeds %" PRId64 "..)\n"
          "  residual W1: mean gap between the two distributions of log10 frequency, in "
          "decades\n"
          "  (frequency (k+1/2)/(n+1)); KS: largest gap between their CDFs, the tie-break\n\n",
          sc->name, sc->t ? "litmus" : cfg_str(sc->base, CK_WORKLOAD_VARIANT), k->host.cpu, k->host.cores,
          sc->load, sc->native.n, cfg_int(sc->native_cfg, CK_RUN_ITERATIONS), k->npoints,
          (size_t)sc->k.sim_runs, cfg_int(sc->base, CK_RUN_ITERATIONS),
          cfg_int(sc->base, CK_RUN_SEED));
  fprintf(out, "  %6s  ", "point");
  for (size_t i = 0; i < k->nkeys; i++)
    fprintf(out, "%*s  ", (int)strlen(cfg_calib_key(k->grid, i)), cfg_calib_key(k->grid, i));
  fprintf(out, "%-10s %-10s %-10s %-10s %-10s %-8s %s\n", "median", "q1", "q3", "min", "max",
          "W1", "KS");
  for (size_t p = 0; p < k->npoints; p++) {
    print_point(k, p, out);
    print_dist(out, &sc->pts[p].s);
    fprintf(out, " %-8.3f %.2f\n", sc->pts[p].w1, sc->pts[p].ks);
  }
  fprintf(out, "  %6s  ", "native");
  for (size_t i = 0; i < k->nkeys; i++)
    fprintf(out, "%*s  ", (int)strlen(cfg_calib_key(k->grid, i)), "");
  print_dist(out, &sc->native);
  fprintf(out, "\n\nBest point %zu: %s\n  residual W1 %.3f decades, KS %.2f\n", k->best,
          calib__point_text(k, k->best, where, sizeof where), b->w1, b->ks);
  /* A best value at the end of its axis may be short of the real fit. */
  for (size_t i = 0, stride = k->npoints; i < k->nkeys; i++) {
    size_t n = cfg_calib_nvalues(k->grid, i);
    stride /= n;
    size_t j = (k->best / stride) % n;
    const cfg_key *key = cfg_key_at((cfg_key_id)cfg_key_find(cfg_calib_key(k->grid, i)));
    const char *v = cfg_calib_value(k->grid, i, j);
    bool at_limit = key->type == CFG_INT && (strtoll(v, NULL, 10) == key->min ||
                                             strtoll(v, NULL, 10) == key->max);
    if (n > 1 && (j == 0 || j == n - 1) && !at_limit) /* nothing lies beyond a key's range */
      fprintf(out, "  note: %s=%s is the %s of its axis; the fit may lie beyond it\n",
              cfg_calib_key(k->grid, i), v, j ? "last" : "first");
  }
  fprintf(out, "Per-run anomaly frequencies:\n");
  print_runs(out, "native", &sc->native);
  print_runs(out, "best", &b->s);
}


/* The median of a sample's log10 frequencies (clamped by the fit). */
static double median_log(const sample *s) {
  double *v = malloc((s->n ? s->n : 1) * sizeof *v);
  if (!v || !s->n) {
    free(v);
    return NAN;
  }
  memcpy(v, s->logf, s->n * sizeof *v);
  calib_sort(v, s->n);
  double m = calib_quantile(v, s->n, 0.5);
  free(v);
  return m;
}

double calib__median(const sample *s) { return pow(10, median_log(s)); }

/* Within a decade: what "one machine for all" asks of each scenario. */
static bool within_decade(const calib_scn *sc, size_t p) {
  return fabs(median_log(&sc->pts[p].s) - median_log(&sc->native)) <= 1;
}

static void report_joint(const calib *k, FILE *out) {
  char where[512];
  size_t runs = 0;
  for (size_t j = 0; j < k->nsc; j++) runs += (size_t)k->sc[j].k.sim_runs;
  fprintf(out,
          "Joint calibration of %zu scenarios against %s (%u CPUs)\n"
          "  simulated: %zu points x %zu runs in all; a point's residual is the mean of its\n"
          "  scenarios' W1 (decades of log10 frequency, (k+1/2)/(n+1)); KS the tie-break\n\n",
          k->nsc, k->host.cpu, k->host.cores, k->npoints, runs);
  fprintf(out, "  %6s  ", "point");
  for (size_t i = 0; i < k->nkeys; i++) fprintf(out, "%s  ", cfg_calib_key(k->grid, i));
  for (size_t j = 0; j < k->nsc; j++) fprintf(out, "%-*s ", 8, k->sc[j].name);
  fprintf(out, "mean W1\n");
  for (size_t p = 0; p < k->npoints; p++) {
    print_point(k, p, out);
    for (size_t j = 0; j < k->nsc; j++)
      fprintf(out, "%-*.3f ", (int)(strlen(k->sc[j].name) > 8 ? strlen(k->sc[j].name) : 8),
              k->sc[j].pts[p].w1);
    fprintf(out, "%.3f\n", k->w1[p]);
  }
  fprintf(out, "\nBest point %zu: %s\n  mean residual W1 %.3f decades, KS %.2f\n\n", k->best,
          calib__point_text(k, k->best, where, sizeof where), k->w1[k->best], k->ks[k->best]);
  fprintf(out, "  %-22s %-6s %-13s %-13s %-8s %-22s %s\n", "scenario", "load", "native median",
          "sim median", "W1", "its own best (W1)", "within a decade");
  size_t outside = 0;
  for (size_t j = 0; j < k->nsc; j++) {
    const calib_scn *sc = &k->sc[j];
    char own[64];
    snprintf(own, sizeof own, "point %zu (%.3f)", sc->own_best, sc->pts[sc->own_best].w1);
    bool ok = within_decade(sc, k->best);
    outside += !ok;
    fprintf(out, "  %-22s %-6.2f %-13.4g %-13.4g %-8.3f %-22s %s\n", sc->name, sc->load,
            calib__median(&sc->native), calib__median(&sc->pts[k->best].s), sc->pts[k->best].w1,
            own, ok ? "yes" : "no");
  }
  if (!outside)
    fprintf(out, "Every scenario's simulated median is within a decade of its native one.\n");
  else
    fprintf(out, "%zu of %zu scenarios are more than a decade from their native median at the "
                 "best point: one timing does not fit them all.\n", outside, k->nsc);
  fprintf(out, "Per-run anomaly frequencies (medians above: (k+1/2)/(n+1)):\n");
  for (size_t j = 0; j < k->nsc; j++) {
    const calib_scn *sc = &k->sc[j];
    fprintf(out, "  %s\n", sc->name);
    print_runs(out, "native", &sc->native);
    print_runs(out, "best", &sc->pts[k->best].s);
  }
}

void calib__report(const calib *k, FILE *out) {
  if (k->nsc == 1) report_one(k, out);
  else report_joint(k, out);
}

/* ---- The profile ---- */

void calib__default_profile(const calib *k, char *buf, size_t n) {
  char slug[96];
  size_t len = 0;
  bool dash = false;
  for (const char *c = k->host.cpu; *c && len + 2 < sizeof slug; c++) {
    if (isalnum((unsigned char)*c) || *c == '.') {
      slug[len++] = (char)tolower((unsigned char)*c);
      dash = false;
    } else if (len && !dash) {
      slug[len++] = '-';
      dash = true;
    }
  }
  while (len && slug[len - 1] == '-') len--;
  slug[len] = '\0';
  snprintf(buf, n, "profiles/%s-%ucpu.json", len ? slug : "host", k->host.cores);
}

/* Set "a.b.c" = v in obj, making the groups on the way. */
static bool put_key(cJSON *obj, const char *path, cJSON *v) {
  char part[128];
  const char *dot;
  while ((dot = strchr(path, '.'))) {
    snprintf(part, sizeof part, "%.*s", (int)(dot - path), path);
    cJSON *g = cJSON_GetObjectItemCaseSensitive(obj, part);
    if (!g && !(g = cJSON_AddObjectToObject(obj, part))) return false;
    obj = g, path = dot + 1;
  }
  return cJSON_AddItemToObject(obj, path, v);
}

int calib__write_profile(const calib *k, const char *path, int64_t experiment, sim_err *err) {
  char what[1024], where[512];
  cJSON *root = cJSON_CreateObject(), *fit = NULL;
  int rc = SIM_ENOMEM;
  if (!root) goto done;
  calib__point_text(k, k->best, where, sizeof where);
  snprintf(what, sizeof what,
           "Machine profile: the timing mmsim calibrate%s fitted to native runs on %s (%u "
           "CPUs), experiment %" PRId64 ": %s.  Apply with --profile or \"profile\" in a "
           "config; a config's own keys win.",
           k->nsc > 1 ? " --joint" : "", k->host.cpu, k->host.cores, experiment, where);
  if (!cJSON_AddStringToObject(root, "_what", what) ||
      !(fit = cJSON_AddObjectToObject(root, "_fit")))
    goto done;
  if (!cJSON_AddNumberToObject(fit, "mean_residual", k->w1[k->best])) goto done;
  for (size_t j = 0; j < k->nsc; j++) {
    const calib_scn *sc = &k->sc[j];
    cJSON *o = cJSON_AddObjectToObject(fit, sc->name);
    if (!o || !cJSON_AddNumberToObject(o, "residual", sc->pts[k->best].w1) ||
        !cJSON_AddNumberToObject(o, "native_median", calib__median(&sc->native)) ||
        !cJSON_AddNumberToObject(o, "sim_median", calib__median(&sc->pts[k->best].s)) ||
        !cJSON_AddNumberToObject(o, "host_load", sc->load))
      goto done;
  }
  for (size_t i = 0; i < k->nkeys; i++) {
    const char *key = cfg_calib_key(k->grid, i);
    cfg_key_id id = (cfg_key_id)cfg_key_find(key);
    const cfg *c = k->sc[0].pts[k->best].c;
    cJSON *v = NULL;
    switch (cfg_key_at(id)->type) {
    case CFG_INT: v = cJSON_CreateNumber((double)cfg_int(c, id)); break;
    case CFG_BOOL: v = cJSON_CreateBool(cfg_int(c, id) != 0); break;
    case CFG_REAL: v = cJSON_CreateNumber(cfg_real(c, id)); break;
    default: v = cJSON_CreateString(cfg_str(c, id)); break;
    }
    if (!v || !put_key(root, key, v)) {
      cJSON_Delete(v);
      goto done;
    }
  }
  char *text = cJSON_Print(root);
  if (!text) goto done;
  char dir[4096];
  const char *slash = strrchr(path, '/');
  if (slash && (size_t)(slash - path) < sizeof dir) { /* profiles/ may not exist yet */
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
      free(text);
      rc = sim_errf(err, SIM_EIO, "%s: %s", dir, strerror(errno));
      goto out;
    }
  }
  FILE *f = fopen(path, "w");
  bool wrote = f && fprintf(f, "%s\n", text) >= 0;
  if (f && fclose(f) != 0) wrote = false;
  if (!wrote) {
    rc = sim_errf(err, SIM_EIO, "%s: %s", path, strerror(errno));
    free(text);
    goto out;
  }
  free(text);
  rc = SIM_OK;
done:
  if (rc == SIM_ENOMEM) sim_errf(err, SIM_ENOMEM, "out of memory");
out:
  cJSON_Delete(root);
  return rc;
}
