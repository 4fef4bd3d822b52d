/* bench_join.c — a timed late joiner (see bench_join.h). */
#include "bench_join.h"

#include <stdlib.h>
#include <time.h>

#include "bench_util.h"
#include "nb_boardsync.h"
#include "nb_client.h"
#include "nb_time.h"

#define DRAIN_MAX 4096

void bench_join_board(int port, uint64_t segments, bench_join *out)
{
    char err[NB_ERR_LEN];
    nb_client_event *ev = malloc(DRAIN_MAX * sizeof *ev);
    out->board = nb_board_create(NULL);
    out->events = 0;
    if (!ev || !out->board) bench_die("out of memory");
    nb_boardsync sync;
    nb_boardsync_init(&sync);
    uint64_t t0 = nb_time_ns(), deadline = nb_time_ms() + 60000;
    nb_client *c = nb_client_start(&(nb_client_opts){ .port = port, .name = "latecomer" }, err);
    if (!c) bench_die("client: %s", err);
    while (!(sync.synced && nb_board_count(out->board) >= segments)) {
        if (nb_time_ms() > deadline)
            bench_die("late join: %zu of %llu segments after 60 s", nb_board_count(out->board),
                      (unsigned long long)segments);
        size_t n = nb_client_drain(c, ev, DRAIN_MAX);
        for (size_t i = 0; i < n; i++) {
            nb_boardsync_apply(&sync, c, out->board, &ev[i]);
            nb_client_event_free(&ev[i]);
        }
        out->events += n;
        if (!n) nanosleep(&(struct timespec){ 0, 50 * 1000 }, NULL);   /* queue empty: poll */
    }
    out->ms = (double)(nb_time_ns() - t0) / 1e6;
    nb_client_stop(c);
    free(ev);
}
