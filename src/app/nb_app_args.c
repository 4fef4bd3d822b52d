/* nb_app_args.c — command-line parsing for the desktop app; see nb_app_args.h. */
#include "nb_app_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

int nb_app_split_hostport(const char *text, char *host, size_t cap, int *port, char *err)
{
    const char *colon = strrchr(text, ':');
    const char *host_start = text;
    size_t host_len;
    if (!*text) {
        nb_set_error(err, "empty address");
        return -1;
    }
    if (text[0] == '[') {                      /* [v6] or [v6]:port */
        const char *close = strchr(text, ']');
        if (!close) {
            nb_set_error(err, "'%s': missing ']'", text);
            return -1;
        }
        host_start = text + 1;
        host_len = (size_t)(close - host_start);
        colon = close[1] == ':' ? close + 1 : NULL;
        if (close[1] && !colon) {
            nb_set_error(err, "'%s': unexpected text after ']'", text);
            return -1;
        }
    } else if (colon && strchr(text, ':') != colon) {
        host_len = strlen(text);               /* bare IPv6 address: no port */
        colon = NULL;
    } else {
        host_len = colon ? (size_t)(colon - text) : strlen(text);
    }
    if (host_len == 0 || host_len >= cap) {
        nb_set_error(err, "'%s': bad host", text);
        return -1;
    }
    memcpy(host, host_start, host_len);
    host[host_len] = '\0';
    if (colon && parse_int(colon + 1, 1, 65535, port) < 0) {
        nb_set_error(err, "'%s': port must be 1..65535", text);
        return -1;
    }
    return 0;
}

static int parse_drag(const char *s, nb_drag *d)
{
    char extra;
    if (sscanf(s, "%f,%f,%f,%f%c", &d->x1, &d->y1, &d->x2, &d->y2, &extra) != 4) return -1;
    float v[4] = { d->x1, d->y1, d->x2, d->y2 };
    for (int i = 0; i < 4; i++)
        if (!(v[i] >= 0.0f && v[i] <= 1.0f)) return -1;
    return 0;
}

void nb_app_print_usage(void)
{
    printf("usage: netboard [options]            host a board on this machine and join it\n"
           "       netboard --join HOST[:PORT]   join a board hosted elsewhere\n"
           "       netboard serve [options]      headless relay server (netboard serve --help)\n"
           "       netboard diag SUBCOMMAND      network diagnostics (netboard diag --help)\n"
           "\n"
           "options:\n"
           "  --join HOST[:PORT]   join the board at HOST (default port %d)\n"
           "  --port N             port to host on, or to join (default %d)\n"
           "  --name NAME          your display name (default: $USER)\n"
           "  --board NAME         name of the board you host\n"
           "  --no-announce        do not announce the hosted board on the LAN\n"
           "  --fullscreen         start in presenter mode (F11 toggles)\n"
           "  --overlay            start with the network overlay shown (F3 toggles)\n"
           "  --size WxH           initial window size\n"
           "  --screenshot FILE    save a PNG of the window after --frames frames, then quit\n"
           "  --frames N           quit after N frames\n"
           "  --color RRGGBB       pen colour;  --width N  pen width (1..40, 1/1000 of the height)\n"
           "  --drag X1,Y1,X2,Y2   scripted mouse drag in board fractions 0..1 (repeatable)\n"
           "  --tab NAME           open the panel on tab NAME (board, chat, server, client, diag)\n"
           "  --chat TEXT          send TEXT as chat once connected\n"
           "  --diag \"CMD ARGS\"    run a diagnostic at start (see netboard diag --help)\n"
           "  --help, --version\n",
           NB_DEFAULT_PORT, NB_DEFAULT_PORT);
}

int nb_app_parse_args(int argc, char **argv, nb_app_opts *o, char *err)
{
    memset(o, 0, sizeof *o);
    o->port = NB_DEFAULT_PORT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            o->show_help = 1;
            takes = 0;
        } else if (!strcmp(a, "--version")) {
            o->show_version = 1;
            takes = 0;
        } else if (!strcmp(a, "--no-announce")) {
            o->no_announce = 1;
            takes = 0;
        } else if (!strcmp(a, "--overlay")) {
            o->overlay = 1;
            takes = 0;
        } else if (!strcmp(a, "--fullscreen")) {
            o->fullscreen = 1;
            takes = 0;
        } else if (!strcmp(a, "--host")) {
            o->join_host[0] = '\0';
            takes = 0;
        } else if (!v) {
            nb_set_error(err, "%s needs a value (netboard --help)", a);
            return -1;
        } else if (!strcmp(a, "--join")) {
            if (nb_app_split_hostport(v, o->join_host, sizeof o->join_host, &o->port, err) < 0)
                return -1;
        } else if (!strcmp(a, "--port")) {
            if (parse_int(v, 1, 65535, &o->port) < 0) {
                nb_set_error(err, "--port '%s': must be 1..65535", v);
                return -1;
            }
        } else if (!strcmp(a, "--name") || !strcmp(a, "--board")) {
            char *dst = a[2] == 'n' ? o->name : o->board_name;
            size_t cap = a[2] == 'n' ? sizeof o->name : sizeof o->board_name;
            if (strlen(v) >= cap) {
                nb_set_error(err, "%s: at most %zu bytes", a, cap - 1);
                return -1;
            }
            nb_strlcpy(dst, v, cap);
        } else if (!strcmp(a, "--size")) {
            char extra;
            if (sscanf(v, "%dx%d%c", &o->width, &o->height, &extra) != 2 || o->width < 320 ||
                o->height < 240 || o->width > 16384 || o->height > 16384) {
                nb_set_error(err, "--size '%s': expected WxH, at least 320x240", v);
                return -1;
            }
        } else if (!strcmp(a, "--screenshot")) {
            nb_strlcpy(o->screenshot, v, sizeof o->screenshot);
            if (!o->frames) o->frames = 30;
        } else if (!strcmp(a, "--frames")) {
            if (parse_int(v, 1, 1000000, &o->frames) < 0) {
                nb_set_error(err, "--frames '%s': must be a positive number", v);
                return -1;
            }
        } else if (!strcmp(a, "--color")) {
            char *end;
            const char *hex = v[0] == '#' ? v + 1 : v;
            unsigned long c = strtoul(hex, &end, 16);
            if (strlen(hex) != 6 || *end) {
                nb_set_error(err, "--color '%s': expected RRGGBB", v);
                return -1;
            }
            o->color = ((uint32_t)c << 8) | 0xFFu;
        } else if (!strcmp(a, "--width")) {
            if (parse_int(v, 1, 40, &o->pen_width) < 0) {
                nb_set_error(err, "--width '%s': must be 1..40", v);
                return -1;
            }
        } else if (!strcmp(a, "--drag")) {
            if (o->n_drags == NB_APP_MAX_DRAGS || parse_drag(v, &o->drags[o->n_drags]) < 0) {
                nb_set_error(err, "--drag '%s': expected X1,Y1,X2,Y2 in 0..1 (at most %d)", v,
                             NB_APP_MAX_DRAGS);
                return -1;
            }
            o->n_drags++;
        } else if (!strcmp(a, "--tab")) {
            nb_strlcpy(o->tab, v, sizeof o->tab);
        } else if (!strcmp(a, "--chat")) {
            nb_strlcpy(o->chat, v, sizeof o->chat);
        } else if (!strcmp(a, "--diag")) {
            nb_strlcpy(o->diag, v, sizeof o->diag);
        } else {
            nb_set_error(err, "unknown option '%s' (netboard --help)", a);
            return -1;
        }
        i += takes;
    }
    return 0;
}
