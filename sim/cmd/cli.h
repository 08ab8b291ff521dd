/* sim/cmd/cli.h -- the mmsim command line: the table of subcommands and the
 * dispatcher (the commands themselves live in sim/cmd/cmd_*.c).
 * The only place that prints a sim_err and chooses an exit status. */
#ifndef MMSIM_SIM_CMD_CLI_H
#define MMSIM_SIM_CMD_CLI_H
int cli_main(int argc, char **argv);
#endif
