/* nb_app.c — the frame loop: app_init / app_event / app_iterate / app_quit around one
 * `done` flag. Layout: the canvas fills the left, the panel the right, the status bar the
 * bottom; in presenter mode (F11) the panel hides and the canvas takes the whole window.
 * Render thread: this file owns the window, the renderer and every other app object. */
#include "nb_app.h"
#include "nb_app_int.h"

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "nb_log.h"
#include "nb_path.h"
#include "nb_time.h"
#include "nb_view.h"

#define PANEL_W 480      /* logical px at UI scale 1 */
#define STATUS_H 44

static void layout(nb_app *a)
{
    SDL_GetRendererOutputSize(a->ren, &a->win_w, &a->win_h);
    int fullscreen = (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN) != 0;
    /* Scale the UI with the window so a 4K projector reads like a 1080p one. */
    float scale = a->win_h >= 2000 ? 2.0f : a->win_h >= 1400 ? 1.5f : 1.0f;
    char err[NB_ERR_LEN];
    if (nb_ui_theme_get(a->ui)->scale != scale && nb_ui_sdl_set_scale(a->uib, a->ui, scale, err) < 0)
        nb_warn("ui scale: %s", err);
    if (a->ov.ui) nb_ui_set_scale(a->ov.ui, scale);
    int panel_w = fullscreen ? 0 : (int)(PANEL_W * scale);
    int status_h = (int)(STATUS_H * scale);
    if (panel_w > a->win_w / 2) panel_w = a->win_w / 2;
    a->canvas_area = (nb_rect){ 0, 0, a->win_w - panel_w, a->win_h - status_h };
    a->panel_rect = (nb_rect){ a->win_w - panel_w, 0, panel_w, a->win_h - status_h };
    a->status_rect = (nb_rect){ 0, a->win_h - status_h, a->win_w, status_h };
}

static int tab_from_name(const char *name)
{
    static const char *const names[NB_TAB_COUNT] = { "board", "chat", "server", "client", "diag" };
    for (int i = 0; i < NB_TAB_COUNT; i++)
        if (!SDL_strncasecmp(name, names[i], strlen(names[i]))) return i;
    return NB_TAB_BOARD;
}

static void default_name(char *out, size_t cap)
{
    const char *u = getenv("USER");
    nb_strlcpy(out, u && *u ? u : "guest", cap);
}

static int app_init(nb_app *a, int argc, char **argv)
{
    char err[NB_ERR_LEN], font[1024];
    if (nb_app_parse_args(argc, argv, &a->opts, err) < 0) {
        fprintf(stderr, "netboard: %s\n", err);
        return 2;
    }
    if (a->opts.show_help) {
        nb_app_print_usage();
        return 0;
    }
    if (a->opts.show_version) {
        printf("netboard %s (NBP/%d)\n", NB_VERSION, NB_PROTO_VERSION);
        return 0;
    }
    if (nb_settings_load(&a->settings, err) < 0) nb_warn("settings: %s (using defaults)", err);

    nb_app_log_init(&a->chat_log);
    nb_app_log_init(&a->raw_log);
    nb_app_log_init(&a->diag_log);
    nb_app_log_init(&a->app_log);
    a->tool = NB_TOOL_PEN;
    a->color = a->opts.color ? a->opts.color : a->settings.pen_rgba;
    a->width = a->opts.pen_width ? a->opts.pen_width : a->settings.pen_width;
    a->next_stroke = 1;
    a->tab = a->opts.tab[0] ? tab_from_name(a->opts.tab) : NB_TAB_BOARD;
    nb_strlcpy(a->name_text, a->opts.name[0] ? a->opts.name : a->settings.name, sizeof a->name_text);
    if (!a->name_text[0]) default_name(a->name_text, sizeof a->name_text);
    if (a->opts.board_name[0]) nb_strlcpy(a->board_name, a->opts.board_name, sizeof a->board_name);
    else snprintf(a->board_name, sizeof a->board_name, "%s's board", a->name_text);
    snprintf(a->port_text, sizeof a->port_text, "%d", a->opts.port);
    snprintf(a->server_port_text, sizeof a->server_port_text, "%d", a->opts.port);
    nb_strlcpy(a->host_text, a->opts.join_host[0] ? a->opts.join_host : "127.0.0.1", sizeof a->host_text);
    nb_strlcpy(a->raw_host, "127.0.0.1", sizeof a->raw_host);
    snprintf(a->raw_port, sizeof a->raw_port, "%d", a->opts.port);
    nb_strlcpy(a->diag_name, "example.com", sizeof a->diag_name);
    nb_strlcpy(a->diag_addr, "::1", sizeof a->diag_addr);
    nb_strlcpy(a->diag_host, a->host_text, sizeof a->diag_host);
    snprintf(a->diag_port, sizeof a->diag_port, "%d", a->opts.port);
    nb_strlcpy(a->client_reason, "not connected", sizeof a->client_reason);
    nb_app_default_board_path(a->file_path, sizeof a->file_path);
    a->replay_speed = 200;
    a->export_res = 1;
    a->custom_r = 0x20;
    a->custom_g = 0x80;
    a->custom_b = 0x80;
    /* Our session token, made here so the in-app server knows its host before we join. */
    if (getrandom(&a->settings_session, sizeof a->settings_session, 0) != sizeof a->settings_session ||
        !a->settings_session)
        a->settings_session = nb_time_ns() | 1;

    nb_ui_sdl_set_hints();
    SDL_SetHint("SDL_VIDEO_WAYLAND_WMCLASS", "io.github.netboard.netboard");
    SDL_SetHint("SDL_VIDEO_X11_WMCLASS", "netboard");
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) < 0) {
        fprintf(stderr, "netboard: SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    int w = a->opts.width ? a->opts.width : a->settings.window_w;
    int h = a->opts.height ? a->opts.height : a->settings.window_h;
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (a->opts.fullscreen) {
        /* Open at the desktop's size: no resize has to reach the renderer first (some
         * X servers without a window manager never send one). */
        SDL_DisplayMode dm;
        if (SDL_GetDesktopDisplayMode(0, &dm) == 0) {
            w = dm.w;
            h = dm.h;
        }
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    a->win = SDL_CreateWindow("netboard", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!a->win) {
        fprintf(stderr, "netboard: cannot open a window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_SetWindowMinimumSize(a->win, 640, 400);
    char icon[1024];
    SDL_Surface *ic = nb_path_asset("icons/netboard-64.png", icon, sizeof icon) == 0 ? IMG_Load(icon) : NULL;
    if (ic) {
        SDL_SetWindowIcon(a->win, ic);
        SDL_FreeSurface(ic);
    }
    a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC |
                                                SDL_RENDERER_TARGETTEXTURE);
    if (!a->ren) a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->ren) {
        fprintf(stderr, "netboard: no renderer: %s\n", SDL_GetError());
        return 1;
    }
    if (nb_path_asset("fonts/DejaVuSans.ttf", font, sizeof font) < 0) {
        fprintf(stderr, "netboard: assets not found (set NETBOARD_DATA_DIR)\n");
        return 1;
    }
    a->uib = nb_ui_sdl_create(a->ren, font, 0, err);
    if (!a->uib) {
        fprintf(stderr, "netboard: %s\n", err);
        return 1;
    }
    nb_ui_sdl_fill_opts(a->uib, &a->ui_opts);
    a->ui = nb_ui_create(&a->ui_opts);
    if (!a->ui) {
        fprintf(stderr, "netboard: out of memory\n");
        return 1;
    }
    if (nb_app_overlay_init(a) < 0) {
        fprintf(stderr, "netboard: out of memory\n");
        return 1;
    }
    a->ov.on = a->opts.overlay || a->settings.overlay;
    a->board = nb_board_create(NULL);
    a->canvas = nb_canvas_create(NULL);
    if (!a->board || !a->canvas) {
        fprintf(stderr, "netboard: out of memory\n");
        return 1;
    }
    layout(a);

    if (a->opts.join_host[0]) {
        nb_app_join(a, a->opts.join_host, a->opts.port, err);
    } else {
        int port = nb_app_host(a, a->opts.port, err);
        if (port > 0) {
            snprintf(a->port_text, sizeof a->port_text, "%d", port);
            nb_app_join(a, "127.0.0.1", port, err);
        }
    }
    nb_app_lan_start(a);
    if (a->opts.diag[0]) {
        char words[256], *argv_d[8], *save = NULL;
        int n = 0;
        nb_strlcpy(words, a->opts.diag, sizeof words);
        for (char *t = strtok_r(words, " ", &save); t && n < 8; t = strtok_r(NULL, " ", &save)) argv_d[n++] = t;
        if (n) nb_app_start_diag(a, argv_d[0], n - 1, (const char *const *)argv_d + 1);
    }
    nb_script_init(&a->script, a->opts.drags, a->opts.n_drags, 3);
    a->fps_t0 = nb_time_ms();
    return -1;   /* keep running */
}

static int save_screenshot(nb_app *a, const char *path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, a->win_w, a->win_h, 32, SDL_PIXELFORMAT_RGB888);
    int rc = -1;
    if (!s) goto done;
    if (SDL_RenderReadPixels(a->ren, NULL, SDL_PIXELFORMAT_RGB888, s->pixels, s->pitch) < 0) goto done;
    rc = IMG_SavePNG(s, path);
done:
    if (rc < 0) nb_error("screenshot %s: %s", path, SDL_GetError());
    else nb_info("screenshot saved to %s (%dx%d)", path, a->win_w, a->win_h);
    SDL_FreeSurface(s);
    return rc;
}

static void toggle_fullscreen(nb_app *a)
{
    int on = (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN) != 0;
    SDL_SetWindowFullscreen(a->win, on ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
}

/* Shortcuts work when no text box has the keyboard. */
static void app_key(nb_app *a, const SDL_KeyboardEvent *k)
{
    int ctrl = (k->keysym.mod & KMOD_CTRL) != 0, shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    if (k->keysym.sym == SDLK_F11) {
        toggle_fullscreen(a);
        return;
    }
    if (k->keysym.sym == SDLK_F3) {
        a->ov.on = !a->ov.on;
        return;
    }
    if (nb_ui_captures_keyboard(a->ui)) return;
    switch (k->keysym.sym) {
    case SDLK_z:
        if (ctrl && shift) nb_app_redo(a);
        else if (ctrl) nb_app_undo(a);
        break;
    case SDLK_y: if (ctrl) nb_app_redo(a); break;
    case SDLK_p: a->tool = NB_TOOL_PEN; break;
    case SDLK_h: a->tool = NB_TOOL_HIGHLIGHTER; break;
    case SDLK_e: a->tool = NB_TOOL_ERASER; break;
    case SDLK_l: a->tool = NB_TOOL_LASER; break;
    case SDLK_LEFTBRACKET: a->width = NB_MAX(1, a->width - 1); break;
    case SDLK_RIGHTBRACKET: a->width = NB_MIN(40, a->width + 1); break;
    case SDLK_1: case SDLK_2: case SDLK_3: case SDLK_4:
    case SDLK_5: case SDLK_6: case SDLK_7: case SDLK_8:
        a->color = a->settings.palette[k->keysym.sym - SDLK_1];
        if (a->tool == NB_TOOL_ERASER || a->tool == NB_TOOL_LASER) a->tool = NB_TOOL_PEN;
        break;
    case SDLK_ESCAPE:
        if (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN) toggle_fullscreen(a);
        break;
    }
}

static void app_event(nb_app *a, const SDL_Event *e)
{
    if (nb_script_filters(&a->script, e)) return;
    nb_canvas_handle_event(a->canvas, e);
    switch (e->type) {
    case SDL_QUIT:
        a->done = 1;
        return;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) layout(a);
        break;
    case SDL_KEYDOWN:
        app_key(a, &e->key);
        break;
    }
    /* The overlay takes events over its own area (unless a stroke is under way); the pen
     * owns a drag that started on the canvas, even over the panel. */
    if (a->ov.on && !a->drawing && nb_ui_sdl_feed_event(a->uib, a->ov.ui, e)) return;
    if (!nb_app_draw_event(a, e)) nb_ui_sdl_feed_event(a->uib, a->ui, e);
}

static void app_iterate(nb_app *a)
{
    char err[NB_ERR_LEN];
    nb_script_step(&a->script, a->frame, nb_canvas_board_rect(a->canvas), SDL_GetWindowID(a->win));
    SDL_Event e;
    while (SDL_PollEvent(&e)) app_event(a, &e);

    nb_app_net_iterate(a);
    nb_app_lan_iterate(a);
    nb_app_raw_iterate(a);
    if (a->diag) {
        size_t n = nb_diag_job_drain(a->diag, a->diag_lines, NB_ARRAY_LEN(a->diag_lines));
        for (size_t i = 0; i < n; i++) nb_app_log_wrapped(a, &a->diag_log, a->diag_lines[i].text);
        if (nb_diag_job_done(a->diag)) {
            nb_diag_job_free(a->diag);
            a->diag = NULL;
        }
    }

    SDL_SetRenderDrawColor(a->ren, 0x2B, 0x2B, 0x2B, 0xFF);
    SDL_RenderClear(a->ren);
    nb_app_replay_step(a);
    if (nb_canvas_sync(a->canvas, a->ren, a->replay_board ? a->replay_board : a->board,
                       a->canvas_area, err) < 0 ||
        nb_canvas_draw(a->canvas, a->ren, err) < 0)
        nb_warn("canvas: %s", err);
    nb_app_draw_overlays(a);

    uint64_t t_ns = nb_time_ns();
    nb_app_overlay_frame(a, a->frame_t0_ns ? (uint32_t)((t_ns - a->frame_t0_ns) / 1000) : 0);
    a->frame_t0_ns = t_ns;

    nb_ui_begin(a->ui);
    nb_app_draw_cursors(a);
    if (a->panel_rect.w > 0) nb_app_panel(a);
    else nb_app_presenter_toolbar(a);
    nb_app_status_bar(a);
    nb_ui_end(a->ui);
    nb_app_overlay_draw(a);
    nb_ui_sdl_draw(a->uib, a->ui);

    a->frame++;
    if (a->opts.screenshot[0] && a->frame == a->opts.frames) save_screenshot(a, a->opts.screenshot);
    SDL_RenderPresent(a->ren);
    if (a->opts.frames && a->frame >= a->opts.frames) a->done = 1;

    a->fps_frames++;
    uint64_t now = nb_time_ms();
    if (now - a->fps_t0 >= 1000) {
        a->fps = (int)(a->fps_frames * 1000 / (now - a->fps_t0));
        a->fps_frames = 0;
        a->fps_t0 = now;
    }
}

static void app_quit(nb_app *a)
{
    char err[NB_ERR_LEN];
    if (a->win && !a->opts.screenshot[0]) {
        /* Remember what the user chose for next time (not for scripted test runs). */
        a->settings.pen_rgba = a->color;
        a->settings.pen_width = a->width;
        nb_strlcpy(a->settings.name, a->name_text, sizeof a->settings.name);
        if (!(SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN))
            SDL_GetWindowSize(a->win, &a->settings.window_w, &a->settings.window_h);
        if (nb_settings_save(&a->settings, err) < 0) nb_warn("settings: %s", err);
    }
    nb_app_lan_stop(a);
    nb_app_leave(a);
    nb_app_stop_hosting(a);
    nb_rawclient_stop(a->raw);
    nb_diag_job_free(a->diag);
    nb_app_replay_stop(a);
    nb_canvas_destroy(a->canvas);
    nb_board_destroy(a->board);
    nb_app_overlay_free(a);
    if (a->ui) nb_ui_destroy(a->ui);
    nb_ui_sdl_destroy(a->uib);
    if (a->ren) SDL_DestroyRenderer(a->ren);
    if (a->win) SDL_DestroyWindow(a->win);
    SDL_Quit();
}

int nb_app_main(int argc, char **argv)
{
    nb_app *a = calloc(1, sizeof *a);   /* large (logs): keep it off the stack */
    if (!a) return 1;
    int rc = app_init(a, argc, argv);
    if (rc < 0) {
        while (!a->done) app_iterate(a);
        rc = 0;
    }
    app_quit(a);
    free(a);
    return rc;
}
