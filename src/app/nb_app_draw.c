/* nb_app_draw.c — the pen: mouse and touch input on the canvas become segments in board
 * coordinates, added to the local board at once (drawing never waits for the network)
 * and handed to the client to send. Also undo/redo/clear and the laser trail, which is
 * relayed but never stored. Render thread. */
#include "nb_app_int.h"

#include <stdio.h>
#include <time.h>

#include "nb_export.h"
#include "nb_log.h"
#include "nb_path.h"
#include "nb_proto.h"
#include "nb_time.h"
#include "nb_view.h"

static int point_in(nb_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* The segment the current tool makes between two board points. */
static nb_segment make_segment(const nb_app *a, uint16_t x1, uint16_t y1, uint16_t x2, uint16_t y2)
{
    nb_segment s = { .author = a->sync.author, .stroke = a->stroke, .x1 = x1, .y1 = y1, .x2 = x2,
                     .y2 = y2, .rgba = a->color, .width = (uint8_t)a->width };
    switch (a->tool) {
    case NB_TOOL_HIGHLIGHTER:
        s.rgba = (a->color & 0xFFFFFF00u) | 0x60u;   /* translucent */
        s.width = (uint8_t)NB_MIN(255, a->width * 4);
        break;
    case NB_TOOL_ERASER:
        s.flags = NB_SEG_ERASER;
        s.rgba = 0xFFFFFFFFu;
        s.width = (uint8_t)NB_MIN(255, a->width * 5);
        break;
    case NB_TOOL_LASER:
        s.flags = NB_SEG_LASER;
        s.rgba = 0xFF2020FFu;
        s.width = 6;
        break;
    }
    return s;
}

static void laser_add(nb_app *a, const nb_segment *s)
{
    int slot = (a->laser_head + a->laser_count) % NB_LASER_MAX;
    if (a->laser_count == NB_LASER_MAX) a->laser_head = (a->laser_head + 1) % NB_LASER_MAX;
    else a->laser_count++;
    a->laser[slot] = (nb_laser_point){ *s, nb_time_ms() };
}

/* A laser segment, drawn here or received: it joins the fading trail, never the board. */
void nb_app_laser(nb_app *a, const nb_segment *s) { laser_add(a, s); }

/* A segment drawn here: on the board at once, then to the relay (through boardsync, so
 * the board and the client's resend log see the same frames). Lasers are relayed only. */
void nb_app_draw_segment(nb_app *a, nb_segment *s)
{
    int rc = 0;
    if (s->flags & NB_SEG_LASER) {
        laser_add(a, s);
        if (a->client) nb_client_send_segment(a->client, s);
    } else if (a->client) {
        rc = nb_boardsync_draw(&a->sync, a->client, a->board, s);
    } else {
        rc = nb_board_add_segment(a->board, s) < 0 ? -1 : 0;
    }
    if (rc < 0) nb_app_logf(&a->app_log, "board full or out of memory: segment dropped");
}

static void pen_to(nb_app *a, int px, int py)
{
    nb_rect b = nb_canvas_board_rect(a->canvas);
    uint16_t x = nb_view_from_px_x(b, px), y = nb_view_from_px_y(b, py);
    if (x == a->last_x && y == a->last_y) return;
    nb_segment s = make_segment(a, a->last_x, a->last_y, x, y);
    nb_app_draw_segment(a, &s);
    a->last_x = x;
    a->last_y = y;
}

static void pen_down(nb_app *a, int px, int py)
{
    nb_rect b = nb_canvas_board_rect(a->canvas);
    a->drawing = 1;
    a->stroke = a->next_stroke++;
    a->last_x = nb_view_from_px_x(b, px);
    a->last_y = nb_view_from_px_y(b, py);
    /* A click without motion still leaves a dot: a zero-length segment with round caps. */
    nb_segment s = make_segment(a, a->last_x, a->last_y, a->last_x, a->last_y);
    nb_app_draw_segment(a, &s);
}

static void cursor_to(nb_app *a, int px, int py)
{
    nb_rect b = nb_canvas_board_rect(a->canvas);
    uint64_t now = nb_time_ms();
    if (!a->client || now - a->cursor_sent_ms < 33) return;   /* presence at ~30 Hz */
    a->cursor_sent_ms = now;
    nb_client_send_cursor(a->client, nb_view_from_px_x(b, px), nb_view_from_px_y(b, py),
                          point_in(b, px, py) ? 1 : 0);
}

/* Over a piece of UI drawn on or beside the canvas: decided by the event's own position,
 * not by the last frame's hover, so a quick click right after leaving the panel draws. */
static int over_ui(const nb_app *a, int x, int y)
{
    return point_in(a->panel_rect, x, y) || point_in(a->status_rect, x, y) ||
           (a->ov.on && point_in(nb_app_overlay_rect(a), x, y)) ||
           (a->panel_rect.w == 0 && point_in(a->toolbar_rect, x, y));
}

int nb_app_draw_event(nb_app *a, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button != SDL_BUTTON_LEFT || over_ui(a, e->button.x, e->button.y)) return 0;
        if (!point_in(nb_canvas_board_rect(a->canvas), e->button.x, e->button.y)) return 0;
        pen_down(a, e->button.x, e->button.y);
        return 1;
    case SDL_MOUSEMOTION:
        if (a->drawing) pen_to(a, e->motion.x, e->motion.y);
        else if (!over_ui(a, e->motion.x, e->motion.y)) cursor_to(a, e->motion.x, e->motion.y);
        return a->drawing;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button != SDL_BUTTON_LEFT || !a->drawing) return 0;
        pen_to(a, e->button.x, e->button.y);
        a->drawing = 0;
        return 1;
    }
    return 0;
}

void nb_app_undo(nb_app *a)
{
    if (a->client) nb_boardsync_undo(&a->sync, a->client, a->board);
    else nb_board_undo(a->board, a->sync.author);
}

void nb_app_redo(nb_app *a)
{
    if (a->client) nb_boardsync_redo(&a->sync, a->client, a->board);
    else nb_board_redo(a->board, a->sync.author);
}

void nb_app_clear_board(nb_app *a)
{
    if (a->client) nb_boardsync_clear(&a->sync, a->client, a->board);
    else nb_board_clear(a->board);
}

void nb_app_draw_overlays(nb_app *a)
{
    nb_segment segs[NB_LASER_MAX];
    uint64_t now = nb_time_ms();
    while (a->laser_count && now - a->laser[a->laser_head].t_ms > NB_LASER_MS) {
        a->laser_head = (a->laser_head + 1) % NB_LASER_MAX;
        a->laser_count--;
    }
    /* Older points fade: draw the trail in four age bands, each one call. */
    for (int band = 0; band < 4; band++) {
        size_t n = 0;
        for (int i = 0; i < a->laser_count; i++) {
            const nb_laser_point *p = &a->laser[(a->laser_head + i) % NB_LASER_MAX];
            int age_band = (int)((now - p->t_ms) * 4 / (NB_LASER_MS + 1));
            if (age_band == band) segs[n++] = p->seg;
        }
        if (n) nb_canvas_draw_overlay(a->canvas, a->ren, segs, n, (uint8_t)(255 - band * 60), NULL);
    }
}

int nb_app_export_png(nb_app *a, char *path, size_t cap)
{
    char dir[512], err[NB_ERR_LEN];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    if (nb_path_user_data_dir(dir, sizeof dir) < 0) nb_strlcpy(dir, "/tmp", sizeof dir);
    snprintf(path, cap, "%s/board-%04d%02d%02d-%02d%02d%02d.png", dir, tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    static const int widths[] = { 1920, 3840, 7680 };
    int w = widths[NB_CLAMP(a->export_res, 0, 2)];
    if (nb_export_png(a->board, path, &(nb_export_opts){ .width = w }, err) < 0) {
        nb_app_logf(&a->app_log, "export failed: %s", err);
        return -1;
    }
    nb_app_logf(&a->app_log, "board exported to %s", path);
    return 0;
}
