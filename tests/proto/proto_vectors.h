/* proto_vectors.h — NBP/1 test vectors shared by the codec tests and the fuzz corpus:
 * one or more valid frames of every type (edges: empty and maximal text, multi-byte
 * UTF-8) and malformed byte strings with the error each must produce. */
#ifndef PROTO_VECTORS_H
#define PROTO_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "nb_proto.h"

/* Fills `out` with the valid sample frames (texts point to static storage) and returns
 * how many; `cap` must be at least PV_MAX_FRAMES. */
#define PV_MAX_FRAMES 40
size_t pv_frames(nb_frame *out, size_t cap);

typedef struct pv_bad {
    const char *what;
    const uint8_t *bytes;
    size_t len;
    int flags;                 /* decoder flags (NB_DEC_EXPECT_SIGNATURE) */
    nb_proto_error error;      /* expected d->error */
    const char *msg_part;      /* substring expected in the error message, or NULL */
} pv_bad;

/* The malformed-input table; returns its length. */
size_t pv_bad_inputs(const pv_bad **out);

/* 1 if a and b encode to the same bytes (the encoding is canonical). */
int pv_frames_equal(const nb_frame *a, const nb_frame *b);

#endif
