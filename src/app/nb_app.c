/* nb_app.c — placeholder while the layers land. */
#include "nb_app.h"
#include "nb_app_args.h"

#include <stdio.h>

int nb_app_main(int argc, char **argv)
{
    nb_app_opts o;
    char err[NB_ERR_LEN];
    if (nb_app_parse_args(argc, argv, &o, err) < 0) {
        fprintf(stderr, "netboard: %s\n", err);
        return 2;
    }
    return 0;
}
