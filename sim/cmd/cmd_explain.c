/* sim/cmd/cmd_explain.c -- mmsim explain: why one iteration was not SC. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../explain.h"
#include "cmd_int.h"

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int cmd_explain(int argc, char **argv, sim_err *err) {
  enum { O_SET = 300, O_ITER, O_JSON, O_HELP };
  static const struct option opts[] = {
      {"model", required_argument, 0, 'm'},      {"iterations", required_argument, 0, 'n'},
      {"seed", required_argument, 0, 's'},       {"set", required_argument, 0, O_SET},
      {"iteration", required_argument, 0, O_ITER}, {"json", no_argument, 0, O_JSON},
      {"help", no_argument, 0, O_HELP},          {0, 0, 0, 0}};
  cmd_run_flags f = {0};
  bool json = false, asked = false;
  uint64_t iteration = 0;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "m:n:s:", opts, NULL)) != -1) {
    switch (ch) {
    case 'm': f.model = optarg; break;
    case 'n': f.iterations = optarg; break;
    case 's': f.seed = optarg; break;
    case O_SET:
      if (f.nsets == 64) return cmd__usage_error(err, "explain", "more than 64 --set options");
      f.sets[f.nsets++] = optarg;
      break;
    case O_ITER:
      asked = true;
      if (cmd__parse_u64("explain", "--iteration", optarg, &iteration, err)) return err->code;
      break;
    case O_JSON: json = true; break;
    case O_HELP: return cmd__usage_of("explain"), 0;
    default: return cmd__bad_option(err, "explain", opts, argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    return cmd__usage_error(err, "explain", "expected one FILE.litmus or CONFIG.json");
  cfg *c = cfg_new();
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  const char *file = argv[optind];
  int rc = ends_with(file, ".json") ? cfg_load_file(c, file, err)
                                    : cfg_set(c, "workload.litmus", file, err);
  if (!rc) rc = cmd__apply_flags(c, &f, f.model, err);
  explain_result r = {0};
  if (!rc) rc = explain_run(c, asked, iteration, &r, err);
  if (!rc) {
    if (json) rc = explain_print_json(stdout, &r, err);
    else explain_print(stdout, &r);
  }
  explain_result_free(&r);
  cfg_free(c);
  return rc;
}

const cmd_desc cmd_explain_desc = {"explain",
     "explain FILE.litmus|CONFIG.json [--model M] [--iteration K] [--iterations N]\n"
     "       [--seed N] [--set key=value]... [--json]",
     "Say why an iteration's outcome is not SC: replay it with the cores traced,\n"
     "find the cycle of program order and communication (rf, co, fr) that no SC\n"
     "order satisfies, and name the mechanism behind each program-order pair on it\n"
     "that the machine made visible backwards: store_buffer, store_order,\n"
     "invalidate_queue or load_order, with threads, lines, values and cycles.\n"
     "Then the fix (the fence after the older access of each pair), checked by\n"
     "replaying the same iteration with it.  Litmus tests only, so far.\n"
     "  --iteration K   explain iteration K (default: the first of run.iterations\n"
     "                  whose outcome is outside the test's SC outcome set)\n"
     "  --json          the same account as one JSON object, with the trace's events\n"
     "  other options as for mmsim run (nothing is stored)",
     cmd_explain, "Say why an iteration's outcome is not SC, and which fence fixes it."};
