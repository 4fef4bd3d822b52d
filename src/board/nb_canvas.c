/* nb_canvas.c — incremental rasterisation into a persistent target texture.
 *
 * The canvas remembers which board it drew (by epoch, unique per board and per change
 * that invalidates pixels) and how many stored segments it has covered. A sync with the
 * same epoch draws segments [drawn, count) on top of the texture; anything else — new
 * epoch, new size, lost texture — clears to the background and replays the model. */
#include "nb_canvas.h"

#include <stdlib.h>

#include "nb_proto.h"   /* NB_SEG_LASER */
#include "nb_raster.h"
#include "nb_view.h"

struct nb_canvas {
    SDL_Texture *tex;
    SDL_Renderer *tex_ren;     /* renderer the texture belongs to */
    int tex_w, tex_h;
    int dirty;                 /* redraw all at the next sync */
    int recreate;              /* texture unusable (device reset): make a new one */
    uint64_t epoch;            /* board epoch drawn */
    size_t drawn;              /* stored segments covered */
    uint32_t background, bars;
    nb_rect area, board_px;
    nb_raster raster, overlay;
    nb_canvas_stats stats;
};

nb_canvas *nb_canvas_create(const nb_canvas_opts *opts)
{
    nb_canvas *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->background = opts && opts->background ? opts->background : NB_CANVAS_DEFAULT_BACKGROUND;
    c->bars = opts && opts->bars ? opts->bars : NB_CANVAS_DEFAULT_BARS;
    c->dirty = 1;
    return c;
}

static void drop_texture(nb_canvas *c)
{
    if (c->tex) SDL_DestroyTexture(c->tex);
    c->tex = NULL;
    c->tex_ren = NULL;
    c->tex_w = c->tex_h = 0;
    c->recreate = 0;
    c->dirty = 1;
}

void nb_canvas_destroy(nb_canvas *c)
{
    if (!c) return;
    drop_texture(c);
    nb_raster_free(&c->raster);
    nb_raster_free(&c->overlay);
    free(c);
}

static int ensure_texture(nb_canvas *c, SDL_Renderer *ren, int w, int h, char *err)
{
    if (c->tex && !c->recreate && c->tex_ren == ren && c->tex_w == w && c->tex_h == h) return 0;
    drop_texture(c);
    c->tex = SDL_CreateTexture(ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!c->tex) {
        nb_set_error(err, "canvas texture %dx%d: %s", w, h, SDL_GetError());
        return -1;
    }
    SDL_SetTextureBlendMode(c->tex, SDL_BLENDMODE_NONE);   /* the board is opaque */
    c->tex_ren = ren;
    c->tex_w = w;
    c->tex_h = h;
    return 0;
}

static void set_color(SDL_Renderer *ren, uint32_t rgba)
{
    nb_color k = nb_color_from_rgba(rgba);
    SDL_SetRenderDrawColor(ren, k.r, k.g, k.b, k.a);
}

/* Rasterise board segments from *pos on into the texture (the current target). */
static int draw_segments(nb_canvas *c, SDL_Renderer *ren, const nb_board *b, size_t pos, char *err)
{
    nb_raster *r = &c->raster;
    nb_raster_begin(r, ren, (nb_rect){ 0, 0, c->tex_w, c->tex_h }, c->background, 255);
    nb_segment s;
    int rc = 0;
    while (rc == 0 && nb_board_next(b, &pos, &s))
        if (!(s.flags & NB_SEG_LASER)) rc = nb_raster_add(r, &s, err);
    if (nb_raster_end(r, rc == 0 ? err : NULL) < 0) rc = -1;
    c->stats.segments = r->segments;
    c->stats.vertices = r->vertices;
    c->stats.calls = r->calls;
    return rc;
}

int nb_canvas_sync(nb_canvas *c, SDL_Renderer *ren, const nb_board *b, nb_rect area, char *err)
{
    NB_ASSERT(c && ren && b);
    c->area = area;
    c->board_px = nb_view_fit(area);
    c->stats.segments = c->stats.vertices = c->stats.calls = 0;
    c->stats.full = 0;
    c->stats.syncs++;
    if (c->board_px.w <= 0 || c->board_px.h <= 0) return 0;   /* minimised: keep the model */
    if (ensure_texture(c, ren, c->board_px.w, c->board_px.h, err) < 0) return -1;

    size_t count = nb_board_count(b);
    int full = c->dirty || c->epoch != nb_board_epoch(b) || count < c->drawn;
    if (!full && count == c->drawn) return 0;

    SDL_Texture *old_target = SDL_GetRenderTarget(ren);
    uint8_t kr, kg, kb, ka;
    SDL_GetRenderDrawColor(ren, &kr, &kg, &kb, &ka);
    int rc = -1;
    if (SDL_SetRenderTarget(ren, c->tex) < 0) {
        nb_set_error(err, "canvas target: %s", SDL_GetError());
        goto fail;
    }
    if (full) {
        set_color(ren, c->background);
        SDL_RenderClear(ren);
        c->stats.full = 1;
        c->stats.full_redraws++;
    }
    rc = draw_segments(c, ren, b, full ? 0 : c->drawn, err);
    SDL_SetRenderTarget(ren, old_target);
fail:
    SDL_SetRenderDrawColor(ren, kr, kg, kb, ka);
    if (rc < 0) {
        c->dirty = 1;   /* part of the batch may be missing: replay next time */
        return -1;
    }
    c->dirty = 0;
    c->epoch = nb_board_epoch(b);
    c->drawn = count;
    return 0;
}

int nb_canvas_draw(nb_canvas *c, SDL_Renderer *ren, char *err)
{
    NB_ASSERT(c && ren);
    nb_rect a = c->area, p = c->board_px;
    if (a.w <= 0 || a.h <= 0) return 0;
    uint8_t kr, kg, kb, ka;
    SDL_GetRenderDrawColor(ren, &kr, &kg, &kb, &ka);
    set_color(ren, c->bars);
    /* Bars: the strips of the area outside the board rect (two of them are empty). */
    SDL_Rect bars[4] = {
        { a.x, a.y, a.w, p.y - a.y },
        { a.x, p.y + p.h, a.w, a.y + a.h - (p.y + p.h) },
        { a.x, p.y, p.x - a.x, p.h },
        { p.x + p.w, p.y, a.x + a.w - (p.x + p.w), p.h },
    };
    for (int i = 0; i < 4; i++)
        if (bars[i].w > 0 && bars[i].h > 0) SDL_RenderFillRect(ren, &bars[i]);
    SDL_SetRenderDrawColor(ren, kr, kg, kb, ka);
    if (!c->tex || p.w <= 0 || p.h <= 0) return 0;
    NB_ASSERT(c->tex_ren == ren);
    SDL_Rect dst = { p.x, p.y, p.w, p.h };
    if (SDL_RenderCopy(ren, c->tex, NULL, &dst) < 0) {
        nb_set_error(err, "canvas copy: %s", SDL_GetError());
        return -1;
    }
    return 0;
}

int nb_canvas_draw_overlay(nb_canvas *c, SDL_Renderer *ren, const nb_segment *segs, size_t n,
                           uint8_t alpha, char *err)
{
    NB_ASSERT(c && ren && (segs || !n));
    nb_rect p = c->board_px;
    if (!n || p.w <= 0 || p.h <= 0) return 0;
    SDL_Rect old_clip, clip = { p.x, p.y, p.w, p.h };
    int had_clip = SDL_RenderIsClipEnabled(ren);
    SDL_RenderGetClipRect(ren, &old_clip);
    SDL_RenderSetClipRect(ren, &clip);   /* a thick trail at the edge stays off the bars */
    nb_raster_begin(&c->overlay, ren, p, c->background, alpha);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) rc = nb_raster_add(&c->overlay, &segs[i], err);
    if (nb_raster_end(&c->overlay, rc == 0 ? err : NULL) < 0) rc = -1;
    SDL_RenderSetClipRect(ren, had_clip ? &old_clip : NULL);
    return rc;
}

void nb_canvas_handle_event(nb_canvas *c, const SDL_Event *e)
{
    NB_ASSERT(c && e);
    if (e->type == SDL_RENDER_TARGETS_RESET) c->dirty = 1;
    else if (e->type == SDL_RENDER_DEVICE_RESET) c->recreate = c->dirty = 1;
}

void nb_canvas_invalidate(nb_canvas *c) { c->dirty = 1; }

void nb_canvas_set_background(nb_canvas *c, uint32_t rgba)
{
    if (c->background != rgba) c->dirty = 1;
    c->background = rgba;
}

uint32_t nb_canvas_background(const nb_canvas *c) { return c->background; }
nb_rect nb_canvas_board_rect(const nb_canvas *c) { return c->board_px; }
void nb_canvas_get_stats(const nb_canvas *c, nb_canvas_stats *out) { *out = c->stats; }
