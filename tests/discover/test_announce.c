/* test_announce.c — the discovery datagram codec (round trips, a byte-exact vector, a
 * rejection table, every truncation) and the found-boards table with a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "nb_announce.h"

static nb_announce sample(uint64_t id, const char *board, const char *host)
{
    nb_announce a = { .instance = id, .port = 49123, .peers = 3 };
    nb_strlcpy(a.board, board, sizeof a.board);
    nb_strlcpy(a.host, host, sizeof a.host);
    return a;
}

static void roundtrip(const nb_announce *a)
{
    uint8_t buf[NB_ANNOUNCE_MAX];
    char err[NB_ERR_LEN] = "";
    size_t n = nb_announce_encode(a, buf, sizeof buf, err);
    assert_int_equal(n, 20 + strlen(a->board) + strlen(a->host));
    nb_announce b;
    assert_int_equal(nb_announce_decode(buf, n, &b, err), 0);
    assert_true(b.instance == a->instance);
    assert_int_equal(b.port, a->port);
    assert_int_equal(b.peers, a->peers);
    assert_int_equal(b.flags, a->flags);
    assert_string_equal(b.board, a->board);
    assert_string_equal(b.host, a->host);
}

static void test_roundtrip(void **state)
{
    (void)state;
    nb_announce a = sample(0x0123456789abcdefull, "Room 101", "alice-laptop");
    roundtrip(&a);
    a = sample(UINT64_MAX, "x", "");               /* shortest: 21 bytes */
    a.port = 65535;
    a.peers = 65535;
    roundtrip(&a);
    a = sample(1, "Zeichnen \xc3\xa4\xc3\xb6\xc3\xbc \xe2\x9c\x8f", "\xe6\x97\xa5\xe6\x9c\xac");
    a.flags = NB_ANNOUNCE_BYE;
    roundtrip(&a);
    /* Longest names: 64 and 32 bytes, a 116-byte datagram. */
    memset(a.board, 'b', NB_ANNOUNCE_BOARD_MAX);
    a.board[NB_ANNOUNCE_BOARD_MAX] = '\0';
    memset(a.host, 'h', NB_ANNOUNCE_HOST_MAX);
    a.host[NB_ANNOUNCE_HOST_MAX] = '\0';
    roundtrip(&a);
}

/* The example in docs/protocol.md, byte for byte. */
static const uint8_t VECTOR[] = {
    'N', 'B', 'D', '1', 0x01, 0x00,
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
    0xbf, 0xe3, 0x00, 0x03,
    0x08, 'R', 'o', 'o', 'm', ' ', '1', '0', '1',
    0x05, 'a', 'l', 'i', 'c', 'e',
};

static void test_vector(void **state)
{
    (void)state;
    nb_announce a = sample(0x0123456789abcdefull, "Room 101", "alice");
    uint8_t buf[NB_ANNOUNCE_MAX];
    size_t n = nb_announce_encode(&a, buf, sizeof buf, NULL);
    assert_int_equal(n, sizeof VECTOR);
    assert_memory_equal(buf, VECTOR, sizeof VECTOR);
    /* Too small a buffer: refused, nothing promised about its content. */
    char err[NB_ERR_LEN] = "";
    assert_int_equal(nb_announce_encode(&a, buf, sizeof VECTOR - 1, err), 0);
    assert_non_null(strstr(err, "buffer"));
}

static void test_unknown_flags_ignored(void **state)
{
    (void)state;
    uint8_t buf[sizeof VECTOR];
    memcpy(buf, VECTOR, sizeof buf);
    buf[5] = 0xfe;                                  /* every reserved bit, no BYE */
    nb_announce b;
    assert_int_equal(nb_announce_decode(buf, sizeof buf, &b, NULL), 0);
    assert_int_equal(b.flags, 0);
}

static void test_encode_refuses(void **state)
{
    (void)state;
    uint8_t buf[NB_ANNOUNCE_MAX];
    char err[NB_ERR_LEN];
    nb_announce a = sample(0, "b", "h");
    assert_int_equal(nb_announce_encode(&a, buf, sizeof buf, err), 0);
    assert_non_null(strstr(err, "instance"));
    a = sample(7, "b", "h");
    a.port = 0;
    assert_int_equal(nb_announce_encode(&a, buf, sizeof buf, err), 0);
    assert_non_null(strstr(err, "port"));
    a = sample(7, "", "h");
    assert_int_equal(nb_announce_encode(&a, buf, sizeof buf, err), 0);
    assert_non_null(strstr(err, "board"));
    a = sample(7, "bad \xc3(", "h");
    assert_int_equal(nb_announce_encode(&a, buf, sizeof buf, err), 0);
    assert_non_null(strstr(err, "UTF-8"));
    a = sample(7, "b", "\xed\xa0\x80");             /* a surrogate */
    assert_int_equal(nb_announce_encode(&a, buf, sizeof buf, err), 0);
    assert_non_null(strstr(err, "host"));
}

typedef struct bad_case {
    const char *what;
    uint8_t data[160];
    size_t len;
    const char *reason;   /* substring of the error */
    size_t fill_from, fill_to;   /* data[fill_from, fill_to) := 'a' (long names) */
} bad_case;

/* Header up to the board name length: version, flags 0, instance 9, port 49123, peers 1. */
#define HDR(ver, blen) 'N', 'B', 'D', '1', ver, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0xbf, 0xe3, 0, 1, blen
#define BAD(w, l, r, ...) { .what = w, .len = l, .reason = r, .data = { __VA_ARGS__ } }
#define BAD_LONG(w, l, r, from, to, ...) \
    { .what = w, .len = l, .reason = r, .fill_from = from, .fill_to = to, .data = { __VA_ARGS__ } }

static const bad_case BAD[] = {
    BAD("empty", 0, "magic", 0),
    BAD("foreign (SSDP)", 21, "magic", 'M', '-', 'S', 'E', 'A', 'R', 'C', 'H', ' ', '*', ' ',
        'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'),
    BAD("magic only", 4, "truncated", 'N', 'B', 'D', '1'),
    BAD("header cut", 19, "truncated", HDR(1, 1)),
    BAD("version 2", 21, "version", HDR(2, 1), 'x', 0),
    BAD("version 0", 21, "version", HDR(0, 1), 'x', 0),
    BAD("instance 0", 21, "instance", 'N', 'B', 'D', '1', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xbf, 0xe3, 0, 1, 1, 'x', 0),
    BAD("port 0", 21, "port", 'N', 'B', 'D', '1', 1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1, 1,
        'x', 0),
    BAD("empty board name", 21, "board name is 0", HDR(1, 0), 0, 0),
    BAD_LONG("board name 65", 19 + 65 + 1, "board name is 65", 19, 19 + 65, HDR(1, 65)),
    BAD("board name past end", 21, "truncated", HDR(1, 9), 'a', 'b'),
    BAD_LONG("host name 33", 21 + 33, "host name is 33", 21, 21 + 33, HDR(1, 1), 'x', 33),
    BAD("host name past end", 23, "truncated", HDR(1, 1), 'x', 4, 'a', 'b'),
    BAD("trailing byte", 22, "trailing", HDR(1, 1), 'x', 0, 0),
    BAD("board not UTF-8", 22, "board name is not valid", HDR(1, 2), 0xc3, 0x28, 0),
    BAD("board overlong UTF-8", 22, "board name is not valid", HDR(1, 2), 0xc0, 0xaf, 0),
    BAD("NUL in board", 22, "board name is not valid", HDR(1, 2), 'a', 0, 0),
    BAD("host not UTF-8", 22, "host name is not valid", HDR(1, 1), 'x', 1, 0xff),
};

static void test_rejections(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const bad_case *c = &BAD[i];
        uint8_t data[160];
        memcpy(data, c->data, sizeof data);
        if (c->fill_to) memset(data + c->fill_from, 'a', c->fill_to - c->fill_from);
        nb_announce out;
        char err[NB_ERR_LEN] = "";
        int rc = nb_announce_decode(data, c->len, &out, err);
        if (rc != -1 || !strstr(err, c->reason))
            fail_msg("case \"%s\": rc %d, err \"%s\", wanted \"%s\"", c->what, rc, err, c->reason);
    }
    assert_true(sizeof BAD / sizeof BAD[0] >= 8);
}

static void test_every_truncation(void **state)
{
    (void)state;
    nb_announce out;
    for (size_t n = 0; n < sizeof VECTOR; n++) {
        char err[NB_ERR_LEN] = "";
        if (nb_announce_decode(VECTOR, n, &out, err) != -1)
            fail_msg("a %zu-byte prefix was accepted", n);
        assert_true(err[0] != '\0');
    }
    assert_int_equal(nb_announce_decode(VECTOR, sizeof VECTOR, &out, NULL), 0);
}

/* ---- table --------------------------------------------------------------------------- */

static void test_table_update(void **state)
{
    (void)state;
    nb_discover_table t;
    nb_discover_table_init(&t);
    nb_announce a = sample(11, "Room 101", "alice");
    nb_announce b = sample(22, "Room 101", "alice");   /* same name, same host: told apart */
    assert_int_equal(nb_discover_table_update(&t, &a, "10.0.0.5", 1000), NB_DISCOVER_ADDED);
    assert_int_equal(nb_discover_table_update(&t, &b, "10.0.0.5", 1100), NB_DISCOVER_ADDED);
    assert_int_equal(nb_discover_table_count(&t), 2);

    a.peers = 7;
    assert_int_equal(nb_discover_table_update(&t, &a, "10.0.0.9", 2000), NB_DISCOVER_REFRESHED);
    assert_int_equal(nb_discover_table_count(&t), 2);
    const nb_discover_entry *e = nb_discover_table_at(&t, 0);
    assert_true(e->ann.instance == 11);
    assert_int_equal(e->ann.peers, 7);
    assert_string_equal(e->addr, "10.0.0.9");
    assert_int_equal(e->first_ms, 1000);
    assert_int_equal(e->last_ms, 2000);
    assert_ptr_equal(nb_discover_table_find(&t, 22), nb_discover_table_at(&t, 1));
    assert_null(nb_discover_table_find(&t, 33));

    /* BYE removes the board; a BYE for an unknown one changes nothing. */
    a.flags = NB_ANNOUNCE_BYE;
    assert_int_equal(nb_discover_table_update(&t, &a, "10.0.0.9", 2100), NB_DISCOVER_REMOVED);
    assert_int_equal(nb_discover_table_update(&t, &a, "10.0.0.9", 2200), NB_DISCOVER_IGNORED);
    assert_int_equal(nb_discover_table_count(&t), 1);
    assert_true(nb_discover_table_at(&t, 0)->ann.instance == 22);
}

static void test_table_full(void **state)
{
    (void)state;
    nb_discover_table t;
    nb_discover_table_init(&t);
    for (uint64_t i = 1; i <= NB_DISCOVER_TABLE_MAX; i++) {
        nb_announce a = sample(i, "b", "");
        assert_int_equal(nb_discover_table_update(&t, &a, "10.0.0.1", 5), NB_DISCOVER_ADDED);
    }
    nb_announce extra = sample(999, "b", "");
    assert_int_equal(nb_discover_table_update(&t, &extra, "10.0.0.1", 6), NB_DISCOVER_FULL);
    /* Known boards still refresh when full. */
    nb_announce known = sample(5, "b", "");
    assert_int_equal(nb_discover_table_update(&t, &known, "10.0.0.1", 6), NB_DISCOVER_REFRESHED);
    assert_int_equal(nb_discover_table_count(&t), NB_DISCOVER_TABLE_MAX);
    /* Once some expire, there is room again. */
    assert_int_equal(nb_discover_table_expire(&t, 5 + NB_DISCOVER_TTL_MS, 0),
                     NB_DISCOVER_TABLE_MAX - 1);
    assert_int_equal(nb_discover_table_update(&t, &extra, "10.0.0.1", 7), NB_DISCOVER_ADDED);
}

static void test_table_expiry(void **state)
{
    (void)state;
    nb_discover_table t;
    nb_discover_table_init(&t);
    nb_announce a = sample(1, "A", ""), b = sample(2, "B", ""), c = sample(3, "C", "");
    nb_discover_table_update(&t, &a, "10.0.0.1", 0);
    nb_discover_table_update(&t, &b, "10.0.0.2", 1000);
    nb_discover_table_update(&t, &c, "10.0.0.3", 2000);

    /* Default ttl 3.5 s: at 3499 ms A is still there, at 3500 it is gone. */
    assert_int_equal(nb_discover_table_expire(&t, 3499, 0), 0);
    assert_int_equal(nb_discover_table_count(&t), 3);
    assert_int_equal(nb_discover_table_expire(&t, 3500, 0), 1);
    assert_int_equal(nb_discover_table_count(&t), 2);
    /* Survivors keep their order. */
    assert_string_equal(nb_discover_table_at(&t, 0)->ann.board, "B");
    assert_string_equal(nb_discover_table_at(&t, 1)->ann.board, "C");

    /* A refresh keeps B alive past its first deadline. */
    nb_discover_table_update(&t, &b, "10.0.0.2", 4000);
    assert_int_equal(nb_discover_table_expire(&t, 5600, 0), 1);   /* C: 3.6 s silent */
    assert_int_equal(nb_discover_table_count(&t), 1);
    assert_string_equal(nb_discover_table_at(&t, 0)->ann.board, "B");

    /* A clock behind last_ms counts as just heard; a short custom ttl works. */
    assert_int_equal(nb_discover_table_expire(&t, 10, 300), 0);
    assert_int_equal(nb_discover_table_expire(&t, 4299, 300), 0);
    assert_int_equal(nb_discover_table_expire(&t, 4300, 300), 1);
    assert_int_equal(nb_discover_table_count(&t), 0);
    assert_int_equal(nb_discover_table_expire(&t, 99999, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_unknown_flags_ignored),
        cmocka_unit_test(test_encode_refuses),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_table_update),
        cmocka_unit_test(test_table_full),
        cmocka_unit_test(test_table_expiry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
