/* test_diag_format.c — the pure parts: pton good and bad input, byteorder lines,
 * interface and TCP_INFO formatting from made-up data, hex, the command table and its
 * argument parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "diag_capture.h"
#include "nb_ifaces.h"
#include "nb_netstat.h"
#include "nb_tcpinfo.h"

static capture *cap;

static int setup(void **state) { cap = capture_new(); return 0; }
static int teardown(void **state) { free(cap); return 0; }
static void reset(void) { cap->n = cap->dropped = 0; }

static void assert_line(const char *needle)
{
    if (capture_find(cap, needle) < 0) {
        for (size_t i = 0; i < cap->n; i++) print_message("  | %s\n", cap->lines[i]);
        fail_msg("no line contains \"%s\"", needle);
    }
}

static void test_hex(void **state)
{
    char out[16];
    const uint8_t b[] = { 0x7f, 0, 0, 1, 0xab };
    assert_string_equal(nb_diag_hex(b, 4, out, sizeof out), "7f 00 00 01");
    assert_string_equal(nb_diag_hex(b, 0, out, sizeof out), "");
    assert_string_equal(nb_diag_hex(b, 5, out, 9), "7f 00 00");   /* cut at whole bytes */
}

static void test_pton_good(void **state)
{
    reset();
    assert_int_equal(nb_diag_pton("127.0.0.1", capture_emit, cap), 0);
    assert_line("AF_INET, 4 bytes, loopback");
    assert_line("bytes (network order): 7f 00 00 01");
    assert_line("0x7f000001 = 2130706433");
    assert_line("canonical (inet_ntop): 127.0.0.1");
    assert_line("round trip: identical");
    assert_int_equal(capture_errors(cap), 0);

    reset();
    assert_int_equal(nb_diag_pton("::ffff:1.2.3.4", capture_emit, cap), 0);
    assert_line("AF_INET6, 16 bytes, IPv4-mapped");
    assert_line("00 00 00 00 00 00 00 00 00 00 ff ff 01 02 03 04");
    assert_line("embedded IPv4: 1.2.3.4");

    reset();   /* non-canonical text: same bytes, different text */
    assert_int_equal(nb_diag_pton("2001:DB8:0:0:0:0:0:1", capture_emit, cap), 0);
    assert_line("canonical (inet_ntop): 2001:db8::1");
    assert_line("text differs from the canonical form");

    reset();   /* scope ids are getaddrinfo syntax: explained, not rejected */
    assert_int_equal(nb_diag_pton("fe80::1%lo", capture_emit, cap), 0);
    assert_line("link-local");
    char want[64];
    snprintf(want, sizeof want, "interface index %u", if_nametoindex("lo"));
    assert_line(want);
    assert_line("canonical (inet_ntop): fe80::1");

    reset();
    assert_int_equal(nb_diag_pton("::", capture_emit, cap), 0);
    assert_line("unspecified");
}

static void test_pton_bad(void **state)
{
    static const struct { const char *in, *why; } bad[] = {
        { "1.2.3.256", "not an IPv4 address" },
        { "1.2.3", "not an IPv4 address" },
        { "", "empty address" },
        { "garbage", "neither an IPv4 nor an IPv6 address" },
        { "12345::abcde", "not an IPv6 address" },
        { "1::2::3", "not an IPv6 address" },
        { "fe80::1%nosuchif0", "names no interface" },
        { "fe80::1%", "names no interface" },
        { "%lo", "neither an IPv4 nor an IPv6" },
        { "::1%lo%lo", "names no interface" },
        { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", "neither" },
    };
    for (size_t i = 0; i < NB_ARRAY_LEN(bad); i++) {
        reset();
        assert_int_equal(nb_diag_pton(bad[i].in, capture_emit, cap), -1);
        assert_int_equal(cap->n, 1);
        assert_int_equal(capture_errors(cap), 1);
        assert_line(bad[i].why);
    }
}

static void test_byteorder(void **state)
{
    reset();
    assert_int_equal(nb_diag_byteorder(capture_emit, cap), 0);
    const uint16_t one = 1;
    assert_line(*(const uint8_t *)&one ? "little-endian" : "big-endian");
    assert_line("htons -> [12 34]");
    assert_line("htonl -> [12 34 56 78]");
    assert_line("htobe64 -> [01 02 03 04 05 06 07 08]");
    assert_line("ntohs back: 0x1234");
    assert_line("ntohl back: 0x12345678");
    assert_line("be64toh back: 0x0102030405060708");
    assert_line("network [bf 69]");
    assert_line("network [7f 00 00 01] = 127.0.0.1");
}

static void test_ifaces_format(void **state)
{
    nb_iface f[2];
    memset(f, 0, sizeof f);
    nb_strlcpy(f[0].name, "eth9", sizeof f[0].name);
    f[0].flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST;
    f[0].mtu = 1500;
    f[0].has_mac = 1;
    memcpy(f[0].mac, "\x02\xfc\x00\x00\x00\x01", 6);
    f[0].addrs[0] = (nb_iface_addr){ .family = AF_INET, .prefix = 24, .has_brd = 1 };
    inet_pton(AF_INET, "192.0.2.2", f[0].addrs[0].addr);
    inet_pton(AF_INET, "192.0.2.255", f[0].addrs[0].brd);
    f[0].addrs[1] = (nb_iface_addr){ .family = AF_INET6, .prefix = 64 };
    inet_pton(AF_INET6, "fe80::fc:ff:fe00:1", f[0].addrs[1].addr);
    f[0].addrs[2] = (nb_iface_addr){ .family = AF_INET6, .prefix = 64 };
    inet_pton(AF_INET6, "2001:db8::2", f[0].addrs[2].addr);
    f[0].naddrs = 3;
    f[0].dropped = 2;
    nb_strlcpy(f[1].name, "lo", sizeof f[1].name);
    f[1].flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    f[1].mtu = -1;
    f[1].addrs[0] = (nb_iface_addr){ .family = AF_INET6, .prefix = 128 };
    inet_pton(AF_INET6, "::1", f[1].addrs[0].addr);
    f[1].naddrs = 1;

    reset();
    nb_ifaces_format(f, 2, capture_emit, cap);
    assert_int_equal(cap->n, 8);
    assert_string_equal(cap->lines[0], "eth9: <UP,BROADCAST,RUNNING,MULTICAST> mtu 1500");
    assert_string_equal(cap->lines[1], "    link 02:fc:00:00:00:01");
    assert_string_equal(cap->lines[2], "    inet 192.0.2.2/24 brd 192.0.2.255");
    assert_string_equal(cap->lines[3], "    inet6 fe80::fc:ff:fe00:1/64 scope link");
    assert_string_equal(cap->lines[4], "    inet6 2001:db8::2/64 scope global");
    assert_string_equal(cap->lines[5], "    (2 more addresses not shown)");
    assert_string_equal(cap->lines[6], "lo: <UP,LOOPBACK,RUNNING> mtu ?");
    assert_string_equal(cap->lines[7], "    inet6 ::1/128 scope host");

    reset();
    nb_ifaces_format(f, 0, capture_emit, cap);
    assert_string_equal(cap->lines[0], "no interfaces");

    const uint8_t m24[4] = { 255, 255, 255, 0 }, m0[4] = { 0 }, m_odd[4] = { 255, 0, 255, 0 };
    uint8_t m64[16] = { 0 };
    memset(m64, 0xff, 8);
    assert_int_equal(nb_ifaces_prefix_len(m24, 4), 24);
    assert_int_equal(nb_ifaces_prefix_len(m0, 4), 0);
    assert_int_equal(nb_ifaces_prefix_len(m_odd, 4), 16);   /* non-contiguous: counts the ones */
    assert_int_equal(nb_ifaces_prefix_len(m64, 16), 64);
}

static void test_tcpinfo_format(void **state)
{
    nb_tcp_stats s = { .state = NB_TCP_ESTABLISHED, .ca_state = 3, .retransmits = 2, .rtt_us = 1500,
                       .rttvar_us = 250, .rto_us = 204000, .snd_cwnd = 10, .snd_ssthresh = 0x7fffffff,
                       .snd_mss = 1448, .rcv_mss = 536, .pmtu = 1500, .unacked = 3, .lost = 1,
                       .total_retrans = 7, .has_bytes = 1, .bytes_sent = 12345, .bytes_acked = 12000,
                       .bytes_received = 99 };
    reset();
    nb_tcpinfo_format(&s, capture_emit, cap);
    assert_line("state ESTABLISHED, congestion state recovery");
    assert_line("rtt 1.500 ms, rttvar 0.250 ms, rto 204.0 ms");
    assert_line("cwnd 10 segments, ssthresh inf, mss 1448 send / 536 receive, pmtu 1500");
    assert_line("retransmits 2 now, 7 in total; unacked 3, lost 1");
    assert_line("bytes sent 12345, acked 12000, received 99");
    s.has_bytes = 0;
    s.snd_ssthresh = 20;
    s.ca_state = 99;
    reset();
    nb_tcpinfo_format(&s, capture_emit, cap);
    assert_line("ssthresh 20,");
    assert_line("congestion state ?");
    assert_line("not reported by this kernel");
}

static void test_table_and_args(void **state)
{
    const char *names[] = { "ifaces", "byteorder", "pton", "dns", "reverse", "port", "netstat",
                            "sockbuf", "tcpinfo", "udp-echo", "sockopts" };
    for (size_t i = 0; i < NB_ARRAY_LEN(names); i++) assert_non_null(nb_diag_find(names[i]));
    assert_null(nb_diag_find("nope"));
    assert_null(nb_diag_find(NULL));

    nb_diag_args a;
    const nb_diag_cmd *port = nb_diag_find("port");
    const char *ok[] = { "::1", "49001", "--timeout", "250" };
    assert_int_equal(nb_diag_parse_args(port, 4, ok, &a), 0);
    assert_int_equal(a.argc, 2);
    assert_string_equal(a.argv[1], "49001");
    assert_int_equal(a.timeout_ms, 250);
    const char *eq[] = { "--timeout=70", "h", "1" };
    assert_int_equal(nb_diag_parse_args(port, 3, eq, &a), 0);
    assert_int_equal(a.timeout_ms, 70);
    const char *dflt[] = { "h", "1" };
    assert_int_equal(nb_diag_parse_args(port, 2, dflt, &a), 0);
    assert_int_equal(a.timeout_ms, NB_DIAG_TIMEOUT_MS);
    const char *few[] = { "h" }, *many[] = { "h", "1", "2" }, *badt[] = { "h", "1", "--timeout", "x" },
               *not[] = { "h", "1", "--timeout" }, *unk[] = { "h", "1", "--frob" };
    assert_int_equal(nb_diag_parse_args(port, 1, few, &a), NB_DIAG_USAGE);
    assert_int_equal(nb_diag_parse_args(port, 3, many, &a), NB_DIAG_USAGE);
    assert_int_equal(nb_diag_parse_args(port, 4, badt, &a), NB_DIAG_USAGE);
    assert_int_equal(nb_diag_parse_args(port, 3, not, &a), NB_DIAG_USAGE);
    assert_int_equal(nb_diag_parse_args(port, 3, unk, &a), NB_DIAG_USAGE);
    /* --timeout only where a connect happens */
    const char *pt[] = { "1.2.3.4", "--timeout", "5" };
    assert_int_equal(nb_diag_parse_args(nb_diag_find("pton"), 3, pt, &a), NB_DIAG_USAGE);

    /* port words are checked before anything runs: nothing emitted */
    const char *badport[][2] = { { "h", "0" }, { "h", "65536" }, { "h", "-1" }, { "h", "80x" }, { "h", "" } };
    for (size_t i = 0; i < NB_ARRAY_LEN(badport); i++) {
        reset();
        assert_int_equal(nb_diag_run(port, 2, badport[i], capture_emit, cap), NB_DIAG_USAGE);
        assert_int_equal(cap->n, 0);
    }
    const char *half[] = { "localhost" };
    assert_int_equal(nb_diag_run(nb_diag_find("sockbuf"), 1, half, capture_emit, cap), NB_DIAG_USAGE);
    const char *np[] = { "99999" };
    assert_int_equal(nb_diag_run(nb_diag_find("netstat"), 1, np, capture_emit, cap), NB_DIAG_USAGE);

    char usage[128];
    assert_string_equal(nb_diag_usage_line(port, usage, sizeof usage), "port HOST PORT [--timeout MS]");
    assert_string_equal(nb_diag_usage_line(nb_diag_find("ifaces"), usage, sizeof usage), "ifaces");
}

static void test_emit_helpers(void **state)
{
    char longtext[600];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    reset();
    nb_diag_emitf(capture_emit, cap, "%s", longtext);
    assert_int_equal(strlen(cap->lines[0]), NB_DIAG_LINE_MAX - 1);
    assert_int_equal(nb_diag_fail(capture_emit, cap, "bad %d", 7), -1);
    assert_string_equal(cap->lines[1], NB_DIAG_ERR_PREFIX "bad 7");
    assert_int_equal(capture_errors(cap), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_pton_good),
        cmocka_unit_test(test_pton_bad),
        cmocka_unit_test(test_byteorder),
        cmocka_unit_test(test_ifaces_format),
        cmocka_unit_test(test_tcpinfo_format),
        cmocka_unit_test(test_table_and_args),
        cmocka_unit_test(test_emit_helpers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
