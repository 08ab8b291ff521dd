/* sim/cmd/cmd_flags.c -- option parsing the commands share: the usage
 * error, unsigned integers, and run's flags (shorthands for config keys). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_int.h"

int cmd__usage_error(sim_err *err, const char *cmd, const char *what) {
  return sim_errf(err, SIM_EUSAGE, "%s (see mmsim %s --help)", what, cmd); /* C2 */
}

int cmd__bad_option(sim_err *err, const char *cmd, const struct option *opts, const char *arg) {
  char what[300];
  size_t n = strcspn(arg, "=");
  bool known = false;
  if (arg[0] == '-' && arg[1] == '-')
    for (const struct option *o = opts; o && o->name; o++)
      if (strlen(o->name) == n - 2 && strncmp(o->name, arg + 2, n - 2) == 0)
        known = o->has_arg != no_argument;
  if (known) snprintf(what, sizeof what, "%.*s needs a value", (int)n, arg);
  else snprintf(what, sizeof what, "unknown option %s", arg);
  return cmd__usage_error(err, cmd, what);
}

int cmd__parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out,
                     sim_err *err) {
  char *end;
  if (!s || !*s || *s == '-') goto bad;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end) goto bad;
  *out = v;
  return 0;
bad:
  (void)cmd; /* C2: the dispatcher names the command */
  return sim_errf(err, SIM_EUSAGE, "%s: \"%s\" is not a non-negative integer", opt, s ? s : "");
}

enum { OPT_DB = 256, OPT_SET, OPT_ITERATION, OPT_CHECK, OPT_HELP, OPT_EXPERIMENT, OPT_CREATED,
       OPT_PROFILE };

static const struct option run_options[] = {
    {"db", required_argument, 0, OPT_DB},
    {"set", required_argument, 0, OPT_SET},
    {"model", required_argument, 0, 'm'},
    {"iterations", required_argument, 0, 'n'},
    {"seed", required_argument, 0, 's'},
    {"jobs", required_argument, 0, 'j'},
    {"iteration", required_argument, 0, OPT_ITERATION},
    {"check", no_argument, 0, OPT_CHECK},
    {"experiment", required_argument, 0, OPT_EXPERIMENT},
    {"experiment-created", required_argument, 0, OPT_CREATED},
    {"profile", required_argument, 0, OPT_PROFILE},
    {"help", no_argument, 0, OPT_HELP},
    {0, 0, 0, 0}};

int cmd__parse_run_flags(const char *cmd, int argc, char **argv, cmd_run_flags *f,
                           sim_err *err) {
  memset(f, 0, sizeof *f);
  f->db = DEFAULT_DB;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "m:n:s:j:", run_options, NULL)) != -1) {
    switch (ch) {
    case OPT_DB: f->db = optarg; break;
    case 'm': f->model = optarg; break;
    case 'n': f->iterations = optarg; break;
    case 's': f->seed = optarg; break;
    case 'j': {
      uint64_t j = 0;
      if (cmd__parse_u64(cmd, "-j", optarg, &j, err)) return err->code;
      if (j < 1 || j > 1024)
        return sim_errf(err, SIM_EUSAGE, "-j: %llu is not 1 to 1024", (unsigned long long)j);
      f->jobs = (unsigned)j;
      break;
    }
    case OPT_SET:
      if (f->nsets == 64) return cmd__usage_error(err, cmd, "more than 64 --set options");
      f->sets[f->nsets++] = optarg;
      break;
    case OPT_ITERATION:
      f->replay = true;
      if (cmd__parse_u64(cmd, "--iteration", optarg, &f->iteration, err)) return err->code;
      break;
    case OPT_CHECK: f->check = true; break;
    case OPT_EXPERIMENT: f->experiment = optarg; break;
    case OPT_CREATED: f->created = optarg; break;
    case OPT_PROFILE: f->profile = optarg; break;
    case OPT_HELP: return -1;
    default: return cmd__bad_option(err, cmd, run_options, argv[optind - 1]);
    }
  }
  if (f->jobs && strcmp(cmd, "native") == 0) /* a native run's threads are its test's */
    return cmd__usage_error(err, cmd, "-j is for the simulator (run, litmus, calibrate)");
  if ((f->experiment || f->created) && strcmp(cmd, "run") != 0)
    return cmd__usage_error(err, cmd, "--experiment and --experiment-created are for mmsim run");
  if (f->created && !f->experiment)
    return cmd__usage_error(err, cmd, "--experiment-created needs --experiment");
  if (f->experiment && !*f->experiment)
    return cmd__usage_error(err, cmd, "--experiment: the name is empty");
  if (f->created) { /* the form SQLite's strftime writes, so merge can match it */
    int n = 0;
    unsigned y, mo, d, h, mi, se;
    if (sscanf(f->created, "%4u-%2u-%2uT%2u:%2u:%2uZ%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 ||
        n != 20 || f->created[n])
      return cmd__usage_error(err, cmd, "--experiment-created: expected YYYY-MM-DDTHH:MM:SSZ");
  }
  return 0;
}

/* cfg_set names "--set" in its messages; a shorthand's error names the
 * shorthand the user typed instead ("--model: cpu.model: ..."). */
static int set_shorthand(cfg *c, const char *opt, const char *key, const char *value,
                         sim_err *err) {
  int rc = cfg_set(c, key, value, err);
  if (rc && strncmp(err->msg, "--set", 5) == 0) {
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s%s", opt, err->msg + 5);
    snprintf(err->msg, sizeof err->msg, "%s", msg);
  }
  return rc;
}

int cmd__apply_flags(cfg *c, const cmd_run_flags *f, const char *model, sim_err *err) {
  /* The profile first: it stands under the file, the shorthands and --set. */
  if (f->profile && cfg_apply_profile(c, f->profile, err)) return err->code;
  if (model && set_shorthand(c, "--model", "cpu.model", model, err)) return err->code;
  if (f->iterations && set_shorthand(c, "--iterations", "run.iterations", f->iterations, err))
    return err->code;
  if (f->seed && set_shorthand(c, "--seed", "run.seed", f->seed, err)) return err->code;
  for (int i = 0; i < f->nsets; i++) {
    const char *eq = strchr(f->sets[i], '=');
    if (!eq) return sim_errf(err, SIM_EUSAGE, "--set %s: expected key=value", f->sets[i]);
    char key[256];
    snprintf(key, sizeof key, "%.*s", (int)(eq - f->sets[i]), f->sets[i]);
    if (cfg_set(c, key, eq + 1, err)) return err->code;
  }
  return 0;
}
