/* nb_view.c — letterbox fit and board <-> pixel conversions. */
#include "nb_view.h"

#include "nb_common.h"

#define BOARD_SPAN 65536.0f   /* board units across the rect (0..65535 plus the last unit) */

nb_rect nb_view_fit(nb_rect area)
{
    if (area.w <= 0 || area.h <= 0)
        return (nb_rect){ area.x + NB_MAX(area.w, 0) / 2, area.y + NB_MAX(area.h, 0) / 2, 0, 0 };
    nb_rect r;
    /* 64-bit products: the comparison must not overflow for absurd sizes. */
    if ((int64_t)area.w * NB_BOARD_ASPECT_H >= (int64_t)area.h * NB_BOARD_ASPECT_W) {
        r.h = area.h;   /* too wide: bars left and right */
        r.w = (int)(((int64_t)area.h * NB_BOARD_ASPECT_W + NB_BOARD_ASPECT_H / 2) / NB_BOARD_ASPECT_H);
        r.w = NB_MIN(r.w, area.w);
    } else {
        r.w = area.w;   /* too tall: bars above and below */
        r.h = (int)(((int64_t)area.w * NB_BOARD_ASPECT_H + NB_BOARD_ASPECT_W / 2) / NB_BOARD_ASPECT_W);
        r.h = NB_MIN(r.h, area.h);
    }
    r.x = area.x + (area.w - r.w) / 2;
    r.y = area.y + (area.h - r.h) / 2;
    return r;
}

float nb_view_to_px_x(nb_rect b, uint16_t bx)
{
    return (float)b.x + (float)bx * (float)b.w / BOARD_SPAN;
}

float nb_view_to_px_y(nb_rect b, uint16_t by)
{
    return (float)b.y + (float)by * (float)b.h / BOARD_SPAN;
}

static uint16_t from_px(int origin, int size, int p)
{
    if (size <= 0) return 0;
    double v = ((double)p - origin + 0.5) * BOARD_SPAN / size;
    if (v <= 0) return 0;
    if (v >= NB_BOARD_MAX) return NB_BOARD_MAX;
    return (uint16_t)v;
}

uint16_t nb_view_from_px_x(nb_rect b, int px) { return from_px(b.x, b.w, px); }
uint16_t nb_view_from_px_y(nb_rect b, int py) { return from_px(b.y, b.h, py); }

float nb_view_width_px(nb_rect b, uint8_t width)
{
    float w = (float)width * (float)b.h / 1000.0f;
    return w < 1.0f ? 1.0f : w;
}
