/* nb_proto_priv.h — internals shared by the codec files (not for other layers):
 * big-endian load/store and the per-type framing table. */
#ifndef NB_PROTO_PRIV_H
#define NB_PROTO_PRIV_H

#include <stdint.h>

static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) << 32 | get32(p + 4); }
static inline uint8_t *put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v;
    return p + 2;
}
static inline uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
    return p + 4;
}
static inline uint8_t *put64(uint8_t *p, uint64_t v) { return put32(put32(p, (uint32_t)(v >> 32)), (uint32_t)v); }

/* One row per known type. Prefixed types give the body length bounds their fields imply
 * (fixed fields + 0 .. the text limit), so the decoder rejects a length from the 4 header
 * bytes alone. */
typedef struct nb_frame_info {
    char framing;          /* 'f' 'd' 'p' */
    uint8_t has_text;
    uint32_t fixed;        /* 'f': body length; 'p': bytes of fields before the text */
    uint32_t text_max;     /* longest text the type carries */
    const char *name;
} nb_frame_info;

/* Indexed by type byte; framing 0 = unknown type. */
extern const nb_frame_info nb_frame_table[256];

/* NULL for unknown types. */
static inline const nb_frame_info *nb_frame_info_get(uint8_t type)
{
    return nb_frame_table[type].framing ? &nb_frame_table[type] : 0;
}

struct nb_frame;
/* The checks shared by encoder and decoder, on a filled frame: known type, text length
 * within the type's (and for T the framing's) limit, UTF-8 without NUL, no '\n' in V
 * text, H version 1, T framing F V M. Returns NB_PERR_NONE or the code, with `err`. */
int nb_frame_check(const struct nb_frame *f, char *err);

#endif
