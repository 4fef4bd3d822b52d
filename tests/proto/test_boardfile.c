/* test_boardfile.c — board files: FILE* and fd writers, reader round trip, every torn
 * tail length, corrupt files and frames that don't belong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "nb_boardfile.h"
#include "proto_vectors.h"

static const nb_frame history[] = {
    { .type = 'S', .u.seg = { 1, 10, 100, 200, 300, 400, 0xff0000ffu, 4, 0 } },
    { .type = 'S', .u.seg = { 2, 11, 5, 6, 7, 8, 0x00ff00ffu, 30, NB_SEG_ERASER } },
    { .type = 'U', .u.undo = { 1, 10 } },
    { .type = 'R', .u.undo = { 1, 10 } },
    { .type = 'C', .u.peer = { 2 } },
    { .type = 'S', .u.seg = { 3, 12, 65535, 65535, 0, 0, 0x000000ffu, 1, 0 } },
};
#define N_HISTORY (sizeof history / sizeof history[0])

static uint8_t *slurp(FILE *fp, size_t *len)
{
    assert_int_equal(fflush(fp), 0);
    long n = ftell(fp);
    assert_true(n >= 0);
    uint8_t *b = malloc((size_t)n + 1);
    assert_non_null(b);
    rewind(fp);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    *len = (size_t)n;
    return b;
}

/* Reads everything; returns the final result code and the frame count in *frames. */
static int read_all(const uint8_t *b, size_t len, nb_boardfile_reader *r, size_t *frames,
                    char *err)
{
    *frames = 0;
    int rc = nb_boardfile_open(r, b, len, err);
    if (rc) return rc;
    nb_frame f;
    for (size_t guard = 0; guard <= len; guard++) {
        rc = nb_boardfile_next(r, &f, err);
        if (rc != NB_BF_FRAME) return rc;
        if (*frames < N_HISTORY) assert_true(pv_frames_equal(&f, &history[*frames]));
        (*frames)++;
    }
    fail_msg("reader did not terminate");
    return 0;
}

static void test_roundtrip_file(void **st)
{
    (void)st;
    char err[NB_ERR_LEN] = "";
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(nb_boardfile_write_header(fp, "Main board \xe2\x9c\x93", err), 0);
    assert_int_equal(nb_boardfile_append(fp, history, 3, err), 0);
    assert_int_equal(nb_boardfile_append(fp, history + 3, N_HISTORY - 3, err), 0);
    size_t len, frames;
    uint8_t *b = slurp(fp, &len);
    assert_memory_equal(b, NB_SIGNATURE, NB_SIG_LEN);
    nb_boardfile_reader r;
    assert_int_equal(read_all(b, len, &r, &frames, err), NB_BF_END);
    assert_int_equal(frames, N_HISTORY);
    assert_int_equal(r.frames, N_HISTORY);
    assert_string_equal(r.name, "Main board \xe2\x9c\x93");
    assert_int_equal(r.valid, len);
    nb_boardfile_close(&r);
    free(b);
    fclose(fp);
}

static void test_roundtrip_fd_batches(void **st)
{
    (void)st;
    char err[NB_ERR_LEN] = "";
    FILE *fp = tmpfile();
    assert_non_null(fp);
    int fd = fileno(fp);
    enum { N = 5000 };   /* 105 000 bytes: many 4 KiB batches */
    nb_frame *segs = calloc(N, sizeof *segs);
    assert_non_null(segs);
    for (int i = 0; i < N; i++)
        segs[i] = (nb_frame){ .type = 'S', .u.seg = { 1, (uint32_t)i, (uint16_t)i, 1, 2, 3, 4, 5, 0 } };
    assert_int_equal(nb_boardfile_write_header_fd(fd, NULL, err), 0);
    assert_int_equal(nb_boardfile_append_fd(fd, segs, N, err), 0);
    off_t end = lseek(fd, 0, SEEK_END);
    assert_int_equal(end, NB_SIG_LEN + N * 21);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    size_t len;
    uint8_t *b = slurp(fp, &len);
    nb_boardfile_reader r;
    assert_int_equal(nb_boardfile_open(&r, b, len, err), 0);
    assert_string_equal(r.name, "");
    nb_frame f;
    for (int i = 0; i < N; i++) {
        assert_int_equal(nb_boardfile_next(&r, &f, err), NB_BF_FRAME);
        assert_int_equal(f.u.seg.stroke, (uint32_t)i);
    }
    assert_int_equal(nb_boardfile_next(&r, &f, err), NB_BF_END);
    nb_boardfile_close(&r);
    free(b);
    free(segs);
    fclose(fp);
}

static void test_torn_tail_every_length(void **st)
{
    (void)st;
    char err[NB_ERR_LEN] = "";
    uint8_t b[512];
    int n = nb_boardfile_header("torn", b, sizeof b, err);
    assert_true(n > NB_SIG_LEN);
    size_t bounds[N_HISTORY + 2], nb = 0, len = (size_t)n;
    bounds[nb++] = NB_SIG_LEN;
    bounds[nb++] = len;   /* after the W */
    for (size_t i = 0; i < N_HISTORY; i++) {
        len += (size_t)nb_encode(&history[i], b + len, sizeof b - len, err);
        bounds[nb++] = len;
    }
    for (size_t cut = 0; cut <= len; cut++) {
        nb_boardfile_reader r;
        size_t frames;
        int rc = read_all(b, cut, &r, &frames, err);
        size_t last = 0, whole = 0;
        for (size_t k = 0; k < nb; k++)
            if (bounds[k] <= cut) last = bounds[k], whole = k >= 2 ? k - 1 : 0;
        int at_boundary = last == cut && cut >= NB_SIG_LEN;   /* empty file: torn */
        if (rc != (at_boundary ? NB_BF_END : NB_BF_TORN))
            fail_msg("cut %zu: rc %d (%s)", cut, rc, err);
        assert_int_equal(r.valid, last);
        assert_int_equal(frames, whole);
        if (!at_boundary) assert_non_null(strstr(err, "torn"));
        nb_boardfile_close(&r);
    }
}

static void expect_corrupt(const uint8_t *b, size_t len, size_t valid, const char *part)
{
    char err[NB_ERR_LEN] = "";
    nb_boardfile_reader r;
    size_t frames;
    assert_int_equal(read_all(b, len, &r, &frames, err), NB_BF_CORRUPT);
    if (!strstr(err, part)) fail_msg("message \"%s\" lacks \"%s\"", err, part);
    assert_int_equal(r.valid, valid);
    nb_frame f;
    assert_int_equal(nb_boardfile_next(&r, &f, err), NB_BF_CORRUPT);   /* sticky */
    nb_boardfile_close(&r);
}

static void test_corrupt(void **st)
{
    (void)st;
    expect_corrupt((const uint8_t *)"GIF89a", 6, 0, "signature");
    expect_corrupt((const uint8_t *)"\x89NX", 3, 0, "signature");
    /* signature, one S, then an M chat frame (valid NBP/1 but not board history) */
    uint8_t b[128];
    memcpy(b, NB_SIGNATURE, NB_SIG_LEN);
    size_t len = NB_SIG_LEN;
    len += (size_t)nb_encode(&history[0], b + len, sizeof b - len, NULL);
    size_t good = len;
    len += (size_t)nb_encode(&(nb_frame){ .type = 'M', .text = "hi", .text_len = 2 }, b + len,
                             sizeof b - len, NULL);
    expect_corrupt(b, len, good, "chat/mix");
    /* a laser segment */
    len = good + (size_t)nb_encode(&(nb_frame){ .type = 'S', .u.seg.flags = NB_SEG_LASER },
                                   b + good, sizeof b - good, NULL);
    expect_corrupt(b, len, good, "segment");
    /* garbage type byte */
    b[good] = 'Z';
    expect_corrupt(b, good + 1, good, "unknown frame type");
    /* a second W after history */
    len = good + (size_t)nb_encode(&(nb_frame){ .type = 'W', .text = "x", .text_len = 1 },
                                   b + good, sizeof b - good, NULL);
    expect_corrupt(b, len, good, "welcome");
}

static void test_writer_refuses(void **st)
{
    (void)st;
    char err[NB_ERR_LEN] = "";
    FILE *fp = tmpfile();
    assert_non_null(fp);
    nb_frame bad[] = {
        history[0],
        { .type = 'S', .u.seg.flags = NB_SEG_LASER },
    };
    assert_int_equal(nb_boardfile_append(fp, bad, 2, err), -1);
    assert_non_null(strstr(err, "frame 1 (segment)"));
    nb_frame chat = { .type = 'M', .text = "x", .text_len = 1 };
    assert_int_equal(nb_boardfile_append(fp, &chat, 1, err), -1);
    assert_int_equal(ftell(fp), 0);   /* nothing written */
    char name[NB_BOARD_NAME_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    assert_int_equal(nb_boardfile_write_header(fp, name, err), -1);
    assert_non_null(strstr(err, "65 bytes exceeds 64"));
    assert_int_equal(nb_boardfile_write_header(fp, "bad \xff", err), -1);
    assert_int_equal(ftell(fp), 0);
    uint8_t small[3];
    assert_int_equal(nb_boardfile_header(NULL, small, sizeof small, err), -1);
    /* a write error is reported with its reason */
    assert_int_equal(nb_boardfile_append_fd(-1, history, 1, err), -1);
    assert_non_null(strstr(err, "fd -1"));
    fclose(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_file),
        cmocka_unit_test(test_roundtrip_fd_batches),
        cmocka_unit_test(test_torn_tail_every_length),
        cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_writer_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
