/* nb_diag_cli.c — the diagnostics CLI over the command table. */
#include "nb_diag_cli.h"
#include "nb_diag.h"

#include <string.h>

typedef struct cli_out { FILE *out, *err; } cli_out;

/* Error lines go to stderr as "netboard diag: ...", the rest to stdout. */
static void cli_emit(void *ud, const char *line)
{
    cli_out *o = ud;
    size_t plen = strlen(NB_DIAG_ERR_PREFIX);
    if (strncmp(line, NB_DIAG_ERR_PREFIX, plen) == 0) {
        fflush(o->out);   /* keep the two streams in order on a shared terminal or pipe */
        fprintf(o->err, "netboard diag: %s\n", line + plen);
    }
    else
        fprintf(o->out, "%s\n", line);
}

void nb_diag_print_help(FILE *f)
{
    char usage[128];
    fprintf(f, "usage: netboard diag SUBCOMMAND [ARGS]\n\nsubcommands:\n");
    for (const nb_diag_cmd *c = nb_diag_commands(); c->name; c++)
        fprintf(f, "  %-36s %s\n", nb_diag_usage_line(c, usage, sizeof usage), c->summary);
    fprintf(f, "\nexit status: 0 ok, 1 the diagnostic failed (port: not open), 2 usage error\n");
}

int nb_diag_main_to(int argc, char **argv, FILE *out, FILE *errf)
{
    char usage[128];
    cli_out o = { out, errf };
    if (argc < 2) {
        nb_diag_print_help(errf);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        nb_diag_print_help(out);
        return 0;
    }
    const nb_diag_cmd *cmd = nb_diag_find(argv[1]);
    if (!cmd) {
        fprintf(errf, "netboard diag: unknown subcommand \"%s\" (netboard diag --help)\n", argv[1]);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fprintf(out, "usage: netboard diag %s\n  %s\n", nb_diag_usage_line(cmd, usage, sizeof usage),
                    cmd->summary);
            return 0;
        }
    }
    int rc = nb_diag_run(cmd, argc - 2, (const char *const *)argv + 2, cli_emit, &o);
    fflush(out);
    if (rc == NB_DIAG_USAGE) {
        fprintf(errf, "usage: netboard diag %s\n", nb_diag_usage_line(cmd, usage, sizeof usage));
        return 2;
    }
    return rc == 0 ? 0 : 1;
}

int nb_diag_main(int argc, char **argv)
{
    return nb_diag_main_to(argc, argv, stdout, stderr);
}
