/* nb_raster.h — turns segments into triangles (a quad per segment, triangle-fan half
 * discs for the round caps and joins) and submits them in large SDL_RenderGeometry batches. Shared
 * by the canvas, the overlays and the PNG export so all draw identical pixels. Owns its
 * reusable vertex and index buffers. Render thread only. */
#ifndef NB_RASTER_H
#define NB_RASTER_H

#include <SDL.h>
#include <stddef.h>

#include "nb_types.h"

#define NB_RASTER_MAX_DISC 64   /* most edges of a full cap circle (a cap is half) */

typedef struct nb_raster {
    /* private: buffers and batch state */
    SDL_Vertex *v;
    int *idx;
    int nv, ni, cap_v, cap_i;
    SDL_BlendMode mode;          /* of the batch being built */
    int disc_n;                  /* edges of the full circle; unit[] holds half + 1 */
    float unit[NB_RASTER_MAX_DISC][2];
    int have_prev;               /* join state: the previous segment's end */
    uint16_t prev_x, prev_y;
    uint32_t prev_rgba;
    uint8_t prev_width, prev_flags;
    /* set by nb_raster_begin */
    SDL_Renderer *ren;
    nb_rect board_px;
    uint32_t background;
    uint8_t alpha;
    SDL_BlendMode saved_mode;    /* the renderer's, restored by nb_raster_end */
    float disc_rad;              /* radius disc_n was chosen for */
    /* public: counters since nb_raster_begin */
    size_t segments, vertices, calls;
} nb_raster;

void nb_raster_free(nb_raster *r);   /* a zeroed nb_raster needs no init */

/* Start a pass drawing onto the renderer's current target, in the board rect `board_px`.
 * Eraser segments paint `background`; every colour's alpha is scaled by alpha/255.
 * Consecutive segments of one pass that continue each other share one join cap. */
void nb_raster_begin(nb_raster *r, SDL_Renderer *ren, nb_rect board_px, uint32_t background,
                     uint8_t alpha);

/* Queue one segment (laser ones too: the caller decides what to draw). May submit the
 * batch. 0 or -1 with `err` (allocation or SDL failure). */
int nb_raster_add(nb_raster *r, const nb_segment *s, char *err);

/* Submit what is queued and restore the renderer's blend mode. 0 or -1 with `err`. */
int nb_raster_end(nb_raster *r, char *err);

#endif
