/* sim/cmd/cmd_plot.c -- mmsim plot: figures from a results database. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../../plots/plot.h"
#include "cmd_int.h"

/* --- plot ---------------------------------------------------------------- */

static int cmd_plot(int argc, char **argv, sim_err *err) {
  static const struct option opts[] = {
      {"x", required_argument, 0, 'x'},     {"y", required_argument, 0, 'y'},
      {"by", required_argument, 0, 'b'},    {"where", required_argument, 0, 'w'},
      {"title", required_argument, 0, 't'}, {"histogram", required_argument, 0, 'H'},
      {"calibration", required_argument, 0, 'C'}, {"db", required_argument, 0, 'D'},
      {"experiment", required_argument, 0, 'E'}, {"pool", no_argument, 0, 'P'},
      {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
  plot_opts o = {0};
  const char *hist_run = NULL, *cal_exp = NULL, *db_flag = NULL;
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
    case 'D': db_flag = optarg; break;
    case 'E': o.experiment = optarg; break;
    case 'P': o.pool = 1; break;
    case 'h': return cmd__usage_of("plot"), 0;
    default: return cmd__bad_option(err, "plot", opts, argv[optind - 1]);
    }
  }
  if (db_flag && optind == argc) o.db_path = db_flag; /* --db DB or the operand, once */
  else if (!db_flag && optind == argc - 1) o.db_path = argv[optind];
  else return cmd__usage_error(err, "plot", "expected one DB (operand or --db DB)");
  if (!o.out) return cmd__usage_error(err, "plot", "expected -o OUT.png or OUT.svg");
  int rc;
  if (cal_exp) {
    uint64_t id;
    if ((rc = cmd__parse_u64("plot", "--calibration", cal_exp, &id, err))) return rc;
    rc = plot_calibration(o.db_path, (long long)id, o.out, err);
  } else if (hist_run) { /* all digits: a run id; else a test name */
    uint64_t id;
    if (hist_run[strspn(hist_run, "0123456789")] != '\0') {
      if (o.x || o.y) return cmd__usage_error(err, "plot", "--histogram TEST takes no --x or --y");
      rc = plot_outcomes(&o, hist_run, err);
    } else if (o.by || o.where || o.x || o.y || o.experiment || o.pool) {
      return cmd__usage_error(err, "plot", "--histogram RUN_ID draws one run: no --x, --y, --by, "
                                           "--where, --experiment or --pool");
    } else if (!(rc = cmd__parse_u64("plot", "--histogram", hist_run, &id, err))) {
      rc = plot_histogram(o.db_path, (long long)id, o.out, err);
    }
  } else {
    if (!o.x || !o.y) return cmd__usage_error(err, "plot", "expected --x PARAM and --y METRIC");
    rc = plot_metric(&o, err);
  }
  if (!rc) printf("Wrote %s (data and gnuplot script beside it)\n", o.out);
  return rc;
}

const cmd_desc cmd_plot_desc = {"plot", "plot DB --x PARAM|METRIC --y METRIC [--by PARAM[,PARAM]] [--where COND]\n"
             "           [--experiment NAME] [--pool] [--title T] -o OUT.png|.svg\n"
             "       mmsim plot DB --histogram TEST [--by PARAM[,PARAM]] [--where COND]\n"
             "           [--experiment NAME] [--pool] [--title T] -o OUT.png|.svg\n"
             "       mmsim plot DB --histogram RUN_ID -o OUT.png|.svg\n"
             "       mmsim plot DB --calibration EXPERIMENT_ID -o OUT.png|.svg",
     "Draw a figure with gnuplot.  PARAM is a config key (cpu.model, net.jitter, ...)\n"
     "or workload, model, engine; METRIC is a metrics key or anomaly_rate,\n"
     "forbidden_rate, anomaly_rate.KIND, or cause.MECHANISM (runs with\n"
     "run.causes: non-SC iterations by mechanism, as mmsim explain names them;\n"
     "a comma-separated list of them draws one series each, without --by);\n"
     "rates are per iteration with Wilson 95% error bars.\n"
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
     "  --experiment NAME only runs of the experiments of that name (a sweep's\n"
     "                   name, or litmus, run, native: see mmsim query DB\n"
     "                   \"SELECT id, name FROM experiments\")\n"
     "  --pool           pool runs whose configs differ in more than the seed;\n"
     "                   without it such a figure is refused (exit 2) naming the\n"
     "                   keys, as a point should only pool repeats of one config.\n"
     "                   Identical runs (same config hash and seed) count once\n"
     "  --db DB          the database, instead of the DB operand\n"
     "The .dat and .gp files are written beside OUT.",
     cmd_plot, "Draw a figure from a database with gnuplot."};
