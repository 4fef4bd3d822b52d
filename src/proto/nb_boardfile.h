/* nb_boardfile.h — board files, and the building blocks of the server's journal: a file
 * is NB_SIGNATURE followed by the board's history as NBP/1 frames (only frames for which
 * nb_frame_changes_board is true: S without laser, U, R, C), optionally led by one W frame
 * whose text is the board name (its numeric fields are written as 0 and ignored).
 * Writers append encoded frames to a FILE* or an fd; the reader takes a buffer, yields
 * frames through the decoder and reports a torn last frame with the number of valid
 * bytes, so a journal can be truncated there and appended to. Owns nothing beyond the
 * reader's decoder buffer; fsync policy belongs to the caller. */
#ifndef NB_BOARDFILE_H
#define NB_BOARDFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nb_proto.h"

/* Largest header: signature + W frame with a 64-byte board name. */
#define NB_BOARDFILE_HEADER_MAX (NB_SIG_LEN + 1 + 4 + 14 + NB_BOARD_NAME_MAX)

/* Encode the header (signature, then a W frame if board_name is not NULL) into out[cap].
 * Returns the byte count, or -1 with `err` (name over 64 bytes or not UTF-8, cap short). */
int nb_boardfile_header(const char *board_name, uint8_t *out, size_t cap, char *err);

/* Write the header / append n frames. Frames are encoded in batches, so n segments cost
 * about n*21/4096 writes. Refuses (-1, nothing written) if any frame can't be stored.
 * The fd variants retry short writes and EINTR; the FILE* variants leave flushing to the
 * caller. 0 or -1 with `err`. */
int nb_boardfile_write_header_fd(int fd, const char *board_name, char *err);
int nb_boardfile_append_fd(int fd, const nb_frame *frames, size_t n, char *err);
int nb_boardfile_write_header(FILE *fp, const char *board_name, char *err);
int nb_boardfile_append(FILE *fp, const nb_frame *frames, size_t n, char *err);

/* Reader results. */
enum {
    NB_BF_END = 0,        /* clean end: every byte belonged to a whole frame */
    NB_BF_FRAME = 1,      /* a frame in *out (valid until the next call) */
    NB_BF_CORRUPT = -1,   /* bad signature, a malformed frame or one that can't be stored */
    NB_BF_TORN = -2,      /* the data ends inside a frame (or the signature) */
};

typedef struct nb_boardfile_reader {
    /* private */
    const uint8_t *data;
    size_t len, pos;
    nb_decoder dec;
    /* public */
    size_t valid;          /* bytes of the file that are whole: truncate a torn journal here */
    uint64_t frames;       /* history frames returned so far (the W is not counted) */
    char name[NB_BOARD_NAME_MAX + 1];  /* board name from the leading W, "" if none */
} nb_boardfile_reader;

/* Checks the signature and reads a leading W (board name). The buffer must outlive the
 * reader. Returns 0, NB_BF_TORN or NB_BF_CORRUPT (with `err`; r->valid is set either way
 * and r must still be closed). */
int nb_boardfile_open(nb_boardfile_reader *r, const uint8_t *data, size_t len, char *err);

/* Next history frame: NB_BF_FRAME, NB_BF_END, NB_BF_TORN or NB_BF_CORRUPT (sticky, with
 * `err` giving the byte offset). */
int nb_boardfile_next(nb_boardfile_reader *r, nb_frame *out, char *err);

void nb_boardfile_close(nb_boardfile_reader *r);

#endif
