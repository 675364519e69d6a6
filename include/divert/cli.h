/*
 * cli.h: the command line: subcommands, options, messages, exit codes.
 */
#ifndef DIVERT_CLI_H
#define DIVERT_CLI_H

/* Run divert with the given arguments; returns the exit code (SPEC 7). */
int dv_cli_main(int argc, char **argv);

#endif
