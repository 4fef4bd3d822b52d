/* nb_view.h — letterbox maths between board coordinates (16:9, 0..65535 each way, pen
 * width in 1/1000 of the board height) and window pixels, so every window shows the same
 * picture whatever its size. Pure functions, owns nothing. */
#ifndef NB_VIEW_H
#define NB_VIEW_H

#include <stdint.h>

#include "nb_types.h"

/* The largest 16:9 rect centred in `area` (bars left/right or top/bottom). An empty or
 * negative area gives a zero-size rect at the area's centre. */
nb_rect nb_view_fit(nb_rect area);

/* Board -> pixel, continuous: board 0 is the rect's left/top edge, 65536 would be its
 * right/bottom edge. */
float nb_view_to_px_x(nb_rect board_px, uint16_t bx);
float nb_view_to_px_y(nb_rect board_px, uint16_t by);

/* Pixel (integer, e.g. a mouse position) -> board: the board point at the pixel's centre,
 * clamped to 0..65535 so a drag that leaves the board stays on its edge. */
uint16_t nb_view_from_px_x(nb_rect board_px, int px);
uint16_t nb_view_from_px_y(nb_rect board_px, int py);

/* Pen width (1/1000 of the board height) in pixels, at least 1. */
float nb_view_width_px(nb_rect board_px, uint8_t width);

#endif
