/* sim/main.c -- the mmsim program: hands argv to the CLI. */
#include "cmd/cli.h"

int main(int argc, char **argv) { return cli_main(argc, argv); }
