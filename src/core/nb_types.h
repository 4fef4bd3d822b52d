/* nb_types.h — plain value types shared by the wire codec, the board model and the
 * renderer. Board coordinates are resolution-independent: the board is 16:9 and x, y
 * span 0..65535 across it; pen width is in 1/1000 of the board height. Owns nothing. */
#ifndef NB_TYPES_H
#define NB_TYPES_H

#include <stdint.h>

#define NB_BOARD_MAX 65535u
#define NB_BOARD_ASPECT_W 16
#define NB_BOARD_ASPECT_H 9

#define NB_SEG_ERASER (1u << 0)   /* segment flag: eraser (paints the background) */

typedef struct nb_segment {
    uint16_t author;    /* peer id assigned by the server (0 = local / not yet known) */
    uint32_t stroke;    /* stroke id, unique per author */
    uint16_t x1, y1, x2, y2;
    uint32_t rgba;      /* 0xRRGGBBAA */
    uint8_t width;      /* 1/1000 of the board height */
    uint8_t flags;      /* NB_SEG_* */
} nb_segment;

typedef struct nb_rect { int x, y, w, h; } nb_rect;
typedef struct nb_color { uint8_t r, g, b, a; } nb_color;

static inline nb_color nb_color_from_rgba(uint32_t v)
{
    nb_color c = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    return c;
}

static inline uint32_t nb_color_to_rgba(nb_color c)
{
    return ((uint32_t)c.r << 24) | ((uint32_t)c.g << 16) | ((uint32_t)c.b << 8) | c.a;
}

#endif
