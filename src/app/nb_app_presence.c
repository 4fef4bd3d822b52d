/* nb_app_presence.c — what is drawn over the canvas besides the board: other people's
 * cursors with their names, and in presenter mode (full screen, panel hidden) a small
 * toolbar with the tools, the palette and undo. Render thread. */
#include "nb_app_int.h"

#include <string.h>

#include "nb_time.h"
#include "nb_view.h"

#define CURSOR_STALE_MS 5000

void nb_app_draw_cursors(nb_app *a)
{
    nb_rect b = nb_canvas_board_rect(a->canvas);
    uint64_t now = nb_time_ms();
    nb_segment dots[NB_APP_MAX_PEERS];
    size_t n = 0;
    for (int i = 0; i < a->n_peers; i++) {
        const nb_peer *p = &a->peers[i];
        if (!p->cursor_visible || p->author == a->sync.author || now - p->cursor_ms > CURSOR_STALE_MS) continue;
        dots[n++] = (nb_segment){ .x1 = p->x, .y1 = p->y, .x2 = p->x, .y2 = p->y,
                                  .rgba = nb_app_peer_color(p->author), .width = 22 };
    }
    if (n) nb_canvas_draw_overlay(a->canvas, a->ren, dots, n, 230, NULL);

    /* Name tags: drawn as UI commands so they sit above the canvas with the UI's text. */
    const nb_ui_theme *t = nb_ui_theme_get(a->ui);
    for (int i = 0; i < a->n_peers; i++) {
        const nb_peer *p = &a->peers[i];
        if (!p->cursor_visible || p->author == a->sync.author || now - p->cursor_ms > CURSOR_STALE_MS) continue;
        int len = (int)strlen(p->name);
        int tw = a->ui_opts.text_width(a->ui_opts.ud, NB_UI_FONT_SANS, p->name, len);
        int th = a->ui_opts.text_height(a->ui_opts.ud, NB_UI_FONT_SANS);
        int pad = (int)(4 * t->scale);
        int x = (int)nb_view_to_px_x(b, p->x) + (int)(12 * t->scale);
        int y = (int)nb_view_to_px_y(b, p->y) + (int)(8 * t->scale);
        nb_ui_draw_rect(a->ui, (nb_rect){ x, y, tw + 2 * pad, th + pad }, nb_color_from_rgba(nb_app_peer_color(p->author)));
        nb_ui_draw_text(a->ui, NB_UI_FONT_SANS, p->name, len, x + pad, y + pad / 2,
                        (nb_color){ 255, 255, 255, 255 }, 0);
    }
}

/* Presenter mode keeps a small toolbar at the top left of the board. */
void nb_app_presenter_toolbar(nb_app *a)
{
    static const char *const tools[NB_TOOL_COUNT] = { "Pen", "Marker", "Eraser", "Laser" };
    const nb_ui_theme *t = nb_ui_theme_get(a->ui);
    int w = (int)(860 * t->scale), h = (int)(64 * t->scale);
    a->toolbar_rect = (nb_rect){ (int)(12 * t->scale), (int)(12 * t->scale), w, h };
    nb_ui_panel_begin(a->ui, "toolbar", a->toolbar_rect);
    int widths[NB_TOOL_COUNT + NB_SETTINGS_PALETTE + 2];
    int k = 0;
    for (int i = 0; i < NB_TOOL_COUNT; i++) widths[k++] = 78;
    for (int i = 0; i < NB_SETTINGS_PALETTE; i++) widths[k++] = 30;
    widths[k++] = 70;
    widths[k++] = -1;
    nb_ui_layout_row(a->ui, k, widths, 30);
    for (int i = 0; i < NB_TOOL_COUNT; i++)
        if (nb_ui_button_ex(a->ui, tools[i], a->tool == i ? NB_UI_OPT_ACCENT : 0) & NB_UI_RES_SUBMIT)
            a->tool = i;
    for (int i = 0; i < NB_SETTINGS_PALETTE; i++) {
        uint32_t c = a->settings.palette[i];
        if (nb_ui_swatch(a->ui, nb_color_from_rgba(c), c == a->color) & NB_UI_RES_SUBMIT) {
            a->color = c;
            if (a->tool == NB_TOOL_ERASER || a->tool == NB_TOOL_LASER) a->tool = NB_TOOL_PEN;
        }
    }
    if (nb_ui_button(a->ui, "Undo") & NB_UI_RES_SUBMIT) nb_app_undo(a);
    if (nb_ui_button(a->ui, "Exit (Esc)") & NB_UI_RES_SUBMIT)
        SDL_SetWindowFullscreen(a->win, 0);
    nb_ui_panel_end(a->ui);
}
