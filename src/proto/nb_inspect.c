/* nb_inspect.c — byte roles and field breakdown of encoded frames, and the capture ring.
 * The framing comes from the codec's own table (nb_proto_priv.h), the field names from
 * a small table here, so the inspector can't disagree with the encoder about lengths. */
#include "nb_inspect.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nb_proto_priv.h"

/* Binary fields of each type, in wire order: fixed bodies, or the fields that come
 * before the text of prefixed frames. Sizes add up to nb_frame_table[type].fixed. */
typedef struct field_def { const char *name; uint8_t size; } field_def;
typedef struct type_fields { uint8_t type; field_def f[9]; } type_fields;

static const type_fields fields_table[] = {
    { 'S', { { "author", 2 }, { "stroke", 4 }, { "x1", 2 }, { "y1", 2 }, { "x2", 2 },
             { "y2", 2 }, { "rgba", 4 }, { "width", 1 }, { "flags", 1 } } },
    { 'P', { { "token", 8 } } },
    { 'Q', { { "token", 8 } } },
    { 'L', { { "author", 2 } } },
    { 'C', { { "author", 2 } } },
    { 'U', { { "author", 2 }, { "stroke", 4 } } },
    { 'R', { { "author", 2 }, { "stroke", 4 } } },
    { 'K', { { "author", 2 }, { "x", 2 }, { "y", 2 }, { "flags", 1 } } },
    { 'H', { { "version", 1 }, { "session", 8 } } },
    { 'W', { { "author", 2 }, { "held", 8 }, { "history", 4 } } },
    { 'T', { { "author", 2 }, { "framing", 1 } } },
    { 'J', { { "author", 2 } } },
    { 'E', { { "code", 2 } } },
};

static const field_def *fields_of(uint8_t type)
{
    for (size_t i = 0; i < NB_ARRAY_LEN(fields_table); i++)
        if (fields_table[i].type == type) return fields_table[i].f;
    return NULL;
}

typedef struct layout_out {
    nb_inspect_field *f;
    int n, max;
    size_t len;            /* bytes available */
} layout_out;

/* Adds [off, off + size) cut at the available length; empty pieces are skipped. */
static void add(layout_out *o, const char *name, uint64_t off, uint64_t size, int role)
{
    if (off >= o->len || size == 0 || o->n >= o->max) return;
    uint64_t end = NB_MIN(off + size, (uint64_t)o->len);
    o->f[o->n++] = (nb_inspect_field){ name, (uint32_t)off, (uint32_t)(end - off), role };
}

/* Named binary fields from `off` up to `limit` (the body may be shorter than the table
 * says in a malformed prefixed frame). Returns the offset after them. */
static uint64_t add_defs(layout_out *o, const field_def *defs, size_t ndefs, uint64_t off, uint64_t limit)
{
    for (size_t i = 0; defs && i < ndefs && defs[i].name && off < limit; i++) {
        uint64_t sz = NB_MIN((uint64_t)defs[i].size, limit - off);
        add(o, defs[i].name, off, sz, NB_INSPECT_BODY);
        off += sz;
    }
    return off;
}

/* The whole breakdown; returns the frame's total length, 0 if the bytes don't tell. */
static uint64_t layout(const uint8_t *b, size_t len, layout_out *o)
{
    if (len == 0) return 0;
    add(o, "type", 0, 1, NB_INSPECT_TYPE);
    const nb_frame_info *fi = nb_frame_info_get(b[0]);
    uint64_t total = 0;
    if (!fi) {
        add(o, "unknown", 1, len - 1, NB_INSPECT_EXTRA);
        return 0;
    }
    const field_def *defs = fields_of(b[0]);
    if (b[0] == NB_FT_CHAT_FIXED) {
        uint64_t text = 0;
        while (text < fi->fixed && 1 + text < len && b[1 + text] != 0) text++;
        total = 1 + (uint64_t)fi->fixed;
        if (1 + text == len && text < fi->fixed) text = fi->fixed;   /* cut before any NUL */
        add(o, "text", 1, text, NB_INSPECT_TEXT);
        add(o, "padding", 1 + text, fi->fixed - text, NB_INSPECT_PADDING);
    } else if (fi->framing == 'f') {
        total = 1 + (uint64_t)fi->fixed;
        add_defs(o, defs, 9, 1, total);
    } else if (fi->framing == 'd') {
        const uint8_t *nl = len > 1 ? memchr(b + 1, '\n', len - 1) : NULL;
        uint64_t text = nl ? (uint64_t)(nl - (b + 1)) : len - 1;
        add(o, "text", 1, text, NB_INSPECT_TEXT);
        if (nl) {
            add(o, "delim", 1 + text, 1, NB_INSPECT_DELIM);
            total = 2 + text;
        }
    } else {
        add(o, "length", 1, 4, NB_INSPECT_LENGTH);
        /* Without the whole header the body's end is unknown: show what is there. */
        uint64_t body = len >= 5 ? get32(b + 1) : (uint64_t)len;
        uint64_t end = 5 + body;
        uint64_t off = add_defs(o, defs, 9, 5, end);
        add(o, "text", off, end > off ? end - off : 0, NB_INSPECT_TEXT);
        if (len >= 5) total = end;
    }
    if (total) add(o, "extra", total, len > total ? len - total : 0, NB_INSPECT_EXTRA);
    return total;
}

int nb_inspect_fields(const uint8_t *bytes, size_t len, nb_inspect_field *out, int max)
{
    NB_ASSERT((bytes || len == 0) && (out || max == 0) && max >= 0);
    layout_out o = { out, 0, max, len };
    layout(bytes, len, &o);
    return o.n;
}

size_t nb_inspect_roles(const uint8_t *bytes, size_t len, uint8_t *roles)
{
    NB_ASSERT((bytes && roles) || len == 0);
    nb_inspect_field f[16];
    layout_out o = { f, 0, (int)NB_ARRAY_LEN(f), len };
    uint64_t total = layout(bytes, len, &o);
    if (len) memset(roles, NB_INSPECT_EXTRA, len);
    for (int i = 0; i < o.n; i++) memset(roles + f[i].offset, f[i].role, f[i].size);
    return total > SIZE_MAX ? 0 : (size_t)total;
}

const char *nb_inspect_role_name(int role)
{
    static const char *const names[] = { "?", "type", "length", "field", "text", "delim",
                                         "padding", "extra" };
    return role >= 0 && (size_t)role < NB_ARRAY_LEN(names) ? names[role] : "?";
}

/* ---- capture ring ------------------------------------------------------------------ */

struct nb_capture {
    pthread_mutex_t lock;          /* guards everything below */
    nb_capture_entry ring[NB_CAPTURE_ENTRIES];
    uint64_t seq;                  /* entries pushed so far */
};

nb_capture *nb_capture_create(void)
{
    nb_capture *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void nb_capture_destroy(nb_capture *c)
{
    if (!c) return;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Keeps the first `kept` bytes of a frame of `size` bytes. */
static void push_bytes(nb_capture *c, int dir, uint64_t time_ms, const uint8_t *frame,
                       size_t kept, size_t size)
{
    nb_capture_entry e = { .time_ms = time_ms, .dir = (uint8_t)dir, .type = frame[0] };
    e.size = (uint32_t)NB_MIN(size, (size_t)UINT32_MAX);
    e.len = (uint8_t)NB_MIN(kept, (size_t)NB_CAPTURE_BYTES);
    memcpy(e.bytes, frame, e.len);
    pthread_mutex_lock(&c->lock);
    e.seq = ++c->seq;
    c->ring[(e.seq - 1) % NB_CAPTURE_ENTRIES] = e;
    pthread_mutex_unlock(&c->lock);
}

void nb_capture_push(nb_capture *c, int dir, uint64_t time_ms, const uint8_t *frame, size_t len)
{
    NB_ASSERT(c && frame && len > 0);
    push_bytes(c, dir, time_ms, frame, len, len);
}

void nb_capture_push_frame(nb_capture *c, int dir, uint64_t time_ms, const nb_frame *f)
{
    NB_ASSERT(c && f);
    size_t n = nb_encoded_size(f);
    if (n == 0) return;
    /* Small frames (all but long chat) encode on the stack; long ones need the heap
     * because the encoder writes whole frames, and only the first 96 bytes are kept. */
    uint8_t small[NB_CAPTURE_BYTES];
    uint8_t *buf = n <= sizeof small ? small : malloc(n);
    if (!buf) return;
    if (nb_encode(f, buf, n, NULL) > 0) push_bytes(c, dir, time_ms, buf, n, n);
    if (buf != small) free(buf);
}

size_t nb_capture_snapshot(nb_capture *c, nb_capture_entry out[NB_CAPTURE_ENTRIES], uint64_t *seq)
{
    NB_ASSERT(c && out);
    pthread_mutex_lock(&c->lock);
    uint64_t last = c->seq;
    size_t n = (size_t)NB_MIN(last, (uint64_t)NB_CAPTURE_ENTRIES);
    for (size_t i = 0; i < n; i++) out[i] = c->ring[(last - n + i) % NB_CAPTURE_ENTRIES];
    pthread_mutex_unlock(&c->lock);
    if (seq) *seq = last;
    return n;
}
