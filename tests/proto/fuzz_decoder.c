/* fuzz_decoder.c — libFuzzer harness for every buffer parser of the proto layer. The
 * first input byte picks the decoder flags (bit 0: expect the signature) and how the rest
 * is split into feed calls (bits 1-7: 0 = one call, s = chunks of 1..s bytes driven by
 * the data). Invariants, checked with NB_ASSERT (aborts in every build):
 *   - consumed <= len; NEED_MORE consumed everything; errors are sticky and set d->error;
 *   - every frame re-encodes to exactly the bytes it was decoded from (the encoding is
 *     canonical), and that encoding decodes in one call to the same frame;
 *   - nb_linebuf yields NUL-terminated lines of <= 1024 bytes without '\n';
 *   - the board file reader terminates with valid <= len.
 * Also compiled into test_fuzz_corpus, which runs it over the test vectors. */
#include <stdlib.h>
#include <string.h>

#include "nb_boardfile.h"
#include "nb_common.h"
#include "nb_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t chunk_len(const uint8_t *in, size_t pos, size_t len, unsigned s)
{
    size_t c = s ? 1 + (size_t)((in[pos] ^ s) % s) : len - pos;
    return NB_MIN(c, len - pos);
}

/* encode(f) must equal `orig` and decode back to itself in one call. */
static void check_reencode(const nb_frame *f, const uint8_t *orig, size_t orig_len)
{
    size_t n = nb_encoded_size(f);
    NB_ASSERT(n == orig_len);
    uint8_t *b = malloc(n), *b2 = malloc(n);
    NB_ASSERT(b && b2);
    char err[NB_ERR_LEN] = "";
    NB_ASSERT(nb_encode(f, b, n, err) == (int)n);
    NB_ASSERT(memcmp(b, orig, n) == 0);
    nb_decoder d;
    nb_decoder_init(&d, 0);
    nb_frame g;
    size_t used = 0;
    NB_ASSERT(nb_decoder_feed(&d, b, n, &used, &g, err) == NB_DEC_FRAME && used == n);
    NB_ASSERT(nb_encode(&g, b2, n, err) == (int)n && memcmp(b, b2, n) == 0);
    nb_decoder_free(&d);
    free(b);
    free(b2);
}

static void fuzz_decoder(const uint8_t *in, size_t len, int flags, unsigned s)
{
    nb_decoder d;
    nb_decoder_init(&d, flags);
    size_t pos = 0, frame_start = (flags & NB_DEC_EXPECT_SIGNATURE) ? NB_SIG_LEN : 0;
    size_t guard = 2 * len + 2;
    int rc = NB_DEC_NEED_MORE;
    char err[NB_ERR_LEN];
    while (pos < len && guard--) {
        size_t c = chunk_len(in, pos, len, s), used = 0;
        nb_frame f;
        err[0] = '\0';
        rc = nb_decoder_feed(&d, in + pos, c, &used, &f, err);
        if (rc == NB_DEC_ERROR) break;
        NB_ASSERT(used <= c);
        pos += used;
        NB_ASSERT(d.bytes == pos);
        if (rc == NB_DEC_FRAME) {
            NB_ASSERT(pos > frame_start);
            check_reencode(&f, in + frame_start, pos - frame_start);
            frame_start = pos;
        } else {
            NB_ASSERT(used == c);
        }
    }
    NB_ASSERT(rc == NB_DEC_ERROR || pos == len);
    if (rc == NB_DEC_ERROR) {
        NB_ASSERT(d.error != NB_PERR_NONE && err[0] != '\0');
        nb_frame f;
        size_t used = 1;
        NB_ASSERT(nb_decoder_feed(&d, in, len, &used, &f, NULL) == NB_DEC_ERROR && used == 0);
    }
    nb_decoder_free(&d);
}

static void fuzz_linebuf(const uint8_t *in, size_t len, unsigned s)
{
    nb_linebuf lb;
    nb_linebuf_init(&lb);
    size_t pos = 0, guard = 2 * len + 2;
    while (pos < len && guard--) {
        size_t c = chunk_len(in, pos, len, s), used = 0;
        const char *line = NULL;
        uint32_t n = 0;
        int rc = nb_linebuf_feed(&lb, in + pos, c, &used, &line, &n);
        NB_ASSERT(used <= c && (rc != 0 || used == c));
        if (rc == 1) NB_ASSERT(n <= NB_RAW_LINE_MAX && line[n] == '\0' && !memchr(line, '\n', n));
        pos += used;
    }
    NB_ASSERT(pos == len);
}

static void fuzz_boardfile(const uint8_t *in, size_t len)
{
    nb_boardfile_reader r;
    char err[NB_ERR_LEN];
    int rc = nb_boardfile_open(&r, in, len, err);
    nb_frame f;
    for (size_t guard = 0; rc == 0 && guard <= len; guard++) {
        int n = nb_boardfile_next(&r, &f, err);
        if (n != NB_BF_FRAME) break;
        NB_ASSERT(nb_frame_changes_board(&f));
    }
    NB_ASSERT(r.valid <= len);
    nb_boardfile_close(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int flags = (data[0] & 1) ? NB_DEC_EXPECT_SIGNATURE : 0;
    unsigned s = data[0] >> 1;
    fuzz_decoder(data + 1, size - 1, flags, s);
    fuzz_linebuf(data + 1, size - 1, s);
    fuzz_boardfile(data + 1, size - 1);
    return 0;
}
