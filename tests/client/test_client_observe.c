/* test_client_observe.c — the live overlay's inputs tell the truth, on the real relay
 * over loopback: a client's traffic counters and capture ring match exactly what it
 * sent and received (cross-checked against its stats and the server's per-client
 * status), and the teaching shaper delays, paces and releases board frames in order
 * without losing one, even across a server restart. Times are measured (nb_time_ms at
 * send and at the receiver's drain); waits poll to a deadline (no sleeps as sync). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client_harness.h"
#include "nb_inspect.h"
#include "nb_rate.h"
#include "nb_server.h"
#include "nb_shaper.h"
#include "nb_time.h"

#define WAIT_MS 5000
#define SEG_BYTES 21            /* 'S' + 20-byte body */

static nb_server *server_on(int port, const char *journal)
{
    char err[NB_ERR_LEN];
    nb_server_opts o = { .bind = "127.0.0.1", .port = port, .ephemeral = port == 0,
                         .name = "observe", .journal_path = journal };
    nb_server *s = nb_server_start(&o, err);
    if (!s) fail_msg("server: %s", err);
    return s;
}

static void peer_up(th_peer *p, nb_client_opts o)
{
    char err[NB_ERR_LEN];
    o.host = "127.0.0.1";
    if (!o.backoff_min_ms) o.backoff_min_ms = 20;
    if (!o.backoff_max_ms) o.backoff_max_ms = 100;
    if (th_peer_start(p, &o, err) != 0) fail_msg("client: %s", err);
    assert_true(th_wait_connected(p, 1, WAIT_MS));
}

/* ---- counters and capture --------------------------------------------------------- */

typedef struct sent_ctx { th_peer *a, *b; } sent_ctx;

static int all_relayed(void *ctx)
{
    sent_ctx *x = ctx;
    nb_client_stats st;
    nb_client_get_stats(x->a->c, &st);
    return nb_board_count(x->b->board) == 500 && nb_board_visible_count(x->b->board) == 300 &&
           x->a->nchat == 3 && x->b->nchat == 3 && st.rtt_samples >= 2;
}

static size_t chat_size(uint8_t type, uint16_t author, char framing, const char *text)
{
    nb_frame f = { .type = type, .text = text, .text_len = (uint32_t)strlen(text) };
    f.u.chat.author = author;
    f.u.chat.framing = (uint8_t)framing;
    size_t n = nb_encoded_size(&f);
    assert_true(n > 0);
    return n;
}

static uint64_t sum(const uint64_t v[NB_CLASS_COUNT])
{
    uint64_t t = 0;
    for (int k = 0; k < NB_CLASS_COUNT; k++) t += v[k];
    return t;
}

/* The board frames a sent, in order, as it encoded them (author 0: the server stamps). */
static nb_frame sent_frame(size_t i)
{
    nb_frame f = { .type = NB_FT_SEGMENT };
    if (i >= 500) {                    /* two undos after 5 strokes of 100 */
        f.type = NB_FT_UNDO;
        f.u.undo.stroke = i == 500 ? 5 : 4;
        return f;
    }
    uint32_t stroke = (uint32_t)(i / 100) + 1, k = (uint32_t)(i % 100);
    f.u.seg = (nb_segment){ .stroke = stroke, .x1 = (uint16_t)(stroke * 97 + k * 13),
                            .y1 = (uint16_t)(k * 31), .x2 = (uint16_t)(stroke * 97 + k * 13 + 7),
                            .y2 = (uint16_t)(k * 31 + 5), .rgba = 0x10203000u | (stroke & 0xff),
                            .width = (uint8_t)(1 + k % 9) };
    return f;
}

static void test_counters_and_capture_are_true(void **state)
{
    (void)state;
    nb_server *s = server_on(0, NULL);
    int port = nb_server_port(s);
    nb_counters *ctr = calloc(1, sizeof *ctr);
    nb_capture *cap = nb_capture_create();
    assert_non_null(ctr);
    assert_non_null(cap);
    th_peer a, b;
    peer_up(&b, (nb_client_opts){ .port = port, .name = "bob" });
    peer_up(&a, (nb_client_opts){ .port = port, .name = "alice", .ping_interval_ms = 50,
                                  .counters = ctr, .capture = cap });

    /* chats first and the board frames after, so the ring's tail is only S, U and pings */
    char err[NB_ERR_LEN];
    char mtext[301];
    memset(mtext, 'm', 300);
    mtext[300] = '\0';
    assert_int_equal(nb_client_send_chat(a.c, 'F', "fixed", err), 0);
    assert_int_equal(nb_client_send_chat(a.c, 'V', "a line", err), 0);
    assert_int_equal(nb_client_send_chat(a.c, 'M', mtext, err), 0);
    for (size_t i = 0; i < 500; i++) {
        nb_frame f = sent_frame(i);
        th_peer_draw(&a, f.u.seg.stroke, (uint32_t)(i % 100));
    }
    assert_int_equal(th_peer_undo(&a), 5);
    assert_int_equal(th_peer_undo(&a), 4);
    th_peer *ab[] = { &a, &b };
    sent_ctx sc = { &a, &b };
    assert_true(th_wait(ab, 2, all_relayed, &sc, WAIT_MS));

    /* Read in an order that makes every cross-check hold while pings continue: what a
     * counter has seen can only have grown by the time a later reading is taken. */
    nb_client_stats st;
    nb_counters_snap c1, c2;
    nb_server_status *sst = calloc(1, sizeof *sst);
    assert_non_null(sst);
    nb_client_get_stats(a.c, &st);
    nb_counters_snapshot(ctr, &c1);
    nb_server_status_get(s, sst);
    nb_counters_snapshot(ctr, &c2);

    size_t chat_out = chat_size(NB_FT_CHAT_FIXED, 0, 0, "fixed") +
                      chat_size(NB_FT_CHAT_VAR, 0, 0, "a line") +
                      chat_size(NB_FT_CHAT_MIX, 0, 0, mtext);
    size_t chat_in = chat_size(NB_FT_CHAT_DELIVERED, a.author, 'F', "fixed") +
                     chat_size(NB_FT_CHAT_DELIVERED, a.author, 'V', "a line") +
                     chat_size(NB_FT_CHAT_DELIVERED, a.author, 'M', mtext);
    nb_frame h = { .type = NB_FT_HELLO, .text = "alice", .text_len = 5 };
    h.u.hello.version = NB_PROTO_VERSION;
    h.u.hello.session = st.session;
    size_t h_size = nb_encoded_size(&h), u_size = 1 + nb_frame_fixed_len(NB_FT_UNDO);
    size_t ping_size = 1 + nb_frame_fixed_len(NB_FT_PING);
    assert_int_equal(SEG_BYTES, 1 + nb_frame_fixed_len(NB_FT_SEGMENT));
    assert_true(h_size > 0);

    const nb_counters_snap *cs[] = { &c1, &c2 };
    for (int i = 0; i < 2; i++) {
        const nb_counters_snap *c = cs[i];
        assert_int_equal(c->frames[NB_DIR_OUT][NB_CLASS_SEGMENT], 500);
        assert_int_equal(c->bytes[NB_DIR_OUT][NB_CLASS_SEGMENT], 500 * SEG_BYTES);
        assert_int_equal(c->frames[NB_DIR_OUT][NB_CLASS_CHAT], 3);
        assert_int_equal(c->bytes[NB_DIR_OUT][NB_CLASS_CHAT], chat_out);
        assert_int_equal(c->frames[NB_DIR_OUT][NB_CLASS_CONTROL], 3);          /* H U U */
        assert_int_equal(c->bytes[NB_DIR_OUT][NB_CLASS_CONTROL], h_size + 2 * u_size);
        assert_int_equal(c->frames[NB_DIR_IN][NB_CLASS_CHAT], 3);              /* T T T */
        assert_int_equal(c->bytes[NB_DIR_IN][NB_CLASS_CHAT], chat_in);
        assert_int_equal(c->frames[NB_DIR_IN][NB_CLASS_SEGMENT], 0);
        assert_true(c->frames[NB_DIR_IN][NB_CLASS_CONTROL] >= 1);             /* W */
        /* the relay never pings a client: IN pings are Q, OUT pings are P, 9 bytes each */
        assert_int_equal(c->bytes[NB_DIR_OUT][NB_CLASS_PING],
                         c->frames[NB_DIR_OUT][NB_CLASS_PING] * ping_size);
        assert_int_equal(c->bytes[NB_DIR_IN][NB_CLASS_PING],
                         c->frames[NB_DIR_IN][NB_CLASS_PING] * ping_size);
    }
    /* every RTT sample is a Q counted first; every Q answers a P counted when sent */
    assert_true(st.rtt_samples >= 2);
    assert_true(st.rtt_samples <= c1.frames[NB_DIR_IN][NB_CLASS_PING]);
    assert_true(c1.frames[NB_DIR_IN][NB_CLASS_PING] <= c2.frames[NB_DIR_OUT][NB_CLASS_PING]);
    assert_true(st.frames_in <= sum(c1.frames[NB_DIR_IN]));
    /* stats.frames_out counts the board and chat frames; H, P and Q are not in it (see
     * the report: append_frame callers in nb_client.c skip st.frames_out), so it lies
     * between those 505 and the counters' total */
    assert_true(st.frames_out >= 505);
    assert_true(st.frames_out <= sum(c1.frames[NB_DIR_OUT]));

    /* the server's line for a: it got H, 500 S, 3 chats, 2 U and a P per Q seen */
    const nb_server_client_status *line = NULL;
    for (int i = 0; i < sst->clients && i < NB_SERVER_STATUS_CLIENTS; i++)
        if (sst->client[i].author == a.author) line = &sst->client[i];
    assert_non_null(line);
    uint64_t known = 1 + 500 + 3 + 2 + c1.frames[NB_DIR_IN][NB_CLASS_PING];
    assert_true(line->frames_in >= known);
    assert_true(line->frames_in <= sum(c2.frames[NB_DIR_OUT]));
    uint64_t known_bytes = NB_SIG_LEN + h_size + 500 * SEG_BYTES + chat_out + 2 * u_size +
                           c1.frames[NB_DIR_IN][NB_CLASS_PING] * ping_size;
    assert_true(line->bytes_in >= known_bytes);
    assert_true(line->bytes_in <= NB_SIG_LEN + sum(c2.bytes[NB_DIR_OUT]));
    uint64_t server_out_a = line->frames_out, client_in_a = sum(c1.frames[NB_DIR_IN]);
    free(sst);

    /* capture: the last 64 frames, consecutive, each with the direction its type implies */
    nb_capture_entry *ring = calloc(NB_CAPTURE_ENTRIES, sizeof *ring);
    assert_non_null(ring);
    uint64_t newest = 0;
    size_t n = nb_capture_snapshot(cap, ring, &newest);
    assert_int_equal(n, NB_CAPTURE_ENTRIES);
    assert_int_equal(ring[n - 1].seq, newest);
    size_t board_idx[NB_CAPTURE_ENTRIES], nboard = 0;
    for (size_t i = 0; i < n; i++) {
        const nb_capture_entry *e = &ring[i];
        assert_int_equal(e->seq, ring[0].seq + i);
        assert_int_equal(e->type, e->bytes[0]);
        assert_int_equal(e->len, e->size < NB_CAPTURE_BYTES ? e->size : NB_CAPTURE_BYTES);
        if (strchr("SUHFVMP", e->type)) assert_int_equal(e->dir, NB_CAPTURE_OUT);
        else if (strchr("QTWJL", e->type)) assert_int_equal(e->dir, NB_CAPTURE_IN);
        else fail_msg("unexpected frame '%c' in the capture", e->type);
        if (e->type == 'S' || e->type == 'U') board_idx[nboard++] = i;
    }
    /* pings interleave, but most of the ring is the tail of what was drawn, in order,
     * byte for byte as encoded */
    assert_true(nboard >= NB_CAPTURE_ENTRIES / 2);
    for (size_t j = 0; j < nboard; j++) {
        const nb_capture_entry *e = &ring[board_idx[nboard - 1 - j]];
        nb_frame f = sent_frame(501 - j);
        uint8_t enc[64];
        int len = nb_encode(&f, enc, sizeof enc, err);
        assert_true(len > 0);
        assert_int_equal(e->size, (uint32_t)len);
        assert_memory_equal(e->bytes, enc, (size_t)len);
    }
    assert_int_equal(ring[board_idx[nboard - 1]].type, 'U');
    assert_int_equal(ring[board_idx[nboard - 2]].type, 'U');
    assert_int_equal(ring[board_idx[nboard - 3]].type, 'S');
    free(ring);

    /* Everything a decoded was queued to it by the server first, W included.
     * KNOWN BUG (src/net/nb_server_conn.c, on_hello): the W is appended to c->pre and the
     * history replay is sent by offset, neither counted in c->frames_out / s->frames_out,
     * so the server's per-client line is short by 1 + history_frames (here 1: a joined an
     * empty board). Fix: in on_hello, after the W is queued, add 1 + s->history_frames
     * to c->frames_out and s->frames_out. Kept strict and last on purpose. */
    printf("server frames_out to a: %llu, frames a decoded: %llu\n",
           (unsigned long long)server_out_a, (unsigned long long)client_in_a);
    assert_true(server_out_a >= client_in_a);

    th_peer_stop(&a);
    th_peer_stop(&b);
    nb_server_stop(s);
    nb_capture_destroy(cap);
    free(ctr);
}

/* ---- shaper ----------------------------------------------------------------------- */

#define RX_MAX 128

/* What a receiver got: each new segment and the time its drain made it visible. */
typedef struct rx_log {
    th_peer *p;
    size_t seen;               /* board segments already logged */
    size_t n;
    nb_segment seg[RX_MAX];
    uint64_t at[RX_MAX];
} rx_log;

/* Pump p every ~1 ms until `want` new segments have been logged or the deadline. */
static void rx_collect(rx_log *r, size_t want, int timeout_ms)
{
    r->n = 0;
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    while (r->n < want && nb_time_ms() < deadline) {
        th_peer_pump(r->p);
        uint64_t now = nb_time_ms();
        size_t pos = r->seen;
        nb_segment s;
        while (nb_board_next(r->p->board, &pos, &s) && r->n < RX_MAX) {
            r->seg[r->n] = s;
            r->at[r->n++] = now;
        }
        r->seen = nb_board_count(r->p->board);
        if (r->n < want) poll(NULL, 0, 1);
    }
}

/* The n logged segments are those th_peer_draw made for stroke, i = 0..n-1, in order. */
static void rx_expect_stroke(const rx_log *r, uint32_t stroke, size_t n)
{
    assert_int_equal(r->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r->seg[i].stroke, stroke);
        assert_int_equal(r->seg[i].x1, (uint16_t)(stroke * 97 + i * 13));
    }
}

typedef struct held_ctx { nb_client *c; size_t want; } held_ctx;

static int held_at_least(void *ctx)
{
    held_ctx *h = ctx;
    return nb_client_shaper_held(h->c) >= h->want;
}

static void test_shaper_delays_paces_and_releases(void **state)
{
    (void)state;
    nb_server *s = server_on(0, NULL);
    th_peer a, b;
    peer_up(&a, (nb_client_opts){ .port = nb_server_port(s), .name = "sender" });
    peer_up(&b, (nb_client_opts){ .port = nb_server_port(s), .name = "receiver" });
    th_peer *pa = &a;
    rx_log *rx = calloc(1, sizeof *rx);
    assert_non_null(rx);
    rx->p = &b;

    /* delay: nothing arrives before t0 + 300 ms, and the shaper is seen holding */
    nb_client_set_shaping(a.c, 300, 0);
    uint64_t t0 = nb_time_ms();
    for (uint32_t i = 0; i < 20; i++) th_peer_draw(&a, 1, i);
    held_ctx hc = { a.c, 1 };
    assert_true(th_wait(&pa, 1, held_at_least, &hc, 250));
    rx_collect(rx, 20, WAIT_MS);
    rx_expect_stroke(rx, 1, 20);
    for (size_t i = 0; i < rx->n; i++) assert_true(rx->at[i] + 1 >= t0 + 300);
    printf("delay 300 ms: first after %llu ms, last after %llu ms\n",
           (unsigned long long)(rx->at[0] - t0), (unsigned long long)(rx->at[19] - t0));

    /* rate: 100 frames at 50/s; the bucket holds max(1, rate/50) packets (nb_shaper.h),
     * so after the burst one goes every 20 ms: the last is (100 - burst) / 50 s later */
    const uint32_t rate = 50, count = 100, burst = rate / 50 > 1 ? rate / 50 : 1;
    nb_client_set_shaping(a.c, 0, rate);
    for (uint32_t i = 0; i < count; i++) th_peer_draw(&a, 2, i);
    rx_collect(rx, count, WAIT_MS);
    rx_expect_stroke(rx, 2, count);
    uint64_t span = rx->at[count - 1] - rx->at[0], bound = (count - burst) * 1000 / rate;
    printf("rate %u pps: %u frames over %llu ms (bound %llu ms)\n", rate, count,
           (unsigned long long)span, (unsigned long long)bound);
    assert_true(span + 60 >= bound);           /* 60 ms: drain jitter at both ends */
    assert_true(span < bound + 1500);

    /* release: held by a long delay, then everything goes at once on 0, 0 */
    nb_client_set_shaping(a.c, NB_SHAPER_DELAY_MAX, 0);
    uint64_t t_send = nb_time_ms();
    for (uint32_t i = 0; i < 30; i++) th_peer_draw(&a, 3, i);
    hc.want = 30;
    assert_true(th_wait(&pa, 1, held_at_least, &hc, WAIT_MS));
    uint64_t t_rel = nb_time_ms();
    nb_client_set_shaping(a.c, 0, 0);
    rx_collect(rx, 30, WAIT_MS);
    rx_expect_stroke(rx, 3, 30);
    printf("release: all 30 within %llu ms of shaping off\n",
           (unsigned long long)(rx->at[29] - t_rel));
    /* well before the delay would have let them go */
    assert_true(rx->at[29] < t_send + NB_SHAPER_DELAY_MAX - 200);
    assert_int_equal(nb_client_shaper_held(a.c), 0);

    free(rx);
    th_peer_stop(&a);
    th_peer_stop(&b);
    nb_server_stop(s);
}

/* ---- shaping across a lost server --------------------------------------------------- */

typedef struct count_ctx { th_peer *p; size_t n; } count_ctx;

static int has_count(void *ctx)
{
    count_ctx *c = ctx;
    return nb_board_count(c->p->board) >= c->n;
}

static int both_down(void *ctx)
{
    th_peer **p = ctx;
    return p[0]->disconnects > 0 && p[1]->disconnects > 0;
}

static void restart(nb_server **s, int port, const char *journal, th_peer **peers, int welcomes)
{
    for (int i = 0; i < 2; i++) peers[i]->disconnects = 0;
    nb_server_stop(*s);
    assert_true(th_wait(peers, 2, both_down, peers, WAIT_MS));
    *s = server_on(port, journal);
    for (int i = 0; i < 2; i++) assert_true(th_wait_connected(peers[i], welcomes, WAIT_MS));
}

static void test_shaped_frames_survive_server_restart(void **state)
{
    (void)state;
    char dir[] = "/tmp/nb-observe-XXXXXX", journal[64];
    assert_non_null(mkdtemp(dir));
    snprintf(journal, sizeof journal, "%s/board.nbj", dir);
    nb_server *s = server_on(0, journal);
    int port = nb_server_port(s);
    th_peer a, w;
    peer_up(&a, (nb_client_opts){ .port = port, .name = "alice" });
    peer_up(&w, (nb_client_opts){ .port = port, .name = "watcher" });
    th_peer *aw[] = { &a, &w };

    for (uint32_t i = 0; i < 20; i++) th_peer_draw(&a, 1, i);          /* delivered */
    count_ctx c20 = { &w, 20 };
    assert_true(th_wait(aw, 2, has_count, &c20, WAIT_MS));

    /* 30 held by a 2 s delay (the shaper clamps it to NB_SHAPER_DELAY_MAX) when the
     * server goes away; the journal keeps what it had, the outbox the rest */
    nb_client_set_shaping(a.c, 2000, 0);
    for (uint32_t i = 0; i < 30; i++) th_peer_draw(&a, 2, i);
    held_ctx hc = { a.c, 30 };
    assert_true(th_wait(aw, 2, held_at_least, &hc, WAIT_MS));
    restart(&s, port, journal, aw, 2);
    count_ctx c50 = { &w, 50 };
    assert_true(th_wait(aw, 2, has_count, &c50, WAIT_MS));

    /* rate-capped, and the server goes away mid-stream: part relayed, part not */
    nb_client_set_shaping(a.c, 0, 40);
    for (uint32_t i = 0; i < 20; i++) th_peer_draw(&a, 3, i);
    count_ctx c55 = { &w, 55 };
    assert_true(th_wait(aw, 2, has_count, &c55, WAIT_MS));
    restart(&s, port, journal, aw, 3);
    count_ctx c70 = { &w, 70 };
    assert_true(th_wait(aw, 2, has_count, &c70, WAIT_MS));
    nb_client_set_shaping(a.c, 0, 0);

    /* the server's board, seen by a fresh peer: every segment exactly once */
    th_peer late;
    peer_up(&late, (nb_client_opts){ .port = port, .name = "auditor" });
    assert_int_equal(late.history_expected, 70);
    assert_int_equal(late.history_seen, 70);
    size_t nl, na, nw;
    uint64_t hl = th_board_hash(late.board, 1, &nl);
    assert_int_equal(nl, 70);
    assert_int_equal(nb_board_count(late.board), 70);
    assert_int_equal(th_board_hash(a.board, 1, &na), hl);
    assert_int_equal(th_board_hash(w.board, 1, &nw), hl);
    assert_int_equal(na, 70);
    assert_int_equal(nw, 70);
    assert_int_equal(nb_board_count(w.board), 70);
    nb_client_stats st;
    nb_client_get_stats(a.c, &st);
    assert_int_equal(st.outbox_len, 70);

    th_peer_stop(&late);
    th_peer_stop(&w);
    th_peer_stop(&a);
    nb_server_stop(s);
    unlink(journal);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counters_and_capture_are_true),
        cmocka_unit_test(test_shaper_delays_paces_and_releases),
        cmocka_unit_test(test_shaped_frames_survive_server_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
