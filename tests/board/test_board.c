/* test_board.c — the board model: storage, stroke grouping, per-author undo/redo, remote
 * undo/redo, clear, change tracking and memory per segment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "nb_board.h"
#include "nb_proto.h"

static nb_segment seg(uint16_t author, uint32_t stroke, uint16_t x)
{
    return (nb_segment){ .author = author, .stroke = stroke, .x1 = x, .y1 = 100, .x2 = x + 10,
                         .y2 = 200, .rgba = 0xFF0000FF, .width = 3 };
}

static void add(nb_board *b, uint16_t author, uint32_t stroke, int n)
{
    for (int i = 0; i < n; i++) {
        nb_segment s = seg(author, stroke, (uint16_t)i);
        assert_int_equal(nb_board_add_segment(b, &s), 1);
    }
}

/* Visible segments of (author, stroke). */
static int visible_of(const nb_board *b, uint16_t author, uint32_t stroke)
{
    size_t pos = 0;
    nb_segment s;
    int n = 0;
    while (nb_board_next(b, &pos, &s)) n += s.author == author && s.stroke == stroke;
    return n;
}

static void test_add_and_iterate(void **state)
{
    nb_board *b = nb_board_create(NULL);
    assert_non_null(b);
    nb_segment in = { .author = 7, .stroke = 42, .x1 = 1, .y1 = 2, .x2 = 65535, .y2 = 4,
                      .rgba = 0x11223344, .width = 9, .flags = NB_SEG_ERASER };
    assert_int_equal(nb_board_add_segment(b, &in), 1);
    add(b, 8, 1, 3);
    assert_int_equal(nb_board_count(b), 4);
    assert_int_equal(nb_board_visible_count(b), 4);
    size_t pos = 0;
    nb_segment out;
    assert_true(nb_board_next(b, &pos, &out));
    assert_int_equal(out.author, 7);
    assert_int_equal(out.stroke, 42);
    assert_int_equal(out.x1, 1);
    assert_int_equal(out.y1, 2);
    assert_int_equal(out.x2, 65535);
    assert_int_equal(out.y2, 4);
    assert_int_equal(out.rgba, 0x11223344);
    assert_int_equal(out.width, 9);
    assert_int_equal(out.flags, NB_SEG_ERASER);
    assert_int_equal(pos, 1);
    int n = 1;
    while (nb_board_next(b, &pos, &out)) {
        assert_int_equal(out.author, 8);
        assert_int_equal(out.x1, n - 1);   /* arrival order */
        n++;
    }
    assert_int_equal(n, 4);
    assert_false(nb_board_next(b, &pos, &out));
    nb_board_destroy(b);
}

static void test_stroke_grouping(void **state)
{
    nb_board *b = nb_board_create(NULL);
    /* Two authors drawing at once: their segments interleave, strokes stay apart. */
    for (int i = 0; i < 10; i++) {
        add(b, 1, 5, 1);
        add(b, 2, 5, 1);   /* same stroke id, different author: a different stroke */
    }
    add(b, 1, 6, 2);
    add(b, 1, 5, 1);       /* late segment of an older stroke joins it */
    assert_int_equal(nb_board_stroke_count(b), 3);
    assert_int_equal(visible_of(b, 1, 5), 11);
    assert_int_equal(visible_of(b, 2, 5), 10);
    assert_int_equal(visible_of(b, 1, 6), 2);
    nb_board_destroy(b);
}

static void test_undo_is_per_author(void **state)
{
    nb_board *b = nb_board_create(NULL);
    add(b, 1, 10, 3);
    add(b, 2, 20, 4);
    add(b, 1, 11, 5);
    add(b, 2, 21, 6);
    assert_int_equal(nb_board_undo(b, 1), 11);
    assert_int_equal(visible_of(b, 1, 11), 0);
    assert_int_equal(visible_of(b, 2, 21), 6);   /* author 2's newer stroke untouched */
    assert_int_equal(nb_board_undo(b, 1), 10);
    assert_int_equal(nb_board_undo(b, 1), -1);   /* nothing left of author 1 */
    assert_int_equal(nb_board_visible_count(b), 10);
    assert_int_equal(visible_of(b, 2, 20), 4);
    assert_int_equal(nb_board_undo(b, 3), -1);   /* unknown author */
    assert_int_equal(nb_board_redo(b, 2), -1);   /* author 2 undid nothing */
    assert_int_equal(nb_board_redo(b, 1), 10);   /* last undone comes back first */
    assert_int_equal(nb_board_redo(b, 1), 11);
    assert_int_equal(nb_board_redo(b, 1), -1);
    assert_int_equal(nb_board_visible_count(b), 18);
    nb_board_destroy(b);
}

static void test_new_stroke_clears_redo(void **state)
{
    nb_board *b = nb_board_create(NULL);
    add(b, 1, 1, 2);
    add(b, 1, 2, 2);
    assert_int_equal(nb_board_undo(b, 1), 2);
    add(b, 2, 9, 1);                             /* another author's stroke: no effect */
    add(b, 1, 1, 1);                             /* more of an existing stroke: no effect */
    assert_int_equal(nb_board_undo(b, 1), 1);
    add(b, 1, 3, 1);                             /* a new stroke of author 1 */
    assert_int_equal(nb_board_redo(b, 1), -1);
    assert_int_equal(visible_of(b, 1, 1), 0);
    assert_int_equal(visible_of(b, 1, 2), 0);
    assert_int_equal(nb_board_undo(b, 1), 3);
    assert_int_equal(nb_board_undo(b, 1), -1);   /* undone strokes are not undone twice */
    nb_board_destroy(b);
}

static void test_remote_undo_redo_idempotent(void **state)
{
    nb_board *b = nb_board_create(NULL);
    add(b, 4, 1, 2);
    add(b, 4, 2, 3);
    uint64_t e0 = nb_board_epoch(b);
    assert_int_equal(nb_board_apply_undo(b, 4, 1), 1);
    uint64_t e1 = nb_board_epoch(b);
    assert_true(e1 != e0);
    assert_int_equal(nb_board_apply_undo(b, 4, 1), 0);   /* repeated: no change */
    assert_int_equal(nb_board_epoch(b), e1);
    assert_int_equal(nb_board_apply_undo(b, 4, 99), 0);  /* unknown stroke */
    assert_int_equal(nb_board_apply_undo(b, 5, 1), 0);   /* unknown author */
    assert_int_equal(nb_board_visible_count(b), 3);
    /* Local undo skips the stroke already hidden remotely. */
    assert_int_equal(nb_board_undo(b, 4), 2);
    assert_int_equal(nb_board_undo(b, 4), -1);
    /* Remote redo of the lower stack entry takes it off the stack. */
    assert_int_equal(nb_board_apply_redo(b, 4, 1), 1);
    assert_int_equal(nb_board_apply_redo(b, 4, 1), 0);
    assert_int_equal(nb_board_redo(b, 4), 2);
    assert_int_equal(nb_board_redo(b, 4), -1);
    assert_int_equal(nb_board_visible_count(b), 5);
    /* The echo of our own undo from the server changes nothing. */
    assert_int_equal(nb_board_undo(b, 4), 2);
    assert_int_equal(nb_board_apply_undo(b, 4, 2), 0);
    assert_int_equal(nb_board_redo(b, 4), 2);
    assert_int_equal(nb_board_apply_redo(b, 4, 2), 0);
    nb_board_destroy(b);
}

static void test_late_segment_of_undone_stroke(void **state)
{
    nb_board *b = nb_board_create(NULL);
    add(b, 1, 1, 2);
    assert_int_equal(nb_board_apply_undo(b, 1, 1), 1);
    add(b, 1, 1, 3);   /* still in flight when the undo was applied */
    assert_int_equal(nb_board_count(b), 5);
    assert_int_equal(nb_board_visible_count(b), 0);
    assert_int_equal(nb_board_redo(b, 1), 1);
    assert_int_equal(nb_board_visible_count(b), 5);
    nb_board_destroy(b);
}

static void test_clear_and_change_tracking(void **state)
{
    nb_board *b = nb_board_create(NULL);
    nb_board *other = nb_board_create(NULL);
    assert_true(nb_board_epoch(b) != nb_board_epoch(other));   /* boards are told apart */
    uint64_t e = nb_board_epoch(b), r = nb_board_revision(b);
    add(b, 1, 1, 3);
    assert_int_equal(nb_board_epoch(b), e);     /* appends draw incrementally */
    assert_true(nb_board_revision(b) > r);
    assert_int_equal(nb_board_undo(b, 1), 1);
    assert_true(nb_board_epoch(b) != e);
    e = nb_board_epoch(b);
    assert_int_equal(nb_board_redo(b, 1), 1);
    assert_true(nb_board_epoch(b) != e);
    e = nb_board_epoch(b);
    size_t pos = nb_board_count(b);
    nb_board_clear(b);
    assert_true(nb_board_epoch(b) != e);
    assert_int_equal(nb_board_count(b), 0);
    assert_int_equal(nb_board_visible_count(b), 0);
    assert_int_equal(nb_board_stroke_count(b), 0);
    assert_int_equal(nb_board_undo(b, 1), -1);
    assert_int_equal(nb_board_redo(b, 1), -1);
    nb_segment s;
    assert_false(nb_board_next(b, &pos, &s));  /* a stale position is harmless */
    add(b, 1, 1, 2);                           /* the same ids start afresh */
    assert_int_equal(nb_board_stroke_count(b), 1);
    assert_int_equal(nb_board_undo(b, 1), 1);
    nb_board_destroy(other);
    nb_board_destroy(b);
}

static void test_laser_and_limit(void **state)
{
    nb_board *b = nb_board_create(&(nb_board_opts){ .max_segments = 4 });
    nb_segment laser = seg(1, 1, 0);
    laser.flags = NB_SEG_LASER;
    assert_int_equal(nb_board_add_segment(b, &laser), 0);
    assert_int_equal(nb_board_count(b), 0);
    assert_int_equal(nb_board_stroke_count(b), 0);
    add(b, 1, 1, 4);
    nb_segment s = seg(1, 2, 0);
    assert_int_equal(nb_board_add_segment(b, &s), -1);
    assert_int_equal(nb_board_count(b), 4);
    assert_int_equal(nb_board_stroke_count(b), 1);   /* the failed add left no stroke */
    nb_board_destroy(b);
}

/* Random adds, undos, redos and remote undos/redos from 4 authors: the visible count
 * always matches what iteration sees, and undo/redo never touch another author. */
static void test_random_ops_consistent(void **state)
{
    nb_board *b = nb_board_create(NULL);
    uint32_t seed = 7, next_stroke[4] = { 0 };
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        uint16_t author = (uint16_t)((seed >> 16) % 4);
        uint32_t op = (seed >> 8) % 10;
        size_t before_other = 0, after_other = 0, pos = 0;
        nb_segment s;
        while (nb_board_next(b, &pos, &s)) before_other += s.author != author;
        if (op < 5) {
            if (op == 0) next_stroke[author]++;
            add(b, author, next_stroke[author], 1);
        } else if (op < 7) {
            nb_board_undo(b, author);
        } else if (op < 8) {
            nb_board_redo(b, author);
        } else if (op < 9) {
            nb_board_apply_undo(b, author, (seed >> 4) % (next_stroke[author] + 1));
        } else {
            nb_board_apply_redo(b, author, (seed >> 4) % (next_stroke[author] + 1));
        }
        size_t visible = 0;
        pos = 0;
        while (nb_board_next(b, &pos, &s)) {
            visible++;
            after_other += s.author != author;
        }
        assert_int_equal(visible, nb_board_visible_count(b));
        if (op >= 5 && op < 8) assert_int_equal(before_other, after_other);
    }
    nb_board_destroy(b);
}

static void test_million_segments_memory(void **state)
{
    nb_board *b = nb_board_create(NULL);
    const size_t n = 1000000;
    for (size_t i = 0; i < n; i++) {
        /* 8 authors drawing strokes of 20 segments */
        nb_segment s = seg((uint16_t)(i % 8), (uint32_t)(i / 160), (uint16_t)i);
        assert_int_equal(nb_board_add_segment(b, &s), 1);
    }
    size_t mem = nb_board_memory(b);
    double per = (double)mem / (double)n;
    printf("board: %zu segments, %zu strokes, %.1f MB, %.1f bytes/segment\n", n,
           nb_board_stroke_count(b), (double)mem / 1e6, per);
    assert_int_equal(nb_board_count(b), n);
    assert_int_equal(nb_board_stroke_count(b), n / 20);
    assert_true(per <= 40.0);
    assert_true(mem < 48u * 1000 * 1000);
    /* Undo on a big board: author 3's newest stroke only. */
    assert_int_equal(nb_board_undo(b, 3), (int64_t)((n - 1) / 160));
    assert_int_equal(nb_board_visible_count(b), n - 20);
    nb_board_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_iterate),
        cmocka_unit_test(test_stroke_grouping),
        cmocka_unit_test(test_undo_is_per_author),
        cmocka_unit_test(test_new_stroke_clears_redo),
        cmocka_unit_test(test_remote_undo_redo_idempotent),
        cmocka_unit_test(test_late_segment_of_undone_stroke),
        cmocka_unit_test(test_clear_and_change_tracking),
        cmocka_unit_test(test_laser_and_limit),
        cmocka_unit_test(test_random_ops_consistent),
        cmocka_unit_test(test_million_segments_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
