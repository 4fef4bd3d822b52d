/* nb_overlay.c — draws the live diagnostics overlay with nb_ui primitives: a stats block
 * of custom-drawn lines and sparklines in one tall layout cell, a row of shaper
 * sliders, then the inspector as layout rows whose left cell is a clickable frame and
 * whose right cell is one line of the selected frame's hex dump. Numbers use the mono
 * font so columns line up without measuring text. */
#include "nb_overlay.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nb_shaper.h"

const nb_color nb_overlay_color_in = { 80, 200, 255, 255 };    /* cyan: received */
const nb_color nb_overlay_color_out = { 255, 166, 64, 255 };   /* orange: sent */

static const nb_color C_TEXT = { 240, 242, 245, 255 };
static const nb_color C_DIM = { 165, 172, 184, 255 };
static const nb_color C_GRID = { 255, 255, 255, 40 };
static const nb_color C_GOOD = { 120, 220, 120, 255 };
static const nb_color C_BAD = { 255, 96, 96, 255 };
static const nb_color C_SEL = { 64, 140, 255, 110 };

#define HEX_PER_LINE 8
#define MONO_ADVANCE 0.62f   /* DejaVu Sans Mono advance is 0.602 em; a bit more never overlaps */

nb_color nb_overlay_role_color(int role)
{
    switch (role) {
    case NB_INSPECT_TYPE: return (nb_color){ 240, 110, 240, 255 };    /* magenta */
    case NB_INSPECT_LENGTH: return (nb_color){ 250, 210, 70, 255 };   /* yellow */
    case NB_INSPECT_BODY: return (nb_color){ 225, 228, 232, 255 };    /* white */
    case NB_INSPECT_TEXT: return (nb_color){ 120, 225, 130, 255 };    /* green */
    case NB_INSPECT_DELIM: return (nb_color){ 255, 100, 100, 255 };   /* red */
    case NB_INSPECT_PADDING: return (nb_color){ 120, 125, 135, 255 }; /* grey */
    default: return (nb_color){ 90, 94, 102, 255 };
    }
}

nb_ui_theme nb_overlay_theme(const nb_ui_theme *base)
{
    nb_ui_theme t = base ? *base : nb_ui_theme_default();
    t.colors[NB_UI_COLOR_PANEL] = (nb_color){ 8, 10, 14, 200 };
    t.colors[NB_UI_COLOR_BUTTON] = (nb_color){ 255, 255, 255, 0 };
    t.colors[NB_UI_COLOR_BUTTON_HOVER] = (nb_color){ 255, 255, 255, 36 };
    t.colors[NB_UI_COLOR_BUTTON_PRESSED] = (nb_color){ 255, 255, 255, 60 };
    t.colors[NB_UI_COLOR_BASE] = (nb_color){ 255, 255, 255, 30 };
    t.colors[NB_UI_COLOR_BASE_HOVER] = (nb_color){ 255, 255, 255, 45 };
    t.colors[NB_UI_COLOR_BORDER] = (nb_color){ 255, 255, 255, 60 };
    t.padding = 3;
    t.spacing = 2;
    return t;
}

/* ---- drawing context -------------------------------------------------------------- */

typedef struct pen {
    nb_ui *ui;
    float scale;
    int th, cw, lh;          /* text height, mono advance, line height (px) */
    int x, y;                /* next line */
} pen;

static int px(const pen *p, int logical) { return (int)((float)logical * p->scale + 0.5f); }

static void text_at(pen *p, int font, int x, int y, nb_color c, const char *fmt, ...) NB_PRINTF(6, 7);

static void text_at(pen *p, int font, int x, int y, nb_color c, const char *fmt, ...)
{
    char buf[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    n = NB_CLAMP(n, 0, (int)sizeof buf - 1);
    nb_ui_draw_text(p->ui, font, buf, n, x, y, c, 0);
}

/* "950 B", "12.3 kB", "4.1 MB" (decimal units, as network rates are quoted). */
static void human(char *out, size_t cap, double v)
{
    if (v < 1000) snprintf(out, cap, "%.0f B", v);
    else if (v < 1e6) snprintf(out, cap, "%.1f kB", v / 1e3);
    else if (v < 1e9) snprintf(out, cap, "%.1f MB", v / 1e6);
    else snprintf(out, cap, "%.1f GB", v / 1e9);
}

static float series_max(const float *s, int n)
{
    float m = 0;
    for (int i = 0; i < n; i++) m = s[i] > m ? s[i] : m;
    return m;
}

/* 60 bars in r: `up` grows up from the middle, `down` (may be NULL) grows down; with
 * only `up` the bars stand on the bottom edge. Both halves share one scale. */
static void sparkline(pen *p, nb_rect r, const float *up, nb_color cu, const float *down, nb_color cd)
{
    nb_ui_draw_rect(p->ui, r, (nb_color){ 255, 255, 255, 14 });
    float m = series_max(up, NB_RATE_HISTORY);
    if (down) m = NB_MAX(m, series_max(down, NB_RATE_HISTORY));
    int base = down ? r.y + r.h / 2 : r.y + r.h;
    int half = down ? r.h / 2 - 1 : r.h - 1;
    nb_ui_draw_rect(p->ui, (nb_rect){ r.x, base - (down ? 0 : 1), r.w, 1 }, C_GRID);
    if (m <= 0) return;
    for (int i = 0; i < NB_RATE_HISTORY; i++) {
        int x0 = r.x + r.w * i / NB_RATE_HISTORY, x1 = r.x + r.w * (i + 1) / NB_RATE_HISTORY;
        int bw = NB_MAX(1, x1 - x0 - 1);
        int hu = (int)((float)half * up[i] / m + 0.5f);
        if (up[i] > 0) hu = NB_MAX(hu, 1);
        if (hu) nb_ui_draw_rect(p->ui, (nb_rect){ x0, base - hu, bw, hu }, cu);
        if (!down) continue;
        int hd = (int)((float)half * down[i] / m + 0.5f);
        if (down[i] > 0) hd = NB_MAX(hd, 1);
        if (hd) nb_ui_draw_rect(p->ui, (nb_rect){ x0, base + 1, bw, hd }, cd);
    }
}

/* ---- stats block ------------------------------------------------------------------ */

static void draw_timings(pen *p, const nb_overlay_data *d)
{
    const nb_frametime_stats *f = &d->frame;
    nb_color fc = f->worst_us > 50000 ? C_BAD : C_TEXT;
    text_at(p, NB_UI_FONT_MONO, p->x, p->y, fc,
            "%3u fps  frame %5.1f ms avg %5.1f worst  drained %3u/frame %6.0f/s",
            f->frames, f->avg_us / 1000.0, f->worst_us / 1000.0, d->drained_frame, d->drained_ps);
    p->y += p->lh;
}

static void draw_traffic(pen *p, const nb_overlay_data *d, int width)
{
    const nb_traffic *t = d->traffic;
    int cols = 40;           /* characters of numbers before the sparkline */
    int gx = p->x + cols * p->cw, gw = width - cols * p->cw - px(p, 110);
    text_at(p, NB_UI_FONT_MONO, p->x, p->y, C_DIM, "%-9s", "class");
    text_at(p, NB_UI_FONT_MONO, p->x + 9 * p->cw, p->y, nb_overlay_color_in, "%15s", "in  f/s  B/s");
    text_at(p, NB_UI_FONT_MONO, p->x + 24 * p->cw, p->y, nb_overlay_color_out, "%15s", "out f/s  B/s");
    text_at(p, NB_UI_FONT_MONO, gx, p->y, C_DIM, "last 60 s: in up, out down");
    p->y += p->lh;
    int row_h = p->lh * 3 / 2;
    for (int k = 0; k < NB_CLASS_COUNT; k++) {
        const nb_rate *ri = &t->rate[NB_DIR_IN][k], *ro = &t->rate[NB_DIR_OUT][k];
        double fi, bi, fo, bo;
        nb_rate_per_sec(ri, d->now_ms, &fi, &bi);
        nb_rate_per_sec(ro, d->now_ms, &fo, &bo);
        char hbi[16], hbo[16];
        human(hbi, sizeof hbi, bi);
        human(hbo, sizeof hbo, bo);
        int ty = p->y + (row_h - p->th) / 2;
        text_at(p, NB_UI_FONT_SANS, p->x, ty, C_TEXT, "%s", nb_class_name((nb_class)k));
        text_at(p, NB_UI_FONT_MONO, p->x + 9 * p->cw, ty, nb_overlay_color_in, "%5.0f %9s", fi, hbi);
        text_at(p, NB_UI_FONT_MONO, p->x + 24 * p->cw, ty, nb_overlay_color_out, "%5.0f %9s", fo, hbo);
        float si[NB_RATE_HISTORY], so[NB_RATE_HISTORY];
        nb_rate_series(ri, d->now_ms, si);
        nb_rate_series(ro, d->now_ms, so);
        nb_rect g = { gx, p->y + px(p, 2), gw, row_h - px(p, 4) };
        sparkline(p, g, si, nb_overlay_color_in, so, nb_overlay_color_out);
        float m = NB_MAX(series_max(si, NB_RATE_HISTORY), series_max(so, NB_RATE_HISTORY));
        text_at(p, NB_UI_FONT_MONO, gx + gw + px(p, 8), ty, C_DIM, "%.0f/s", m);
        p->y += row_h;
    }
}

static void draw_rtt_tcp(pen *p, const nb_overlay_data *d, int width)
{
    int gx = p->x + 40 * p->cw, gw = width - 40 * p->cw - px(p, 110);
    int row_h = p->lh * 3 / 2, ty = p->y + (row_h - p->th) / 2;
    if (d->rtt_samples)
        text_at(p, NB_UI_FONT_MONO, p->x, ty, C_TEXT, "RTT %6.1f ms  min %.1f avg %.1f max %.1f",
                d->rtt_last_us / 1000.0, d->rtt_min_us / 1000.0, d->rtt_avg_us / 1000.0,
                d->rtt_max_us / 1000.0);
    else
        text_at(p, NB_UI_FONT_MONO, p->x, ty, C_DIM, "RTT   (no pong yet)");
    if (d->rtt_ms) {
        float s[NB_RATE_HISTORY];
        nb_gauge_series(d->rtt_ms, d->now_ms, s);
        nb_rect g = { gx, p->y + px(p, 2), gw, row_h - px(p, 4) };
        sparkline(p, g, s, C_GOOD, NULL, C_GOOD);
        text_at(p, NB_UI_FONT_MONO, gx + gw + px(p, 8), ty, C_DIM, "%.1f ms", series_max(s, NB_RATE_HISTORY));
    }
    p->y += row_h;
    if (!d->have_tcp) {
        text_at(p, NB_UI_FONT_MONO, p->x, p->y, C_DIM, "TCP   (not connected)");
        p->y += p->lh;
        return;
    }
    const nb_tcp_stats *t = &d->tcp;
    char sb[16], rb[16];
    human(sb, sizeof sb, d->sndbuf);
    human(rb, sizeof rb, d->rcvbuf);
    text_at(p, NB_UI_FONT_MONO, p->x, p->y, t->retransmits || t->unacked > 10 ? C_BAD : C_TEXT,
            "TCP rtt %.1f ms  cwnd %u  retrans %d (total %u)  unacked %u  sndbuf %s  rcvbuf %s",
            t->rtt_us / 1000.0, t->snd_cwnd, t->retransmits, t->total_retrans, t->unacked, sb, rb);
    p->y += p->lh;
}

/* ---- inspector -------------------------------------------------------------------- */

/* One hex line of the selected frame: offset, bytes in runs of one role, ASCII. */
static void hex_line(pen *p, nb_rect cell, const nb_capture_entry *e, const uint8_t *roles, int line)
{
    int off = line * HEX_PER_LINE, n = NB_MIN(HEX_PER_LINE, (int)e->len - off);
    int y = cell.y + (cell.h - p->th) / 2, x0 = cell.x + px(p, 6);
    text_at(p, NB_UI_FONT_MONO, x0, y, C_DIM, "%04x", off);
    int hx = x0 + 6 * p->cw, ax = hx + (HEX_PER_LINE * 3 + 1) * p->cw;
    for (int i = 0; i < n;) {
        int j = i;
        char hex[HEX_PER_LINE * 3 + 1], asc[HEX_PER_LINE + 1];
        int hl = 0, al = 0;
        for (; j < n && roles[off + j] == roles[off + i]; j++) {
            uint8_t b = e->bytes[off + j];
            hl += snprintf(hex + hl, sizeof hex - (size_t)hl, j > i ? " %02x" : "%02x", b);
            asc[al++] = b >= 0x20 && b < 0x7f ? (char)b : '.';
        }
        nb_color c = nb_overlay_role_color(roles[off + i]);
        nb_ui_draw_text(p->ui, NB_UI_FONT_MONO, hex, hl, hx + i * 3 * p->cw, y, c, 0);
        nb_ui_draw_text(p->ui, NB_UI_FONT_MONO, asc, al, ax + i * p->cw, y, c, 0);
        i = j;
    }
}

/* Right-hand cells below the hex dump: the legend and the selected frame's fields. */
static void side_line(pen *p, nb_rect cell, const nb_capture_entry *e, int k)
{
    int y = cell.y + (cell.h - p->th) / 2, x = cell.x + px(p, 6);
    if (k == 0) {
        text_at(p, NB_UI_FONT_SANS, x, y, C_TEXT, "%s '%c' %s, %u bytes%s",
                e->dir == NB_CAPTURE_IN ? "received" : "sent", e->type >= 0x20 && e->type < 0x7f ? e->type : '?',
                nb_frame_type_name(e->type), e->size, e->size > e->len ? " (first 96 shown)" : "");
        return;
    }
    if (k == 1) {
        static const int roles[] = { NB_INSPECT_TYPE, NB_INSPECT_LENGTH, NB_INSPECT_BODY,
                                     NB_INSPECT_TEXT, NB_INSPECT_DELIM, NB_INSPECT_PADDING };
        for (size_t i = 0; i < NB_ARRAY_LEN(roles); i++) {
            const char *name = nb_inspect_role_name(roles[i]);
            nb_ui_draw_text(p->ui, NB_UI_FONT_SANS, name, (int)strlen(name), x, y,
                            nb_overlay_role_color(roles[i]), 0);
            x += ((int)strlen(name) + 2) * p->cw;
        }
        return;
    }
    nb_inspect_field f[16];
    int nf = nb_inspect_fields(e->bytes, e->len, f, 16), per = 3, first = 1 + (k - 2) * per;
    for (int i = first; i < nf && i < first + per; i++) {
        char v[32] = "";
        if (f[i].role == NB_INSPECT_BODY || f[i].role == NB_INSPECT_LENGTH) {
            uint64_t val = 0;
            for (uint32_t b = 0; b < f[i].size && b < 8; b++) val = val << 8 | e->bytes[f[i].offset + b];
            int wide = !strcmp(f[i].name, "rgba") || !strcmp(f[i].name, "token") || !strcmp(f[i].name, "session");
            snprintf(v, sizeof v, wide ? "=%llx" : "=%llu", (unsigned long long)val);
        } else {
            snprintf(v, sizeof v, "[%u]", f[i].size);
        }
        text_at(p, NB_UI_FONT_MONO, x, y, nb_overlay_role_color(f[i].role), "%s%s", f[i].name, v);
        x += cell.w / per;
    }
}

static const nb_capture_entry *selected(const nb_overlay_data *d)
{
    uint64_t want = d->selected_seq ? *d->selected_seq : 0;
    for (size_t i = 0; want && i < d->capture_len; i++)
        if (d->capture[i].seq == want) return &d->capture[i];
    return d->capture_len ? &d->capture[d->capture_len - 1] : NULL;   /* follow the newest */
}

static int draw_inspector(pen *p, nb_rect area, const nb_overlay_data *d)
{
    const nb_ui_theme *th = nb_ui_theme_get(p->ui);
    int res = 0, list_w = 29 * p->cw + px(p, 12);
    nb_ui_layout_row(p->ui, 1, (int[]){ 0 }, 0);
    nb_rect head = nb_ui_layout_next(p->ui);
    text_at(p, NB_UI_FONT_SANS, head.x, head.y + (head.h - p->th) / 2, C_DIM,
            "Packet inspector: last %d frames, newest first; click one to see its bytes",
            NB_CAPTURE_ENTRIES);
    const nb_capture_entry *sel = selected(d);
    uint8_t roles[NB_CAPTURE_BYTES];
    nb_inspect_field f[16];
    int hex_lines = 0, field_lines = 0;
    if (sel) {
        nb_inspect_roles(sel->bytes, sel->len, roles);
        hex_lines = (sel->len + HEX_PER_LINE - 1) / HEX_PER_LINE;
        field_lines = (nb_inspect_fields(sel->bytes, sel->len, f, 16) - 1 + 2) / 3;   /* not "type" */
    }
    /* As many rows as fit below the heading, newest at the top. */
    int row_h = head.h + px(p, th->spacing);
    int rows = (area.y + area.h - (head.y + row_h) - px(p, 2 * th->padding)) / NB_MAX(1, row_h);
    rows = NB_CLAMP(rows, 0, NB_CAPTURE_ENTRIES);
    uint64_t newest = d->capture_len ? d->capture[d->capture_len - 1].seq : 0;
    nb_ui_layout_row(p->ui, 2, (int[]){ (int)((float)list_w / p->scale + 0.5f), 0 }, 0);
    for (int r = 0; r < rows; r++) {
        const nb_capture_entry *e = r < (int)d->capture_len ? &d->capture[d->capture_len - 1 - (size_t)r] : NULL;
        if (e && e != sel) {
            char id[40];   /* id by seq: the row keeps its identity while newer frames push it down */
            snprintf(id, sizeof id, "##cap%llu", (unsigned long long)e->seq);
            if (nb_ui_button_ex(p->ui, id, 0) & NB_UI_RES_SUBMIT) {
                if (d->selected_seq) *d->selected_seq = e->seq == newest ? 0 : e->seq;
                res |= NB_UI_RES_SUBMIT;
            }
        } else {
            nb_rect left = nb_ui_layout_next(p->ui);
            if (e) nb_ui_draw_rect(p->ui, left, C_SEL);
        }
        nb_rect right = nb_ui_layout_next(p->ui);
        if (e) {
            int ty = right.y + (right.h - p->th) / 2;
            nb_color dc = e->dir == NB_CAPTURE_IN ? nb_overlay_color_in : nb_overlay_color_out;
            text_at(p, NB_UI_FONT_MONO, p->x + px(p, 6), ty, dc, "%s %6.2f %c %-8.8s %5u",
                    e->dir == NB_CAPTURE_IN ? "in " : "out", (double)(e->time_ms % 100000) / 1000.0,
                    e->type >= 0x20 && e->type < 0x7f ? e->type : '?', nb_frame_type_name(e->type), e->size);
        }
        if (!sel) continue;
        if (r < hex_lines) hex_line(p, right, sel, roles, r);
        else if (r - hex_lines < 2 + field_lines) side_line(p, right, sel, r - hex_lines);
    }
    return res;
}

/* ---- the overlay ------------------------------------------------------------------ */

int nb_overlay_draw(nb_ui *ui, nb_rect area, const nb_overlay_data *d)
{
    NB_ASSERT(ui && d);
    const nb_ui_theme *th = nb_ui_theme_get(ui);
    int res = 0;
    nb_ui_panel_begin(ui, "overlay", area);
    /* The first cell's height tells the text height (row = text + 2 paddings). */
    nb_ui_layout_row(ui, 2, (int[]){ -200, 0 }, 0);
    nb_rect title = nb_ui_layout_next(ui);
    pen p = { .ui = ui, .scale = th->scale };
    p.th = title.h - 2 * px(&p, th->padding);
    p.cw = (int)((float)p.th * MONO_ADVANCE / 1.17f + 0.999f);   /* DejaVu line height is 1.17 em */
    p.lh = p.th + px(&p, 4);
    int ty = title.y + (title.h - p.th) / 2;
    text_at(&p, NB_UI_FONT_SANS, title.x, ty, C_TEXT, "Network, live%s%s", d->status ? "  —  " : "",
            d->status ? d->status : "");
    nb_rect cost = nb_ui_layout_next(ui);
    text_at(&p, NB_UI_FONT_MONO, cost.x, ty, C_DIM, "overlay %.2f ms", d->overlay_us / 1000.0);

    /* Stats block: custom lines in one tall cell. */
    int lines = 1 + (d->traffic ? 1 : 0), tall = (d->traffic ? NB_CLASS_COUNT : 0) + 1;
    int block_h = lines * p.lh + tall * (p.lh * 3 / 2) + p.lh + px(&p, 6);
    nb_ui_layout_row(ui, 1, (int[]){ 0 }, (int)((float)block_h / p.scale + 0.5f));
    nb_rect block = nb_ui_layout_next(ui);
    p.x = block.x;
    p.y = block.y;
    draw_timings(&p, d);
    if (d->traffic) draw_traffic(&p, d, block.w);
    draw_rtt_tcp(&p, d, block.w);

    if (d->delay_ms && d->rate_pps) {
        nb_ui_layout_row(ui, 5, (int[]){ 60, 280, 50, 280, 0 }, 0);
        nb_ui_label_ex(ui, "delay", NB_UI_OPT_DIM);
        *d->delay_ms = NB_CLAMP(*d->delay_ms, 0, NB_SHAPER_DELAY_MAX);
        res |= nb_ui_slider_int(ui, d->delay_ms, 0, NB_SHAPER_DELAY_MAX, "+%d ms") & NB_UI_RES_CHANGE;
        nb_ui_label_ex(ui, "rate", NB_UI_OPT_DIM);
        *d->rate_pps = NB_CLAMP(*d->rate_pps, 0, NB_OVERLAY_RATE_MAX);
        res |= nb_ui_slider_int(ui, d->rate_pps, 0, NB_OVERLAY_RATE_MAX,
                                *d->rate_pps ? "%d packets/s" : "unlimited") & NB_UI_RES_CHANGE;
        char held[48];
        snprintf(held, sizeof held, "%zu frame%s held", d->shaper_held, d->shaper_held == 1 ? "" : "s");
        nb_ui_label_ex(ui, held, d->shaper_held ? 0 : NB_UI_OPT_DIM);
    }
    nb_ui_separator(ui);
    p.x = block.x;
    res |= draw_inspector(&p, area, d);
    nb_ui_panel_end(ui);
    return res;
}
