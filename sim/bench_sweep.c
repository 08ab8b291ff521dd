/* sim/bench_sweep.c -- mmsim bench --sweep: sweep throughput, -j1 against -j2.
 *
 * One grid -- SB under sc, tso, pso and weak x net.jitter 0, 8, 16, 32, 64
 * x repeat 2: 40 runs of 40,000 iterations, about 0.1 s each -- swept into a
 * fresh database at -j1 and at -j2, the two orders alternating from one rep
 * to the next so a change in the machine's load falls on both.  Each figure
 * is runs stored per wall second of the whole sweep: forks, config
 * resolution and SQLite commits included, which is what a user waits for.
 * Medians, because the machine is shared (bench.h).  Beside each rate, the
 * workers' CPU seconds per run (getrusage of the reaped children): when
 * other programs hold a core the -j2 rate cannot show the speed-up, but
 * equal CPU per run at -j1 and -j2 still shows the sweep adds no cost of
 * its own, so the ratio on a quiet machine is the core count.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "sweep.h"

enum { GRID_RUNS = 40 };

static const char grid_json[] =
    "{\"name\": \"bench-sweep\", \"workload\": {\"kind\": \"litmus\", \"litmus\": \"sb.litmus\"},\n"
    " \"run\": {\"iterations\": 40000},\n"
    " \"sweep\": {\"cpu.model\": [\"sc\", \"tso\", \"pso\", \"weak\"],\n"
    "           \"net.jitter\": [0, 8, 16, 32, 64], \"repeat\": 2}}\n";

static int put_file(const char *dir, const char *name, const char *text, sim_err *err) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f || fputs(text, f) < 0 || fclose(f))
    return sim_errf(err, SIM_EIO, "bench: %s: %s", path, strerror(errno));
  return 0;
}

static void remove_db(const char *path) {
  char p[600];
  static const char *const ext[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s%s", path, ext[i]);
    unlink(p);
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, unsigned n) {
  qsort(v, n, sizeof *v, cmp_double);
  return v[n / 2];
}

static double children_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
         (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* One sweep of the grid at -j jobs into a fresh database: runs per second
 * and worker CPU seconds per run. */
static int one(const char *dir, unsigned jobs, double *rate, double *cpu, sim_err *err) {
  char conf[512], dbp[512];
  snprintf(conf, sizeof conf, "%s/grid.json", dir);
  snprintf(dbp, sizeof dbp, "%s/bench.db", dir);
  remove_db(dbp);
  sweep_opts o = {.config_path = conf, .db_path = dbp, .jobs = jobs,
                  .progress = SWEEP_PROGRESS_NONE};
  sweep_stats st;
  double c0 = children_cpu_s();
  int rc = sweep_main(&o, &st, err);
  *cpu = (children_cpu_s() - c0) / GRID_RUNS;
  remove_db(dbp);
  if (rc) return rc;
  if (st.ran != GRID_RUNS)
    return sim_errf(err, SIM_EVIOLATION, "bench: the sweep ran %llu runs, not %d",
                    (unsigned long long)st.ran, GRID_RUNS);
  *rate = (double)st.ran / st.wall_s;
  return 0;
}

int bench_sweep(FILE *out, unsigned reps, sim_err *err) {
  char dir[] = "/tmp/mmsim-bench-sweep-XXXXXX";
  double *v = calloc(4 * reps, sizeof *v), *j1 = v, *j2 = v + reps, *c1 = v + 2 * reps,
         *c2 = v + 3 * reps;
  int rc = 0;
  if (!v) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if (!mkdtemp(dir)) {
    free(v);
    return sim_errf(err, SIM_EIO, "bench: mkdtemp: %s", strerror(errno));
  }
  if ((rc = put_file(dir, "sb.litmus", bench_sb_litmus, err)) ||
      (rc = put_file(dir, "grid.json", grid_json, err)))
    goto done;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  fprintf(out, "mmsim bench --sweep: %d runs (SB, 4 models x 5 jitters x repeat 2, 40000 "
          "iterations each), %ld online CPUs, median of %u\n", GRID_RUNS, cpus, reps);
  fflush(out);
  for (unsigned r = 0; r < reps && !rc; r++) {
    if (r % 2 == 0) {
      if (!(rc = one(dir, 1, &j1[r], &c1[r], err))) rc = one(dir, 2, &j2[r], &c2[r], err);
    } else {
      if (!(rc = one(dir, 2, &j2[r], &c2[r], err))) rc = one(dir, 1, &j1[r], &c1[r], err);
    }
    if (!rc)
      fprintf(out, "  rep %u: -j1 %.2f runs/s (%.3f CPU s/run), -j2 %.2f runs/s (%.3f CPU "
              "s/run), ratio %.2f\n", r + 1, j1[r], c1[r], j2[r], c2[r], j2[r] / j1[r]);
    fflush(out);
  }
  if (!rc) {
    double *ratio = calloc(reps, sizeof *ratio);
    if (!ratio) {
      rc = sim_errf(err, SIM_ENOMEM, "out of memory");
      goto done;
    }
    for (unsigned r = 0; r < reps; r++) ratio[r] = j2[r] / j1[r];
    double m1 = median(j1, reps), m2 = median(j2, reps), mr = median(ratio, reps);
    double mc1 = median(c1, reps), mc2 = median(c2, reps);
    fprintf(out, "%-40s %8.2f runs/s  %.3f CPU s/run\n%-40s %8.2f runs/s  %.3f CPU s/run\n"
            "%-40s %8.2f (median of per-rep ratios %.2f)\n", "sweep throughput, -j1", m1, mc1,
            "sweep throughput, -j2", m2, mc2, "-j2 / -j1", m2 / m1, mr);
    free(ratio);
  }
done:
  {
    char p[600];
    snprintf(p, sizeof p, "%s/sb.litmus", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/grid.json", dir);
    unlink(p);
    rmdir(dir);
  }
  free(v);
  return rc;
}
