/* bench_rx.h — the receiving side of the relay benchmarks: one thread that reads every
 * receiver socket (epoll), decodes NBP/1 with nb_decoder and counts S frames per
 * receiver, optionally recording each segment's age (bench_seg_age_ns) in a histogram.
 * The same code reads both relays: ncat's stream is plain S frames, netboard's adds
 * J / L frames that are decoded and not counted.
 *
 * DESIGN. The rx thread owns the sockets' read side, the decoders and the histogram
 * until bench_rx_join returns. `segs` counters are atomics read by other threads (the
 * fan-out sender uses the slowest receiver to bound how far ahead it writes); `stop`
 * is an atomic flag set by bench_rx_stop. */
#ifndef BENCH_RX_H
#define BENCH_RX_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "bench_util.h"

typedef struct bench_rx_conn {
    int fd;
    nb_decoder dec;           /* after the handshake (netboard) or fresh (ncat) */
    _Atomic uint64_t segs;    /* S frames received */
    uint64_t bytes, errors;   /* errors: decoder failures (stream re-synchronised) */
} bench_rx_conn;

typedef struct bench_rx {
    bench_rx_conn *conn;
    int n;
    uint64_t want_per_conn;   /* the thread ends once every receiver has this many (0: never) */
    uint64_t deadline_ms;     /* ... or at this nb_time_ms() */
    int timed;                /* record ages in hist */
    bench_hist hist;
    _Atomic int stop;
    uint64_t done_ns;         /* nb_time_ns() when the last wanted segment arrived */
    pthread_t thread;
} bench_rx;

/* rx->conn / n / want_per_conn / deadline_ms / timed are set by the caller first. */
void bench_rx_start(bench_rx *rx);
void bench_rx_stop(bench_rx *rx);   /* asks the thread to end; then bench_rx_join */
void bench_rx_join(bench_rx *rx);
uint64_t bench_rx_total(bench_rx *rx);
uint64_t bench_rx_min(bench_rx *rx);   /* the slowest receiver's count */

#endif
