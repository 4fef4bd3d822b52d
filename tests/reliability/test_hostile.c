/* test_hostile.c — a live relay against hostile and broken peers, table-driven: each
 * malformed input gets its error (E frame, `error:` line, or a plain close) and only its
 * own connection closes, while a bystander keeps drawing and its watcher receives every
 * segment, in order. Also: a signature then silence (handshake timeout, shortened here),
 * thousands of connections opened and dropped, and a flood of half-handshakes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_log.h"
#include "nb_server.h"
#include "nb_testclient.h"
#include "nb_time.h"

#define HANDSHAKE_MS 300
#define RAW_DETECT_MS 100

enum { BOARD = 0, JOINED = 1, RAW = 2 };                 /* how the peer starts */
enum { CLOSED = -1, RAW_ERROR = -2, STAYS = -3 };        /* expectations besides E codes */

typedef struct hostile {
    const char *what;
    int start;
    uint8_t bytes[48];
    size_t len;
    size_t pad;        /* then this many bytes of `fill` */
    uint8_t fill;
    int shut;          /* shutdown(SHUT_WR) after sending: the peer goes away mid-frame */
    int expect;        /* E code, or CLOSED / RAW_ERROR / STAYS */
} hostile;

#define SIG 0x89, 'N', 'B', '1'
#define H_HDR(len) 'H', 0, 0, 0, (len)

static const hostile cases[] = {
    { "bad signature", BOARD, { 0x89, 'X', 'Y', 'Z' }, 4, 0, 0, 0, CLOSED },
    { "signature cut short, then EOF", BOARD, { 0x89, 'N' }, 2, 0, 0, 1, CLOSED },
    { "signature then silence", BOARD, { SIG }, 4, 0, 0, 0, NB_PERR_TIMEOUT },
    { "frame before hello", BOARD, { SIG, 'P', 1, 2, 3, 4, 5, 6, 7, 8 }, 13, 0, 0, 0,
      NB_PERR_HELLO_MISSING },
    { "hello version 9", BOARD, { SIG, H_HDR(10), 9, 0, 0, 0, 0, 0, 0, 0, 1, 'x' }, 19, 0, 0, 0,
      NB_PERR_BAD_VERSION },
    { "hello name not UTF-8", BOARD, { SIG, H_HDR(11), 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xc3, 0x28 },
      20, 0, 0, 0, NB_PERR_BAD_TEXT },
    { "hello length 2^32-1", BOARD, { SIG, 'H', 0xff, 0xff, 0xff, 0xff }, 9, 0, 0, 0,
      NB_PERR_TOO_LONG },
    { "hello cut short, then EOF", BOARD, { SIG, H_HDR(10), 1, 0, 0 }, 12, 0, 0, 1, CLOSED },
    { "unknown type byte", JOINED, "Z1234", 5, 0, 0, 0, NB_PERR_UNKNOWN_TYPE },
    { "NUL type byte", JOINED, { 0 }, 1, 0, 0, 0, NB_PERR_UNKNOWN_TYPE },
    { "M length 2^32-1", JOINED, { 'M', 0xff, 0xff, 0xff, 0xff }, 5, 0, 0, 0, NB_PERR_TOO_LONG },
    { "M length 65537", JOINED, { 'M', 0, 1, 0, 1 }, 5, 0, 0, 0, NB_PERR_TOO_LONG },
    { "E length 2^32-1", JOINED, { 'E', 0xff, 0xff, 0xff, 0xff }, 5, 0, 0, 0, NB_PERR_TOO_LONG },
    { "V line that never ends", JOINED, "V", 1, 1100, 'a', 0, NB_PERR_LINE_TOO_LONG },
    { "V with invalid UTF-8", JOINED, { 'V', 0xff, 0xfe, '\n' }, 4, 0, 0, 0, NB_PERR_BAD_TEXT },
    { "V with a NUL byte", JOINED, { 'V', 'a', 0, 'b', '\n' }, 5, 0, 0, 0, NB_PERR_BAD_TEXT },
    { "F with invalid UTF-8", JOINED, { 'F', 0xed, 0xa0, 0x80 }, 4, 29, 0, 0, NB_PERR_BAD_TEXT },
    { "M with an overlong NUL", JOINED, { 'M', 0, 0, 0, 2, 0xc0, 0x80 }, 7, 0, 0, 0,
      NB_PERR_BAD_TEXT },
    { "second hello", JOINED, { H_HDR(10), 1, 0, 0, 0, 0, 0, 0, 0, 1, 'x' }, 15, 0, 0, 0,
      NB_PERR_HELLO_REPEATED },
    { "client sends W", JOINED, { 'W', 0, 0, 0, 14, 0, 1 }, 7, 12, 0, 0, NB_PERR_NOT_ALLOWED },
    { "client sends T", JOINED, { 'T', 0, 0, 0, 4, 0, 1, 'V', 'x' }, 9, 0, 0, 0,
      NB_PERR_NOT_ALLOWED },
    { "client sends J", JOINED, { 'J', 0, 0, 0, 3, 0, 1, 'x' }, 8, 0, 0, 0, NB_PERR_NOT_ALLOWED },
    { "client sends L", JOINED, { 'L', 0, 1 }, 3, 0, 0, 0, NB_PERR_NOT_ALLOWED },
    { "segment cut short, then EOF", JOINED, { 'S', 0, 1, 0, 0 }, 5, 0, 0, 1, CLOSED },
    { "client Q and E are ignored", JOINED, { 'Q', 1, 2, 3, 4, 5, 6, 7, 8, 'E', 0, 0, 0, 3, 0, 1,
      'x' }, 17, 0, 0, 0, STAYS },
    { "raw line not UTF-8", RAW, { 'h', 'i', '\n', 0xff, 0xfe, '\n' }, 6, 0, 0, 0, RAW_ERROR },
    { "raw line with NUL", RAW, { 'a', 0, 'b', '\n' }, 4, 0, 0, 0, RAW_ERROR },
    { "raw line that never ends", RAW, "x", 1, 3000, 'z', 0, RAW_ERROR },
    { "raw peer sends binary", RAW, { 0x01, 0x02, 0xff, 0x00, '\n' }, 5, 0, 0, 0, RAW_ERROR },
};

typedef struct fx {
    nb_server *s;
    int port;
    tc drawer, watcher;
    uint32_t sent, seen;     /* the bystander's segments, and the watcher's */
} fx;

static fx F;

static int setup(void **state)
{
    (void)state;
    nb_log_set_level(NB_LOG_ERROR);   /* the warnings are the point */
    char err[NB_ERR_LEN];
    memset(&F, 0, sizeof F);
    F.s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                             .handshake_timeout_ms = HANDSHAKE_MS,
                                             .raw_detect_ms = RAW_DETECT_MS }, err);
    if (!F.s) return -1;
    F.port = nb_server_port(F.s);
    if (tc_join(&F.drawer, F.port, 11, "drawer") || tc_join(&F.watcher, F.port, 12, "watcher"))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_close(&F.drawer);
    tc_close(&F.watcher);
    nb_server_stop(F.s);
    return 0;
}

/* The bystander draws n more segments; the watcher must get each, in order. */
static void bystander_draws(int n)
{
    for (int i = 0; i < n; i++) assert_int_equal(tc_send_segment(&F.drawer, 0, ++F.sent, 0), 0);
    nb_frame f;
    while (F.seen < F.sent) {
        assert_int_equal(tc_recv_type(&F.watcher, NB_FT_SEGMENT, &f, TC_WAIT_MS), 1);
        assert_int_equal(f.u.seg.author, F.drawer.author);
        assert_int_equal(f.u.seg.stroke, ++F.seen);
    }
}

static void run_case(const hostile *h)
{
    tc b;
    rawc r;
    char line[256];
    nb_frame f;
    if (h->start == RAW) {
        assert_int_equal(raw_connect(&r, F.port), 0);
        assert_int_equal(send(r.fd, h->bytes, h->len, MSG_NOSIGNAL), (ssize_t)h->len);
        for (size_t k = 0; k < h->pad; k++) send(r.fd, &h->fill, 1, MSG_NOSIGNAL);
        if (raw_expect(&r, "error: ", line, sizeof line, TC_WAIT_MS) != 1)
            fail_msg("%s: no error line", h->what);
        assert_int_equal(raw_readline(&r, line, sizeof line, TC_WAIT_MS), -1);   /* EOF */
        raw_close(&r);
        return;
    }
    if (h->start == JOINED)
        assert_int_equal(tc_join(&b, F.port, 0, "hostile"), 0);
    else
        assert_int_equal(tc_connect(&b, F.port, 0), 0);
    assert_int_equal(tc_send_bytes(&b, h->bytes, h->len), 0);
    for (size_t k = 0; k < h->pad; k++) tc_send_bytes(&b, &h->fill, 1);   /* may be cut off */
    if (h->shut) shutdown(b.fd, SHUT_WR);
    if (h->expect == STAYS) {
        assert_int_equal(tc_sync(&b), 0);
    } else {
        if (h->expect >= 0) {
            int rc = tc_recv_type(&b, NB_FT_ERROR, &f, TC_WAIT_MS);
            if (rc != 1 || f.u.error.code != h->expect)
                fail_msg("%s: rc %d code %d, want E %d", h->what, rc, rc == 1 ? f.u.error.code : -1,
                         h->expect);
            assert_true(f.text_len > 0);
        }
        if (tc_wait_closed(&b, TC_WAIT_MS) != 1) fail_msg("%s: not closed", h->what);
    }
    tc_close(&b);
}

static void test_malformed_table(void **state)
{
    (void)state;
    assert_true(NB_ARRAY_LEN(cases) >= 20);
    nb_server_status st0, st;
    nb_server_status_get(F.s, &st0);
    size_t drops = 0;
    for (size_t i = 0; i < NB_ARRAY_LEN(cases); i++) {
        run_case(&cases[i]);
        if (cases[i].expect != STAYS) drops++;
        bystander_draws(20);
    }
    nb_server_status_get(F.s, &st);
    assert_int_equal(st.clients, 2);
    /* every error case counted, cut-off peers (plain EOF) aside */
    assert_true(st.dropped - st0.dropped >= drops - 3);
    assert_int_equal(st.segments, F.sent);
}

/* A signature then nothing: closed after the (shortened) handshake timeout, not before. */
static void test_handshake_timeout_bound(void **state)
{
    (void)state;
    tc b;
    assert_int_equal(tc_connect(&b, F.port, 0), 0);
    uint64_t t0 = nb_time_ms();
    assert_int_equal(tc_send_bytes(&b, NB_SIGNATURE, NB_SIG_LEN), 0);
    nb_frame f;
    assert_int_equal(tc_recv_type(&b, NB_FT_ERROR, &f, TC_WAIT_MS), 1);
    uint64_t dt = nb_time_ms() - t0;
    assert_int_equal(f.u.error.code, NB_PERR_TIMEOUT);
    assert_true(dt >= HANDSHAKE_MS - 10);
    assert_true(dt < HANDSHAKE_MS + 1000);   /* the 100 ms tick, and a busy CI box */
    assert_int_equal(tc_wait_closed(&b, TC_WAIT_MS), 1);
    tc_close(&b);
    bystander_draws(5);
}

/* Thousands of connections opened and dropped at once (some mid-signature): nothing
 * leaks, the bystander never stalls. */
static void test_connection_churn(void **state)
{
    (void)state;
    enum { ROUNDS = 50, BURST = 40 };
    for (int round = 0; round < ROUNDS; round++) {
        int fds[BURST];
        for (int i = 0; i < BURST; i++) {
            tc b;
            assert_int_equal(tc_connect(&b, F.port, 0), 0);
            if (i % 3 == 1) send(b.fd, NB_SIGNATURE, 2, MSG_NOSIGNAL);
            if (i % 3 == 2) send(b.fd, "hello\n", 6, MSG_NOSIGNAL);
            nb_decoder_free(&b.dec);
            fds[i] = b.fd;
        }
        for (int i = 0; i < BURST; i++) close(fds[i]);
        bystander_draws(2);
    }
    /* every dropped socket is reaped (bounded wait: the server sees EOF quickly) */
    nb_server_status st;
    uint64_t deadline = nb_time_ms() + 5000;
    do {
        nb_server_status_get(F.s, &st);
        if (st.connections == 2) break;
        tc_sync(&F.drawer);
    } while (nb_time_ms() < deadline);
    assert_int_equal(st.connections, 2);
    assert_true(st.accepted >= ROUNDS * BURST);
    assert_int_equal(st.clients, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_table),
        cmocka_unit_test(test_handshake_timeout_bound),
        cmocka_unit_test(test_connection_churn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
