/* test_serve.c — `netboard serve`: argument parsing, usage exit codes, and a real run in
 * a child process that logs "listening", serves a raw peer, and stops cleanly on SIGTERM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nb_serve.h"
#include "nb_sock.h"
#include "nb_testclient.h"
#include "nb_time.h"

static void test_parse(void **state)
{
    (void)state;
    nb_server_opts o;
    char err[NB_ERR_LEN];
    char *ok[] = { "serve", "--port", "5000", "--bind=::1", "--name", "team",
                   "--max-clients", "9" };
    assert_int_equal(nb_serve_parse(8, ok, &o, err), 0);
    assert_int_equal(o.port, 5000);
    assert_string_equal(o.bind, "::1");
    assert_string_equal(o.name, "team");
    assert_int_equal(o.max_clients, 9);
    char *none[] = { "serve" };
    assert_int_equal(nb_serve_parse(1, none, &o, err), 0);
    assert_int_equal(o.port, 0);   /* → 49001 in nb_server_start */
    char *help[] = { "serve", "--help" };
    assert_int_equal(nb_serve_parse(2, help, &o, err), 1);

    char *bad[][3] = {
        { "serve", "--port", "70000" }, { "serve", "--port", "12x" }, { "serve", "--bogus", "1" },
        { "serve", "--max-clients", "0" }, { "serve", "--name", "" }, { "serve", "--port", NULL },
    };
    for (size_t i = 0; i < NB_ARRAY_LEN(bad); i++) {
        int argc = bad[i][2] ? 3 : 2;
        err[0] = '\0';
        assert_int_equal(nb_serve_parse(argc, bad[i], &o, err), -1);
        assert_true(err[0] != '\0');
    }
    /* the usage exit code */
    char *bad_main[] = { "serve", "--bogus" };
    assert_int_equal(nb_serve_main(2, bad_main), 2);
}

static void test_format_status(void **state)
{
    (void)state;
    static nb_server_status st;
    st.connections = 3;
    st.clients = 2;
    st.accepted = 10;
    st.frames_in = 5;
    st.bytes_out = 99;
    char line[512];
    nb_serve_format_status(&st, line, sizeof line);
    assert_non_null(strstr(line, "3 connections (2 joined)"));
    assert_non_null(strstr(line, "10 accepted"));
    assert_non_null(strstr(line, "frames in/out 5/0"));
    assert_non_null(strstr(line, "bytes in/out 0/99"));
}

/* Reads the child's stderr until a line containing `needle`; bounded by the deadline. */
static int wait_for_log(int fd, const char *needle, char *acc, size_t cap, size_t *len,
                        int timeout_ms)
{
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    while (!strstr(acc, needle)) {
        uint64_t now = nb_time_ms();
        if (now >= deadline || *len + 1 >= cap) return 0;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, (int)(deadline - now)) <= 0) continue;
        ssize_t r = read(fd, acc + *len, cap - 1 - *len);
        if (r <= 0) return 0;
        *len += (size_t)r;
        acc[*len] = '\0';
    }
    return 1;
}

static void test_run_and_sigterm(void **state)
{
    (void)state;
    char err[NB_ERR_LEN];
    int probe = nb_sock_listen("127.0.0.1", 0, 1, err);   /* find a free port */
    assert_true(probe >= 0);
    int port = nb_sock_local_port(probe);
    close(probe);
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);

    int errp[2];
    assert_int_equal(pipe(errp), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(errp[1], 2);
        close(errp[0]);
        char *argv[] = { "serve", "--port", port_s, "--bind", "127.0.0.1", "--name", "t", NULL };
        _exit(nb_serve_main(7, argv));
    }
    close(errp[1]);
    static char acc[16384];
    size_t len = 0;
    acc[0] = '\0';
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    assert_int_equal(wait_for_log(errp[0], "listening on port", acc, sizeof acc, &len, 5000), 1);

    rawc r;
    char line[256];
    assert_int_equal(raw_connect(&r, port), 0);
    assert_int_equal(raw_send(&r, "hello\n"), 0);
    assert_int_equal(wait_for_log(errp[0], "joined as author", acc, sizeof acc, &len, 5000), 1);

    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_int_equal(raw_expect(&r, "* server shutting down", line, sizeof line, 5000), 1);
    assert_int_equal(wait_for_log(errp[0], "stopped", acc, sizeof acc, &len, 5000), 1);
    if (pidfd >= 0) {   /* bounded wait for the exit */
        struct pollfd p = { .fd = pidfd, .events = POLLIN };
        assert_int_equal(poll(&p, 1, 5000), 1);
        close(pidfd);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_non_null(strstr(acc, "SIGTERM"));
    raw_close(&r);
    close(errp[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_format_status),
        cmocka_unit_test(test_run_and_sigterm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
