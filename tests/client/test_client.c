/* test_client.c — the board client against the real relay on loopback: two peers end
 * with the same board, a late joiner gets the whole history, chat in each framing comes
 * back as T, limits are refused at the sender, pings give an RTT, backoff doubles up to
 * its cap and stop is prompt. Waits poll the event queue to a deadline (no sleeps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client_harness.h"
#include "nb_server.h"
#include "nb_sock.h"
#include "nb_time.h"

#define WAIT_MS 5000

static nb_server *server_start(void)
{
    char err[NB_ERR_LEN];
    nb_server *s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                                      .name = "testboard" }, err);
    if (!s) fail_msg("server: %s", err);
    return s;
}

static void peer_up(th_peer *p, int port, const char *name)
{
    char err[NB_ERR_LEN];
    nb_client_opts o = { .host = "127.0.0.1", .port = port, .name = name,
                         .backoff_min_ms = 20, .backoff_max_ms = 200 };
    if (th_peer_start(p, &o, err) != 0) fail_msg("client: %s", err);
    assert_true(th_wait_connected(p, 1, WAIT_MS));
}

typedef struct same_ctx { th_peer *a, *b; size_t want; } same_ctx;

static int boards_match(void *ctx)
{
    same_ctx *s = ctx;
    size_t na, nb;
    uint64_t ha = th_board_hash(s->a->board, 1, &na), hb = th_board_hash(s->b->board, 1, &nb);
    return na == s->want && nb == s->want && ha == hb;
}

static void test_two_clients_same_board(void **state)
{
    (void)state;
    nb_server *s = server_start();
    th_peer a, b;
    peer_up(&a, nb_server_port(s), "alice");
    peer_up(&b, nb_server_port(s), "bob");
    assert_int_not_equal(a.author, b.author);
    assert_true(a.author != 0 && b.author != 0);
    /* the same stroke ids from both: authors keep them apart */
    for (uint32_t stroke = 1; stroke <= 3; stroke++)
        for (uint32_t i = 0; i < 20; i++) {
            th_peer_draw(&a, stroke, i);
            th_peer_draw(&b, stroke, i);
        }
    assert_int_equal(th_peer_undo(&a), 3);
    th_peer *both[] = { &a, &b };
    same_ctx ctx = { &a, &b, 100 };   /* 120 drawn, a's stroke 3 undone */
    assert_true(th_wait(both, 2, boards_match, &ctx, WAIT_MS));
    nb_client_stats st;
    nb_client_get_stats(a.c, &st);
    assert_int_equal(st.outbox_len, 61);      /* 60 segments and one undo */
    assert_int_equal(st.outbox_resent, 0);
    assert_int_equal(st.author, a.author);
    th_peer_stop(&a);
    th_peer_stop(&b);
    nb_server_stop(s);
}

typedef struct hist_ctx { nb_server *s; th_peer *p; uint32_t frames; } hist_ctx;

static int server_has(void *ctx)
{
    hist_ctx *h = ctx;
    nb_server_status st;
    nb_server_status_get(h->s, &st);
    return st.history_frames >= h->frames;
}

static int history_done(void *ctx)
{
    hist_ctx *h = ctx;
    return h->p->welcomes == 1 && h->p->history_seen == h->p->history_expected &&
           h->p->history_seen == h->frames;
}

static void test_late_joiner_gets_history(void **state)
{
    (void)state;
    nb_server *s = server_start();
    th_peer a, late;
    peer_up(&a, nb_server_port(s), "alice");
    for (uint32_t stroke = 1; stroke <= 10; stroke++)
        for (uint32_t i = 0; i < 30; i++) th_peer_draw(&a, stroke, i);
    th_peer_undo(&a);
    hist_ctx h = { s, &late, 301 };
    th_peer *pa = &a;
    assert_true(th_wait(&pa, 1, server_has, &h, WAIT_MS));
    peer_up(&late, nb_server_port(s), "late");
    assert_int_equal(late.history_expected, 301);
    th_peer *pl = &late;
    assert_true(th_wait(&pl, 1, history_done, &h, WAIT_MS));
    size_t na, nl;
    assert_int_equal(th_board_hash(a.board, 1, &na), th_board_hash(late.board, 1, &nl));
    assert_int_equal(na, 270);
    assert_int_equal(nl, 270);
    th_peer_stop(&late);
    th_peer_stop(&a);
    nb_server_stop(s);
}

typedef struct chat_ctx { th_peer *a, *b; int n; } chat_ctx;

static int chats_arrived(void *ctx)
{
    chat_ctx *c = ctx;
    return c->a->nchat >= c->n && c->b->nchat >= c->n;
}

static void test_chat_framings(void **state)
{
    (void)state;
    nb_server *s = server_start();
    th_peer a, b;
    peer_up(&a, nb_server_port(s), "alice");
    peer_up(&b, nb_server_port(s), "bob");
    char err[NB_ERR_LEN] = "";
    char *big = malloc(5001);
    memset(big, 'm', 5000);
    big[5000] = '\0';
    assert_int_equal(nb_client_send_chat(a.c, 'F', "fixed hello", err), 0);
    assert_int_equal(nb_client_send_chat(a.c, 'V', "a line of text", err), 0);
    assert_int_equal(nb_client_send_chat(a.c, 'M', big, err), 0);
    /* refused at the sender, with a reason */
    assert_int_equal(nb_client_send_chat(a.c, 'F', "123456789012345678901234567890123", err), -1);
    assert_non_null(strstr(err, "at most 32"));
    assert_int_equal(nb_client_send_chat(a.c, 'V', "two\nlines", err), -1);
    assert_non_null(strstr(err, "newline"));
    assert_int_equal(nb_client_send_chat(a.c, 'X', "x", err), -1);
    assert_int_equal(nb_client_send_chat(a.c, 'F', "\xff\xfe", err), -1);
    th_peer *both[] = { &a, &b };
    chat_ctx ctx = { &a, &b, 3 };
    assert_true(th_wait(both, 2, chats_arrived, &ctx, WAIT_MS));
    for (int who = 0; who < 2; who++) {
        th_peer *p = both[who];
        assert_int_equal(p->nchat, 3);        /* nothing refused got through */
        assert_int_equal(p->chat[0].framing, 'F');
        assert_string_equal(p->chat[0].text, "fixed hello");
        assert_int_equal(p->chat[1].framing, 'V');
        assert_string_equal(p->chat[1].text, "a line of text");
        assert_int_equal(p->chat[2].framing, 'M');
        assert_int_equal(p->chat[2].len, 5000);
        for (int i = 0; i < 3; i++) assert_int_equal(p->chat[i].author, a.author);
    }
    free(big);
    th_peer_stop(&a);
    th_peer_stop(&b);
    nb_server_stop(s);
}

static int rtt_ready(void *ctx)
{
    nb_client_stats st;
    nb_client_get_stats(((th_peer *)ctx)->c, &st);
    return st.rtt_samples >= 3;
}

static void test_ping_rtt_and_tcp_info(void **state)
{
    (void)state;
    nb_server *s = server_start();
    th_peer a;
    char err[NB_ERR_LEN];
    nb_client_opts o = { .host = "127.0.0.1", .port = nb_server_port(s), .name = "pinger",
                         .ping_interval_ms = 20 };
    assert_int_equal(th_peer_start(&a, &o, err), 0);
    assert_true(th_wait_connected(&a, 1, WAIT_MS));
    th_peer *pa = &a;
    assert_true(th_wait(&pa, 1, rtt_ready, &a, WAIT_MS));
    nb_client_stats st;
    nb_client_get_stats(a.c, &st);
    assert_true(st.rtt_min_us <= st.rtt_avg_us && st.rtt_avg_us <= st.rtt_max_us);
    assert_true(st.rtt_max_us < 1000000);     /* loopback: well under a second */
    assert_true(st.bytes_in > 0 && st.bytes_out > 0 && st.frames_in >= 4);
    assert_int_equal(st.state, NB_CLIENT_CONNECTED);
    assert_true(st.fd >= 0);
    assert_non_null(strstr(st.server_addr, "127.0.0.1:"));
    struct tcp_info ti;
    int snd = 0, rcv = 0;
    assert_int_equal(nb_client_tcp_info(a.c, &ti, &snd, &rcv, err), 0);
    assert_int_equal(ti.tcpi_state, 1 /* TCP_ESTABLISHED */);
    assert_true(snd > 0 && rcv > 0);
    th_peer_stop(&a);
    nb_server_stop(s);
}

typedef struct retry_ctx { nb_client *c; int retries[8]; int n; } retry_ctx;

static int saw_retries(void *ctx)
{
    retry_ctx *r = ctx;
    nb_client_event ev[16];
    size_t n = nb_client_drain(r->c, ev, 16);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == NB_CLIENT_EV_STATE && ev[i].u.state.state == NB_CLIENT_DISCONNECTED &&
            r->n < 8)
            r->retries[r->n++] = ev[i].u.state.retry_ms;
        nb_client_event_free(&ev[i]);
    }
    return r->n >= 5;
}

static void test_backoff_and_prompt_stop(void **state)
{
    (void)state;
    char err[NB_ERR_LEN];
    int lfd = nb_sock_listen("127.0.0.1", 0, 1, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    close(lfd);                                /* refused from now on */
    nb_client *c = nb_client_start(&(nb_client_opts){ .host = "127.0.0.1", .port = port,
                                   .backoff_min_ms = 10, .backoff_max_ms = 40 }, err);
    assert_non_null(c);
    /* segments drawn while there is no server are kept, and chat is refused */
    nb_segment seg = { .stroke = 1, .x2 = 5 };
    assert_int_equal(nb_client_send_segment(c, &seg), 0);
    assert_int_equal(nb_client_send_chat(c, 'V', "anyone?", err), -1);
    assert_non_null(strstr(err, "not connected"));
    retry_ctx r = { .c = c };
    uint64_t deadline = nb_time_ms() + WAIT_MS;
    while (!saw_retries(&r) && nb_time_ms() < deadline) poll(NULL, 0, 2);
    assert_true(r.n >= 5);
    assert_int_equal(r.retries[0], 10);
    assert_int_equal(r.retries[1], 20);
    assert_int_equal(r.retries[2], 40);
    assert_int_equal(r.retries[3], 40);       /* capped */
    nb_client_stats st;
    nb_client_get_stats(c, &st);
    assert_int_equal(st.outbox_len, 1);
    assert_int_equal(nb_client_tcp_info(c, NULL, NULL, NULL, err), -1);
    uint64_t t0 = nb_time_ms();
    nb_client_stop(c);
    assert_true(nb_time_ms() - t0 < 1000);
}

static void test_stop_during_long_backoff(void **state)
{
    (void)state;
    char err[NB_ERR_LEN];
    int lfd = nb_sock_listen("127.0.0.1", 0, 1, err);
    int port = nb_sock_local_port(lfd);
    close(lfd);
    nb_client *c = nb_client_start(&(nb_client_opts){ .host = "127.0.0.1", .port = port,
                                   .backoff_min_ms = 5000 }, err);
    assert_non_null(c);
    /* wait for the first DISCONNECTED: the thread is now in its 5 s backoff */
    int seen = 0;
    uint64_t deadline = nb_time_ms() + WAIT_MS;
    while (!seen && nb_time_ms() < deadline) {
        nb_client_event ev[8];
        size_t n = nb_client_drain(c, ev, 8);
        for (size_t i = 0; i < n; i++) {
            seen |= ev[i].kind == NB_CLIENT_EV_STATE &&
                    ev[i].u.state.state == NB_CLIENT_DISCONNECTED;
            nb_client_event_free(&ev[i]);
        }
        if (!seen) poll(NULL, 0, 2);
    }
    assert_true(seen);
    uint64_t t0 = nb_time_ms();
    nb_client_stop(c);
    assert_true(nb_time_ms() - t0 < 1000);
}

/* A fake server run by the test thread: accept the client's next connection. */
static int accept_within(int lfd, int ms)
{
    struct pollfd p = { .fd = lfd, .events = POLLIN };
    if (poll(&p, 1, ms) != 1) return -1;
    return accept(lfd, NULL, NULL);
}

/* Drain until a DISCONNECTED state arrives; its reason goes to why. */
static int wait_disconnect(nb_client *c, char *why, size_t cap)
{
    uint64_t deadline = nb_time_ms() + WAIT_MS;
    int seen = 0;
    while (!seen && nb_time_ms() < deadline) {
        nb_client_event ev[16];
        size_t n = nb_client_drain(c, ev, 16);
        for (size_t i = 0; i < n; i++) {
            if (!seen && ev[i].kind == NB_CLIENT_EV_STATE &&
                ev[i].u.state.state == NB_CLIENT_DISCONNECTED) {
                seen = 1;
                nb_strlcpy(why, nb_client_event_text(&ev[i]), cap);
            }
            nb_client_event_free(&ev[i]);
        }
        if (!seen) poll(NULL, 0, 2);
    }
    return seen;
}

static void send_all(int fd, const void *p, size_t n)
{
    assert_int_equal(send(fd, p, n, MSG_NOSIGNAL), (ssize_t)n);
}

static void test_bad_server_input(void **state)
{
    (void)state;
    char err[NB_ERR_LEN], why[NB_ERR_LEN];
    int lfd = nb_sock_listen("127.0.0.1", 0, 4, err);
    assert_true(lfd >= 0);
    nb_client *c = nb_client_start(&(nb_client_opts){ .host = "127.0.0.1",
                                   .port = nb_sock_local_port(lfd), .backoff_min_ms = 5,
                                   .backoff_max_ms = 5 }, err);
    assert_non_null(c);

    /* 1: not NBP at all */
    int fd = accept_within(lfd, WAIT_MS);
    assert_true(fd >= 0);
    send_all(fd, "HTTP/1.1 400 Bad Request\r\n\r\n", 28);
    assert_true(wait_disconnect(c, why, sizeof why));
    assert_non_null(strstr(why, "protocol"));
    close(fd);

    /* 2: a valid frame, but not W */
    fd = accept_within(lfd, WAIT_MS);
    assert_true(fd >= 0);
    uint8_t buf[256];
    memcpy(buf, NB_SIGNATURE, NB_SIG_LEN);
    nb_frame p = { .type = NB_FT_PING, .u.token = 7 };
    int n = nb_encode(&p, buf + NB_SIG_LEN, sizeof buf - NB_SIG_LEN, err);
    assert_true(n > 0);
    send_all(fd, buf, NB_SIG_LEN + (size_t)n);
    assert_true(wait_disconnect(c, why, sizeof why));
    assert_non_null(strstr(why, "expected W"));
    close(fd);

    /* 3: a W promising history, then pseudo-random bytes: no crash, no hang */
    fd = accept_within(lfd, WAIT_MS);
    assert_true(fd >= 0);
    nb_frame w = { .type = NB_FT_WELCOME, .u.welcome = { 9, 0, 1000 }, .text = "b", .text_len = 1 };
    n = nb_encode(&w, buf + NB_SIG_LEN, sizeof buf - NB_SIG_LEN, err);
    assert_true(n > 0);
    send_all(fd, buf, NB_SIG_LEN + (size_t)n);
    uint32_t x = 12345;
    uint8_t junk[4096];
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (uint8_t)(x >> 16);
    }
    send_all(fd, junk, sizeof junk);
    close(fd);                                 /* whatever it made of it, the link ends */
    assert_true(wait_disconnect(c, why, sizeof why));
    nb_client_stop(c);
    close(lfd);
}

static void test_bad_name_refused(void **state)
{
    (void)state;
    char err[NB_ERR_LEN] = "";
    nb_client *c = nb_client_start(&(nb_client_opts){
        .name = "a display name that is longer than thirty-two bytes" }, err);
    assert_null(c);
    assert_non_null(strstr(err, "at most 32"));
    c = nb_client_start(&(nb_client_opts){ .name = "bad \xff utf-8" }, err);
    assert_null(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_clients_same_board),
        cmocka_unit_test(test_late_joiner_gets_history),
        cmocka_unit_test(test_chat_framings),
        cmocka_unit_test(test_ping_rtt_and_tcp_info),
        cmocka_unit_test(test_backoff_and_prompt_stop),
        cmocka_unit_test(test_stop_during_long_backoff),
        cmocka_unit_test(test_bad_server_input),
        cmocka_unit_test(test_bad_name_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
