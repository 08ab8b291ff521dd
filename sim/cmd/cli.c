/* sim/cmd/cli.c -- the mmsim command line: the table of subcommands.
 *
 * The only place that prints a sim_err and picks the exit status (err.h maps
 * each code to one: 2 for bad input, 1 for I/O and database failures, 3 for
 * a violated invariant).  Every command parses its own options and keeps its
 * help text beside its code (sim/cmd/cmd_*.c), so `mmsim CMD --help`
 * documents exactly what CMD takes.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "cmd_int.h"

/* The order of `mmsim --help`. */
static const cmd_desc *const commands[] = {
    &cmd_run_desc,    &cmd_sweep_desc,    &cmd_litmus_desc,    &cmd_config_desc,
    &cmd_query_desc,  &cmd_runs_desc,     &cmd_export_desc,    &cmd_plot_desc,
    &cmd_bench_desc,  &cmd_native_desc,   &cmd_calibrate_desc, &cmd_test_coherence_desc,
    &cmd_merge_desc,  &cmd_import_litmus7_desc, &cmd_protocol_desc, NULL};

static void print_usage(const cmd_desc *c) {
  printf("usage: mmsim %s\n\n%s\n", c->usage, c->doc);
}

/* Print the usage of the command called `name` (by name: the table's order
 * is free to change). */
void cmd__usage_of(const char *name) {
  for (const cmd_desc *const *c = commands; *c; c++)
    if (strcmp((*c)->name, name) == 0) print_usage(*c);
}

static void print_help(void) {
  printf("mmsim -- a discrete-event simulator of multi-core caches and memory models\n\n"
         "usage: mmsim COMMAND [ARGS]   (mmsim COMMAND --help for its options)\n\n");
  for (const cmd_desc *const *c = commands; *c; c++) {
    const char *doc = (*c)->doc, *nl = strchr(doc, '\n');
    printf("  %-8s %.*s\n", (*c)->name, nl ? (int)(nl - doc) : (int)strlen(doc), doc);
  }
}

int cli_main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    print_help();
    return argc < 2 ? 2 : 0;
  }
  sim_err err = {0, ""};
  for (const cmd_desc *const *c = commands; *c; c++) {
    if (strcmp(argv[1], (*c)->name) != 0) continue;
    int rc = (*c)->fn(argc - 1, argv + 1, &err);
    if (rc) {
      fprintf(stderr, "mmsim %s: %s\n", (*c)->name, err.msg[0] ? err.msg : sim_code_text(rc));
      return sim_code_exit(rc);
    }
    return 0;
  }
  fprintf(stderr, "mmsim: unknown command \"%s\" (mmsim --help lists them)\n", argv[1]);
  return 2;
}
