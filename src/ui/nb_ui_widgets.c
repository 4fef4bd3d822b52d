/* nb_ui_widgets.c — the simple widgets: label, header, separator, button, checkbox,
 * radio, colour swatch, tab bar and sliders. Each takes the next layout cell, updates
 * hover/active through nb_ui_update_control and returns NB_UI_RES_* bits. */
#include "nb_ui_internal.h"

#include <stdio.h>
#include <string.h>

void nb_ui_label_ex(nb_ui *ui, const char *text, int opts)
{
    nb_rect r = nb_ui_layout_next(ui);
    int font = (opts & NB_UI_OPT_MONO) ? NB_UI_FONT_MONO : NB_UI_FONT_SANS;
    nb_color c = ui->theme.colors[(opts & (NB_UI_OPT_DIM | NB_UI_OPT_DISABLED)) ? NB_UI_COLOR_TEXT_DIM
                                                                                 : NB_UI_COLOR_TEXT];
    nb_ui_draw_text_in(ui, font, text, nb_ui_label_len(text), r, c, opts);
}

void nb_ui_label(nb_ui *ui, const char *text)
{
    nb_ui_label_ex(ui, text, 0);
}

void nb_ui_header(nb_ui *ui, const char *text)
{
    int pad = nb_ui_px(ui, ui->theme.padding);
    nb_rect r = nb_ui_full_row(ui, nb_ui_text_h(ui, NB_UI_FONT_SANS) + pad * 2);
    int b = NB_MAX(1, nb_ui_px(ui, 2));
    int y = r.y + r.h - pad / 2 - nb_ui_text_h(ui, NB_UI_FONT_SANS);
    nb_ui_draw_text(ui, NB_UI_FONT_SANS, text, nb_ui_label_len(text), r.x, y - b,
                    ui->theme.colors[NB_UI_COLOR_TEXT_DIM], 0);
    nb_ui_draw_rect(ui, (nb_rect){ r.x, r.y + r.h - b, r.w, b }, ui->theme.colors[NB_UI_COLOR_BORDER]);
}

void nb_ui_separator(nb_ui *ui)
{
    int b = NB_MAX(1, nb_ui_px(ui, 1));
    nb_rect r = nb_ui_full_row(ui, nb_ui_px(ui, ui->theme.spacing));
    nb_ui_draw_rect(ui, (nb_rect){ r.x, r.y + (r.h - b) / 2, r.w, b }, ui->theme.colors[NB_UI_COLOR_BORDER]);
}

int nb_ui_button_at(nb_ui *ui, uint32_t id, nb_rect r, const char *label, int len, int opts)
{
    int res = 0;
    nb_ui_update_control(ui, id, r, opts);
    if (nb_ui_clicked(ui, id, r)) res |= NB_UI_RES_SUBMIT;
    if (ui->active == id) res |= NB_UI_RES_ACTIVE;
    int ci = ui->active == id ? NB_UI_COLOR_BUTTON_PRESSED
             : ui->hover == id ? NB_UI_COLOR_BUTTON_HOVER : NB_UI_COLOR_BUTTON;
    nb_color bg = ui->theme.colors[ci];
    nb_color fg = ui->theme.colors[(opts & NB_UI_OPT_DISABLED) ? NB_UI_COLOR_TEXT_DIM : NB_UI_COLOR_TEXT];
    if ((opts & NB_UI_OPT_ACCENT) && !(opts & NB_UI_OPT_DISABLED)) {
        bg = ui->theme.colors[NB_UI_COLOR_ACCENT];
        if (ui->hover == id || ui->active == id) bg.r = (uint8_t)NB_MIN(255, bg.r + 24), bg.g = (uint8_t)NB_MIN(255, bg.g + 24);
        fg = ui->theme.colors[NB_UI_COLOR_ACCENT_TEXT];
    }
    nb_ui_draw_rect(ui, r, bg);
    if (len > 0) nb_ui_draw_text_in(ui, NB_UI_FONT_SANS, label, len, r, fg, opts | NB_UI_OPT_ALIGN_CENTER);
    return res;
}

int nb_ui_button_ex(nb_ui *ui, const char *label, int opts)
{
    uint32_t id = nb_ui_get_id(ui, label, (int)strlen(label));
    return nb_ui_button_at(ui, id, nb_ui_layout_next(ui), label, nb_ui_label_len(label), opts);
}

int nb_ui_button(nb_ui *ui, const char *label)
{
    return nb_ui_button_ex(ui, label, 0);
}

/* Checkbox and radio: a square/round mark at the left of the cell, the label after it. */
static nb_rect mark_box(nb_ui *ui, nb_rect r)
{
    int s = nb_ui_text_h(ui, NB_UI_FONT_SANS) + nb_ui_px(ui, 2);
    s = NB_MIN(s, r.h);
    return (nb_rect){ r.x, r.y + (r.h - s) / 2, s, s };
}

static int toggle_control(nb_ui *ui, const char *label, nb_rect *box_out)
{
    uint32_t id = nb_ui_get_id(ui, label, (int)strlen(label));
    nb_rect r = nb_ui_layout_next(ui);
    nb_rect box = mark_box(ui, r);
    nb_ui_update_control(ui, id, r, 0);
    nb_ui_draw_text_in(ui, NB_UI_FONT_SANS, label, nb_ui_label_len(label),
                       (nb_rect){ box.x + box.w, r.y, r.w - box.w, r.h }, ui->theme.colors[NB_UI_COLOR_TEXT], 0);
    *box_out = box;
    return nb_ui_clicked(ui, id, r) ? 1 : (ui->hover == id ? 2 : 0);
}

int nb_ui_checkbox(nb_ui *ui, const char *label, int *state)
{
    nb_rect box;
    int res = 0, t = toggle_control(ui, label, &box);
    if (t == 1) {
        *state = !*state;
        res |= NB_UI_RES_CHANGE;
    }
    nb_ui_draw_rect(ui, box, ui->theme.colors[t == 2 ? NB_UI_COLOR_BASE_HOVER : NB_UI_COLOR_BASE]);
    if (*state) {
        nb_ui_draw_rect(ui, box, ui->theme.colors[NB_UI_COLOR_ACCENT]);
        nb_ui_draw_icon(ui, NB_UI_ICON_CHECK, box, ui->theme.colors[NB_UI_COLOR_ACCENT_TEXT]);
    } else {
        nb_ui_draw_box(ui, box, ui->theme.colors[NB_UI_COLOR_BORDER]);
    }
    return res;
}

int nb_ui_radio(nb_ui *ui, const char *label, int *value, int option)
{
    nb_rect box;
    int res = 0, t = toggle_control(ui, label, &box);
    if (t == 1 && *value != option) {
        *value = option;
        res |= NB_UI_RES_CHANGE;
    }
    int b = NB_MAX(1, nb_ui_px(ui, 2));
    nb_rect inner = { box.x + b, box.y + b, box.w - 2 * b, box.h - 2 * b };
    int sel = *value == option;
    nb_ui_draw_icon(ui, NB_UI_ICON_CIRCLE, box, ui->theme.colors[sel ? NB_UI_COLOR_ACCENT : NB_UI_COLOR_BORDER]);
    nb_ui_draw_icon(ui, NB_UI_ICON_CIRCLE, inner, ui->theme.colors[t == 2 ? NB_UI_COLOR_BASE_HOVER : NB_UI_COLOR_BASE]);
    if (sel) {
        int d = box.w / 4;
        nb_ui_draw_icon(ui, NB_UI_ICON_CIRCLE, (nb_rect){ box.x + d, box.y + d, box.w - 2 * d, box.h - 2 * d },
                        ui->theme.colors[NB_UI_COLOR_ACCENT]);
    }
    return res;
}

int nb_ui_swatch(nb_ui *ui, nb_color color, int selected)
{
    uint32_t rgba = nb_color_to_rgba(color);
    uint32_t id = nb_ui_get_id(ui, &rgba, (int)sizeof rgba);
    nb_rect r = nb_ui_layout_next(ui);
    nb_ui_update_control(ui, id, r, 0);
    int res = nb_ui_clicked(ui, id, r) ? NB_UI_RES_SUBMIT : 0;
    int b = NB_MAX(1, nb_ui_px(ui, 2));
    /* Selected: accent ring with a gap, so dark and light swatches both show it. */
    if (selected) nb_ui_draw_rect(ui, r, ui->theme.colors[NB_UI_COLOR_ACCENT]);
    else if (ui->hover == id) nb_ui_draw_rect(ui, r, ui->theme.colors[NB_UI_COLOR_TEXT_DIM]);
    nb_rect gap = { r.x + b, r.y + b, r.w - 2 * b, r.h - 2 * b };
    if (selected || ui->hover == id) nb_ui_draw_rect(ui, gap, ui->theme.colors[NB_UI_COLOR_PANEL]);
    nb_rect inner = { gap.x + b, gap.y + b, gap.w - 2 * b, gap.h - 2 * b };
    nb_ui_draw_rect(ui, inner, color);
    return res;
}

int nb_ui_tabs(nb_ui *ui, const char *const *labels, int count, int selected)
{
    NB_ASSERT(count > 0 && count <= NB_UI_MAX_WIDTHS);
    nb_rect bar = nb_ui_full_row(ui, nb_ui_row_height(ui));
    int b = NB_MAX(2, nb_ui_px(ui, 3));
    nb_ui_draw_rect(ui, (nb_rect){ bar.x, bar.y + bar.h - 1, bar.w, 1 }, ui->theme.colors[NB_UI_COLOR_BORDER]);
    nb_ui_push_id_str(ui, "#tabs");
    int result = selected;
    for (int i = 0; i < count; i++) {
        int x0 = bar.x + bar.w * i / count, x1 = bar.x + bar.w * (i + 1) / count;
        nb_rect r = { x0, bar.y, x1 - x0, bar.h };
        uint32_t id = nb_ui_get_id(ui, labels[i], (int)strlen(labels[i]));
        nb_ui_update_control(ui, id, r, 0);
        if (nb_ui_clicked(ui, id, r)) result = i;
        int on = i == selected;
        if (on) nb_ui_draw_rect(ui, r, ui->theme.colors[NB_UI_COLOR_BUTTON]);
        else if (ui->hover == id) nb_ui_draw_rect(ui, r, ui->theme.colors[NB_UI_COLOR_BASE_HOVER]);
        if (on) nb_ui_draw_rect(ui, (nb_rect){ r.x, r.y + r.h - b, r.w, b }, ui->theme.colors[NB_UI_COLOR_ACCENT]);
        nb_ui_draw_text_in(ui, NB_UI_FONT_SANS, labels[i], nb_ui_label_len(labels[i]), r,
                           ui->theme.colors[on ? NB_UI_COLOR_TEXT : NB_UI_COLOR_TEXT_DIM], NB_UI_OPT_ALIGN_CENTER);
    }
    nb_ui_pop_id(ui);
    return result;
}

static int slider_impl(nb_ui *ui, const void *key, double *v, double lo, double hi, double step, nb_rect *out)
{
    uint32_t id = nb_ui_get_id(ui, &key, (int)sizeof key);
    nb_rect r = nb_ui_layout_next(ui);
    int res = 0;
    double before = *v;
    nb_ui_update_control(ui, id, r, 0);
    if (ui->active == id && (ui->mouse_down & NB_UI_MOUSE_LEFT) && r.w > 1 && hi > lo) {
        double t = (double)(ui->mouse_x - r.x) / (double)(r.w - 1);
        *v = lo + NB_CLAMP(t, 0.0, 1.0) * (hi - lo);
        if (step > 0) *v = lo + (double)(long long)((*v - lo) / step + 0.5) * step;
        res |= NB_UI_RES_ACTIVE;
    }
    *v = hi > lo ? NB_CLAMP(*v, lo, hi) : lo;
    if (*v != before) res |= NB_UI_RES_CHANGE;
    int hot = ui->hover == id || ui->active == id;
    nb_ui_draw_rect(ui, r, ui->theme.colors[hot ? NB_UI_COLOR_BASE_HOVER : NB_UI_COLOR_BASE]);
    int fill = hi > lo ? (int)((*v - lo) / (hi - lo) * r.w) : 0;
    nb_color acc = ui->theme.colors[NB_UI_COLOR_ACCENT];
    acc.a = 110;
    nb_ui_draw_rect(ui, (nb_rect){ r.x, r.y, fill, r.h }, acc);
    int tw = NB_MAX(2, nb_ui_px(ui, 4));
    nb_ui_draw_rect(ui, (nb_rect){ r.x + NB_MIN(fill, r.w - tw), r.y, tw, r.h }, ui->theme.colors[NB_UI_COLOR_ACCENT]);
    *out = r;
    return res;
}

int nb_ui_slider(nb_ui *ui, float *value, float lo, float hi, float step, const char *fmt)
{
    double v = *value;
    nb_rect r;
    int res = slider_impl(ui, value, &v, lo, hi, step, &r);
    *value = (float)v;
    char buf[64];
    snprintf(buf, sizeof buf, fmt ? fmt : "%.2f", (double)*value);
    nb_ui_draw_text_in(ui, NB_UI_FONT_SANS, buf, (int)strlen(buf), r, ui->theme.colors[NB_UI_COLOR_TEXT],
                       NB_UI_OPT_ALIGN_CENTER);
    return res;
}

int nb_ui_slider_int(nb_ui *ui, int *value, int lo, int hi, const char *fmt)
{
    double v = *value;
    nb_rect r;
    int res = slider_impl(ui, value, &v, lo, hi, 1.0, &r);
    *value = (int)(v >= 0 ? v + 0.5 : v - 0.5);
    char buf[64];
    snprintf(buf, sizeof buf, fmt ? fmt : "%d", *value);
    nb_ui_draw_text_in(ui, NB_UI_FONT_SANS, buf, (int)strlen(buf), r, ui->theme.colors[NB_UI_COLOR_TEXT],
                       NB_UI_OPT_ALIGN_CENTER);
    return res;
}
