/* test_diag_live.c — the diagnostics against this machine, checked by the system's own
 * tools: ifaces vs `ip -o addr`, dns vs `getent ahosts`, port/sockbuf/tcpinfo/udp-echo
 * on loopback sockets the test holds (IPv4 and IPv6). No network beyond loopback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "diag_capture.h"
#include "nb_sock.h"

#define MAX_ITEMS 64

typedef struct strset { char s[MAX_ITEMS][128]; size_t n; } strset;

static capture *cap;

static int setup(void **state) { cap = capture_new(); return 0; }
static int teardown(void **state) { free(cap); return 0; }
static void reset(void) { cap->n = cap->dropped = 0; }

static void dump(void)
{
    for (size_t i = 0; i < cap->n; i++) print_message("  | %s\n", cap->lines[i]);
}

static void assert_line(const char *needle)
{
    if (capture_find(cap, needle) < 0) {
        dump();
        fail_msg("no line contains \"%s\"", needle);
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(a, b); }

static void set_add(strset *s, const char *item)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->s[i], item) == 0) return;   /* a set: getaddrinfo repeats per socktype */
    assert_true(s->n < MAX_ITEMS);
    nb_strlcpy(s->s[s->n++], item, sizeof s->s[0]);
}

static void assert_sets_equal(strset *a, strset *b)
{
    qsort(a->s, a->n, sizeof a->s[0], cmp_str);
    qsort(b->s, b->n, sizeof b->s[0], cmp_str);
    for (size_t i = 0; i < NB_MAX(a->n, b->n); i++)
        print_message("  %-50s %s\n", i < a->n ? a->s[i] : "-", i < b->n ? b->s[i] : "-");
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) assert_string_equal(a->s[i], b->s[i]);
}

/* Runs cmd and feeds each output line to fn. */
static void each_line(const char *cmd, void (*fn)(const char *line, strset *s), strset *s)
{
    char line[1024];
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    for (int guard = 0; guard < 10000 && fgets(line, sizeof line, p); guard++) fn(line, s);
    assert_int_equal(pclose(p), 0);
}

/* "4: eth0    inet6 fe80::1/64 scope link ..." -> "eth0 inet6 fe80::1/64" */
static void ip_addr_line(const char *line, strset *s)
{
    char idx[16], name[64], fam[16], addr[128], item[256];
    if (sscanf(line, "%15s %63s %15s %127s", idx, name, fam, addr) != 4) return;
    snprintf(item, sizeof item, "%s %s %s", name, fam, addr);
    set_add(s, item);
}

static void test_ifaces_match_ip(void **state)
{
    strset *mine = calloc(1, sizeof *mine), *theirs = calloc(1, sizeof *theirs);
    char name[64] = "", fam[16], addr[128], item[256];
    assert_non_null(mine);
    assert_non_null(theirs);
    reset();
    assert_int_equal(nb_diag_ifaces(capture_emit, cap), 0);
    assert_line("lo: <UP,LOOPBACK,RUNNING");
    assert_line("inet 127.0.0.1/8");
    for (size_t i = 0; i < cap->n; i++) {
        const char *l = cap->lines[i];
        if (l[0] != ' ') {
            sscanf(l, "%63[^:]", name);
        } else if (sscanf(l, "%15s %127s", fam, addr) == 2 &&
                   (strcmp(fam, "inet") == 0 || strcmp(fam, "inet6") == 0)) {
            snprintf(item, sizeof item, "%s %s %s", name, fam, addr);
            set_add(mine, item);
        }
    }
    each_line("ip -o addr", ip_addr_line, theirs);
    assert_true(theirs->n >= 1);
    assert_sets_equal(mine, theirs);
    free(mine);
    free(theirs);
}

/* "127.0.0.1       STREAM localhost" -> "127.0.0.1" */
static void getent_line(const char *line, strset *s)
{
    char addr[128];
    if (sscanf(line, "%127s", addr) == 1) set_add(s, addr);
}

static void test_dns_matches_getent(void **state)
{
    strset *mine = calloc(1, sizeof *mine), *theirs = calloc(1, sizeof *theirs);
    char fam[16], addr[128];
    assert_non_null(mine);
    assert_non_null(theirs);
    reset();
    assert_int_equal(nb_diag_dns("localhost", capture_emit, cap), 0);
    assert_line("getaddrinfo(\"localhost\"):");
    assert_line(" ms");
    assert_line("canonical name: ");
    for (size_t i = 0; i < cap->n; i++)
        if (sscanf(cap->lines[i], " %15s %127s", fam, addr) == 2 &&
            (strcmp(fam, "IPv4") == 0 || strcmp(fam, "IPv6") == 0))
            set_add(mine, addr);
    each_line("getent ahosts localhost", getent_line, theirs);
    assert_true(mine->n >= 1);
    assert_sets_equal(mine, theirs);
    free(mine);
    free(theirs);
}

static void test_reverse(void **state)
{
    reset();
    assert_int_equal(nb_diag_reverse("127.0.0.1", capture_emit, cap), 0);
    assert_line("getnameinfo(127.0.0.1): ");
    assert_int_equal(capture_errors(cap), 0);
    reset();
    assert_int_equal(nb_diag_reverse("not-an-address", capture_emit, cap), -1);
    assert_int_equal(capture_errors(cap), 1);
    assert_line("not a numeric address");
}

/* A port nothing listens on: bound then closed (nothing else here takes it back). */
static int closed_port(const char *host)
{
    char err[NB_ERR_LEN];
    int fd = nb_sock_listen(host, 0, 1, err);
    assert_true(fd >= 0);
    int port = nb_sock_local_port(fd);
    close(fd);
    return port;
}

static void check_port(const char *host)
{
    char err[NB_ERR_LEN], want[128];
    int lfd = nb_sock_listen(host, 0, 4, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    reset();
    assert_int_equal(nb_diag_port(host, port, 2000, capture_emit, cap), 0);
    snprintf(want, sizeof want, "port %s %d: open", host, port);
    assert_line(want);
    close(lfd);

    port = closed_port(host);
    reset();
    assert_int_equal(nb_diag_port(host, port, 2000, capture_emit, cap), -1);
    assert_int_equal(capture_errors(cap), 1);
    assert_line("refused");
}

static void test_port_v4(void **state) { check_port("127.0.0.1"); }
static void test_port_v6(void **state) { check_port("::1"); }

static void test_sockbuf(void **state)
{
    reset();
    assert_int_equal(nb_diag_sockbuf(NULL, 0, 0, capture_emit, cap), 0);
    assert_line("fresh TCP socket: SO_SNDBUF ");
    assert_line("set both to 65536: SO_SNDBUF reads 131072, SO_RCVBUF reads 131072 (doubled");
    assert_line("connected to 127.0.0.1:");

    char err[NB_ERR_LEN], want[64];
    int lfd = nb_sock_listen("::1", 0, 4, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    reset();
    assert_int_equal(nb_diag_sockbuf("::1", port, 2000, capture_emit, cap), 0);
    snprintf(want, sizeof want, "connected to [::1]:%d: SO_SNDBUF", port);
    assert_line(want);
    close(lfd);
    reset();
    assert_int_equal(nb_diag_sockbuf("127.0.0.1", closed_port("127.0.0.1"), 2000, capture_emit, cap), -1);
    assert_int_equal(capture_errors(cap), 1);
}

static void test_tcpinfo_and_fd_report(void **state)
{
    char err[NB_ERR_LEN];
    int lfd = nb_sock_listen("127.0.0.1", 0, 4, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    reset();
    assert_int_equal(nb_diag_tcpinfo("127.0.0.1", port, 2000, capture_emit, cap), 0);
    assert_line("state ESTABLISHED");
    assert_line("rtt ");
    assert_line("cwnd ");
    assert_line("SO_SNDBUF");

    /* the app's case: a live connection that has carried data (a new listener: the
     * connection tcpinfo closed still waits in the old one's backlog) */
    close(lfd);
    lfd = nb_sock_listen("127.0.0.1", 0, 4, err);
    assert_true(lfd >= 0);
    port = nb_sock_local_port(lfd);
    int cfd = nb_sock_connect("127.0.0.1", port, 2000, NULL, err);
    assert_true(cfd >= 0);
    int sfd = accept(lfd, NULL, NULL);
    assert_true(sfd >= 0);
    assert_int_equal(send(cfd, "hello", 5, 0), 5);
    char buf[8];
    struct timeval tv = { .tv_sec = 2 };   /* bounds the wait if loopback misbehaves */
    assert_int_equal(setsockopt(sfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    assert_int_equal(recv(sfd, buf, 5, MSG_WAITALL), 5);
    reset();
    assert_int_equal(nb_diag_fd_report(cfd, capture_emit, cap), 0);
    char want[64];
    snprintf(want, sizeof want, "-> 127.0.0.1:%d", port);
    assert_line(want);
    assert_line("TCP_NODELAY off");
    assert_line("state ESTABLISHED");
    assert_int_equal(capture_errors(cap), 0);
    close(sfd);
    close(cfd);
    close(lfd);

    reset();
    assert_int_equal(nb_diag_fd_report(-1, capture_emit, cap), -1);
    assert_line("not a socket");
}

static void test_udp_echo(void **state)
{
    reset();
    assert_int_equal(nb_diag_udp_echo(capture_emit, cap), 0);
    assert_line("udp-echo server 127.0.0.1:");
    assert_line("udp-echo server [::1]:");
    assert_line("round 5: rtt ");
    assert_line("rtt min/avg/max ");
    assert_int_equal(capture_errors(cap), 0);
}

static void test_sockopts(void **state)
{
    reset();
    assert_int_equal(nb_diag_sockopts(capture_emit, cap), 0);
    assert_line("SO_REUSEADDR  0");
    assert_line("TCP_NODELAY   0");
    assert_line("SO_KEEPALIVE  0");
    assert_line("SO_RCVTIMEO");
    assert_line("O_NONBLOCK    clear");
    assert_line("non-blocking recv on an empty socket: -1, errno EAGAIN");
    assert_line("blocking recv with SO_RCVTIMEO 50 ms: -1, errno EAGAIN");
}

static void test_netstat_unfiltered(void **state)
{
    reset();
    assert_int_equal(nb_diag_netstat(0, capture_emit, cap), 0);
    assert_line("proto local");
    /* The capture keeps a bounded number of lines; on a busy machine the closing count
     * line may be past it. */
    if (cap->dropped == 0) assert_line(" socket");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ifaces_match_ip),
        cmocka_unit_test(test_dns_matches_getent),
        cmocka_unit_test(test_reverse),
        cmocka_unit_test(test_port_v4),
        cmocka_unit_test(test_port_v6),
        cmocka_unit_test(test_sockbuf),
        cmocka_unit_test(test_tcpinfo_and_fd_report),
        cmocka_unit_test(test_udp_echo),
        cmocka_unit_test(test_sockopts),
        cmocka_unit_test(test_netstat_unfiltered),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
