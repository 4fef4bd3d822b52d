/* test_server.c — the relay over loopback: relaying with authors rewritten, late joiners
 * (history then live, nothing lost, duplicated or reordered), chat framings, raw peers,
 * sessions across reconnects, clear, status. Bad input and limits are in
 * test_server_errors.c; shutdown accounting in test_server_stop.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "nb_log.h"
#include "nb_server.h"
#include "nb_testclient.h"

static int setup(void **state)
{
    nb_log_set_level(NB_LOG_WARN);
    char err[NB_ERR_LEN];
    nb_server *s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                                      .name = "test board" }, err);
    if (!s) fprintf(stderr, "start: %s\n", err);
    *state = s;
    return s ? 0 : -1;
}

static int teardown(void **state)
{
    nb_server_stop(*state);
    return 0;
}

static void test_two_clients_draw(void **state)
{
    int port = nb_server_port(*state);
    tc a, b;
    assert_int_equal(tc_join(&a, port, 1, "alice"), 0);
    assert_int_equal(tc_join(&b, port, 2, "bob"), 0);
    assert_string_equal(a.board, "test board");
    assert_true(a.author != 0 && b.author != 0 && a.author != b.author);
    assert_int_equal(a.history, 0);

    nb_frame f;
    /* bob learns alice is here; alice learns bob joined */
    assert_int_equal(tc_recv_type(&b, NB_FT_JOIN, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.peer.author, a.author);
    assert_int_equal(f.text_len, 5);
    assert_memory_equal(f.text, "alice", 5);
    assert_int_equal(tc_recv_type(&a, NB_FT_JOIN, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.peer.author, b.author);

    assert_int_equal(tc_send_segment(&a, 999, 7, 0), 0);   /* claims to be author 999 */
    assert_int_equal(tc_recv_type(&b, NB_FT_SEGMENT, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.seg.author, a.author);
    assert_int_equal(f.u.seg.stroke, 7);
    assert_int_equal(f.u.seg.x1, 1);
    assert_int_equal(f.u.seg.y2, 4);
    assert_int_equal(f.u.seg.rgba, 0x11223344u);
    assert_int_equal(f.u.seg.width, 5);

    assert_int_equal(tc_send_segment(&b, 0, 8, NB_SEG_ERASER), 0);
    assert_int_equal(tc_recv_type(&a, NB_FT_SEGMENT, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.seg.author, b.author);
    assert_int_equal(f.u.seg.flags, NB_SEG_ERASER);

    /* undo, redo and cursor are relayed with the author rewritten too */
    nb_frame u = { .type = NB_FT_UNDO, .u.undo = { 1234, 7 } };
    assert_int_equal(tc_send(&a, &u), 0);
    assert_int_equal(tc_recv_type(&b, NB_FT_UNDO, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.undo.author, a.author);
    assert_int_equal(f.u.undo.stroke, 7);
    nb_frame k = { .type = NB_FT_CURSOR, .u.cursor = { 77, 100, 200, 1 } };
    assert_int_equal(tc_send(&a, &k), 0);
    assert_int_equal(tc_recv_type(&b, NB_FT_CURSOR, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.cursor.author, a.author);
    assert_int_equal(f.u.cursor.y, 200);

    /* relayed frames and chat sent in one burst keep their order at the receiver */
    assert_int_equal(tc_send_segment(&a, 0, 100, 0), 0);
    assert_int_equal(tc_send_text(&a, NB_FT_CHAT_FIXED, "mid"), 0);
    assert_int_equal(tc_send_segment(&a, 0, 101, 0), 0);
    assert_int_equal(tc_recv(&b, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_SEGMENT);
    assert_int_equal(f.u.seg.stroke, 100);
    assert_int_equal(tc_recv(&b, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_CHAT_DELIVERED);
    assert_int_equal(tc_recv(&b, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_SEGMENT);
    assert_int_equal(f.u.seg.stroke, 101);

    /* the sender does not get its own segment back: only its chat and its pong */
    assert_int_equal(tc_recv_type(&a, NB_FT_CHAT_DELIVERED, &f, TC_WAIT_MS), 1);
    nb_frame p = { .type = NB_FT_PING, .u.token = 0x1122334455667788ull };
    assert_int_equal(tc_send(&a, &p), 0);
    assert_int_equal(tc_recv(&a, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_PONG);
    assert_true(f.u.token == 0x1122334455667788ull);
    tc_close(&a);
    assert_int_equal(tc_recv_type(&b, NB_FT_LEAVE, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.peer.author, a.author);
    tc_close(&b);
}

static void test_late_joiner_history_then_live(void **state)
{
    int port = nb_server_port(*state);
    enum { BEFORE = 20000, AFTER = 20000 };
    tc a, b;
    assert_int_equal(tc_join(&a, port, 11, "alice"), 0);
    for (uint32_t i = 0; i < BEFORE; i++) assert_int_equal(tc_send_segment(&a, 0, i, 0), 0);
    assert_int_equal(tc_send_segment(&a, 0, 999999, NB_SEG_LASER), 0);   /* never stored */
    assert_int_equal(tc_sync(&a), 0);   /* the server has all of them */

    /* bob says hello and doesn't read while alice keeps drawing: wherever the server cuts
     * history from live, bob must see strokes 0..BEFORE+AFTER-1 exactly once, in order */
    assert_int_equal(tc_connect(&b, port, 0), 0);
    assert_int_equal(tc_send_bytes(&b, NB_SIGNATURE, NB_SIG_LEN), 0);
    assert_int_equal(tc_send_hello(&b, 12, "bob"), 0);
    for (uint32_t i = BEFORE; i < BEFORE + AFTER; i++)
        assert_int_equal(tc_send_segment(&a, 0, i, 0), 0);

    nb_frame f;
    assert_int_equal(tc_recv(&b, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_WELCOME);
    assert_true(f.u.welcome.history >= BEFORE && f.u.welcome.history <= BEFORE + AFTER);
    uint32_t history = f.u.welcome.history;
    uint32_t next = 0, seen_history = 0;
    while (next < BEFORE + AFTER) {
        int rc = tc_recv(&b, &f, TC_WAIT_MS);
        assert_int_equal(rc, 1);
        if (f.type != NB_FT_SEGMENT) {
            assert_true(f.type == NB_FT_JOIN);   /* J for alice, after the history */
            assert_int_equal(seen_history, history);
            continue;
        }
        assert_int_equal(f.u.seg.stroke, next);
        assert_int_equal(f.u.seg.author, a.author);
        if (next < history) seen_history++;
        next++;
    }
    assert_int_equal(seen_history, history);
    /* and nothing else (no laser, no duplicate) before the pong */
    assert_int_equal(tc_sync(&b), 0);

    nb_server_status st;
    nb_server_status_get(*state, &st);
    assert_int_equal(st.history_frames, BEFORE + AFTER);
    assert_int_equal(st.segments, BEFORE + AFTER);
    assert_int_equal(st.history_bytes, (size_t)(BEFORE + AFTER) * 21);
    tc_close(&a);
    tc_close(&b);
}

static void test_chat_framings_reach_everyone(void **state)
{
    int port = nb_server_port(*state);
    tc a, b;
    assert_int_equal(tc_join(&a, port, 21, "alice"), 0);
    assert_int_equal(tc_join(&b, port, 22, "bob"), 0);
    static char big[40000];
    memset(big, 'x', sizeof big - 1);
    big[0] = 'M';
    const struct { uint8_t type; const char *text; } msgs[] = {
        { NB_FT_CHAT_FIXED, "hi" }, { NB_FT_CHAT_VAR, "there, caf\xc3\xa9" },
        { NB_FT_CHAT_MIX, "multi\nline" }, { NB_FT_CHAT_MIX, big },
    };
    for (size_t i = 0; i < NB_ARRAY_LEN(msgs); i++) {
        assert_int_equal(tc_send_text(&a, msgs[i].type, msgs[i].text), 0);
        tc *to[] = { &a, &b };   /* the sender too: its log shows delivery */
        for (size_t k = 0; k < 2; k++) {
            nb_frame f;
            assert_int_equal(tc_recv_type(to[k], NB_FT_CHAT_DELIVERED, &f, TC_WAIT_MS), 1);
            assert_int_equal(f.u.chat.author, a.author);
            assert_int_equal(f.u.chat.framing, msgs[i].type);
            assert_int_equal(f.text_len, strlen(msgs[i].text));
            assert_memory_equal(f.text, msgs[i].text, f.text_len);
        }
    }
    tc_close(&a);
    tc_close(&b);
}

static void test_raw_peer_chat_both_ways(void **state)
{
    int port = nb_server_port(*state);
    tc a;
    rawc r, r2;
    char line[2048];
    assert_int_equal(tc_join(&a, port, 31, "alice"), 0);
    assert_int_equal(raw_connect(&r, port), 0);
    assert_int_equal(raw_send(&r, "hello board\r\n"), 0);
    nb_frame f;
    assert_int_equal(tc_recv_type(&a, NB_FT_JOIN, &f, TC_WAIT_MS), 1);
    uint16_t raw_author = f.u.peer.author;
    assert_true(f.text_len > 4 && memcmp(f.text, "raw@127.0.0.1:", 14) == 0);
    assert_int_equal(tc_recv_type(&a, NB_FT_CHAT_DELIVERED, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.chat.author, raw_author);
    assert_int_equal(f.u.chat.framing, NB_FT_CHAT_VAR);
    assert_int_equal(f.text_len, 11);
    assert_memory_equal(f.text, "hello board", 11);

    assert_int_equal(tc_send_text(&a, NB_FT_CHAT_MIX, "hi\nraw"), 0);
    assert_int_equal(raw_expect(&r, "alice: ", line, sizeof line, TC_WAIT_MS), 1);
    assert_string_equal(line, "alice: hi raw");

    /* a second raw peer hears the first, and is announced to it */
    assert_int_equal(raw_connect(&r2, port), 0);
    assert_int_equal(raw_expect(&r, "* raw@", line, sizeof line, TC_WAIT_MS), 1);
    assert_non_null(strstr(line, "joined"));
    assert_int_equal(raw_send(&r, "ping\n"), 0);
    assert_int_equal(raw_expect(&r2, "raw@", line, sizeof line, TC_WAIT_MS), 1);
    assert_non_null(strstr(line, ": ping"));
    /* raw peers never receive segments */
    assert_int_equal(tc_send_segment(&a, 0, 1, 0), 0);
    assert_int_equal(tc_send_text(&a, NB_FT_CHAT_VAR, "after"), 0);
    assert_int_equal(raw_readline(&r2, line, sizeof line, TC_WAIT_MS), 1);
    assert_string_equal(line, "alice: after");
    raw_close(&r2);
    assert_int_equal(raw_expect(&r, "* ", line, sizeof line, TC_WAIT_MS), 1);
    assert_non_null(strstr(line, "left"));
    raw_close(&r);
    tc_close(&a);
}

static void test_same_token_same_author_and_held(void **state)
{
    int port = nb_server_port(*state);
    tc a, other;
    assert_int_equal(tc_join(&a, port, 0xabcdef, "alice"), 0);
    assert_int_equal(a.held, 0);
    uint16_t author = a.author;
    for (uint32_t i = 0; i < 5; i++) assert_int_equal(tc_send_segment(&a, 0, i, 0), 0);
    assert_int_equal(tc_send_segment(&a, 0, 9, NB_SEG_LASER), 0);   /* not board-changing */
    nb_frame u = { .type = NB_FT_UNDO, .u.undo = { 0, 4 } };
    nb_frame r = { .type = NB_FT_REDO, .u.undo = { 0, 4 } };
    assert_int_equal(tc_send(&a, &u), 0);
    assert_int_equal(tc_send(&a, &r), 0);
    assert_int_equal(tc_sync(&a), 0);
    tc_close(&a);

    assert_int_equal(tc_join(&a, port, 0xabcdef, "alice again"), 0);
    assert_int_equal(a.author, author);
    assert_int_equal(a.held, 7);
    assert_int_equal(tc_join(&other, port, 0xabcdee, "other"), 0);
    assert_true(other.author != author);
    assert_int_equal(other.held, 0);
    tc_close(&other);
    tc_close(&a);
}

static void test_clear_empties_history(void **state)
{
    int port = nb_server_port(*state);
    tc a, b, c;
    assert_int_equal(tc_join(&a, port, 41, "alice"), 0);
    assert_int_equal(tc_join(&b, port, 42, "bob"), 0);
    for (uint32_t i = 0; i < 10; i++) assert_int_equal(tc_send_segment(&a, 0, i, 0), 0);
    assert_int_equal(tc_sync(&a), 0);   /* the segments are in before bob's clear */
    nb_frame clr = { .type = NB_FT_CLEAR, .u.peer.author = 0 }, f;
    assert_int_equal(tc_send(&b, &clr), 0);
    assert_int_equal(tc_recv_type(&a, NB_FT_CLEAR, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.peer.author, b.author);
    assert_int_equal(tc_send_segment(&a, 0, 100, 0), 0);
    assert_int_equal(tc_sync(&a), 0);
    assert_int_equal(tc_join(&c, port, 43, "carol"), 0);
    assert_int_equal(c.history, 1);
    assert_int_equal(tc_recv(&c, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_SEGMENT);
    assert_int_equal(f.u.seg.stroke, 100);
    tc_close(&c);
    tc_close(&b);
    assert_int_equal(tc_join(&b, port, 42, "bob"), 0);
    assert_int_equal(b.held, 1);   /* the clear counts as one held frame */
    tc_close(&b);
    tc_close(&a);
}

static void test_status_lines(void **state)
{
    int port = nb_server_port(*state);
    tc a;
    rawc r;
    assert_int_equal(tc_join(&a, port, 51, "alice"), 0);
    assert_int_equal(raw_connect(&r, port), 0);
    assert_int_equal(raw_send(&r, "x\n"), 0);
    nb_frame f;
    assert_int_equal(tc_recv_type(&a, NB_FT_CHAT_DELIVERED, &f, TC_WAIT_MS), 1);
    nb_server_status st;
    nb_server_status_get(*state, &st);
    assert_int_equal(st.port, port);
    assert_int_equal(st.clients, 2);
    assert_true(st.accepted >= 2);
    assert_true(st.frames_in >= 2 && st.bytes_in > 0 && st.bytes_out > 0);
    int board = -1, raw = -1;
    for (int i = 0; i < st.clients; i++) {
        if (st.client[i].kind == NB_PEER_BOARD) board = i;
        if (st.client[i].kind == NB_PEER_RAW) raw = i;
    }
    assert_true(board >= 0 && raw >= 0);
    assert_string_equal(st.client[board].name, "alice");
    assert_int_equal(st.client[board].author, a.author);
    assert_true(strncmp(st.client[board].addr, "127.0.0.1:", 10) == 0);
    assert_int_equal(st.client[raw].frames_in, 1);
    raw_close(&r);
    tc_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_clients_draw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_joiner_history_then_live, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chat_framings_reach_everyone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_peer_chat_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_token_same_author_and_held, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_empties_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_lines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
