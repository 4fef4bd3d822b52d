/* nb_decoder.c — the incremental NBP/1 decoder. Bytes may arrive split at any point; every
 * limit is checked before anything is buffered (a length prefix from its 4 bytes, a V
 * line at its 1025th byte), and the frame buffer grows with the bytes that actually
 * arrive, so a peer that announces 64 KiB and sends nothing costs nothing. Owns d->buf. */
#include "nb_proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb_common.h"
#include "nb_proto_priv.h"

/* ST_TYPE is 0 so that a zeroed decoder is a valid one without signature. */
enum { ST_TYPE = 0, ST_SIG, ST_LEN, ST_BODY, ST_LINE, ST_FAILED };

void nb_decoder_init(nb_decoder *d, int flags)
{
    NB_ASSERT(d);
    memset(d, 0, sizeof *d);
    d->flags = flags;
    d->state = (flags & NB_DEC_EXPECT_SIGNATURE) ? ST_SIG : ST_TYPE;
}

void nb_decoder_free(nb_decoder *d)
{
    if (!d) return;
    free(d->buf);
    d->buf = NULL;
    d->buf_cap = 0;
}

static int fail(nb_decoder *d, nb_proto_error code, char *err, const char *fmt, ...)
    NB_PRINTF(4, 5);
static int fail(nb_decoder *d, nb_proto_error code, char *err, const char *fmt, ...)
{
    if (err && fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, NB_ERR_LEN, fmt, ap);
        va_end(ap);
    }
    d->state = ST_FAILED;
    d->error = code;
    return NB_DEC_ERROR;
}

static char printable(uint8_t c) { return c >= 0x20 && c < 0x7f ? (char)c : '?'; }

/* Grow d->buf to hold `want` bytes, doubling from 64 but never past `limit` (>= want):
 * the buffer tracks the bytes received, not the length a peer announced. */
static int reserve(nb_decoder *d, uint32_t want, uint32_t limit)
{
    if (want <= d->buf_cap) return 0;
    uint32_t cap = d->buf_cap ? d->buf_cap : 64;
    while (cap < want) cap *= 2;
    if (cap > limit) cap = limit;
    uint8_t *p = realloc(d->buf, cap);
    if (!p) return -1;
    d->buf = p;
    d->buf_cap = cap;
    return 0;
}

/* Fixed bodies without text, decoded straight from wherever they are. */
static void parse_fixed(uint8_t t, const uint8_t *b, nb_frame *out)
{
    out->type = t;
    out->text = NULL;
    out->text_len = 0;
    switch (t) {
    case NB_FT_SEGMENT: {
        nb_segment *s = &out->u.seg;
        s->author = get16(b);
        s->stroke = get32(b + 2);
        s->x1 = get16(b + 6); s->y1 = get16(b + 8);
        s->x2 = get16(b + 10); s->y2 = get16(b + 12);
        s->rgba = get32(b + 14);
        s->width = b[18];
        s->flags = b[19];
        break;
    }
    case NB_FT_PING: case NB_FT_PONG: out->u.token = get64(b); break;
    case NB_FT_LEAVE: case NB_FT_CLEAR: out->u.peer.author = get16(b); break;
    case NB_FT_UNDO: case NB_FT_REDO:
        out->u.undo.author = get16(b);
        out->u.undo.stroke = get32(b + 2);
        break;
    case NB_FT_CURSOR:
        out->u.cursor.author = get16(b);
        out->u.cursor.x = get16(b + 2);
        out->u.cursor.y = get16(b + 4);
        out->u.cursor.flags = b[6];
        break;
    default: NB_ASSERT(!"not a fixed type without text");
    }
}

static int frame_done(nb_decoder *d)
{
    d->frames++;
    d->state = ST_TYPE;
    return NB_DEC_FRAME;
}

/* A body with text, complete in d->buf (d->have bytes, room for one more). */
static int finish_text(nb_decoder *d, nb_frame *out, char *err)
{
    const nb_frame_info *fi = nb_frame_info_get(d->type);
    uint8_t *b = d->buf;
    uint32_t n = d->have, off = fi->framing == 'p' ? fi->fixed : 0;
    memset(&out->u, 0, sizeof out->u);
    out->type = d->type;
    switch (d->type) {
    case NB_FT_CHAT_FIXED: {
        const uint8_t *nul = memchr(b, 0, n);
        uint32_t tl = nul ? (uint32_t)(nul - b) : n;
        for (uint32_t i = tl; i < n; i++)
            if (b[i])
                return fail(d, NB_PERR_BAD_TEXT, err,
                            "F padding byte %u is 0x%02x after the text's NUL at %u "
                            "(padding must be NUL)", i, b[i], tl);
        n = tl;
        break;
    }
    case NB_FT_HELLO:
        out->u.hello.version = b[0];
        out->u.hello.session = get64(b + 1);
        break;
    case NB_FT_WELCOME:
        out->u.welcome.author = get16(b);
        out->u.welcome.held = get64(b + 2);
        out->u.welcome.history = get32(b + 10);
        break;
    case NB_FT_CHAT_DELIVERED:
        out->u.chat.author = get16(b);
        out->u.chat.framing = b[2];
        break;
    case NB_FT_JOIN: out->u.peer.author = get16(b); break;
    case NB_FT_ERROR: out->u.error.code = get16(b); break;
    default: break;   /* V, M: text only */
    }
    b[n] = 0;
    out->text = (const char *)b + off;
    out->text_len = n - off;
    int code = nb_frame_check(out, err);
    if (code) return fail(d, code, NULL, NULL);
    return frame_done(d);
}

/* One step of the state machine on data[pos..len): advances *pos, returns a NB_DEC_*. */
static int step(nb_decoder *d, const uint8_t *data, size_t len, size_t *pos, nb_frame *out,
                char *err)
{
    size_t avail = len - *pos;
    const uint8_t *p = data + *pos;
    switch (d->state) {
    case ST_SIG:
        if (*p != NB_SIGNATURE[d->hdr_have]) {
            (*pos)++;
            return fail(d, NB_PERR_BAD_SIGNATURE, err,
                        "bad signature: byte %u is 0x%02x, expected 0x%02x", d->hdr_have, *p,
                        NB_SIGNATURE[d->hdr_have]);
        }
        (*pos)++;
        if (++d->hdr_have == NB_SIG_LEN) d->state = ST_TYPE;
        return NB_DEC_NEED_MORE;

    case ST_TYPE: {
        const nb_frame_info *fi = nb_frame_info_get(*p);
        (*pos)++;
        if (!fi)
            return fail(d, NB_PERR_UNKNOWN_TYPE, err, "unknown frame type 0x%02x ('%c')", *p,
                        printable(*p));
        d->type = *p;
        d->have = 0;
        d->hdr_have = 0;
        d->need = fi->fixed;
        d->state = fi->framing == 'f' ? ST_BODY : fi->framing == 'd' ? ST_LINE : ST_LEN;
        return NB_DEC_NEED_MORE;
    }

    case ST_LEN: {
        const nb_frame_info *fi = nb_frame_info_get(d->type);
        uint32_t n = (uint32_t)NB_MIN(avail, (size_t)(4 - d->hdr_have));
        memcpy(d->hdr + d->hdr_have, p, n);
        *pos += n;
        d->hdr_have += n;
        if (d->hdr_have < 4) return NB_DEC_NEED_MORE;
        uint32_t blen = get32(d->hdr), max = fi->fixed + fi->text_max;
        if (blen > max) {
            if (!fi->fixed)
                return fail(d, NB_PERR_TOO_LONG, err, "%c frame length %u exceeds %u", d->type,
                            blen, max);
            return fail(d, NB_PERR_TOO_LONG, err,
                        "%c frame length %u exceeds %u (%u bytes of fields + at most %u of text)",
                        d->type, blen, max, fi->fixed, fi->text_max);
        }
        if (blen < fi->fixed)
            return fail(d, NB_PERR_BAD_BODY, err,
                        "%c frame length %u is shorter than its %u bytes of fields", d->type, blen,
                        fi->fixed);
        d->need = blen;
        d->state = ST_BODY;
        if (blen) return NB_DEC_NEED_MORE;
        if (reserve(d, 1, 1)) return fail(d, NB_PERR_NO_MEMORY, err, "out of memory");
        return finish_text(d, out, err);   /* empty M */
    }

    case ST_BODY: {
        const nb_frame_info *fi = nb_frame_info_get(d->type);
        uint32_t want = d->need - d->have;
        if (!fi->has_text && d->have == 0 && avail >= want) {
            parse_fixed(d->type, p, out);  /* whole body in the input: no copy */
            *pos += want;
            return frame_done(d);
        }
        uint32_t n = (uint32_t)NB_MIN(avail, (size_t)want);
        if (reserve(d, d->have + n + 1, d->need + 1))
            return fail(d, NB_PERR_NO_MEMORY, err, "out of memory for a %u-byte %c body",
                        d->need, d->type);
        memcpy(d->buf + d->have, p, n);
        d->have += n;
        *pos += n;
        if (d->have < d->need) return NB_DEC_NEED_MORE;
        if (fi->has_text) return finish_text(d, out, err);
        parse_fixed(d->type, d->buf, out);
        return frame_done(d);
    }

    case ST_LINE: {
        /* Look at most at the bytes that may still legally precede '\n', plus one. */
        size_t room = NB_VAR_MAX + 1 - d->have, n = NB_MIN(avail, room);
        const uint8_t *nl = memchr(p, '\n', n);
        uint32_t take = (uint32_t)(nl ? (size_t)(nl - p) : n);
        if (!nl && d->have + take > NB_VAR_MAX) {
            *pos += take;
            return fail(d, NB_PERR_LINE_TOO_LONG, err,
                        "V line exceeds %d bytes without '\\n'", NB_VAR_MAX);
        }
        if (reserve(d, d->have + take + 1, NB_VAR_MAX + 1))
            return fail(d, NB_PERR_NO_MEMORY, err, "out of memory for a V line");
        memcpy(d->buf + d->have, p, take);
        d->have += take;
        *pos += take;
        if (!nl) return NB_DEC_NEED_MORE;
        (*pos)++;
        return finish_text(d, out, err);
    }

    default:
        NB_ASSERT(!"bad decoder state");
        return NB_DEC_ERROR;
    }
}

int nb_decoder_feed(nb_decoder *d, const uint8_t *data, size_t len, size_t *consumed,
                    nb_frame *out, char *err)
{
    NB_ASSERT(d && consumed && out && (data || len == 0));
    if (d->state == ST_FAILED) {
        *consumed = 0;
        nb_set_error(err, "decoder already failed (%s)", nb_proto_error_name(d->error));
        return NB_DEC_ERROR;
    }
    /* Hot path: a whole text-less fixed frame at the start of the input (a stream of
     * segments) is decoded in place without touching the state machine. */
    if (d->state == ST_TYPE && len) {
        const nb_frame_info *fi = &nb_frame_table[data[0]];
        if (fi->framing == 'f' && !fi->has_text && len > fi->fixed) {
            parse_fixed(data[0], data + 1, out);
            *consumed = 1 + (size_t)fi->fixed;
            d->bytes += *consumed;
            d->frames++;
            return NB_DEC_FRAME;
        }
    }
    size_t pos = 0;
    int rc = NB_DEC_NEED_MORE;
    while (rc == NB_DEC_NEED_MORE && pos < len)
        rc = step(d, data, len, &pos, out, err);
    *consumed = pos;
    d->bytes += pos;
    return rc;
}
