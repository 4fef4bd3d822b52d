/* test_server_errors.c — bad input and limits: every bad input gets its E frame (or an
 * `error:` line for raw peers) and closes only that connection while a bystander keeps
 * working; the client limit; a peer that stops reading is dropped without slowing anyone. */
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
#include "nb_testclient.h"

static nb_server *start(nb_server_opts o)
{
    nb_log_set_level(NB_LOG_ERROR);   /* the warnings are the point of these tests */
    char err[NB_ERR_LEN];
    o.ephemeral = 1;
    o.bind = "127.0.0.1";
    nb_server *s = nb_server_start(&o, err);
    if (!s) fprintf(stderr, "start: %s\n", err);
    assert_non_null(s);
    return s;
}

typedef struct bad_case {
    const char *what;
    int hello_first;          /* complete the handshake before the bad bytes */
    uint8_t bytes[64];
    size_t len;
    size_t pad;               /* then this many 'a' bytes */
    int code;                 /* expected E code; -1: closed without a frame */
} bad_case;

static const bad_case cases[] = {
    { "unknown type", 1, "Z1234", 5, 0, NB_PERR_UNKNOWN_TYPE },
    { "oversized length", 1, { 'M', 0x00, 0x10, 0x00, 0x00 }, 5, 0, NB_PERR_TOO_LONG },
    { "over-long V line", 1, "V", 1, 1100, NB_PERR_LINE_TOO_LONG },
    { "invalid text", 1, { 'M', 0, 0, 0, 2, 0xff, 0xfe }, 7, 0, NB_PERR_BAD_TEXT },
    { "hello missing", 0, { 0x89, 'N', 'B', '1', 'P', 1, 2, 3, 4, 5, 6, 7, 8 }, 13, 0,
      NB_PERR_HELLO_MISSING },
    { "hello repeated", 1, { 'H', 0, 0, 0, 10, 1, 0, 0, 0, 0, 0, 0, 0, 1, 'x' }, 15, 0,
      NB_PERR_HELLO_REPEATED },
    { "bad version", 0, { 0x89, 'N', 'B', '1', 'H', 0, 0, 0, 10, 9, 0, 0, 0, 0, 0, 0, 0, 1, 'x' },
      19, 0, NB_PERR_BAD_VERSION },
    { "server-only frame", 1, { 'L', 0, 1 }, 3, 0, NB_PERR_NOT_ALLOWED },
    { "bad signature", 0, { 0x89, 'X', 'Y', 'Z' }, 4, 0, -1 },
};

static void test_bad_input_closes_only_that_peer(void **state)
{
    (void)state;
    nb_server *s = start((nb_server_opts){ 0 });
    int port = nb_server_port(s);
    tc keeper;
    assert_int_equal(tc_join(&keeper, port, 1, "keeper"), 0);
    for (size_t i = 0; i < NB_ARRAY_LEN(cases); i++) {
        const bad_case *bc = &cases[i];
        tc b;
        if (bc->hello_first)
            assert_int_equal(tc_join(&b, port, 100 + i, "bad"), 0);
        else
            assert_int_equal(tc_connect(&b, port, 0), 0);
        assert_int_equal(tc_send_bytes(&b, bc->bytes, bc->len), 0);
        for (size_t k = 0; k < bc->pad; k++) assert_int_equal(tc_send_bytes(&b, "a", 1), 0);
        nb_frame f;
        if (bc->code >= 0) {
            int rc = tc_recv_type(&b, NB_FT_ERROR, &f, TC_WAIT_MS);
            if (rc != 1 || f.u.error.code != bc->code)
                fail_msg("%s: rc %d code %d, want E %d", bc->what, rc, f.u.error.code, bc->code);
            assert_true(f.text_len > 0);
        }
        if (tc_wait_closed(&b, TC_WAIT_MS) != 1) fail_msg("%s: not closed", bc->what);
        tc_close(&b);
        /* the bystander is untouched */
        assert_int_equal(tc_sync(&keeper), 0);
    }
    nb_server_status st;
    nb_server_status_get(s, &st);
    assert_int_equal(st.clients, 1);
    assert_true(st.dropped >= NB_ARRAY_LEN(cases));
    tc_close(&keeper);
    nb_server_stop(s);
}

static void test_raw_bad_input(void **state)
{
    (void)state;
    nb_server *s = start((nb_server_opts){ 0 });
    int port = nb_server_port(s);
    tc keeper;
    assert_int_equal(tc_join(&keeper, port, 1, "keeper"), 0);
    char line[2048];
    const char *inputs[] = { NULL /* 2000 bytes, no newline */, "ok\n\xff\xfe\n" };
    for (size_t i = 0; i < NB_ARRAY_LEN(inputs); i++) {
        rawc r;
        assert_int_equal(raw_connect(&r, port), 0);
        if (inputs[i]) {
            assert_int_equal(raw_send(&r, inputs[i]), 0);
        } else {
            char big[2001];
            memset(big, 'a', 2000);
            big[2000] = '\0';
            assert_int_equal(raw_send(&r, big), 0);
        }
        assert_int_equal(raw_expect(&r, "error: ", line, sizeof line, TC_WAIT_MS), 1);
        assert_int_equal(raw_readline(&r, line, sizeof line, TC_WAIT_MS), -1);   /* EOF */
        raw_close(&r);
        assert_int_equal(tc_sync(&keeper), 0);
    }
    tc_close(&keeper);
    nb_server_stop(s);
}

static void test_max_clients(void **state)
{
    (void)state;
    nb_server *s = start((nb_server_opts){ .max_clients = 2 });
    int port = nb_server_port(s);
    tc a, b, c;
    assert_int_equal(tc_join(&a, port, 1, "a"), 0);
    assert_int_equal(tc_join(&b, port, 2, "b"), 0);
    assert_int_equal(tc_connect(&c, port, 0), 0);
    assert_int_equal(tc_send_bytes(&c, NB_SIGNATURE, NB_SIG_LEN), 0);
    assert_int_equal(tc_send_hello(&c, 3, "c"), 0);
    nb_frame f;
    assert_int_equal(tc_recv_type(&c, NB_FT_ERROR, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.error.code, NB_PERR_SERVER_FULL);
    assert_int_equal(tc_wait_closed(&c, TC_WAIT_MS), 1);
    tc_close(&c);
    rawc r;
    char line[512];
    assert_int_equal(raw_connect(&r, port), 0);
    assert_int_equal(raw_send(&r, "let me in\n"), 0);
    assert_int_equal(raw_expect(&r, "error: server full", line, sizeof line, TC_WAIT_MS), 1);
    raw_close(&r);
    /* the two inside still talk */
    assert_int_equal(tc_send_segment(&a, 0, 5, 0), 0);
    assert_int_equal(tc_recv_type(&b, NB_FT_SEGMENT, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.seg.author, a.author);
    /* and a freed place can be taken again */
    tc_close(&b);
    assert_int_equal(tc_recv_type(&a, NB_FT_LEAVE, &f, TC_WAIT_MS), 1);
    assert_int_equal(tc_join(&c, port, 3, "c"), 0);
    tc_close(&c);
    tc_close(&a);
    nb_server_stop(s);
}

static void test_slow_consumer_dropped(void **state)
{
    (void)state;
    enum { MSGS = 400, MSG_LEN = 32 * 1024 };
    nb_server *s = start((nb_server_opts){ .out_limit_bytes = 256 * 1024 });
    int port = nb_server_port(s);
    tc a, b, slow;
    assert_int_equal(tc_join(&a, port, 1, "a"), 0);
    assert_int_equal(tc_join(&b, port, 2, "b"), 0);
    /* small receive window, and it never reads after W */
    assert_int_equal(tc_connect(&slow, port, 4096), 0);
    assert_int_equal(tc_send_bytes(&slow, NB_SIGNATURE, NB_SIG_LEN), 0);
    assert_int_equal(tc_send_hello(&slow, 3, "slow"), 0);
    nb_frame f;
    assert_int_equal(tc_recv_type(&a, NB_FT_JOIN, &f, TC_WAIT_MS), 1);   /* b */
    assert_int_equal(tc_recv_type(&a, NB_FT_JOIN, &f, TC_WAIT_MS), 1);   /* slow */
    uint16_t slow_author = f.u.peer.author;

    static char msg[MSG_LEN + 1];
    int left_seen = 0;
    for (int i = 0; i < MSGS; i++) {
        snprintf(msg, sizeof msg, "%06d", i);
        memset(msg + 6, 'y', MSG_LEN - 6);
        msg[MSG_LEN] = '\0';
        assert_int_equal(tc_send_text(&a, NB_FT_CHAT_MIX, msg), 0);
        /* b (and a) read everything, in order, with nothing missing */
        for (;;) {
            assert_int_equal(tc_recv(&b, &f, TC_WAIT_MS), 1);
            if (f.type == NB_FT_LEAVE && f.u.peer.author == slow_author) {
                left_seen = 1;
                continue;
            }
            if (f.type == NB_FT_CHAT_DELIVERED) break;
        }
        char want[8];
        snprintf(want, sizeof want, "%06d", i);
        assert_memory_equal(f.text, want, 6);
        assert_int_equal(f.text_len, MSG_LEN);
        assert_int_equal(tc_recv_type(&a, NB_FT_CHAT_DELIVERED, &f, TC_WAIT_MS), 1);
    }
    nb_server_status st;
    nb_server_status_get(s, &st);
    assert_int_equal(st.clients, 2);
    assert_int_equal(st.dropped, 1);
    if (!left_seen) {
        assert_int_equal(tc_recv_type(&b, NB_FT_LEAVE, &f, TC_WAIT_MS), 1);
        assert_int_equal(f.u.peer.author, slow_author);
    }
    tc_close(&slow);
    tc_close(&a);
    tc_close(&b);
    nb_server_stop(s);
}

static void test_host_only_clear(void **state)
{
    (void)state;
    nb_server *s = start((nb_server_opts){ .allow_clear_from_host_only = 1, .host_token = 7 });
    int port = nb_server_port(s);
    tc guest, host;
    assert_int_equal(tc_join(&guest, port, 5, "guest"), 0);   /* first, but not the host */
    assert_int_equal(tc_join(&host, port, 7, "host"), 0);
    assert_int_equal(tc_send_segment(&guest, 0, 1, 0), 0);
    nb_frame clr = { .type = NB_FT_CLEAR }, f;
    assert_int_equal(tc_send(&guest, &clr), 0);
    assert_int_equal(tc_recv_type(&guest, NB_FT_ERROR, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.error.code, NB_PERR_NOT_ALLOWED);
    assert_int_equal(tc_sync(&guest), 0);   /* refused, not disconnected */
    assert_int_equal(tc_send(&host, &clr), 0);
    assert_int_equal(tc_recv_type(&guest, NB_FT_CLEAR, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.peer.author, host.author);
    tc_close(&guest);
    tc_close(&host);
    nb_server_stop(s);
}

static void test_garbage_never_hurts(void **state)
{
    (void)state;
    nb_server *s = start((nb_server_opts){ .max_clients = 8 });
    int port = nb_server_port(s);
    tc keeper;
    assert_int_equal(tc_join(&keeper, port, 1, "keeper"), 0);
    /* NB_FUZZ_ROUNDS / NB_FUZZ_SEED widen the search by hand; CI runs the default */
    const char *env_rounds = getenv("NB_FUZZ_ROUNDS"), *env_seed = getenv("NB_FUZZ_SEED");
    int rounds = env_rounds ? atoi(env_rounds) : 150;
    uint32_t seed = env_seed ? (uint32_t)strtoul(env_seed, NULL, 10) : 12345;
    for (int round = 0; round < rounds; round++) {
        uint8_t junk[600];
        size_t n = 0;
        tc b;
        assert_int_equal(tc_connect(&b, port, 0), 0);
        if (round % 3) {   /* most rounds get past the handshake first */
            memcpy(junk, NB_SIGNATURE, NB_SIG_LEN);
            n = NB_SIG_LEN;
            uint8_t h[] = { 'H', 0, 0, 0, 10, 1, 0, 0, 0, 0, 0, 0, 0, (uint8_t)round, 'g' };
            memcpy(junk + n, h, sizeof h);
            n += sizeof h;
        }
        size_t extra = (seed = seed * 1103515245u + 12345u) % 500;
        for (size_t k = 0; k < extra; k++) {
            seed = seed * 1103515245u + 12345u;
            /* bias towards real frame types so the decoder goes deep */
            uint8_t v = (uint8_t)(seed >> 16);
            junk[n++] = (seed & 3) == 0 ? (uint8_t)"SFPVMHCKLRUTWJEQ"[v % 16] : v;
        }
        assert_int_equal(tc_send_bytes(&b, junk, n), 0);
        tc_close(&b);   /* closing with unread replies: the server sees a reset, fine */
        if (round % 10 == 0) assert_int_equal(tc_sync(&keeper), 0);
    }
    assert_int_equal(tc_sync(&keeper), 0);
    tc_close(&keeper);
    nb_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_input_closes_only_that_peer),
        cmocka_unit_test(test_raw_bad_input),
        cmocka_unit_test(test_max_clients),
        cmocka_unit_test(test_slow_consumer_dropped),
        cmocka_unit_test(test_host_only_clear),
        cmocka_unit_test(test_garbage_never_hurts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
