/* test_inspect.c — byte roles and fields of every frame type (built with nb_encode),
 * truncated captures and garbage, and the capture ring under a concurrent producer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nb_inspect.h"

enum { T = NB_INSPECT_TYPE, L = NB_INSPECT_LENGTH, B = NB_INSPECT_BODY, X = NB_INSPECT_TEXT,
       D = NB_INSPECT_DELIM, P = NB_INSPECT_PADDING, E = NB_INSPECT_EXTRA };

static size_t enc(const nb_frame *f, uint8_t *out, size_t cap)
{
    char err[NB_ERR_LEN] = "";
    int n = nb_encode(f, out, cap, err);
    if (n < 0) fail_msg("encode '%c': %s", f->type, err);
    return (size_t)n;
}

/* roles must be: counts[i] bytes of role[i], in order, covering exactly len. */
static void expect_roles(const uint8_t *b, size_t len, size_t total, const int *roles, const size_t *counts, int n)
{
    uint8_t r[256];
    assert_true(len <= sizeof r);
    assert_int_equal(nb_inspect_roles(b, len, r), total);
    size_t off = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < counts[i]; k++, off++) {
            if (off >= len) fail_msg("roles run past %zu", len);
            if (r[off] != roles[i]) fail_msg("byte %zu: role %d, want %d", off, r[off], roles[i]);
        }
    assert_int_equal(off, len);
}
#define ROLES(b, len, total, ...) do { \
    const int rr_[] = { __VA_ARGS__ }; size_t cc_[sizeof rr_ / sizeof rr_[0] / 2]; int ro_[sizeof cc_ / sizeof cc_[0]]; \
    for (size_t i_ = 0; i_ < sizeof cc_ / sizeof cc_[0]; i_++) { ro_[i_] = rr_[2 * i_]; cc_[i_] = (size_t)rr_[2 * i_ + 1]; } \
    expect_roles(b, len, total, ro_, cc_, (int)(sizeof cc_ / sizeof cc_[0])); } while (0)

static void test_fixed_types(void **state)
{
    (void)state;
    uint8_t b[64];
    nb_frame s = { .type = NB_FT_SEGMENT, .u.seg = { 7, 9, 1, 2, 3, 4, 0xff0000ff, 5, 0 } };
    size_t n = enc(&s, b, sizeof b);
    assert_int_equal(n, 21);
    ROLES(b, n, 21, T, 1, B, 20);
    nb_inspect_field f[16];
    int nf = nb_inspect_fields(b, n, f, 16);
    assert_int_equal(nf, 10);
    const char *names[] = { "type", "author", "stroke", "x1", "y1", "x2", "y2", "rgba", "width", "flags" };
    const uint32_t offs[] = { 0, 1, 3, 7, 9, 11, 13, 15, 19, 20 };
    for (int i = 0; i < 10; i++) {
        assert_string_equal(f[i].name, names[i]);
        assert_int_equal(f[i].offset, offs[i]);
    }
    assert_int_equal(f[2].size, 4);
    assert_int_equal(b[f[1].offset + 1], 7);   /* author low byte */

    const uint8_t fixed[] = { 'P', 'Q', 'L', 'C', 'U', 'R', 'K' };
    const size_t body[] = { 8, 8, 2, 2, 6, 6, 7 };
    for (size_t i = 0; i < sizeof fixed; i++) {
        nb_frame g = { .type = fixed[i] };
        n = enc(&g, b, sizeof b);
        assert_int_equal(n, 1 + body[i]);
        ROLES(b, n, n, T, 1, B, (int)body[i]);
        nf = nb_inspect_fields(b, n, f, 16);
        assert_true(nf >= 2);
        assert_int_equal(f[nf - 1].offset + f[nf - 1].size, n);
    }
}

static void test_chat_fixed_and_var(void **state)
{
    (void)state;
    uint8_t b[2048];
    nb_frame f = { .type = NB_FT_CHAT_FIXED, .text = "hello", .text_len = 5 };
    size_t n = enc(&f, b, sizeof b);
    ROLES(b, n, 33, T, 1, X, 5, P, 27);
    /* Full 32 bytes of text: no padding at all. */
    char full[33];
    memset(full, 'a', 32);
    f.text = full;
    f.text_len = 32;
    n = enc(&f, b, sizeof b);
    ROLES(b, n, 33, T, 1, X, 32);
    /* Empty text: all padding. */
    f.text_len = 0;
    n = enc(&f, b, sizeof b);
    ROLES(b, n, 33, T, 1, P, 32);

    nb_frame v = { .type = NB_FT_CHAT_VAR, .text = "hi there", .text_len = 8 };
    n = enc(&v, b, sizeof b);
    ROLES(b, n, 10, T, 1, X, 8, D, 1);
    /* Truncated before the '\n': length unknown, text so far. */
    ROLES(b, 5, 0, T, 1, X, 4);
    v.text_len = 0;
    n = enc(&v, b, sizeof b);
    ROLES(b, n, 2, T, 1, D, 1);
}

static void test_prefixed_types(void **state)
{
    (void)state;
    uint8_t b[256];
    nb_frame m = { .type = NB_FT_CHAT_MIX, .text = "mixed", .text_len = 5 };
    size_t n = enc(&m, b, sizeof b);
    ROLES(b, n, 10, T, 1, L, 4, X, 5);

    nb_frame h = { .type = NB_FT_HELLO, .text = "ann", .text_len = 3 };
    h.u.hello.version = 1;
    h.u.hello.session = 0x1122334455667788ull;
    n = enc(&h, b, sizeof b);
    ROLES(b, n, n, T, 1, L, 4, B, 9, X, 3);
    nb_inspect_field f[16];
    int nf = nb_inspect_fields(b, n, f, 16);
    assert_int_equal(nf, 5);
    assert_string_equal(f[1].name, "length");
    assert_string_equal(f[2].name, "version");
    assert_string_equal(f[3].name, "session");
    assert_int_equal(f[3].offset, 6);
    assert_int_equal(f[3].size, 8);
    assert_string_equal(f[4].name, "text");

    nb_frame w = { .type = NB_FT_WELCOME, .text = "board", .text_len = 5 };
    n = enc(&w, b, sizeof b);
    ROLES(b, n, n, T, 1, L, 4, B, 14, X, 5);
    nb_frame t = { .type = NB_FT_CHAT_DELIVERED, .text = "x", .text_len = 1 };
    t.u.chat.framing = 'F';
    n = enc(&t, b, sizeof b);
    ROLES(b, n, n, T, 1, L, 4, B, 3, X, 1);
    nb_frame j = { .type = NB_FT_JOIN, .text = "bo", .text_len = 2 };
    n = enc(&j, b, sizeof b);
    ROLES(b, n, n, T, 1, L, 4, B, 2, X, 2);
    nb_frame e = { .type = NB_FT_ERROR, .text = "bad", .text_len = 3 };
    n = enc(&e, b, sizeof b);
    ROLES(b, n, n, T, 1, L, 4, B, 2, X, 3);
    /* Empty text: no text bytes at all. */
    e.text_len = 0;
    n = enc(&e, b, sizeof b);
    ROLES(b, n, 7, T, 1, L, 4, B, 2);
}

static void test_truncated_and_garbage(void **state)
{
    (void)state;
    uint8_t b[256];
    /* A capture cut inside the length header: total unknown. */
    nb_frame m = { .type = NB_FT_CHAT_MIX, .text = "mixed", .text_len = 5 };
    enc(&m, b, sizeof b);
    ROLES(b, 3, 0, T, 1, L, 2);
    /* Cut inside a fixed body: the present bytes keep their roles, total known. */
    nb_frame s = { .type = NB_FT_SEGMENT };
    enc(&s, b, sizeof b);
    ROLES(b, 6, 21, T, 1, B, 5);
    nb_inspect_field f[16];
    int nf = nb_inspect_fields(b, 6, f, 16);
    assert_int_equal(nf, 3);                   /* type, author, stroke (cut) */
    assert_int_equal(f[2].size, 3);
    /* Bytes after the frame are "extra". */
    b[21] = 'Z';
    b[22] = 'Z';
    ROLES(b, 23, 21, T, 1, B, 20, E, 2);
    /* Unknown type byte. */
    memset(b, 0xAB, 10);
    ROLES(b, 10, 0, T, 1, E, 9);
    /* A prefixed frame claiming a length shorter than its fields, and one huge. */
    const uint8_t shortw[] = { 'W', 0, 0, 0, 3, 1, 2, 3, 9 };
    ROLES(shortw, sizeof shortw, 8, T, 1, L, 4, B, 3, E, 1);
    const uint8_t huge[] = { 'M', 0xff, 0xff, 0xff, 0xff, 'a', 'b' };
    ROLES(huge, sizeof huge, 5 + 0xffffffffull, T, 1, L, 4, X, 2);
    /* Empty input and a zero-capacity field list. */
    assert_int_equal(nb_inspect_roles(NULL, 0, NULL), 0);
    assert_int_equal(nb_inspect_fields(huge, sizeof huge, f, 0), 0);
    /* Every single byte value as a 1..40-byte random-ish frame: no crash, roles valid. */
    uint8_t r[40];
    for (int t = 0; t < 256; t++)
        for (size_t len = 1; len <= sizeof r; len++) {
            for (size_t i = 0; i < len; i++) b[i] = (uint8_t)(i ? (size_t)t * 31 + i * 7 : (size_t)t);
            nb_inspect_roles(b, len, r);
            for (size_t i = 0; i < len; i++) assert_true(r[i] >= T && r[i] <= E);
            assert_int_equal(r[0], T);
        }
    assert_string_equal(nb_inspect_role_name(NB_INSPECT_PADDING), "padding");
    assert_string_equal(nb_inspect_role_name(99), "?");
}

static void test_capture_ring(void **state)
{
    (void)state;
    nb_capture *c = nb_capture_create();
    assert_non_null(c);
    static nb_capture_entry out[NB_CAPTURE_ENTRIES];
    uint64_t seq = 99;
    assert_int_equal(nb_capture_snapshot(c, out, &seq), 0);
    assert_int_equal(seq, 0);
    uint8_t b[32];
    for (int i = 0; i < 70; i++) {
        nb_frame p = { .type = NB_FT_PING, .u.token = (uint64_t)i };
        size_t n = enc(&p, b, sizeof b);
        nb_capture_push(c, i % 2 ? NB_CAPTURE_OUT : NB_CAPTURE_IN, 1000 + (uint64_t)i, b, n);
    }
    size_t n = nb_capture_snapshot(c, out, &seq);
    assert_int_equal(n, 64);
    assert_int_equal(seq, 70);
    assert_int_equal(out[0].seq, 7);           /* the 6 oldest were overwritten */
    assert_int_equal(out[63].seq, 70);
    assert_int_equal(out[0].time_ms, 1006);
    assert_int_equal(out[0].type, 'P');
    assert_int_equal(out[0].size, 9);
    assert_int_equal(out[0].len, 9);
    assert_int_equal(out[0].bytes[8], 6);      /* token 6, big-endian low byte */
    assert_int_equal(out[1].dir, NB_CAPTURE_OUT);

    /* A long chat: full size kept, bytes cut at 96. */
    char text[500];
    memset(text, 'y', sizeof text);
    nb_frame m = { .type = NB_FT_CHAT_MIX, .text = text, .text_len = sizeof text };
    nb_capture_push_frame(c, NB_CAPTURE_IN, 5000, &m);
    nb_frame s = { .type = NB_FT_SEGMENT, .u.seg = { .author = 3 } };
    nb_capture_push_frame(c, NB_CAPTURE_OUT, 5001, &s);
    nb_frame bad = { .type = 'Z' };
    nb_capture_push_frame(c, NB_CAPTURE_OUT, 5002, &bad);   /* not encodable: skipped */
    n = nb_capture_snapshot(c, out, &seq);
    assert_int_equal(seq, 72);
    assert_int_equal(out[62].size, 505);
    assert_int_equal(out[62].len, NB_CAPTURE_BYTES);
    assert_int_equal(out[62].bytes[95], 'y');
    assert_int_equal(out[63].size, 21);
    assert_int_equal(out[63].bytes[2], 3);
    nb_capture_destroy(c);
    nb_capture_destroy(NULL);
}

static void *producer(void *arg)
{
    nb_capture *c = arg;
    uint8_t b[21] = { 'S' };
    for (int i = 0; i < 20000; i++) {
        b[20] = (uint8_t)i;
        nb_capture_push(c, NB_CAPTURE_OUT, (uint64_t)i, b, sizeof b);
    }
    return NULL;
}

static void test_capture_concurrent(void **state)
{
    (void)state;
    nb_capture *c = nb_capture_create();
    assert_non_null(c);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, producer, c), 0);
    static nb_capture_entry out[NB_CAPTURE_ENTRIES];
    uint64_t last = 0;
    for (int i = 0; i < 2000; i++) {
        uint64_t seq;
        size_t n = nb_capture_snapshot(c, out, &seq);
        assert_true(seq >= last);
        last = seq;
        /* Each snapshot is consecutive and internally consistent. */
        for (size_t k = 1; k < n; k++) assert_int_equal(out[k].seq, out[k - 1].seq + 1);
        for (size_t k = 0; k < n; k++) assert_int_equal(out[k].bytes[20], (uint8_t)out[k].time_ms);
    }
    assert_int_equal(pthread_join(th, NULL), 0);
    uint64_t seq;
    assert_int_equal(nb_capture_snapshot(c, out, &seq), 64);
    assert_int_equal(seq, 20000);
    nb_capture_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_types),
        cmocka_unit_test(test_chat_fixed_and_var),
        cmocka_unit_test(test_prefixed_types),
        cmocka_unit_test(test_truncated_and_garbage),
        cmocka_unit_test(test_capture_ring),
        cmocka_unit_test(test_capture_concurrent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
