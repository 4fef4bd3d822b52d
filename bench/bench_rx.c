/* bench_rx.c — the receivers' thread (see bench_rx.h). */
#include "bench_rx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_time.h"

#define RX_BUF (256 * 1024)

/* Decode one read's bytes; a decoder error (ncat interleaving partial writes of two
 * senders) restarts the decoder so counting goes on, and is reported. */
static void consume(bench_rx *rx, bench_rx_conn *c, const uint8_t *p, size_t n, uint64_t now)
{
    uint64_t segs = 0;
    while (n) {
        size_t used = 0;
        nb_frame f;
        int rc = nb_decoder_feed(&c->dec, p, n, &used, &f, NULL);
        p += used;
        n -= used;
        if (rc == NB_DEC_ERROR) {
            c->errors++;
            nb_decoder_free(&c->dec);
            nb_decoder_init(&c->dec, 0);
            continue;
        }
        if (rc != NB_DEC_FRAME || f.type != NB_FT_SEGMENT) continue;
        segs++;
        if (rx->timed) bench_hist_add(&rx->hist, bench_seg_age_ns(&f.u.seg, now));
    }
    atomic_fetch_add_explicit(&c->segs, segs, memory_order_relaxed);
}

static int all_done(bench_rx *rx)
{
    if (!rx->want_per_conn) return 0;
    return bench_rx_min(rx) >= rx->want_per_conn;
}

static void *rx_main(void *arg)
{
    bench_rx *rx = arg;
    uint8_t *buf = malloc(RX_BUF);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!buf || ep < 0) bench_die("rx: %s", strerror(errno));
    for (int i = 0; i < rx->n; i++) {
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, rx->conn[i].fd, &ev) != 0)
            bench_die("rx: epoll_ctl: %s", strerror(errno));
    }
    struct epoll_event evs[64];
    while (!atomic_load(&rx->stop) && !all_done(rx) && nb_time_ms() < rx->deadline_ms) {
        int k = epoll_wait(ep, evs, 64, 20);
        if (k < 0 && errno != EINTR) bench_die("rx: epoll_wait: %s", strerror(errno));
        for (int i = 0; i < k; i++) {
            bench_rx_conn *c = &rx->conn[evs[i].data.u32];
            ssize_t r = recv(c->fd, buf, RX_BUF, MSG_DONTWAIT);
            if (r > 0) {
                c->bytes += (uint64_t)r;
                consume(rx, c, buf, (size_t)r, rx->timed ? nb_time_ns() : 0);
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);   /* closed by the relay */
                c->errors++;
            }
        }
    }
    rx->done_ns = nb_time_ns();
    close(ep);
    free(buf);
    return NULL;
}

void bench_rx_start(bench_rx *rx)
{
    atomic_store(&rx->stop, 0);
    if (rx->timed) bench_hist_init(&rx->hist);
    if (pthread_create(&rx->thread, NULL, rx_main, rx) != 0) bench_die("rx: pthread_create");
}

void bench_rx_stop(bench_rx *rx)
{
    atomic_store(&rx->stop, 1);
}

void bench_rx_join(bench_rx *rx)
{
    pthread_join(rx->thread, NULL);
}

uint64_t bench_rx_total(bench_rx *rx)
{
    uint64_t t = 0;
    for (int i = 0; i < rx->n; i++) t += atomic_load_explicit(&rx->conn[i].segs, memory_order_relaxed);
    return t;
}

uint64_t bench_rx_min(bench_rx *rx)
{
    uint64_t m = UINT64_MAX;
    for (int i = 0; i < rx->n; i++) {
        uint64_t v = atomic_load_explicit(&rx->conn[i].segs, memory_order_relaxed);
        if (v < m) m = v;
    }
    return rx->n ? m : 0;
}
