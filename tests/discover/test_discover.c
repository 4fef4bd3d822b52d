/* test_discover.c — two live nb_discover instances on loopback multicast: the listener
 * finds the announced board, sees a peer-count change, loses the board by expiry when
 * announcing stops and at once by BYE when the announcer stops; foreign datagrams are
 * counted, never fatal. Skips (with the reason) where the sandbox has no multicast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_discover.h"
#include "nb_log.h"
#include "nb_time.h"

#define WAIT_MS 3000
#define TEST_GROUP "239.255.49.1"

/* A port of our own, so concurrent runs (normal / ASan / TSan builds) and a real netboard
 * on this host don't hear each other's test boards. */
static uint16_t test_port(void)
{
    return (uint16_t)(40000 + getpid() % 20000);
}

static nb_discover_opts opts(void)
{
    return (nb_discover_opts){ .group = TEST_GROUP, .port = test_port(), .iface = "127.0.0.1",
                               .interval_ms = 100, .expire_ms = 300 };
}

/* Poll the listener's list every 5 ms until `want` holds for instance id, up to WAIT_MS.
 * want: 1 = present (with peers == peers if peers >= 0), 0 = absent. */
static int wait_for(nb_discover *l, uint64_t id, int want, int peers, nb_discover_entry *found)
{
    uint64_t t0 = nb_time_ms();
    while (nb_time_ms() - t0 < WAIT_MS) {
        nb_discover_entry list[NB_DISCOVER_TABLE_MAX];
        size_t n = nb_discover_list(l, list, NB_ARRAY_LEN(list));
        int present = 0;
        for (size_t i = 0; i < n; i++) {
            if (list[i].ann.instance != id) continue;
            if (peers >= 0 && list[i].ann.peers != peers) continue;
            present = 1;
            if (found) *found = list[i];
        }
        if (present == want) return 1;
        usleep(5000);   /* polling interval, not synchronisation: the deadline bounds it */
    }
    return 0;
}

typedef struct pair { nb_discover *ann, *lis; } pair;

static int setup(void **state)
{
    static pair p;
    memset(&p, 0, sizeof p);
    *state = &p;
    return 0;
}

static int teardown(void **state)
{
    pair *p = *state;
    nb_discover_stop(p->ann);
    nb_discover_stop(p->lis);
    return 0;
}

static void start_pair(pair *p, const nb_announce *a)
{
    char err[NB_ERR_LEN] = "";
    nb_discover_opts lo = opts();
    lo.flags = NB_DISCOVER_IGNORE_SELF;
    p->lis = nb_discover_start(&lo, err);
    if (!p->lis) {
        print_message("multicast on loopback unavailable: %s\n", err);
        skip();
    }
    nb_discover_opts ao = opts();
    ao.flags = NB_DISCOVER_NO_LISTEN;
    ao.announce = a;
    p->ann = nb_discover_start(&ao, err);
    if (!p->ann) {
        print_message("multicast on loopback unavailable: %s\n", err);
        skip();
    }
}

/* After a failed wait: skip if sending was impossible, fail otherwise. */
static void no_multicast_or_fail(pair *p, const char *what)
{
    nb_discover_stats s;
    nb_discover_get_stats(p->ann, &s);
    if (s.sent == 0 && s.send_errors > 0) {
        print_message("sending multicast on loopback fails here (%llu errors): skipped\n",
                      (unsigned long long)s.send_errors);
        skip();
    }
    fail_msg("%s (announcer sent %llu, errors %llu)", what, (unsigned long long)s.sent,
             (unsigned long long)s.send_errors);
}

static void test_find_update_expire_bye(void **state)
{
    pair *p = *state;
    nb_announce a = { .port = 49123, .peers = 1 };
    nb_strlcpy(a.board, "Room 101", sizeof a.board);
    nb_strlcpy(a.host, "tester", sizeof a.host);
    start_pair(p, &a);
    uint64_t id = nb_discover_instance(p->ann);
    assert_true(id != 0);
    assert_true(id != nb_discover_instance(p->lis));

    nb_discover_entry e;
    uint64_t t0 = nb_time_ms();
    if (!wait_for(p->lis, id, 1, -1, &e)) no_multicast_or_fail(p, "board never found");
    print_message("found after %llu ms\n", (unsigned long long)(nb_time_ms() - t0));
    assert_string_equal(e.ann.board, "Room 101");
    assert_string_equal(e.ann.host, "tester");
    assert_int_equal(e.ann.port, 49123);
    assert_string_equal(e.addr, "127.0.0.1");

    /* A peer-count change is sent without waiting for a full interval. */
    a.peers = 4;
    char err[NB_ERR_LEN];
    assert_int_equal(nb_discover_set_announce(p->ann, &a, err), 0);
    assert_true(wait_for(p->lis, id, 1, 4, NULL));
    /* An announcement that can't be encoded is refused; the previous one stays. */
    nb_announce bad = a;
    bad.board[0] = '\0';
    assert_int_equal(nb_discover_set_announce(p->ann, &bad, err), -1);
    assert_non_null(strstr(err, "board"));

    /* Stop announcing: the entry expires (300 ms) from the listener's list. */
    assert_int_equal(nb_discover_set_announce(p->ann, NULL, NULL), 0);
    t0 = nb_time_ms();
    assert_true(wait_for(p->lis, id, 0, -1, NULL));
    uint64_t gone = nb_time_ms() - t0;
    print_message("expired after %llu ms\n", (unsigned long long)gone);
    assert_true(gone >= 150);   /* it was heard at most one interval (100 ms) before */

    /* Announce again, then stop the announcer: its BYE removes the board. */
    assert_int_equal(nb_discover_set_announce(p->ann, &a, NULL), 0);
    assert_true(wait_for(p->lis, id, 1, -1, NULL));
    t0 = nb_time_ms();
    nb_discover_stop(p->ann);
    p->ann = NULL;
    uint64_t stop_ms = nb_time_ms() - t0;
    assert_true(stop_ms < 1000);
    assert_true(wait_for(p->lis, id, 0, -1, NULL));

    nb_discover_stats s;
    nb_discover_get_stats(p->lis, &s);
    assert_int_equal(s.bad, 0);
    assert_true(s.received >= 3);
}

/* Foreign and malformed datagrams to the group are counted as bad; the listener goes on. */
static void test_bad_datagrams(void **state)
{
    pair *p = *state;
    nb_announce a = { .port = 49124 };
    nb_strlcpy(a.board, "after junk", sizeof a.board);
    start_pair(p, &a);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    struct in_addr lo = { .s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo), 0);
    struct sockaddr_in g = { .sin_family = AF_INET, .sin_port = htons(test_port()) };
    inet_pton(AF_INET, TEST_GROUP, &g.sin_addr);
    static const char *junk[] = { "", "NBD1", "M-SEARCH * HTTP/1.1\r\n", "NBD1\x01\x00garbage" };
    uint8_t big[2048];
    memset(big, 'N', sizeof big);
    for (size_t i = 0; i < NB_ARRAY_LEN(junk); i++)
        sendto(fd, junk[i], strlen(junk[i]), 0, (struct sockaddr *)&g, sizeof g);
    sendto(fd, big, sizeof big, 0, (struct sockaddr *)&g, sizeof g);
    close(fd);

    if (!wait_for(p->lis, nb_discover_instance(p->ann), 1, -1, NULL))
        no_multicast_or_fail(p, "board never found");
    /* The junk went out before the board was found; give the counter its own bounded wait
     * since the two come from different sockets. */
    nb_discover_stats s = { 0 };
    uint64_t t0 = nb_time_ms();
    while (nb_time_ms() - t0 < WAIT_MS) {
        nb_discover_get_stats(p->lis, &s);
        if (s.bad >= NB_ARRAY_LEN(junk) + 1) break;
        usleep(5000);
    }
    assert_int_equal(s.bad, NB_ARRAY_LEN(junk) + 1);
}

/* Two hosting instances that also listen: the one asking to ignore itself lists only the
 * other; the other lists both (loopback on). */
static void test_self(void **state)
{
    pair *p = *state;
    char err[NB_ERR_LEN] = "";
    nb_announce a = { .port = 49125 }, b = { .port = 49126 };
    nb_strlcpy(a.board, "A", sizeof a.board);
    nb_strlcpy(b.board, "B", sizeof b.board);
    nb_discover_opts o = opts();
    o.flags = NB_DISCOVER_IGNORE_SELF;
    o.announce = &a;
    if (!(p->ann = nb_discover_start(&o, err))) {
        print_message("multicast on loopback unavailable: %s\n", err);
        skip();
    }
    o.flags = 0;
    o.announce = &b;
    p->lis = nb_discover_start(&o, err);
    assert_non_null(p->lis);
    uint64_t ia = nb_discover_instance(p->ann), ib = nb_discover_instance(p->lis);

    if (!wait_for(p->ann, ib, 1, -1, NULL)) no_multicast_or_fail(p, "A never heard B");
    assert_true(wait_for(p->lis, ia, 1, -1, NULL));
    assert_true(wait_for(p->lis, ib, 1, -1, NULL));
    nb_discover_stats s = { 0 };
    uint64_t t0 = nb_time_ms();
    while (s.self == 0 && nb_time_ms() - t0 < WAIT_MS) {
        nb_discover_get_stats(p->ann, &s);
        usleep(5000);
    }
    assert_true(s.self > 0);
    assert_true(wait_for(p->ann, ia, 0, -1, NULL));
    nb_discover_entry list[4];
    assert_int_equal(nb_discover_list(p->ann, list, NB_ARRAY_LEN(list)), 1);
}

static void test_start_errors(void **state)
{
    (void)state;
    char err[NB_ERR_LEN] = "";
    assert_null(nb_discover_start(&(nb_discover_opts){ .group = "10.1.2.3" }, err));
    assert_non_null(strstr(err, "multicast"));
    assert_null(nb_discover_start(&(nb_discover_opts){ .group = "nonsense" }, err));
    assert_null(nb_discover_start(&(nb_discover_opts){ .iface = "eth0" }, err));
    assert_non_null(strstr(err, "interface"));
    nb_announce bad = { .port = 0 };
    nb_strlcpy(bad.board, "b", sizeof bad.board);
    assert_null(nb_discover_start(&(nb_discover_opts){ .announce = &bad }, err));
    assert_non_null(strstr(err, "port"));
    nb_discover_stop(NULL);
}

int main(void)
{
    nb_log_set_level(NB_LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_find_update_expire_bye, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_datagrams, setup, teardown),
        cmocka_unit_test_setup_teardown(test_self, setup, teardown),
        cmocka_unit_test(test_start_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
