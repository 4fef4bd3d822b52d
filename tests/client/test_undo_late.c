/* test_undo_late.c — per-author undo/redo across peers and late joiners, on the real
 * relay over loopback: two peers draw interleaved strokes and undo/redo their own; every
 * board (theirs, a fresh observer's built from the server history, a late joiner's)
 * must show exactly the same visible strokes, one peer's undo never hides another's
 * strokes, and a clear empties every board, rejoiners included. Waits poll the event
 * queues to a deadline (no sleeps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "client_harness.h"
#include "nb_server.h"

#define WAIT_MS 5000
#define SEGS 10            /* segments per stroke */

static nb_server *server_start(void)
{
    char err[NB_ERR_LEN];
    nb_server *s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                                      .name = "undo" }, err);
    if (!s) fail_msg("server: %s", err);
    return s;
}

static void peer_up(th_peer *p, int port, const char *name, uint64_t session)
{
    char err[NB_ERR_LEN];
    nb_client_opts o = { .host = "127.0.0.1", .port = port, .name = name, .session = session,
                         .backoff_min_ms = 20, .backoff_max_ms = 200 };
    if (th_peer_start(p, &o, err) != 0) fail_msg("client: %s", err);
    assert_true(th_wait_connected(p, 1, WAIT_MS));
}

/* Bit s set when stroke s (1..31) of `author` has a visible segment on b. */
static uint32_t visible_strokes(const nb_board *b, uint16_t author)
{
    uint32_t mask = 0;
    size_t pos = 0;
    nb_segment s;
    while (nb_board_next(b, &pos, &s))
        if (s.author == author && s.stroke < 32) mask |= 1u << s.stroke;
    return mask;
}

/* What every board must show: A's and B's visible stroke sets and the visible count. */
typedef struct expect {
    th_peer **peers;
    size_t n;
    uint16_t a, b;         /* author ids */
    uint32_t mask_a, mask_b;
    size_t visible;
} expect;

static int board_ok(const expect *e, const nb_board *b)
{
    return nb_board_visible_count(b) == e->visible && visible_strokes(b, e->a) == e->mask_a &&
           visible_strokes(b, e->b) == e->mask_b;
}

static int all_ok(void *ctx)
{
    expect *e = ctx;
    for (size_t i = 0; i < e->n; i++)
        if (!board_ok(e, e->peers[i]->board)) return 0;
    return 1;
}

/* Wait for every peer to show e, then check the boards are identical: the same hash of
 * visible segments (authors included: everybody uses the server's ids) and the same
 * number of strokes. */
static void expect_all(expect *e)
{
    assert_true(th_wait(e->peers, e->n, all_ok, e, WAIT_MS));
    size_t n0, ni;
    uint64_t h0 = th_board_hash(e->peers[0]->board, 1, &n0);
    for (size_t i = 1; i < e->n; i++) {
        assert_int_equal(th_board_hash(e->peers[i]->board, 1, &ni), h0);
        assert_int_equal(ni, n0);
        assert_int_equal(nb_board_stroke_count(e->peers[i]->board),
                         nb_board_stroke_count(e->peers[0]->board));
    }
    assert_int_equal(n0, e->visible);
}

static int got_chat(void *ctx)
{
    th_peer **p = ctx;
    return p[0]->nchat >= 1 && p[1]->nchat >= 1;
}

static int synced_empty(void *ctx)
{
    th_peer *p = ctx;
    return p->synced && nb_board_count(p->board) == 0;
}

static void test_undo_redo_late_joiner_clear(void **state)
{
    (void)state;
    nb_server *s = server_start();
    int port = nb_server_port(s);
    th_peer a, b, c;
    peer_up(&a, port, "alice", 0);
    peer_up(&b, port, "bob", 0);
    assert_int_not_equal(a.author, b.author);

    /* interleaved: A1 B1 A2 B2 A3 B3, the same stroke ids on both sides */
    for (uint32_t stroke = 1; stroke <= 3; stroke++) {
        for (uint32_t i = 0; i < SEGS; i++) th_peer_draw(&a, stroke, i);
        for (uint32_t i = 0; i < SEGS; i++) th_peer_draw(&b, stroke, i);
    }
    th_peer *ab[] = { &a, &b };
    expect e = { ab, 2, a.author, b.author, 0xe, 0xe, 6 * SEGS };
    expect_all(&e);

    assert_int_equal(th_peer_undo(&a), 3);
    assert_int_equal(th_peer_undo(&a), 2);
    assert_int_equal(th_peer_undo(&b), 3);
    assert_int_equal(nb_boardsync_redo(&b.sync, b.c, b.board), 3);
    e.mask_a = 0x2;                       /* only A1 left of A's */
    e.visible = 4 * SEGS;
    expect_all(&e);

    /* the server's view: a fresh observer built only from the history */
    peer_up(&c, port, "carol", 0);
    assert_int_equal(c.history_expected, 6 * SEGS + 4);   /* 60 S, U U U R */
    th_peer *abc[] = { &a, &b, &c };
    e.peers = abc;
    e.n = 3;
    expect_all(&e);
    /* undone strokes are still stored on the joiner, hidden */
    assert_int_equal(nb_board_count(c.board), 6 * SEGS);
    assert_int_equal(nb_board_stroke_count(c.board), 6);

    /* A redoes one: the last undone (A2) comes back everywhere */
    assert_int_equal(nb_boardsync_redo(&a.sync, a.c, a.board), 2);
    e.mask_a = 0x6;
    e.visible = 5 * SEGS;
    expect_all(&e);

    /* B undoes five times: only B's three strokes can go; A's stay */
    assert_int_equal(th_peer_undo(&b), 3);
    assert_int_equal(th_peer_undo(&b), 2);
    assert_int_equal(th_peer_undo(&b), 1);
    assert_int_equal(th_peer_undo(&b), -1);
    assert_int_equal(th_peer_undo(&b), -1);
    /* an explicit undo of a stroke id A also uses: the server stamps B as its author */
    assert_int_equal(nb_client_send_undo(b.c, 2), 0);
    e.mask_b = 0;
    e.visible = 2 * SEGS;
    expect_all(&e);
    /* a chat from B after that undo: the relay keeps one sender's frames in order, so
     * once A and C hold the T they have applied the undo too */
    char err[NB_ERR_LEN];
    assert_int_equal(nb_client_send_chat(b.c, 'F', "after undo", err), 0);
    th_peer *ac[] = { &a, &c };
    assert_true(th_wait(ac, 2, got_chat, ac, WAIT_MS));
    expect_all(&e);
    assert_int_equal(visible_strokes(a.board, a.author), 0x6);
    assert_int_equal(visible_strokes(c.board, a.author), 0x6);

    /* clear by A: every board empty */
    assert_int_equal(nb_boardsync_clear(&a.sync, a.c, a.board), 0);
    e.mask_a = 0;
    e.visible = 0;
    expect_all(&e);
    for (size_t i = 0; i < 3; i++) assert_int_equal(nb_board_count(abc[i]->board), 0);

    /* C comes back with the same session: the history it replays ends empty */
    nb_client_stats cst;
    nb_client_get_stats(c.c, &cst);
    th_peer_stop(&c);
    peer_up(&c, port, "carol", cst.session);
    th_peer *pc = &c;
    assert_true(th_wait(&pc, 1, synced_empty, &c, WAIT_MS));
    assert_int_equal(c.history_seen, c.history_expected);
    assert_int_equal(nb_board_visible_count(c.board), 0);
    assert_int_equal(nb_board_stroke_count(c.board), 0);

    th_peer_stop(&c);
    th_peer_stop(&b);
    th_peer_stop(&a);
    nb_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_undo_redo_late_joiner_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
