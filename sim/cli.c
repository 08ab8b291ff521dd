/* sim/cli.c -- placeholder until the CLI lands. */
#include "cli.h"
#include <stdio.h>
int cli_main(int argc, char **argv) { (void)argc; (void)argv; puts("mmsim"); return 0; }
