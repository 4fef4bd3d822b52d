/* test_slow_peer.c — a peer that joins and never reads: the relay's memory for it stays
 * bounded by out_limit (it is dropped when that overflows) and the other peers'
 * throughput stays close to a run without it. Each run: a drawer sends SEGS segments in
 * large writes while a watcher thread reads them all; median of RUNS runs per variant.
 * The figures are printed; the assertion's tolerance is wider than the 10 % target
 * because two cores are shared by server, drawer and watcher (docs/reliability.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb_log.h"
#include "nb_server.h"
#include "nb_testclient.h"
#include "nb_time.h"

#define SEGS 400000
#define BATCH 1000
#define RUNS 3
#define WINDOW 8000          /* segments in flight, ~170 KB */
#define OUT_LIMIT (512 * 1024)

typedef struct watch { tc *c; atomic_int got, ok; } watch;

static void *watcher_main(void *arg)
{
    watch *w = arg;
    nb_frame f;
    while (atomic_load(&w->got) < SEGS) {
        int rc = tc_recv_type(w->c, NB_FT_SEGMENT, &f, 10000);
        if (rc != 1) return NULL;
        atomic_fetch_add(&w->got, 1);
    }
    atomic_store(&w->ok, 1);
    return NULL;
}

/* Segments per second through the relay, drawer -> watcher; with_slow adds a joined peer
 * with a 4 KiB receive window that never reads. Also checks the bound on its queue. */
static double one_run(int with_slow, size_t *max_queued, uint64_t *dropped)
{
    char err[NB_ERR_LEN];
    nb_server *s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                                      .out_limit_bytes = OUT_LIMIT }, err);
    assert_non_null(s);
    int port = nb_server_port(s);
    tc drawer, watcher, slow;
    assert_int_equal(tc_join(&drawer, port, 1, "drawer"), 0);
    assert_int_equal(tc_join(&watcher, port, 2, "watcher"), 0);
    if (with_slow) {
        assert_int_equal(tc_connect(&slow, port, 4096), 0);
        assert_int_equal(tc_send_bytes(&slow, NB_SIGNATURE, NB_SIG_LEN), 0);
        assert_int_equal(tc_send_hello(&slow, 3, "slow"), 0);
        assert_int_equal(tc_sync(&drawer), 0);
    }
    static uint8_t buf[BATCH * 21];
    watch w = { .c = &watcher };
    pthread_t th;
    uint64_t t0 = nb_time_ms();
    assert_int_equal(pthread_create(&th, NULL, watcher_main, &w), 0);
    nb_server_status st;
    for (int sent = 0; sent < SEGS; sent += BATCH) {
        /* a window, as a real drawer has (it draws at hand speed): the watcher is a
         * reader, not a slow one, so it must never be the one dropped */
        uint64_t deadline = nb_time_ms() + 10000;
        while (sent - atomic_load(&w.got) > WINDOW && nb_time_ms() < deadline) poll(NULL, 0, 0);
        size_t n = 0;
        for (int i = 0; i < BATCH; i++) {
            nb_frame f = { .type = NB_FT_SEGMENT,
                           .u.seg = { .stroke = (uint32_t)(sent + i), .x2 = 5, .width = 2 } };
            n += (size_t)nb_encode(&f, buf + n, sizeof buf - n, NULL);
        }
        assert_int_equal(tc_send_bytes(&drawer, buf, n), 0);
        if (sent % (10 * BATCH) == 0) {
            nb_server_status_get(s, &st);
            for (int k = 0; k < st.clients && k < NB_SERVER_STATUS_CLIENTS; k++)
                if (st.client[k].out_queued > *max_queued) *max_queued = st.client[k].out_queued;
        }
    }
    pthread_join(th, NULL);
    uint64_t dt = nb_time_ms() - t0;
    assert_true(atomic_load(&w.ok));
    nb_server_status_get(s, &st);
    *dropped = st.dropped;
    if (with_slow) tc_close(&slow);
    tc_close(&drawer);
    tc_close(&watcher);
    nb_server_stop(s);
    return SEGS * 1000.0 / (double)(dt ? dt : 1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_slow_peer_bounded_and_harmless(void **state)
{
    (void)state;
    nb_log_set_level(NB_LOG_ERROR);
    double base[RUNS], slow[RUNS];
    size_t max_q = 0;
    for (int r = 0; r < RUNS; r++) {   /* interleaved, so drift hits both alike */
        uint64_t dropped = 0;
        base[r] = one_run(0, &max_q, &dropped);
        assert_int_equal(dropped, 0);
        slow[r] = one_run(1, &max_q, &dropped);
        assert_int_equal(dropped, 1);   /* the slow one, and only it */
    }
    qsort(base, RUNS, sizeof *base, cmp_double);
    qsort(slow, RUNS, sizeof *slow, cmp_double);
    double ratio = slow[RUNS / 2] / base[RUNS / 2];
    printf("throughput: %.0f seg/s alone, %.0f seg/s with a never-reading peer (%.1f %%); "
           "largest live queue seen %zu bytes (limit %d)\n",
           base[RUNS / 2], slow[RUNS / 2], 100.0 * ratio, max_q, OUT_LIMIT);
    assert_true(max_q <= OUT_LIMIT);
    assert_true(ratio > 0.6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slow_peer_bounded_and_harmless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
