/* sim/cli.h -- the mmsim command line: one function per subcommand.
 * The only place that prints a sim_err and chooses an exit status. */
#ifndef MMSIM_SIM_CLI_H
#define MMSIM_SIM_CLI_H
int cli_main(int argc, char **argv);
#endif
