/* test_rate.c — rate windows, gauges, frame-time window, min/max tracker and the traffic
 * counters, fed with made-up timestamps; the counters also from two threads at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "nb_rate.h"

static void test_rate_rolling_second(void **state)
{
    (void)state;
    nb_rate r;
    memset(&r, 0, sizeof r);
    double c, b;
    nb_rate_per_sec(&r, 5000, &c, &b);
    assert_true(c == 0 && b == 0);
    /* 10 frames of 100 bytes spread over 10000..10900 ms. */
    for (int i = 0; i < 10; i++) nb_rate_add(&r, 10000 + (uint64_t)i * 100, 1, 100);
    nb_rate_per_sec(&r, 10950, &c, &b);
    assert_true(c == 10 && b == 1000);
    /* 300 ms later the three oldest ticks have left the window. */
    nb_rate_per_sec(&r, 11250, &c, &b);
    assert_true(c == 7 && b == 700);
    /* Long after: nothing, even though the slots still hold old values. */
    nb_rate_per_sec(&r, 30000, &c, &b);
    assert_true(c == 0 && b == 0);
    /* A time before the samples (clock confusion) sees none of the future ticks. */
    nb_rate_per_sec(&r, 9000, &c, &b);
    assert_true(c == 0);
}

static void test_rate_series(void **state)
{
    (void)state;
    nb_rate r;
    memset(&r, 0, sizeof r);
    float s[NB_RATE_HISTORY];
    /* Second 100 gets 3 frames, 101 nothing, 102 gets 5 frames / 50 bytes. */
    nb_rate_add(&r, 100000, 1, 10);
    nb_rate_add(&r, 100500, 2, 20);
    nb_rate_add(&r, 102999, 5, 50);
    nb_rate_add(&r, 103100, 7, 70);    /* current second: not in the series */
    nb_rate_series(&r, 103500, s);
    assert_true(s[59] == 5);
    assert_true(s[58] == 0);
    assert_true(s[57] == 3);
    for (int i = 0; i < 57; i++) assert_true(s[i] == 0);
    nb_rate_series_bytes(&r, 103500, s);
    assert_true(s[59] == 50 && s[57] == 30);
    /* 60 s later second 102 has scrolled off the left edge and 103 is out[0]. */
    nb_rate_series(&r, 163500, s);
    assert_true(s[0] == 7);
    nb_rate_series(&r, 164500, s);
    for (int i = 0; i < 60; i++) assert_true(s[i] == 0);
    /* Slot reuse: second 160 lands in 100's slot and must not add to it. */
    nb_rate_add(&r, 160000, 4, 0);
    nb_rate_series(&r, 161000, s);
    assert_true(s[59] == 4);
    /* Near time zero there is no negative second to show. */
    memset(&r, 0, sizeof r);
    nb_rate_add(&r, 0, 9, 9);
    nb_rate_series(&r, 1500, s);
    assert_true(s[59] == 9 && s[58] == 0);
}

static void test_gauge(void **state)
{
    (void)state;
    nb_gauge g;
    memset(&g, 0, sizeof g);
    float s[NB_RATE_HISTORY];
    nb_gauge_set(&g, 50000, 12.5f);
    nb_gauge_set(&g, 50400, 30.0f);
    nb_gauge_set(&g, 50900, 20.0f);   /* max of the second stays */
    nb_gauge_set(&g, 52000, 7.0f);
    nb_gauge_series(&g, 52100, s);
    assert_true(s[59] == 7.0f);
    assert_true(s[58] == 0.0f);
    assert_true(s[57] == 30.0f);
}

static void test_frametime(void **state)
{
    (void)state;
    nb_frametime t;
    memset(&t, 0, sizeof t);
    nb_frametime_stats st = nb_frametime_get(&t, 1000);
    assert_int_equal(st.frames, 0);
    assert_int_equal(st.avg_us, 0);
    /* 60 frames at 16.6 ms, one of them slow (50 ms). */
    uint64_t now = 20000;
    for (int i = 0; i < 60; i++) {
        nb_frametime_add(&t, now, i == 30 ? 50000 : 16000);
        now += 16;
    }
    st = nb_frametime_get(&t, now);
    assert_int_equal(st.frames, 60);
    assert_int_equal(st.worst_us, 50000);
    assert_int_equal(st.avg_us, (59 * 16000 + 50000) / 60);
    /* Two seconds later the window is empty again. */
    st = nb_frametime_get(&t, now + 2000);
    assert_int_equal(st.frames, 0);
    assert_int_equal(st.worst_us, 0);
}

static void test_minmax(void **state)
{
    (void)state;
    nb_minmax m;
    memset(&m, 0, sizeof m);
    assert_true(nb_minmax_avg(&m) == 0.0);
    nb_minmax_add(&m, 5);
    nb_minmax_add(&m, 2);
    nb_minmax_add(&m, 11);
    assert_true(m.min == 2 && m.max == 11 && m.last == 11);
    assert_true(nb_minmax_avg(&m) == 6.0);
    assert_int_equal(m.n, 3);
}

static void test_class_of(void **state)
{
    (void)state;
    assert_int_equal(nb_class_of('S'), NB_CLASS_SEGMENT);
    const char *chat = "FVMT", *ping = "PQ", *ctl = "HWJLEURCK";
    for (const char *p = chat; *p; p++) assert_int_equal(nb_class_of((uint8_t)*p), NB_CLASS_CHAT);
    for (const char *p = ping; *p; p++) assert_int_equal(nb_class_of((uint8_t)*p), NB_CLASS_PING);
    for (const char *p = ctl; *p; p++) assert_int_equal(nb_class_of((uint8_t)*p), NB_CLASS_CONTROL);
    assert_int_equal(nb_class_of(0), NB_CLASS_CONTROL);
    assert_int_equal(nb_class_of(0xff), NB_CLASS_CONTROL);
    assert_string_equal(nb_class_name(NB_CLASS_SEGMENT), "segments");
    assert_string_equal(nb_class_name((nb_class)99), "?");
}

static nb_counters shared;

static void *adder(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++) nb_counters_add(&shared, NB_DIR_OUT, 'S', 21);
    return NULL;
}

static void test_counters_threads_and_traffic(void **state)
{
    (void)state;
    nb_counters_init(&shared);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, adder, NULL), 0);
    /* The render-thread side reads while the net thread adds: totals never go down. */
    nb_counters_snap prev, now;
    memset(&prev, 0, sizeof prev);
    for (int i = 0; i < 1000; i++) {
        nb_counters_add(&shared, NB_DIR_IN, 'P', 9);
        nb_counters_snapshot(&shared, &now);
        assert_true(now.frames[NB_DIR_OUT][NB_CLASS_SEGMENT] >= prev.frames[NB_DIR_OUT][NB_CLASS_SEGMENT]);
        prev = now;
    }
    assert_int_equal(pthread_join(th, NULL), 0);
    nb_counters_snapshot(&shared, &now);
    assert_int_equal(now.frames[NB_DIR_OUT][NB_CLASS_SEGMENT], 100000);
    assert_int_equal(now.bytes[NB_DIR_OUT][NB_CLASS_SEGMENT], 2100000);
    assert_int_equal(now.frames[NB_DIR_IN][NB_CLASS_PING], 1000);
    assert_int_equal(now.bytes[NB_DIR_IN][NB_CLASS_PING], 9000);
    assert_int_equal(now.frames[NB_DIR_IN][NB_CLASS_SEGMENT], 0);

    /* Traffic: the first update primes; later ones add the differences. */
    static nb_traffic t;
    memset(&t, 0, sizeof t);
    nb_traffic_update(&t, 1000, &now);
    double c, b;
    nb_rate_per_sec(&t.rate[NB_DIR_OUT][NB_CLASS_SEGMENT], 1000, &c, &b);
    assert_true(c == 0);
    for (int i = 0; i < 5; i++) nb_counters_add(&shared, NB_DIR_OUT, 'S', 21);
    nb_counters_add(&shared, NB_DIR_IN, 'M', 100);
    nb_counters_snapshot(&shared, &now);
    nb_traffic_update(&t, 1200, &now);
    nb_rate_per_sec(&t.rate[NB_DIR_OUT][NB_CLASS_SEGMENT], 1300, &c, &b);
    assert_true(c == 5 && b == 105);
    nb_rate_per_sec(&t.rate[NB_DIR_IN][NB_CLASS_CHAT], 1300, &c, &b);
    assert_true(c == 1 && b == 100);
    /* Counters reset (a new client): the new total counts, no wrap-around. */
    nb_counters_init(&shared);
    nb_counters_add(&shared, NB_DIR_OUT, 'S', 21);
    nb_counters_snapshot(&shared, &now);
    nb_traffic_update(&t, 1400, &now);
    nb_rate_per_sec(&t.rate[NB_DIR_OUT][NB_CLASS_SEGMENT], 1400, &c, &b);
    assert_true(c == 6 && b == 126);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_rolling_second),
        cmocka_unit_test(test_rate_series),
        cmocka_unit_test(test_gauge),
        cmocka_unit_test(test_frametime),
        cmocka_unit_test(test_minmax),
        cmocka_unit_test(test_class_of),
        cmocka_unit_test(test_counters_threads_and_traffic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
