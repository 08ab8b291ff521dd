/* sim/cmd/cmd_tools.c -- the tools around the simulator: bench,
 * test-coherence, protocol, config. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cache/proto.h"
#include "../../cpu/model.h"
#include "../../results/db.h"
#include "../bench.h"
#include "../cohtest.h"
#include "../wallclock.h"
#include "cmd_int.h"

/* --- bench --------------------------------------------------------------- */

static int cmd_bench(int argc, char **argv, sim_err *err) {
  uint64_t reps = 5, cores = 0;
  const char *model = "tso";
  bool sweep = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) return cmd__usage_of("bench"), 0;
    if (strcmp(argv[i], "--sweep") == 0) {
      sweep = true;
      continue;
    }
    if (i + 1 < argc && strcmp(argv[i], "--model") == 0) {
      model = argv[++i];
      continue;
    }
    if (i + 1 < argc && strcmp(argv[i], "--reps") == 0) {
      if (cmd__parse_u64("bench", "--reps", argv[++i], &reps, err)) return err->code;
    } else if (i + 1 < argc && strcmp(argv[i], "--cores") == 0) {
      if (cmd__parse_u64("bench", "--cores", argv[++i], &cores, err)) return err->code;
      if (cores < 1 || cores > 64)
        return sim_errf(err, SIM_EUSAGE, "--cores: %" PRIu64 " is not 1 to 64", cores);
    } else {
      char what[300];
      snprintf(what, sizeof what, "unexpected argument %s: expected [--reps N] [--cores N] "
               "[--model M] [--sweep]", argv[i]);
      return cmd__usage_error(err, "bench", what);
    }
  }
  if (cpu_model_find(model) < 0)
    return sim_errf(err, SIM_EUSAGE, "--model: \"%s\" is not one of sc, tso, pso, weak, arm",
                    model);
  if (sweep) return bench_sweep(stdout, reps ? (unsigned)reps : 1, err);
  return bench_main(stdout, reps ? (unsigned)reps : 1, (unsigned)cores, model, err);
}

const cmd_desc cmd_bench_desc = {"bench", "bench [--reps N] [--cores N] [--model M] | bench --sweep [--reps N]",
     "Speed: simulated memory micro-ops per host second on the MESI hierarchy at\n"
     "2, 8 and 64 cores and on the ideal memory, SB iterations and witnesses per\n"
     "second on one host thread (-j 1) and on all the host CPUs; the median of N\n"
     "repetitions (default 5).\n"
     "  --cores N   only the micro-op figure, at N cores (for profiling one size)\n"
     "  --model M   the cores' memory model (default tso)\n"
     "  --sweep     instead: sweep throughput, one grid at -j1 and -j2 (runs/s, ratio)",
     cmd_bench, "Measure the simulator's speed: micro-ops and SB iterations per second."};

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
  cmd_run_flags f;
  memset(&f, 0, sizeof f);
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (ch == O_HELP) {
      cmd__usage_of(cmd);
      return 0;
    }
    if (ch == O_SET) {
      if (f.nsets == 64) return cmd__usage_error(err, cmd, "more than 64 --set options");
      f.sets[f.nsets++] = optarg;
    } else if (ch >= O_CORES && ch < O_SET) {
      val[ch - O_CORES] = optarg;
    } else {
      return cmd__bad_option(err, cmd, opts, argv[optind - 1]);
    }
  }
  if (optind < argc - 1) return cmd__usage_error(err, cmd, "expected at most one CONFIG.json");
  cfg *c = cfg_new();
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  int rc = 0;
  if ((optind == argc - 1 && (rc = cfg_load_file(c, argv[optind], err))) ||
      (rc = cmd__apply_flags(c, &f, NULL, err)))
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
    if ((rc = cmd__parse_u64(cmd, names[i], val[i], &v[i], err))) goto done;
    if (i != O_OPS - O_CORES && i != O_SEED - O_CORES && i != O_STRIDE - O_CORES &&
        i != O_DELAY - O_CORES && i != O_DEADLOCK - O_CORES && v[i] > 1000000) {
      rc = sim_errf(err, SIM_EUSAGE, "%s: %" PRIu64 " is too large", names[i], v[i]);
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
    rc = cmd__usage_error(err, cmd, "--seeds must be at least 1 and seed + seeds must not overflow");
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

const cmd_desc cmd_test_coherence_desc = {"test-coherence",
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
     cmd_test_coherence, "Check the memory system with the random coherence tester."};

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
    if (strcmp(argv[i], "--help") == 0) return cmd__usage_of("protocol"), 0;
    if (i + 1 < argc && strcmp(argv[i], "--db") == 0) {
      path = argv[++i];
    } else if (i + 1 < argc && strcmp(argv[i], "--run") == 0) {
      if (cmd__parse_u64("protocol", "--run", argv[++i], &run, err)) return err->code;
      have_run = true;
    } else {
      char what[300];
      snprintf(what, sizeof what, "unexpected argument %s: expected [--run ID [--db F]]", argv[i]);
      return cmd__usage_error(err, "protocol", what);
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

const cmd_desc cmd_protocol_desc = {"protocol", "protocol [--run ID [--db F]]",
     "The MESI controllers' state x event tables, printed from the arrays the\n"
     "simulator runs: one line per possible cell (next state and actions).\n"
     "  --run ID   also show how often each cell fired in that stored run\n"
     "  --db F     the database holding the run (default " DEFAULT_DB ")",
     cmd_protocol, "Print the MESI controllers' state x event tables."};

/* --- config -------------------------------------------------------------- */

static int cmd_config(int argc, char **argv, sim_err *err) {
  if (argc == 2 && strcmp(argv[1], "--defaults") == 0) {
    cfg_print_defaults(stdout);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "--help") == 0) return cmd__usage_of("config"), 0;
  if (argc != 2) return cmd__usage_error(err, "config", "expected --defaults or CONFIG.json");
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

const cmd_desc cmd_config_desc = {"config", "config --defaults | config CONFIG.json",
     "--defaults: every config key with its type, range, default and doc.\n"
     "CONFIG.json: the file validated and resolved, with its hash.",
     cmd_config, "Print every config key with its default, or a config file resolved."};
