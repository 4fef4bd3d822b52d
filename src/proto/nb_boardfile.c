/* nb_boardfile.c — board file / journal writer and reader (see nb_boardfile.h). */
#include "nb_boardfile.h"

#include <errno.h>
#include <string.h>

#include "nb_common.h"
#include "nb_file.h"

int nb_boardfile_header(const char *board_name, uint8_t *out, size_t cap, char *err)
{
    NB_ASSERT(out || cap == 0);
    if (cap < NB_SIG_LEN) {
        nb_set_error(err, "board file header needs %d bytes, buffer holds %zu", NB_SIG_LEN, cap);
        return -1;
    }
    memcpy(out, NB_SIGNATURE, NB_SIG_LEN);
    if (!board_name) return NB_SIG_LEN;
    size_t nlen = strlen(board_name);
    if (nlen > NB_BOARD_NAME_MAX) {
        nb_set_error(err, "board name of %zu bytes exceeds %d", nlen, NB_BOARD_NAME_MAX);
        return -1;
    }
    nb_frame w = { .type = NB_FT_WELCOME, .text = board_name, .text_len = (uint32_t)nlen };
    int n = nb_encode(&w, out + NB_SIG_LEN, cap - NB_SIG_LEN, err);
    return n < 0 ? -1 : NB_SIG_LEN + n;
}

/* ---- writers: encode into a batch buffer, flush through fd or FILE* ---------------- */

typedef int (*flush_fn)(void *ctx, const uint8_t *p, size_t n, char *err);

static int flush_fd(void *ctx, const uint8_t *p, size_t n, char *err)
{
    int fd = *(const int *)ctx;
    if (nb_write_all(fd, p, n) == 0) return 0;
    nb_set_error(err, "board file write on fd %d: %s", fd, strerror(errno));
    return -1;
}

static int flush_file(void *ctx, const uint8_t *p, size_t n, char *err)
{
    if (n && fwrite(p, 1, n, (FILE *)ctx) != n) {
        nb_set_error(err, "board file write: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static int check_storable(const nb_frame *frames, size_t n, char *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!nb_frame_changes_board(&frames[i])) {
            nb_set_error(err, "frame %zu (%s) does not belong in a board file", i,
                         nb_frame_type_name(frames[i].type));
            return -1;
        }
        if (!nb_encoded_size(&frames[i]))
            return nb_encode(&frames[i], NULL, 0, err);   /* fills err with the reason */
    }
    return 0;
}

static int append_frames(flush_fn flush, void *ctx, const nb_frame *frames, size_t n, char *err)
{
    NB_ASSERT(frames || n == 0);
    if (check_storable(frames, n, err)) return -1;
    uint8_t batch[4096];
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t need = nb_encoded_size(&frames[i]);   /* storable frames are <= 21 bytes */
        if (used + need > sizeof batch) {
            if (flush(ctx, batch, used, err)) return -1;
            used = 0;
        }
        used += (size_t)nb_encode(&frames[i], batch + used, sizeof batch - used, NULL);
    }
    return flush(ctx, batch, used, err);
}

static int write_header(flush_fn flush, void *ctx, const char *board_name, char *err)
{
    uint8_t h[NB_BOARDFILE_HEADER_MAX];
    int n = nb_boardfile_header(board_name, h, sizeof h, err);
    return n < 0 ? -1 : flush(ctx, h, (size_t)n, err);
}

int nb_boardfile_write_header_fd(int fd, const char *board_name, char *err)
{
    return write_header(flush_fd, &fd, board_name, err);
}

int nb_boardfile_append_fd(int fd, const nb_frame *frames, size_t n, char *err)
{
    return append_frames(flush_fd, &fd, frames, n, err);
}

int nb_boardfile_write_header(FILE *fp, const char *board_name, char *err)
{
    NB_ASSERT(fp);
    return write_header(flush_file, fp, board_name, err);
}

int nb_boardfile_append(FILE *fp, const nb_frame *frames, size_t n, char *err)
{
    NB_ASSERT(fp);
    return append_frames(flush_file, fp, frames, n, err);
}

/* ---- reader --------------------------------------------------------------------- */

static int corrupt(nb_boardfile_reader *r, char *err, const char *why)
{
    nb_set_error(err, "board file corrupt at offset %zu: %s", r->valid, why);
    r->pos = r->len;
    r->dec.error = r->dec.error ? r->dec.error : NB_PERR_BAD_BODY;
    return NB_BF_CORRUPT;
}

/* Next frame of any type, with r->valid advanced past it. */
static int read_frame(nb_boardfile_reader *r, nb_frame *out, char *err)
{
    if (r->dec.error) {
        nb_set_error(err, "board file corrupt at offset %zu", r->valid);
        return NB_BF_CORRUPT;
    }
    while (r->pos < r->len) {
        size_t used = 0;
        char derr[NB_ERR_LEN] = "";
        int rc = nb_decoder_feed(&r->dec, r->data + r->pos, r->len - r->pos, &used, out, derr);
        if (rc == NB_DEC_ERROR) return corrupt(r, err, derr);
        r->pos += used;
        if (rc == NB_DEC_FRAME) {
            r->valid = r->pos;
            return NB_BF_FRAME;
        }
    }
    if (r->pos > r->valid) {
        nb_set_error(err, "board file torn: %zu bytes of an incomplete frame after offset %zu",
                     r->pos - r->valid, r->valid);
        return NB_BF_TORN;
    }
    return NB_BF_END;
}

int nb_boardfile_open(nb_boardfile_reader *r, const uint8_t *data, size_t len, char *err)
{
    NB_ASSERT(r && (data || len == 0));
    memset(r, 0, sizeof *r);
    nb_decoder_init(&r->dec, 0);
    r->data = data;
    r->len = len;
    size_t sig = NB_MIN(len, (size_t)NB_SIG_LEN);
    if (memcmp(data ? data : NB_SIGNATURE, NB_SIGNATURE, sig) != 0) {
        r->dec.error = NB_PERR_BAD_SIGNATURE;
        nb_set_error(err, "not a board file: bad signature");
        return NB_BF_CORRUPT;
    }
    if (len < NB_SIG_LEN) {
        nb_set_error(err, "board file torn: %zu of %d signature bytes", len, NB_SIG_LEN);
        return NB_BF_TORN;
    }
    r->pos = r->valid = NB_SIG_LEN;
    /* Peek at the first frame: a W names the board, anything else is left for next(). */
    if (r->pos < len && data[r->pos] == NB_FT_WELCOME) {
        nb_frame w;
        int rc = read_frame(r, &w, err);
        if (rc == NB_BF_FRAME) memcpy(r->name, w.text, w.text_len + 1);
        else if (rc != NB_BF_END) return rc;
    }
    return 0;
}

int nb_boardfile_next(nb_boardfile_reader *r, nb_frame *out, char *err)
{
    NB_ASSERT(r && out);
    int rc = read_frame(r, out, err);
    if (rc != NB_BF_FRAME) return rc;
    if (!nb_frame_changes_board(out)) {
        char why[NB_ERR_LEN];
        nb_set_error(why, "a %s frame does not belong in a board file",
                     nb_frame_type_name(out->type));
        r->valid -= nb_encoded_size(out);   /* report the offset of the bad frame */
        return corrupt(r, err, why);
    }
    r->frames++;
    return NB_BF_FRAME;
}

void nb_boardfile_close(nb_boardfile_reader *r)
{
    if (r) nb_decoder_free(&r->dec);
}
