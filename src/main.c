/* main.c — one binary, three faces: the desktop app (default), the headless relay
 * server (`netboard serve`) and the diagnostics CLI (`netboard diag`). */
#include <stdio.h>
#include <string.h>

#include "nb_app.h"
#include "nb_diag_cli.h"
#include "nb_serve.h"

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "serve") == 0) return nb_serve_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "diag") == 0) return nb_diag_main(argc - 1, argv + 1);
    return nb_app_main(argc, argv);
}
