/* test_resume.c — resumable sessions across server crashes: two headless clients draw
 * 10,000 segments in all while the real `netboard serve --journal F` is killed with
 * SIGKILL and restarted twice (drawing goes on while it is down). At the end every
 * client's board, and a fresh observer's (the server's history), holds all 10,000
 * segments exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client_harness.h"
#include "nb_log.h"
#include "nb_spawn.h"

#define TOTAL 10000
#define DRAWERS 2
#define CHUNK 50               /* segments per stroke, drawn between pumps */
#define WAIT_MS 20000

typedef struct fx {
    char dir[64], journal[128];
    nb_child srv;
    int port;
} fx;

static int start_server(fx *x)
{
    const char *extra[] = { "--journal", x->journal, NULL };
    return nb_spawn_serve(&x->srv, NETBOARD_EXE, x->port, extra, 5000);
}

static int setup(void **state)
{
    nb_log_set_level(NB_LOG_ERROR);
    fx *x = calloc(1, sizeof *x);
    snprintf(x->dir, sizeof x->dir, "/tmp/nbresume-XXXXXX");
    if (!x || !mkdtemp(x->dir)) return -1;
    snprintf(x->journal, sizeof x->journal, "%s/board.nbj", x->dir);
    x->port = nb_spawn_free_port();
    *state = x;
    return x->port > 0 && start_server(x) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    fx *x = *state;
    nb_spawn_stop(&x->srv, SIGKILL, 2000);
    unlink(x->journal);
    rmdir(x->dir);
    free(x);
    return 0;
}

typedef struct all { th_peer **p; size_t n; size_t want; } all;

static int all_have(void *ctx)
{
    all *a = ctx;
    for (size_t i = 0; i < a->n; i++) {
        th_peer *p = a->p[i];
        if (p->state != NB_CLIENT_CONNECTED || !p->synced || nb_board_count(p->board) != a->want)
            return 0;
        if (nb_client_outbox_len(p->c) > 0) {
            nb_client_stats st;
            nb_client_get_stats(p->c, &st);
            if (st.state != NB_CLIENT_CONNECTED) return 0;
        }
    }
    return 1;
}

static void start_peer(th_peer *p, int port, uint64_t token, const char *name)
{
    char err[NB_ERR_LEN];
    nb_client_opts o = { .host = "127.0.0.1", .port = port, .name = name, .session = token,
                         .backoff_min_ms = 20, .backoff_max_ms = 200,
                         .connect_timeout_ms = 500, .queue_capacity = 65536 };
    assert_int_equal(th_peer_start(p, &o, err), 0);
    assert_true(th_wait_connected(p, 1, WAIT_MS));
}

static void test_two_crashes(void **state)
{
    fx *x = *state;
    th_peer drawers[DRAWERS], *ps[DRAWERS + 1];
    for (int i = 0; i < DRAWERS; i++) {
        start_peer(&drawers[i], x->port, 0x1000 + (uint64_t)i, i ? "bob" : "alice");
        ps[i] = &drawers[i];
    }
    int kills = 0, down = 0;
    uint32_t stroke = 0;
    for (int drawn = 0; drawn < TOTAL; drawn += CHUNK) {
        th_peer *p = &drawers[(drawn / CHUNK) % DRAWERS];
        stroke++;
        for (uint32_t i = 0; i < CHUNK; i++) th_peer_draw(p, stroke, i);
        for (int i = 0; i < DRAWERS; i++) th_peer_pump(&drawers[i]);
        if (down) {   /* a stroke of each was drawn while it was down */
            assert_int_equal(start_server(x), 0);
            down = 0;
            /* both back before the next kill, so each crash is one more welcome */
            for (int i = 0; i < DRAWERS; i++)
                assert_true(th_wait_connected(&drawers[i], kills + 1, WAIT_MS));
        } else if (kills < 2 && drawn + CHUNK >= (kills + 1) * TOTAL / 3) {
            /* mid-stream, with frames in flight, at a third and at two thirds */
            assert_true(WIFSIGNALED(nb_spawn_stop(&x->srv, SIGKILL, 2000)));
            kills++;
            down = 1;
        }
    }
    assert_int_equal(kills, 2);
    all a = { ps, DRAWERS, TOTAL };
    assert_true(th_wait(ps, DRAWERS, all_have, &a, WAIT_MS));
    for (int i = 0; i < DRAWERS; i++) assert_int_equal(drawers[i].welcomes, 3);

    th_peer obs;
    start_peer(&obs, x->port, 0x2000, "observer");
    ps[DRAWERS] = &obs;
    a = (all){ ps, DRAWERS + 1, TOTAL };
    assert_true(th_wait(ps, DRAWERS + 1, all_have, &a, WAIT_MS));
    size_t n0 = 0;
    uint64_t h0 = th_board_hash(obs.board, 1, &n0);
    assert_int_equal(n0, TOTAL);
    assert_int_equal(nb_board_visible_count(obs.board), TOTAL);
    for (int i = 0; i < DRAWERS; i++) {
        size_t n = 0;
        assert_int_equal(th_board_hash(drawers[i].board, 1, &n), h0);
        assert_int_equal(n, TOTAL);
        nb_client_stats st;
        nb_client_get_stats(drawers[i].c, &st);
        fprintf(stderr, "drawer %d: %llu connects, %llu frames resent after reconnects\n", i,
                (unsigned long long)st.connects, (unsigned long long)st.outbox_resent);
        th_peer_stop(&drawers[i]);
    }
    th_peer_stop(&obs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_crashes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
