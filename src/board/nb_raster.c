/* nb_raster.c — segment tessellation and batched submission.
 *
 * A segment is a quad (its length times the pen width) plus a half-disc cap at its end;
 * the start gets a cap only when it does not continue the previous segment (same point,
 * colour and width), so a polyline costs one cap per joint. Caps are fans whose size
 * follows the radius: the polygon stays within 0.3 px of the circle (2 triangles at 4 px,
 * 15 for a 60 px marker). Pens thinner than 4 px get no fan at all: the quad is lengthened by the
 * radius at both ends, a square cap that no eye tells from a round one at that size.
 * That matters because SDL's software renderer costs ~0.4 us per triangle whatever its
 * size (it queues each triangle as its own command), so a segment must stay near 2. Opaque colours are submitted with BLENDMODE_NONE (cheaper on the
 * software renderer, same pixels); translucent ones with BLEND. Overlapping triangles of
 * one translucent segment blend twice at the joints — a known limit of this approach. */
#include "nb_raster.h"

#include <math.h>
#include <stdlib.h>

#include "nb_common.h"
#include "nb_view.h"

#define MAX_BATCH_V 65536   /* vertices per SDL_RenderGeometry call: bounds the buffers */
#define DISC_ERROR_PX 0.3f
#define THIN_RAD_PX 2.0f    /* below this radius (pens up to 4 px) caps are square */

void nb_raster_free(nb_raster *r)
{
    free(r->v);
    free(r->idx);
    r->v = NULL;
    r->idx = NULL;
    r->nv = r->ni = r->cap_v = r->cap_i = 0;
}

void nb_raster_begin(nb_raster *r, SDL_Renderer *ren, nb_rect board_px, uint32_t background,
                     uint8_t alpha)
{
    NB_ASSERT(r && ren && r->nv == 0);
    r->ren = ren;
    r->board_px = board_px;
    r->background = background;
    r->alpha = alpha;
    r->have_prev = 0;
    r->segments = r->vertices = r->calls = 0;
    r->mode = SDL_BLENDMODE_NONE;
    if (SDL_GetRenderDrawBlendMode(ren, &r->saved_mode) < 0) r->saved_mode = SDL_BLENDMODE_NONE;
}

static int flush(nb_raster *r, char *err)
{
    if (!r->ni) return 0;
    int rc = SDL_SetRenderDrawBlendMode(r->ren, r->mode);
    if (rc == 0) rc = SDL_RenderGeometry(r->ren, NULL, r->v, r->nv, r->idx, r->ni);
    if (rc < 0) nb_set_error(err, "drawing %d triangles: %s", r->ni / 3, SDL_GetError());
    r->vertices += (size_t)r->nv;
    r->nv = r->ni = 0;
    if (rc < 0) return -1;
    r->calls++;
    return 0;
}

int nb_raster_end(nb_raster *r, char *err)
{
    NB_ASSERT(r && r->ren);
    int rc = flush(r, err);
    SDL_SetRenderDrawBlendMode(r->ren, r->saved_mode);
    r->ren = NULL;
    return rc;
}

/* Choose the fan size for radius `rad` (edges of the full circle) and fill the table of
 * the half circle it needs: disc_n / 2 steps from 0 to pi. */
static void set_disc(nb_raster *r, float rad)
{
    r->disc_rad = rad;
    int n = 6;
    if (rad > DISC_ERROR_PX) {
        float step = 2.0f * acosf(1.0f - DISC_ERROR_PX / rad);   /* angle per edge */
        n = (int)ceilf(2.0f * (float)M_PI / step);
    }
    /* At least 6: a fan of quarter turns could meet SDL's rect detection (see quad). */
    n = NB_CLAMP((n + 1) / 2 * 2, 6, NB_RASTER_MAX_DISC);
    if (n == r->disc_n) return;
    r->disc_n = n;
    for (int i = 0; i <= n / 2; i++) {
        r->unit[i][0] = cosf((float)M_PI * (float)i / (float)(n / 2));
        r->unit[i][1] = sinf((float)M_PI * (float)i / (float)(n / 2));
    }
}

static int reserve(nb_raster *r, int nv, int ni)
{
    if (r->nv + nv > r->cap_v) {
        int cap = NB_MAX(r->cap_v * 2, NB_MAX(r->nv + nv, 1024));
        SDL_Vertex *v = realloc(r->v, (size_t)cap * sizeof *v);
        if (!v) return -1;
        r->v = v;
        r->cap_v = cap;
    }
    if (r->ni + ni > r->cap_i) {
        int cap = NB_MAX(r->cap_i * 2, NB_MAX(r->ni + ni, 2048));
        int *idx = realloc(r->idx, (size_t)cap * sizeof *idx);
        if (!idx) return -1;
        r->idx = idx;
        r->cap_i = cap;
    }
    return 0;
}

static int vertex(nb_raster *r, float x, float y, SDL_Color c)
{
    r->v[r->nv] = (SDL_Vertex){ { x, y }, c, { 0, 0 } };
    return r->nv++;
}

/* Half disc (a cap) at (cx, cy) bulging in direction (ux, uy): a fan of the polygon from
 * the left edge of the pen round the front to the right edge. Its flat side is exactly
 * the quad's end edge (same vertex values, so SDL's top-left rule leaves no crack; a fan
 * round the centre would put a T-junction there and speckle the seam). The quad covers
 * the other half, and at a joint the previous segment's body covers what the next one's
 * front cap does not, so half discs are all a polyline needs — half the triangles, and a
 * translucent pen does not blend twice over its own quad. */
static void cap(nb_raster *r, float cx, float cy, float ux, float uy, float rad, SDL_Color c)
{
    int first = r->nv, m = r->disc_n / 2;
    float nx = -uy * rad, ny = ux * rad, dx = ux * rad, dy = uy * rad;
    vertex(r, cx + nx, cy + ny, c);
    for (int i = 1; i < m; i++) {
        float co = r->unit[i][0], si = r->unit[i][1];
        vertex(r, cx + co * nx + si * dx, cy + co * ny + si * dy, c);
    }
    vertex(r, cx - nx, cy - ny, c);
    for (int i = 1; i < m; i++) {
        r->idx[r->ni++] = first;
        r->idx[r->ni++] = first + i;
        r->idx[r->ni++] = first + i + 1;
    }
}

/* The body of a segment along unit direction (ux, uy), extended by `ext` beyond both
 * ends. Its end edges are bit-identical to the caps' flat sides (same expressions). */
static void quad(nb_raster *r, float x1, float y1, float x2, float y2, float ux, float uy,
                 float rad, float ext, SDL_Color c)
{
    float nx = -uy * rad, ny = ux * rad;
    x1 -= ux * ext;
    y1 -= uy * ext;
    x2 += ux * ext;
    y2 += uy * ext;
    /* Six vertices, not four: the two triangles must share no index, or SDL's software
     * renderer (2.26) turns an axis-aligned pair into a rect fill that leaves the
     * renderer in BLENDMODE_BLEND for the rest of the call — 4x slower. */
    float px[6] = { x1 + nx, x2 + nx, x2 - nx, x1 + nx, x2 - nx, x1 - nx };
    float py[6] = { y1 + ny, y2 + ny, y2 - ny, y1 + ny, y2 - ny, y1 - ny };
    for (int i = 0; i < 6; i++) r->idx[r->ni++] = vertex(r, px[i], py[i], c);
}

int nb_raster_add(nb_raster *r, const nb_segment *s, char *err)
{
    NB_ASSERT(r && r->ren && s);
    uint32_t rgba = (s->flags & NB_SEG_ERASER) ? r->background : s->rgba;
    SDL_Color c = { (uint8_t)(rgba >> 24), (uint8_t)(rgba >> 16), (uint8_t)(rgba >> 8),
                    (uint8_t)(((rgba & 0xFF) * r->alpha + 127) / 255) };
    r->segments++;
    if (c.a == 0) return 0;
    SDL_BlendMode mode = c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND;
    if (mode != r->mode && flush(r, err) < 0) return -1;
    r->mode = mode;

    float rad = nb_view_width_px(r->board_px, s->width) * 0.5f;
    if (rad != r->disc_rad) set_disc(r, rad);
    int n = r->disc_n, need_v = 6 + 2 * (n / 2 + 1), need_i = 6 + 3 * n;
    if (r->nv + need_v > MAX_BATCH_V && flush(r, err) < 0) return -1;
    if (reserve(r, need_v, need_i) < 0) {
        nb_set_error(err, "out of memory for %d vertices", r->nv + need_v);
        return -1;
    }

    float x1 = nb_view_to_px_x(r->board_px, s->x1), y1 = nb_view_to_px_y(r->board_px, s->y1);
    float x2 = nb_view_to_px_x(r->board_px, s->x2), y2 = nb_view_to_px_y(r->board_px, s->y2);
    float dx = x2 - x1, dy = y2 - y1, len = sqrtf(dx * dx + dy * dy);
    int dot = len < 0.01f;
    float ux = dot ? 1.0f : dx / len, uy = dot ? 0.0f : dy / len;
    if (rad < THIN_RAD_PX) {
        /* Thin pen: the caps are squares folded into the quad (2 triangles in all). They
         * differ from a disc by under 1 px, and two consecutive ones cover the joint. */
        quad(r, x1, y1, x2, y2, ux, uy, rad, rad, c);
    } else {
        int joined = r->have_prev && r->prev_x == s->x1 && r->prev_y == s->y1 &&
                     r->prev_width == s->width && r->prev_rgba == rgba && r->prev_flags == s->flags;
        if (!joined) cap(r, x1, y1, -ux, -uy, rad, c);
        if (!dot) quad(r, x1, y1, x2, y2, ux, uy, rad, 0.0f, c);
        if (!dot || !joined) cap(r, x2, y2, ux, uy, rad, c);   /* a click: two caps */
    }
    r->have_prev = 1;
    r->prev_x = s->x2;
    r->prev_y = s->y2;
    r->prev_rgba = rgba;
    r->prev_width = s->width;
    r->prev_flags = s->flags;
    return 0;
}
