/* bench_storm.c — classroom storm: C clients on loopback, each drawing --rate segments/s
 * as one small write per segment, for --secs seconds. Prints the relay's CPU time per
 * delivered segment and the delivery latency p50 / p99 for netboard's relay and for
 * `ncat --broker` in the same run, then scans upwards for the largest client count
 * whose p99 stays within --p99-limit-ms on netboard's relay.
 *
 *   bench_storm [--clients 32] [--rate 500] [--secs 10] [--scan-secs 3]
 *               [--scan-step 32] [--scan-max 256] [--p99-limit-ms 20] [--no-scan]
 *               [--flush-delay-us 0 (server default)] [--no-flush-delay]
 *
 * One thread writes every client's segments on a single schedule (write k goes to
 * client k % C at t0 + k / (C * rate)), stamping each with CLOCK_MONOTONIC at the write;
 * the bench_rx thread reads all sockets and records each segment's age. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_rx.h"
#include "nb_time.h"

typedef struct storm_result {
    double cpu_ns_per_seg, p50_ms, p99_ms, max_ms, delivered_per_s, late_ms;
    uint64_t delivered, expected, errors;
} storm_result;

static void sleep_until(uint64_t ns)
{
    struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {}
}

static storm_result run_storm(bench_relay_kind kind, int clients, long rate, long secs)
{
    bench_relay relay;
    bench_relay_start(&relay, kind, clients);
    bench_rx rx = { .n = clients, .timed = 1 };
    rx.conn = calloc((size_t)clients, sizeof *rx.conn);
    if (!rx.conn) bench_die("out of memory");
    for (int i = 0; i < clients; i++) {
        bench_rx_conn *c = &rx.conn[i];
        c->fd = bench_connect(relay.port);
        nb_decoder_init(&c->dec, kind == BENCH_RELAY_NETBOARD ? NB_DEC_EXPECT_SIGNATURE : 0);
        if (kind == BENCH_RELAY_NETBOARD) bench_handshake(c->fd, &c->dec, "pupil");
    }
    rx.deadline_ms = nb_time_ms() + (uint64_t)secs * 1000 + 10000;
    bench_rx_start(&rx);

    uint64_t total = (uint64_t)clients * (uint64_t)rate * (uint64_t)secs;
    uint64_t interval = 1000000000ull / ((uint64_t)clients * (uint64_t)rate);
    uint64_t cpu0 = bench_proc_cpu_ns(relay.pid), t0 = nb_time_ns() + 1000000, late = 0;
    for (uint64_t k = 0; k < total; k++) {
        uint64_t due = t0 + k * interval, now = nb_time_ns();
        if (now < due) sleep_until(due);
        else if (now - due > late) late = now - due;
        uint8_t seg[BENCH_SEG_LEN];
        bench_seg_encode(seg, nb_time_ns(), (uint16_t)k);
        bench_write_all(rx.conn[k % (uint64_t)clients].fd, seg, sizeof seg);
    }
    /* Let the last segments arrive: until every one is counted, bounded by 2 s. */
    uint64_t expected = total * (uint64_t)(clients - 1), stop_at = nb_time_ms() + 2000;
    while (bench_rx_total(&rx) < expected && nb_time_ms() < stop_at)
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    uint64_t cpu1 = bench_proc_cpu_ns(relay.pid);
    bench_rx_stop(&rx);
    bench_rx_join(&rx);

    storm_result r = { .delivered = bench_rx_total(&rx), .expected = expected };
    r.cpu_ns_per_seg = r.delivered ? (double)(cpu1 - cpu0) / (double)r.delivered : 0;
    r.p50_ms = bench_hist_pct_ms(&rx.hist, 50);
    r.p99_ms = bench_hist_pct_ms(&rx.hist, 99);
    r.max_ms = (double)rx.hist.max_ns / 1e6;
    r.delivered_per_s = (double)r.delivered / (double)secs;
    r.late_ms = (double)late / 1e6;
    for (int i = 0; i < clients; i++) {
        r.errors += rx.conn[i].errors;
        nb_decoder_free(&rx.conn[i].dec);
        close(rx.conn[i].fd);
    }
    bench_hist_free(&rx.hist);
    free(rx.conn);
    bench_relay_stop(&relay);
    fprintf(stderr, "%s c=%d: delivered %llu/%llu, cpu %.0f ns/seg, p50 %.3f p99 %.3f max %.3f ms, "
            "sender late up to %.3f ms, stream errors %llu\n", bench_relay_name(kind), clients,
            (unsigned long long)r.delivered, (unsigned long long)r.expected, r.cpu_ns_per_seg,
            r.p50_ms, r.p99_ms, r.max_ms, r.late_ms, (unsigned long long)r.errors);
    return r;
}

static void report(const char *relay, int clients, const storm_result *r)
{
    char name[96];
    const struct { const char *what; double v; const char *unit; } rows[] = {
        { "cpu_ns_per_segment", r->cpu_ns_per_seg, "ns/seg" },
        { "latency_p50", r->p50_ms, "ms" },
        { "latency_p99", r->p99_ms, "ms" },
        { "latency_max", r->max_ms, "ms" },
        { "delivered_per_s", r->delivered_per_s, "seg/s" },
        { "delivered_fraction", r->expected ? (double)r->delivered / (double)r->expected : 0, "x" },
    };
    for (size_t i = 0; i < NB_ARRAY_LEN(rows); i++) {
        snprintf(name, sizeof name, "%s_storm_c%d_%s", relay, clients, rows[i].what);
        bench_result(name, rows[i].v, rows[i].unit);
    }
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    int clients = (int)bench_arg_long(argc, argv, "--clients", 32);
    long rate = bench_arg_long(argc, argv, "--rate", 500);
    long secs = bench_arg_long(argc, argv, "--secs", 10);
    long scan_secs = bench_arg_long(argc, argv, "--scan-secs", 3);
    int step = (int)bench_arg_long(argc, argv, "--scan-step", 32);
    int scan_max = (int)bench_arg_long(argc, argv, "--scan-max", 256);
    double limit = (double)bench_arg_long(argc, argv, "--p99-limit-ms", 20);
    bench_relay_flush_delay_us = bench_arg_flag(argc, argv, "--no-flush-delay") ? -1
                                 : (int)bench_arg_long(argc, argv, "--flush-delay-us", 0);
    if (clients < 2 || clients > 4000 || rate < 1 || secs < 1 || step < 1 || scan_secs < 1)
        bench_die("bad sizes");

    storm_result nb = run_storm(BENCH_RELAY_NETBOARD, clients, rate, secs);
    storm_result nc = run_storm(BENCH_RELAY_NCAT, clients, rate, secs);
    report("relay", clients, &nb);
    report("ncat", clients, &nc);
    char name[96];
    snprintf(name, sizeof name, "relay_storm_c%d_cpu_ratio_vs_ncat", clients);
    bench_result(name, nc.cpu_ns_per_seg > 0 ? nb.cpu_ns_per_seg / nc.cpu_ns_per_seg : 0, "x");
    if (bench_arg_flag(argc, argv, "--no-scan")) return 0;

    /* Largest client count (in steps) that holds p99 within the limit. */
    int best = nb.p99_ms <= limit ? clients : 0;
    for (int c = clients + step; best && c <= scan_max; c += step) {
        storm_result r = run_storm(BENCH_RELAY_NETBOARD, c, rate, scan_secs);
        if (r.p99_ms > limit || r.delivered < r.expected) break;
        best = c;
    }
    snprintf(name, sizeof name, "relay_storm_max_clients_p99_le_%.0fms", limit);
    bench_result(name, best, "clients");
    return 0;
}
