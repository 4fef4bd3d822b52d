/* nb_ui_internal.h — the nb_ui context layout and the helpers shared by nb_ui.c (core,
 * layout, simple widgets) and nb_ui_text.c (textbox, log). Not for use outside src/ui. */
#ifndef NB_UI_INTERNAL_H
#define NB_UI_INTERNAL_H

#include "nb_ui.h"

typedef struct nb_ui_event {   /* one key press or one committed text, in arrival order */
    int key, mods;
    int text_off, text_len;
} nb_ui_event;

typedef struct nb_ui_pool {    /* retained state of a panel or a log, found by id */
    uint32_t id;
    unsigned last_frame;
    int scroll;                /* pixels from the top */
    int content_h;             /* last frame's content height */
    int at_bottom;             /* log: follow new lines */
    uint64_t sel_a, sel_b;     /* log: selected line sequence numbers (inclusive), sel_b+1 = 0 none */
    int has_sel;
} nb_ui_pool;

typedef struct nb_ui_layout {
    nb_rect body;              /* content area (panel minus padding and scrollbar) */
    int top;                   /* y of the first row (body.y - scroll) */
    int x, y;                  /* where the next item goes */
    int next_row_y;
    int widths[NB_UI_MAX_WIDTHS];   /* px; <= 0 fills the rest of the row minus |w| */
    int items, item, row_h;
} nb_ui_layout;

struct nb_ui {
    nb_ui_opts opts;
    nb_ui_theme theme;
    int in_frame;
    unsigned frame;

    /* input since the last frame */
    int mouse_x, mouse_y;
    int mouse_down, mouse_pressed, mouse_released;
    int scroll_x, scroll_y;
    nb_ui_event ev[NB_UI_INPUT_EVENTS];
    int nev;
    char evtext[NB_UI_INPUT_TEXT];
    int ntext;
    char composition[NB_UI_COMPOSITION];
    int comp_cursor;

    /* widget state */
    uint32_t hover, active, focus;
    int focus_is_text, focus_touched, focus_claimed, active_touched;
    int tb_cursor, tb_anchor;          /* focused textbox: byte offsets */
    nb_rect input_rect;                /* focused textbox on screen (IME) */
    int has_input_rect;

    uint32_t id_stack[NB_UI_ID_STACK];
    int id_top;
    nb_rect clip_stack[NB_UI_CLIP_STACK];
    int clip_top;
    nb_rect last_clip;                 /* the clip the backend will have when it reaches the end */

    int panel_open;
    nb_rect panel_rect;
    nb_ui_pool *panel_state;
    nb_ui_layout layout;
    nb_rect panel_rects[4];            /* this frame's panels, for captures_mouse */
    int npanel_rects;
    nb_ui_pool pool[NB_UI_POOL];

    char scratch[4096];                /* clipboard staging */

    size_t cmd_len;
    int dropped;
    _Alignas(8) unsigned char cmd_buf[NB_UI_CMD_BUF_SIZE];
};

int nb_ui_px(const nb_ui *ui, int logical);
int nb_ui_text_w(nb_ui *ui, int font, const char *s, int len);
int nb_ui_text_h(nb_ui *ui, int font);
int nb_ui_row_height(nb_ui *ui);
int nb_ui_label_len(const char *label);
nb_rect nb_ui_intersect(nb_rect a, nb_rect b);
nb_rect nb_ui_clip(const nb_ui *ui);
nb_ui_pool *nb_ui_pool_get(nb_ui *ui, uint32_t id);
int nb_ui_mouse_over(const nb_ui *ui, nb_rect r);
void nb_ui_update_control(nb_ui *ui, uint32_t id, nb_rect r, int opts);
int nb_ui_clicked(const nb_ui *ui, uint32_t id, nb_rect r);
void nb_ui_set_focus(nb_ui *ui, uint32_t id, int is_text);
void nb_ui_layout_row_px(nb_ui *ui, int items, const int *widths_px, int height_px);
nb_rect nb_ui_full_row(nb_ui *ui, int height_px);
void nb_ui_draw_text_in(nb_ui *ui, int font, const char *s, int len, nb_rect r, nb_color c, int opts);
void nb_ui_scrollbar(nb_ui *ui, uint32_t id, nb_rect track, int *scroll, int content_h, int view_h);
int nb_ui_button_at(nb_ui *ui, uint32_t id, nb_rect r, const char *label, int len, int opts);

#endif
