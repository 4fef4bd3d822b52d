/* proto_sink.h — test helper: feeds bytes to a decoder and re-encodes every frame it
 * yields into a growing buffer. The encoding is canonical, so a correct decoder turns
 * any valid stream into exactly its own bytes (minus the signature). */
#ifndef PROTO_SINK_H
#define PROTO_SINK_H

#include <stdlib.h>
#include <string.h>

#include "nb_common.h"
#include "nb_proto.h"

typedef struct proto_sink {
    uint8_t *buf;
    size_t len, cap, frames;
    int bad_reencode;      /* a decoded frame that the encoder refused */
} proto_sink;

static inline void sink_append(proto_sink *s, const nb_frame *f)
{
    size_t n = nb_encoded_size(f);
    if (!n) { s->bad_reencode++; return; }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        while (cap < s->len + n) cap *= 2;
        uint8_t *p = realloc(s->buf, cap);
        if (!p) abort();
        s->buf = p;
        s->cap = cap;
    }
    if (nb_encode(f, s->buf + s->len, n, NULL) != (int)n) { s->bad_reencode++; return; }
    s->len += n;
    s->frames++;
}

/* Feeds all of p[0..n); returns NB_DEC_NEED_MORE, or NB_DEC_ERROR at the first error. */
static inline int sink_feed(proto_sink *s, nb_decoder *d, const uint8_t *p, size_t n, char *err)
{
    size_t guard = n + 2;   /* every call that returns a frame consumes >= 1 byte */
    while (guard--) {
        size_t used = 0;
        nb_frame f;
        int rc = nb_decoder_feed(d, p, n, &used, &f, err);
        if (rc == NB_DEC_ERROR) return rc;
        if (used > n) abort();
        p += used;
        n -= used;
        if (rc == NB_DEC_FRAME) sink_append(s, &f);
        else if (n == 0) return NB_DEC_NEED_MORE;
        else abort();   /* NEED_MORE must consume everything */
    }
    abort();
}

static inline void sink_free(proto_sink *s) { free(s->buf); memset(s, 0, sizeof *s); }

#endif
