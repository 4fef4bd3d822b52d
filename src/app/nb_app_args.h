/* nb_app_args.h — the desktop app's command line, parsed into a plain options struct.
 * Pure (no SDL): tested directly. */
#ifndef NB_APP_ARGS_H
#define NB_APP_ARGS_H

#include "nb_common.h"

#define NB_APP_MAX_DRAGS 8
#define NB_DEFAULT_PORT 49001

typedef struct nb_drag { float x1, y1, x2, y2; } nb_drag;  /* fractions of the board, 0..1 */

typedef struct nb_app_opts {
    char join_host[256];       /* empty: host a local board and join it */
    int port;                  /* port to host on / to join (default 49001) */
    char name[33];             /* display name; empty: $USER */
    char board_name[65];
    int no_announce;
    int overlay;               /* start with the diagnostics overlay (F3) on */
    uint32_t color;            /* pen colour 0xRRGGBBAA; 0: from settings */
    int pen_width;             /* 1/1000 of the board height; 0: from settings */
    int fullscreen;
    int width, height;         /* initial window size; 0: from settings or 1280x720 */
    /* test hooks: scripted input and a screenshot after N frames */
    char screenshot[512];
    int frames;                /* quit after this many frames (0: run until closed) */
    nb_drag drags[NB_APP_MAX_DRAGS];
    int n_drags;
    char tab[32];              /* tab selected at start */
    char chat[256];            /* chat line sent once connected */
    char diag[256];            /* diagnostic run at start, e.g. "port localhost 49001" */
    int show_help, show_version;
} nb_app_opts;

/* Parses argv (argv[0] is the program). Returns 0, or -1 with a message in err. */
int nb_app_parse_args(int argc, char **argv, nb_app_opts *o, char *err);
void nb_app_print_usage(void);

/* "host", "host:port", "[v6]:port", "v6" → host and port (port left as is when absent).
 * Returns 0 or -1 with err. */
int nb_app_split_hostport(const char *text, char *host, size_t cap, int *port, char *err);

#endif
