/* sim/cmd/cmd_sim.c -- the commands that simulate or run and store runs:
 * run, native, calibrate, litmus, sweep. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../workloads/litmus.h"
#include "../calibrate.h"
#include "../progress.h"
#include "../run.h"
#include "../sweep.h"
#include "cmd_int.h"

/* After a run that Ctrl-C cut short (progress.h): what was kept, as the
 * command's error, exit 130.  0 when there was no Ctrl-C. */
static int interrupted(const char *what, const cfg *c, sim_err *err) {
  if (!sim_progress_interrupted()) return 0;
  return sim_errf(err, SIM_EINTERRUPTED,
                  "interrupted: %s stored with the %" PRIu64 " of %" PRId64
                  " iterations done; nothing after it was run",
                  what, sim_progress_kept(), cfg_int(c, CK_RUN_ITERATIONS));
}

/* --- run ----------------------------------------------------------------- */

static int cmd_run(int argc, char **argv, sim_err *err) {
  cmd_run_flags f;
  int rc = cmd__parse_run_flags("run", argc, argv, &f, err);
  if (rc == -1) return cmd__usage_of("run"), 0;
  if (rc) return rc;
  if (optind != argc - 1) return cmd__usage_error(err, "run", "expected one CONFIG.json");
  cfg *c = cfg_new();
  run_session *s = NULL;
  char *src = NULL;
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if ((rc = cfg_load_file(c, argv[optind], err)) || (rc = cmd__apply_flags(c, &f, f.model, err)))
    goto done;
  src = cfg_source_json(c);
  run_opts o = {.db_path = f.db, .experiment = cfg_name(c) ? cfg_name(c) : argv[optind],
                .config_json = src, .out = stdout, .replay = f.replay,
                .iteration = f.iteration, .jobs = f.jobs};
  if (f.experiment) /* join it: how a sweep's emitted jobs land in one experiment */
    o.experiment = f.experiment, o.join = true, o.created_at = f.created;
  bool matched;
  if ((rc = run_session_open(&s, &o, err))) goto done;
  sim_progress_begin();
  sim_progress_loop(o.experiment, 0);
  rc = run_config(s, c, &matched, err);
  sim_progress_end();
  if (!rc && (rc = interrupted(o.experiment, c, err))) goto done;
  if (f.check && !matched) rc = sim_errf(err, SIM_EVIOLATION, "observation differs from expectation");
done:
  run_session_close(s);
  free(src);
  cfg_free(c);
  return rc;
}

const cmd_desc cmd_run_desc = {"run", "run CONFIG.json [-j N] [--db F] [--model M] [--seed N] [--iterations N] [--profile P] [--set key=value]... [--iteration K] [--check]",
     "Run one simulation from a JSON config and store it as one run.\n"
     "  --db F          results database (default " DEFAULT_DB ")\n"
     "  --model M       shorthand for --set cpu.model=M (sc, tso, pso, weak, arm)\n"
     "  --seed N        shorthand for --set run.seed=N\n"
     "  --iterations N  shorthand for --set run.iterations=N\n"
     "  --set key=value override any config key (see mmsim config --defaults)\n"
     "  --profile P     a machine profile (mmsim calibrate --joint writes them): its\n"
     "                  keys where the config does not give its own\n"
     "  -j N            split the iterations over N host threads (default: one per\n"
     "                  host CPU); the stored run is the same for every N\n"
     "  --iteration K   replay iteration K alone (same outcome as inside the run); not stored\n"
     "  --check         exit 3 if a litmus observation differs from its expectation\n"
     "  --experiment NAME           store the run in the experiment NAME with this\n"
     "                              config file, created if missing (else: a new one)\n"
     "  --experiment-created TIME   and with this creation time (YYYY-MM-DDTHH:MM:SSZ);\n"
     "                              what mmsim sweep --emit-jobs writes, so shards merge\n"
     "                              into one experiment",
     cmd_run, "Run one simulation from a JSON config and store it as one run."};

/* --- native -------------------------------------------------------------- */

/* --litmus FILE...: each x86 litmus test on the host, litmus7's job. */
static int native_litmus(int argc, char **argv, const cmd_run_flags *f, sim_err *err) {
  if (optind >= argc) return cmd__usage_error(err, "native", "expected at least one FILE.litmus");
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
    if (!(rc = cfg_set(c, "workload.litmus", argv[i], err)) && !(rc = cmd__apply_flags(c, f, NULL, err)))
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
  cmd_run_flags f;
  int rc = cmd__parse_run_flags("native", argc, argv, &f, err);
  if (rc == -1) return cmd__usage_of("native"), 0;
  if (rc) return rc;
  if (f.model || f.replay || (f.check && !litmus))
    return cmd__usage_error(err, "native", "--model and --iteration are for the simulator; --check "
                                      "for --litmus");
  if (litmus) return native_litmus(argc, argv, &f, err);
  if (optind != argc - 1) return cmd__usage_error(err, "native", "expected one CONFIG.json");
  cfg *c = cfg_new();
  run_session *s = NULL;
  char *src = NULL;
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  if ((rc = cfg_load_file(c, argv[optind], err)) || (rc = cmd__apply_flags(c, &f, NULL, err)))
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

const cmd_desc cmd_native_desc = {"native", "native CONFIG.json [--db F] [--seed N] [--iterations N] [--set key=value]...\n"
               "       mmsim native --litmus FILE.litmus... [--iterations N] [--check] [--db F] [--set key=value]...",
     "Run a map scenario (workload.kind map), or with --litmus litmus tests (as\n"
     "litmus7 does; checked against the host architecture's model, tso on x86), on\n"
     "the host's real cores with pthreads:\n"
     "the same map code and oracle as the simulator, relaxed atomics and real fences.\n"
     "Stored as a run with engine native; see native.* in mmsim config --defaults.\n"
     "  options as for mmsim run but -j",
     cmd_native, "Run a map scenario or litmus tests on the host's real cores."};

/* --- calibrate ----------------------------------------------------------- */

/* Take "NAME VALUE" (or the flag NAME alone when value is NULL) out of
 * argv before getopt sees it: calibrate's own options beside run's. */
static bool take_opt(int *argc, char **argv, const char *name, const char **value) {
  for (int i = 1; i < *argc; i++) {
    if (strcmp(argv[i], name) != 0) continue;
    int n = value ? 2 : 1;
    if (value) {
      if (i + 1 >= *argc) return false;
      *value = argv[i + 1];
    }
    memmove(&argv[i], &argv[i + n], (size_t)(*argc - i - n + 1) * sizeof *argv);
    *argc -= n;
    return true;
  }
  return false;
}

static int cmd_calibrate(int argc, char **argv, sim_err *err) {
  /* run's flags, with -o for the figure; --model would change the machine
   * being fitted, so it is a --set like any other key. */
  const char *fig = NULL, *prof = NULL;
  take_opt(&argc, argv, "-o", &fig);
  bool joint = take_opt(&argc, argv, "--joint", NULL);
  bool save = take_opt(&argc, argv, "--profile-out", &prof) || joint;
  cmd_run_flags f;
  int rc = cmd__parse_run_flags("calibrate", argc, argv, &f, err);
  if (rc == -1) return cmd__usage_of("calibrate"), 0;
  if (rc) return rc;
  if (f.model || f.replay || f.check)
    return cmd__usage_error(err, "calibrate", "--model, --iteration and --check are not calibrate's");
  if (!joint && optind != argc - 1)
    return cmd__usage_error(err, "calibrate", "expected one CONFIG.json (several: --joint)");
  if (joint && optind >= argc)
    return cmd__usage_error(err, "calibrate", "--joint: expected CONFIG.json...");
  size_t n = (size_t)(argc - optind);
  cfg **cs = calloc(n, sizeof *cs);
  char *src = NULL;
  if (!cs) return sim_errf(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < n && !rc; i++) {
    const char *file = argv[optind + (int)i];
    if (!(cs[i] = cfg_new())) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
    else if (!(rc = cfg_load_file(cs[i], file, err)) &&
             !(rc = cmd__apply_flags(cs[i], &f, NULL, err)) && !cfg_calibrate(cs[i], NULL))
      rc = sim_errf(err, SIM_ECONFIG, "%s: calibrate: no \"calibrate\" object (see "
                    "configs/calibrate/)", file);
  }
  if (rc) goto done;
  src = cfg_source_json(cs[0]);
  calib_opts o = {.db_path = f.db,
                  .experiment = !joint && cfg_name(cs[0]) ? cfg_name(cs[0])
                                : joint ? "calibrate-joint" : argv[optind],
                  .config_json = src, .figure = fig, .out = stdout, .progress = stderr,
                  .jobs = f.jobs, .save_profile = save, .profile_out = prof};
  rc = calib_run_joint((const cfg *const *)cs, n, &o, err);
done:
  free(src);
  for (size_t i = 0; i < n; i++) cfg_free(cs[i]);
  free(cs);
  return rc;
}

const cmd_desc cmd_calibrate_desc = {"calibrate", "calibrate CONFIG.json [-j N] [--db F] [-o OUT.png|.svg] [--seed N] [--iterations N] [--set key=value]... [--profile-out P]\n"
     "       mmsim calibrate --joint CONFIG.json... [options as above]",
     "Run a map scenario or litmus test natively (calibrate.native_runs times) and in the simulator\n"
     "at every point of the config's calibrate.params grid (calibrate.sim_runs times\n"
     "each), and report the point whose distribution of per-run anomaly frequencies\n"
     "is nearest the native one: residual W1 between the log10 frequencies, in\n"
     "decades, KS as tie-break.  All runs are stored as one experiment, the\n"
     "simulated ones with metrics calibrate.point, .residual, .ks and .best.\n"
     "  -o OUT          the figure (default calibrate-SCENARIO.png, calibrate-joint.png),\n"
     "                  .dat and .gp beside it\n"
     "  --joint         fit one point to every config's scenario at once (each has its\n"
     "                  own calibrate object and native runs, all the first one's params):\n"
     "                  a point's residual is the mean of its scenarios'; the report gives\n"
     "                  each scenario's residual and host load; saves a profile\n"
     "  --profile-out P save the best point as a machine profile at P (default with\n"
     "                  --joint: profiles/CPU-NAME-Ncpu.json); apply it with --profile\n"
     "  --iterations N  shorthand for --set run.iterations=N (simulated runs; native\n"
     "                  runs take calibrate.native_iterations when it is given)\n"
     "  other options as for mmsim run",
     cmd_calibrate, "Fit the simulator's timing to native runs of map scenarios and litmus tests."};

/* --- litmus -------------------------------------------------------------- */

/* For each model of the comma-separated list: the config of `file` under
 * it with f's flags; run and stored in s, or only built (a check of the
 * arguments) when s is NULL.  An empty model ("tso,,pso") is an error. */
static int for_each_model(const char *models, const char *file, const cmd_run_flags *f,
                          run_session *s, unsigned *mismatches, sim_err *err) {
  int rc = 0;
  for (const char *m = models; !rc; m += strcspn(m, ",") + 1) {
    char model[64];
    size_t n = strcspn(m, ",");
    if (n == 0 || n >= sizeof model)
      return sim_errf(err, SIM_EUSAGE, "--model: \"%s\": expected a comma-separated list of "
                      "sc, tso, pso, weak, arm", models);
    snprintf(model, sizeof model, "%.*s", (int)n, m);
    cfg *c = cfg_new();
    if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
    bool matched = true;
    if (!(rc = cfg_set(c, "workload.litmus", file, err)) &&
        !(rc = cmd__apply_flags(c, f, model, err)) && s) {
      char what[sizeof model + 300];
      snprintf(what, sizeof what, "%s under %s", file, model);
      sim_progress_loop(what, 0);
      if (!(rc = run_config(s, c, &matched, err))) rc = interrupted(what, c, err);
    }
    if (mismatches) *mismatches += !matched;
    cfg_free(c);
    if (!m[n]) break;
  }
  return rc;
}

static int cmd_litmus(int argc, char **argv, sim_err *err) {
  cmd_run_flags f;
  int rc = cmd__parse_run_flags("litmus", argc, argv, &f, err);
  if (rc == -1) return cmd__usage_of("litmus"), 0;
  if (rc) return rc;
  if (optind >= argc) return cmd__usage_error(err, "litmus", "expected at least one FILE.litmus");
  /* Without --model a test runs under its architecture's model
   * (litmus_model): arm for AArch64, tso for X86 and C. */
  const char **dflt = calloc((size_t)argc, sizeof *dflt);
  if (!dflt) return sim_errf(err, SIM_ENOMEM, "out of memory");
#define MODELS(i) (f.model ? f.model : dflt[i])
  /* Every argument is checked before anything runs or the database is
   * opened: each file parses, and each model and --set applies to each
   * file, so a typo in the last one stores nothing. */
  for (int i = optind; i < argc && !rc; i++) {
    litmus_test *t;
    if ((rc = litmus_parse_file(argv[i], &t, err))) break;
    dflt[i] = litmus_model(t);
    litmus_free(t);
    rc = for_each_model(MODELS(i), argv[i], &f, NULL, NULL, err);
  }
  if (rc) {
    free(dflt);
    return rc;
  }
  run_session *s = NULL;
  run_opts o = {.db_path = f.db, .experiment = "litmus", .out = stdout,
                .replay = f.replay, .iteration = f.iteration, .jobs = f.jobs};
  if ((rc = run_session_open(&s, &o, err))) {
    free(dflt);
    return rc;
  }
  unsigned mismatches = 0;
  sim_progress_begin();
  for (int i = optind; i < argc && !rc; i++)
    rc = for_each_model(MODELS(i), argv[i], &f, s, &mismatches, err);
#undef MODELS
  free(dflt);
  sim_progress_end();
  run_session_close(s);
  if (!rc && f.check && mismatches)
    rc = sim_errf(err, SIM_EVIOLATION, "%u observation(s) differ from their expectation",
                  mismatches);
  return rc;
}

const cmd_desc cmd_litmus_desc = {"litmus", "litmus FILE.litmus... [-j N] [--model M[,M...]] [--iterations N] [--seed N] [--set key=value]... [--db F] [--iteration K] [--check]",
     "Run litmus tests (herd7 format, X86, AArch64 or C) in the simulator, print each\n"
     "outcome histogram with herd7/litmus7's Ok/No, Witnesses and Observation\n"
     "lines, and store each test under each model as a run.\n"
     "  --model M,M     models to run, comma-separated (default: arm for AArch64\n"
     "                  tests, tso for the others)\n"
     "  other options as for mmsim run",
     cmd_litmus, "Run litmus tests in the simulator; store each test under each model."};

/* --- sweep --------------------------------------------------------------- */

static int cmd_sweep(int argc, char **argv, sim_err *err) {
  enum { O_DB = 400, O_SET, O_EMIT, O_HELP };
  static const struct option opts[] = {
      {"db", required_argument, 0, O_DB},     {"set", required_argument, 0, O_SET},
      {"jobs", required_argument, 0, 'j'},    {"emit-jobs", required_argument, 0, O_EMIT},
      {"model", required_argument, 0, 'm'},   {"iterations", required_argument, 0, 'n'},
      {"seed", required_argument, 0, 's'},    {"help", no_argument, 0, O_HELP},
      {0, 0, 0, 0}};
  const char *sets[64 + 3];
  char shorthand[3][300];   /* run's shorthands, as the --set they stand for */
  cmd_run_flags f = {0};    /* the same, to check them as run does */
  sweep_opts o = {.db_path = DEFAULT_DB, .sets = sets, .out = stdout};
  uint64_t jobs;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "j:m:n:s:", opts, NULL)) != -1) {
    switch (ch) {
    case 'm': f.model = optarg; break;
    case 'n': f.iterations = optarg; break;
    case 's': f.seed = optarg; break;
    case O_DB: o.db_path = optarg; break;
    case O_EMIT: o.emit_jobs = optarg; break;
    case O_SET:
      if (f.nsets == 64) return cmd__usage_error(err, "sweep", "more than 64 --set options");
      f.sets[f.nsets++] = optarg;
      break;
    case 'j':
      if (cmd__parse_u64("sweep", "-j", optarg, &jobs, err)) return err->code;
      if (jobs < 1 || jobs > 1024)
        return sim_errf(err, SIM_EUSAGE, "-j: %" PRIu64 " is not 1 to 1024", jobs);
      o.jobs = (unsigned)jobs;
      break;
    case O_HELP: return cmd__usage_of("sweep"), 0;
    default: return cmd__bad_option(err, "sweep", opts, argv[optind - 1]);
    }
  }
  if (optind != argc - 1) return cmd__usage_error(err, "sweep", "expected one CONFIG.json");
  cfg *check = cfg_new(); /* the shorthands' values, checked and named as typed */
  if (!check) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int nsets = f.nsets;
  f.nsets = 0; /* the --set keys are sweep's to check: it refuses swept ones */
  int rc = cmd__apply_flags(check, &f, f.model, err);
  f.nsets = nsets;
  cfg_free(check);
  if (rc) return rc;
  const char *keys[3] = {"cpu.model", "run.iterations", "run.seed"};
  const char *vals[3] = {f.model, f.iterations, f.seed};
  for (int i = 0; i < 3; i++)
    if (vals[i]) {
      snprintf(shorthand[i], sizeof shorthand[i], "%s=%s", keys[i], vals[i]);
      sets[o.nsets++] = shorthand[i];
    }
  for (int i = 0; i < f.nsets; i++) sets[o.nsets++] = f.sets[i]; /* after: --set wins, as in run */
  o.config_path = argv[optind];
  sweep_stats st;
  return sweep_main(&o, &st, err);
}

const cmd_desc cmd_sweep_desc = {"sweep", "sweep CONFIG.json [-j N] [--db F] [--model M] [--seed N] [--iterations N] [--set key=value]... [--emit-jobs FILE]",
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
     "  --model M         shorthand for --set cpu.model=M\n"
     "  --seed N          shorthand for --set run.seed=N (the first seed)\n"
     "  --iterations N    shorthand for --set run.iterations=N\n"
     "  --set key=value   override a key the grid does not sweep\n"
     "  --emit-jobs FILE  run nothing: write one `mmsim run` command per missing\n"
     "                    point to FILE, each into its own shard-K.db, for GNU\n"
     "                    parallel or a Slurm array; then mmsim merge F shard-*.db",
     cmd_sweep, "Run every point of a config's sweep grid in parallel, resumably."};
