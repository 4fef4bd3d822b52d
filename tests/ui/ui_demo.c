/* ui_demo.c — renders a representative right-hand panel (tabs, connection form, pen
 * colours, network emulation, log with Korean text and a hex dump, a textbox mid-IME
 * composition) to a PNG without a display: `ui_demo out.png [scale]`. Used to eyeball the
 * theme and as a smoke test of the whole draw path. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb_time.h"
#include "nb_ui_sdl.h"

typedef struct demo {
    int tab, mode, delay, grid, pen;
    float width;
    char server[64], chat[128];
    nb_ui_ring log;
    char log_store[64 * 96];
} demo;

static const nb_color palette[] = {
    { 20, 20, 20, 255 }, { 240, 240, 240, 255 }, { 230, 57, 70, 255 }, { 244, 162, 97, 255 },
    { 233, 196, 106, 255 }, { 42, 157, 143, 255 }, { 69, 123, 157, 255 }, { 155, 93, 229, 255 },
};

static void panel(nb_ui *ui, demo *d, nb_rect r)
{
    static const char *const tabs[] = { "Board", "Chat", "Diag" };
    nb_ui_panel_begin(ui, "side", r);
    d->tab = nb_ui_tabs(ui, tabs, 3, d->tab);

    nb_ui_header(ui, "Connection");
    nb_ui_layout_row(ui, 2, (int[]){ 64, 0 }, 0);
    nb_ui_label_ex(ui, "Server", NB_UI_OPT_DIM);
    nb_ui_textbox(ui, d->server, (int)sizeof d->server);
    nb_ui_layout_row(ui, 2, (int[]){ 150, 0 }, 0);
    nb_ui_button_ex(ui, "Connect", NB_UI_OPT_ACCENT);
    nb_ui_button(ui, "Disconnect");

    nb_ui_header(ui, "Pen");
    nb_ui_layout_row(ui, 8, (int[]){ 32, 32, 32, 32, 32, 32, 32, 32 }, 32);
    for (int i = 0; i < 8; i++)
        if (nb_ui_swatch(ui, palette[i], d->pen == i) & NB_UI_RES_SUBMIT) d->pen = i;
    nb_ui_layout_row(ui, 2, (int[]){ 64, 0 }, 0);
    nb_ui_label_ex(ui, "Width", NB_UI_OPT_DIM);
    nb_ui_slider(ui, &d->width, 1, 40, 1, "%.0f");
    nb_ui_layout_row(ui, 1, (int[]){ 0 }, 0);
    nb_ui_checkbox(ui, "Show grid", &d->grid);

    nb_ui_header(ui, "Network emulation");
    nb_ui_layout_row(ui, 3, (int[]){ 100, 90, 0 }, 0);
    nb_ui_radio(ui, "FIXED", &d->mode, 0);
    nb_ui_radio(ui, "VAR", &d->mode, 1);
    nb_ui_radio(ui, "MIX", &d->mode, 2);
    nb_ui_layout_row(ui, 2, (int[]){ 64, 0 }, 0);
    nb_ui_label_ex(ui, "Delay", NB_UI_OPT_DIM);
    nb_ui_slider_int(ui, &d->delay, 0, 1000, "%d ms");

    nb_ui_header(ui, "Chat");
    nb_ui_layout_row(ui, 1, (int[]){ 0 }, -(nb_ui_theme_default().padding * 2 + 40));
    nb_ui_log(ui, "log", &d->log, NB_UI_OPT_MONO);
    nb_ui_layout_row(ui, 2, (int[]){ -80, 0 }, 0);
    nb_ui_textbox(ui, d->chat, (int)sizeof d->chat);
    nb_ui_button(ui, "Send");
    nb_ui_panel_end(ui);
}

int main(int argc, char **argv)
{
    const char *out = argc > 1 ? argv[1] : "ui_panel.png";
    float scale = argc > 2 ? (float)atof(argv[2]) : 1.0f;
    int w = (int)(1280 * scale), h = (int)(760 * scale), pw = (int)(400 * scale);
    char err[NB_ERR_LEN] = "";
    int rc = 1;
    SDL_Surface *surf = NULL;
    SDL_Renderer *ren = NULL;
    nb_ui_sdl *be = NULL;
    nb_ui *ui = NULL;
    static demo d = { .delay = 250, .width = 6, .grid = 1, .pen = 2, .server = "127.0.0.1:49001" };

    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) goto fail;
    surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    ren = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!ren || !(be = nb_ui_sdl_create(ren, NULL, 0, err))) goto fail;
    nb_ui_opts o = { 0 };
    nb_ui_sdl_fill_opts(be, &o);
    if (!(ui = nb_ui_create(&o)) || nb_ui_sdl_set_scale(be, ui, scale, err) != 0) goto fail;

    nb_ui_ring_init(&d.log, d.log_store, 64, 96);
    nb_ui_ring_push(&d.log, "12:00:01 connected to 127.0.0.1:49001 (peer 3)");
    nb_ui_ring_push(&d.log, "12:00:02 <mina> 안녕하세요! 보드 보여요?");
    nb_ui_ring_push(&d.log, "12:00:04 <joe> yes, all good");
    nb_ui_ring_push(&d.log, "12:00:05 rtt 0.21 ms, 0 retransmits");
    nb_ui_ring_push(&d.log, "0000  4e 42 50 2f 31 20 48 45  NBP/1 HE");
    nb_ui_ring_push(&d.log, "0008  4c 4c 4f 0d 0a 00 03 1f  LLO.....");

    /* Frame 1 lays out; a click on the chat box focuses it; the IME then composes. */
    nb_rect pr = { w - pw, 0, pw, h };
    for (int f = 0; f < 3; f++) {
        nb_ui_begin(ui);
        panel(ui, &d, pr);
        nb_ui_end(ui);
        if (f == 0) {
            nb_ui_input_mousedown(ui, w - pw + (int)(40 * scale), h - (int)(30 * scale), NB_UI_MOUSE_LEFT);
            nb_ui_input_mouseup(ui, w - pw + (int)(40 * scale), h - (int)(30 * scale), NB_UI_MOUSE_LEFT);
        } else if (f == 1) {
            nb_ui_input_text(ui, "좋아요 ");
            nb_ui_input_textedit(ui, "한", 1);
        }
    }
    SDL_SetRenderDrawColor(ren, 246, 246, 242, 255);   /* the board area */
    SDL_RenderClear(ren);
    nb_ui_sdl_draw(be, ui);
    SDL_RenderFlush(ren);
    if (IMG_SavePNG(surf, out) != 0) {
        nb_set_error(err, "IMG_SavePNG %s: %s", out, SDL_GetError());
        goto fail;
    }
    /* Steady-state cost: 200 more frames, logic and drawing timed apart. */
    uint64_t logic = 0, draw = 0;
    for (int f = 0; f < 200; f++) {
        uint64_t t0 = nb_time_ns();
        nb_ui_begin(ui);
        panel(ui, &d, pr);
        nb_ui_end(ui);
        uint64_t t1 = nb_time_ns();
        nb_ui_sdl_draw(be, ui);
        SDL_RenderFlush(ren);
        draw += nb_time_ns() - t1;
        logic += t1 - t0;
    }
    nb_ui_sdl_stats s;
    nb_ui_sdl_get_stats(be, &s);
    printf("per frame: ui logic %.1f us, software draw %.2f ms; cache hits %ld misses %ld\n",
           (double)logic / 200e3, (double)draw / 200e6, s.hits, s.misses);
    printf("%s: %dx%d, %d text textures, fallback %s\n", out, w, h, s.entries,
           nb_ui_sdl_fallback_path(be) ? nb_ui_sdl_fallback_path(be) : "(none)");
    rc = 0;
fail:
    if (rc) fprintf(stderr, "ui_demo: %s %s\n", err, SDL_GetError());
    nb_ui_destroy(ui);
    nb_ui_sdl_destroy(be);
    if (ren) SDL_DestroyRenderer(ren);
    SDL_FreeSurface(surf);
    SDL_Quit();
    return rc;
}
