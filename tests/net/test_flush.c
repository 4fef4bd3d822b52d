/* test_flush.c — the relay's send coalescing (nb_server_opts.flush_delay_us) over
 * loopback: a burst arrives whole, in order and within the delay; a frame following a
 * flush is held for the delay but no longer; pings, idle peers and negative delays are
 * not held; chat keeps its place among segments; stopping sends what is held; a slow
 * reader is still dropped. Every wait is bounded; timing bounds are explained where set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb_log.h"
#include "nb_server.h"
#include "nb_sock.h"
#include "nb_testclient.h"
#include "nb_time.h"

#define DELAY_US 20000               /* large enough to tell held from not held on a busy box */
#define DELAY_NS ((uint64_t)DELAY_US * 1000u)
/* Upper bounds allow the delay plus 200 ms: on a loaded 2-core CI box under TSan a
 * wake-up of the I/O thread or of this thread can lose a few time slices (tens of ms);
 * holding forever (the bug these bounds catch) would blow past any of them. */
#define SLACK_NS (200u * 1000000u)
#define SEG_BYTES 21                 /* encoded S frame */

static nb_server *start(int flush_delay_us, size_t out_limit)
{
    nb_log_set_level(NB_LOG_ERROR);
    char err[NB_ERR_LEN];
    nb_server *s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                                      .flush_delay_us = flush_delay_us,
                                                      .out_limit_bytes = out_limit }, err);
    if (!s) fprintf(stderr, "start: %s\n", err);
    assert_non_null(s);
    return s;
}

/* rx joins first, then tx; both have seen the other's J, so nothing else is pending.
 * Both set TCP_NODELAY as the app's client does: with Nagle, a burst's second segment
 * waits for the server's delayed ACK (40 ms on Linux) and the timings below would
 * measure the client's kernel, not the relay. */
static void join_pair(int port, tc *tx, tc *rx)
{
    nb_frame f;
    assert_int_equal(tc_join(rx, port, 100, "rx"), 0);
    assert_int_equal(tc_join(tx, port, 101, "tx"), 0);
    assert_int_equal(nb_sock_set_nodelay(rx->fd, 1, NULL), 0);
    assert_int_equal(nb_sock_set_nodelay(tx->fd, 1, NULL), 0);
    assert_int_equal(tc_recv_type(rx, NB_FT_JOIN, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.peer.author, tx->author);
    assert_int_equal(tc_recv_type(tx, NB_FT_JOIN, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.peer.author, rx->author);
}

/* The next frame must be tx's segment `stroke`, author rewritten from the 999 sent. */
static void expect_segment(tc *rx, const tc *tx, uint32_t stroke)
{
    nb_frame f;
    assert_int_equal(tc_recv(rx, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_SEGMENT);
    assert_int_equal(f.u.seg.stroke, stroke);
    assert_int_equal(f.u.seg.author, tx->author);
}

/* P → the very next frame is its Q: nothing else was owed to c. */
static void expect_nothing_else(tc *c)
{
    nb_frame p = { .type = NB_FT_PING, .u.token = 0x600dull }, f;
    assert_int_equal(tc_send(c, &p), 0);
    assert_int_equal(tc_recv(c, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_PONG);
    assert_true(f.u.token == 0x600dull);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t median(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_u64);
    return v[n / 2];
}

static double ms(uint64_t ns) { return (double)ns / 1e6; }

static void test_burst_within_delay_then_held(void **state)
{
    (void)state;
    enum { N = 200 };
    nb_server *s = start(DELAY_US, 0);
    tc tx, rx;
    join_pair(nb_server_port(s), &tx, &rx);

    uint64_t t_first = nb_time_ns();
    for (uint32_t i = 0; i < N; i++) assert_int_equal(tc_send_segment(&tx, 999, i, 0), 0);
    uint64_t t_last_sent = nb_time_ns();
    for (uint32_t i = 0; i < N; i++) expect_segment(&rx, &tx, i);
    uint64_t t_all = nb_time_ns();
    print_message("burst of %d: all in %.2f ms, last segment %.2f ms after it was sent\n",
                  N, ms(t_all - t_first), ms(t_all - t_last_sent));
    assert_true(t_all - t_first < DELAY_NS + SLACK_NS);
    assert_true(t_all - t_last_sent < DELAY_NS + SLACK_NS);

    /* One more: the flush that carried the burst's end came after the server read it, so
     * after t_last_sent; a frame sent now must wait for that flush + the delay. This lower
     * bound is exact (no load can shorten it), so it proves the option holds at all. */
    uint64_t t_sent = nb_time_ns();
    assert_int_equal(tc_send_segment(&tx, 999, N, 0), 0);
    expect_segment(&rx, &tx, N);
    uint64_t t_arrived = nb_time_ns();
    print_message("follow-up held %.2f ms after the burst's end (delay %d us)\n",
                  ms(t_arrived - t_last_sent), DELAY_US);
    assert_true(t_arrived - t_last_sent >= DELAY_NS);
    assert_true(t_arrived - t_sent < DELAY_NS + SLACK_NS);

    expect_nothing_else(&rx);   /* no duplicate */
    expect_nothing_else(&tx);   /* the sender got none of its own segments */
    tc_close(&tx);
    tc_close(&rx);
    nb_server_stop(s);
}

static void test_pings_not_held(void **state)
{
    (void)state;
    enum { PINGS = 10 };
    nb_server *s = start(DELAY_US, 0);
    tc tx, rx;
    join_pair(nb_server_port(s), &tx, &rx);
    uint64_t rtt[PINGS];
    for (uint32_t i = 0; i < PINGS; i++) {
        /* every other round rx's segment is waiting in tx's buffer (tx was just sent a Q):
         * the pong flushes it, and it still comes first */
        int with_seg = i % 2;
        if (with_seg) {
            assert_int_equal(tc_send_segment(&rx, 0, i, 0), 0);
            assert_int_equal(tc_sync(&rx), 0);   /* queued for tx before the ping */
        }
        uint64_t token = 0xf1a5000000000000ull | i;
        nb_frame p = { .type = NB_FT_PING, .u.token = token }, f;
        uint64_t t0 = nb_time_ns();
        assert_int_equal(tc_send(&tx, &p), 0);
        if (with_seg) expect_segment(&tx, &rx, i);
        assert_int_equal(tc_recv(&tx, &f, TC_WAIT_MS), 1);
        rtt[i] = nb_time_ns() - t0;
        assert_int_equal(f.type, NB_FT_PONG);
        assert_true(f.u.token == token);
    }
    uint64_t med = median(rtt, PINGS);
    print_message("ping RTT median %.3f ms, max %.3f ms (delay %d us)\n", ms(med),
                  ms(rtt[PINGS - 1]), DELAY_US);
    assert_true(med < DELAY_NS / 2);   /* a held pong would take >= the delay */
    tc_close(&tx);
    tc_close(&rx);
    nb_server_stop(s);
}

static void test_chat_keeps_its_place(void **state)
{
    (void)state;
    enum { N = 50 };
    nb_server *s = start(DELAY_US, 0);
    tc tx, rx;
    join_pair(nb_server_port(s), &tx, &rx);
    const struct { uint8_t type; const char *text; } chats[] = {
        { NB_FT_CHAT_FIXED, "after the first 50" }, { NB_FT_CHAT_MIX, "after\nall 100" },
    };
    for (uint32_t k = 0; k < 2; k++) {
        for (uint32_t i = 0; i < N; i++)
            assert_int_equal(tc_send_segment(&tx, 0, k * N + i, 0), 0);
        assert_int_equal(tc_send_text(&tx, chats[k].type, chats[k].text), 0);
    }
    nb_frame f;
    for (uint32_t k = 0; k < 2; k++) {
        for (uint32_t i = 0; i < N; i++) expect_segment(&rx, &tx, k * N + i);
        assert_int_equal(tc_recv(&rx, &f, TC_WAIT_MS), 1);
        assert_int_equal(f.type, NB_FT_CHAT_DELIVERED);
        assert_int_equal(f.u.chat.author, tx.author);
        assert_int_equal(f.u.chat.framing, chats[k].type);
        assert_int_equal(f.text_len, strlen(chats[k].text));
        assert_memory_equal(f.text, chats[k].text, f.text_len);
        /* the sender hears its own chat, and nothing else */
        assert_int_equal(tc_recv(&tx, &f, TC_WAIT_MS), 1);
        assert_int_equal(f.type, NB_FT_CHAT_DELIVERED);
        assert_int_equal(f.u.chat.framing, chats[k].type);
    }
    expect_nothing_else(&rx);
    expect_nothing_else(&tx);
    tc_close(&tx);
    tc_close(&rx);
    nb_server_stop(s);
}

/* One run of "held frames, then stop": 1 if the segments were provably still held when
 * nb_server_stop was called (a very loaded box may let the delay pass first). */
static int stop_run(void)
{
    enum { N = 50, STOP_DELAY_US = 200000 };
    const uint64_t delay_ns = (uint64_t)STOP_DELAY_US * 1000u;
    nb_server *s = start(STOP_DELAY_US, 0);
    tc tx, rx;
    join_pair(nb_server_port(s), &tx, &rx);
    /* rx is sent its pong after t_rx: from then on for the delay, its live frames wait */
    uint64_t t_rx = nb_time_ns();
    assert_int_equal(tc_sync(&rx), 0);
    nb_server_status st0, st;
    nb_server_status_get(s, &st0);
    for (uint32_t i = 0; i < N; i++) assert_int_equal(tc_send_segment(&tx, 999, i, 0), 0);
    assert_int_equal(tc_sync(&tx), 0);   /* the server has read all 50 (and the ping) */
    nb_server_status_get(s, &st);
    assert_int_equal(st.frames_in - st0.frames_in, N + 1);
    assert_int_equal(st.segments, N);
    int rx_i = st.client[0].author == rx.author ? 0 : 1;
    assert_int_equal(st.client[rx_i].author, rx.author);
    uint64_t t_stop = nb_time_ns();
    int held = t_stop - t_rx < delay_ns;
    if (held) assert_int_equal(st.client[rx_i].out_queued, (size_t)N * SEG_BYTES);
    nb_server_stop(s);
    uint64_t stop_ns = nb_time_ns() - t_stop;
    print_message("stop with %d segments %s: %.2f ms\n", N, held ? "held" : "(delay passed)",
                  ms(stop_ns));
    assert_true(stop_ns < 1000u * 1000000u);

    /* all 50 in order, then the shutdown notice, then EOF */
    for (uint32_t i = 0; i < N; i++) expect_segment(&rx, &tx, i);
    nb_frame f;
    assert_int_equal(tc_recv(&rx, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_ERROR);
    assert_int_equal(f.u.error.code, NB_PERR_SHUTDOWN);
    assert_int_equal(tc_wait_closed(&rx, TC_WAIT_MS), 1);
    assert_int_equal(tc_recv_type(&tx, NB_FT_ERROR, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.error.code, NB_PERR_SHUTDOWN);
    assert_int_equal(tc_wait_closed(&tx, TC_WAIT_MS), 1);
    tc_close(&tx);
    tc_close(&rx);
    return held;
}

static void test_stop_sends_what_is_held(void **state)
{
    (void)state;
    int held = 0;
    for (int run = 0; run < 3 && !held; run++) held = stop_run();
    assert_true(held);   /* three runs in a row slower than 200 ms: the box is unusable */
}

/* tries: rounds of "send one segment, time its arrival"; idle_ms > 0 first checks rx
 * gets nothing for that long, so its previous send is older than the delay. */
static uint64_t single_latency_median(nb_server *s, int tries, int idle_ms)
{
    tc tx, rx;
    uint64_t lat[32];
    NB_ASSERT(tries <= (int)NB_ARRAY_LEN(lat));
    join_pair(nb_server_port(s), &tx, &rx);
    nb_frame f;
    for (int i = 0; i < tries; i++) {
        if (idle_ms > 0) assert_int_equal(tc_recv(&rx, &f, idle_ms), 0);
        uint64_t t0 = nb_time_ns();
        assert_int_equal(tc_send_segment(&tx, 999, (uint32_t)i, 0), 0);
        expect_segment(&rx, &tx, (uint32_t)i);
        lat[i] = nb_time_ns() - t0;
    }
    tc_close(&tx);
    tc_close(&rx);
    return median(lat, (size_t)tries);
}

static void test_negative_delay_never_holds(void **state)
{
    (void)state;
    nb_server *s = start(-1, 0);
    /* back to back: each segment follows a send to rx by well under any delay */
    uint64_t med = single_latency_median(s, 20, 0);
    print_message("flush_delay_us < 0: single segment median %.3f ms\n", ms(med));
    assert_true(med < 10u * 1000000u);
    nb_server_stop(s);
}

static void test_idle_peer_not_held(void **state)
{
    (void)state;
    nb_server *s = start(DELAY_US, 0);
    uint64_t med = single_latency_median(s, 5, DELAY_US / 1000 + 5);
    print_message("idle peer, delay %d us: single segment median %.3f ms\n", DELAY_US, ms(med));
    assert_true(med < DELAY_NS / 2);
    nb_server_stop(s);
}

/* Skips J/L frames (noting slow's L) up to the next T, which must be message `i`. */
static void expect_chat(tc *c, int i, size_t len, uint16_t slow_author, int *left_seen)
{
    nb_frame f;
    for (int k = 0; k < 8; k++) {
        assert_int_equal(tc_recv(c, &f, TC_WAIT_MS), 1);
        if (f.type == NB_FT_LEAVE && f.u.peer.author == slow_author) *left_seen = 1;
        if (f.type == NB_FT_CHAT_DELIVERED) break;
    }
    assert_int_equal(f.type, NB_FT_CHAT_DELIVERED);
    char want[16];
    snprintf(want, sizeof want, "%06d", i);
    assert_int_equal(f.text_len, len);
    assert_memory_equal(f.text, want, 6);
}

/* Sends tx's messages [*next, *next + n) and checks rx and tx each get all of them, in order. */
static void chat_round(tc *tx, tc *rx, int *next, int n, uint16_t slow_author, int *left_seen)
{
    enum { MSG_LEN = 8 * 1024, MAX_N = 4 };
    static char msg[MSG_LEN + 1];
    static uint8_t wire[MAX_N * (MSG_LEN + 16)];
    NB_ASSERT(n <= MAX_N);
    memset(msg, 'y', MSG_LEN);
    size_t len = 0;
    for (int k = 0; k < n; k++) {   /* one write: the server reads the round at once */
        char head[16];
        snprintf(head, sizeof head, "%06d", *next + k);
        memcpy(msg, head, 6);
        nb_frame m = { .type = NB_FT_CHAT_MIX, .text = msg, .text_len = MSG_LEN };
        int w = nb_encode(&m, wire + len, sizeof wire - len, NULL);
        assert_true(w > 0);
        len += (size_t)w;
    }
    assert_int_equal(tc_send_bytes(tx, wire, len), 0);
    int ignored = 0;
    for (int k = 0; k < n; k++) {
        expect_chat(rx, *next + k, MSG_LEN, slow_author, left_seen);
        expect_chat(tx, *next + k, MSG_LEN, slow_author, &ignored);
    }
    *next += n;
}

static void test_slow_reader_still_dropped(void **state)
{
    (void)state;
    /* Batches of four 8 KiB messages pass the 16 KiB send-now mark, so rx and tx are sent
     * each batch at once while the slow peer's buffer grows to the limit; afterwards
     * single messages (under the mark: held for the delay) still reach rx and tx. */
    enum { BATCH = 4, MAX_BATCHES = 2000, AFTER = 10 };
    nb_server *s = start(DELAY_US, 256 * 1024);
    int port = nb_server_port(s);
    tc tx, rx, slow;
    join_pair(port, &tx, &rx);
    assert_int_equal(tc_connect(&slow, port, 4096), 0);   /* small window, never reads */
    assert_int_equal(tc_send_bytes(&slow, NB_SIGNATURE, NB_SIG_LEN), 0);
    assert_int_equal(tc_send_hello(&slow, 3, "slow"), 0);
    nb_frame f;
    assert_int_equal(tc_recv_type(&rx, NB_FT_JOIN, &f, TC_WAIT_MS), 1);
    uint16_t slow_author = f.u.peer.author;

    int left_seen = 0, next = 0;
    uint64_t t0 = nb_time_ns();
    for (int b = 0; b < MAX_BATCHES && !left_seen; b++)
        chat_round(&tx, &rx, &next, BATCH, slow_author, &left_seen);
    assert_true(left_seen);
    print_message("slow reader dropped after %d messages of 8 KiB, %.1f ms\n", next,
                  ms(nb_time_ns() - t0));
    for (int k = 0; k < AFTER; k++) chat_round(&tx, &rx, &next, 1, slow_author, &left_seen);
    nb_server_status st;
    nb_server_status_get(s, &st);
    assert_int_equal(st.clients, 2);
    assert_int_equal(st.dropped, 1);
    tc_close(&slow);
    tc_close(&tx);
    tc_close(&rx);
    nb_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_within_delay_then_held),
        cmocka_unit_test(test_pings_not_held),
        cmocka_unit_test(test_chat_keeps_its_place),
        cmocka_unit_test(test_stop_sends_what_is_held),
        cmocka_unit_test(test_negative_delay_never_holds),
        cmocka_unit_test(test_idle_peer_not_held),
        cmocka_unit_test(test_slow_reader_still_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
