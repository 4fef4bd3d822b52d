/* test_canvas.c — the canvas and the PNG export on SDL's software renderer: pixels of a
 * stroke and its round cap, eraser, incremental sync, resize, undo, lost targets,
 * overlays, export; plus the rasterisation rate at 1920x1080. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "nb_canvas.h"
#include "nb_export.h"
#include "nb_proto.h"
#include "nb_time.h"
#include "nb_view.h"

#define RED 0xFF0000FFu
#define WHITE 0xFFFFFFFFu
#define BARS NB_CANVAS_DEFAULT_BARS

typedef struct fixture {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    nb_canvas *canvas;
    nb_board *board;
    nb_rect area;
} fixture;

static int setup_size(void **state, int w, int h)
{
    fixture *f = calloc(1, sizeof *f);
    f->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    f->ren = f->surf ? SDL_CreateSoftwareRenderer(f->surf) : NULL;
    f->canvas = nb_canvas_create(NULL);
    f->board = nb_board_create(NULL);
    f->area = (nb_rect){ 0, 0, w, h };
    *state = f;
    return f->ren && f->canvas && f->board ? 0 : -1;
}

static int setup(void **state) { return setup_size(state, 1000, 600); }   /* bars above/below */

static int teardown(void **state)
{
    fixture *f = *state;
    nb_canvas_destroy(f->canvas);
    nb_board_destroy(f->board);
    if (f->ren) SDL_DestroyRenderer(f->ren);
    if (f->surf) SDL_FreeSurface(f->surf);
    free(f);
    return 0;
}

/* Sync and present the canvas onto the surface. */
static void frame(fixture *f)
{
    char err[NB_ERR_LEN] = "";
    assert_int_equal(nb_canvas_sync(f->canvas, f->ren, f->board, f->area, err), 0);
    assert_int_equal(nb_canvas_draw(f->canvas, f->ren, err), 0);
    SDL_RenderFlush(f->ren);
}

static uint32_t pixel_at(SDL_Surface *s, int x, int y)
{
    assert_true(x >= 0 && y >= 0 && x < s->w && y < s->h);
    uint32_t v = ((uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
    uint8_t r, g, b, a;
    SDL_GetRGBA(v, s->format, &r, &g, &b, &a);
    return (uint32_t)r << 24 | (uint32_t)g << 16 | (uint32_t)b << 8 | 0xFF;
}

/* The pixel under a board point, offset by (dx, dy) pixels. */
static uint32_t board_pixel(fixture *f, uint16_t bx, uint16_t by, float dx, float dy)
{
    nb_rect r = nb_canvas_board_rect(f->canvas);
    return pixel_at(f->surf, (int)(nb_view_to_px_x(r, bx) + dx), (int)(nb_view_to_px_y(r, by) + dy));
}

static void add(nb_board *b, uint16_t author, uint32_t stroke, uint16_t x1, uint16_t y1,
                uint16_t x2, uint16_t y2, uint32_t rgba, uint8_t width, uint8_t flags)
{
    nb_segment s = { author, stroke, x1, y1, x2, y2, rgba, width, flags };
    assert_int_equal(nb_board_add_segment(b, &s), 1);
}

#define Q1 16384
#define MID 32768
#define Q3 49152

static void test_stroke_pixels_and_round_cap(void **state)
{
    fixture *f = *state;
    add(f->board, 1, 1, Q1, MID, Q3, MID, RED, 40, 0);   /* 40/1000 of 562 px: r = 11.2 */
    frame(f);
    nb_rect r = nb_canvas_board_rect(f->canvas);
    assert_int_equal(r.y, (600 - 563) / 2);   /* 1000 x 563 board */
    float rad = nb_view_width_px(r, 40) / 2;
    assert_int_equal(board_pixel(f, MID, MID, 0, 0), RED);
    assert_int_equal(board_pixel(f, MID, MID, 0, rad - 1.5f), RED);
    assert_int_equal(board_pixel(f, MID, MID, 0, -rad + 1.5f), RED);
    assert_int_equal(board_pixel(f, MID, MID, 0, rad + 1.5f), WHITE);
    /* Round cap: beyond the end on the axis, and at 45 degrees inside the circle... */
    assert_int_equal(board_pixel(f, Q3, MID, rad - 1.5f, 0), RED);
    assert_int_equal(board_pixel(f, Q1, MID, -rad + 1.5f, 0), RED);
    assert_int_equal(board_pixel(f, Q3, MID, 0.6f * rad, 0.6f * rad), RED);
    /* ...but not in the corner a square cap would fill (1.3 r from the end). */
    assert_int_equal(board_pixel(f, Q3, MID, 0.92f * rad, 0.92f * rad), WHITE);
    assert_int_equal(board_pixel(f, Q1, MID, -0.92f * rad, -0.92f * rad), WHITE);
    assert_int_equal(board_pixel(f, Q3, MID, rad + 1.5f, 0), WHITE);
    assert_int_equal(board_pixel(f, MID, Q1, 0, 0), WHITE);   /* background elsewhere */
    assert_int_equal(pixel_at(f->surf, 500, 5), BARS);        /* letterbox bars */
    assert_int_equal(pixel_at(f->surf, 500, 595), BARS);
}

static void test_eraser(void **state)
{
    fixture *f = *state;
    add(f->board, 1, 1, Q1, MID, Q3, MID, RED, 20, 0);
    add(f->board, 1, 2, MID, Q1, MID, Q3, 0x00FF00FF, 40, NB_SEG_ERASER);  /* colour ignored */
    frame(f);
    assert_int_equal(board_pixel(f, MID, MID, 0, 0), WHITE);
    assert_int_equal(board_pixel(f, MID - 4096, MID, 0, 0), RED);
    assert_int_equal(board_pixel(f, MID + 4096, MID, 0, 0), RED);
    /* A different background: the eraser paints that one. */
    nb_canvas_set_background(f->canvas, 0x000080FF);
    frame(f);
    assert_int_equal(board_pixel(f, MID, MID, 0, 0), 0x000080FF);
    assert_int_equal(board_pixel(f, MID, Q1 / 2, 0, 0), 0x000080FF);
    assert_int_equal(board_pixel(f, MID - 4096, MID, 0, 0), RED);
}

static void test_incremental_sync(void **state)
{
    fixture *f = *state;
    nb_canvas_stats st;
    for (int i = 0; i < 10; i++)
        add(f->board, 1, 1, (uint16_t)(1000 + i * 3000), 1000, (uint16_t)(4000 + i * 3000), 1000, RED, 5, 0);
    frame(f);
    nb_canvas_get_stats(f->canvas, &st);
    assert_int_equal(st.segments, 10);
    assert_true(st.full);
    for (int i = 0; i < 5; i++)
        add(f->board, 2, 1, (uint16_t)(1000 + i * 3000), 30000, (uint16_t)(4000 + i * 3000), 30000, RED, 5, 0);
    frame(f);
    nb_canvas_get_stats(f->canvas, &st);
    assert_int_equal(st.segments, 5);     /* only the new ones, not all 15 */
    assert_false(st.full);
    assert_int_equal(st.calls, 1);        /* in one geometry call */
    assert_int_equal(st.full_redraws, 1);
    assert_int_equal(board_pixel(f, 1000, 1000, 0, 0), RED);    /* old ones still there */
    assert_int_equal(board_pixel(f, 2500, 30000, 0, 0), RED);
    frame(f);
    nb_canvas_get_stats(f->canvas, &st);
    assert_int_equal(st.segments, 0);     /* nothing new: nothing drawn */
    assert_int_equal(st.calls, 0);
    /* A lost render target: everything again. */
    SDL_Event ev = { .type = SDL_RENDER_TARGETS_RESET };
    nb_canvas_handle_event(f->canvas, &ev);
    frame(f);
    nb_canvas_get_stats(f->canvas, &st);
    assert_true(st.full);
    assert_int_equal(st.segments, 15);
    ev.type = SDL_RENDER_DEVICE_RESET;
    nb_canvas_handle_event(f->canvas, &ev);
    frame(f);
    nb_canvas_get_stats(f->canvas, &st);
    assert_true(st.full);
    assert_int_equal(board_pixel(f, 2500, 30000, 0, 0), RED);
}

static void test_resize_keeps_picture(void **state)
{
    fixture *f = *state;
    add(f->board, 1, 1, 8000, 8000, 30000, 50000, RED, 10, 0);
    add(f->board, 1, 1, 30000, 50000, 60000, 20000, 0x0000FFFF, 10, 0);
    frame(f);
    uint16_t pts[][2] = { { 8000, 8000 }, { 19000, 29000 }, { 40000, 40000 }, { 45000, 35000 },
                          { 60000, 20000 }, { 50000, 50000 }, { 1000, 60000 } };
    uint32_t before[7];
    for (int i = 0; i < 7; i++) before[i] = board_pixel(f, pts[i][0], pts[i][1], 0, 0);
    assert_int_equal(before[0], RED);
    assert_int_equal(before[4], 0x0000FFFF);
    assert_int_equal(before[5], WHITE);
    /* Same window, smaller canvas area in the middle with side bars. */
    f->area = (nb_rect){ 100, 50, 700, 500 };
    frame(f);
    nb_canvas_stats st;
    nb_canvas_get_stats(f->canvas, &st);
    assert_true(st.full);
    nb_rect r = nb_canvas_board_rect(f->canvas);
    assert_int_equal(r.w, 700);
    assert_int_equal(r.x, 100);
    for (int i = 0; i < 7; i++) assert_int_equal(board_pixel(f, pts[i][0], pts[i][1], 0, 0), before[i]);
}

static void test_undo_redraws(void **state)
{
    fixture *f = *state;
    add(f->board, 1, 1, Q1, Q1, Q3, Q1, RED, 10, 0);
    add(f->board, 2, 1, Q1, Q3, Q3, Q3, RED, 10, 0);
    frame(f);
    assert_int_equal(board_pixel(f, MID, Q1, 0, 0), RED);
    assert_int_equal(nb_board_undo(f->board, 1), 1);
    frame(f);
    nb_canvas_stats st;
    nb_canvas_get_stats(f->canvas, &st);
    assert_true(st.full);
    assert_int_equal(st.segments, 1);
    assert_int_equal(board_pixel(f, MID, Q1, 0, 0), WHITE);
    assert_int_equal(board_pixel(f, MID, Q3, 0, 0), RED);
    nb_board_clear(f->board);
    frame(f);
    assert_int_equal(board_pixel(f, MID, Q3, 0, 0), WHITE);
}

static void test_overlay_and_translucency(void **state)
{
    fixture *f = *state;
    frame(f);
    nb_segment laser[2] = {
        { 1, 1, Q1, MID, Q3, MID, RED, 10, NB_SEG_LASER },
        { 1, 1, 0, 0, 65535, 0, 0x0000FF80, 60, NB_SEG_LASER },  /* at the edge: clipped */
    };
    char err[NB_ERR_LEN];
    assert_int_equal(nb_canvas_draw_overlay(f->canvas, f->ren, laser, 2, 255, err), 0);
    SDL_RenderFlush(f->ren);
    assert_int_equal(board_pixel(f, MID, MID, 0, 0), RED);
    uint32_t edge = board_pixel(f, MID, 0, 0, 1);   /* half-transparent blue over white */
    assert_in_range(edge >> 24, 0x70, 0x8F);
    assert_in_range((edge >> 8) & 0xFF, 0xF8, 0xFF);   /* SDL's blend rounds down a little */
    assert_int_equal(pixel_at(f->surf, 500, 5), BARS);   /* the bars stay clean */
    /* Faded overlay: alpha 128 of red over white is pink. */
    assert_int_equal(nb_canvas_draw_overlay(f->canvas, f->ren, laser, 1, 128, err), 0);
    frame(f);   /* the canvas itself never had the laser */
    assert_int_equal(board_pixel(f, MID, MID, 0, 0), WHITE);
}

static void test_export_png(void **state)
{
    fixture *f = *state;
    add(f->board, 1, 1, Q1, MID, Q3, MID, RED, 30, 0);
    char err[NB_ERR_LEN] = "";
    const char *path = "/tmp/nb_test_export.png";
    assert_int_equal(nb_export_png(f->board, path, &(nb_export_opts){ .width = 640 }, err), 0);
    SDL_Surface *img = IMG_Load(path);
    assert_non_null(img);
    assert_int_equal(img->w, 640);
    assert_int_equal(img->h, 360);
    assert_int_equal(pixel_at(img, 320, 180), RED);
    assert_int_equal(pixel_at(img, 320, 60), WHITE);
    SDL_FreeSurface(img);
    remove(path);
    assert_int_equal(nb_export_png(f->board, path, &(nb_export_opts){ .width = 100000 }, err), -1);
    assert_non_null(strstr(err, "100000"));
    assert_int_equal(nb_export_png(f->board, path, &(nb_export_opts){ .width = -5 }, err), -1);
    assert_int_equal(nb_export_png(f->board, path, &(nb_export_opts){ 16000, 16000, 0 }, err), -1);
    /* A non-16:9 size letterboxes in the background colour. */
    assert_int_equal(nb_export_png(f->board, path, &(nb_export_opts){ 400, 400, 0x102030FF }, err), 0);
    img = IMG_Load(path);
    assert_non_null(img);
    assert_int_equal(img->h, 400);
    assert_int_equal(pixel_at(img, 200, 200), RED);
    assert_int_equal(pixel_at(img, 200, 10), 0x102030FF);
    SDL_FreeSurface(img);
    remove(path);
    assert_int_equal(nb_export_png(f->board, "/nonexistent/dir/x.png", NULL, err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/x.png"));
}

/* A drawing to look at: polylines of several widths, a dot, an eraser cut, a translucent
 * marker. Saved to /tmp/board_canvas.png. */
static void test_picture(void **state)
{
    fixture *f = *state;
    uint32_t colours[] = { RED, 0x0050C0FF, 0x008000FF, 0x000000FF };
    uint8_t widths[] = { 2, 6, 15, 40 };
    for (int k = 0; k < 4; k++) {
        uint16_t px = 3000, py = (uint16_t)(10000 + k * 13000 + 5000 * SDL_sin(k));
        for (int i = 1; i <= 60; i++) {
            uint16_t x = (uint16_t)(3000 + i * 1000);
            uint16_t y = (uint16_t)(10000 + k * 13000 + 5000 * SDL_sin(i * 0.2 + k));
            add(f->board, 1, (uint32_t)k, px, py, x, y, colours[k], widths[k], 0);
            px = x;
            py = y;
        }
    }
    add(f->board, 2, 1, 60000, 8000, 60000, 8000, RED, 60, 0);                  /* a dot */
    add(f->board, 2, 2, 40000, 2000, 42000, 62000, 0, 25, NB_SEG_ERASER);       /* a cut */
    add(f->board, 2, 3, 5000, 60000, 62000, 40000, 0xFFD00080, 50, 0);          /* marker */
    frame(f);
    assert_int_equal(IMG_SavePNG(f->surf, "/tmp/board_canvas.png"), 0);
}

/* Segments per second rasterised at 1920x1080, width 3, into the canvas texture, for a
 * random-walk stroke whose steps reach `step` board units (600 ~ 18 px, a fast mouse;
 * 150 ~ 4 px, a slow one). Full redraw, then an incremental sync of 100 more. */
static void raster_rate(fixture *f, int step)
{
    const int n = 200000;
    uint32_t seed = 12345;
    uint16_t x = MID, y = MID;
    nb_board_clear(f->board);
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        int nx = x + (int)((seed >> 8) % (2 * step + 1)) - step;
        int ny = y + (int)((seed >> 20) % (2 * step + 1)) - step;
        nx = nx < 0 ? 0 : nx > 65535 ? 65535 : nx;
        ny = ny < 0 ? 0 : ny > 65535 ? 65535 : ny;
        add(f->board, 1, (uint32_t)(i / 50), x, y, (uint16_t)nx, (uint16_t)ny, RED, 3, 0);
        x = (uint16_t)nx;
        y = (uint16_t)ny;
    }
    char err[NB_ERR_LEN] = "";
    uint64_t t0 = nb_time_ns();
    assert_int_equal(nb_canvas_sync(f->canvas, f->ren, f->board, f->area, err), 0);
    SDL_RenderFlush(f->ren);
    uint64_t t1 = nb_time_ns();
    nb_canvas_stats st;
    nb_canvas_get_stats(f->canvas, &st);
    assert_int_equal(st.segments, (size_t)n);
    assert_true(st.full);
    printf("raster: %d segments (steps up to %d units, width 3, 1920x1080, software) in "
           "%.1f ms: %.0f segments/s, %zu vertices, %zu geometry calls\n", n, step,
           (t1 - t0) / 1e6, n / ((double)(t1 - t0) / 1e9), st.vertices, st.calls);
    for (int i = 0; i < 100; i++) add(f->board, 1, 999999, 1000, 1000, 2000, 2000, RED, 3, 0);
    t0 = nb_time_ns();
    assert_int_equal(nb_canvas_sync(f->canvas, f->ren, f->board, f->area, err), 0);
    SDL_RenderFlush(f->ren);
    t1 = nb_time_ns();
    nb_canvas_get_stats(f->canvas, &st);
    assert_int_equal(st.segments, 100);   /* the new ones, not the 200100 */
    assert_false(st.full);
    printf("raster: incremental sync of 100 segments on a %d-segment board: %.3f ms\n", n + 100,
           (t1 - t0) / 1e6);
}

static void test_raster_rate(void **state)
{
    raster_rate(*state, 600);
    raster_rate(*state, 150);
}

static int setup_hd(void **state) { return setup_size(state, 1920, 1080); }

int main(void)
{
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stroke_pixels_and_round_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eraser, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resize_keeps_picture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_redraws, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlay_and_translucency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_picture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raster_rate, setup_hd, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    IMG_Quit();
    SDL_Quit();
    return rc;
}
