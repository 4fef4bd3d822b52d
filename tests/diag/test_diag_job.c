/* test_diag_job.c — the async runner: lines arrive in order and complete, bad commands
 * fail at start, free never waits (also with a worker blocked on a full queue), and
 * every worker ends. Waits are polling loops bounded in count and time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nb_diag_job.h"
#include "nb_sock.h"
#include "nb_time.h"

#define WAIT_MS 10000
#define MAX_LINES 32768   /* netstat lists every socket of the machine: room for a busy one */

static nb_diag_line lines[MAX_LINES];

/* Drains until done; returns the number of lines. */
static size_t run_to_end(nb_diag_job *job)
{
    size_t n = 0;
    uint64_t deadline = nb_time_ms() + WAIT_MS;
    for (long spins = 0; spins < 100000000L; spins++) {
        n += nb_diag_job_drain(job, lines + n, MAX_LINES - n);
        if (nb_diag_job_done(job)) return n;
        assert_true(nb_time_ms() < deadline);
        assert_true(n < MAX_LINES);
        sched_yield();
    }
    fail_msg("job never finished");
    return n;
}

static void wait_no_workers(void)
{
    uint64_t deadline = nb_time_ms() + WAIT_MS;
    for (long spins = 0; nb_diag_job_running() > 0; spins++) {
        assert_true(nb_time_ms() < deadline && spins < 100000000L);
        sched_yield();
    }
}

static void test_lines_in_order(void **state)
{
    char err[NB_ERR_LEN];
    nb_diag_job *job = nb_diag_job_start("byteorder", 0, NULL, err);
    assert_non_null(job);
    size_t n = run_to_end(job);
    assert_int_equal(n, 7);
    assert_non_null(strstr(lines[0].text, "host byte order"));
    assert_non_null(strstr(lines[6].text, "INADDR_LOOPBACK"));
    assert_int_equal(nb_diag_job_status(job), 0);
    assert_int_equal(nb_diag_job_drain(job, lines, MAX_LINES), 0);
    nb_diag_job_free(job);

    const char *args[] = { "localhost" };
    job = nb_diag_job_start("dns", 1, args, err);
    assert_non_null(job);
    n = run_to_end(job);
    assert_true(n >= 3);
    assert_non_null(strstr(lines[0].text, "getaddrinfo(\"localhost\")"));
    nb_diag_job_free(job);
    wait_no_workers();
}

static void test_errors(void **state)
{
    char err[NB_ERR_LEN] = "";
    assert_null(nb_diag_job_start("nope", 0, NULL, err));
    assert_non_null(strstr(err, "unknown diagnostic"));
    assert_null(nb_diag_job_start("pton", 0, NULL, err));
    assert_string_equal(err, "usage: pton ADDR");
    const char *many[9] = { "a", "b", "c", "d", "e", "f", "g", "h", "i" };
    assert_null(nb_diag_job_start("pton", 9, many, err));

    /* a failing diagnostic: its error line arrives, status -1 */
    const char *bad[] = { "1.2.3.256" };
    nb_diag_job *job = nb_diag_job_start("pton", 1, bad, err);
    assert_non_null(job);
    assert_int_equal(run_to_end(job), 1);
    assert_memory_equal(lines[0].text, NB_DIAG_ERR_PREFIX, strlen(NB_DIAG_ERR_PREFIX));
    assert_int_equal(nb_diag_job_status(job), -1);
    nb_diag_job_free(job);

    /* a bad port word is caught in the worker: usage as an error line */
    const char *badport[] = { "localhost", "http" };
    job = nb_diag_job_start("port", 2, badport, err);
    assert_non_null(job);
    assert_int_equal(run_to_end(job), 1);
    assert_string_equal(lines[0].text, NB_DIAG_ERR_PREFIX "usage: port HOST PORT [--timeout MS]");
    assert_int_equal(nb_diag_job_status(job), -1);
    nb_diag_job_free(job);
    nb_diag_job_free(NULL);
    wait_no_workers();
}

static void test_arguments_are_copied(void **state)
{
    char err[NB_ERR_LEN], word[32] = "::1";
    const char *args[] = { word };
    nb_diag_job *job = nb_diag_job_start("pton", 1, args, err);
    assert_non_null(job);
    memset(word, 'x', sizeof word - 1);   /* the app reuses its field buffer at once */
    size_t n = run_to_end(job);
    assert_true(n > 0);
    assert_string_equal(lines[0].text, "input: ::1");
    nb_diag_job_free(job);
    wait_no_workers();
}

static void test_free_while_running(void **state)
{
    char err[NB_ERR_LEN];
    for (int i = 0; i < 32; i++) {
        nb_diag_job *job = nb_diag_job_start(i % 2 ? "udp-echo" : "sockopts", 0, NULL, err);
        assert_non_null(job);
        uint64_t t0 = nb_time_ms();
        nb_diag_job_free(job);           /* must not wait for the 50 ms SO_RCVTIMEO demo */
        assert_true(nb_time_ms() - t0 < 40);
    }
    wait_no_workers();
}

/* More lines than the queue holds: the worker waits for room while the app doesn't
 * drain; free wakes it (its pushes fail) and it ends. Then the same run drained to the
 * end delivers every line. */
static void test_full_queue(void **state)
{
    enum { SOCKS = 300 };
    int fds[SOCKS];
    char err[NB_ERR_LEN];
    for (int i = 0; i < SOCKS; i++) {
        fds[i] = nb_sock_listen("127.0.0.1", 0, 1, err);
        assert_true(fds[i] >= 0);
    }
    nb_diag_job *job = nb_diag_job_start("netstat", 0, NULL, err);
    assert_non_null(job);
    uint64_t deadline = nb_time_ms() + WAIT_MS;
    for (long spins = 0; nb_diag_job_pending(job) < NB_DIAG_JOB_QUEUE_LINES; spins++) {
        assert_true(nb_time_ms() < deadline && spins < 100000000L);
        sched_yield();
    }
    assert_false(nb_diag_job_done(job));   /* the worker is waiting for room */
    nb_diag_job_free(job);
    wait_no_workers();

    job = nb_diag_job_start("netstat", 0, NULL, err);
    assert_non_null(job);
    size_t n = run_to_end(job);
    assert_true(n >= SOCKS + 2);        /* header, the sockets, the count */
    assert_non_null(strstr(lines[n - 1].text, "sockets"));
    nb_diag_job_free(job);
    for (int i = 0; i < SOCKS; i++) close(fds[i]);
    wait_no_workers();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_in_order),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_arguments_are_copied),
        cmocka_unit_test(test_free_while_running),
        cmocka_unit_test(test_full_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
