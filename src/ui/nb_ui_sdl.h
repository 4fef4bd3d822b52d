/* nb_ui_sdl.h — SDL backend for nb_ui: owns the TTF fonts (sans, mono and a CJK fallback
 * for glyphs DejaVu lacks) and a bounded LRU cache of text textures; translates SDL events
 * into nb_ui input, draws the command list with SDL_Renderer, drives the IME (text-input
 * on only while a textbox has focus, candidate window at the box) and the clipboard.
 * Render thread only, like the renderer it draws with. */
#ifndef NB_UI_SDL_H
#define NB_UI_SDL_H

#include <SDL.h>

#include "nb_ui.h"

#define NB_UI_SDL_CACHE 256   /* text textures kept (least recently drawn goes first) */

typedef struct nb_ui_sdl nb_ui_sdl;

typedef struct nb_ui_sdl_stats {
    long hits, misses, evictions;
    int entries;
} nb_ui_sdl_stats;

/* Call before SDL_CreateWindow: lets the IME draw its own candidate UI. */
void nb_ui_sdl_set_hints(void);

/* font_path NULL → assets/fonts/DejaVuSans.ttf; pt_size 0 → the theme's 16 px. The mono
 * font is DejaVuSansMono.ttf next to it; the CJK fallback is the first installed of a
 * short list ($NETBOARD_CJK_FONT first). NULL and `err` filled on failure. */
nb_ui_sdl *nb_ui_sdl_create(SDL_Renderer *renderer, const char *font_path, int pt_size, char *err);
void nb_ui_sdl_destroy(nb_ui_sdl *be);

/* Fills the measure and clipboard callbacks of `opts` for nb_ui_create. */
void nb_ui_sdl_fill_opts(nb_ui_sdl *be, nb_ui_opts *opts);

/* Feeds one SDL event to the UI; returns 1 if the UI wants it for itself (the mouse is
 * over a panel or dragging a widget, a textbox has the keyboard), so the app skips it. */
int nb_ui_sdl_feed_event(nb_ui_sdl *be, nb_ui *ui, const SDL_Event *e);

/* Draws the last frame's command list (after nb_ui_end) and updates the IME state. */
void nb_ui_sdl_draw(nb_ui_sdl *be, nb_ui *ui);

/* Presenter mode: scales the theme and re-sizes the fonts (pt_size * scale). 0 or -1. */
int nb_ui_sdl_set_scale(nb_ui_sdl *be, nb_ui *ui, float scale, char *err);

void nb_ui_sdl_get_stats(const nb_ui_sdl *be, nb_ui_sdl_stats *out);
/* Path of the CJK fallback font in use, or NULL if none is installed. */
const char *nb_ui_sdl_fallback_path(const nb_ui_sdl *be);

#endif
