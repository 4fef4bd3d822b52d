/* bench_latejoin.c — late join: the relay holds --segments segments of board history; a
 * new nb_client + nb_board (applied through nb_boardsync, as the app does) joins; prints
 * the time until its board is complete, median of --runs joins.
 *
 *   bench_latejoin [--segments 1000000] [--runs 3] */
#include <signal.h>
#include <stdio.h>

#include "bench_join.h"
#include "bench_util.h"
#include "nb_time.h"

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    long segments = bench_arg_long(argc, argv, "--segments", 1000000);
    int runs = (int)bench_arg_long(argc, argv, "--runs", 3);
    if (segments < 1 || runs < 1 || runs > 99) bench_die("bad sizes");

    bench_relay relay;
    bench_relay_start(&relay, BENCH_RELAY_NETBOARD, 8);   /* before any thread: fork */
    uint64_t t0 = nb_time_ns();
    bench_load_history(relay.port, (uint64_t)segments);
    bench_result("latejoin_history_load", (double)(nb_time_ns() - t0) / 1e6, "ms");

    double ms[99];
    for (int r = 0; r < runs; r++) {
        bench_join j;
        bench_join_board(relay.port, (uint64_t)segments, &j);
        ms[r] = j.ms;
        fprintf(stderr, "join %d: %.1f ms, %llu events, board %zu segments\n", r + 1, j.ms,
                (unsigned long long)j.events, nb_board_count(j.board));
        nb_board_destroy(j.board);
    }
    bench_result("latejoin_board_complete", bench_median(ms, (size_t)runs), "ms");
    bench_relay_stop(&relay);
    return 0;
}
