/* nb_proto.h — NBP/1, netboard's wire protocol: frame types, limits, an incremental
 * decoder that accepts bytes split at any point, an encoder, and the line splitter used
 * for raw text peers. Pure C: no sockets, no SDL. docs/protocol.md is the full contract.
 *
 * Every frame is one type byte followed by a body in one of three framings:
 *   fixed      body of a length fixed by the type        (S F P Q + extensions C K L R U)
 *   delimited  UTF-8 text up to '\n'                      (V)
 *   prefixed   u32 big-endian length, then the body       (M H W T + extensions E J)
 * All integers are big-endian. A board client first sends NB_SIGNATURE; the server
 * answers with the same 4 bytes. */
#ifndef NB_PROTO_H
#define NB_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"  /* NB_ERR_LEN for the err buffers */
#include "nb_types.h"

#define NB_PROTO_VERSION 1
#define NB_SIG_LEN 4
extern const uint8_t NB_SIGNATURE[NB_SIG_LEN];  /* 0x89 'N' 'B' '1' */

/* Limits (bytes). */
#define NB_FIXED_CHAT_LEN 32       /* F body: NUL-padded text */
#define NB_VAR_MAX 1024            /* V: text before the '\n' */
#define NB_MIX_MAX 65536           /* M: u32 length limit */
#define NB_NAME_MAX 32             /* display name in H / J */
#define NB_BOARD_NAME_MAX 64       /* board name in W */
#define NB_ERROR_TEXT_MAX 256      /* E text */
#define NB_RAW_LINE_MAX 1024       /* raw text peer line, before '\n' */
#define NB_FRAME_MAX (1 + 4 + 2 + 1 + NB_MIX_MAX)  /* largest encoded frame (a T of a full M) */

typedef enum nb_frame_type {
    /* the public table of the networking issue */
    NB_FT_SEGMENT = 'S',     /* fixed 20: author u16, stroke u32, x1 y1 x2 y2 u16, rgba u32, width u8, flags u8 */
    NB_FT_CHAT_FIXED = 'F',  /* fixed 32: UTF-8 text, NUL-padded */
    NB_FT_PING = 'P',        /* fixed 8: token u64 */
    NB_FT_PONG = 'Q',        /* fixed 8: the ping's token */
    NB_FT_CHAT_VAR = 'V',    /* delimited: text '\n', at most 1024 bytes before '\n' */
    NB_FT_CHAT_MIX = 'M',    /* prefixed: text, length <= 65536 */
    NB_FT_HELLO = 'H',       /* prefixed: version u8, session token u64, display name */
    NB_FT_WELCOME = 'W',     /* prefixed: author u16, frames held u64, history count u32, board name */
    NB_FT_CHAT_DELIVERED = 'T', /* prefixed: author u16, framing u8 ('F' 'V' 'M'), text */
    /* extensions, documented in docs/protocol.md */
    NB_FT_JOIN = 'J',        /* prefixed, server -> client: author u16, display name */
    NB_FT_LEAVE = 'L',       /* fixed 2: author u16 */
    NB_FT_ERROR = 'E',       /* prefixed: code u16, text */
    NB_FT_UNDO = 'U',        /* fixed 6: author u16, stroke u32 */
    NB_FT_REDO = 'R',        /* fixed 6: author u16, stroke u32 */
    NB_FT_CLEAR = 'C',       /* fixed 2: author u16 */
    NB_FT_CURSOR = 'K',      /* fixed 7: author u16, x u16, y u16, flags u8 (bit 0: visible) */
} nb_frame_type;

/* Segment flag bits beyond NB_SEG_ERASER (nb_types.h). */
#define NB_SEG_LASER (1u << 1)     /* laser pointer trail: relayed, never stored */

/* Error codes carried by E frames. */
typedef enum nb_proto_error {
    NB_PERR_NONE = 0,
    NB_PERR_UNKNOWN_TYPE = 1,
    NB_PERR_TOO_LONG = 2,          /* length prefix or text over the limit */
    NB_PERR_LINE_TOO_LONG = 3,     /* V or raw line over 1024 bytes without '\n' */
    NB_PERR_HELLO_MISSING = 4,
    NB_PERR_HELLO_REPEATED = 5,
    NB_PERR_SERVER_FULL = 6,
    NB_PERR_BAD_SIGNATURE = 7,
    NB_PERR_BAD_VERSION = 8,
    NB_PERR_BAD_TEXT = 9,          /* invalid UTF-8 or a NUL inside text */
    NB_PERR_BAD_BODY = 10,         /* a body whose fields are inconsistent */
    NB_PERR_SLOW_CONSUMER = 11,    /* outbound queue overflowed */
    NB_PERR_NOT_ALLOWED = 12,      /* e.g. clear restricted to the host */
    NB_PERR_SHUTDOWN = 13,
    NB_PERR_TIMEOUT = 14,
    NB_PERR_NO_MEMORY = 15,        /* the receiver could not allocate a frame buffer */
} nb_proto_error;

/* Short stable name of an error code ("too-long"), "unknown" for codes not listed. */
const char *nb_proto_error_name(uint16_t code);

/* A decoded (or to-be-encoded) frame. Text fields point into the decoder's buffer, which
 * the decoder NUL-terminates; they are valid until the next nb_decoder_feed call. */
typedef struct nb_frame {
    uint8_t type;                /* nb_frame_type */
    union {
        nb_segment seg;                                              /* S */
        uint64_t token;                                              /* P Q */
        struct { uint8_t version; uint64_t session; } hello;         /* H (+text: name) */
        struct { uint16_t author; uint64_t held; uint32_t history; } welcome; /* W (+text: board) */
        struct { uint16_t author; uint8_t framing; } chat;           /* T (+text) */
        struct { uint16_t author; } peer;                            /* J (+text: name), L, C */
        struct { uint16_t author; uint32_t stroke; } undo;           /* U R */
        struct { uint16_t author; uint16_t x, y; uint8_t flags; } cursor; /* K */
        struct { uint16_t code; } error;                             /* E (+text) */
    } u;
    const char *text;            /* F V M H W T J E; NULL/0 otherwise */
    uint32_t text_len;           /* bytes, without padding, '\n' or NUL */
} nb_frame;

/* ---- decoder ------------------------------------------------------------------ */

enum { NB_DEC_NEED_MORE = 0, NB_DEC_FRAME = 1, NB_DEC_ERROR = -1 };

#define NB_DEC_EXPECT_SIGNATURE (1 << 0)  /* consume and check the 4-byte signature first */

typedef struct nb_decoder {
    /* private: incremental state */
    int flags, state;
    uint8_t type;
    uint8_t hdr[8];
    uint32_t hdr_have, need, have;
    uint8_t *buf;                /* grown on demand up to NB_FRAME_MAX; freed by nb_decoder_free */
    uint32_t buf_cap;
    /* public: counters and the last error */
    uint64_t frames, bytes;
    nb_proto_error error;        /* set when feed returns NB_DEC_ERROR; sticky */
} nb_decoder;

void nb_decoder_init(nb_decoder *d, int flags);
void nb_decoder_free(nb_decoder *d);

/* Feed up to `len` bytes. Stores in *consumed how many were used and returns
 * NB_DEC_FRAME (a whole frame in *out; call again with the rest), NB_DEC_NEED_MORE (all
 * bytes used, frame incomplete) or NB_DEC_ERROR (*consumed: bytes up to and including the
 * offending one; `err`, if not NULL, gets a message of NB_ERR_LEN naming the numbers;
 * d->error the code; the stream can't be resynchronised, so the error is sticky).
 * Every limit is checked before buffering; the buffer grows with the bytes received. */
int nb_decoder_feed(nb_decoder *d, const uint8_t *data, size_t len, size_t *consumed,
                    nb_frame *out, char *err);

/* ---- encoder ------------------------------------------------------------------ */

/* The encoder refuses exactly what the decoder refuses, so whatever nb_encode writes
 * decodes back to the same frame. f->text may be NULL only when f->text_len is 0.
 *
 * Encoded size of f, or 0 if it can't be encoded (unknown type, text over the limit, a
 * V text containing '\n', an F text over 32 bytes, invalid UTF-8 or a NUL in text, H
 * version other than 1, T framing other than F V M). */
size_t nb_encoded_size(const nb_frame *f);

/* Encode into out[cap]. Returns the number of bytes written, or -1 with `err` filled. */
int nb_encode(const nb_frame *f, uint8_t *out, size_t cap, char *err);

/* Framing class of a type: 'f' fixed, 'd' delimited, 'p' prefixed, 0 unknown; and the
 * fixed body length for fixed types (0 otherwise). */
char nb_frame_framing(uint8_t type);
uint32_t nb_frame_fixed_len(uint8_t type);
const char *nb_frame_type_name(uint8_t type);  /* "segment", "chat/fixed", ... or "unknown" */

/* 1 if the frame changes the board and belongs in its history: S without NB_SEG_LASER,
 * U, R, C. These are the frames counted by W's "frames held" (session resume) and the
 * only ones a board file stores. */
int nb_frame_changes_board(const nb_frame *f);

/* UTF-8 validity (no overlongs, no surrogates); NUL bytes count as invalid text. */
int nb_utf8_valid(const char *s, size_t len);

/* ---- raw text peers ------------------------------------------------------------- */

/* Splits a byte stream into '\n'-terminated lines of at most NB_RAW_LINE_MAX bytes; a
 * trailing '\r' is removed. */
typedef struct nb_linebuf {
    char line[NB_RAW_LINE_MAX + 1];
    uint32_t len;
    int overflow;
} nb_linebuf;

void nb_linebuf_init(nb_linebuf *lb);
/* Like nb_decoder_feed: returns 1 with *line / *line_len set (NUL-terminated, valid until
 * the next call), 0 when all bytes were used, -1 when a line exceeds the limit (at its
 * 1025th byte, '\r' included; *consumed counts that byte). After -1 the rest of that line
 * is discarded up to its '\n' and splitting resumes, in case the caller keeps the peer.
 * Lines are raw bytes: check them with nb_utf8_valid before relaying. */
int nb_linebuf_feed(nb_linebuf *lb, const uint8_t *data, size_t len, size_t *consumed,
                    const char **line, uint32_t *line_len);

#endif
