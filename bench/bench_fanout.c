/* bench_fanout.c — relay fan-out: one sender pushes --segments S frames in bulk through
 * the relay to N receivers on loopback; prints segments delivered per second summed over
 * the receivers, for netboard's relay and for `ncat --broker` fed the same bytes.
 *
 *   bench_fanout [--segments 1000000] [--runs 5] [--n N] [--window 150000]
 *
 * Without --n: N = 1 and 8 once each, then N = 32 as --runs interleaved pairs (netboard,
 * ncat, netboard, ...) and the median ratio. --window bounds how many segments the
 * sender may be ahead of the slowest receiver, the same for both relays, so netboard's
 * per-peer outbound bound (8 MiB) is never the thing measured. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_rx.h"
#include "nb_time.h"

#define CHUNK_SEGS 3000   /* 63000 bytes per write */

typedef struct fanout_cfg { long segments, window; } fanout_cfg;

static double run_once(const fanout_cfg *cfg, bench_relay_kind kind, int n)
{
    bench_relay relay;
    bench_relay_start(&relay, kind, n + 1);
    bench_rx rx = { .n = n, .want_per_conn = (uint64_t)cfg->segments,
                    .deadline_ms = nb_time_ms() + 120000 };
    rx.conn = calloc((size_t)n, sizeof *rx.conn);
    if (!rx.conn) bench_die("out of memory");
    for (int i = 0; i < n; i++) {
        bench_rx_conn *c = &rx.conn[i];
        c->fd = bench_connect(relay.port);
        nb_decoder_init(&c->dec, kind == BENCH_RELAY_NETBOARD ? NB_DEC_EXPECT_SIGNATURE : 0);
        if (kind == BENCH_RELAY_NETBOARD) bench_handshake(c->fd, &c->dec, "rx");
    }
    int tx = bench_connect(relay.port);
    nb_decoder txdec;
    nb_decoder_init(&txdec, NB_DEC_EXPECT_SIGNATURE);
    if (kind == BENCH_RELAY_NETBOARD) bench_handshake(tx, &txdec, "tx");

    uint8_t *chunk = malloc(CHUNK_SEGS * BENCH_SEG_LEN);
    if (!chunk) bench_die("out of memory");
    for (int i = 0; i < CHUNK_SEGS; i++) bench_seg_encode(chunk + i * BENCH_SEG_LEN, (uint64_t)i, (uint16_t)i);

    bench_rx_start(&rx);
    uint64_t t0 = nb_time_ns(), sent = 0, deadline = nb_time_ms() + 120000;
    while (sent < (uint64_t)cfg->segments) {
        /* Stay within the window of the slowest receiver; bounded by the deadline. */
        while (sent - NB_MIN(sent, bench_rx_min(&rx)) > (uint64_t)cfg->window) {
            if (nb_time_ms() > deadline) bench_die("fan-out stalled (%s)", bench_relay_name(kind));
            nanosleep(&(struct timespec){ 0, 50 * 1000 }, NULL);
        }
        uint64_t k = NB_MIN((uint64_t)CHUNK_SEGS, (uint64_t)cfg->segments - sent);
        bench_write_all(tx, chunk, k * BENCH_SEG_LEN);
        sent += k;
    }
    bench_rx_join(&rx);
    uint64_t got = bench_rx_total(&rx), errors = 0;
    double secs = (double)(rx.done_ns - t0) / 1e9;
    for (int i = 0; i < n; i++) {
        errors += rx.conn[i].errors;
        nb_decoder_free(&rx.conn[i].dec);
        close(rx.conn[i].fd);
    }
    if (got < (uint64_t)cfg->segments * (uint64_t)n)
        bench_die("%s n=%d: delivered %llu of %llu (errors %llu)", bench_relay_name(kind), n,
                  (unsigned long long)got, (unsigned long long)cfg->segments * (uint64_t)n,
                  (unsigned long long)errors);
    nb_decoder_free(&txdec);
    close(tx);
    free(chunk);
    free(rx.conn);
    bench_relay_stop(&relay);
    return (double)got / secs;
}

static void report(const char *relay, int n, const char *what, double v)
{
    char name[96];
    snprintf(name, sizeof name, "%s_fanout_n%d_%s", relay, n, what);
    bench_result(name, v, "seg/s");
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    fanout_cfg cfg = { bench_arg_long(argc, argv, "--segments", 1000000),
                       bench_arg_long(argc, argv, "--window", 150000) };
    int runs = (int)bench_arg_long(argc, argv, "--runs", 5);
    int only = (int)bench_arg_long(argc, argv, "--n", 0);
    bench_relay_flush_delay_us = bench_arg_flag(argc, argv, "--no-flush-delay") ? -1
                                 : (int)bench_arg_long(argc, argv, "--flush-delay-us", 0);
    if (cfg.segments < 1 || runs < 1 || runs > 99 || cfg.window < CHUNK_SEGS) bench_die("bad sizes");

    int small[] = { 1, 8 };
    for (size_t i = 0; !only && i < NB_ARRAY_LEN(small); i++) {
        report("relay", small[i], "segments_per_s", run_once(&cfg, BENCH_RELAY_NETBOARD, small[i]));
        report("ncat", small[i], "segments_per_s", run_once(&cfg, BENCH_RELAY_NCAT, small[i]));
    }
    int n = only ? only : 32;
    double nb[99], nc[99], ratio[99];
    for (int r = 0; r < runs; r++) {
        nb[r] = run_once(&cfg, BENCH_RELAY_NETBOARD, n);
        nc[r] = run_once(&cfg, BENCH_RELAY_NCAT, n);
        ratio[r] = nb[r] / nc[r];
        fprintf(stderr, "run %d: netboard %.0f ncat %.0f ratio %.3f\n", r + 1, nb[r], nc[r], ratio[r]);
    }
    report("relay", n, "segments_per_s", bench_median(nb, (size_t)runs));
    report("ncat", n, "segments_per_s", bench_median(nc, (size_t)runs));
    char name[96];
    snprintf(name, sizeof name, "relay_fanout_n%d_ratio_vs_ncat", n);
    bench_result(name, bench_median(ratio, (size_t)runs), "x");
    return 0;
}
