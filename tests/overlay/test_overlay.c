/* test_overlay.c — the overlay drawn with made-up traffic, RTT, TCP_INFO and captured
 * frames over a fake board, 1920x1080 at presenter scale 1.5 on the software renderer
 * (SDL_VIDEODRIVER=dummy). Saves the picture (argv[1] or /tmp/overlay.png) and checks
 * the pixels: translucent where the overlay is, untouched outside, in/out colours in the
 * graphs, the framing colours in the hex dump; then clicks an inspector row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <string.h>

#include "nb_overlay.h"
#include "nb_time.h"
#include "nb_ui_sdl.h"

#define W 1920
#define H 1080
#define SCALE 1.5f

static const char *png_path = "/tmp/overlay.png";
static const nb_rect AREA = { 24, 24, 1296, 1032 };   /* the canvas left of a 600 px side panel */
static const nb_rect STRIPE = { 0, 500, W, 60 };      /* a red band across the board */

typedef struct fixture {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    nb_ui_sdl *be;
    nb_ui *ui;
    nb_traffic traffic;
    nb_gauge rtt;
    nb_capture *cap;
    nb_capture_entry entries[NB_CAPTURE_ENTRIES];
    uint64_t selected;
    int delay, rate;
    nb_overlay_data d;
    uint64_t now;
} fixture;

static fixture fx;

/* 60 s of a lesson: pings every second, strokes in bursts, a chat now and then. */
static void fake_traffic(fixture *f)
{
    static nb_counters c;
    nb_counters_init(&c);
    nb_counters_snap s;
    uint64_t t0 = 1000000;
    for (uint64_t ms = 0; ms <= 60500; ms += 50) {
        uint64_t now = t0 + ms, sec = ms / 1000;
        if (ms % 1000 == 0) {
            nb_counters_add(&c, NB_DIR_OUT, 'P', 9);
            nb_counters_add(&c, NB_DIR_IN, 'Q', 9);
            nb_gauge_set(&f->rtt, now, 0.8f + (float)(sec % 7) * 0.15f + (sec == 41 ? 6.0f : 0.0f));
        }
        if ((sec / 6) % 2 == 0) {              /* drawing: 20 segments/s out, echoed by peers in */
            nb_counters_add(&c, NB_DIR_OUT, 'S', 21);
            nb_counters_add(&c, NB_DIR_IN, 'S', 21);
            if (sec % 3 == 0) nb_counters_add(&c, NB_DIR_IN, 'S', 21);
        }
        if (ms % 7000 == 0) nb_counters_add(&c, NB_DIR_OUT, 'V', 40);
        if (ms % 4500 == 0) nb_counters_add(&c, NB_DIR_IN, 'T', 60);
        if (ms % 10000 == 0) nb_counters_add(&c, NB_DIR_OUT, 'K', 8);
        nb_counters_snapshot(&c, &s);
        nb_traffic_update(&f->traffic, now, &s);
    }
    f->now = t0 + 60500;
}

static void push(fixture *f, int dir, uint64_t t, nb_frame fr)
{
    nb_capture_push_frame(f->cap, dir, t, &fr);
}

static void fake_capture(fixture *f)
{
    uint64_t t = f->now - 3000;
    push(f, NB_CAPTURE_OUT, t, (nb_frame){ .type = NB_FT_HELLO, .u.hello = { 1, 0x5eed }, .text = "ada", .text_len = 3 });
    push(f, NB_CAPTURE_IN, t += 2, (nb_frame){ .type = NB_FT_WELCOME, .u.welcome = { 3, 120, 120 }, .text = "physics", .text_len = 7 });
    push(f, NB_CAPTURE_IN, t += 40, (nb_frame){ .type = NB_FT_CHAT_DELIVERED, .u.chat = { 2, 'V' }, .text = "hi all", .text_len = 6 });
    push(f, NB_CAPTURE_OUT, t += 300, (nb_frame){ .type = NB_FT_CHAT_FIXED, .text = "hello class", .text_len = 11 });
    push(f, NB_CAPTURE_OUT, t += 200, (nb_frame){ .type = NB_FT_CHAT_VAR, .text = "see the graph?", .text_len = 14 });
    push(f, NB_CAPTURE_OUT, t += 100, (nb_frame){ .type = NB_FT_PING, .u.token = 0x1234567890ull });
    push(f, NB_CAPTURE_IN, t += 1, (nb_frame){ .type = NB_FT_PONG, .u.token = 0x1234567890ull });
    push(f, NB_CAPTURE_IN, t += 50, (nb_frame){ .type = NB_FT_CURSOR, .u.cursor = { 2, 30000, 20000, 1 } });
    for (int i = 0; i < 6; i++) {
        nb_segment s = { 3, 17, (uint16_t)(1000 + i * 300), 20000, (uint16_t)(1300 + i * 300), 20100,
                         0xe63946ff, 4, 0 };
        push(f, i % 3 ? NB_CAPTURE_OUT : NB_CAPTURE_IN, t += 33, (nb_frame){ .type = NB_FT_SEGMENT, .u.seg = s });
    }
    push(f, NB_CAPTURE_OUT, t += 80, (nb_frame){ .type = NB_FT_UNDO, .u.undo = { 3, 17 } });
    f->d.capture_len = nb_capture_snapshot(f->cap, f->entries, NULL);
}

static int setup(void **state)
{
    fixture *f = &fx;
    char err[NB_ERR_LEN] = "";
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) return -1;
    f->surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    f->ren = f->surf ? SDL_CreateSoftwareRenderer(f->surf) : NULL;
    if (!f->ren || !(f->be = nb_ui_sdl_create(f->ren, NULL, 0, err))) {
        fprintf(stderr, "setup: %s %s\n", err, SDL_GetError());
        return -1;
    }
    nb_ui_theme th = nb_overlay_theme(NULL);
    nb_ui_opts o = { .theme = &th };
    nb_ui_sdl_fill_opts(f->be, &o);
    o.theme = &th;
    if (!(f->ui = nb_ui_create(&o)) || nb_ui_sdl_set_scale(f->be, f->ui, SCALE, err) != 0) return -1;
    if (!(f->cap = nb_capture_create())) return -1;

    fake_traffic(f);
    nb_overlay_data *d = &f->d;
    d->now_ms = f->now;
    d->status = "connected to 192.168.1.20:49001 as author 3";
    d->frame = (nb_frametime_stats){ 60, 16400, 21900 };
    d->drained_frame = 2;
    d->drained_ps = 41;
    d->overlay_us = 380;
    d->traffic = &f->traffic;
    d->rtt_samples = 60;
    d->rtt_last_us = 910, d->rtt_min_us = 640, d->rtt_avg_us = 1180, d->rtt_max_us = 6950;
    d->rtt_ms = &f->rtt;
    d->have_tcp = 1;
    d->tcp = (nb_tcp_stats){ .state = 1, .rtt_us = 420, .snd_cwnd = 10, .unacked = 1, .total_retrans = 0 };
    d->sndbuf = 2626560, d->rcvbuf = 131072;
    fake_capture(f);
    d->capture = f->entries;
    d->selected_seq = &f->selected;
    f->delay = 250, f->rate = 0;
    d->delay_ms = &f->delay;
    d->rate_pps = &f->rate;
    d->shaper_held = 3;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nb_capture_destroy(f->cap);
    nb_ui_destroy(f->ui);
    nb_ui_sdl_destroy(f->be);
    SDL_DestroyRenderer(f->ren);
    SDL_FreeSurface(f->surf);
    SDL_Quit();
    return 0;
}

/* The board underneath: off-white with a red band, then the overlay. */
static int frame(fixture *f)
{
    nb_ui_begin(f->ui);
    int res = nb_overlay_draw(f->ui, AREA, &f->d);
    nb_ui_end(f->ui);
    SDL_SetRenderDrawColor(f->ren, 246, 246, 242, 255);
    SDL_RenderClear(f->ren);
    SDL_SetRenderDrawColor(f->ren, 230, 57, 70, 255);
    SDL_RenderFillRect(f->ren, &(SDL_Rect){ STRIPE.x, STRIPE.y, STRIPE.w, STRIPE.h });
    nb_ui_sdl_draw(f->be, f->ui);
    SDL_RenderFlush(f->ren);
    return res;
}

static void rgb(fixture *f, int x, int y, uint8_t *r, uint8_t *g, uint8_t *b)
{
    uint32_t p = ((const uint32_t *)f->surf->pixels)[y * (f->surf->pitch / 4) + x];
    SDL_GetRGB(p, f->surf->format, r, g, b);
}

/* Pixels in rect within `tol` of colour c. */
static int count_near(fixture *f, nb_rect rc, nb_color c, int tol)
{
    int n = 0;
    for (int y = rc.y; y < rc.y + rc.h; y++)
        for (int x = rc.x; x < rc.x + rc.w; x++) {
            uint8_t r, g, b;
            rgb(f, x, y, &r, &g, &b);
            if (abs(r - c.r) <= tol && abs(g - c.g) <= tol && abs(b - c.b) <= tol) n++;
        }
    return n;
}

static int find_text(nb_ui *ui, const char *prefix, nb_rect *out)
{
    const nb_ui_cmd *c = NULL;
    while (nb_ui_next_command(ui, &c))
        if (c->type == NB_UI_CMD_TEXT && strncmp(c->text, prefix, strlen(prefix)) == 0) {
            *out = c->rect;
            return 1;
        }
    return 0;
}

static void test_renders_overlay(void **state)
{
    fixture *f = *state;
    f->selected = 0;   /* follow the newest (the U frame) */
    frame(f);
    frame(f);          /* second frame: layout settled, text cached */
    assert_int_equal(nb_ui_dropped_commands(f->ui), 0);
    if (IMG_SavePNG(f->surf, png_path) != 0) fail_msg("save %s: %s", png_path, SDL_GetError());

    uint8_t r, g, b;
    /* Outside the area the board is untouched. */
    rgb(f, W - 10, 10, &r, &g, &b);
    assert_true(r == 246 && g == 246 && b == 242);
    rgb(f, W - 10, STRIPE.y + 10, &r, &g, &b);
    assert_true(r == 230 && g == 57 && b == 70);
    /* Inside, a blank corner is dark but translucent: the board shows through, and the
     * red band stays reddish. */
    rgb(f, AREA.x + 3, AREA.y + 3, &r, &g, &b);
    assert_true(r > 30 && r < 110 && abs(r - g) < 12);
    uint8_t sr, sg, sb;
    rgb(f, AREA.x + 3, STRIPE.y + 30, &sr, &sg, &sb);
    assert_true(sr > sg + 20 && sr < 120);
    /* The graphs show the in (cyan) and out (orange) colours, the RTT graph green. */
    assert_true(count_near(f, AREA, nb_overlay_color_in, 8) > 2000);
    assert_true(count_near(f, AREA, nb_overlay_color_out, 8) > 2000);
    /* The hex dump of the selected frame: the type byte in magenta, fields in white. */
    nb_rect t = { 0, 0, 0, 0 };
    assert_true(find_text(f->ui, "0000", &t));
    nb_rect hexrow = { t.x, t.y, AREA.x + AREA.w - t.x, t.h };
    assert_true(count_near(f, hexrow, nb_overlay_role_color(NB_INSPECT_TYPE), 30) > 20);
    assert_true(find_text(f->ui, "overlay 0.38 ms", &t));
    assert_true(find_text(f->ui, "RTT", &t));
    assert_true(find_text(f->ui, "TCP rtt 0.4 ms", &t));
}

static void click(fixture *f, int x, int y)
{
    nb_ui_input_mousemove(f->ui, x, y);
    frame(f);
    nb_ui_input_mousedown(f->ui, x, y, NB_UI_MOUSE_LEFT);
    frame(f);
    nb_ui_input_mouseup(f->ui, x, y, NB_UI_MOUSE_LEFT);
}

static void test_select_rows(void **state)
{
    fixture *f = *state;
    f->selected = 0;
    frame(f);
    /* Row 4 from the top is the F chat frame (newest first: U, 6 S, then K Q P V F). */
    nb_rect t = { 0, 0, 0, 0 };
    const nb_capture_entry *fe = NULL;
    for (size_t i = 0; i < f->d.capture_len; i++)
        if (f->entries[i].type == 'F') fe = &f->entries[i];
    assert_non_null(fe);
    char want[16];
    snprintf(want, sizeof want, "out %6.2f F", (double)(fe->time_ms % 100000) / 1000.0);
    assert_true(find_text(f->ui, want, &t));
    click(f, t.x + 10, t.y + t.h / 2);
    assert_true(frame(f) & NB_UI_RES_SUBMIT);
    assert_int_equal(f->selected, fe->seq);
    frame(f);
    /* The F frame's hex dump: text in green, the NUL padding in grey. */
    assert_true(find_text(f->ui, "0000", &t));
    nb_rect hex = { t.x, t.y, AREA.x + AREA.w - t.x, t.h * 5 };
    assert_true(count_near(f, hex, nb_overlay_role_color(NB_INSPECT_TEXT), 30) > 20);
    assert_true(count_near(f, hex, nb_overlay_role_color(NB_INSPECT_PADDING), 20) > 20);
    char path[300];
    snprintf(path, sizeof path, "%.*s_f.png", (int)strlen(png_path) - 4, png_path);
    IMG_SavePNG(f->surf, path);
}

static void test_sliders_and_empty(void **state)
{
    fixture *f = *state;
    frame(f);
    nb_rect t = { 0, 0, 0, 0 };
    assert_true(find_text(f->ui, "+250 ms", &t));
    /* Click near the left end of the delay slider: the value drops and CHANGE is reported. */
    click(f, t.x - 60, t.y + t.h / 2);
    assert_true(f->delay < 250);
    /* Nothing captured, no traffic, no RTT, no TCP, no sliders: still draws, no crash. */
    nb_overlay_data empty = { .now_ms = 5 };
    nb_ui_begin(f->ui);
    nb_overlay_draw(f->ui, AREA, &empty);
    nb_ui_end(f->ui);
    nb_ui_begin(f->ui);
    nb_overlay_draw(f->ui, (nb_rect){ 0, 0, 40, 30 }, &f->d);   /* tiny area */
    nb_ui_end(f->ui);
    /* Cost of one overlay frame (logic + software draw) at 1080p. */
    uint64_t t0 = nb_time_ns();
    for (int i = 0; i < 20; i++) frame(f);
    print_message("overlay frame at 1920x1080 (software renderer): %.2f ms\n",
                  (double)(nb_time_ns() - t0) / 20e6);
}

int main(int argc, char **argv)
{
    if (argc > 1) png_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_renders_overlay),
        cmocka_unit_test(test_select_rows),
        cmocka_unit_test(test_sliders_and_empty),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
