/* nb_serve.h — `netboard serve`: the headless relay's command line, signal handling and
 * periodic status log around nb_server. Owns nothing once it returns. */
#ifndef NB_SERVE_H
#define NB_SERVE_H

#include "nb_server.h"

/* argv[0] == "serve". Runs until SIGINT/SIGTERM; returns the exit status (0, 1 when the
 * server can't start, 2 for bad arguments). */
int nb_serve_main(int argc, char **argv);

/* Parses the serve arguments into opts (name/bind point into argv). Returns 0, 1 for
 * --help (usage printed to stdout), or -1 with err filled. Exposed for tests. */
int nb_serve_parse(int argc, char **argv, nb_server_opts *opts, char *err);

/* The status line logged every 10 s, into out[cap]. */
void nb_serve_format_status(const nb_server_status *st, char *out, size_t cap);

#endif
