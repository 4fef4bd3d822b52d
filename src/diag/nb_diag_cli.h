/* nb_diag_cli.h — `netboard diag SUBCOMMAND ...`: runs one diagnostic from the command
 * table, lines to stdout, error lines to stderr. Owns nothing. */
#ifndef NB_DIAG_CLI_H
#define NB_DIAG_CLI_H

#include <stdio.h>

/* argv[0] is "diag". Exit status: 0 done, 1 the diagnostic failed, 2 usage error. */
int nb_diag_main(int argc, char **argv);

/* The same, writing to the given streams (tests capture them with tmpfile()). */
int nb_diag_main_to(int argc, char **argv, FILE *out, FILE *errf);

/* The --help text. */
void nb_diag_print_help(FILE *f);

#endif
