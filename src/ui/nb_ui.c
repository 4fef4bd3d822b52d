/* nb_ui.c — immediate-mode panel core: input state, ids, clip stack, command buffer,
 * frame begin/end, the retained-state pool, panel and row layout. The widgets live in
 * nb_ui_widgets.c (buttons, toggles, tabs, sliders) and nb_ui_text.c (textbox, log). */
#include "nb_ui_internal.h"

#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

nb_ui_theme nb_ui_theme_default(void)
{
    /* Flat dark grey, high contrast for projectors; one blue accent for what is active. */
    nb_ui_theme t = {
        .colors = {
            [NB_UI_COLOR_TEXT] = { 236, 238, 241, 255 },
            [NB_UI_COLOR_TEXT_DIM] = { 160, 166, 176, 255 },
            [NB_UI_COLOR_BORDER] = { 72, 77, 86, 255 },
            [NB_UI_COLOR_PANEL] = { 32, 34, 38, 255 },
            [NB_UI_COLOR_BUTTON] = { 52, 56, 63, 255 },
            [NB_UI_COLOR_BUTTON_HOVER] = { 64, 69, 78, 255 },
            [NB_UI_COLOR_BUTTON_PRESSED] = { 80, 87, 98, 255 },
            [NB_UI_COLOR_BASE] = { 20, 22, 25, 255 },
            [NB_UI_COLOR_BASE_HOVER] = { 25, 27, 31, 255 },
            [NB_UI_COLOR_ACCENT] = { 64, 140, 255, 255 },
            [NB_UI_COLOR_ACCENT_TEXT] = { 255, 255, 255, 255 },
            [NB_UI_COLOR_SELECTION] = { 64, 140, 255, 90 },
            [NB_UI_COLOR_SCROLL_THUMB] = { 96, 102, 112, 255 },
        },
        .padding = 7, .spacing = 6, .scrollbar = 10, .border = 1,
        .font_px = 16, .scale = 1.0f,
    };
    return t;
}

nb_ui *nb_ui_create(const nb_ui_opts *opts)
{
    NB_ASSERT(opts && opts->text_width && opts->text_height);
    nb_ui *ui = calloc(1, sizeof *ui);
    if (!ui) return NULL;
    ui->opts = *opts;
    ui->theme = opts->theme ? *opts->theme : nb_ui_theme_default();
    if (ui->theme.scale <= 0) ui->theme.scale = 1.0f;
    return ui;
}

void nb_ui_destroy(nb_ui *ui)
{
    free(ui);
}

void nb_ui_set_scale(nb_ui *ui, float scale)
{
    ui->theme.scale = NB_CLAMP(scale, 0.5f, 4.0f);
}

const nb_ui_theme *nb_ui_theme_get(const nb_ui *ui)
{
    return &ui->theme;
}

int nb_ui_px(const nb_ui *ui, int logical)
{
    float v = (float)logical * ui->theme.scale;
    return (int)(v >= 0 ? v + 0.5f : v - 0.5f);
}

/* ---- input ------------------------------------------------------------------------ */

void nb_ui_input_mousemove(nb_ui *ui, int x, int y)
{
    ui->mouse_x = x;
    ui->mouse_y = y;
}

void nb_ui_input_mousedown(nb_ui *ui, int x, int y, int button)
{
    nb_ui_input_mousemove(ui, x, y);
    ui->mouse_down |= button;
    ui->mouse_pressed |= button;
}

void nb_ui_input_mouseup(nb_ui *ui, int x, int y, int button)
{
    nb_ui_input_mousemove(ui, x, y);
    ui->mouse_down &= ~button;
    ui->mouse_released |= button;
}

void nb_ui_input_scroll(nb_ui *ui, int dx, int dy)
{
    ui->scroll_x += dx;
    ui->scroll_y += dy;
}

void nb_ui_input_keydown(nb_ui *ui, int key, int mods)
{
    if (ui->nev == NB_UI_INPUT_EVENTS) return;   /* a flood between two frames: drop */
    ui->ev[ui->nev++] = (nb_ui_event){ .key = key, .mods = mods };
}

void nb_ui_input_text(nb_ui *ui, const char *utf8)
{
    int n = (int)strlen(utf8);
    if (ui->nev == NB_UI_INPUT_EVENTS || n == 0) return;
    if (n > NB_UI_INPUT_TEXT - ui->ntext) return;
    memcpy(ui->evtext + ui->ntext, utf8, (size_t)n);
    ui->ev[ui->nev++] = (nb_ui_event){ .text_off = ui->ntext, .text_len = n };
    ui->ntext += n;
    ui->composition[0] = '\0';   /* a commit ends the composition */
}

void nb_ui_input_textedit(nb_ui *ui, const char *utf8, int cursor)
{
    size_t n = strlen(utf8);
    if (n >= sizeof ui->composition) n = 0;   /* absurdly long: show nothing rather than half */
    memcpy(ui->composition, utf8, n);
    ui->composition[n] = '\0';
    ui->comp_cursor = cursor;
}

/* ---- ids -------------------------------------------------------------------------- */

static uint32_t fnv1a(uint32_t h, const void *data, int size)
{
    const unsigned char *p = data;
    for (int i = 0; i < size; i++) h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

uint32_t nb_ui_get_id(nb_ui *ui, const void *data, int size)
{
    uint32_t seed = ui->id_top ? ui->id_stack[ui->id_top - 1] : FNV_OFFSET;
    uint32_t id = fnv1a(seed, data, size);
    return id ? id : 1;   /* 0 means "nothing" */
}

void nb_ui_push_id(nb_ui *ui, const void *data, int size)
{
    NB_ASSERT(ui->id_top < NB_UI_ID_STACK);
    uint32_t id = nb_ui_get_id(ui, data, size);
    ui->id_stack[ui->id_top++] = id;
}

void nb_ui_push_id_str(nb_ui *ui, const char *s)
{
    nb_ui_push_id(ui, s, (int)strlen(s));
}

void nb_ui_push_id_int(nb_ui *ui, int v)
{
    nb_ui_push_id(ui, &v, (int)sizeof v);
}

void nb_ui_pop_id(nb_ui *ui)
{
    NB_ASSERT(ui->id_top > 0);
    ui->id_top--;
}

int nb_ui_label_len(const char *label)
{
    const char *hash = strstr(label, "##");
    return hash ? (int)(hash - label) : (int)strlen(label);
}

/* ---- clip and commands ------------------------------------------------------------ */

nb_rect nb_ui_intersect(nb_rect a, nb_rect b)
{
    int x1 = NB_MAX(a.x, b.x), y1 = NB_MAX(a.y, b.y);
    int x2 = NB_MIN(a.x + a.w, b.x + b.w), y2 = NB_MIN(a.y + a.h, b.y + b.h);
    return (nb_rect){ x1, y1, NB_MAX(0, x2 - x1), NB_MAX(0, y2 - y1) };
}

static int rect_contains(nb_rect r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static int rect_equal(nb_rect a, nb_rect b)
{
    return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

static int rect_inside(nb_rect inner, nb_rect outer)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

nb_rect nb_ui_clip(const nb_ui *ui)
{
    return ui->clip_stack[ui->clip_top - 1];
}

void nb_ui_push_clip(nb_ui *ui, nb_rect r)
{
    NB_ASSERT(ui->clip_top < NB_UI_CLIP_STACK);
    ui->clip_stack[ui->clip_top] = nb_ui_intersect(r, nb_ui_clip(ui));
    ui->clip_top++;
}

void nb_ui_pop_clip(nb_ui *ui)
{
    NB_ASSERT(ui->clip_top > 1);   /* the bottom entry is the whole screen */
    ui->clip_top--;
}

static nb_ui_cmd *push_cmd(nb_ui *ui, int type, int text_len)
{
    size_t size = sizeof(nb_ui_cmd) + (size_t)text_len + 1;
    size = (size + 7) & ~(size_t)7;   /* keep the next command aligned */
    if (ui->cmd_len + size > sizeof ui->cmd_buf) {
        ui->dropped++;
        return NULL;
    }
    nb_ui_cmd *c = (nb_ui_cmd *)(void *)(ui->cmd_buf + ui->cmd_len);
    memset(c, 0, sizeof *c);
    c->type = type;
    c->size = (int)size;
    ui->cmd_len += size;
    return c;
}

static void set_clip_cmd(nb_ui *ui, nb_rect r)
{
    if (rect_equal(r, ui->last_clip)) return;
    nb_ui_cmd *c = push_cmd(ui, NB_UI_CMD_CLIP, 0);
    if (!c) return;
    c->rect = r;
    ui->last_clip = r;
}

int nb_ui_next_command(nb_ui *ui, const nb_ui_cmd **cmd)
{
    size_t off = 0;
    if (*cmd) off = (size_t)((const unsigned char *)*cmd - ui->cmd_buf) + (size_t)(*cmd)->size;
    if (off >= ui->cmd_len) return 0;
    *cmd = (const nb_ui_cmd *)(const void *)(ui->cmd_buf + off);
    return 1;
}

int nb_ui_dropped_commands(const nb_ui *ui)
{
    return ui->dropped;
}

void nb_ui_draw_rect(nb_ui *ui, nb_rect r, nb_color c)
{
    /* Rects are clipped here already, so they rarely need a clip command. */
    nb_rect clip = nb_ui_clip(ui);
    r = nb_ui_intersect(r, clip);
    if (r.w <= 0 || r.h <= 0 || c.a == 0) return;
    /* The backend's clip from an earlier text may be narrower: widen it back if so. */
    if (!rect_inside(r, ui->last_clip)) set_clip_cmd(ui, clip);
    nb_ui_cmd *cmd = push_cmd(ui, NB_UI_CMD_RECT, 0);
    if (!cmd) return;
    cmd->rect = r;
    cmd->color = c;
}

void nb_ui_draw_box(nb_ui *ui, nb_rect r, nb_color c)
{
    int b = NB_MAX(1, nb_ui_px(ui, ui->theme.border));
    nb_ui_draw_rect(ui, (nb_rect){ r.x, r.y, r.w, b }, c);
    nb_ui_draw_rect(ui, (nb_rect){ r.x, r.y + r.h - b, r.w, b }, c);
    nb_ui_draw_rect(ui, (nb_rect){ r.x, r.y + b, b, r.h - 2 * b }, c);
    nb_ui_draw_rect(ui, (nb_rect){ r.x + r.w - b, r.y + b, b, r.h - 2 * b }, c);
}

int nb_ui_text_w(nb_ui *ui, int font, const char *s, int len)
{
    return len > 0 ? ui->opts.text_width(ui->opts.ud, font, s, len) : 0;
}

int nb_ui_text_h(nb_ui *ui, int font)
{
    return ui->opts.text_height(ui->opts.ud, font);
}

void nb_ui_draw_text(nb_ui *ui, int font, const char *s, int len, int x, int y, nb_color c, int flags)
{
    if (len > NB_UI_MAX_TEXT) {
        len = NB_UI_MAX_TEXT;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--;
    }
    if (len <= 0) return;
    nb_rect r = { x, y, nb_ui_text_w(ui, font, s, len), nb_ui_text_h(ui, font) };
    nb_rect clip = nb_ui_clip(ui);
    nb_rect vis = nb_ui_intersect(r, clip);
    if (vis.w <= 0 || vis.h <= 0) return;
    /* Text is clipped by the backend: make sure the active clip is the current one
     * unless the text lies wholly inside both. */
    if (!rect_inside(r, clip) || !rect_inside(r, ui->last_clip)) set_clip_cmd(ui, clip);
    nb_ui_cmd *cmd = push_cmd(ui, NB_UI_CMD_TEXT, len);
    if (!cmd) return;
    cmd->rect = r;
    cmd->color = c;
    cmd->font = font;
    cmd->flags = flags;
    cmd->len = len;
    memcpy(cmd->text, s, (size_t)len);
    cmd->text[len] = '\0';
}

void nb_ui_draw_icon(nb_ui *ui, int icon, nb_rect r, nb_color c)
{
    nb_rect clip = nb_ui_clip(ui);
    nb_rect vis = nb_ui_intersect(r, clip);
    if (vis.w <= 0 || vis.h <= 0) return;
    if (!rect_inside(r, clip) || !rect_inside(r, ui->last_clip)) set_clip_cmd(ui, clip);
    nb_ui_cmd *cmd = push_cmd(ui, NB_UI_CMD_ICON, 0);
    if (!cmd) return;
    cmd->rect = r;
    cmd->color = c;
    cmd->icon = icon;
}

/* ---- frame ------------------------------------------------------------------------ */

void nb_ui_begin(nb_ui *ui)
{
    NB_ASSERT(!ui->in_frame);
    ui->in_frame = 1;
    ui->frame++;
    ui->cmd_len = 0;
    ui->dropped = 0;
    ui->id_top = 0;
    ui->clip_top = 1;
    ui->clip_stack[0] = NB_UI_UNCLIPPED;
    ui->last_clip = NB_UI_UNCLIPPED;
    ui->hover = 0;
    ui->focus_touched = 0;
    ui->focus_claimed = 0;
    ui->active_touched = 0;
    ui->has_input_rect = 0;
    ui->npanel_rects = 0;
}

void nb_ui_end(nb_ui *ui)
{
    NB_ASSERT(ui->in_frame);
    NB_ASSERT(ui->id_top == 0);        /* push_id without pop_id */
    NB_ASSERT(ui->clip_top == 1);      /* push_clip without pop_clip */
    NB_ASSERT(!ui->panel_open);        /* panel_begin without panel_end */
    ui->in_frame = 0;
    /* Focus goes away when its widget was not drawn or when a click landed elsewhere. */
    if (!ui->focus_touched || ((ui->mouse_pressed & NB_UI_MOUSE_LEFT) && !ui->focus_claimed)) {
        if (ui->focus) ui->composition[0] = '\0';
        ui->focus = 0;
    }
    if (!ui->active_touched || !(ui->mouse_down & NB_UI_MOUSE_LEFT)) ui->active = 0;
    ui->mouse_pressed = 0;
    ui->mouse_released = 0;
    ui->scroll_x = 0;
    ui->scroll_y = 0;
    ui->nev = 0;
    ui->ntext = 0;
}

int nb_ui_captures_mouse(const nb_ui *ui)
{
    if (ui->active) return 1;
    for (int i = 0; i < ui->npanel_rects; i++)
        if (rect_contains(ui->panel_rects[i], ui->mouse_x, ui->mouse_y)) return 1;
    return 0;
}

int nb_ui_captures_keyboard(const nb_ui *ui)
{
    return ui->focus != 0 && ui->focus_is_text;
}

int nb_ui_text_input_rect(const nb_ui *ui, nb_rect *out)
{
    if (!ui->focus || !ui->has_input_rect) return 0;
    *out = ui->input_rect;
    return 1;
}

/* ---- state pool (scroll offsets of panels and logs) --------------------------------- */

nb_ui_pool *nb_ui_pool_get(nb_ui *ui, uint32_t id)
{
    nb_ui_pool *lru = &ui->pool[0];
    for (int i = 0; i < NB_UI_POOL; i++) {
        nb_ui_pool *p = &ui->pool[i];
        if (p->id == id) {
            p->last_frame = ui->frame;
            return p;
        }
        if (p->last_frame < lru->last_frame) lru = p;
    }
    memset(lru, 0, sizeof *lru);
    lru->id = id;
    lru->last_frame = ui->frame;
    lru->at_bottom = 1;
    return lru;
}

/* ---- interaction ------------------------------------------------------------------ */

int nb_ui_mouse_over(const nb_ui *ui, nb_rect r)
{
    return rect_contains(r, ui->mouse_x, ui->mouse_y) &&
           rect_contains(nb_ui_clip(ui), ui->mouse_x, ui->mouse_y);
}

void nb_ui_update_control(nb_ui *ui, uint32_t id, nb_rect r, int opts)
{
    if (ui->focus == id) ui->focus_touched = 1;
    if (ui->active == id) ui->active_touched = 1;
    if (opts & NB_UI_OPT_DISABLED) return;
    int over = nb_ui_mouse_over(ui, r);
    if (over && (!(ui->mouse_down & NB_UI_MOUSE_LEFT) || ui->active == id)) ui->hover = id;
    if (over && (ui->mouse_pressed & NB_UI_MOUSE_LEFT) && !ui->active) {
        ui->active = id;
        ui->active_touched = 1;
    }
}

/* A click is a press and a release both on the widget (in one frame or across frames). */
int nb_ui_clicked(const nb_ui *ui, uint32_t id, nb_rect r)
{
    return ui->active == id && (ui->mouse_released & NB_UI_MOUSE_LEFT) && nb_ui_mouse_over(ui, r);
}

void nb_ui_set_focus(nb_ui *ui, uint32_t id, int is_text)
{
    ui->focus = id;
    ui->focus_is_text = is_text;
    ui->focus_touched = 1;
    ui->focus_claimed = 1;
}

/* ---- panel and layout ------------------------------------------------------------- */

void nb_ui_panel_begin(nb_ui *ui, const char *name, nb_rect rect)
{
    NB_ASSERT(ui->in_frame && !ui->panel_open);
    nb_ui_layout *l = &ui->layout;
    uint32_t id = nb_ui_get_id(ui, name, (int)strlen(name));
    ui->panel_open = 1;
    ui->panel_state = nb_ui_pool_get(ui, id);
    ui->panel_rect = rect;
    if (ui->npanel_rects < (int)NB_ARRAY_LEN(ui->panel_rects)) ui->panel_rects[ui->npanel_rects++] = rect;
    nb_ui_push_id(ui, name, (int)strlen(name));
    nb_ui_draw_rect(ui, rect, ui->theme.colors[NB_UI_COLOR_PANEL]);
    nb_ui_push_clip(ui, rect);

    int pad = nb_ui_px(ui, ui->theme.padding) * 2;   /* the panel edge gets a wider margin */
    nb_rect body = { rect.x + pad, rect.y + pad, rect.w - 2 * pad, rect.h - 2 * pad };
    /* Last frame's content height decides whether a scrollbar takes room this frame. */
    if (ui->panel_state->content_h > body.h) body.w -= nb_ui_px(ui, ui->theme.scrollbar);
    int max_scroll = NB_MAX(0, ui->panel_state->content_h - body.h);
    ui->panel_state->scroll = NB_CLAMP(ui->panel_state->scroll, 0, max_scroll);
    memset(l, 0, sizeof *l);
    l->body = body;
    l->x = body.x;
    l->y = body.y - ui->panel_state->scroll;
    l->next_row_y = l->y;
    l->top = l->y;
    int fill = 0;
    nb_ui_layout_row(ui, 1, &fill, 0);
}

static void panel_scrollbar(nb_ui *ui, nb_ui_pool *st, nb_rect body)
{
    int max_scroll = st->content_h - body.h;
    if (max_scroll <= 0) return;
    int sb = nb_ui_px(ui, ui->theme.scrollbar);
    nb_rect track = { body.x + body.w + sb / 2, body.y, sb / 2, body.h };
    nb_ui_scrollbar(ui, nb_ui_get_id(ui, "#vscroll", 8), track, &st->scroll, st->content_h, body.h);
}

void nb_ui_panel_end(nb_ui *ui)
{
    NB_ASSERT(ui->panel_open);
    nb_ui_layout *l = &ui->layout;
    nb_ui_pool *st = ui->panel_state;
    st->content_h = l->next_row_y - l->top - nb_ui_px(ui, ui->theme.spacing);
    /* The wheel scrolls the panel unless a widget inside (a log) used it already. */
    if (ui->scroll_y && nb_ui_mouse_over(ui, ui->panel_rect)) {
        st->scroll -= ui->scroll_y * nb_ui_text_h(ui, NB_UI_FONT_SANS) * 3;
        ui->scroll_y = 0;
    }
    panel_scrollbar(ui, st, l->body);
    st->scroll = NB_CLAMP(st->scroll, 0, NB_MAX(0, st->content_h - l->body.h));
    nb_ui_pop_clip(ui);
    nb_ui_pop_id(ui);
    ui->panel_open = 0;
    ui->panel_state = NULL;
}

/* Shared by the panel and the log: a thin vertical bar whose thumb drags `*scroll`. */
void nb_ui_scrollbar(nb_ui *ui, uint32_t id, nb_rect track, int *scroll, int content_h, int view_h)
{
    int max_scroll = content_h - view_h;
    if (max_scroll <= 0) return;
    int thumb_h = NB_MAX(nb_ui_px(ui, 24), track.h * view_h / content_h);
    thumb_h = NB_MIN(thumb_h, track.h);
    nb_ui_update_control(ui, id, track, 0);
    if (ui->active == id && (ui->mouse_down & NB_UI_MOUSE_LEFT) && track.h > thumb_h) {
        /* The thumb centre follows the mouse. */
        int pos = ui->mouse_y - track.y - thumb_h / 2;
        *scroll = (int)((long long)pos * max_scroll / (track.h - thumb_h));
    }
    *scroll = NB_CLAMP(*scroll, 0, max_scroll);
    int thumb_y = track.y + (int)((long long)(track.h - thumb_h) * *scroll / max_scroll);
    nb_ui_draw_rect(ui, track, ui->theme.colors[NB_UI_COLOR_BASE]);
    nb_color c = ui->theme.colors[ui->active == id || ui->hover == id ? NB_UI_COLOR_TEXT_DIM
                                                                       : NB_UI_COLOR_SCROLL_THUMB];
    nb_ui_draw_rect(ui, (nb_rect){ track.x, thumb_y, track.w, thumb_h }, c);
}

int nb_ui_row_height(nb_ui *ui)
{
    return nb_ui_text_h(ui, NB_UI_FONT_SANS) + 2 * nb_ui_px(ui, ui->theme.padding);
}

void nb_ui_layout_row_px(nb_ui *ui, int items, const int *widths_px, int height_px)
{
    nb_ui_layout *l = &ui->layout;
    NB_ASSERT(ui->panel_open);
    NB_ASSERT(items > 0 && items <= NB_UI_MAX_WIDTHS);
    memcpy(l->widths, widths_px, sizeof(int) * (size_t)items);
    l->items = items;
    l->row_h = height_px;
    l->item = 0;
    l->x = l->body.x;
    l->y = l->next_row_y;
}

void nb_ui_layout_row(nb_ui *ui, int items, const int *widths, int height)
{
    NB_ASSERT(items > 0 && items <= NB_UI_MAX_WIDTHS);
    nb_ui_layout *l = &ui->layout;
    int px[NB_UI_MAX_WIDTHS];
    for (int i = 0; i < items; i++) px[i] = widths[i] > 0 ? nb_ui_px(ui, widths[i]) : -nb_ui_px(ui, -widths[i]);
    int h;
    if (height > 0) h = nb_ui_px(ui, height);
    else if (height < 0) h = l->body.y + l->body.h - l->next_row_y - nb_ui_px(ui, -height);
    else h = nb_ui_row_height(ui);
    /* A fill-height row never shrinks below one text row. */
    nb_ui_layout_row_px(ui, items, px, NB_MAX(h, nb_ui_row_height(ui)));
}

nb_rect nb_ui_layout_next(nb_ui *ui)
{
    nb_ui_layout *l = &ui->layout;
    NB_ASSERT(ui->panel_open);
    int sp = nb_ui_px(ui, ui->theme.spacing);
    if (l->item == l->items) {   /* row full: wrap to a new one with the same widths */
        l->item = 0;
        l->x = l->body.x;
        l->y = l->next_row_y;
    }
    int w = l->widths[l->item];
    if (w <= 0) w = l->body.x + l->body.w - l->x + w;   /* fill the rest minus |w| */
    nb_rect r = { l->x, l->y, NB_MAX(0, w), l->row_h };
    l->item++;
    l->x += r.w + sp;
    l->next_row_y = NB_MAX(l->next_row_y, l->y + r.h + sp);
    return r;
}

/* A row of its own across the panel, leaving the caller's column setup as it was. */
nb_rect nb_ui_full_row(nb_ui *ui, int height_px)
{
    nb_ui_layout *l = &ui->layout;
    nb_ui_layout saved = *l;
    int zero = 0;
    nb_ui_layout_row_px(ui, 1, &zero, height_px);
    nb_rect r = nb_ui_layout_next(ui);
    int next = l->next_row_y;
    *l = saved;
    l->next_row_y = next;
    l->item = 0;
    l->x = l->body.x;
    l->y = next;
    return r;
}

/* ---- text placement --------------------------------------------------------------- */

/* Text inside a widget's rect: vertically centred, padded or aligned, clipped to it. */
void nb_ui_draw_text_in(nb_ui *ui, int font, const char *s, int len, nb_rect r, nb_color c, int opts)
{
    int tw = nb_ui_text_w(ui, font, s, len);
    int pad = nb_ui_px(ui, ui->theme.padding);
    int x = r.x + pad;
    if (opts & NB_UI_OPT_ALIGN_CENTER) x = r.x + (r.w - tw) / 2;
    else if (opts & NB_UI_OPT_ALIGN_RIGHT) x = r.x + r.w - tw - pad;
    int y = r.y + (r.h - nb_ui_text_h(ui, font)) / 2;
    nb_ui_push_clip(ui, r);
    nb_ui_draw_text(ui, font, s, len, x, y, c, 0);
    nb_ui_pop_clip(ui);
}

