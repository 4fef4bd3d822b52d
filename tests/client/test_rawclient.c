/* test_rawclient.c — the raw TCP client against a tiny echo server in this file: the
 * exact bytes of each framing on the wire, refusal of a 33-byte FIXED text, close after
 * send (half-close, echo still read), refused connections. Loopback only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_rawclient.h"
#include "nb_sock.h"
#include "nb_time.h"

#define DEADLINE_MS 5000

/* ---- echo server: one connection, echo everything, keep a copy, stop at EOF ---- */

typedef struct echo {
    int lfd, port;
    pthread_t th;
    uint8_t got[4096];
    size_t got_len;
    int saw_eof;
} echo;

static void *echo_main(void *arg)
{
    echo *e = arg;
    uint64_t deadline = nb_time_ms() + DEADLINE_MS;
    struct pollfd p = { .fd = e->lfd, .events = POLLIN };
    if (poll(&p, 1, DEADLINE_MS) != 1) return NULL;
    int fd = accept(e->lfd, NULL, NULL);
    if (fd < 0) return NULL;
    while (nb_time_ms() < deadline && e->got_len < sizeof e->got) {
        struct pollfd q = { .fd = fd, .events = POLLIN };
        if (poll(&q, 1, 50) <= 0) continue;
        ssize_t r = recv(fd, e->got + e->got_len, sizeof e->got - e->got_len, 0);
        if (r <= 0) {
            e->saw_eof = r == 0;
            break;
        }
        if (send(fd, e->got + e->got_len, (size_t)r, MSG_NOSIGNAL) != r) break;
        e->got_len += (size_t)r;
    }
    close(fd);
    return NULL;
}

static void echo_start(echo *e)
{
    char err[NB_ERR_LEN];
    memset(e, 0, sizeof *e);
    e->lfd = nb_sock_listen("127.0.0.1", 0, 4, err);
    assert_true(e->lfd >= 0);
    e->port = nb_sock_local_port(e->lfd);
    assert_int_equal(pthread_create(&e->th, NULL, echo_main, e), 0);
}

static void echo_join(echo *e)
{
    pthread_join(e->th, NULL);
    close(e->lfd);
}

/* ---- collecting events until CLOSED (bounded polling, no sleeps as sync) ------- */

typedef struct seen {
    uint8_t data[4096];
    size_t len;
    int connected, write_closed, closed;
    char closed_why[NB_ERR_LEN];
    char last_hex[512], last_text[512];
    uint64_t next_offset;
} seen;

static void collect_until_closed(nb_rawclient *c, seen *s)
{
    memset(s, 0, sizeof *s);
    uint64_t deadline = nb_time_ms() + DEADLINE_MS;
    nb_rawclient_event ev[16];
    while (!s->closed && nb_time_ms() < deadline) {
        size_t n = nb_rawclient_drain(c, ev, 16);
        for (size_t i = 0; i < n; i++) {
            switch (ev[i].kind) {
            case NB_RAW_EV_CONNECTED: s->connected = 1; break;
            case NB_RAW_EV_WRITE_CLOSED: s->write_closed = 1; break;
            case NB_RAW_EV_CLOSED:
                s->closed = 1;
                nb_strlcpy(s->closed_why, ev[i].text, sizeof s->closed_why);
                break;
            case NB_RAW_EV_DATA:
                assert_int_equal(ev[i].offset, s->next_offset);
                s->next_offset += ev[i].len;
                assert_true(s->len + ev[i].len <= sizeof s->data);
                memcpy(s->data + s->len, ev[i].data, ev[i].len);
                s->len += ev[i].len;
                nb_strlcpy(s->last_hex, ev[i].hex, sizeof s->last_hex);
                nb_strlcpy(s->last_text, ev[i].text, sizeof s->last_text);
                break;
            }
            nb_rawclient_event_free(&ev[i]);
        }
        if (!n) {
            struct pollfd none;
            poll(&none, 0, 2);     /* pace the polling loop; the deadline bounds it */
        }
    }
    assert_true(s->closed);
}

static nb_rawclient *start_to(int port)
{
    char err[NB_ERR_LEN];
    nb_rawclient *c = nb_rawclient_start(&(nb_rawclient_opts){ .host = "127.0.0.1",
                                                               .port = port }, err);
    assert_non_null(c);
    return c;
}

static void test_fixed_is_exactly_32_bytes(void **state)
{
    (void)state;
    echo e;
    echo_start(&e);
    nb_rawclient *c = start_to(e.port);
    char err[NB_ERR_LEN];
    assert_int_equal(nb_rawclient_send(c, NB_RAW_FIXED, "hi", 2, NB_RAW_CLOSE_AFTER, err), 0);
    seen s;
    collect_until_closed(c, &s);
    echo_join(&e);
    uint8_t want[32] = { 'h', 'i' };
    assert_int_equal(e.got_len, 32);
    assert_memory_equal(e.got, want, 32);
    assert_true(e.saw_eof);                    /* half-closed after the send */
    assert_true(s.connected && s.write_closed);
    assert_int_equal(s.len, 32);               /* the echo still came back */
    assert_memory_equal(s.data, want, 32);
    assert_non_null(strstr(s.closed_why, "peer closed"));
    nb_rawclient_stop(c);
}

static void test_var_and_mix_bytes(void **state)
{
    (void)state;
    echo e;
    echo_start(&e);
    nb_rawclient *c = start_to(e.port);
    char err[NB_ERR_LEN];
    assert_int_equal(nb_rawclient_send(c, NB_RAW_VAR, "hello", 5, 0, err), 0);
    assert_int_equal(nb_rawclient_send(c, NB_RAW_MIX, "world!", 6, NB_RAW_CLOSE_AFTER, err), 0);
    /* after close-after-send, further sends are refused with a message */
    assert_int_equal(nb_rawclient_send(c, NB_RAW_VAR, "late", 4, 0, err), -1);
    assert_non_null(strstr(err, "write side"));
    seen s;
    collect_until_closed(c, &s);
    echo_join(&e);
    const uint8_t want[] = "hello\n\0\0\0\6world!";
    assert_int_equal(e.got_len, sizeof want - 1);
    assert_memory_equal(e.got, want, sizeof want - 1);
    assert_int_equal(s.len, sizeof want - 1);
    assert_memory_equal(s.data, want, sizeof want - 1);
    assert_non_null(strstr(s.last_hex, "|")); /* rendered as hexdump lines */
    nb_rawclient_stop(c);
}

static void test_fixed_33_refused(void **state)
{
    (void)state;
    echo e;
    echo_start(&e);
    nb_rawclient *c = start_to(e.port);
    char err[NB_ERR_LEN] = "";
    const char *t33 = "123456789012345678901234567890123";
    assert_int_equal(nb_rawclient_send(c, NB_RAW_FIXED, t33, 33, 0, err), -1);
    assert_non_null(strstr(err, "at most 32"));
    assert_int_equal(nb_rawclient_send(c, NB_RAW_FIXED, t33, 32, NB_RAW_CLOSE_AFTER, err), 0);
    seen s;
    collect_until_closed(c, &s);
    echo_join(&e);
    assert_int_equal(e.got_len, 32);           /* only the accepted 32-byte text */
    assert_memory_equal(e.got, t33, 32);
    nb_rawclient_stop(c);
}

static void test_refused_connection_reports(void **state)
{
    (void)state;
    char err[NB_ERR_LEN];
    int lfd = nb_sock_listen("127.0.0.1", 0, 1, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    close(lfd);                                /* nothing listens there now */
    nb_rawclient *c = start_to(port);
    seen s;
    collect_until_closed(c, &s);
    assert_false(s.connected);
    assert_true(strlen(s.closed_why) > 0);
    assert_int_equal(nb_rawclient_send(c, NB_RAW_VAR, "x", 1, 0, err), -1);
    nb_rawclient_stop(c);
}

static void test_stop_while_connected_is_prompt(void **state)
{
    (void)state;
    echo e;
    echo_start(&e);
    nb_rawclient *c = start_to(e.port);
    char err[NB_ERR_LEN];
    assert_int_equal(nb_rawclient_send(c, NB_RAW_VAR, "x", 1, 0, err), 0);
    uint64_t t0 = nb_time_ms();
    nb_rawclient_stop(c);
    assert_true(nb_time_ms() - t0 < 1000);
    echo_join(&e);
}

static void test_encode(void **state)
{
    (void)state;
    uint8_t out[64];
    char err[NB_ERR_LEN];
    assert_int_equal(nb_rawclient_encode('F', "", 0, out, sizeof out, err), 32);
    for (int i = 0; i < 32; i++) assert_int_equal(out[i], 0);
    assert_int_equal(nb_rawclient_encode('V', "", 0, out, sizeof out, err), 1);
    assert_int_equal(out[0], '\n');
    assert_int_equal(nb_rawclient_encode('M', "ab", 2, out, sizeof out, err), 6);
    assert_memory_equal(out, "\0\0\0\2ab", 6);
    assert_int_equal(nb_rawclient_encode('X', "ab", 2, out, sizeof out, err), -1);
    assert_int_equal(nb_rawclient_encode('M', "ab", 2, out, 5, err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_fixed_is_exactly_32_bytes),
        cmocka_unit_test(test_var_and_mix_bytes),
        cmocka_unit_test(test_fixed_33_refused),
        cmocka_unit_test(test_refused_connection_reports),
        cmocka_unit_test(test_stop_while_connected_is_prompt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
