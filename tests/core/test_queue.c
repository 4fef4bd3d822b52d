/* test_queue.c — the render queue: order, bounds, close, and a multi-producer stress
 * test that checks no item is lost or duplicated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nb_queue.h"

static void test_fifo_order(void **state)
{
    (void)state;
    nb_queue *q = nb_queue_create(sizeof(int), 4);
    assert_non_null(q);
    for (int i = 0; i < 4; i++) assert_int_equal(nb_queue_push(q, &i, 0), NB_QUEUE_OK);
    int out[8];
    assert_int_equal(nb_queue_drain_all(q, out, 8), 4);
    for (int i = 0; i < 4; i++) assert_int_equal(out[i], i);
    assert_int_equal(nb_queue_drain_all(q, out, 8), 0);
    nb_queue_destroy(q);
}

static void test_full_policy_fails_without_dropping(void **state)
{
    (void)state;
    nb_queue *q = nb_queue_create(sizeof(int), 2);
    int a = 1, b = 2, c = 3;
    assert_int_equal(nb_queue_push(q, &a, 0), NB_QUEUE_OK);
    assert_int_equal(nb_queue_push(q, &b, 0), NB_QUEUE_OK);
    assert_int_equal(nb_queue_push(q, &c, 0), NB_QUEUE_FULL);
    assert_int_equal(nb_queue_push(q, &c, 5), NB_QUEUE_FULL);  /* timed wait, still full */
    nb_queue_stats st;
    nb_queue_get_stats(q, &st);
    assert_int_equal(st.full_waits, 2);
    assert_int_equal(st.high_water, 2);
    int out[4];
    assert_int_equal(nb_queue_drain_all(q, out, 4), 2);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 2);
    nb_queue_destroy(q);
}

static void test_wraparound_and_partial_drain(void **state)
{
    (void)state;
    nb_queue *q = nb_queue_create(sizeof(int), 3);
    int out[3], next = 0, expect = 0;
    for (int round = 0; round < 10; round++) {
        while (nb_queue_push(q, &next, 0) == NB_QUEUE_OK) next++;
        size_t n = nb_queue_drain_all(q, out, 2);     /* leave one behind: head moves */
        assert_int_equal(n, 2);
        for (size_t i = 0; i < n; i++) assert_int_equal(out[i], expect++);
    }
    size_t n = nb_queue_drain_all(q, out, 3);
    for (size_t i = 0; i < n; i++) assert_int_equal(out[i], expect++);
    assert_int_equal(expect, next);
    nb_queue_destroy(q);
}

static void test_close_rejects_push_keeps_items(void **state)
{
    (void)state;
    nb_queue *q = nb_queue_create(sizeof(int), 4);
    int v = 7;
    assert_int_equal(nb_queue_push(q, &v, 0), NB_QUEUE_OK);
    nb_queue_close(q);
    assert_true(nb_queue_is_closed(q));
    assert_int_equal(nb_queue_push(q, &v, -1), NB_QUEUE_CLOSED);
    int out[4];
    assert_int_equal(nb_queue_wait_drain(q, out, 4, -1), 1);
    assert_int_equal(out[0], 7);
    assert_int_equal(nb_queue_wait_drain(q, out, 4, -1), 0);  /* closed and empty: no wait */
    nb_queue_destroy(q);
}

/* A producer blocked on a full queue must wake when the queue is closed. */
static void *blocked_producer(void *arg)
{
    nb_queue *q = arg;
    int v = 1;
    intptr_t rc = nb_queue_push(q, &v, -1);
    return (void *)rc;
}

static void test_close_wakes_blocked_producer(void **state)
{
    (void)state;
    nb_queue *q = nb_queue_create(sizeof(int), 1);
    int v = 0;
    nb_queue_push(q, &v, 0);
    pthread_t t;
    pthread_create(&t, NULL, blocked_producer, q);
    nb_queue_close(q);
    void *ret;
    pthread_join(t, &ret);
    assert_int_equal((intptr_t)ret, NB_QUEUE_CLOSED);
    nb_queue_destroy(q);
}

/* Stress: 4 producers push tagged items through a small queue while the consumer drains
 * in batches, as the render loop does. Every (producer, seq) must arrive exactly once and
 * in order per producer. Bounded: a fixed item count; producers block on a full queue. */
enum { PRODUCERS = 4, PER_PRODUCER = 50000, QCAP = 64 };

typedef struct { uint32_t producer, seq; } item;
typedef struct { nb_queue *q; uint32_t id; } producer_arg;

static void *producer(void *p)
{
    producer_arg *a = p;
    for (uint32_t i = 0; i < PER_PRODUCER; i++) {
        item it = { a->id, i };
        if (nb_queue_push(a->q, &it, -1) != NB_QUEUE_OK) return (void *)1;
    }
    return NULL;
}

static void test_stress_no_loss_no_duplicates(void **state)
{
    (void)state;
    nb_queue *q = nb_queue_create(sizeof(item), QCAP);
    pthread_t th[PRODUCERS];
    producer_arg args[PRODUCERS];
    for (uint32_t i = 0; i < PRODUCERS; i++) {
        args[i] = (producer_arg){ q, i };
        pthread_create(&th[i], NULL, producer, &args[i]);
    }
    uint32_t next[PRODUCERS] = { 0 };
    uint64_t total = 0, rounds = 0;
    item batch[QCAP];
    /* Each wait either returns items or times out; the bound on rounds keeps a broken
     * queue from hanging the test (the 60 s ctest timeout is the outer bound). */
    while (total < (uint64_t)PRODUCERS * PER_PRODUCER && rounds < 10000000) {
        size_t n = nb_queue_wait_drain(q, batch, QCAP, 1000);
        rounds++;
        for (size_t i = 0; i < n; i++) {
            assert_true(batch[i].producer < PRODUCERS);
            assert_int_equal(batch[i].seq, next[batch[i].producer]);
            next[batch[i].producer]++;
        }
        total += n;
    }
    for (int i = 0; i < PRODUCERS; i++) {
        void *ret;
        pthread_join(th[i], &ret);
        assert_null(ret);
        assert_int_equal(next[i], PER_PRODUCER);
    }
    assert_int_equal(total, (uint64_t)PRODUCERS * PER_PRODUCER);
    nb_queue_stats st;
    nb_queue_get_stats(q, &st);
    assert_int_equal(st.pushed, total);
    assert_int_equal(st.drained, total);
    assert_true(st.high_water <= QCAP);
    nb_queue_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_order),
        cmocka_unit_test(test_full_policy_fails_without_dropping),
        cmocka_unit_test(test_wraparound_and_partial_drain),
        cmocka_unit_test(test_close_rejects_push_keeps_items),
        cmocka_unit_test(test_close_wakes_blocked_producer),
        cmocka_unit_test(test_stress_no_loss_no_duplicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
