/* bench_latency.c — end-to-end latency through the relay: a sending nb_client draws
 * --rate segments/s for --secs seconds; a receiving nb_client's events are drained with
 * nb_client_drain every --poll-us microseconds, and each segment's age (its CLOCK_MONOTONIC
 * send stamp to the drain that returned it) is recorded. Prints p50 / p99 / max.
 *
 *   bench_latency [--rate 1000] [--secs 10] [--poll-us 20] [--flush-delay-us 0] [--no-flush-delay]
 *
 * The drain is polled because nb_client_drain never blocks (the app drains once per
 * frame); the poll interval is part of the figure and printed next to it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"
#include "nb_client.h"
#include "nb_time.h"

#define DRAIN_MAX 256

/* Drain c; count S frames in *segs and record their age in h (if not NULL). Returns 1 if
 * the client reported CONNECTED. */
static int drain(nb_client *c, bench_hist *h, uint64_t *segs)
{
    static nb_client_event ev[DRAIN_MAX];
    size_t n = nb_client_drain(c, ev, DRAIN_MAX);
    uint64_t now = nb_time_ns();
    int connected = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == NB_CLIENT_EV_STATE && ev[i].u.state.state == NB_CLIENT_CONNECTED) connected = 1;
        if (ev[i].kind == NB_CLIENT_EV_FRAME && ev[i].u.frame.type == NB_FT_SEGMENT && !ev[i].history) {
            if (h) bench_hist_add(h, bench_seg_age_ns(&ev[i].u.frame.u.seg, now));
            (*segs)++;
        }
        nb_client_event_free(&ev[i]);
    }
    return connected;
}

static void nap_us(long us)
{
    nanosleep(&(struct timespec){ 0, us * 1000 }, NULL);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    long rate = bench_arg_long(argc, argv, "--rate", 1000);
    long secs = bench_arg_long(argc, argv, "--secs", 10);
    long poll_us = bench_arg_long(argc, argv, "--poll-us", 20);
    bench_relay_flush_delay_us = bench_arg_flag(argc, argv, "--no-flush-delay") ? -1
                                 : (int)bench_arg_long(argc, argv, "--flush-delay-us", 0);
    if (rate < 1 || rate > 1000000 || secs < 1 || poll_us < 1 || poll_us > 999999) bench_die("bad sizes");

    bench_relay relay;
    bench_relay_start(&relay, BENCH_RELAY_NETBOARD, 8);   /* before any thread: fork */
    char err[NB_ERR_LEN];
    nb_client *tx = nb_client_start(&(nb_client_opts){ .port = relay.port, .name = "tx" }, err);
    nb_client *rx = tx ? nb_client_start(&(nb_client_opts){ .port = relay.port, .name = "rx" }, err) : NULL;
    if (!rx) bench_die("client: %s", err);

    int up_tx = 0, up_rx = 0;
    uint64_t segs = 0, deadline = nb_time_ms() + 5000;
    while (!(up_tx && up_rx)) {
        if (nb_time_ms() > deadline) bench_die("clients did not connect in 5 s");
        up_tx |= drain(tx, NULL, &segs);
        up_rx |= drain(rx, NULL, &segs);
        nap_us(1000);
    }

    bench_hist h;
    bench_hist_init(&h);
    uint64_t total = (uint64_t)rate * (uint64_t)secs, interval = 1000000000ull / (uint64_t)rate;
    uint64_t t0 = nb_time_ns(), sent = 0, unused = 0;
    segs = 0;
    uint64_t end = t0 + (uint64_t)secs * 1000000000ull + 2000000000ull;   /* +2 s to arrive */
    while (segs < total && nb_time_ns() < end) {
        if (sent < total && nb_time_ns() >= t0 + sent * interval) {
            uint64_t t = nb_time_ns() & ((1ull << 48) - 1);
            nb_segment seg = { .stroke = (uint32_t)(t >> 16), .x1 = (uint16_t)t, .y1 = 100,
                               .x2 = 200, .y2 = 200, .rgba = 0x000000FF, .width = 3 };
            if (nb_client_send_segment(tx, &seg) != 0) bench_die("send: out of memory");
            sent++;
        }
        drain(rx, &h, &segs);
        drain(tx, NULL, &unused);   /* keep the sender's event queue from filling */
        nap_us(poll_us);
    }
    bench_result("client_latency_p50", bench_hist_pct_ms(&h, 50), "ms");
    bench_result("client_latency_p99", bench_hist_pct_ms(&h, 99), "ms");
    bench_result("client_latency_max", (double)h.max_ns / 1e6, "ms");
    bench_result("client_latency_received", (double)segs, "seg");
    bench_result("client_latency_poll_interval", (double)poll_us / 1000.0, "ms");
    bench_hist_free(&h);
    nb_client_stop(tx);
    nb_client_stop(rx);
    bench_relay_stop(&relay);
    return segs == total ? 0 : 1;
}
