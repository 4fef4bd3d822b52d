/* test_codec.c — NBP/1 decoder and encoder: round trips of every frame type, every split
 * position, random splits of concatenated streams, the malformed-input table, limits
 * enforced before buffering, encoder refusals, names and UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nb_proto.h"
#include "proto_sink.h"
#include "proto_vectors.h"

static nb_frame frames[PV_MAX_FRAMES];
static size_t n_frames;

static uint8_t *encode_alloc(const nb_frame *f, size_t *n)
{
    char err[NB_ERR_LEN] = "";
    *n = nb_encoded_size(f);
    assert_true(*n > 0);
    uint8_t *b = malloc(*n);
    assert_non_null(b);
    assert_int_equal(nb_encode(f, b, *n, err), (int)*n);
    return b;
}

static void test_roundtrip_every_type(void **st)
{
    (void)st;
    int seen[256] = { 0 };
    for (size_t i = 0; i < n_frames; i++) {
        size_t n;
        uint8_t *b = encode_alloc(&frames[i], &n);
        assert_int_equal(b[0], frames[i].type);
        nb_decoder d;
        nb_decoder_init(&d, 0);
        nb_frame out;
        size_t used = 0;
        char err[NB_ERR_LEN] = "";
        assert_int_equal(nb_decoder_feed(&d, b, n, &used, &out, err), NB_DEC_FRAME);
        assert_int_equal(used, n);
        assert_int_equal(out.type, frames[i].type);
        assert_true(pv_frames_equal(&out, &frames[i]));
        if (frames[i].text_len || out.text) {
            assert_int_equal(out.text_len, frames[i].text_len);
            assert_memory_equal(out.text, frames[i].text, out.text_len);
            assert_int_equal(out.text[out.text_len], '\0');
        }
        assert_int_equal(d.frames, 1);
        assert_int_equal(d.bytes, n);
        seen[frames[i].type] = 1;
        nb_decoder_free(&d);
        free(b);
    }
    for (const char *t = "SFPQVMHWTJLEURCK"; *t; t++) assert_true(seen[(uint8_t)*t]);
}

static void test_fields_decoded(void **st)
{
    (void)st;
    /* S from the table, by hand: author 7, stroke 0x01020304, ... */
    static const uint8_t s[] = { 'S', 0, 7, 1, 2, 3, 4, 0, 1, 0, 2, 0xff, 0xff, 0x80, 0,
                                 0xff, 0x80, 0x40, 0xc0, 12, 1 };
    nb_decoder d;
    nb_decoder_init(&d, 0);
    nb_frame f;
    size_t used;
    assert_int_equal(nb_decoder_feed(&d, s, sizeof s, &used, &f, NULL), NB_DEC_FRAME);
    assert_int_equal(used, 21);
    assert_int_equal(f.u.seg.author, 7);
    assert_int_equal(f.u.seg.stroke, 0x01020304u);
    assert_int_equal(f.u.seg.x1, 1);
    assert_int_equal(f.u.seg.y1, 2);
    assert_int_equal(f.u.seg.x2, 65535);
    assert_int_equal(f.u.seg.y2, 0x8000);
    assert_int_equal(f.u.seg.rgba, 0xff8040c0u);
    assert_int_equal(f.u.seg.width, 12);
    assert_int_equal(f.u.seg.flags, NB_SEG_ERASER);
    assert_null(f.text);
    /* W: author 3, held 42, history 1000, "Main" */
    static const uint8_t w[] = { 'W', 0, 0, 0, 18, 0, 3, 0, 0, 0, 0, 0, 0, 0, 42,
                                 0, 0, 0x03, 0xe8, 'M', 'a', 'i', 'n' };
    assert_int_equal(nb_decoder_feed(&d, w, sizeof w, &used, &f, NULL), NB_DEC_FRAME);
    assert_int_equal(f.u.welcome.author, 3);
    assert_int_equal(f.u.welcome.held, 42);
    assert_int_equal(f.u.welcome.history, 1000);
    assert_string_equal(f.text, "Main");
    /* F "hi" padded */
    uint8_t fc[33] = { 'F', 'h', 'i' };
    assert_int_equal(nb_decoder_feed(&d, fc, sizeof fc, &used, &f, NULL), NB_DEC_FRAME);
    assert_int_equal(f.text_len, 2);
    assert_string_equal(f.text, "hi");
    nb_decoder_free(&d);
}

static void expect_single(const uint8_t *b, size_t n, const size_t *cuts, size_t n_cuts)
{
    nb_decoder d;
    nb_decoder_init(&d, 0);
    proto_sink s = { 0 };
    char err[NB_ERR_LEN] = "";
    size_t prev = 0;
    for (size_t c = 0; c <= n_cuts; c++) {
        size_t end = c < n_cuts ? cuts[c] : n;
        assert_int_equal(sink_feed(&s, &d, b + prev, end - prev, err), NB_DEC_NEED_MORE);
        prev = end;
    }
    assert_int_equal(s.frames, 1);
    assert_int_equal(s.bad_reencode, 0);
    assert_int_equal(s.len, n);
    assert_memory_equal(s.buf, b, n);
    assert_int_equal(d.bytes, n);
    sink_free(&s);
    nb_decoder_free(&d);
}

static void test_every_split_position(void **st)
{
    (void)st;
    for (size_t i = 0; i < n_frames; i++) {
        size_t n;
        uint8_t *b = encode_alloc(&frames[i], &n);
        /* the 64 KiB frames: every 97th offset plus both ends keeps the test fast */
        size_t step = n > 4096 ? 97 : 1;
        for (size_t k = 0; k <= n; k += (k < 8 || k + 8 > n) ? 1 : step) expect_single(b, n, &k, 1);
        free(b);
    }
}

static void test_byte_by_byte(void **st)
{
    (void)st;
    for (size_t i = 0; i < n_frames; i++) {
        size_t n;
        uint8_t *b = encode_alloc(&frames[i], &n);
        size_t *cuts = malloc(n * sizeof *cuts);
        assert_non_null(cuts);
        for (size_t k = 0; k < n; k++) cuts[k] = k + 1;
        expect_single(b, n, cuts, n - 1);
        free(cuts);
        free(b);
    }
}

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return *s = x;
}

static void test_concat_random_splits(void **st)
{
    (void)st;
    /* signature + every frame, three times over */
    size_t cap = 0, len = NB_SIG_LEN;
    for (size_t i = 0; i < n_frames; i++) cap += nb_encoded_size(&frames[i]);
    cap = cap * 3 + NB_SIG_LEN;
    uint8_t *stream = malloc(cap);
    assert_non_null(stream);
    memcpy(stream, NB_SIGNATURE, NB_SIG_LEN);
    for (int r = 0; r < 3; r++)
        for (size_t i = 0; i < n_frames; i++)
            len += (size_t)nb_encode(&frames[i], stream + len, cap - len, NULL);
    assert_int_equal(len, cap);

    uint32_t seed = 0x9e3779b9u;
    for (int round = 0; round < 60; round++) {
        nb_decoder d;
        nb_decoder_init(&d, NB_DEC_EXPECT_SIGNATURE);
        proto_sink s = { 0 };
        size_t pos = 0;
        /* small chunks in early rounds, up to whole-stream chunks later */
        uint32_t maxchunk = round < 20 ? 7 : round < 40 ? 300 : 70000;
        while (pos < len) {
            size_t c = 1 + xorshift(&seed) % maxchunk;
            if (c > len - pos) c = len - pos;
            assert_int_equal(sink_feed(&s, &d, stream + pos, c, NULL), NB_DEC_NEED_MORE);
            pos += c;
        }
        assert_int_equal(s.frames, 3 * n_frames);
        assert_int_equal(s.len, len - NB_SIG_LEN);
        assert_memory_equal(s.buf, stream + NB_SIG_LEN, s.len);
        assert_int_equal(d.frames, 3 * n_frames);
        assert_int_equal(d.bytes, len);
        sink_free(&s);
        nb_decoder_free(&d);
    }
    free(stream);
}

/* Feeds t->bytes in chunks of `chunk` bytes and expects t->error, with t->msg_part in the
 * message, then the error to be sticky. */
static void expect_error(const pv_bad *t, size_t chunk)
{
    nb_decoder d;
    nb_decoder_init(&d, t->flags);
    proto_sink s = { 0 };
    char err[NB_ERR_LEN] = "";
    int rc = NB_DEC_NEED_MORE;
    for (size_t pos = 0; pos < t->len && rc != NB_DEC_ERROR; pos += chunk) {
        size_t c = NB_MIN(chunk, t->len - pos);
        rc = sink_feed(&s, &d, t->bytes + pos, c, err);
    }
    if (rc != NB_DEC_ERROR) fail_msg("%s: no error (chunk %zu)", t->what, chunk);
    if (d.error != t->error)
        fail_msg("%s: error %d (%s), expected %d; message: %s", t->what, d.error,
                 nb_proto_error_name(d.error), t->error, err);
    if (t->msg_part && !strstr(err, t->msg_part))
        fail_msg("%s: message \"%s\" lacks \"%s\"", t->what, err, t->msg_part);
    /* sticky */
    size_t used = 99;
    nb_frame f;
    char err2[NB_ERR_LEN] = "";
    assert_int_equal(nb_decoder_feed(&d, (const uint8_t *)"P", 1, &used, &f, err2), NB_DEC_ERROR);
    assert_int_equal(used, 0);
    assert_non_null(strstr(err2, "already failed"));
    assert_int_equal(d.error, t->error);
    sink_free(&s);
    nb_decoder_free(&d);
}

static void test_malformed_table(void **st)
{
    (void)st;
    const pv_bad *t;
    size_t n = pv_bad_inputs(&t);
    for (size_t i = 0; i < n; i++) {
        expect_error(&t[i], t[i].len);
        expect_error(&t[i], 1);
        expect_error(&t[i], 3);
    }
}

static void test_limits_before_buffering(void **st)
{
    (void)st;
    nb_decoder d;
    nb_frame f;
    size_t used;
    char err[NB_ERR_LEN] = "";

    /* 2^32-1 rejected from the 4 header bytes, nothing allocated */
    nb_decoder_init(&d, 0);
    assert_int_equal(nb_decoder_feed(&d, (const uint8_t *)"M\xff\xff\xff\xff", 5, &used, &f, err),
                     NB_DEC_ERROR);
    assert_int_equal(d.buf_cap, 0);
    assert_string_equal(err, "M frame length 4294967295 exceeds 65536");
    nb_decoder_free(&d);

    /* a V line fails at byte 1025, not at a later '\n' */
    nb_decoder_init(&d, 0);
    assert_int_equal(nb_decoder_feed(&d, (const uint8_t *)"V", 1, &used, &f, err), NB_DEC_NEED_MORE);
    for (int i = 1; i <= NB_VAR_MAX; i++)
        assert_int_equal(nb_decoder_feed(&d, (const uint8_t *)"x", 1, &used, &f, err),
                         NB_DEC_NEED_MORE);
    assert_int_equal(nb_decoder_feed(&d, (const uint8_t *)"x", 1, &used, &f, err), NB_DEC_ERROR);
    assert_int_equal(d.error, NB_PERR_LINE_TOO_LONG);
    assert_int_equal(d.bytes, 1 + NB_VAR_MAX + 1);
    nb_decoder_free(&d);

    /* ... while exactly 1024 bytes and '\n' is fine (whole buffer) */
    uint8_t line[1 + NB_VAR_MAX + 1 + 1];
    line[0] = 'V';
    memset(line + 1, 'y', NB_VAR_MAX);
    line[1 + NB_VAR_MAX] = '\n';
    line[2 + NB_VAR_MAX] = 'P';
    nb_decoder_init(&d, 0);
    assert_int_equal(nb_decoder_feed(&d, line, sizeof line, &used, &f, err), NB_DEC_FRAME);
    assert_int_equal(used, sizeof line - 1);
    assert_int_equal(f.text_len, NB_VAR_MAX);
    nb_decoder_free(&d);

    /* an announced 64 KiB M with 10 bytes sent has not allocated 64 KiB */
    nb_decoder_init(&d, 0);
    assert_int_equal(nb_decoder_feed(&d, (const uint8_t *)"M\x00\x01\x00\x00" "0123456789", 15,
                                     &used, &f, err), NB_DEC_NEED_MORE);
    assert_true(d.buf_cap > 0 && d.buf_cap <= 64);
    nb_decoder_free(&d);

    /* a stream of segments, byte by byte, never allocates */
    nb_decoder_init(&d, 0);
    nb_frame seg = { .type = 'S', .u.seg = { .author = 1, .x2 = 5 } };
    uint8_t b[21];
    assert_int_equal(nb_encode(&seg, b, sizeof b, err), 21);
    for (int r = 0; r < 10; r++)
        for (int i = 0; i < 21; i++)
            assert_int_equal(nb_decoder_feed(&d, b + i, 1, &used, &f, err),
                             i == 20 ? NB_DEC_FRAME : NB_DEC_NEED_MORE);
    assert_int_equal(d.frames, 10);
    assert_true(d.buf_cap <= 64);
    nb_decoder_free(&d);
}

static void test_zeroed_decoder_and_empty_feed(void **st)
{
    (void)st;
    nb_decoder d = { 0 };
    nb_frame f;
    size_t used = 5;
    assert_int_equal(nb_decoder_feed(&d, NULL, 0, &used, &f, NULL), NB_DEC_NEED_MORE);
    assert_int_equal(used, 0);
    assert_int_equal(nb_decoder_feed(&d, (const uint8_t *)"M\0\0\0\0", 5, &used, &f, NULL),
                     NB_DEC_FRAME);
    assert_int_equal(f.text_len, 0);
    assert_string_equal(f.text, "");
    nb_decoder_free(&d);
    nb_decoder_free(&d);   /* idempotent */
}

static void expect_refused(const nb_frame *f, const char *msg_part)
{
    char err[NB_ERR_LEN] = "";
    uint8_t buf[128];
    assert_int_equal(nb_encoded_size(f), 0);
    assert_int_equal(nb_encode(f, buf, sizeof buf, err), -1);
    if (!strstr(err, msg_part)) fail_msg("message \"%s\" lacks \"%s\"", err, msg_part);
}

static void test_encoder_refuses(void **st)
{
    (void)st;
    expect_refused(&(nb_frame){ .type = 'F', .text = "0123456789abcdef0123456789abcdefX",
                                .text_len = 33 }, "F text of 33 bytes exceeds 32");
    expect_refused(&(nb_frame){ .type = 'V', .text = "a\nb", .text_len = 3 }, "'\\n'");
    expect_refused(&(nb_frame){ .type = 'V', .text = "\xc0\xaf", .text_len = 2 }, "UTF-8");
    expect_refused(&(nb_frame){ .type = 'M', .text = "a\0b", .text_len = 3 }, "NUL");
    expect_refused(&(nb_frame){ .type = 'Z' }, "unknown frame type 0x5a");
    expect_refused(&(nb_frame){ .type = 'H', .u.hello = { 2, 0 } }, "version 2");
    expect_refused(&(nb_frame){ .type = 'T', .u.chat = { 1, 'X' } }, "'X'");
    expect_refused(&(nb_frame){ .type = 'H', .u.hello = { 1, 0 },
                                .text = "0123456789abcdef0123456789abcdefX", .text_len = 33 },
                   "exceeds 32");
    static char big[NB_ERROR_TEXT_MAX + 1];
    memset(big, 'e', sizeof big);
    expect_refused(&(nb_frame){ .type = 'E', .text = big, .text_len = sizeof big }, "257");

    /* too small a buffer */
    char err[NB_ERR_LEN] = "";
    uint8_t b[20];
    assert_int_equal(nb_encode(&(nb_frame){ .type = 'S' }, b, sizeof b, err), -1);
    assert_non_null(strstr(err, "needs 21 bytes"));
}

static void test_names_and_framing(void **st)
{
    (void)st;
    assert_int_equal(nb_frame_framing('S'), 'f');
    assert_int_equal(nb_frame_framing('V'), 'd');
    assert_int_equal(nb_frame_framing('M'), 'p');
    assert_int_equal(nb_frame_framing('Z'), 0);
    assert_int_equal(nb_frame_fixed_len('S'), 20);
    assert_int_equal(nb_frame_fixed_len('F'), 32);
    assert_int_equal(nb_frame_fixed_len('P'), 8);
    assert_int_equal(nb_frame_fixed_len('K'), 7);
    assert_int_equal(nb_frame_fixed_len('M'), 0);
    assert_string_equal(nb_frame_type_name('S'), "segment");
    assert_string_equal(nb_frame_type_name('F'), "chat/fixed");
    assert_string_equal(nb_frame_type_name(0), "unknown");
    assert_string_equal(nb_proto_error_name(NB_PERR_TOO_LONG), "too-long");
    assert_string_equal(nb_proto_error_name(NB_PERR_NO_MEMORY), "no-memory");
    assert_string_equal(nb_proto_error_name(999), "unknown");
    assert_memory_equal(NB_SIGNATURE, "\x89NB1", 4);
    /* every known type has a name and a framing; the fixed lengths match the encoder */
    for (size_t i = 0; i < n_frames; i++) {
        assert_int_not_equal(nb_frame_framing(frames[i].type), 0);
        assert_string_not_equal(nb_frame_type_name(frames[i].type), "unknown");
        if (nb_frame_framing(frames[i].type) == 'f')
            assert_int_equal(nb_encoded_size(&frames[i]), 1 + nb_frame_fixed_len(frames[i].type));
    }
}

static void test_changes_board(void **st)
{
    (void)st;
    assert_true(nb_frame_changes_board(&(nb_frame){ .type = 'S' }));
    assert_true(nb_frame_changes_board(&(nb_frame){ .type = 'S', .u.seg.flags = NB_SEG_ERASER }));
    assert_false(nb_frame_changes_board(&(nb_frame){ .type = 'S', .u.seg.flags = NB_SEG_LASER }));
    assert_true(nb_frame_changes_board(&(nb_frame){ .type = 'U' }));
    assert_true(nb_frame_changes_board(&(nb_frame){ .type = 'R' }));
    assert_true(nb_frame_changes_board(&(nb_frame){ .type = 'C' }));
    assert_false(nb_frame_changes_board(&(nb_frame){ .type = 'K' }));
    assert_false(nb_frame_changes_board(&(nb_frame){ .type = 'M' }));
}

static void test_utf8(void **st)
{
    (void)st;
    static const struct { const char *s; size_t n; int ok; } v[] = {
        { "", 0, 1 },
        { "plain ascii text, longer than eight bytes", 41, 1 },
        { "\xc2\x80", 2, 1 },                       /* U+0080 */
        { "\xdf\xbf", 2, 1 },
        { "\xe0\xa0\x80", 3, 1 },                   /* U+0800 */
        { "\xed\x9f\xbf", 3, 1 },                   /* U+D7FF */
        { "\xee\x80\x80", 3, 1 },                   /* U+E000 */
        { "\xef\xbf\xbf", 3, 1 },
        { "\xf0\x90\x80\x80", 4, 1 },               /* U+10000 */
        { "\xf4\x8f\xbf\xbf", 4, 1 },               /* U+10FFFF */
        { "abcdefgh\xe2\x9c\x93xyz", 14, 1 },
        { "\0", 1, 0 },
        { "abcdefg\0ijklmnop", 16, 0 },             /* NUL found by the 8-byte path */
        { "\xc0\x80", 2, 0 },                       /* overlong NUL */
        { "\xc1\xbf", 2, 0 },
        { "\xe0\x9f\xbf", 3, 0 },                   /* overlong */
        { "\xf0\x8f\xbf\xbf", 4, 0 },               /* overlong */
        { "\xed\xa0\x80", 3, 0 },                   /* U+D800 */
        { "\xed\xbf\xbf", 3, 0 },                   /* U+DFFF */
        { "\xf4\x90\x80\x80", 4, 0 },               /* U+110000 */
        { "\xf5\x80\x80\x80", 4, 0 },
        { "\xff", 1, 0 },
        { "\x80", 1, 0 },
        { "\xe2\x9c", 2, 0 },                       /* truncated */
        { "\xe2\x28\xa1", 3, 0 },                   /* bad continuation */
        { "\xf0\x9f\x98", 3, 0 },
        { "abcdefgh\xf0\x9f\x98", 11, 0 },
    };
    for (size_t i = 0; i < NB_ARRAY_LEN(v); i++)
        if (nb_utf8_valid(v[i].s, v[i].n) != v[i].ok) fail_msg("utf8 vector %zu", i);
}

int main(void)
{
    n_frames = pv_frames(frames, PV_MAX_FRAMES);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_every_type),
        cmocka_unit_test(test_fields_decoded),
        cmocka_unit_test(test_every_split_position),
        cmocka_unit_test(test_byte_by_byte),
        cmocka_unit_test(test_concat_random_splits),
        cmocka_unit_test(test_malformed_table),
        cmocka_unit_test(test_limits_before_buffering),
        cmocka_unit_test(test_zeroed_decoder_and_empty_feed),
        cmocka_unit_test(test_encoder_refuses),
        cmocka_unit_test(test_names_and_framing),
        cmocka_unit_test(test_changes_board),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
