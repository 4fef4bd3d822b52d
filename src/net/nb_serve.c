/* nb_serve.c — `netboard serve [--port N] [--bind ADDR] [--name NAME] [--max-clients N]
 * [--journal FILE]`:
 * starts the relay, logs a status line every 10 s, stops cleanly on SIGINT/SIGTERM. The
 * signal handler only writes one byte into a self-pipe; the main thread waits on it. */
#include "nb_serve.h"
#include "nb_discover.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nb_log.h"

#define STATUS_EVERY_MS 10000

static const char usage[] =
    "usage: netboard serve [--port N] [--bind ADDR] [--name NAME] [--max-clients N]\n"
    "                      [--journal FILE] [--peer-timeout-ms MS] [--flush-delay-us US]\n"
    "                      [--no-announce]\n"
    "  --port N          TCP port (default 49001)\n"
    "  --bind ADDR       address to listen on (default \"::\", IPv4 and IPv6)\n"
    "  --name NAME       board name shown to clients (default \"netboard\")\n"
    "  --max-clients N   joined peers at once, 1..4096 (default 64)\n"
    "  --journal FILE    keep the board in FILE: every change is appended (synced within\n"
    "                    50 ms) and replayed on start, so a crash or restart loses nothing\n"
    "  --peer-timeout-ms MS  drop a peer that vanished without closing (keepalive +\n"
    "                    TCP_USER_TIMEOUT) after about MS, 1000..600000 (default 20000)\n"
    "  --flush-delay-us US  hold a peer's live frames up to US microseconds so one write\n"
    "                    carries several (default 500; -1 sends at once)\n"
    "  --no-announce     do not announce the board on the LAN (UDP multicast)\n";

static int sig_pipe[2] = { -1, -1 };
/* --no-announce: kept beside the server options because LAN discovery is not the
 * relay's business; serve runs once per process. */
static int serve_announce = 1;

static void on_signal(int sig)
{
    int saved = errno;   /* async-signal-safe: one write, errno preserved */
    unsigned char b = (unsigned char)sig;
    if (write(sig_pipe[1], &b, 1) < 0) { /* pipe full: a stop is already pending */ }
    errno = saved;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

int nb_serve_parse(int argc, char **argv, nb_server_opts *o, char *err)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        const char *eq = strchr(a, '=');
        char key[32];
        size_t klen = eq ? (size_t)(eq - a) : strlen(a);
        if (klen >= sizeof key) klen = sizeof key - 1;
        memcpy(key, a, klen);
        key[klen] = '\0';
        if (!strcmp(key, "--help") || !strcmp(key, "-h")) return 1;
        if (!strcmp(key, "--no-announce")) {
            serve_announce = 0;
            continue;
        }
        int takes = !strcmp(key, "--port") || !strcmp(key, "--bind") || !strcmp(key, "--name") ||
                    !strcmp(key, "--max-clients") || !strcmp(key, "--journal") ||
                    !strcmp(key, "--peer-timeout-ms") || !strcmp(key, "--flush-delay-us");
        if (!takes) {
            nb_set_error(err, "unknown argument '%s'", a);
            return -1;
        }
        if (eq) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            nb_set_error(err, "%s needs a value", key);
            return -1;
        }
        if (!strcmp(key, "--port")) {
            if (parse_int(val, 1, 65535, &o->port) != 0) {
                nb_set_error(err, "--port: '%s' is not a port 1..65535", val);
                return -1;
            }
        } else if (!strcmp(key, "--max-clients")) {
            if (parse_int(val, 1, 4096, &o->max_clients) != 0) {
                nb_set_error(err, "--max-clients: '%s' is not 1..4096", val);
                return -1;
            }
        } else if (!strcmp(key, "--bind")) {
            o->bind = val;
        } else if (!strcmp(key, "--peer-timeout-ms")) {
            if (parse_int(val, 1000, 600000, &o->user_timeout_ms) != 0) {
                nb_set_error(err, "--peer-timeout-ms: '%s' is not 1000..600000", val);
                return -1;
            }
        } else if (!strcmp(key, "--flush-delay-us")) {
            if (parse_int(val, -1, 100000, &o->flush_delay_us) < 0) {
                nb_set_error(err, "--flush-delay-us: '%s' is not -1..100000", val);
                return -1;
            }
        } else if (!strcmp(key, "--journal")) {
            if (!*val) {
                nb_set_error(err, "--journal needs a file name");
                return -1;
            }
            o->journal_path = val;
        } else {
            if (!*val || strlen(val) > NB_BOARD_NAME_MAX) {
                nb_set_error(err, "--name: 1..%d bytes", NB_BOARD_NAME_MAX);
                return -1;
            }
            o->name = val;
        }
    }
    return 0;
}

void nb_serve_format_status(const nb_server_status *st, char *out, size_t cap)
{
    snprintf(out, cap,
             "status: %d connections (%d joined), %llu accepted, frames in/out %llu/%llu, "
             "bytes in/out %llu/%llu, history %u frames (%zu bytes), %llu dropped",
             st->connections, st->clients, (unsigned long long)st->accepted,
             (unsigned long long)st->frames_in, (unsigned long long)st->frames_out,
             (unsigned long long)st->bytes_in, (unsigned long long)st->bytes_out,
             st->history_frames, st->history_bytes, (unsigned long long)st->dropped);
}

int nb_serve_main(int argc, char **argv)
{
    nb_server_opts opts;
    char err[NB_ERR_LEN];
    int rc = nb_serve_parse(argc, argv, &opts, err);
    if (rc == 1) {
        fputs(usage, stdout);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "netboard serve: %s\n%s", err, usage);
        return 2;
    }
    if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "netboard serve: pipe: %s\n", strerror(errno));
        return 1;
    }
    struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    int status = 0;
    nb_server *s = nb_server_start(&opts, err);
    if (!s) {
        nb_error("serve: %s", err);
        status = 1;
        goto done;
    }
    /* Announce the board on the LAN (optional: a failure is logged, serving goes on). */
    nb_discover *disc = NULL;
    if (serve_announce) {
        disc = nb_discover_start(&(nb_discover_opts){ .flags = NB_DISCOVER_NO_LISTEN,
                                                      .iface = getenv("NETBOARD_LAN_IFACE") }, err);
        if (!disc) nb_warn("serve: LAN discovery off: %s", err);
    }
    for (int tick = 1;; tick++) {
        struct pollfd p = { .fd = sig_pipe[0], .events = POLLIN };
        int n = poll(&p, 1, 1000);
        if (disc) {
            nb_server_status st;
            nb_server_status_get(s, &st);
            nb_announce ann = { .port = (uint16_t)st.port, .peers = (uint16_t)st.clients };
            nb_strlcpy(ann.board, opts.name ? opts.name : "netboard", sizeof ann.board);
            nb_strlcpy(ann.host, "netboard serve", sizeof ann.host);
            nb_discover_set_announce(disc, &ann, NULL);
        }
        if (n == 0 && tick * 1000 % STATUS_EVERY_MS != 0) continue;
        if (n > 0) {
            unsigned char sig = 0;
            if (read(sig_pipe[0], &sig, 1) == 1)
                nb_info("serve: %s, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
            break;
        }
        if (n < 0 && errno != EINTR) break;
        if (n == 0) {
            nb_server_status st;
            char line[512];
            nb_server_status_get(s, &st);
            nb_serve_format_status(&st, line, sizeof line);
            nb_info("serve: %s", line);
        }
    }
    nb_discover_stop(disc);
    nb_server_stop(s);
done:
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    sig_pipe[0] = sig_pipe[1] = -1;
    return status;
}
