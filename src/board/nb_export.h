/* nb_export.h — the board as a PNG file at any resolution, drawn by a software renderer
 * into a surface with the same tessellation as the screen canvas. Owns nothing after it
 * returns. */
#ifndef NB_EXPORT_H
#define NB_EXPORT_H

#include <stdint.h>

#include "nb_board.h"
#include "nb_common.h"

#define NB_EXPORT_MAX_SIDE 16384
#define NB_EXPORT_MAX_PIXELS (64 << 20)   /* 256 MB of surface */

typedef struct nb_export_opts {
    int width;             /* pixels; 0: 1920 */
    int height;            /* pixels; 0: width * 9 / 16. A non-16:9 size gets bars. */
    uint32_t background;   /* 0xRRGGBBAA, also the bar colour; 0: white */
} nb_export_opts;

/* Write the visible segments of `b` to `path` as PNG. opts may be NULL. 0, or -1 with
 * `err` (bad size, out of memory, file not writable). */
int nb_export_png(const nb_board *b, const char *path, const nb_export_opts *opts, char *err);

#endif
