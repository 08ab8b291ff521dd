/* sim/cmd/cmd_explain.c -- mmsim explain: why one iteration was not SC. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../../results/db.h"
#include "../explain.h"
#include "cmd_int.h"

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The resolved config of a stored run, less what a config may not set
 * (workload.litmus_hash: computed again from the file, which may have
 * changed since; explain_run says so by the hash). */
static int stored_config(cfg *c, const char *db_path, uint64_t run, char **old_hash,
                         sim_err *err) {
  db *d;
  char *json = NULL;
  int rc = db_open_readonly(db_path, &d, err);
  if (rc) return rc;
  rc = db_run_config(d, (int64_t)run, &json, err);
  db_close(d);
  if (rc) return rc;
  cJSON *j = cJSON_Parse(json), *w = j ? cJSON_GetObjectItem(j, "workload") : NULL;
  cJSON *h = w ? cJSON_DetachItemFromObject(w, "litmus_hash") : NULL;
  char *text = j ? cJSON_PrintUnformatted(j) : NULL;
  if (cJSON_IsString(h)) *old_hash = strdup(h->valuestring);
  cJSON_Delete(h);
  cJSON_Delete(j);
  free(json);
  if (!text) return sim_errf(err, SIM_EDB, "%s: run %llu: its stored config is not JSON", db_path,
                             (unsigned long long)run);
  char name[600];
  snprintf(name, sizeof name, "%s run %llu", db_path, (unsigned long long)run);
  rc = cfg_load_string(c, name, text, err);
  free(text);
  return rc;
}

static int cmd_explain(int argc, char **argv, sim_err *err) {
  enum { O_SET = 300, O_ITER, O_JSON, O_HELP, O_DB, O_RUN };
  static const struct option opts[] = {
      {"model", required_argument, 0, 'm'},      {"iterations", required_argument, 0, 'n'},
      {"seed", required_argument, 0, 's'},       {"set", required_argument, 0, O_SET},
      {"iteration", required_argument, 0, O_ITER}, {"json", no_argument, 0, O_JSON},
      {"db", required_argument, 0, O_DB},        {"run", required_argument, 0, O_RUN},
      {"help", no_argument, 0, O_HELP},          {0, 0, 0, 0}};
  const char *db_path = NULL;
  uint64_t run = 0;
  bool have_run = false;
  cmd_run_flags f = {0};
  bool json = false, asked = false;
  uint64_t iteration = 0;
  optind = 1;
  opterr = 0;
  int ch;
  const char *figure = NULL;
  while ((ch = getopt_long(argc, argv, "m:n:s:o:", opts, NULL)) != -1) {
    switch (ch) {
    case 'o': figure = optarg; break;
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
    case O_DB: db_path = optarg; break;
    case O_RUN:
      have_run = true;
      if (cmd__parse_u64("explain", "--run", optarg, &run, err)) return err->code;
      break;
    case O_HELP: return cmd__usage_of("explain"), 0;
    default: return cmd__bad_option(err, "explain", opts, argv[optind - 1]);
    }
  }
  if (have_run != (db_path != NULL))
    return cmd__usage_error(err, "explain", "--db DB and --run ID go together");
  if (have_run ? optind != argc : optind != argc - 1)
    return cmd__usage_error(err, "explain", "expected one FILE.litmus or CONFIG.json, or --db DB "
                                            "--run ID");
  cfg *c = cfg_new();
  if (!c) return sim_errf(err, SIM_ENOMEM, "out of memory");
  char *old_hash = NULL;
  int rc;
  if (have_run) {
    rc = stored_config(c, db_path, run, &old_hash, err);
  } else {
    const char *file = argv[optind];
    rc = ends_with(file, ".json") ? cfg_load_file(c, file, err)
                                  : cfg_set(c, "workload.litmus", file, err);
  }
  /* A litmus test without --model: its architecture's (litmus_model). */
  litmus_test *t = NULL;
  if (!rc && !f.model && !have_run && !ends_with(argv[optind], ".json") &&
      litmus_parse_file(argv[optind], &t, &(sim_err){0, ""}) == 0)
    f.model = litmus_model(t);
  if (!rc) rc = cmd__apply_flags(c, &f, f.model, err);
  litmus_free(t);
  if (!rc && old_hash && *old_hash && strcmp(old_hash, cfg_str(c, CK_WORKLOAD_LITMUS_HASH)) != 0)
    fprintf(stderr, "mmsim explain: warning: %s changed since run %llu was stored; explaining it "
                    "as it is now\n", cfg_str(c, CK_WORKLOAD_LITMUS), (unsigned long long)run);
  free(old_hash);
  explain_result r = {0};
  if (!rc) rc = explain_run(c, asked, iteration, &r, err);
  if (!rc) {
    if (json) rc = explain_print_json(stdout, &r, err);
    else explain_print(stdout, &r);
    if (!rc && figure && r.found && (!r.x.sc || r.x.nmech)) {
      rc = explain_timeline(&r, figure, err);
      if (!rc && !json) printf("Wrote %s (data and gnuplot script beside it)\n", figure);
    }
  }
  explain_result_free(&r);
  cfg_free(c);
  return rc;
}

const cmd_desc cmd_explain_desc = {"explain",
     "explain FILE.litmus|CONFIG.json [--model M] [--iteration K] [--iterations N]\n"
     "       [--seed N] [--set key=value]... [--json] [-o TIMELINE.png|.svg]\n"
     "       mmsim explain --db DB --run ID [--iteration K] [--json] [-o TIMELINE.png|.svg]",
     "Say why an iteration's outcome is not SC: replay it with the cores traced,\n"
     "find the cycle of program order and communication (rf, co, fr) that no SC\n"
     "order satisfies, and name the mechanism behind each program-order pair on it\n"
     "that the machine made visible backwards: store_buffer, store_order,\n"
     "invalidate_queue or load_order, with threads, lines, values and cycles.\n"
     "For a map scenario (a CONFIG.json with workload.kind map), the anomalous\n"
     "iteration, in map operations and fields, and also torn_access (a split\n"
     "load read two stores) and rmw_interleaving (a plain read-modify-write\n"
     "overwrote another thread's store).  Then the fix -- the fence after the\n"
     "older access of each pair, or the cheapest map variant that removes every\n"
     "mechanism -- checked by replaying the same iteration with it.\n"
     "  --iteration K   explain iteration K (default: the first of run.iterations\n"
     "                  whose outcome is outside the test's SC outcome set, or\n"
     "                  for a map scenario has an anomaly)\n"
     "  --json          the same account as one JSON object, with the trace's events\n"
     "  --db DB --run ID  the stored run's resolved config (its seed, model, timing)\n"
     "  -o OUT          a timeline of the iteration through gnuplot: a lane per core,\n"
     "                  stores in the store buffer as bars, loads as points (the one\n"
     "                  blamed circled), mechanism windows shaded, values passing\n"
     "                  between cores as arrows; .dat and .gp beside it\n"
     "  other options as for mmsim run (nothing is stored)",
     cmd_explain, "Say why an iteration's outcome is not SC, and which fence fixes it."};
