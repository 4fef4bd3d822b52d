/* test_netstat.c — the /proc/net/tcp{,6} parser on captured text (every state, IPv6,
 * malformed input), and `diag netstat PORT` against `ss -tan` on loopback sockets this
 * test holds open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag_capture.h"
#include "nb_netstat.h"
#include "nb_sock.h"

/* Captured on this machine (gVisor) and on a Linux 6.1 desktop. */
static const char TCP4[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 174 1 00000000123d4ff6 100 0 0 10 0\n"
    "   1: 020200C0:88BC 507100CB:0050 06 00000000:00000000 03:00001398 00000000     0        0 0 3 000000001c7be7eb\n"
    "   2: 0100007F:BF69 0100007F:C350 01 0000002A:00000007 01:00000014 00000000  1000        0 424242 1 0000000000000000 20 4 30 10 -1\n";

static const char TCP6[] =
    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000001000000:BF69 00000000000000000000000000000000:0000 0A 00000000:00000005 00:00000000 00000000  1000        0 5001 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0000000000000000FFFF00000100007F:BF69 0000000000000000FFFF00000100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 5002 1 0000000000000000 20 4 30 10 -1\n"
    "   2: 000080FE000000000000000001000000:0016 000080FE000000000B0A00000F0E0D0C:E000 08 00000001:00000002 00:00000000 00000000     0        0 5003 1 0000000000000000 20 4 30 10 -1\n";

static void test_parse_v4(void **state)
{
    nb_tcp_entry e[8];
    char buf[128];
    assert_int_equal(nb_netstat_parse(TCP4, 0, e, 8), 3);
    assert_int_equal(e[0].state, NB_TCP_LISTEN);
    assert_int_equal(e[0].local_port, 2024);
    assert_string_equal(nb_netstat_endpoint(e[0].local, 0, e[0].local_port, buf, sizeof buf), "0.0.0.0:2024");
    assert_string_equal(nb_netstat_endpoint(e[0].remote, 0, e[0].remote_port, buf, sizeof buf), "0.0.0.0:*");
    assert_int_equal(e[0].inode, 174);
    /* 020200C0 is 192.0.2.2 printed as a little-endian word */
    assert_string_equal(nb_netstat_endpoint(e[1].local, 0, e[1].local_port, buf, sizeof buf), "192.0.2.2:35004");
    assert_string_equal(nb_netstat_endpoint(e[1].remote, 0, e[1].remote_port, buf, sizeof buf), "203.0.113.80:80");
    assert_string_equal(nb_netstat_state_name(e[1].state), "TIME_WAIT");
    assert_int_equal(e[2].local_port, 49001);
    assert_int_equal(e[2].remote_port, 50000);
    assert_int_equal(e[2].tx_queue, 42);
    assert_int_equal(e[2].rx_queue, 7);
    assert_int_equal(e[2].uid, 1000);
    assert_int_equal(e[2].inode, 424242);
    assert_false(e[2].v6);
    nb_netstat_format(&e[2], buf, sizeof buf);
    assert_non_null(strstr(buf, "127.0.0.1:49001"));
    assert_non_null(strstr(buf, "127.0.0.1:50000"));
    assert_non_null(strstr(buf, "ESTABLISHED"));
    assert_non_null(strstr(buf, "rx 7 tx 42"));
}

static void test_parse_v6(void **state)
{
    nb_tcp_entry e[8];
    char buf[128];
    assert_int_equal(nb_netstat_parse(TCP6, 1, e, 8), 3);
    assert_true(e[0].v6);
    assert_string_equal(nb_netstat_endpoint(e[0].local, 1, e[0].local_port, buf, sizeof buf), "[::1]:49001");
    assert_string_equal(nb_netstat_endpoint(e[0].remote, 1, 0, buf, sizeof buf), "[::]:*");
    assert_int_equal(e[0].rx_queue, 5);
    assert_string_equal(nb_netstat_endpoint(e[1].local, 1, e[1].local_port, buf, sizeof buf),
                        "[::ffff:127.0.0.1]:49001");
    assert_string_equal(nb_netstat_endpoint(e[2].local, 1, e[2].local_port, buf, sizeof buf), "[fe80::1]:22");
    assert_string_equal(nb_netstat_endpoint(e[2].remote, 1, e[2].remote_port, buf, sizeof buf),
                        "[fe80::a0b:c0d:e0f]:57344");
    assert_string_equal(nb_netstat_state_name(e[2].state), "CLOSE_WAIT");
    /* the same text read as IPv4 has no valid line: the address field is too long */
    assert_int_equal(nb_netstat_parse(TCP6, 0, e, 8), 0);
}

static void test_every_state(void **state)
{
    static const char *const want[] = { NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
        "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV" };
    char text[4096];
    size_t len = 0;
    for (int st = 1; st <= 12; st++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "%4d: 0100007F:%04X 00000000:0000 %02X 00000000:00000000 00:00000000 00000000 0 0 %d 1\n",
                                st - 1, 1000 + st, st, st);
    nb_tcp_entry e[16];
    assert_int_equal(nb_netstat_parse(text, 0, e, 16), 12);
    for (int st = 1; st <= 12; st++) {
        assert_int_equal(e[st - 1].state, st);
        assert_int_equal(e[st - 1].local_port, 1000 + st);
        assert_string_equal(nb_netstat_state_name(st), want[st]);
    }
    assert_string_equal(nb_netstat_state_name(0), "UNKNOWN");
    assert_string_equal(nb_netstat_state_name(13), "UNKNOWN");
    assert_string_equal(nb_netstat_state_name(-1), "UNKNOWN");
}

static void test_malformed_and_limits(void **state)
{
    nb_tcp_entry e[2];
    static const char *const bad[] = {
        "",
        "\n\n\n",
        "garbage\n",
        "   0: 0100007F:1F90\n",                                            /* cut short */
        "   0: 0100007G:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n",
        "   0: 0100007F:1F9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n",
        "   0: 0100007F:1F90 00000000:0000 00 00000000:00000000 00:00000000 00000000 0 0 1\n", /* state 0 */
        "   0: 0100007F:1F90 00000000:0000 0A 00000000 00:00000000 00000000 0 0 1\n",
        "   0 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n",
    };
    for (size_t i = 0; i < NB_ARRAY_LEN(bad); i++)
        assert_int_equal(nb_netstat_parse(bad[i], 0, e, 2), 0);
    /* no final newline is still a line; counting goes on past max */
    assert_int_equal(nb_netstat_parse(TCP4, 0, e, 2), 3);
    assert_int_equal(nb_netstat_parse(TCP4, 0, NULL, 0), 3);
    const char *last = strstr(TCP4, "   2:");
    char nonl[256];
    nb_strlcpy(nonl, last, sizeof nonl);
    nonl[strlen(nonl) - 1] = '\0';
    assert_int_equal(nb_netstat_parse(nonl, 0, e, 2), 1);
    assert_int_equal(e[0].local_port, 49001);
    /* a very long line of digits stays bounded */
    char *huge = malloc(100001);
    assert_non_null(huge);
    memset(huge, '7', 100000);
    huge[100000] = '\0';
    assert_int_equal(nb_netstat_parse(huge, 1, e, 2), 0);
    free(huge);
}

/* Captured text with random bytes changed: never a crash or an out-of-bounds read
 * (ASan), never more entries than lines. Fixed seed: failures reproduce. */
static void test_mutated_text(void **state)
{
    static const char alphabet[] = "0123456789ABCDEFabcdefxX: \n\t-";
    char text[sizeof TCP6];
    nb_tcp_entry e[8];
    uint32_t x = 2463534242u;
    for (int iter = 0; iter < 5000; iter++) {
        const char *src = iter % 2 ? TCP6 : TCP4;
        size_t len = strlen(src);
        memcpy(text, src, len + 1);
        for (int k = 0; k < 1 + iter % 8; k++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            size_t at = x % len;
            char c = alphabet[(x >> 8) % (sizeof alphabet - 1)];
            text[at] = (x >> 20) % 16 == 0 ? (char)(x >> 24) : c;   /* sometimes any byte */
            if (text[at] == '\0') text[at] = '?';
        }
        if (iter % 7 == 0) text[x % len] = '\0';                      /* cut anywhere */
        size_t lines = 1;
        for (const char *p = text; *p; p++) lines += *p == '\n';
        size_t n = nb_netstat_parse(text, iter % 2, e, 8);
        assert_true(n <= lines);
        for (size_t i = 0; i < NB_MIN(n, (size_t)8); i++) assert_true(e[i].state > 0 && e[i].state < 256);
    }
}

/* --- live: diag netstat PORT against ss -tan --- */

#define MAX_TUPLES 32

typedef struct tuples { char t[MAX_TUPLES][320]; size_t n; } tuples;

static int cmp_str(const void *a, const void *b) { return strcmp(a, b); }

static int has_port(const char *endpoint, int port)
{
    const char *colon = strrchr(endpoint, ':');
    return colon && atoi(colon + 1) == port;
}

/* ss's state names into the kernel's: ESTAB, TIME-WAIT, FIN-WAIT-1 ... */
static void ss_state(const char *in, char *out, size_t cap)
{
    if (strcmp(in, "ESTAB") == 0) in = "ESTABLISHED";
    size_t k = 0;
    for (const char *p = in; *p && k + 1 < cap; p++) {
        if (*p == '-' && (p[1] >= '0' && p[1] <= '9')) continue;   /* FIN-WAIT-1 -> FIN_WAIT1 */
        out[k++] = *p == '-' ? '_' : *p;
    }
    out[k] = '\0';
}

static void ss_tuples(int port, tuples *out)
{
    char line[512], st[32], state[32], rq[16], sq[16], local[128], peer[128];
    FILE *p = popen("ss -tanH 2>/dev/null", "r");
    assert_non_null(p);
    out->n = 0;
    for (int guard = 0; guard < 100000 && fgets(line, sizeof line, p); guard++) {
        if (sscanf(line, "%31s %15s %15s %127s %127s", st, rq, sq, local, peer) != 5) continue;
        if (!has_port(local, port) && !has_port(peer, port)) continue;
        ss_state(st, state, sizeof state);
        assert_true(out->n < MAX_TUPLES);
        snprintf(out->t[out->n++], sizeof out->t[0], "%s %s %s", local, peer, state);
    }
    assert_int_equal(pclose(p), 0);
    qsort(out->t, out->n, sizeof out->t[0], cmp_str);
}

static void diag_tuples(int port, tuples *out)
{
    char proto[16], local[128], peer[128], state[32];
    capture *c = capture_new();
    assert_int_equal(nb_diag_netstat(port, capture_emit, c), 0);
    out->n = 0;
    for (size_t i = 1; i < c->n; i++) {    /* line 0 is the header */
        if (sscanf(c->lines[i], "%15s %127s %127s %31s", proto, local, peer, state) != 4) continue;
        if (strncmp(proto, "tcp", 3) != 0) continue;
        assert_true(out->n < MAX_TUPLES);
        snprintf(out->t[out->n++], sizeof out->t[0], "%s %s %s", local, peer, state);
    }
    free(c);
    qsort(out->t, out->n, sizeof out->t[0], cmp_str);
}

static void check_against_ss(const char *host)
{
    char err[NB_ERR_LEN];
    int lfd = nb_sock_listen(host, 0, 4, err);
    assert_true(lfd >= 0);
    int port = nb_sock_local_port(lfd);
    int cfd = nb_sock_connect(host, port, 2000, NULL, err);
    assert_true(cfd >= 0);
    int sfd = accept(lfd, NULL, NULL);
    assert_true(sfd >= 0);

    tuples *mine = calloc(1, sizeof *mine), *theirs = calloc(1, sizeof *theirs);
    assert_non_null(mine);
    assert_non_null(theirs);
    diag_tuples(port, mine);
    ss_tuples(port, theirs);
    assert_int_equal(mine->n, 3);          /* LISTEN + both ends of the connection */
    assert_int_equal(mine->n, theirs->n);
    for (size_t i = 0; i < mine->n; i++) assert_string_equal(mine->t[i], theirs->t[i]);
    free(mine);
    free(theirs);
    close(sfd);
    close(cfd);
    close(lfd);
}

static void test_live_v4_matches_ss(void **state) { check_against_ss("127.0.0.1"); }
static void test_live_v6_matches_ss(void **state) { check_against_ss("::1"); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_v4),
        cmocka_unit_test(test_parse_v6),
        cmocka_unit_test(test_every_state),
        cmocka_unit_test(test_malformed_and_limits),
        cmocka_unit_test(test_mutated_text),
        cmocka_unit_test(test_live_v4_matches_ss),
        cmocka_unit_test(test_live_v6_matches_ss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
