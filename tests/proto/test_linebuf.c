/* test_linebuf.c — raw text peer line splitting: splits at every position, '\r'
 * stripping, the 1024-byte limit enforced at byte 1025, and recovery after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nb_proto.h"

typedef struct lines {
    char text[8][NB_RAW_LINE_MAX + 1];
    uint32_t len[8];
    int n, errors;
} lines;

/* Feeds p[0..n) in chunks of `chunk`, collecting lines and counting -1 results. */
static void feed(nb_linebuf *lb, const char *p, size_t n, size_t chunk, lines *out)
{
    size_t pos = 0, guard = 2 * n + 2;
    while (pos < n && guard--) {
        size_t c = NB_MIN(chunk, n - pos), used = 0;
        const char *line = NULL;
        uint32_t len = 0;
        int rc = nb_linebuf_feed(lb, (const uint8_t *)p + pos, c, &used, &line, &len);
        assert_true(used <= c);
        pos += used;
        if (rc == 1) {
            assert_true(out->n < 8);
            assert_int_equal(line[len], '\0');
            memcpy(out->text[out->n], line, len + 1);
            out->len[out->n++] = len;
        } else if (rc == -1) {
            out->errors++;
        } else {
            assert_int_equal(used, c);
        }
    }
    assert_int_equal(pos, n);
}

static void test_split_every_position(void **st)
{
    (void)st;
    static const char s[] = "hello\nwith cr\r\n\nmid\rcr\nlast";
    for (size_t chunk = 1; chunk <= sizeof s; chunk++) {
        nb_linebuf lb;
        nb_linebuf_init(&lb);
        lines l = { 0 };
        feed(&lb, s, sizeof s - 1, chunk, &l);
        assert_int_equal(l.errors, 0);
        assert_int_equal(l.n, 4);
        assert_string_equal(l.text[0], "hello");
        assert_string_equal(l.text[1], "with cr");
        assert_int_equal(l.len[2], 0);
        assert_string_equal(l.text[3], "mid\rcr");
        assert_int_equal(lb.len, 4);   /* "last" waits for its '\n' */
    }
    /* two-part splits at every offset */
    for (size_t k = 0; k <= sizeof s - 1; k++) {
        nb_linebuf lb;
        nb_linebuf_init(&lb);
        lines l = { 0 };
        feed(&lb, s, k, 64, &l);
        feed(&lb, s + k, sizeof s - 1 - k, 64, &l);
        assert_int_equal(l.n, 4);
        assert_string_equal(l.text[1], "with cr");
    }
}

static void test_limit(void **st)
{
    (void)st;
    static char buf[3 * NB_RAW_LINE_MAX];
    nb_linebuf lb;
    size_t used;
    const char *line;
    uint32_t len;

    /* exactly 1024 bytes is a line */
    memset(buf, 'a', NB_RAW_LINE_MAX);
    buf[NB_RAW_LINE_MAX] = '\n';
    nb_linebuf_init(&lb);
    assert_int_equal(nb_linebuf_feed(&lb, (uint8_t *)buf, NB_RAW_LINE_MAX + 1, &used, &line, &len), 1);
    assert_int_equal(len, NB_RAW_LINE_MAX);
    assert_int_equal(used, NB_RAW_LINE_MAX + 1);

    /* 1025 bytes fail at byte 1025, byte by byte, without waiting for '\n' */
    nb_linebuf_init(&lb);
    for (int i = 0; i < NB_RAW_LINE_MAX; i++)
        assert_int_equal(nb_linebuf_feed(&lb, (const uint8_t *)"b", 1, &used, &line, &len), 0);
    assert_int_equal(nb_linebuf_feed(&lb, (const uint8_t *)"b", 1, &used, &line, &len), -1);
    assert_int_equal(used, 1);
    /* the rest of that line is dropped, the next one comes through */
    lines l = { 0 };
    feed(&lb, "bbbb\nnext\n", 10, 3, &l);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.text[0], "next");

    /* in one buffer: consumed stops at the 1025th byte */
    memset(buf, 'c', sizeof buf);
    nb_linebuf_init(&lb);
    assert_int_equal(nb_linebuf_feed(&lb, (uint8_t *)buf, sizeof buf, &used, &line, &len), -1);
    assert_int_equal(used, NB_RAW_LINE_MAX + 1);

    /* '\r' counts toward the limit: 1024 bytes + "\r\n" is too long */
    memset(buf, 'd', NB_RAW_LINE_MAX);
    memcpy(buf + NB_RAW_LINE_MAX, "\r\n", 2);
    nb_linebuf_init(&lb);
    assert_int_equal(nb_linebuf_feed(&lb, (uint8_t *)buf, NB_RAW_LINE_MAX + 2, &used, &line, &len), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_every_position),
        cmocka_unit_test(test_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
