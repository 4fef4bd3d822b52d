/* nb_headless_draw.c — a headless board client for fault drills (.ci/netns, .ci/valgrind):
 * joins a relay, draws --count segments at --rate per second, then waits until its board
 * holds --expect segments (everyone's) and prints "count N hash H" (an order-independent
 * digest of the visible segments, so converged boards print the same line). Exit 0 when
 * converged, 1 on timeout, 2 for bad arguments. Every wait is bounded by --timeout. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_harness.h"
#include "nb_log.h"
#include "nb_time.h"

typedef struct args {
    const char *host, *name;
    int port, count, rate, expect, timeout_s, linger_ms;
    unsigned long long token;
} args;

static int parse(int argc, char **argv, args *a)
{
    *a = (args){ .host = "127.0.0.1", .name = "drill", .port = 49001, .count = 100, .rate = 200,
                 .expect = -1, .timeout_s = 60, .linger_ms = 0, .token = 0 };
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--host")) a->host = v;
        else if (!strcmp(k, "--name")) a->name = v;
        else if (!strcmp(k, "--port")) a->port = atoi(v);
        else if (!strcmp(k, "--count")) a->count = atoi(v);
        else if (!strcmp(k, "--rate")) a->rate = atoi(v);
        else if (!strcmp(k, "--expect")) a->expect = atoi(v);
        else if (!strcmp(k, "--timeout")) a->timeout_s = atoi(v);
        else if (!strcmp(k, "--linger-ms")) a->linger_ms = atoi(v);
        else if (!strcmp(k, "--token")) a->token = strtoull(v, NULL, 0);
        else return -1;
    }
    if (argc % 2 == 0 || a->port <= 0 || a->count < 0 || a->rate <= 0 || a->timeout_s <= 0)
        return -1;
    if (a->expect < 0) a->expect = a->count;
    return 0;
}

int main(int argc, char **argv)
{
    args a;
    if (parse(argc, argv, &a) != 0) {
        fprintf(stderr, "usage: nb_headless_draw [--host H] [--port P] [--name N] [--token T]\n"
                        "  [--count N] [--rate SEG_PER_S] [--expect TOTAL] [--timeout S]"
                        " [--linger-ms MS]\n");
        return 2;
    }
    nb_log_set_level(getenv("NETBOARD_DEBUG") ? NB_LOG_DEBUG : NB_LOG_WARN);
    char err[NB_ERR_LEN];
    th_peer p;
    nb_client_opts o = { .host = a.host, .port = a.port, .name = a.name, .session = a.token,
                         .backoff_min_ms = 100, .backoff_max_ms = 1000, .queue_capacity = 65536 };
    if (th_peer_start(&p, &o, err) != 0) {
        fprintf(stderr, "nb_headless_draw: %s\n", err);
        return 1;
    }
    uint64_t t0 = nb_time_ms(), deadline = t0 + (uint64_t)a.timeout_s * 1000;
    int rc = 1;
    if (!th_wait_connected(&p, 1, a.timeout_s * 1000)) {
        fprintf(stderr, "nb_headless_draw: could not join %s:%d\n", a.host, a.port);
        goto out;
    }
    /* draw on schedule, whether or not the link is up (the outbox resends) */
    for (int i = 0; i < a.count && nb_time_ms() < deadline; i++) {
        uint64_t due = t0 + (uint64_t)i * 1000 / (uint64_t)a.rate;
        while (nb_time_ms() < due) {
            th_peer_pump(&p);
            poll(NULL, 0, 1);
        }
        th_peer_draw(&p, (uint32_t)(i / 20 + 1), (uint32_t)(i % 20));
        th_peer_pump(&p);
    }
    while (nb_time_ms() < deadline) {
        th_peer_pump(&p);
        if (p.state == NB_CLIENT_CONNECTED && p.synced &&
            nb_board_count(p.board) == (size_t)a.expect)
            break;
        poll(NULL, 0, 20);
    }
    /* stay a moment so late peers still get our frames relayed (bounded) */
    for (uint64_t end = nb_time_ms() + (uint64_t)a.linger_ms; nb_time_ms() < end;) {
        th_peer_pump(&p);
        poll(NULL, 0, 20);
    }
    size_t n = 0;
    uint64_t h = th_board_hash(p.board, 1, &n);
    printf("count %zu hash %016llx disconnects %d\n", n, (unsigned long long)h, p.disconnects);
    fflush(stdout);
    rc = n == (size_t)a.expect ? 0 : 1;
    if (rc) fprintf(stderr, "nb_headless_draw: %s has %zu of %d segments at the deadline\n",
                    a.name, n, a.expect);
out:
    th_peer_stop(&p);
    return rc;
}
