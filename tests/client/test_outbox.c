/* test_outbox.c — the resend log: after W.held = n exactly the entries n.. go out again,
 * for every n, after a server that lost frames, and never twice on one connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "nb_outbox.h"

#define N 40

static nb_frame frame_no(uint32_t i)
{
    nb_frame f = { 0 };
    switch (i % 8) {
    case 5: f.type = NB_FT_UNDO; f.u.undo.stroke = i; break;
    case 6: f.type = NB_FT_REDO; f.u.undo.stroke = i; break;
    case 7: f.type = NB_FT_CLEAR; break;
    default:
        f.type = NB_FT_SEGMENT;
        f.u.seg = (nb_segment){ .author = 77, .stroke = i, .x1 = (uint16_t)i, .y1 = 2,
                                .x2 = 3, .y2 = (uint16_t)(i * 7), .rgba = 0x11223344u + i,
                                .width = 4, .flags = 0 };
    }
    return f;
}

/* The frame the outbox hands out for entry i: authors are the server's business. */
static void assert_is_entry(const nb_frame *f, uint32_t i)
{
    nb_frame want = frame_no(i);
    assert_int_equal(f->type, want.type);
    if (want.type == NB_FT_SEGMENT) {
        want.u.seg.author = 0;
        assert_memory_equal(&f->u.seg, &want.u.seg, sizeof want.u.seg);
    } else if (want.type != NB_FT_CLEAR) {
        assert_int_equal(f->u.undo.stroke, i);
    }
}

static void fill(nb_outbox *o, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        nb_frame f = frame_no(i);
        assert_int_equal(nb_outbox_append(o, &f), 0);
    }
}

/* Take everything pending; check it is exactly from..to-1 in order. */
static void expect_run(nb_outbox *o, uint32_t from, uint32_t to)
{
    nb_frame f;
    uint32_t i = from;
    for (int guard = 0; guard < 10 * N && nb_outbox_take(o, &f); guard++) {
        assert_true(i < to);
        assert_is_entry(&f, i++);
    }
    assert_int_equal(i, to);
    assert_int_equal(nb_outbox_pending(o), 0);
}

static void test_resend_from_every_held(void **state)
{
    (void)state;
    for (uint32_t held = 0; held <= N; held++) {
        nb_outbox o;
        nb_outbox_init(&o);
        fill(&o, N);
        assert_int_equal(nb_outbox_resume(&o, 0), 0);   /* first W of a fresh token */
        expect_run(&o, 0, N);                       /* first connection sends all */
        assert_int_equal(nb_outbox_resume(&o, held), held);
        expect_run(&o, held, N);                    /* reconnect: exactly held.. */
        assert_int_equal(o.resent, N - held);
        nb_outbox_free(&o);
    }
}

static void test_offline_appends_then_first_connect(void **state)
{
    (void)state;
    nb_outbox o;
    nb_outbox_init(&o);
    fill(&o, 10);                                   /* drawn before any link came up */
    assert_int_equal(nb_outbox_resume(&o, 0), 0);
    expect_run(&o, 0, 10);
    assert_int_equal(o.resent, 0);
    nb_outbox_free(&o);
}

static void test_server_restart_lost_some(void **state)
{
    (void)state;
    nb_outbox o;
    nb_outbox_init(&o);
    fill(&o, 20);
    assert_int_equal(nb_outbox_resume(&o, 0), 0);
    expect_run(&o, 0, 20);
    /* server A had all 20; the link drops; a restarted server kept only 12 */
    assert_int_equal(nb_outbox_resume(&o, 12), 12);
    assert_int_equal(nb_outbox_pending(&o), 8);
    /* frames drawn while the link was down join the end of the log */
    for (uint32_t i = 20; i < 25; i++) {
        nb_frame f = frame_no(i);
        assert_int_equal(nb_outbox_append(&o, &f), 0);
    }
    expect_run(&o, 12, 25);
    /* the next link's server holds everything: nothing goes out twice */
    assert_int_equal(nb_outbox_resume(&o, 25), 25);
    expect_run(&o, 25, 25);
    nb_outbox_free(&o);
}

static void test_no_duplicates_on_one_connection(void **state)
{
    (void)state;
    nb_outbox o;
    nb_outbox_init(&o);
    assert_int_equal(nb_outbox_resume(&o, 0), 0);
    int seen[N] = { 0 };
    nb_frame f;
    /* interleave appends and takes as the net thread would; strokes identify entries */
    for (uint32_t i = 0; i < N; i++) {
        nb_frame in = { .type = NB_FT_SEGMENT, .u.seg = { .stroke = i } };
        assert_int_equal(nb_outbox_append(&o, &in), 0);
        if (i % 3 == 0)
            while (nb_outbox_take(&o, &f)) seen[f.u.seg.stroke]++;
    }
    while (nb_outbox_take(&o, &f)) seen[f.u.seg.stroke]++;
    for (int i = 0; i < N; i++) assert_int_equal(seen[i], 1);
    assert_int_equal(o.resent, 0);
    nb_outbox_free(&o);
}

/* The app kept its session token from an earlier run: the server already holds 1000
 * frames of it, none of them in this process's outbox. */
static void test_token_from_an_earlier_process(void **state)
{
    (void)state;
    nb_outbox o;
    nb_outbox_init(&o);
    fill(&o, 5);                                    /* drawn before the first W */
    assert_int_equal(nb_outbox_resume(&o, 1000), 0);
    expect_run(&o, 0, 5);                           /* all of ours are new to it */
    assert_int_equal(nb_outbox_resume(&o, 1003), 3);   /* link lost after 3 arrived */
    expect_run(&o, 3, 5);
    assert_int_equal(nb_outbox_resume(&o, 1005), 5);   /* nothing twice */
    expect_run(&o, 5, 5);
    assert_int_equal(nb_outbox_resume(&o, 0), 0);      /* restarted server: lost it all */
    expect_run(&o, 0, 5);
    assert_int_equal(nb_outbox_resume(&o, 5), 5);      /* ...and then holds ours */
    expect_run(&o, 5, 5);
    nb_outbox_free(&o);
}

static void test_laser_is_not_logged(void **state)
{
    (void)state;
    nb_frame laser = frame_no(1);
    laser.u.seg.flags = NB_SEG_LASER;
    assert_int_equal(nb_frame_changes_board(&laser), 0);
    nb_frame cursor = { .type = NB_FT_CURSOR };
    assert_int_equal(nb_frame_changes_board(&cursor), 0);
    nb_frame seg = frame_no(1);
    assert_int_equal(nb_frame_changes_board(&seg), 1);
}

static void test_entry_is_compact(void **state)
{
    (void)state;
    assert_true(sizeof(nb_outbox_item) <= 28);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resend_from_every_held),
        cmocka_unit_test(test_offline_appends_then_first_connect),
        cmocka_unit_test(test_server_restart_lost_some),
        cmocka_unit_test(test_no_duplicates_on_one_connection),
        cmocka_unit_test(test_token_from_an_earlier_process),
        cmocka_unit_test(test_laser_is_not_logged),
        cmocka_unit_test(test_entry_is_compact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
