/* test_server_stop.c — stopping with clients connected (mid-handshake, joined, raw, and
 * one still being sent a large history): returns within a second, every thread joined,
 * every fd closed; clients see the shutdown. Also a clear while a joiner is mid-replay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "nb_log.h"
#include "nb_server.h"
#include "nb_testclient.h"
#include "nb_time.h"

static int count_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - (strcmp(path, "/proc/self/fd") == 0);   /* the DIR's own fd */
}

static void *nothing(void *arg) { return arg; }

/* Sanitizer runtimes (TSan) start a helper thread with the first pthread_create; start
 * and join one thread first so the baseline already includes it. */
static void warm_up_threads(void)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, nothing, NULL), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}

static nb_server *start(void)
{
    char err[NB_ERR_LEN];
    nb_server *s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1" }, err);
    if (!s) fprintf(stderr, "start: %s\n", err);
    assert_non_null(s);
    return s;
}

static void test_stop_with_clients(void **state)
{
    (void)state;
    nb_log_set_level(NB_LOG_ERROR);
    warm_up_threads();
    int tasks0 = count_dir("/proc/self/task"), fds0 = count_dir("/proc/self/fd");
    assert_true(tasks0 > 0 && fds0 > 0);

    nb_server *s = start();
    int port = nb_server_port(s);
    tc a, b, half, big;
    rawc r;
    assert_int_equal(tc_join(&a, port, 1, "a"), 0);
    for (uint32_t i = 0; i < 50000; i++) assert_int_equal(tc_send_segment(&a, 0, i, 0), 0);
    assert_int_equal(tc_sync(&a), 0);
    assert_int_equal(tc_join(&b, port, 2, "b"), 0);
    assert_int_equal(tc_connect(&big, port, 4096), 0);   /* owed 1 MB of history, not reading */
    assert_int_equal(tc_send_bytes(&big, NB_SIGNATURE, NB_SIG_LEN), 0);
    assert_int_equal(tc_send_hello(&big, 3, "big"), 0);
    assert_int_equal(tc_connect(&half, port, 0), 0);     /* signature only */
    assert_int_equal(tc_send_bytes(&half, NB_SIGNATURE, 2), 0);
    assert_int_equal(raw_connect(&r, port), 0);
    assert_int_equal(raw_send(&r, "hi\n"), 0);
    nb_frame f;
    assert_int_equal(tc_recv_type(&b, NB_FT_CHAT_DELIVERED, &f, TC_WAIT_MS), 1);
    assert_true(count_dir("/proc/self/task") >= tasks0 + 2);

    uint64_t t0 = nb_time_ns();
    nb_server_stop(s);
    double ms = (double)(nb_time_ns() - t0) / 1e6;
    print_message("nb_server_stop with 5 clients: %.2f ms\n", ms);
    assert_true(ms < 1000.0);
    assert_int_equal(count_dir("/proc/self/task"), tasks0);

    /* the clients learn it: b (idle) gets E SHUTDOWN, everyone reaches EOF */
    assert_int_equal(tc_recv_type(&b, NB_FT_ERROR, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.u.error.code, NB_PERR_SHUTDOWN);
    assert_int_equal(tc_wait_closed(&b, TC_WAIT_MS), 1);
    assert_int_equal(tc_wait_closed(&a, TC_WAIT_MS), 1);
    assert_int_equal(tc_wait_closed(&half, TC_WAIT_MS), 1);
    assert_int_equal(tc_wait_closed(&big, TC_WAIT_MS), 1);
    char line[256];
    assert_int_equal(raw_expect(&r, "* server shutting down", line, sizeof line, TC_WAIT_MS), 1);
    tc_close(&a);
    tc_close(&b);
    tc_close(&half);
    tc_close(&big);
    raw_close(&r);
    assert_int_equal(count_dir("/proc/self/fd"), fds0);
}

static void test_start_stop_idle_and_errors(void **state)
{
    (void)state;
    int tasks0 = count_dir("/proc/self/task"), fds0 = count_dir("/proc/self/fd");
    for (int i = 0; i < 20; i++) nb_server_stop(start());
    assert_int_equal(count_dir("/proc/self/task"), tasks0);
    assert_int_equal(count_dir("/proc/self/fd"), fds0);

    nb_server *s = start();
    char err[NB_ERR_LEN] = "";
    nb_server *dup = nb_server_start(
        &(nb_server_opts){ .port = nb_server_port(s), .bind = "127.0.0.1" }, err);
    assert_null(dup);   /* port taken */
    assert_non_null(strstr(err, "127.0.0.1"));
    nb_server_stop(s);
    nb_server_stop(NULL);
    assert_int_equal(count_dir("/proc/self/fd"), fds0);
}

static void test_clear_during_history_replay(void **state)
{
    (void)state;
    nb_server *s = start();
    int port = nb_server_port(s);
    enum { N = 60000 };
    tc a, j;
    assert_int_equal(tc_join(&a, port, 1, "a"), 0);
    for (uint32_t i = 0; i < N; i++) assert_int_equal(tc_send_segment(&a, 0, i, 0), 0);
    assert_int_equal(tc_sync(&a), 0);
    /* the joiner's small window keeps most of the history owed when the clear lands */
    assert_int_equal(tc_connect(&j, port, 4096), 0);
    assert_int_equal(tc_send_bytes(&j, NB_SIGNATURE, NB_SIG_LEN), 0);
    assert_int_equal(tc_send_hello(&j, 2, "joiner"), 0);
    nb_frame f;
    assert_int_equal(tc_recv_type(&a, NB_FT_JOIN, &f, TC_WAIT_MS), 1);   /* joined: W cut */
    nb_frame clr = { .type = NB_FT_CLEAR };
    assert_int_equal(tc_send(&a, &clr), 0);
    assert_int_equal(tc_send_segment(&a, 0, N, 0), 0);
    assert_int_equal(tc_sync(&a), 0);

    assert_int_equal(tc_recv(&j, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_WELCOME);
    assert_int_equal(f.u.welcome.history, N);
    for (uint32_t i = 0; i < N; i++) {   /* the whole promised history, intact */
        assert_int_equal(tc_recv(&j, &f, TC_WAIT_MS), 1);
        assert_int_equal(f.type, NB_FT_SEGMENT);
        assert_int_equal(f.u.seg.stroke, i);
    }
    assert_int_equal(tc_recv_type(&j, NB_FT_CLEAR, &f, TC_WAIT_MS), 1);
    assert_int_equal(tc_recv(&j, &f, TC_WAIT_MS), 1);
    assert_int_equal(f.type, NB_FT_SEGMENT);
    assert_int_equal(f.u.seg.stroke, N);
    nb_server_status st;
    nb_server_status_get(s, &st);
    assert_int_equal(st.history_frames, 1);
    tc_close(&j);
    tc_close(&a);
    nb_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_with_clients),
        cmocka_unit_test(test_start_stop_idle_and_errors),
        cmocka_unit_test(test_clear_during_history_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
