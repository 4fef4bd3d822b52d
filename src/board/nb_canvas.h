/* nb_canvas.h — the board on screen: owns a persistent render-target texture the size of
 * the letterboxed board, kept in step with an nb_board by drawing only the segments that
 * arrived since the last sync (a frame costs the new segments, not the history), and
 * redrawn from the model when the board changes epoch (undo, redo, clear), the size
 * changes or the GPU loses the texture. Render thread only; destroy it before its
 * renderer. */
#ifndef NB_CANVAS_H
#define NB_CANVAS_H

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

#include "nb_board.h"
#include "nb_common.h"
#include "nb_types.h"

typedef struct nb_canvas nb_canvas;

#define NB_CANVAS_DEFAULT_BACKGROUND 0xFFFFFFFFu   /* white */
#define NB_CANVAS_DEFAULT_BARS 0x2B2B2BFFu         /* letterbox bars */

typedef struct nb_canvas_opts {
    uint32_t background;   /* 0xRRGGBBAA board colour, painted by the eraser; 0: white */
    uint32_t bars;         /* colour of the letterbox bars; 0: dark grey */
} nb_canvas_opts;

typedef struct nb_canvas_stats {
    size_t segments;       /* segments rasterised by the last sync (0 if nothing new) */
    size_t vertices;       /* vertices submitted by the last sync */
    size_t calls;          /* SDL_RenderGeometry calls of the last sync */
    int full;              /* the last sync redrew everything */
    uint64_t syncs, full_redraws;   /* totals */
} nb_canvas_stats;

/* opts may be NULL. NULL on allocation failure. The texture is made by the first sync. */
nb_canvas *nb_canvas_create(const nb_canvas_opts *opts);
void nb_canvas_destroy(nb_canvas *c);

/* Bring the texture up to date with `b` for the window area `area` (pixels; the board is
 * letterboxed inside it). Restores the renderer's target, draw colour and blend mode.
 * 0, or -1 with `err` (texture creation or drawing failed; the next sync retries). */
int nb_canvas_sync(nb_canvas *c, SDL_Renderer *ren, const nb_board *b, nb_rect area, char *err);

/* Copy the texture into the board rect of the last sync and fill the bars around it. */
int nb_canvas_draw(nb_canvas *c, SDL_Renderer *ren, char *err);

/* Draw segments straight onto the current target, clipped to the board rect of the last
 * sync, alpha scaled by alpha/255: laser trails, remote cursors, a stroke in progress.
 * Uses the same tessellation as the canvas. 0 or -1 with `err`. */
int nb_canvas_draw_overlay(nb_canvas *c, SDL_Renderer *ren, const nb_segment *segs, size_t n,
                           uint8_t alpha, char *err);

/* Pass every SDL event: SDL_RENDER_TARGETS_RESET / SDL_RENDER_DEVICE_RESET make the next
 * sync rebuild the texture from the model. Other events are ignored. */
void nb_canvas_handle_event(nb_canvas *c, const SDL_Event *e);

void nb_canvas_invalidate(nb_canvas *c);                    /* redraw all at the next sync */
void nb_canvas_set_background(nb_canvas *c, uint32_t rgba);  /* redraws at the next sync */
uint32_t nb_canvas_background(const nb_canvas *c);
nb_rect nb_canvas_board_rect(const nb_canvas *c);  /* board in window pixels (mouse mapping) */
void nb_canvas_get_stats(const nb_canvas *c, nb_canvas_stats *out);

#endif
