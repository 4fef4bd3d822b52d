/* test_view.c — letterbox fit and pixel <-> board conversions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "nb_view.h"

static void assert_rect(nb_rect r, int x, int y, int w, int h)
{
    assert_int_equal(r.x, x);
    assert_int_equal(r.y, y);
    assert_int_equal(r.w, w);
    assert_int_equal(r.h, h);
}

static void test_fit(void **state)
{
    assert_rect(nb_view_fit((nb_rect){ 0, 0, 1920, 1080 }), 0, 0, 1920, 1080);
    assert_rect(nb_view_fit((nb_rect){ 0, 0, 1366, 768 }), 0, 0, 1365, 768);   /* 1 px bar */
    assert_rect(nb_view_fit((nb_rect){ 0, 0, 800, 800 }), 0, 175, 800, 450);
    assert_rect(nb_view_fit((nb_rect){ 10, 20, 1001, 333 }), 10 + 204, 20, 592, 333);
    assert_rect(nb_view_fit((nb_rect){ 0, 0, 1, 1 }), 0, 0, 1, 1);
    assert_rect(nb_view_fit((nb_rect){ 0, 0, 3, 1000 }), 0, 499, 3, 2);
    nb_rect z = nb_view_fit((nb_rect){ 5, 5, 0, 100 });
    assert_int_equal(z.w, 0);
    assert_int_equal(z.h, 0);
    z = nb_view_fit((nb_rect){ 5, 5, -10, -10 });
    assert_int_equal(z.w, 0);
    z = nb_view_fit((nb_rect){ 0, 0, 2000000000, 2000000000 });   /* no overflow */
    assert_int_equal(z.w, 2000000000);
    assert_true(z.h > 0 && z.h < 2000000000);
}

static void round_trip(nb_rect area)
{
    nb_rect b = nb_view_fit(area);
    for (int px = b.x; px < b.x + b.w; px++) {
        uint16_t bx = nb_view_from_px_x(b, px);
        float back = nb_view_to_px_x(b, bx);
        assert_true(fabsf(back - ((float)px + 0.5f)) <= 1.0f);
        assert_int_equal((int)floorf(back), px);
    }
    for (int py = b.y; py < b.y + b.h; py++) {
        uint16_t by = nb_view_from_px_y(b, py);
        assert_int_equal((int)floorf(nb_view_to_px_y(b, by)), py);
    }
}

static void test_round_trip(void **state)
{
    round_trip((nb_rect){ 0, 0, 1920, 1080 });
    round_trip((nb_rect){ 0, 0, 1366, 768 });
    round_trip((nb_rect){ 0, 0, 800, 800 });
    round_trip((nb_rect){ 33, 7, 641, 479 });
    round_trip((nb_rect){ 0, 0, 7680, 4320 });
}

static void test_same_picture_on_two_screens(void **state)
{
    /* A board point lands at the same fraction of the board on a projector and a laptop. */
    nb_rect p = nb_view_fit((nb_rect){ 0, 0, 1920, 1080 });
    nb_rect l = nb_view_fit((nb_rect){ 0, 0, 1366, 768 });
    uint16_t bx = 49152, by = 16384;
    assert_true(fabsf(nb_view_to_px_x(p, bx) / p.w - nb_view_to_px_x(l, bx) / l.w) < 1e-4f);
    assert_true(fabsf(nb_view_to_px_y(p, by) / p.h - nb_view_to_px_y(l, by) / l.h) < 1e-4f);
    assert_true(fabsf(nb_view_to_px_x(p, bx) - 1440.0f) < 0.01f);
}

static void test_clamp_and_width(void **state)
{
    nb_rect b = nb_view_fit((nb_rect){ 0, 0, 800, 800 });   /* y 175..625 */
    assert_int_equal(nb_view_from_px_x(b, -50), 0);
    assert_int_equal(nb_view_from_px_x(b, 5000), NB_BOARD_MAX);
    assert_int_equal(nb_view_from_px_y(b, 0), 0);            /* in the top bar */
    assert_int_equal(nb_view_from_px_y(b, 799), NB_BOARD_MAX);
    assert_int_equal(nb_view_from_px_x(b, 2147483647), NB_BOARD_MAX);
    assert_int_equal(nb_view_from_px_x(b, -2147483647 - 1), 0);
    nb_rect zero = { 0, 0, 0, 0 };
    assert_int_equal(nb_view_from_px_x(zero, 10), 0);        /* no division by zero */
    nb_rect hd = nb_view_fit((nb_rect){ 0, 0, 1920, 1080 });
    assert_true(fabsf(nb_view_width_px(hd, 3) - 3.24f) < 0.01f);
    assert_true(fabsf(nb_view_width_px(hd, 255) - 275.4f) < 0.01f);
    assert_true(nb_view_width_px(hd, 0) == 1.0f);            /* never invisible */
    assert_true(nb_view_width_px(zero, 50) == 1.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_same_picture_on_two_screens),
        cmocka_unit_test(test_clamp_and_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
