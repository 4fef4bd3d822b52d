/* nb_inspect.h — the packet inspector's two halves: a pure classifier that says what
 * each byte of an encoded NBP/1 frame is (type, length header, field, text, '\n', NUL
 * padding) with a named field breakdown, and `nb_capture`, a ring of the last 64 frames
 * sent and received (direction, time, type, size, first 96 bytes).
 *
 * DESIGN: a capture is written by the client's net thread (nb_capture_push*) and read
 * by the render thread (nb_capture_snapshot); one mutex guards the ring, held only for
 * a memcpy of one entry on push and of the whole ring (~7 KB) on snapshot. */
#ifndef NB_INSPECT_H
#define NB_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "nb_proto.h"

/* Byte roles. */
enum {
    NB_INSPECT_TYPE = 1,   /* the type byte */
    NB_INSPECT_LENGTH,     /* u32 length header of prefixed frames */
    NB_INSPECT_BODY,       /* a binary field */
    NB_INSPECT_TEXT,       /* UTF-8 text */
    NB_INSPECT_DELIM,      /* the '\n' ending a V */
    NB_INSPECT_PADDING,    /* NUL padding after F text */
    NB_INSPECT_EXTRA,      /* past the end of the frame, or after an unknown type byte */
};

/* Classify bytes[0..len) as (a prefix of) one frame starting at bytes[0]; roles[i] gets
 * the role of bytes[i]. Works on truncated captures. Returns the frame's full encoded
 * length as far as the bytes tell (0 if unknown: unknown type, a prefixed header or a V
 * delimiter not within len). */
size_t nb_inspect_roles(const uint8_t *bytes, size_t len, uint8_t *roles);

/* Short name of a role ("type", "length", "field", "text", "delim", "padding", "extra"). */
const char *nb_inspect_role_name(int role);

/* A named field of a frame: bytes [offset, offset + size) of the encoding. */
typedef struct nb_inspect_field {
    const char *name;      /* "author", "stroke", "x1", ... "length", "text" */
    uint32_t offset, size;
    int role;              /* NB_INSPECT_* */
} nb_inspect_field;

/* Fields of the frame in bytes[0..len), cut at len (a field partly present is listed
 * with the size present). The type byte is the first field. Returns the count (<= max). */
int nb_inspect_fields(const uint8_t *bytes, size_t len, nb_inspect_field *out, int max);

/* ---- capture ring ------------------------------------------------------------------ */

#define NB_CAPTURE_ENTRIES 64
#define NB_CAPTURE_BYTES 96

enum { NB_CAPTURE_IN = 0, NB_CAPTURE_OUT = 1 };   /* same numbering as nb_dir */

typedef struct nb_capture_entry {
    uint64_t seq;          /* 1, 2, ... in push order: keeps a selection stable */
    uint64_t time_ms;      /* caller's clock at push */
    uint32_t size;         /* the frame's full encoded size */
    uint8_t dir;           /* NB_CAPTURE_IN / _OUT */
    uint8_t type;          /* first byte */
    uint8_t len;           /* bytes kept: min(size, NB_CAPTURE_BYTES) */
    uint8_t bytes[NB_CAPTURE_BYTES];
} nb_capture_entry;

typedef struct nb_capture nb_capture;

nb_capture *nb_capture_create(void);          /* NULL on out-of-memory */
void nb_capture_destroy(nb_capture *c);       /* NULL-tolerant */

/* net thread: an encoded frame (only its first NB_CAPTURE_BYTES are copied). */
void nb_capture_push(nb_capture *c, int dir, uint64_t time_ms, const uint8_t *frame, size_t len);
/* net thread: a decoded frame, re-encoded (NBP/1 encoding is canonical, so these are the
 * bytes that were on the wire). Frames that do not encode are skipped. */
void nb_capture_push_frame(nb_capture *c, int dir, uint64_t time_ms, const nb_frame *f);

/* render thread: copies the ring, oldest first, into out and returns how many (<= 64).
 * `seq` (may be NULL) gets the newest entry's seq, 0 if none, to skip unchanged rings. */
size_t nb_capture_snapshot(nb_capture *c, nb_capture_entry out[NB_CAPTURE_ENTRIES], uint64_t *seq);

#endif
