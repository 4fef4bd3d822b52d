/* test_shaper.c — the delay + rate shaper on a simulated clock: order kept, nothing
 * lost, delays respected, the rate cap respected over ten simulated seconds, "full"
 * back-pressure and a receiver that refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "nb_shaper.h"

#define MAXF 70000
#define NB_MIN_U64(a, b) ((a) < (b) ? (a) : (b))

typedef struct sink {
    uint32_t ids[MAXF];
    uint64_t at[MAXF];
    size_t n;
    uint64_t now;
    int refuse;              /* refuse this many calls */
} sink;

static int take(void *ud, const uint8_t *b, size_t len)
{
    sink *k = ud;
    if (k->refuse > 0) {
        k->refuse--;
        return 1;
    }
    assert_true(len >= 4);
    assert_true(k->n < MAXF);
    uint32_t id;
    memcpy(&id, b, 4);
    for (size_t i = 4; i < len; i++) assert_int_equal(b[i], (uint8_t)(id + i));  /* intact */
    k->ids[k->n] = id;
    k->at[k->n] = k->now;
    k->n++;
    return 0;
}

static int push_id(nb_shaper *s, uint64_t now, uint32_t id, size_t len)
{
    uint8_t b[256];
    memcpy(b, &id, 4);
    for (size_t i = 4; i < len; i++) b[i] = (uint8_t)(id + i);
    return nb_shaper_push(s, now, b, len);
}

/* Step the fake clock 1 ms at a time up to `until`, releasing what is ready. */
static void run_until(nb_shaper *s, sink *k, uint64_t until)
{
    for (; k->now <= until; k->now++) nb_shaper_ready(s, k->now, take, k);
    k->now = until;
}

static sink snk;

static void test_passthrough(void **state)
{
    (void)state;
    memset(&snk, 0, sizeof snk);
    nb_shaper *s = nb_shaper_create(NULL);
    assert_non_null(s);
    assert_int_equal(nb_shaper_next_deadline(s, 0), -1);
    for (uint32_t i = 0; i < 100; i++) assert_int_equal(push_id(s, 5, i, 4 + i % 50), NB_SHAPER_OK);
    assert_int_equal(nb_shaper_frames(s), 100);
    assert_int_equal(nb_shaper_next_deadline(s, 5), 0);
    snk.now = 5;
    assert_int_equal(nb_shaper_ready(s, 5, take, &snk), 100);
    for (uint32_t i = 0; i < 100; i++) assert_int_equal(snk.ids[i], i);
    assert_int_equal(nb_shaper_frames(s), 0);
    assert_int_equal(nb_shaper_bytes(s), 0);
    nb_shaper_destroy(s);
    nb_shaper_destroy(NULL);
}

static void test_delay(void **state)
{
    (void)state;
    memset(&snk, 0, sizeof snk);
    nb_shaper *s = nb_shaper_create(&(nb_shaper_opts){ .delay_ms = 250 });
    assert_non_null(s);
    /* Pushes at irregular times over 2 s; released exactly 250 ms later, in order. */
    uint64_t pushed[1000];
    uint32_t id = 0;
    for (uint64_t t = 0; t < 2000; t++) {
        if (t % 7 == 0 || t % 11 == 0) {
            assert_int_equal(push_id(s, t, id, 16), NB_SHAPER_OK);
            assert_true(id < 1000);
            pushed[id++] = t;
        }
        snk.now = t;
        if (nb_shaper_frames(s)) {
            int d = nb_shaper_next_deadline(s, t);
            assert_true(d >= 0 && d <= 250);
        }
        nb_shaper_ready(s, t, take, &snk);
    }
    run_until(s, &snk, 2300);
    assert_int_equal(snk.n, id);
    for (uint32_t i = 0; i < id; i++) {
        assert_int_equal(snk.ids[i], i);
        assert_int_equal(snk.at[i], pushed[i] + 250);
    }
    /* next_deadline tells exactly when the head is due. */
    assert_int_equal(push_id(s, 3000, 0, 8), NB_SHAPER_OK);
    assert_int_equal(nb_shaper_next_deadline(s, 3000), 250);
    assert_int_equal(nb_shaper_next_deadline(s, 3100), 150);
    assert_int_equal(nb_shaper_ready(s, 3249, take, &snk), 0);
    assert_int_equal(nb_shaper_ready(s, 3250, take, &snk), 1);
    /* Lowering the delay releases held frames sooner; the cap is 1000 ms. */
    assert_int_equal(push_id(s, 4000, 1, 8), NB_SHAPER_OK);
    nb_shaper_set(s, 100, 0);
    assert_int_equal(nb_shaper_next_deadline(s, 4050), 50);
    nb_shaper_set(s, 999999, 0);
    assert_int_equal(nb_shaper_next_deadline(s, 4000), 1000);
    nb_shaper_destroy(s);
}

static void test_rate_cap_ten_seconds(void **state)
{
    (void)state;
    const uint32_t rates[] = { 1, 7, 30, 250, 2000 };
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        memset(&snk, 0, sizeof snk);
        uint32_t rate = rates[r];
        nb_shaper *s = nb_shaper_create(&(nb_shaper_opts){ .rate_pps = rate, .delay_ms = 20 });
        assert_non_null(s);
        /* Offer 3x the cap for 10 s; the shaper sleeps as next_deadline says. */
        uint32_t id = 0, offered = rate * 3 * 10;
        uint64_t t = 0, wakeups = 0;
        while (t < 10000) {
            while (id < offered && (uint64_t)id * 10000 / offered <= t) {
                assert_int_equal(push_id(s, t, id, 12), NB_SHAPER_OK);
                id++;
            }
            snk.now = t;
            nb_shaper_ready(s, t, take, &snk);
            int d = nb_shaper_next_deadline(s, t);
            uint64_t next_push = id < offered ? ((uint64_t)id * 10000 + offered - 1) / offered : 10000;
            uint64_t wake = d < 0 ? next_push : NB_MIN_U64(t + (uint64_t)(d ? d : 1), next_push);
            assert_true(wake > t || next_push <= t);
            t = wake > t ? wake : t + 1;
            assert_true(++wakeups < 100000);   /* it sleeps: no busy loop */
        }
        print_message("rate %u: %zu released in 10 s\n", rate, snk.n);
        /* Burst allowance: rate/50 (>= 1) packets, + 1 per 1000/s of rounding carry. */
        uint64_t burst = (rate / 50 ? rate / 50 : 1) + rate / 1000;
        assert_true(snk.n <= (uint64_t)rate * 10 + burst);
        assert_true(snk.n + 1 >= (uint64_t)rate * 10 - (rate >= 50 ? rate / 50 : 0));
        /* In every 1-second window, no more than rate + burst. */
        for (size_t i = 0, j = 0; i < snk.n; i++) {
            while (snk.at[i] - snk.at[j] >= 1000) j++;
            assert_true(i - j + 1 <= rate + burst);
        }
        /* Then drain the rest: nothing lost, order kept. */
        run_until(s, &snk, 10000 + (uint64_t)offered * 1000 / rate + 1000);
        assert_int_equal(snk.n, offered);
        for (uint32_t i = 0; i < offered; i++) assert_int_equal(snk.ids[i], i);
        nb_shaper_destroy(s);
    }
}

static void test_full_and_refusal(void **state)
{
    (void)state;
    memset(&snk, 0, sizeof snk);
    nb_shaper *s = nb_shaper_create(&(nb_shaper_opts){ .delay_ms = 10, .max_bytes = 100 });
    assert_non_null(s);
    for (uint32_t i = 0; i < 5; i++) assert_int_equal(push_id(s, 0, i, 20), NB_SHAPER_OK);
    assert_int_equal(push_id(s, 0, 5, 20), NB_SHAPER_FULL);   /* 120 > 100 */
    assert_int_equal(nb_shaper_frames(s), 5);
    /* The receiver refuses twice (socket full): the head stays, order is kept. */
    snk.refuse = 2;
    snk.now = 10;
    assert_int_equal(nb_shaper_ready(s, 10, take, &snk), 0);
    assert_int_equal(nb_shaper_ready(s, 10, take, &snk), 0);
    assert_int_equal(nb_shaper_ready(s, 10, take, &snk), 5);
    assert_int_equal(push_id(s, 10, 5, 20), NB_SHAPER_OK);     /* room again: caller retries */
    run_until(s, &snk, 30);
    assert_int_equal(snk.n, 6);
    for (uint32_t i = 0; i < 6; i++) assert_int_equal(snk.ids[i], i);
    /* An empty shaper takes a frame over the cap, so a big frame can't wedge it. */
    assert_int_equal(push_id(s, 40, 9, 200), NB_SHAPER_OK);
    assert_int_equal(push_id(s, 40, 10, 4), NB_SHAPER_FULL);
    nb_shaper_destroy(s);
}

static void test_refusal_keeps_token(void **state)
{
    (void)state;
    memset(&snk, 0, sizeof snk);
    nb_shaper *s = nb_shaper_create(&(nb_shaper_opts){ .rate_pps = 1 });
    assert_non_null(s);
    assert_int_equal(push_id(s, 0, 0, 8), NB_SHAPER_OK);
    assert_int_equal(push_id(s, 0, 1, 8), NB_SHAPER_OK);
    snk.refuse = 1;
    assert_int_equal(nb_shaper_ready(s, 0, take, &snk), 0);
    assert_int_equal(nb_shaper_ready(s, 0, take, &snk), 1);   /* the token was not spent */
    assert_int_equal(nb_shaper_next_deadline(s, 0), 1000);
    assert_int_equal(nb_shaper_next_deadline(s, 400), 600);
    assert_int_equal(nb_shaper_ready(s, 999, take, &snk), 0);
    assert_int_equal(nb_shaper_ready(s, 1000, take, &snk), 1);
    /* Lifting the cap releases immediately. */
    assert_int_equal(push_id(s, 1000, 2, 8), NB_SHAPER_OK);
    assert_int_equal(nb_shaper_next_deadline(s, 1000), 1000);
    nb_shaper_set(s, 0, 0);
    assert_int_equal(nb_shaper_next_deadline(s, 1000), 0);
    nb_shaper_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passthrough),
        cmocka_unit_test(test_delay),
        cmocka_unit_test(test_rate_cap_ten_seconds),
        cmocka_unit_test(test_full_and_refusal),
        cmocka_unit_test(test_refusal_keeps_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
