/* sim/cli.c -- the mmsim command line: one function per subcommand.
 *
 * The only place that prints a sim_err and picks the exit status (err.h maps
 * each code to one: 2 for bad input, 1 for I/O and database failures, 3 for
 * a violated invariant).  Every command parses its own options with
 * getopt_long, so `mmsim CMD --help` documents exactly what CMD takes.
 */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cache/proto.h"
#include "../cpu/model.h"
#include "../plots/plot.h"
#include "../results/db.h"
#include "../workloads/litmus.h"
#include "bench.h"
#include "calibrate.h"
#include "cohtest.h"
#include "config.h"
#include "err.h"
#include "run.h"
#include "sweep.h"
#include "wallclock.h"

#define DEFAULT_DB "results.db"

typedef struct command {
  const char *name, *usage, *doc;
  int (*fn)(int argc, char **argv, sim_err *err);
} command;

static const command commands[];

static int usage_error(sim_err *err, const char *cmd, const char *what) {
  return sim_errf(err, SIM_EUSAGE, "%s: %s (see mmsim %s --help)", cmd, what, cmd);
}

/* Parse an unsigned integer option; errors name the option. */
static int parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out,
                     sim_err *err) {
  char *end;
  if (!s || !*s || *s == '-') goto bad;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end) goto bad;
  *out = v;
  return 0;
bad:
  return sim_errf(err, SIM_EUSAGE, "%s: %s: \"%s\" is not a non-negative integer", cmd, opt,
                  s ? s : "");
}

static void print_usage(const command *c) {
  printf("usage: mmsim %s\n\n%s\n", c->usage, c->doc);
}

/* Print the usage of the command called `name` (by name: the table's order
 * is free to change). */
static void usage_of(const char *name) {
  for (const command *c = commands; c->name; c++)
    if (strcmp(c->name, name) == 0) print_usage(c);
}

/* Options shared by run and litmus: shorthands for config keys. */
typedef struct run_flags {
  const char *db, *model;
  const char *sets[64];
  int nsets;
  const char *iterations, *seed;
  const char *experiment, *created; /* run: --experiment, --experiment-created */
  bool replay, check;
  uint64_t iteration;
} run_flags;

enum { OPT_DB = 256, OPT_SET, OPT_ITERATION, OPT_CHECK, OPT_HELP, OPT_EXPERIMENT, OPT_CREATED };

static const struct option run_options[] = {
    {"db", required_argument, 0, OPT_DB},
    {"set", required_argument, 0, OPT_SET},
    {"model", required_argument, 0, 'm'},
    {"iterations", required_argument, 0, 'n'},
    {"seed", required_argument, 0, 's'},
    {"iteration", required_argument, 0, OPT_ITERATION},
    {"check", no_argument, 0, OPT_CHECK},
    {"experiment", required_argument, 0, OPT_EXPERIMENT},
    {"experiment-created", required_argument, 0, OPT_CREATED},
    {"help", no_argument, 0, OPT_HELP},
    {0, 0, 0, 0}};

/* Returns 0, an error code, or -1 for --help. */
static int parse_run_flags(const char *cmd, int argc, char **argv, run_flags *f,
                           sim_err *err) {
  memset(f, 0, sizeof *f);
  f->db = DEFAULT_DB;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "m:n:s:", run_options, NULL)) != -1) {
    switch (ch) {
    case OPT_DB: f->db = optarg; break;
    case 'm': f->model = optarg; break;
    case 'n': f->iterations = optarg; break;
    case 's': f->seed = optarg; break;
    case OPT_SET:
      if (f->nsets == 64) return usage_error(err, cmd, "more than 64 --set options");
      f->sets[f->nsets++] = optarg;
      break;
    case OPT_ITERATION:
      f->replay = true;
      if (parse_u64(cmd, "--iteration", optarg, &f->iteration, err)) return err->code;
      break;
    case OPT_CHECK: f->check = true; break;
    case OPT_EXPERIMENT: f->experiment = optarg; break;
    case OPT_CREATED: f->created = optarg; break;
    case OPT_HELP: return -1;
    default: {
      char what[128];
      snprintf(what, sizeof what, "unknown option or missing value: %s", argv[optind - 1]);
      return usage_error(err, cmd, what);
    }
    }
  }
  if ((f->experiment || f->created) && strcmp(cmd, "run") != 0)
    return usage_error(err, cmd, "--experiment and --experiment-created are for mmsim run");
  if (f->created && !f->experiment)
    return usage_error(err, cmd, "--experiment-created needs --experiment");
  if (f->experiment && !*f->experiment)
    return usage_error(err, cmd, "--experiment: the name is empty");
  if (f->created) { /* the form SQLite's strftime writes, so merge can match it */
    int n = 0;
    unsigned y, mo, d, h, mi, se;
    if (sscanf(f->created, "%4u-%2u-%2uT%2u:%2u:%2uZ%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 ||
        n != 20 || f->created[n])
      return usage_error(err, cmd, "--experiment-created: expected YYYY-MM-DDTHH:MM:SSZ");
  }
  return 0;
}

/* Apply the shorthands and --set overrides to c, in that order. */
static int apply_flags(cfg *c, const run_flags *f, const char *model, sim_err *err) {
  if (model && cfg_set(c, "cpu.model", model, err)) return err->code;
  if (f->iterations && cfg_set(c, "run.iterations", f->iterations, err)) return err->code;
  if (f->seed && cfg_set(c, "run.seed", f->seed, err)) return err->code;
  for (int i = 0; i < f->nsets; i++) {
    const char *eq = strchr(f->sets[i], '=');
    if (!eq) return sim_errf(err, SIM_EUSAGE, "--set %s: expected key=value", f->sets[i]);
    char key[256];
    snprintf(key, sizeof key, "%.*s", (int)(eq - f->sets[i]), f->sets[i]);
    if (cfg_set(c, key, eq + 1, err)) return err->code;
  }
  return 0;
}

/* --- run ----------------------------------------------------------------- */

static int cmd_run(int argc, char **argv, sim_err *err) {
  run_flags f;
  int rc = parse_run_flags("run", argc, argv, &f, err);
  if (rc == -1) return usage_of("run"), 0;
  if (rc) return rc;
  if (optind != argc - 1) return usage_error(err, "run", "expected one CONFIG.json");
  cfg *c = cfg_new();
  run_session *s = NULL;
  char *src = NULL;
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if ((rc = cfg_load_file(c, argv[optind], err)) || (rc = apply_flags(c, &f, f.model, err)))
    goto done;
  src = cfg_source_json(c);
  run_opts o = {.db_path = f.db, .experiment = cfg_name(c) ? cfg_name(c) : argv[optind],
                .config_json = src, .out = stdout, .replay = f.replay,
                .iteration = f.iteration};
  if (f.experiment) /* join it: how a sweep's emitted jobs land in one experiment */
    o.experiment = f.experiment, o.join = true, o.created_at = f.created;
  bool matched;
  if ((rc = run_session_open(&s, &o, err)) || (rc = run_config(s, c, &matched, err))) goto done;
  if (f.check && !matched) rc = sim_errf(err, SIM_EVIOLATION, "observation differs from expectation");
done:
  run_session_close(s);
  free(src);
  cfg_free(c);
  return rc;
}

/* --- native -------------------------------------------------------------- */

/* --litmus FILE...: each x86 litmus test on the host, litmus7's job. */
static int native_litmus(int argc, char **argv, const run_flags *f, sim_err *err) {
  if (optind >= argc) return usage_error(err, "native", "expected at least one FILE.litmus");
  run_session *s = NULL;
  run_opts o = {.db_path = f->db, .experiment = "native-litmus", .out = stdout};
  int rc = 0;
  for (int i = optind; i < argc && !rc; i++) { /* parse all before running any */
    litmus_test *t;
    if (!(rc = litmus_parse_file(argv[i], &t, err))) litmus_free(t);
  }
  if (rc || (rc = run_session_open(&s, &o, err))) return rc;
  unsigned mismatches = 0;
  for (int i = optind; i < argc && !rc; i++) {
    cfg *c = cfg_new();
    if (!c) {
      rc = sim_errf(err, SIM_ENOMEM, "out of memory");
      break;
    }
    bool matched = true;
    if (!(rc = cfg_set(c, "workload.litmus", argv[i], err)) && !(rc = apply_flags(c, f, NULL, err)))
      rc = run_native_config(s, c, &matched, err);
    mismatches += !matched;
    cfg_free(c);
  }
  run_session_close(s);
  if (!rc && f->check && mismatches)
    rc = sim_errf(err, SIM_EVIOLATION, "%u observation(s) differ from their expectation",
                  mismatches);
  return rc;
}

static int cmd_native(int argc, char **argv, sim_err *err) {
  bool litmus = false;
  for (int i = 1; i < argc; i++) /* --litmus makes the operands litmus files */
    if (strcmp(argv[i], "--litmus") == 0) {
      litmus = true;
      memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
      argc--;
      break;
    }
  run_flags f;
  int rc = parse_run_flags("native", argc, argv, &f, err);
  if (rc == -1) return usage_of("native"), 0;
  if (rc) return rc;
  if (f.model || f.replay || (f.check && !litmus))
    return usage_error(err, "native", "--model and --iteration are for the simulator; --check "
                                      "for --litmus");
  if (litmus) return native_litmus(argc, argv, &f, err);
  if (optind != argc - 1) return usage_error(err, "native", "expected one CONFIG.json");
  cfg *c = cfg_new();
  run_session *s = NULL;
  char *src = NULL;
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if ((rc = cfg_load_file(c, argv[optind], err)) || (rc = apply_flags(c, &f, NULL, err)))
    goto done;
  src = cfg_source_json(c);
  run_opts o = {.db_path = f.db, .experiment = cfg_name(c) ? cfg_name(c) : argv[optind],
                .config_json = src, .out = stdout};
  if (!(rc = run_session_open(&s, &o, err))) rc = run_native_config(s, c, NULL, err);
done:
  run_session_close(s);
  free(src);
  cfg_free(c);
  return rc;
}

/* --- calibrate ----------------------------------------------------------- */

static int cmd_calibrate(int argc, char **argv, sim_err *err) {
  /* run's flags, with -o for the figure; --model would change the machine
   * being fitted, so it is a --set like any other key. */
  const char *fig = NULL;
  for (int i = 1; i < argc; i++) /* -o is calibrate's own: take it out first */
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
      fig = argv[i + 1];
      memmove(&argv[i], &argv[i + 2], (size_t)(argc - i - 1) * sizeof *argv);
      argc -= 2;
      break;
    }
  run_flags f;
  int rc = parse_run_flags("calibrate", argc, argv, &f, err);
  if (rc == -1) return usage_of("calibrate"), 0;
  if (rc) return rc;
  if (f.model || f.replay || f.check)
    return usage_error(err, "calibrate", "--model, --iteration and --check are not calibrate's");
  if (optind != argc - 1) return usage_error(err, "calibrate", "expected one CONFIG.json");
  cfg *c = cfg_new();
  char *src = NULL;
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if ((rc = cfg_load_file(c, argv[optind], err)) || (rc = apply_flags(c, &f, NULL, err)))
    goto done;
  if (!cfg_calibrate(c, NULL)) {
    rc = sim_errf(err, SIM_ECONFIG, "%s: calibrate: no \"calibrate\" object (see "
                  "configs/calibrate/)", argv[optind]);
    goto done;
  }
  src = cfg_source_json(c);
  calib_opts o = {.db_path = f.db, .experiment = cfg_name(c) ? cfg_name(c) : argv[optind],
                  .config_json = src, .figure = fig, .out = stdout, .progress = stderr};
  rc = calib_run(c, &o, err);
done:
  free(src);
  cfg_free(c);
  return rc;
}

/* --- litmus -------------------------------------------------------------- */

static int cmd_litmus(int argc, char **argv, sim_err *err) {
  run_flags f;
  int rc = parse_run_flags("litmus", argc, argv, &f, err);
  if (rc == -1) return usage_of("litmus"), 0;
  if (rc) return rc;
  if (optind >= argc) return usage_error(err, "litmus", "expected at least one FILE.litmus");
  char models[256];
  snprintf(models, sizeof models, "%s", f.model ? f.model : "tso");
  run_session *s = NULL;
  run_opts o = {.db_path = f.db, .experiment = "litmus", .out = stdout,
                .replay = f.replay, .iteration = f.iteration};
  if ((rc = run_session_open(&s, &o, err))) return rc;
  /* Every file is parsed before anything runs: a syntax error in the last
   * file fails the command before the first run is stored. */
  for (int i = optind; i < argc; i++) {
    litmus_test *t;
    if ((rc = litmus_parse_file(argv[i], &t, err))) {
      run_session_close(s);
      return rc;
    }
    litmus_free(t);
  }
  unsigned mismatches = 0;
  for (int i = optind; i < argc && !rc; i++) {
    char list[256], *save = NULL;
    snprintf(list, sizeof list, "%s", models);
    for (char *m = strtok_r(list, ",", &save); m && !rc; m = strtok_r(NULL, ",", &save)) {
      cfg *c = cfg_new();
      if (!c) {
        rc = sim_errf(err, SIM_ENOMEM, "out of memory");
        break;
      }
      bool matched = true;
      if (!(rc = cfg_set(c, "workload.litmus", argv[i], err)) &&
          !(rc = apply_flags(c, &f, m, err)))
        rc = run_config(s, c, &matched, err);
      mismatches += !matched;
      cfg_free(c);
    }
  }
  run_session_close(s);
  if (!rc && f.check && mismatches)
    rc = sim_errf(err, SIM_EVIOLATION, "%u observation(s) differ from their expectation",
                  mismatches);
  return rc;
}

/* --- sweep --------------------------------------------------------------- */

static int cmd_sweep(int argc, char **argv, sim_err *err) {
  enum { O_DB = 400, O_SET, O_EMIT, O_HELP };
  static const struct option opts[] = {
      {"db", required_argument, 0, O_DB},     {"set", required_argument, 0, O_SET},
      {"jobs", required_argument, 0, 'j'},    {"emit-jobs", required_argument, 0, O_EMIT},
      {"help", no_argument, 0, O_HELP},       {0, 0, 0, 0}};
  const char *sets[64];
  sweep_opts o = {.db_path = DEFAULT_DB, .sets = sets, .out = stdout};
  uint64_t jobs;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
    switch (ch) {
    case O_DB: o.db_path = optarg; break;
    case O_EMIT: o.emit_jobs = optarg; break;
    case O_SET:
      if (o.nsets == 64) return usage_error(err, "sweep", "more than 64 --set options");
      sets[o.nsets++] = optarg;
      break;
    case 'j':
      if (parse_u64("sweep", "-j", optarg, &jobs, err)) return err->code;
      if (jobs < 1 || jobs > 1024)
        return sim_errf(err, SIM_EUSAGE, "sweep: -j: %" PRIu64 " is not 1 to 1024", jobs);
      o.jobs = (unsigned)jobs;
      break;
    case O_HELP: return usage_of("sweep"), 0;
    default: {
      char what[128];
      snprintf(what, sizeof what, "unknown option or missing value: %s", argv[optind - 1]);
      return usage_error(err, "sweep", what);
    }
    }
  }
  if (optind != argc - 1) return usage_error(err, "sweep", "expected one CONFIG.json");
  o.config_path = argv[optind];
  sweep_stats st;
  return sweep_main(&o, &st, err);
}

/* --- config -------------------------------------------------------------- */

static int cmd_config(int argc, char **argv, sim_err *err) {
  if (argc == 2 && strcmp(argv[1], "--defaults") == 0) {
    cfg_print_defaults(stdout);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "--help") == 0) return usage_of("config"), 0;
  if (argc != 2) return usage_error(err, "config", "expected --defaults or CONFIG.json");
  cfg *c = cfg_new();
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int rc = cfg_load_file(c, argv[1], err);
  if (!rc) {
    char *j = cfg_resolved_json(c), hash[17];
    cfg_hash(c, hash);
    printf("%s\nconfig_hash %s\n", j, hash);
    free(j);
  }
  cfg_free(c);
  return rc;
}

/* --- query, runs, export ------------------------------------------------- */

static int open_ro(const char *cmd, int argc, char **argv, db **d, sim_err *err) {
  if (argc < 2 || argv[1][0] == '-') return usage_error(err, cmd, "expected DB");
  return db_open_readonly(argv[1], d, err);
}

static int cmd_query(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return usage_of("query"), 0;
  if (argc > 3) return usage_error(err, "query", "expected DB and at most one SQL statement");
  db *d;
  int rc = open_ro("query", argc, argv, &d, err);
  if (rc) return rc;
  const char *sql = argc == 3 ? argv[2]
                              : "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE "
                                "'sqlite_%' ORDER BY type, name";
  rc = db_query_print(d, sql, stdout, err);
  db_close(d);
  return rc;
}

static int cmd_runs(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return usage_of("runs"), 0;
  if (argc != 2) return usage_error(err, "runs", "expected DB");
  db *d;
  int rc = open_ro("runs", argc, argv, &d, err);
  if (rc) return rc;
  rc = db_runs_print(d, stdout, err);
  db_close(d);
  return rc;
}

static int cmd_export(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return usage_of("export"), 0;
  const char *db_path = NULL, *out_path = NULL;
  int fmt = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--csv") == 0) fmt = DB_CSV;
    else if (strcmp(argv[i], "--json") == 0) fmt = DB_JSON;
    else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out_path = argv[++i];
    else if (argv[i][0] != '-' && !db_path) db_path = argv[i];
    else return usage_error(err, "export", "unexpected argument");
  }
  if (!db_path || fmt < 0) return usage_error(err, "export", "expected DB and --csv or --json");
  db *d;
  int rc = db_open_readonly(db_path, &d, err);
  if (rc) return rc;
  FILE *out = out_path ? fopen(out_path, "w") : stdout;
  if (!out) rc = sim_errf(err, SIM_EIO, "%s: cannot write", out_path);
  else rc = db_export(d, (db_format)fmt, out, err);
  if (out && out != stdout && fclose(out) && !rc)
    rc = sim_errf(err, SIM_EIO, "%s: write failed", out_path);
  db_close(d);
  return rc;
}

/* --- plot ---------------------------------------------------------------- */

static int cmd_plot(int argc, char **argv, sim_err *err) {
  static const struct option opts[] = {
      {"x", required_argument, 0, 'x'},     {"y", required_argument, 0, 'y'},
      {"by", required_argument, 0, 'b'},    {"where", required_argument, 0, 'w'},
      {"title", required_argument, 0, 't'}, {"histogram", required_argument, 0, 'H'},
      {"calibration", required_argument, 0, 'C'},
      {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
  plot_opts o = {0};
  const char *hist_run = NULL, *cal_exp = NULL;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
    switch (ch) {
    case 'x': o.x = optarg; break;
    case 'y': o.y = optarg; break;
    case 'b': o.by = optarg; break;
    case 'w': o.where = optarg; break;
    case 't': o.title = optarg; break;
    case 'o': o.out = optarg; break;
    case 'H': hist_run = optarg; break;
    case 'C': cal_exp = optarg; break;
    case 'h': return usage_of("plot"), 0;
    default: return usage_error(err, "plot", "unknown option or missing value");
    }
  }
  if (optind != argc - 1) return usage_error(err, "plot", "expected one DB");
  o.db_path = argv[optind];
  if (!o.out) return usage_error(err, "plot", "expected -o OUT.png or OUT.svg");
  int rc;
  if (cal_exp) {
    uint64_t id;
    if ((rc = parse_u64("plot", "--calibration", cal_exp, &id, err))) return rc;
    rc = plot_calibration(o.db_path, (long long)id, o.out, err);
  } else if (hist_run) { /* all digits: a run id; else a test name */
    uint64_t id;
    if (hist_run[strspn(hist_run, "0123456789")] != '\0') {
      if (o.x || o.y) return usage_error(err, "plot", "--histogram TEST takes no --x or --y");
      rc = plot_outcomes(&o, hist_run, err);
    } else if (o.by || o.where || o.x || o.y) {
      return usage_error(err, "plot", "--histogram RUN_ID draws one run: no --x, --y, --by or --where");
    } else if (!(rc = parse_u64("plot", "--histogram", hist_run, &id, err))) {
      rc = plot_histogram(o.db_path, (long long)id, o.out, err);
    }
  } else {
    if (!o.x || !o.y) return usage_error(err, "plot", "expected --x PARAM and --y METRIC");
    rc = plot_metric(&o, err);
  }
  if (!rc) printf("Wrote %s (data and gnuplot script beside it)\n", o.out);
  return rc;
}

/* --- bench --------------------------------------------------------------- */

static int cmd_bench(int argc, char **argv, sim_err *err) {
  uint64_t reps = 5, cores = 0;
  const char *model = "tso";
  bool sweep = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) return usage_of("bench"), 0;
    if (strcmp(argv[i], "--sweep") == 0) {
      sweep = true;
      continue;
    }
    if (i + 1 < argc && strcmp(argv[i], "--model") == 0) {
      model = argv[++i];
      continue;
    }
    if (i + 1 < argc && strcmp(argv[i], "--reps") == 0) {
      if (parse_u64("bench", "--reps", argv[++i], &reps, err)) return err->code;
    } else if (i + 1 < argc && strcmp(argv[i], "--cores") == 0) {
      if (parse_u64("bench", "--cores", argv[++i], &cores, err)) return err->code;
      if (cores < 1 || cores > 64)
        return sim_errf(err, SIM_EUSAGE, "bench: --cores: %" PRIu64 " is not 1 to 64", cores);
    } else {
      return usage_error(err, "bench", "expected [--reps N] [--cores N] [--model M] [--sweep]");
    }
  }
  if (cpu_model_find(model) < 0)
    return sim_errf(err, SIM_EUSAGE, "--model: \"%s\" is not one of sc, tso, pso, weak",
                    model);
  if (sweep) return bench_sweep(stdout, reps ? (unsigned)reps : 1, err);
  return bench_main(stdout, reps ? (unsigned)reps : 1, (unsigned)cores, model, err);
}

/* --- test-coherence ------------------------------------------------------ */

/* The random coherence tester (cache/tester.h) on the memory system that the
 * config names; one summary line, the failing seed's report on stderr. */
static int cmd_test_coherence(int argc, char **argv, sim_err *err) {
  enum { O_CORES = 300, O_OPS, O_SEED, O_SEEDS, O_OUT, O_LINES, O_LOCS, O_STRIDE, O_DELAY,
         O_DEADLOCK, O_SET, O_HELP };
  static const struct option opts[] = {
      {"cores", required_argument, 0, O_CORES},       {"ops", required_argument, 0, O_OPS},
      {"seed", required_argument, 0, O_SEED},         {"seeds", required_argument, 0, O_SEEDS},
      {"outstanding", required_argument, 0, O_OUT},   {"lines", required_argument, 0, O_LINES},
      {"locs", required_argument, 0, O_LOCS},         {"stride", required_argument, 0, O_STRIDE},
      {"max-delay", required_argument, 0, O_DELAY},
      {"deadlock-cycles", required_argument, 0, O_DEADLOCK},
      {"set", required_argument, 0, O_SET},           {"help", no_argument, 0, O_HELP},
      {0, 0, 0, 0}};
  const char *cmd = "test-coherence";
  const char *val[O_HELP - O_CORES] = {0}; /* by option, applied after the config */
  run_flags f;
  memset(&f, 0, sizeof f);
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (ch == O_HELP) {
      for (const command *c = commands; c->name; c++)
        if (strcmp(c->name, cmd) == 0) print_usage(c);
      return 0;
    }
    if (ch == O_SET) {
      if (f.nsets == 64) return usage_error(err, cmd, "more than 64 --set options");
      f.sets[f.nsets++] = optarg;
    } else if (ch >= O_CORES && ch < O_SET) {
      val[ch - O_CORES] = optarg;
    } else {
      char what[128];
      snprintf(what, sizeof what, "unknown option or missing value: %s", argv[optind - 1]);
      return usage_error(err, cmd, what);
    }
  }
  if (optind < argc - 1) return usage_error(err, cmd, "expected at most one CONFIG.json");
  cfg *c = cfg_new();
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int rc = 0;
  if ((optind == argc - 1 && (rc = cfg_load_file(c, argv[optind], err))) ||
      (rc = apply_flags(c, &f, NULL, err)))
    goto done;
  tester_params p;
  sim_cohtest_params(c, &p);
  p.log = stderr;
  uint64_t v[O_SET - O_CORES], seeds = 1;
  static const char *const names[] = {"--cores", "--ops", "--seed", "--seeds", "--outstanding",
                                      "--lines", "--locs", "--stride", "--max-delay",
                                      "--deadlock-cycles"};
  for (int i = 0; i < O_SET - O_CORES; i++) {
    if (!val[i]) continue;
    if ((rc = parse_u64(cmd, names[i], val[i], &v[i], err))) goto done;
    if (i != O_OPS - O_CORES && i != O_SEED - O_CORES && i != O_STRIDE - O_CORES &&
        i != O_DELAY - O_CORES && i != O_DEADLOCK - O_CORES && v[i] > 1000000) {
      rc = sim_errf(err, SIM_EUSAGE, "%s: %s: %" PRIu64 " is too large", cmd, names[i], v[i]);
      goto done;
    }
    switch (i + O_CORES) {
    case O_CORES: p.cores = (unsigned)v[i]; break;
    case O_OPS: p.ops = v[i]; break;
    case O_SEED: p.seed = v[i]; break;
    case O_SEEDS: seeds = v[i]; break;
    case O_OUT: p.outstanding = (unsigned)v[i]; break;
    case O_LINES: p.lines = (unsigned)v[i]; break;
    case O_LOCS: p.locs = (unsigned)v[i]; break;
    case O_STRIDE: p.stride = v[i]; break;
    case O_DELAY: p.max_delay = v[i]; break;
    case O_DEADLOCK: p.deadlock_cycles = v[i]; break;
    }
  }
  if (seeds == 0 || p.seed > UINT64_MAX - seeds) {
    rc = usage_error(err, cmd, "--seeds must be at least 1 and seed + seeds must not overflow");
    goto done;
  }
  tester_result r;
  uint64_t bad_seed = 0;
  double t0 = wallclock_s();
  rc = sim_cohtest_run(c, &p, seeds, &r, &bad_seed, err);
  double wall = wallclock_s() - t0;
  if (rc && rc != SIM_EVIOLATION) goto done;
  printf("test-coherence: memory %s, %u cores, %u outstanding, seeds %" PRIu64 "..%" PRIu64
         ": %" PRIu64 " ops (load %" PRIu64 ", store %" PRIu64 ", rmw %" PRIu64 ", cas %" PRIu64
         " [%" PRIu64 " ok]), %" PRIu64 " cycles, %" PRIu64 " violations, %" PRIu64
         " deadlocks, digest %016" PRIx64 "; %.2f s, %.2f M ops/s\n",
         cfg_str(c, CK_MEMORY_KIND), p.cores, p.outstanding, p.seed, p.seed + seeds - 1, r.ops,
         r.by_kind[TESTER_LOAD], r.by_kind[TESTER_STORE], r.by_kind[TESTER_RMW],
         r.by_kind[TESTER_CAS], r.cas_ok, r.cycles, r.violations, r.deadlocks, r.digest, wall,
         wall > 0 ? (double)r.ops / wall / 1e6 : 0.0);
  if (rc)
    fprintf(stderr, "rerun the failing seed alone: mmsim test-coherence --seed %" PRIu64
            " --cores %u --outstanding %u --ops %" PRIu64 " (same config and --set)\n",
            bad_seed, p.cores, p.outstanding, p.ops / seeds + (bad_seed - p.seed < p.ops % seeds));
done:
  cfg_free(c);
  return rc;
}

/* --- merge --------------------------------------------------------------- */

/* Shards into one database: each shard in its own transaction, so a bad
 * one stops the command with the earlier ones merged and itself not. */
static int cmd_merge(int argc, char **argv, sim_err *err) {
  if (argc >= 2 && strcmp(argv[1], "--help") == 0) return usage_of("merge"), 0;
  if (argc < 3) return usage_error(err, "merge", "expected OUT.db and at least one SHARD.db");
  db *out = NULL;
  /* Every shard checked before the output is opened, and so created. */
  int rc = db_merge_check(argv[1], (const char *const *)argv + 2, (size_t)argc - 2, err);
  if (!rc) rc = db_open(argv[1], &out, err);
  for (int i = 2; i < argc && !rc; i++) {
    db_merge_stats st;
    if (!(rc = db_merge(out, argv[i], &st, err)))
      printf("%s: %" PRIu64 " run(s) merged, %" PRIu64 " already present\n", argv[i], st.merged,
             st.skipped);
  }
  if (out) db_close(out);
  return rc;
}

/* --- import-litmus7 ------------------------------------------------------ */

/* litmus7/klitmus7 logs as native runs: all logs or none (db_import_litmus7). */
static int cmd_import_litmus7(int argc, char **argv, sim_err *err) {
  const char *path = DEFAULT_DB;
  const char **logs = calloc((size_t)argc, sizeof *logs);
  size_t n = 0;
  if (!logs) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int rc = 0;
  for (int i = 1; i < argc && !rc; i++) {
    if (strcmp(argv[i], "--help") == 0) {
      free(logs);
      return usage_of("import-litmus7"), 0;
    }
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) path = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1]) rc = usage_error(err, "import-litmus7", "unknown option");
    else logs[n++] = argv[i];
  }
  if (!rc && !n) rc = usage_error(err, "import-litmus7", "expected at least one LOG");
  db *d = NULL;
  db_import_stats st;
  if (!rc) rc = db_open(path, &d, err);
  if (!rc) rc = db_import_litmus7(d, logs, n, &st, err);
  if (!rc)
    printf("Imported %" PRIu64 " test(s) from %" PRIu64 " log(s) into %s as native runs\n",
           st.tests, st.files, path);
  if (d) db_close(d);
  free(logs);
  return rc;
}

/* --- protocol ------------------------------------------------------------ */

static void add_count(void *ctx, const char *key, double value) {
  proto_counts_add(ctx, key, value);
}

/* The MESI tables as the simulator runs them; with --run, each cell's count
 * in that stored run (its proto.* metrics). */
static int cmd_protocol(int argc, char **argv, sim_err *err) {
  const char *path = DEFAULT_DB;
  uint64_t run = 0;
  bool have_run = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) return usage_of("protocol"), 0;
    if (i + 1 < argc && strcmp(argv[i], "--db") == 0) {
      path = argv[++i];
    } else if (i + 1 < argc && strcmp(argv[i], "--run") == 0) {
      if (parse_u64("protocol", "--run", argv[++i], &run, err)) return err->code;
      have_run = true;
    } else {
      return usage_error(err, "protocol", "expected [--run ID [--db F]]");
    }
  }
  if (!have_run) {
    proto_print(stdout, NULL);
    return 0;
  }
  db *d = NULL;
  proto_counts *counts = calloc(1, sizeof *counts);
  if (!counts) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int rc = db_open_readonly(path, &d, err);
  if (!rc) rc = db_metrics_each(d, (int64_t)run, "proto.", add_count, counts, err);
  if (!rc) {
    printf("Cells fired in run %" PRIu64 " of %s\n\n", run, path);
    proto_print(stdout, counts);
  }
  if (d) db_close(d);
  free(counts);
  return rc;
}

/* --- dispatch ------------------------------------------------------------ */

static const command commands[] = {
    {"run", "run CONFIG.json [--db F] [--model M] [--seed N] [--iterations N] [--set key=value]... [--iteration K] [--check]",
     "Run one simulation from a JSON config and store it as one run.\n"
     "  --db F          results database (default " DEFAULT_DB ")\n"
     "  --model M       shorthand for --set cpu.model=M (sc, tso, pso, weak)\n"
     "  --seed N        shorthand for --set run.seed=N\n"
     "  --iterations N  shorthand for --set run.iterations=N\n"
     "  --set key=value override any config key (see mmsim config --defaults)\n"
     "  --iteration K   replay iteration K alone (same outcome as inside the run); not stored\n"
     "  --check         exit 3 if a litmus observation differs from its expectation\n"
     "  --experiment NAME           store the run in the experiment NAME with this\n"
     "                              config file, created if missing (else: a new one)\n"
     "  --experiment-created TIME   and with this creation time (YYYY-MM-DDTHH:MM:SSZ);\n"
     "                              what mmsim sweep --emit-jobs writes, so shards merge\n"
     "                              into one experiment",
     cmd_run},
    {"sweep", "sweep CONFIG.json [-j N] [--db F] [--set key=value]... [--emit-jobs FILE]",
     "Run every point of the config's \"sweep\" grid, each as one run of one\n"
     "experiment, in N worker processes; resumable.  The grid is the cartesian\n"
     "product of the sweep's keys in file order, the last varying fastest; with\n"
     "\"repeat\": R in the sweep object each grid point runs R times, with seeds\n"
     "run.seed, run.seed+1, ..., run.seed+R-1.  Points already done in F (same\n"
     "experiment name and config file, same resolved config and seed) are\n"
     "skipped, so the same command again runs only what is missing.  Ctrl-C\n"
     "stops handing out points and lets the runs in flight finish (Ctrl-C again:\n"
     "abandon them, nothing of them is stored); exit status 130.\n"
     "  -j N              worker processes (default: one per online CPU)\n"
     "  --db F            results database (default " DEFAULT_DB ")\n"
     "  --set key=value   override a key the grid does not sweep\n"
     "  --emit-jobs FILE  run nothing: write one `mmsim run` command per missing\n"
     "                    point to FILE, each into its own shard-K.db, for GNU\n"
     "                    parallel or a Slurm array; then mmsim merge F shard-*.db",
     cmd_sweep},
    {"litmus", "litmus FILE.litmus... [--model M[,M...]] [--iterations N] [--seed N] [--set key=value]... [--db F] [--iteration K] [--check]",
     "Run litmus tests (herd7 format, X86 or C) in the simulator, print each\n"
     "outcome histogram with herd7/litmus7's Ok/No, Witnesses and Observation\n"
     "lines, and store each test under each model as a run.\n"
     "  --model M,M     models to run, comma-separated (default tso)\n"
     "  other options as for mmsim run",
     cmd_litmus},
    {"config", "config --defaults | config CONFIG.json",
     "--defaults: every config key with its type, range, default and doc.\n"
     "CONFIG.json: the file validated and resolved, with its hash.",
     cmd_config},
    {"query", "query DB [SQL]",
     "Run one SQL statement on the database opened read-only and print the rows.\n"
     "Without SQL: list the tables and views.",
     cmd_query},
    {"runs", "runs DB", "List the runs with their rates.", cmd_runs},
    {"export", "export DB --csv|--json [-o FILE]",
     "Every run with its params, outcomes and metrics, as CSV or JSON.", cmd_export},
    {"plot", "plot DB --x PARAM|METRIC --y METRIC [--by PARAM[,PARAM]] [--where COND] [--title T] -o OUT.png|.svg\n"
             "       mmsim plot DB --histogram TEST [--by PARAM[,PARAM]] [--where COND] [--title T] -o OUT.png|.svg\n"
             "       mmsim plot DB --histogram RUN_ID -o OUT.png|.svg\n"
             "       mmsim plot DB --calibration EXPERIMENT_ID -o OUT.png|.svg",
     "Draw a figure with gnuplot.  PARAM is a config key (cpu.model, net.jitter, ...)\n"
     "or workload, model, engine; METRIC is a metrics key or anomaly_rate,\n"
     "forbidden_rate, anomaly_rate.KIND (rates with Wilson 95% error bars).\n"
     "  --x PARAM        numeric: lines; text: clustered bars, one per --by value\n"
     "  --x METRIC       a scatter: one labelled point per --by group, x its mean\n"
     "                   metric, y its rate (e.g. --x map.cycles_per_op --y\n"
     "                   anomaly_rate --by workload.variant); on a log y axis a\n"
     "                   zero rate is drawn at its 95% upper bound (open triangle)\n"
     "  --by A,B         series named by several values: --by engine,model keeps\n"
     "                   native runs (model = host CPU) apart from sim's models\n"
     "  --histogram TEST the outcome histograms of litmus test TEST side by side,\n"
     "                   one bar per --by group (default model), as frequencies\n"
     "                   per iteration; bars forbidden under their model hatched\n"
     "  --histogram ID   one run's outcome counts (an all-digit argument)\n"
     "  --where COND     SQL over runs r, e.g. \"r.workload = 'publish-flag'\"\n"
     "The .dat and .gp files are written beside OUT.",
     cmd_plot},
    {"bench", "bench [--reps N] [--cores N] [--model M] | bench --sweep [--reps N]",
     "Speed: simulated memory micro-ops per host second on the MESI hierarchy at\n"
     "2, 8 and 64 cores and on the ideal memory, SB iterations and witnesses per\n"
     "second; the median of N repetitions (default 5).\n"
     "  --cores N   only the micro-op figure, at N cores (for profiling one size)\n"
     "  --model M   the cores' memory model (default tso)\n"
     "  --sweep     instead: sweep throughput, one grid at -j1 and -j2 (runs/s, ratio)",
     cmd_bench},
    {"native", "native CONFIG.json [--db F] [--seed N] [--iterations N] [--set key=value]...\n"
               "       mmsim native --litmus FILE.litmus... [--iterations N] [--check] [--db F] [--set key=value]...",
     "Run a map scenario (workload.kind map), or with --litmus litmus tests (as\n"
     "litmus7 does; checked against the host architecture's model, tso on x86), on\n"
     "the host's real cores with pthreads:\n"
     "the same map code and oracle as the simulator, relaxed atomics and real fences.\n"
     "Stored as a run with engine native; see native.* in mmsim config --defaults.\n"
     "  options as for mmsim run",
     cmd_native},
    {"calibrate", "calibrate CONFIG.json [--db F] [-o OUT.png|.svg] [--seed N] [--iterations N] [--set key=value]...",
     "Run a map scenario natively (calibrate.native_runs times) and in the simulator\n"
     "at every point of the config's calibrate.params grid (calibrate.sim_runs times\n"
     "each), and report the point whose distribution of per-run anomaly frequencies\n"
     "is nearest the native one: residual W1 between the log10 frequencies, in\n"
     "decades, KS as tie-break.  All runs are stored as one experiment, the\n"
     "simulated ones with metrics calibrate.point, .residual, .ks and .best.\n"
     "  -o OUT          the figure (default calibrate-SCENARIO.png), .dat and .gp beside it\n"
     "  --iterations N  shorthand for --set run.iterations=N (simulated runs; native\n"
     "                  runs take calibrate.native_iterations when it is given)\n"
     "  other options as for mmsim run",
     cmd_calibrate},
    {"test-coherence",
     "test-coherence [CONFIG.json] [--cores N] [--ops N] [--seed N] [--seeds N] [--outstanding K]\n"
     "       [--lines N] [--locs N] [--stride BYTES] [--max-delay N] [--deadlock-cycles N]\n"
     "       [--set key=value]...",
     "The random coherence tester: N requesters drive the memory system that\n"
     "memory.kind names (ideal, mesi) with random loads, stores, RMWs and CASes of\n"
     "1-8 bytes on a few colliding lines, and check every value against a shadow\n"
     "memory (linearizable at the done callback).  Exits 3 on a wrong value, a\n"
     "request done twice or early, or no progress; prints the failing seed.\n"
     "  --cores N            requesters (default cpu.cores, or 4 if that is 0)\n"
     "  --ops N              requests in all, split over the seeds (default 100000)\n"
     "  --seed N             first seed (default run.seed)\n"
     "  --seeds N            run seeds seed..seed+N-1 (default 1)\n"
     "  --outstanding K      requests in flight per requester (default 2)\n"
     "  --lines N            distinct lines (default 16)\n"
     "  --locs N             8-byte check locations per line (default 4)\n"
     "  --stride BYTES       from one line to the next (default cache.llc.sets *\n"
     "                       cache.line_bytes: every line in one set)\n"
     "  --max-delay N        each request waits [0, N] cycles before it leaves (default 16)\n"
     "  --deadlock-cycles N  no completion for N cycles while busy is a deadlock (default 100000)\n"
     "  --set key=value      override a config key (memory.kind=mesi, cache.l1.ways=2, ...)",
     cmd_test_coherence},
    {"merge", "merge OUT.db SHARD.db...",
     "Join result databases (shards of a sweep run on many machines) into OUT.db,\n"
     "created if missing.  Each shard goes in whole or not at all; runs OUT.db has\n"
     "already (same engine, workload, model, seed, iterations and config hash;\n"
     "for native runs also host and start time) are skipped, never duplicated.\n"
     "A shard that is not an mmsim database of this schema version is refused.",
     cmd_merge},
    {"import-litmus7", "import-litmus7 LOG... [--db F]",
     "Store litmus7 and klitmus7 logs as native runs: each test of each log one run\n"
     "(engine native, workload the test name, iterations the sum of its histogram,\n"
     "model the CPU or architecture the log names, else unknown).  Outcomes the\n"
     "condition names (*>; for forall the others) are forbidden, anomaly non_sc.\n"
     "All logs are read first: a malformed one is reported as FILE:LINE and\n"
     "nothing is stored.\n"
     "  --db F   results database (default " DEFAULT_DB ")",
     cmd_import_litmus7},
    {"protocol", "protocol [--run ID [--db F]]",
     "The MESI controllers' state x event tables, printed from the arrays the\n"
     "simulator runs: one line per possible cell (next state and actions).\n"
     "  --run ID   also show how often each cell fired in that stored run\n"
     "  --db F     the database holding the run (default " DEFAULT_DB ")",
     cmd_protocol},
    {0, 0, 0, 0}};

static void print_help(void) {
  printf("mmsim -- a discrete-event simulator of multi-core caches and memory models\n\n"
         "usage: mmsim COMMAND [ARGS]   (mmsim COMMAND --help for its options)\n\n");
  for (const command *c = commands; c->name; c++) {
    const char *nl = strchr(c->doc, '\n');
    printf("  %-8s %.*s\n", c->name, nl ? (int)(nl - c->doc) : (int)strlen(c->doc), c->doc);
  }
}

int cli_main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    print_help();
    return argc < 2 ? 2 : 0;
  }
  sim_err err = {0, ""};
  for (const command *c = commands; c->name; c++) {
    if (strcmp(argv[1], c->name) != 0) continue;
    int rc = c->fn(argc - 1, argv + 1, &err);
    if (rc) {
      fprintf(stderr, "mmsim %s: %s\n", c->name, err.msg[0] ? err.msg : sim_code_text(rc));
      return sim_code_exit(rc);
    }
    return 0;
  }
  fprintf(stderr, "mmsim: unknown command \"%s\" (mmsim --help lists them)\n", argv[1]);
  return 2;
}
