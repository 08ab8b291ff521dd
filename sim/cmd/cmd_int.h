/* sim/cmd/cmd_int.h -- what the command files of sim/cmd/ share; nothing
 * outside sim/cmd/ includes it.
 *
 * Each command family lives in its own file (cmd_sim.c, cmd_db.c,
 * cmd_plot.c, cmd_tools.c) with its help text beside its code, as one
 * cmd_desc per command; cli.c holds the table of them and dispatches.
 *
 * Invariants:
 *   C1  A command returns 0 or a sim_err code with err filled in; only
 *       cli.c prints the message and picks the exit status.
 *   C2  A command's messages do not repeat its name: cli.c prefixes
 *       "mmsim CMD: " once.
 */
#ifndef MMSIM_SIM_CMD_CMD_INT_H
#define MMSIM_SIM_CMD_CMD_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../config.h"
#include "../err.h"

#define DEFAULT_DB "results.db"

/* One subcommand: its name, usage line(s), help text, entry point (argv[0]
 * is the name) and the one sentence `mmsim --help` shows for it. */
typedef struct cmd_desc {
  const char *name, *usage, *doc;
  int (*fn)(int argc, char **argv, sim_err *err);
  const char *summary;
} cmd_desc;

/* The commands, each defined beside its code. */
extern const cmd_desc cmd_run_desc, cmd_native_desc, cmd_calibrate_desc, cmd_litmus_desc,
    cmd_sweep_desc;                                              /* cmd_sim.c */
extern const cmd_desc cmd_query_desc, cmd_runs_desc, cmd_export_desc, cmd_merge_desc,
    cmd_import_litmus7_desc;                                     /* cmd_db.c */
extern const cmd_desc cmd_plot_desc;                             /* cmd_plot.c */
extern const cmd_desc cmd_explain_desc;                          /* cmd_explain.c */
extern const cmd_desc cmd_bench_desc, cmd_test_coherence_desc, cmd_protocol_desc,
    cmd_config_desc;                                             /* cmd_tools.c */

/* Help (cli.c) */
void cmd__usage_of(const char *name); /* print the usage and help of command `name` */

/* Errors (cmd_flags.c) */
int cmd__usage_error(sim_err *err, const char *cmd, const char *what); /* SIM_EUSAGE */
/* An option getopt_long refused (arg = argv[optind - 1]): "unknown option
 * --x" or "--db needs a value", named as the user typed it. */
struct option;
int cmd__bad_option(sim_err *err, const char *cmd, const struct option *opts, const char *arg);
/* Parse an unsigned integer option; errors name the option. */
int cmd__parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out,
                   sim_err *err);

/* Options shared by run, litmus, native, calibrate: shorthands for config keys. */
typedef struct cmd_run_flags {
  const char *db, *model;
  const char *sets[64];
  int nsets;
  const char *iterations, *seed;
  const char *experiment, *created; /* run: --experiment, --experiment-created */
  const char *profile;              /* --profile: a machine profile (cfg_apply_profile) */
  bool replay, check;
  uint64_t iteration;
  unsigned jobs; /* -j: host threads per simulated run; 0: one per host CPU */
} cmd_run_flags;

/* Returns 0, an error code, or -1 for --help; optind is left at the first operand. */
int cmd__parse_run_flags(const char *cmd, int argc, char **argv, cmd_run_flags *f,
                         sim_err *err);
/* Apply the shorthands and --set overrides to c, in that order. */
int cmd__apply_flags(cfg *c, const cmd_run_flags *f, const char *model, sim_err *err);

#endif
