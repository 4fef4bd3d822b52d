/* test_sock.c — socket helpers on loopback: listen (v4, v6, dual-stack, ephemeral),
 * connect outcomes (open, refused, timeout, resolve failure), and address strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_sock.h"

static void test_addr_str(void **state)
{
    (void)state;
    char out[NB_SOCK_ADDR_LEN];
    struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(5) };
    inet_pton(AF_INET, "1.2.3.4", &a4.sin_addr);
    assert_string_equal(nb_sock_addr_str((struct sockaddr *)&a4, out, sizeof out), "1.2.3.4:5");
    struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(49001) };
    inet_pton(AF_INET6, "::1", &a6.sin6_addr);
    assert_string_equal(nb_sock_addr_str((struct sockaddr *)&a6, out, sizeof out), "[::1]:49001");
    inet_pton(AF_INET6, "::ffff:10.0.0.7", &a6.sin6_addr);
    assert_string_equal(nb_sock_addr_str((struct sockaddr *)&a6, out, sizeof out),
                        "10.0.0.7:49001");
    char tiny[4];
    nb_sock_addr_str((struct sockaddr *)&a4, tiny, sizeof tiny);
    assert_string_equal(tiny, "1.2");   /* truncated, still terminated */
    struct sockaddr other = { .sa_family = AF_UNIX };
    assert_string_equal(nb_sock_addr_str(&other, out, sizeof out), "?");
}

static void test_listen_connect_open(void **state)
{
    (void)state;
    char err[NB_ERR_LEN] = "";
    int lfd = nb_sock_listen("127.0.0.1", 0, 8, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    assert_true(port > 0);

    nb_sock_result res;
    int fd = nb_sock_connect("127.0.0.1", port, 2000, &res, err);
    assert_true(fd >= 0);
    assert_int_equal(res.outcome, NB_SOCK_OPEN);
    assert_int_equal(res.sys_errno, 0);
    assert_int_equal(res.addrs_tried, 1);
    assert_true(res.elapsed_ms >= 0 && res.elapsed_ms < 2000);
    char want[NB_SOCK_ADDR_LEN], got[NB_SOCK_ADDR_LEN];
    snprintf(want, sizeof want, "127.0.0.1:%d", port);
    assert_string_equal(res.addr, want);
    assert_int_equal(nb_sock_peer_str(fd, got, sizeof got), 0);
    assert_string_equal(got, want);

    int afd = accept(lfd, NULL, NULL);
    assert_true(afd >= 0);
    assert_int_equal(nb_sock_set_nodelay(afd, 1, err), 0);
    assert_int_equal(nb_sock_set_keepalive(afd, 10, 3, 4, err), 0);
    assert_int_equal(nb_sock_set_nonblock(afd, 1, err), 0);
    char b;
    assert_int_equal(read(afd, &b, 1), -1);      /* nothing sent yet, and non-blocking */
    assert_int_equal(errno, EAGAIN);
    assert_int_equal(nb_sock_local_str(afd, got, sizeof got), 0);
    assert_string_equal(got, want);
    close(afd);
    close(fd);
    close(lfd);
}

static void test_refused(void **state)
{
    (void)state;
    char err[NB_ERR_LEN] = "";
    int lfd = nb_sock_listen("127.0.0.1", 0, 8, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    close(lfd);   /* now nothing listens there: the kernel answers RST */
    nb_sock_result res;
    assert_int_equal(nb_sock_connect("127.0.0.1", port, 2000, &res, err), -1);
    assert_int_equal(res.outcome, NB_SOCK_REFUSED);
    assert_int_equal(res.sys_errno, ECONNREFUSED);
    assert_non_null(strstr(err, "127.0.0.1"));
    assert_non_null(strstr(err, strerror(ECONNREFUSED)));
}

static void test_timeout_on_full_backlog(void **state)
{
    (void)state;
    /* A listener that never accepts: once its queue is full Linux drops further SYNs,
     * so connect can only time out — the loopback way to see a filtered port. */
    char err[NB_ERR_LEN] = "";
    int lfd = nb_sock_listen("127.0.0.1", 0, 1, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    int fds[8], n = 0, timed_out = 0;
    for (int i = 0; i < 8 && !timed_out; i++) {
        nb_sock_result res;
        int fd = nb_sock_connect("127.0.0.1", port, 150, &res, err);
        if (fd >= 0) {
            assert_int_equal(res.outcome, NB_SOCK_OPEN);
            fds[n++] = fd;
        } else {
            assert_int_equal(res.outcome, NB_SOCK_TIMEOUT);
            assert_true(res.elapsed_ms >= 140 && res.elapsed_ms < 1000);
            timed_out = 1;
        }
    }
    assert_true(timed_out);
    for (int i = 0; i < n; i++) close(fds[i]);
    close(lfd);
}

static void test_resolve_failed(void **state)
{
    (void)state;
    char err[NB_ERR_LEN] = "";
    nb_sock_result res;
    assert_int_equal(nb_sock_connect("no such host!", 80, 500, &res, err), -1);
    assert_int_equal(res.outcome, NB_SOCK_RESOLVE_FAILED);
    assert_non_null(strstr(err, "no such host!"));
    assert_string_equal(nb_sock_outcome_name(res.outcome), "resolve-failed");
}

static void test_dual_stack_default(void **state)
{
    (void)state;
    char err[NB_ERR_LEN] = "";
    int lfd = nb_sock_listen(NULL, 0, 8, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    nb_sock_result res;
    int fd4 = nb_sock_connect("127.0.0.1", port, 2000, &res, err);
    assert_true(fd4 >= 0);
    int a4 = accept(lfd, NULL, NULL);
    char got[NB_SOCK_ADDR_LEN];
    nb_sock_peer_str(a4, got, sizeof got);
    assert_true(strncmp(got, "127.0.0.1:", 10) == 0);   /* v4-mapped shown as v4 */
    close(a4);
    close(fd4);

    int v6 = nb_sock_listen("::1", 0, 8, err);
    if (v6 >= 0) {   /* containers without IPv6 loopback skip this half */
        int p6 = nb_sock_local_port(v6);
        int fd6 = nb_sock_connect("::1", p6, 2000, &res, err);
        assert_true(fd6 >= 0);
        char want[NB_SOCK_ADDR_LEN];
        snprintf(want, sizeof want, "[::1]:%d", p6);
        assert_string_equal(res.addr, want);
        close(fd6);
        close(v6);
    }
    close(lfd);
}

static void test_listen_errors(void **state)
{
    (void)state;
    char err[NB_ERR_LEN] = "";
    int lfd = nb_sock_listen("127.0.0.1", 0, 8, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    assert_int_equal(nb_sock_listen("127.0.0.1", port, 8, err), -1);   /* in use */
    assert_non_null(strstr(err, strerror(EADDRINUSE)));
    assert_int_equal(nb_sock_listen("not an address!", 0, 8, err), -1);
    assert_non_null(strstr(err, "not an address!"));
    close(lfd);
    assert_int_equal(nb_sock_local_port(-1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr_str),
        cmocka_unit_test(test_listen_connect_open),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_timeout_on_full_backlog),
        cmocka_unit_test(test_resolve_failed),
        cmocka_unit_test(test_dual_stack_default),
        cmocka_unit_test(test_listen_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
