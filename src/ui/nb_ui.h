/* nb_ui.h — the immediate-mode toolkit behind the app's right-hand panel (microui-style).
 * Owns the per-frame widget state (hover/active/focus ids, textbox cursor, scroll offsets
 * in a small fixed pool) and a fixed command buffer that the SDL backend (nb_ui_sdl.h)
 * draws. Pure logic: no SDL, no drawing, no malloc per frame. Single-threaded (the render
 * thread owns the context). */
#ifndef NB_UI_H
#define NB_UI_H

#include "nb_common.h"
#include "nb_types.h"
#include "nb_ui_ring.h"

#define NB_UI_CMD_BUF_SIZE (256 * 1024) /* bytes of commands per frame */
#define NB_UI_ID_STACK 32
#define NB_UI_CLIP_STACK 16
#define NB_UI_MAX_WIDTHS 16             /* columns per layout row */
#define NB_UI_POOL 32                   /* panels + logs whose scroll state is kept */
#define NB_UI_MAX_TEXT 512              /* longer texts are cut (nothing shows past that) */
#define NB_UI_INPUT_EVENTS 64           /* key/text events queued between two frames */
#define NB_UI_INPUT_TEXT 512            /* bytes of typed text queued between two frames */
#define NB_UI_COMPOSITION 128           /* bytes of IME composition text */

/* Widget results (bits). */
#define NB_UI_RES_ACTIVE (1 << 0)  /* pressed / being dragged this frame */
#define NB_UI_RES_SUBMIT (1 << 1)  /* clicked, Enter in a textbox */
#define NB_UI_RES_CHANGE (1 << 2)  /* the caller's value changed */

/* Widget options (bits). */
#define NB_UI_OPT_ALIGN_CENTER (1 << 0)
#define NB_UI_OPT_ALIGN_RIGHT  (1 << 1)
#define NB_UI_OPT_DIM          (1 << 2)  /* secondary text colour */
#define NB_UI_OPT_MONO         (1 << 3)  /* monospace font (hex dumps) */
#define NB_UI_OPT_DISABLED     (1 << 4)  /* drawn greyed, never interacts */
#define NB_UI_OPT_ACCENT       (1 << 5)  /* button drawn in the accent colour */

/* Mouse buttons (bits). */
#define NB_UI_MOUSE_LEFT   (1 << 0)
#define NB_UI_MOUSE_RIGHT  (1 << 1)
#define NB_UI_MOUSE_MIDDLE (1 << 2)

/* Keys the backend translates (layout-independent; Ctrl+A/C/X/V arrive as commands). */
enum {
    NB_UI_KEY_BACKSPACE = 1, NB_UI_KEY_DELETE, NB_UI_KEY_RETURN, NB_UI_KEY_ESCAPE,
    NB_UI_KEY_LEFT, NB_UI_KEY_RIGHT, NB_UI_KEY_HOME, NB_UI_KEY_END,
    NB_UI_KEY_SELECT_ALL, NB_UI_KEY_COPY, NB_UI_KEY_CUT, NB_UI_KEY_PASTE
};
#define NB_UI_MOD_SHIFT (1 << 0)
#define NB_UI_MOD_CTRL  (1 << 1)

enum { NB_UI_FONT_SANS, NB_UI_FONT_MONO, NB_UI_FONT_COUNT };

enum {
    NB_UI_COLOR_TEXT, NB_UI_COLOR_TEXT_DIM, NB_UI_COLOR_BORDER, NB_UI_COLOR_PANEL,
    NB_UI_COLOR_BUTTON, NB_UI_COLOR_BUTTON_HOVER, NB_UI_COLOR_BUTTON_PRESSED,
    NB_UI_COLOR_BASE, NB_UI_COLOR_BASE_HOVER, NB_UI_COLOR_ACCENT, NB_UI_COLOR_ACCENT_TEXT,
    NB_UI_COLOR_SELECTION, NB_UI_COLOR_SCROLL_THUMB, NB_UI_COLOR_COUNT
};

/* Sizes are logical pixels at scale 1; `scale` multiplies them all (presenter mode on a
 * 1080p/4K projector). The backend renders fonts at font_px * scale. */
typedef struct nb_ui_theme {
    nb_color colors[NB_UI_COLOR_COUNT];
    int padding, spacing, scrollbar, border;
    int font_px;
    float scale;
} nb_ui_theme;

/* Text measurement and clipboard come from the backend (tests pass fakes). */
typedef struct nb_ui_opts {
    int (*text_width)(void *ud, int font, const char *s, int len);
    int (*text_height)(void *ud, int font);
    void (*clipboard_set)(void *ud, const char *text);
    int (*clipboard_get)(void *ud, char *out, int cap); /* returns bytes written, NUL-terminated */
    void *ud;
    const nb_ui_theme *theme;   /* NULL → nb_ui_theme_default() */
} nb_ui_opts;

/* The command list: every command is one of these, `size` bytes long (text inline). */
enum { NB_UI_CMD_CLIP = 1, NB_UI_CMD_RECT, NB_UI_CMD_TEXT, NB_UI_CMD_ICON };
enum { NB_UI_ICON_CHECK = 1, NB_UI_ICON_CIRCLE };
#define NB_UI_TEXT_UNDERLINE (1 << 0)
#define NB_UI_UNCLIPPED ((nb_rect){ 0, 0, 0x1000000, 0x1000000 })

typedef struct nb_ui_cmd {
    int type, size;
    nb_rect rect;      /* clip area; filled rect; icon box; text x, y and measured w, h */
    nb_color color;
    int icon;          /* NB_UI_ICON_* */
    int font;          /* NB_UI_FONT_* */
    int flags;         /* NB_UI_TEXT_* */
    int len;           /* text bytes, text[len] == '\0' */
    char text[];
} nb_ui_cmd;

typedef struct nb_ui nb_ui;

nb_ui_theme nb_ui_theme_default(void);
nb_ui *nb_ui_create(const nb_ui_opts *opts);       /* NULL on out-of-memory */
void nb_ui_destroy(nb_ui *ui);
void nb_ui_set_scale(nb_ui *ui, float scale);       /* clamped to 0.5 .. 4 */
const nb_ui_theme *nb_ui_theme_get(const nb_ui *ui);

/* Input, fed by the backend between frames (coordinates in renderer pixels). */
void nb_ui_input_mousemove(nb_ui *ui, int x, int y);
void nb_ui_input_mousedown(nb_ui *ui, int x, int y, int button);
void nb_ui_input_mouseup(nb_ui *ui, int x, int y, int button);
void nb_ui_input_scroll(nb_ui *ui, int dx, int dy);   /* dy > 0: wheel up (towards the top) */
void nb_ui_input_keydown(nb_ui *ui, int key, int mods);
void nb_ui_input_text(nb_ui *ui, const char *utf8);   /* committed text (SDL_TEXTINPUT) */
void nb_ui_input_textedit(nb_ui *ui, const char *utf8, int cursor); /* IME composition, "" ends */

/* Frame. Every push has its pop and every panel_begin its panel_end before nb_ui_end. */
void nb_ui_begin(nb_ui *ui);
void nb_ui_end(nb_ui *ui);
int nb_ui_next_command(nb_ui *ui, const nb_ui_cmd **cmd);  /* *cmd = NULL to start; 0 at end */
int nb_ui_dropped_commands(const nb_ui *ui);              /* commands lost to a full buffer */

/* What the app must not also handle: the mouse is over a panel (or dragging a widget),
 * a textbox has keyboard focus. Valid between frames (reflects the last frame). */
int nb_ui_captures_mouse(const nb_ui *ui);
int nb_ui_captures_keyboard(const nb_ui *ui);
/* Screen rect of the focused textbox (for the IME candidate window): 1 if any. */
int nb_ui_text_input_rect(const nb_ui *ui, nb_rect *out);

/* Ids: FNV-1a of the data under the id stack. A label's "##suffix" is hashed, not shown. */
uint32_t nb_ui_get_id(nb_ui *ui, const void *data, int size);
void nb_ui_push_id(nb_ui *ui, const void *data, int size);
void nb_ui_push_id_str(nb_ui *ui, const char *s);
void nb_ui_push_id_int(nb_ui *ui, int v);
void nb_ui_pop_id(nb_ui *ui);

/* Containers and layout. The app passes the panel rect every frame; the panel scrolls
 * with the wheel when its content is taller. Row widths (logical px): > 0 fixed,
 * <= 0 fill the rest of the row minus |w|. Height: 0 default, > 0 fixed, < 0 fill the
 * rest of the panel minus |h|. */
void nb_ui_panel_begin(nb_ui *ui, const char *name, nb_rect rect);
void nb_ui_panel_end(nb_ui *ui);
void nb_ui_layout_row(nb_ui *ui, int items, const int *widths, int height);
nb_rect nb_ui_layout_next(nb_ui *ui);
void nb_ui_push_clip(nb_ui *ui, nb_rect r);   /* intersected with the current clip */
void nb_ui_pop_clip(nb_ui *ui);

/* Drawing primitives for custom widgets (clipped to the current clip). */
void nb_ui_draw_rect(nb_ui *ui, nb_rect r, nb_color c);
void nb_ui_draw_box(nb_ui *ui, nb_rect r, nb_color c);     /* outline, theme border width */
void nb_ui_draw_text(nb_ui *ui, int font, const char *s, int len, int x, int y, nb_color c, int flags);
void nb_ui_draw_icon(nb_ui *ui, int icon, nb_rect r, nb_color c);

/* Widgets. */
void nb_ui_label(nb_ui *ui, const char *text);
void nb_ui_label_ex(nb_ui *ui, const char *text, int opts);
void nb_ui_header(nb_ui *ui, const char *text);           /* own full-width row + rule */
void nb_ui_separator(nb_ui *ui);                          /* own full-width thin row */
int nb_ui_button(nb_ui *ui, const char *label);
int nb_ui_button_ex(nb_ui *ui, const char *label, int opts);
int nb_ui_checkbox(nb_ui *ui, const char *label, int *state);
int nb_ui_radio(nb_ui *ui, const char *label, int *value, int option);
int nb_ui_textbox(nb_ui *ui, char *buf, int cap);         /* id from buf's address */
int nb_ui_slider(nb_ui *ui, float *value, float lo, float hi, float step, const char *fmt);
int nb_ui_slider_int(nb_ui *ui, int *value, int lo, int hi, const char *fmt);
int nb_ui_swatch(nb_ui *ui, nb_color color, int selected); /* id from the colour */
/* A full-width tab bar; returns the selected index (the clicked one, else `selected`). */
int nb_ui_tabs(nb_ui *ui, const char *const *labels, int count, int selected);
/* Scrollable view of a caller-owned ring in the next layout cell: wheel scrolls, it
 * follows new lines while scrolled to the bottom, click/drag selects lines, Ctrl+C copies
 * the selection and the "Copy" button copies every line. SUBMIT when something was copied. */
int nb_ui_log(nb_ui *ui, const char *name, const nb_ui_ring *ring, int opts);

/* UTF-8: length of the valid sequence at s (1..4), or 0 if s[0..n) starts with an
 * invalid or truncated one; *cp gets the code point (may be NULL). */
int nb_ui_utf8_decode(const char *s, int n, uint32_t *cp);

#endif
