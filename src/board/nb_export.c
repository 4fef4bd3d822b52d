/* nb_export.c — board -> surface -> PNG via a software renderer. */
#include "nb_export.h"

#include <SDL.h>
#include <SDL_image.h>

#include "nb_canvas.h"   /* NB_CANVAS_DEFAULT_BACKGROUND */
#include "nb_proto.h"    /* NB_SEG_LASER */
#include "nb_raster.h"
#include "nb_view.h"

int nb_export_png(const nb_board *b, const char *path, const nb_export_opts *opts, char *err)
{
    NB_ASSERT(b && path);
    int w = opts && opts->width ? opts->width : 1920;
    int h = opts && opts->height ? opts->height : w * NB_BOARD_ASPECT_H / NB_BOARD_ASPECT_W;
    uint32_t bg = opts && opts->background ? opts->background : NB_CANVAS_DEFAULT_BACKGROUND;
    SDL_Surface *surf = NULL;
    SDL_Renderer *ren = NULL;
    nb_raster r = { 0 };
    int rc = -1;

    if (w < 1 || h < 1 || w > NB_EXPORT_MAX_SIDE || h > NB_EXPORT_MAX_SIDE ||
        (int64_t)w * h > NB_EXPORT_MAX_PIXELS) {
        nb_set_error(err, "export size %dx%d outside 1..%d a side, %d Mpixel", w, h,
                     NB_EXPORT_MAX_SIDE, NB_EXPORT_MAX_PIXELS >> 20);
        goto fail;
    }
    surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf) {
        nb_set_error(err, "export surface %dx%d: %s", w, h, SDL_GetError());
        goto fail;
    }
    ren = SDL_CreateSoftwareRenderer(surf);
    if (!ren) {
        nb_set_error(err, "export renderer: %s", SDL_GetError());
        goto fail;
    }
    nb_color k = nb_color_from_rgba(bg);
    SDL_SetRenderDrawColor(ren, k.r, k.g, k.b, k.a);
    SDL_RenderClear(ren);
    nb_raster_begin(&r, ren, nb_view_fit((nb_rect){ 0, 0, w, h }), bg, 255);
    size_t pos = 0;
    nb_segment s;
    int drawn = 0;
    while (drawn == 0 && nb_board_next(b, &pos, &s))
        if (!(s.flags & NB_SEG_LASER)) drawn = nb_raster_add(&r, &s, err);
    if (nb_raster_end(&r, drawn == 0 ? err : NULL) < 0 || drawn < 0) goto fail;
    SDL_RenderFlush(ren);
    if (IMG_SavePNG(surf, path) < 0) {
        nb_set_error(err, "saving %s: %s", path, IMG_GetError());
        goto fail;
    }
    rc = 0;
fail:
    nb_raster_free(&r);
    if (ren) SDL_DestroyRenderer(ren);
    if (surf) SDL_FreeSurface(surf);
    return rc;
}
