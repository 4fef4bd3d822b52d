/* nb_ui_text.c — the widgets that edit or show text: the single-line UTF-8 textbox (with
 * IME composition and clipboard) and the scrollable log view over an nb_ui_ring. */
#include "nb_ui_internal.h"

#include <stdlib.h>
#include <string.h>

int nb_ui_utf8_decode(const char *str, int n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    uint32_t c;
    int k;
    if (n <= 0) return 0;
    if (s[0] < 0x80) { c = s[0]; k = 1; }
    else if (s[0] >= 0xC2 && s[0] <= 0xDF) { c = s[0] & 0x1Fu; k = 2; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { c = s[0] & 0x0Fu; k = 3; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { c = s[0] & 0x07u; k = 4; }
    else return 0;
    if (k > n) return 0;
    for (int i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    /* Overlong forms, surrogates and > U+10FFFF are invalid. */
    if ((k == 3 && c < 0x800) || (k == 4 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    if (cp) *cp = c;
    return k;
}

/* ---- textbox ---------------------------------------------------------------------- */

static int is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

static int prev_char(const char *buf, int i)
{
    while (i > 0 && is_cont(buf[--i])) {}
    return i;
}

static int next_char(const char *buf, int len, int i)
{
    if (i >= len) return len;
    i++;
    while (i < len && is_cont(buf[i])) i++;
    return i;
}

static void erase(char *buf, int *len, int a, int b)
{
    memmove(buf + a, buf + b, (size_t)(*len - b + 1));
    *len -= b - a;
}

/* Inserts the valid, printable characters of s[0..n) that fit at `at`; returns the bytes
 * inserted. Invalid UTF-8 and control characters (a pasted newline) are skipped. */
static int insert(char *buf, int cap, int *len, int at, const char *s, int n)
{
    int done = 0;
    for (int i = 0; i < n;) {
        uint32_t cp = 0;
        int k = nb_ui_utf8_decode(s + i, n - i, &cp);
        if (k == 0) { i++; continue; }
        if (cp < 0x20 || cp == 0x7f) { i += k; continue; }
        if (*len + k > cap - 1) break;
        int pos = at + done;
        memmove(buf + pos + k, buf + pos, (size_t)(*len - pos + 1));
        memcpy(buf + pos, s + i, (size_t)k);
        *len += k;
        done += k;
        i += k;
    }
    return done;
}

static int sel_lo(const nb_ui *ui) { return NB_MIN(ui->tb_cursor, ui->tb_anchor); }
static int sel_hi(const nb_ui *ui) { return NB_MAX(ui->tb_cursor, ui->tb_anchor); }

static void copy_range(nb_ui *ui, const char *s, int n)
{
    if (!ui->opts.clipboard_set || n <= 0) return;
    n = NB_MIN(n, (int)sizeof ui->scratch - 1);
    while (n > 0 && is_cont(s[n])) n--;
    memcpy(ui->scratch, s, (size_t)n);
    ui->scratch[n] = '\0';
    ui->opts.clipboard_set(ui->opts.ud, ui->scratch);
}

/* Deletes the selection if there is one; 1 if it did. */
static int erase_selection(nb_ui *ui, char *buf, int *len)
{
    int a = sel_lo(ui), b = sel_hi(ui);
    if (a == b) return 0;
    erase(buf, len, a, b);
    ui->tb_cursor = ui->tb_anchor = a;
    return 1;
}

static void move_cursor(nb_ui *ui, int to, int mods)
{
    ui->tb_cursor = to;
    if (!(mods & NB_UI_MOD_SHIFT)) ui->tb_anchor = to;
}

/* Applies this frame's keys and text to the focused textbox; returns result bits. */
static int edit(nb_ui *ui, char *buf, int cap, int *len)
{
    int res = 0;
    for (int i = 0; i < ui->nev && ui->focus; i++) {   /* Escape ends it */
        const nb_ui_event *e = &ui->ev[i];
        int c = ui->tb_cursor, changed = 0;
        if (e->text_len) {
            changed = erase_selection(ui, buf, len);
            int k = insert(buf, cap, len, ui->tb_cursor, ui->evtext + e->text_off, e->text_len);
            ui->tb_cursor = ui->tb_anchor = ui->tb_cursor + k;
            changed |= k > 0;
        } else if (ui->composition[0]) {
            continue;   /* the IME owns the keys while it composes */
        } else switch (e->key) {
        case NB_UI_KEY_BACKSPACE:
            if (!(changed = erase_selection(ui, buf, len)) && c > 0) {
                int p = prev_char(buf, c);
                erase(buf, len, p, c);
                ui->tb_cursor = ui->tb_anchor = p;
                changed = 1;
            }
            break;
        case NB_UI_KEY_DELETE:
            if (!(changed = erase_selection(ui, buf, len)) && c < *len) {
                erase(buf, len, c, next_char(buf, *len, c));
                changed = 1;
            }
            break;
        case NB_UI_KEY_LEFT:
            if (sel_lo(ui) != sel_hi(ui) && !(e->mods & NB_UI_MOD_SHIFT)) move_cursor(ui, sel_lo(ui), 0);
            else move_cursor(ui, prev_char(buf, c), e->mods);
            break;
        case NB_UI_KEY_RIGHT:
            if (sel_lo(ui) != sel_hi(ui) && !(e->mods & NB_UI_MOD_SHIFT)) move_cursor(ui, sel_hi(ui), 0);
            else move_cursor(ui, next_char(buf, *len, c), e->mods);
            break;
        case NB_UI_KEY_HOME: move_cursor(ui, 0, e->mods); break;
        case NB_UI_KEY_END: move_cursor(ui, *len, e->mods); break;
        case NB_UI_KEY_SELECT_ALL:
            ui->tb_anchor = 0;
            ui->tb_cursor = *len;
            break;
        case NB_UI_KEY_COPY:
        case NB_UI_KEY_CUT:
            copy_range(ui, buf + sel_lo(ui), sel_hi(ui) - sel_lo(ui));
            if (e->key == NB_UI_KEY_CUT) changed = erase_selection(ui, buf, len);
            break;
        case NB_UI_KEY_PASTE:
            if (ui->opts.clipboard_get) {
                int n = ui->opts.clipboard_get(ui->opts.ud, ui->scratch, (int)sizeof ui->scratch);
                n = NB_CLAMP(n, 0, (int)sizeof ui->scratch - 1);
                changed = erase_selection(ui, buf, len);
                int k = insert(buf, cap, len, ui->tb_cursor, ui->scratch, n);
                ui->tb_cursor = ui->tb_anchor = ui->tb_cursor + k;
                changed |= k > 0;
            }
            break;
        case NB_UI_KEY_RETURN: res |= NB_UI_RES_SUBMIT; break;
        case NB_UI_KEY_ESCAPE: ui->focus = 0; break;
        default: break;
        }
        if (changed) res |= NB_UI_RES_CHANGE;
    }
    return res;
}

/* How far the text is shifted left so the caret (after any composition) stays visible. */
static int text_offset(nb_ui *ui, const char *buf, int cursor, int inner_w)
{
    int caret = nb_ui_text_w(ui, NB_UI_FONT_SANS, buf, cursor) +
                nb_ui_text_w(ui, NB_UI_FONT_SANS, ui->composition, (int)strlen(ui->composition));
    return NB_MAX(0, caret - inner_w + nb_ui_px(ui, 2));
}

/* Byte offset of the character boundary nearest to screen x. */
static int index_at(nb_ui *ui, const char *buf, int len, int x)
{
    int prev_w = 0;
    for (int i = 0; i < len;) {
        int n = next_char(buf, len, i);
        int w = nb_ui_text_w(ui, NB_UI_FONT_SANS, buf, n);
        if (x < (prev_w + w) / 2) return i;
        prev_w = w;
        i = n;
    }
    return len;
}

int nb_ui_textbox(nb_ui *ui, char *buf, int cap)
{
    NB_ASSERT(buf && cap > 0);
    uint32_t id = nb_ui_get_id(ui, &buf, (int)sizeof buf);
    nb_rect r = nb_ui_layout_next(ui);
    int pad = nb_ui_px(ui, ui->theme.padding);
    nb_rect inner = { r.x + pad, r.y, r.w - 2 * pad, r.h };
    int res = 0;
    buf[cap - 1] = '\0';
    int len = (int)strlen(buf);

    nb_ui_update_control(ui, id, r, 0);
    if (ui->focus == id) {
        /* The caller may have changed the text: keep the cursor on a character boundary. */
        ui->tb_cursor = NB_CLAMP(ui->tb_cursor, 0, len);
        ui->tb_anchor = NB_CLAMP(ui->tb_anchor, 0, len);
        while (ui->tb_cursor > 0 && is_cont(buf[ui->tb_cursor])) ui->tb_cursor--;
        while (ui->tb_anchor > 0 && is_cont(buf[ui->tb_anchor])) ui->tb_anchor--;
    }
    if (ui->active == id && (ui->mouse_down | ui->mouse_pressed) & NB_UI_MOUSE_LEFT) {
        int off = ui->focus == id ? text_offset(ui, buf, ui->tb_cursor, inner.w) : 0;
        int at = index_at(ui, buf, len, ui->mouse_x - inner.x + off);
        if (ui->mouse_pressed & NB_UI_MOUSE_LEFT) {
            if (ui->focus != id) ui->composition[0] = '\0';
            nb_ui_set_focus(ui, id, 1);
            ui->tb_anchor = at;
        }
        ui->tb_cursor = at;
        res |= NB_UI_RES_ACTIVE;
    }
    int focused = ui->focus == id;
    if (focused) res |= edit(ui, buf, cap, &len);
    focused = ui->focus == id;   /* Escape drops it */

    int hot = ui->hover == id || focused;
    nb_ui_draw_rect(ui, r, ui->theme.colors[hot ? NB_UI_COLOR_BASE_HOVER : NB_UI_COLOR_BASE]);
    nb_ui_draw_box(ui, r, ui->theme.colors[focused ? NB_UI_COLOR_ACCENT : NB_UI_COLOR_BORDER]);
    int th = nb_ui_text_h(ui, NB_UI_FONT_SANS);
    int ty = r.y + (r.h - th) / 2;
    nb_color fg = ui->theme.colors[NB_UI_COLOR_TEXT];
    nb_ui_push_clip(ui, inner);
    if (!focused) {
        nb_ui_draw_text(ui, NB_UI_FONT_SANS, buf, len, inner.x, ty, fg, 0);
    } else {
        int off = text_offset(ui, buf, ui->tb_cursor, inner.w);
        int x0 = inner.x - off;
        int a = sel_lo(ui), b = sel_hi(ui);
        if (a != b) {
            int xa = nb_ui_text_w(ui, NB_UI_FONT_SANS, buf, a), xb = nb_ui_text_w(ui, NB_UI_FONT_SANS, buf, b);
            nb_ui_draw_rect(ui, (nb_rect){ x0 + xa, ty, xb - xa, th }, ui->theme.colors[NB_UI_COLOR_SELECTION]);
        }
        int comp_len = (int)strlen(ui->composition);
        int xc = x0 + nb_ui_text_w(ui, NB_UI_FONT_SANS, buf, ui->tb_cursor);
        int wc = nb_ui_text_w(ui, NB_UI_FONT_SANS, ui->composition, comp_len);
        if (comp_len == 0) {
            nb_ui_draw_text(ui, NB_UI_FONT_SANS, buf, len, x0, ty, fg, 0);
        } else {
            /* Composition shows at the cursor, underlined, splitting the committed text. */
            nb_ui_draw_text(ui, NB_UI_FONT_SANS, buf, ui->tb_cursor, x0, ty, fg, 0);
            nb_ui_draw_text(ui, NB_UI_FONT_SANS, ui->composition, comp_len, xc, ty, fg, NB_UI_TEXT_UNDERLINE);
            nb_ui_draw_text(ui, NB_UI_FONT_SANS, buf + ui->tb_cursor, len - ui->tb_cursor, xc + wc, ty, fg, 0);
        }
        int cw = NB_MAX(1, nb_ui_px(ui, 2));
        nb_ui_draw_rect(ui, (nb_rect){ xc + wc, ty, cw, th }, ui->theme.colors[NB_UI_COLOR_ACCENT]);
        ui->input_rect = r;
        ui->has_input_rect = 1;
    }
    nb_ui_pop_clip(ui);
    return res;
}

/* ---- log view --------------------------------------------------------------------- */

/* Puts lines [first, last] of the ring on the clipboard, one per line. 1 if it did. */
static int copy_lines(nb_ui *ui, const nb_ui_ring *ring, int first, int last)
{
    first = NB_MAX(first, 0);
    last = NB_MIN(last, ring->count - 1);
    if (!ui->opts.clipboard_set || first > last) return 0;
    size_t total = 1;
    for (int i = first; i <= last; i++) total += strlen(nb_ui_ring_line(ring, i)) + 1;
    char *text = malloc(total);   /* once per copy action, not per frame */
    if (!text) return 0;
    size_t off = 0;
    for (int i = first; i <= last; i++) {
        const char *s = nb_ui_ring_line(ring, i);
        size_t n = strlen(s);
        memcpy(text + off, s, n);
        off += n;
        text[off++] = '\n';
    }
    text[off] = '\0';
    ui->opts.clipboard_set(ui->opts.ud, text);
    free(text);
    return 1;
}

static int line_at(int y, int view_y, int scroll, int lh, int count)
{
    return NB_CLAMP((y - view_y + scroll) / lh, 0, NB_MAX(0, count - 1));
}

int nb_ui_log(nb_ui *ui, const char *name, const nb_ui_ring *ring, int opts)
{
    uint32_t id = nb_ui_get_id(ui, name, (int)strlen(name));
    nb_ui_pool *st = nb_ui_pool_get(ui, id);
    nb_rect r = nb_ui_layout_next(ui);
    int font = (opts & NB_UI_OPT_MONO) ? NB_UI_FONT_MONO : NB_UI_FONT_SANS;
    int pad = nb_ui_px(ui, ui->theme.padding) / 2 + 1;
    int lh = nb_ui_text_h(ui, font) + nb_ui_px(ui, 2);
    int sb = nb_ui_px(ui, ui->theme.scrollbar);
    nb_rect view = { r.x + pad, r.y + pad, r.w - 2 * pad - sb, r.h - 2 * pad };
    int content_h = ring->count * lh;
    int max_scroll = NB_MAX(0, content_h - view.h);
    uint64_t first_seq = ring->total - (uint64_t)ring->count;
    int res = 0;

    /* The Copy button sits over the top-right corner; it claims clicks before the lines. */
    const char *copy_label = "Copy";
    int bw = nb_ui_text_w(ui, NB_UI_FONT_SANS, copy_label, 4) + 2 * nb_ui_px(ui, ui->theme.padding);
    int bh = nb_ui_text_h(ui, NB_UI_FONT_SANS) + nb_ui_px(ui, 6);
    nb_rect br = { r.x + r.w - sb - pad - bw - pad, r.y + pad + 1, bw, bh };
    nb_ui_push_id_str(ui, name);
    uint32_t copy_id = nb_ui_get_id(ui, copy_label, 4);
    uint32_t bar_id = nb_ui_get_id(ui, "#vscroll", 8);
    nb_ui_pop_id(ui);
    /* Shown only while the log is under the mouse or focused: it covers the first line. */
    int show_copy = nb_ui_mouse_over(ui, r) || ui->focus == id || ui->active == copy_id;
    if (show_copy) nb_ui_update_control(ui, copy_id, br, 0);

    if (st->at_bottom) st->scroll = max_scroll;
    if (ui->scroll_y && max_scroll > 0 && nb_ui_mouse_over(ui, r)) {
        st->scroll -= ui->scroll_y * lh * 3;
        ui->scroll_y = 0;   /* used: the panel must not scroll too */
    }
    nb_ui_update_control(ui, id, view, 0);
    if (ui->active == id && ring->count > 0) {
        uint64_t seq = first_seq + (uint64_t)line_at(ui->mouse_y, view.y, st->scroll, lh, ring->count);
        if (ui->mouse_pressed & NB_UI_MOUSE_LEFT) {
            nb_ui_set_focus(ui, id, 0);
            st->sel_a = seq;
            st->has_sel = 1;
        }
        if ((ui->mouse_down | ui->mouse_pressed) & NB_UI_MOUSE_LEFT) st->sel_b = seq;
        /* Dragging past the edges scrolls. */
        if (ui->mouse_y < view.y) st->scroll -= lh;
        if (ui->mouse_y >= view.y + view.h) st->scroll += lh;
    }
    if (ui->focus == id) {
        for (int i = 0; i < ui->nev; i++) {
            if (ui->ev[i].key == NB_UI_KEY_SELECT_ALL && ring->count > 0) {
                st->sel_a = first_seq;
                st->sel_b = ring->total - 1;
                st->has_sel = 1;
            } else if (ui->ev[i].key == NB_UI_KEY_COPY && st->has_sel) {
                uint64_t a = NB_MIN(st->sel_a, st->sel_b), b = NB_MAX(st->sel_a, st->sel_b);
                if (b >= first_seq && copy_lines(ui, ring, (int)(NB_MAX(a, first_seq) - first_seq), (int)(b - first_seq)))
                    res |= NB_UI_RES_SUBMIT;
            }
        }
    }

    nb_ui_draw_rect(ui, r, ui->theme.colors[NB_UI_COLOR_BASE]);
    nb_ui_draw_box(ui, r, ui->theme.colors[ui->focus == id ? NB_UI_COLOR_ACCENT : NB_UI_COLOR_BORDER]);
    nb_ui_scrollbar(ui, bar_id, (nb_rect){ r.x + r.w - pad - sb / 2 - 1, view.y, sb / 2, view.h }, &st->scroll,
                    content_h, view.h);
    st->scroll = NB_CLAMP(st->scroll, 0, max_scroll);
    st->at_bottom = st->scroll >= max_scroll;

    nb_ui_push_clip(ui, view);
    int first = st->scroll / lh;
    int last = NB_MIN(ring->count - 1, (st->scroll + view.h) / lh);
    uint64_t sa = NB_MIN(st->sel_a, st->sel_b), sbq = NB_MAX(st->sel_a, st->sel_b);
    for (int i = first; i <= last; i++) {
        int y = view.y + i * lh - st->scroll;
        uint64_t seq = first_seq + (uint64_t)i;
        if (st->has_sel && seq >= sa && seq <= sbq)
            nb_ui_draw_rect(ui, (nb_rect){ view.x, y, view.w, lh }, ui->theme.colors[NB_UI_COLOR_SELECTION]);
        const char *s = nb_ui_ring_line(ring, i);
        nb_ui_draw_text(ui, font, s, (int)strlen(s), view.x + pad, y + nb_ui_px(ui, 1),
                        ui->theme.colors[NB_UI_COLOR_TEXT], 0);
    }
    nb_ui_pop_clip(ui);

    if (show_copy) {
        nb_ui_push_clip(ui, r);
        if (nb_ui_button_at(ui, copy_id, br, copy_label, 4, 0) & NB_UI_RES_SUBMIT)
            if (copy_lines(ui, ring, 0, ring->count - 1)) res |= NB_UI_RES_SUBMIT;
        nb_ui_pop_clip(ui);
    }
    return res;
}
