/* sim/cmd/cli.c -- the mmsim command line: the table of subcommands.
 *
 * The only place that prints a sim_err and picks the exit status (err.h maps
 * each code to one: 2 for bad input, 1 for I/O and database failures, 3 for
 * a violated invariant).  Every command parses its own options and keeps its
 * help text beside its code (sim/cmd/cmd_*.c), so `mmsim CMD --help`
 * documents exactly what CMD takes.  Here, for every command alike:
 *   - `-h` or `--help` anywhere, and `mmsim help CMD`, print CMD's help;
 *   - messages get the one prefix "mmsim CMD: " (C2 of cmd_int.h);
 *   - a standard output that could not be written (a full disk, /dev/full)
 *     is an I/O error, exit 1, even when the command itself succeeded:
 *     stdout is buffered, so only the final fflush sees the failure.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../version.h"
#include "cmd_int.h"

/* The order of `mmsim --help`. */
static const cmd_desc *const commands[] = {
    &cmd_run_desc,   &cmd_sweep_desc,    &cmd_litmus_desc,         &cmd_explain_desc,
    &cmd_config_desc,
    &cmd_query_desc, &cmd_runs_desc,     &cmd_export_desc,         &cmd_plot_desc,
    &cmd_bench_desc, &cmd_native_desc,   &cmd_calibrate_desc,      &cmd_test_coherence_desc,
    &cmd_merge_desc, &cmd_import_litmus7_desc, &cmd_protocol_desc, NULL};

static const cmd_desc *find(const char *name) {
  for (const cmd_desc *const *c = commands; *c; c++)
    if (strcmp((*c)->name, name) == 0) return *c;
  return NULL;
}

static void print_usage(const cmd_desc *c) {
  printf("usage: mmsim %s\n\n%s\n", c->usage, c->doc);
}

void cmd__usage_of(const char *name) {
  const cmd_desc *c = find(name);
  if (c) print_usage(c);
}

static void print_help(void) {
  int w = 0;
  for (const cmd_desc *const *c = commands; *c; c++)
    if ((int)strlen((*c)->name) > w) w = (int)strlen((*c)->name);
  printf("mmsim -- a discrete-event simulator of multi-core caches and memory models\n\n"
         "usage: mmsim COMMAND [ARGS]   (mmsim help COMMAND, or COMMAND --help, for its "
         "options)\n\n");
  for (const cmd_desc *const *c = commands; *c; c++)
    printf("  %-*s  %s\n", w, (*c)->name, (*c)->summary);
  printf("  %-*s  %s\n", w, "help", "Print this list, or with a COMMAND its options.");
  printf("  %-*s  %s\n", w, "version", "Print the mmsim version (git describe at build time).");
}

/* Flush stdout and turn a failed write into the command's error. */
static int finish(const char *name, int rc, sim_err *err) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    int e = errno;
    if (!rc) rc = sim_errf(err, SIM_EIO, "writing standard output failed: %s", strerror(e));
  }
  if (rc) {
    fprintf(stderr, "mmsim%s%s: %s\n", name ? " " : "", name ? name : "",
            err->msg[0] ? err->msg : sim_code_text(rc));
    return sim_code_exit(rc);
  }
  return 0;
}

static bool is_help(const char *a) { return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0; }

int cli_main(int argc, char **argv) {
  sim_err err = {0, ""};
  if (argc < 2) {
    print_help();
    return 2;
  }
  const char *a = argv[1];
  if (is_help(a) || (strcmp(a, "help") == 0 && argc == 2)) {
    print_help();
    return finish(NULL, 0, &err);
  }
  if (strcmp(a, "--version") == 0 || strcmp(a, "version") == 0) {
    printf("mmsim %s\n", sim_version());
    return finish(NULL, 0, &err);
  }
  if (strcmp(a, "help") == 0) {
    const cmd_desc *c = find(argv[2]);
    if (!c) {
      fprintf(stderr, "mmsim help: unknown command \"%s\" (mmsim --help lists them)\n", argv[2]);
      return 2;
    }
    print_usage(c);
    return finish("help", 0, &err);
  }
  const cmd_desc *c = find(a);
  if (!c) {
    fprintf(stderr, "mmsim: unknown command \"%s\" (mmsim --help lists them)\n", a);
    return 2;
  }
  for (int i = 2; i < argc; i++)
    if (is_help(argv[i])) {
      print_usage(c);
      return finish(c->name, 0, &err);
    }
  return finish(c->name, c->fn(argc - 1, argv + 1, &err), &err);
}
