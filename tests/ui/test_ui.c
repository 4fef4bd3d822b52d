/* test_ui.c — nb_ui logic with a fake monospace measure (8 px per code point, 16 px
 * high) and synthetic input: clicks, toggles, typing (UTF-8, Korean, IME composition),
 * tabs, log scrolling/copy, ids, the command list and clipping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nb_ui.h"

#define CW 8
#define CH 16

static char clip_buf[8192];
static int clip_sets;

static int fake_width(void *ud, int font, const char *s, int len)
{
    int n = 0;
    for (int i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n * CW;
}

static int fake_height(void *ud, int font) { return CH; }

static void fake_clip_set(void *ud, const char *text)
{
    snprintf(clip_buf, sizeof clip_buf, "%s", text);
    clip_sets++;
}

static int fake_clip_get(void *ud, char *out, int cap)
{
    return (int)nb_strlcpy(out, clip_buf, (size_t)cap) < cap ? (int)strlen(out) : cap - 1;
}

static nb_ui *make_ui(void)
{
    nb_ui *ui = nb_ui_create(&(nb_ui_opts){ .text_width = fake_width, .text_height = fake_height,
                                            .clipboard_set = fake_clip_set, .clipboard_get = fake_clip_get });
    assert_non_null(ui);
    clip_buf[0] = '\0';
    clip_sets = 0;
    return ui;
}

static const nb_rect PANEL = { 0, 0, 300, 400 };

/* Finds the text command showing exactly `s`; returns 1 and its rect. */
static int find_text(nb_ui *ui, const char *s, nb_rect *out, int *flags)
{
    const nb_ui_cmd *c = NULL;
    if (out) *out = (nb_rect){ -1, -1, 0, 0 };
    while (nb_ui_next_command(ui, &c)) {
        if (c->type == NB_UI_CMD_TEXT && strcmp(c->text, s) == 0) {
            if (out) *out = c->rect;
            if (flags) *flags = c->flags;
            return 1;
        }
    }
    return 0;
}

static void click_at(nb_ui *ui, int x, int y)
{
    nb_ui_input_mousedown(ui, x, y, NB_UI_MOUSE_LEFT);
    nb_ui_input_mouseup(ui, x, y, NB_UI_MOUSE_LEFT);
}

/* ---- buttons ---------------------------------------------------------------------- */

static int button_frame(nb_ui *ui)
{
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "panel", PANEL);
    int res = nb_ui_button(ui, "OK");
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    return res;
}

static void test_button_click(void **state)
{
    nb_ui *ui = make_ui();
    nb_rect t;
    assert_int_equal(button_frame(ui), 0);
    assert_true(find_text(ui, "OK", &t, NULL));
    int cx = t.x + t.w / 2, cy = t.y + t.h / 2;

    nb_ui_input_mousedown(ui, cx, cy, NB_UI_MOUSE_LEFT);
    assert_int_equal(button_frame(ui), NB_UI_RES_ACTIVE);          /* pressed, not yet clicked */
    assert_true(nb_ui_captures_mouse(ui));
    nb_ui_input_mouseup(ui, cx, cy, NB_UI_MOUSE_LEFT);
    assert_true(button_frame(ui) & NB_UI_RES_SUBMIT);
    assert_int_equal(button_frame(ui), 0);                         /* once only */

    /* Press and release inside within one frame also clicks. */
    click_at(ui, cx, cy);
    assert_true(button_frame(ui) & NB_UI_RES_SUBMIT);

    /* Pressed inside, released outside: no click. */
    nb_ui_input_mousedown(ui, cx, cy, NB_UI_MOUSE_LEFT);
    button_frame(ui);
    nb_ui_input_mouseup(ui, cx, 390, NB_UI_MOUSE_LEFT);
    assert_false(button_frame(ui) & NB_UI_RES_SUBMIT);

    /* Pressed outside, released inside: no click either. */
    nb_ui_input_mousedown(ui, cx, 390, NB_UI_MOUSE_LEFT);
    button_frame(ui);
    nb_ui_input_mouseup(ui, cx, cy, NB_UI_MOUSE_LEFT);
    assert_false(button_frame(ui) & NB_UI_RES_SUBMIT);

    /* Right button does nothing. */
    nb_ui_input_mousedown(ui, cx, cy, NB_UI_MOUSE_RIGHT);
    nb_ui_input_mouseup(ui, cx, cy, NB_UI_MOUSE_RIGHT);
    assert_int_equal(button_frame(ui), 0);
    nb_ui_destroy(ui);
}

static void test_disabled_button(void **state)
{
    nb_ui *ui = make_ui();
    nb_rect t;
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "p", PANEL);
    nb_ui_button_ex(ui, "Go", NB_UI_OPT_DISABLED);
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    assert_true(find_text(ui, "Go", &t, NULL));
    click_at(ui, t.x + 1, t.y + 1);
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "p", PANEL);
    assert_int_equal(nb_ui_button_ex(ui, "Go", NB_UI_OPT_DISABLED), 0);
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    nb_ui_destroy(ui);
}

/* ---- checkbox, radio, tabs, slider, swatch ---------------------------------------- */

static int toggles_frame(nb_ui *ui, int *check, int *mode)
{
    int res = 0;
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "panel", PANEL);
    res |= nb_ui_checkbox(ui, "Grid", check);
    nb_ui_layout_row(ui, 3, (int[]){ 90, 90, 0 }, 0);
    res |= nb_ui_radio(ui, "FIXED", mode, 0);
    res |= nb_ui_radio(ui, "VAR", mode, 1);
    res |= nb_ui_radio(ui, "MIX", mode, 2);
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    return res;
}

static void test_checkbox_and_radio(void **state)
{
    nb_ui *ui = make_ui();
    int check = 0, mode = 0;
    nb_rect grid, var, mix, fixed;
    toggles_frame(ui, &check, &mode);
    assert_true(find_text(ui, "Grid", &grid, NULL));
    assert_true(find_text(ui, "VAR", &var, NULL));
    assert_true(find_text(ui, "MIX", &mix, NULL));
    assert_true(find_text(ui, "FIXED", &fixed, NULL));
    /* Three radios in one row, left to right, same line. */
    assert_true(fixed.x < var.x && var.x < mix.x);
    assert_int_equal(fixed.y, var.y);
    assert_true(grid.y < var.y);

    click_at(ui, grid.x + 2, grid.y + 2);
    assert_int_equal(toggles_frame(ui, &check, &mode), NB_UI_RES_CHANGE);
    assert_int_equal(check, 1);
    click_at(ui, grid.x + 2, grid.y + 2);
    toggles_frame(ui, &check, &mode);
    assert_int_equal(check, 0);

    click_at(ui, var.x + 2, var.y + 2);
    assert_int_equal(toggles_frame(ui, &check, &mode), NB_UI_RES_CHANGE);
    assert_int_equal(mode, 1);
    click_at(ui, var.x + 2, var.y + 2);   /* already selected: no change */
    assert_int_equal(toggles_frame(ui, &check, &mode), 0);
    click_at(ui, mix.x + 2, mix.y + 2);
    toggles_frame(ui, &check, &mode);
    assert_int_equal(mode, 2);
    assert_int_equal(check, 0);
    nb_ui_destroy(ui);
}

static int tabs_frame(nb_ui *ui, int sel)
{
    static const char *const names[] = { "Board", "Chat", "Diag" };
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "panel", PANEL);
    sel = nb_ui_tabs(ui, names, 3, sel);
    nb_ui_label(ui, sel == 0 ? "board page" : sel == 1 ? "chat page" : "diag page");
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    return sel;
}

static void test_tabs(void **state)
{
    nb_ui *ui = make_ui();
    nb_rect diag, chat, page;
    int sel = tabs_frame(ui, 0);
    assert_int_equal(sel, 0);
    assert_true(find_text(ui, "board page", &page, NULL));
    assert_true(find_text(ui, "Diag", &diag, NULL));
    assert_true(find_text(ui, "Chat", &chat, NULL));
    assert_true(page.y > diag.y + diag.h);   /* the page starts below the bar */
    click_at(ui, diag.x + 1, diag.y + 1);
    sel = tabs_frame(ui, sel);
    assert_int_equal(sel, 2);
    sel = tabs_frame(ui, sel);
    assert_true(find_text(ui, "diag page", NULL, NULL));
    click_at(ui, chat.x + 1, chat.y + 1);
    assert_int_equal(tabs_frame(ui, sel), 1);
    nb_ui_destroy(ui);
}

static int slider_frame(nb_ui *ui, int *ms, float *f)
{
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "panel", PANEL);
    int res = nb_ui_slider_int(ui, ms, 0, 1000, "%d ms");
    res |= nb_ui_slider(ui, f, 0.0f, 1.0f, 0.1f, "%.1f");
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    return res;
}

static void test_slider(void **state)
{
    nb_ui *ui = make_ui();
    int ms = 250;
    float f = 0.5f;
    nb_rect t;
    slider_frame(ui, &ms, &f);
    assert_true(find_text(ui, "250 ms", &t, NULL));
    /* The slider spans the panel body (x 14..286): drag to the far right clamps to max. */
    nb_ui_input_mousedown(ui, t.x, t.y + 2, NB_UI_MOUSE_LEFT);
    int res = slider_frame(ui, &ms, &f);
    assert_true(res & NB_UI_RES_ACTIVE);
    nb_ui_input_mousemove(ui, 5000, t.y + 2);
    res = slider_frame(ui, &ms, &f);
    assert_true(res & NB_UI_RES_CHANGE);
    assert_int_equal(ms, 1000);
    nb_ui_input_mousemove(ui, -50, t.y + 2);
    slider_frame(ui, &ms, &f);
    assert_int_equal(ms, 0);
    nb_ui_input_mousemove(ui, 14 + 271 / 2, t.y + 2);
    slider_frame(ui, &ms, &f);
    assert_in_range(ms, 490, 510);
    nb_ui_input_mouseup(ui, 14 + 271 / 2, t.y + 2, NB_UI_MOUSE_LEFT);
    slider_frame(ui, &ms, &f);
    /* Released: moving no longer changes it; out-of-range values are clamped. */
    nb_ui_input_mousemove(ui, 20, t.y + 2);
    assert_int_equal(slider_frame(ui, &ms, &f), 0);
    f = 7.0f;
    assert_true(slider_frame(ui, &ms, &f) & NB_UI_RES_CHANGE);
    assert_true(f == 1.0f);
    nb_ui_destroy(ui);
}

static void test_swatch(void **state)
{
    nb_ui *ui = make_ui();
    nb_color red = { 230, 40, 40, 255 }, blue = { 40, 40, 230, 255 };
    int hit_red = 0, hit_blue = 0;
    for (int frame = 0; frame < 2; frame++) {
        nb_ui_begin(ui);
        nb_ui_panel_begin(ui, "panel", PANEL);
        nb_ui_layout_row(ui, 2, (int[]){ 30, 30 }, 30);
        hit_red |= nb_ui_swatch(ui, red, 1);
        hit_blue |= nb_ui_swatch(ui, blue, 0);
        nb_ui_panel_end(ui);
        nb_ui_end(ui);
        if (frame == 0) {
            /* A rect of the swatch colour was emitted for both. */
            int seen = 0;
            const nb_ui_cmd *c = NULL;
            while (nb_ui_next_command(ui, &c))
                if (c->type == NB_UI_CMD_RECT && c->color.b == 230) {
                    seen = 1;
                    click_at(ui, c->rect.x + 2, c->rect.y + 2);
                }
            assert_true(seen);
        }
    }
    assert_int_equal(hit_red, 0);
    assert_int_equal(hit_blue, NB_UI_RES_SUBMIT);
    nb_ui_destroy(ui);
}

/* ---- textbox ---------------------------------------------------------------------- */

static char tb[32];

static int textbox_frame(nb_ui *ui)
{
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "panel", PANEL);
    int res = nb_ui_textbox(ui, tb, (int)sizeof tb);
    nb_ui_button(ui, "Send");
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    return res;
}

static void focus_textbox(nb_ui *ui)
{
    textbox_frame(ui);
    click_at(ui, 20, 20);   /* the first row of the panel body */
    textbox_frame(ui);
    assert_true(nb_ui_captures_keyboard(ui));
}

static void test_textbox_typing(void **state)
{
    nb_ui *ui = make_ui();
    tb[0] = '\0';
    nb_ui_input_text(ui, "x");   /* not focused: ignored */
    textbox_frame(ui);
    assert_string_equal(tb, "");
    focus_textbox(ui);

    nb_ui_input_text(ui, "hi ");
    nb_ui_input_text(ui, "안녕");
    assert_int_equal(textbox_frame(ui), NB_UI_RES_CHANGE);
    assert_string_equal(tb, "hi 안녕");
    assert_true(find_text(ui, "hi 안녕", NULL, NULL));

    nb_ui_input_keydown(ui, NB_UI_KEY_BACKSPACE, 0);   /* one whole 3-byte character */
    textbox_frame(ui);
    assert_string_equal(tb, "hi 안");
    nb_ui_input_keydown(ui, NB_UI_KEY_LEFT, 0);
    nb_ui_input_text(ui, "é");
    textbox_frame(ui);
    assert_string_equal(tb, "hi é안");
    nb_ui_input_keydown(ui, NB_UI_KEY_DELETE, 0);
    nb_ui_input_keydown(ui, NB_UI_KEY_HOME, 0);
    nb_ui_input_keydown(ui, NB_UI_KEY_DELETE, 0);
    textbox_frame(ui);
    assert_string_equal(tb, "i é");

    assert_int_equal(textbox_frame(ui), 0);
    nb_ui_input_keydown(ui, NB_UI_KEY_RETURN, 0);
    assert_int_equal(textbox_frame(ui), NB_UI_RES_SUBMIT);
    assert_true(nb_ui_captures_keyboard(ui));   /* Enter keeps focus for the next line */

    /* Backspace at the start and Delete at the end do nothing. */
    nb_ui_input_keydown(ui, NB_UI_KEY_HOME, 0);
    nb_ui_input_keydown(ui, NB_UI_KEY_BACKSPACE, 0);
    assert_int_equal(textbox_frame(ui), 0);
    nb_ui_input_keydown(ui, NB_UI_KEY_END, 0);
    nb_ui_input_keydown(ui, NB_UI_KEY_DELETE, 0);
    assert_int_equal(textbox_frame(ui), 0);
    assert_string_equal(tb, "i é");

    /* Clicking elsewhere drops focus; typing then goes nowhere. */
    click_at(ui, 150, 395);
    textbox_frame(ui);
    assert_false(nb_ui_captures_keyboard(ui));
    nb_ui_input_text(ui, "zz");
    textbox_frame(ui);
    assert_string_equal(tb, "i é");
    nb_ui_destroy(ui);
}

static void test_textbox_limits_and_bad_utf8(void **state)
{
    nb_ui *ui = make_ui();
    tb[0] = '\0';
    focus_textbox(ui);
    /* Invalid UTF-8, a lone continuation byte, a truncated sequence and control chars
     * are dropped; the buffer stays valid. */
    nb_ui_input_text(ui, "a\xff\x80\nb\xe3\x81");
    textbox_frame(ui);
    assert_string_equal(tb, "ab");
    /* Filling past the capacity stops at a whole character. */
    for (int i = 0; i < 20; i++) nb_ui_input_text(ui, "가");
    textbox_frame(ui);
    assert_int_equal(strlen(tb), 2 + 9 * 3);   /* 31 bytes max: 2 + 27 */
    uint32_t cp;
    for (size_t i = 0; i < strlen(tb);) {
        int k = nb_ui_utf8_decode(tb + i, (int)(strlen(tb) - i), &cp);
        assert_true(k > 0);
        i += (size_t)k;
    }
    /* A flood of events between two frames is bounded, not a crash. */
    for (int i = 0; i < 1000; i++) nb_ui_input_keydown(ui, NB_UI_KEY_BACKSPACE, 0);
    textbox_frame(ui);
    assert_string_equal(tb, "");   /* 64 of them got through: enough to empty it */
    nb_ui_destroy(ui);
}

static void test_textbox_clipboard(void **state)
{
    nb_ui *ui = make_ui();
    nb_strlcpy(tb, "copy me", sizeof tb);
    focus_textbox(ui);
    nb_ui_input_keydown(ui, NB_UI_KEY_SELECT_ALL, NB_UI_MOD_CTRL);
    nb_ui_input_keydown(ui, NB_UI_KEY_COPY, NB_UI_MOD_CTRL);
    textbox_frame(ui);
    assert_string_equal(clip_buf, "copy me");
    nb_ui_input_keydown(ui, NB_UI_KEY_CUT, NB_UI_MOD_CTRL);
    assert_int_equal(textbox_frame(ui), NB_UI_RES_CHANGE);
    assert_string_equal(tb, "");
    nb_strlcpy(clip_buf, "pa\nste", sizeof clip_buf);
    nb_ui_input_keydown(ui, NB_UI_KEY_PASTE, NB_UI_MOD_CTRL);
    nb_ui_input_keydown(ui, NB_UI_KEY_PASTE, NB_UI_MOD_CTRL);
    textbox_frame(ui);
    assert_string_equal(tb, "pastepaste");
    /* Shift+Left selects one char; typing replaces it. */
    nb_ui_input_keydown(ui, NB_UI_KEY_LEFT, NB_UI_MOD_SHIFT);
    nb_ui_input_keydown(ui, NB_UI_KEY_LEFT, NB_UI_MOD_SHIFT);
    nb_ui_input_text(ui, "!");
    textbox_frame(ui);
    assert_string_equal(tb, "pastepas!");
    nb_ui_destroy(ui);
}

static void test_textbox_composition(void **state)
{
    nb_ui *ui = make_ui();
    nb_strlcpy(tb, "ab", sizeof tb);
    focus_textbox(ui);
    nb_ui_input_keydown(ui, NB_UI_KEY_END, 0);
    nb_ui_input_keydown(ui, NB_UI_KEY_LEFT, 0);
    textbox_frame(ui);
    /* The IME composes "한" between a and b: shown underlined, buffer untouched. */
    nb_ui_input_textedit(ui, "한", 1);
    nb_ui_input_keydown(ui, NB_UI_KEY_BACKSPACE, 0);   /* the IME's, not ours */
    assert_int_equal(textbox_frame(ui), 0);
    assert_string_equal(tb, "ab");
    nb_rect ra, rc, rb;
    int flags = 0;
    assert_true(find_text(ui, "a", &ra, NULL));
    assert_true(find_text(ui, "한", &rc, &flags));
    assert_true(find_text(ui, "b", &rb, NULL));
    assert_true(flags & NB_UI_TEXT_UNDERLINE);
    assert_int_equal(rc.x, ra.x + CW);
    assert_int_equal(rb.x, rc.x + CW);
    nb_rect ime;
    assert_true(nb_ui_text_input_rect(ui, &ime));
    assert_true(ime.w > 0 && ime.y <= rc.y);
    /* Commit: the composition goes and the text is inserted at the cursor. */
    nb_ui_input_textedit(ui, "", 0);
    nb_ui_input_text(ui, "한");
    assert_int_equal(textbox_frame(ui), NB_UI_RES_CHANGE);
    assert_string_equal(tb, "a한b");
    assert_false(find_text(ui, "한", NULL, NULL));   /* drawn as one run again */
    assert_true(find_text(ui, "a한b", NULL, &flags));
    assert_int_equal(flags, 0);
    nb_ui_destroy(ui);
}

static void test_textbox_click_places_cursor(void **state)
{
    nb_ui *ui = make_ui();
    nb_strlcpy(tb, "abcdef", sizeof tb);
    textbox_frame(ui);
    nb_rect t;
    assert_true(find_text(ui, "abcdef", &t, NULL));
    click_at(ui, t.x + 3 * CW + 1, t.y + 2);   /* just after "abc" */
    textbox_frame(ui);
    nb_ui_input_text(ui, "-");
    textbox_frame(ui);
    assert_string_equal(tb, "abc-def");
    nb_ui_destroy(ui);
}

/* ---- log -------------------------------------------------------------------------- */

static nb_ui_ring ring;
static char ring_store[100 * 64];

static int log_frame(nb_ui *ui)
{
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "panel", PANEL);
    nb_ui_layout_row(ui, 1, (int[]){ 0 }, 200);
    int res = nb_ui_log(ui, "log", &ring, NB_UI_OPT_MONO);
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    return res;
}

static int first_line_shown(nb_ui *ui)
{
    const nb_ui_cmd *c = NULL;
    while (nb_ui_next_command(ui, &c)) {
        int n;
        if (c->type == NB_UI_CMD_TEXT && sscanf(c->text, "line %d", &n) == 1) return n;
    }
    return -1;
}

static int last_line_shown(nb_ui *ui)
{
    const nb_ui_cmd *c = NULL;
    int last = -1;
    while (nb_ui_next_command(ui, &c)) {
        int n;
        if (c->type == NB_UI_CMD_TEXT && sscanf(c->text, "line %d", &n) == 1) last = n;
    }
    return last;
}

static void test_log_scroll(void **state)
{
    nb_ui *ui = make_ui();
    char line[32];
    nb_ui_ring_init(&ring, ring_store, 100, 64);
    for (int i = 0; i < 50; i++) {
        snprintf(line, sizeof line, "line %d", i);
        nb_ui_ring_push(&ring, line);
    }
    log_frame(ui);
    assert_int_equal(last_line_shown(ui), 49);   /* starts at the bottom */
    assert_true(first_line_shown(ui) > 0);

    /* New lines are followed while at the bottom. */
    nb_ui_ring_push(&ring, "line 50");
    log_frame(ui);
    assert_int_equal(last_line_shown(ui), 50);

    /* Wheel far up clamps at the top; the panel does not scroll instead. */
    nb_ui_input_mousemove(ui, 100, 100);
    nb_ui_input_scroll(ui, 0, 1000);
    log_frame(ui);
    assert_int_equal(first_line_shown(ui), 0);
    nb_ui_input_scroll(ui, 0, 1000);
    log_frame(ui);
    assert_int_equal(first_line_shown(ui), 0);
    /* Scrolled up: new lines do not pull the view down. */
    nb_ui_ring_push(&ring, "line 51");
    log_frame(ui);
    assert_int_equal(first_line_shown(ui), 0);
    /* Wheel far down clamps at the last line and follows again. */
    nb_ui_input_scroll(ui, 0, -1000);
    log_frame(ui);
    assert_int_equal(last_line_shown(ui), 51);
    nb_ui_ring_push(&ring, "line 52");
    log_frame(ui);
    assert_int_equal(last_line_shown(ui), 52);
    nb_ui_destroy(ui);
}

static void test_log_copy(void **state)
{
    nb_ui *ui = make_ui();
    nb_ui_ring_init(&ring, ring_store, 100, 64);
    nb_ui_ring_push(&ring, "line 0\nline 1");
    nb_ui_ring_push(&ring, "line 2");
    log_frame(ui);
    nb_rect copy, l1;
    assert_false(find_text(ui, "Copy", NULL, NULL));   /* only shown on hover */
    nb_ui_input_mousemove(ui, 100, 100);
    log_frame(ui);
    assert_true(find_text(ui, "Copy", &copy, NULL));
    assert_true(find_text(ui, "line 1", &l1, NULL));
    click_at(ui, copy.x + 2, copy.y + 2);
    assert_int_equal(log_frame(ui), NB_UI_RES_SUBMIT);
    assert_string_equal(clip_buf, "line 0\nline 1\nline 2\n");

    /* Click a line, Ctrl+C copies just that one. */
    click_at(ui, l1.x + 100, l1.y + 2);
    log_frame(ui);
    assert_false(nb_ui_captures_keyboard(ui));   /* the app keeps its shortcuts */
    nb_ui_input_keydown(ui, NB_UI_KEY_COPY, NB_UI_MOD_CTRL);
    assert_int_equal(log_frame(ui), NB_UI_RES_SUBMIT);
    assert_string_equal(clip_buf, "line 1\n");
    nb_ui_destroy(ui);
}

static void test_ring(void **state)
{
    char store[3 * 8];
    nb_ui_ring r;
    nb_ui_ring_init(&r, store, 3, 8);
    assert_null(nb_ui_ring_line(&r, 0));
    nb_ui_ring_push(&r, "a");
    nb_ui_ring_push(&r, "b\nc\n");
    nb_ui_ring_push(&r, "d\te");
    assert_int_equal(r.count, 3);
    assert_int_equal(r.total, 4);
    assert_string_equal(nb_ui_ring_line(&r, 0), "b");
    assert_string_equal(nb_ui_ring_line(&r, 2), "d e");
    assert_null(nb_ui_ring_line(&r, 3));
    nb_ui_ring_push(&r, "abcd한글");   /* 7 bytes fit: exactly "abcd한" */
    assert_string_equal(nb_ui_ring_line(&r, 2), "abcd한");
    nb_ui_ring_push(&r, "abcde한");    /* would split 한: cut before it */
    assert_string_equal(nb_ui_ring_line(&r, 2), "abcde");
}

/* ---- ids, command list, layout ---------------------------------------------------- */

static void test_id_stack(void **state)
{
    nb_ui *ui = make_ui();
    nb_ui_begin(ui);
    uint32_t a = nb_ui_get_id(ui, "OK", 2);
    nb_ui_push_id_str(ui, "dialog1");
    uint32_t b = nb_ui_get_id(ui, "OK", 2);
    nb_ui_pop_id(ui);
    nb_ui_push_id_int(ui, 2);
    uint32_t c = nb_ui_get_id(ui, "OK", 2);
    nb_ui_pop_id(ui);
    assert_int_equal(nb_ui_get_id(ui, "OK", 2), a);
    nb_ui_end(ui);
    assert_int_not_equal(a, b);
    assert_int_not_equal(b, c);
    assert_int_not_equal(a, c);

    /* Same label in two id scopes: pressing one does not press the other. */
    int res1 = 0, res2 = 0;
    nb_rect first = { 0 };
    for (int frame = 0; frame < 3; frame++) {
        nb_ui_begin(ui);
        nb_ui_panel_begin(ui, "panel", PANEL);
        nb_ui_push_id_int(ui, 1);
        res1 = nb_ui_button(ui, "Kick");
        nb_ui_pop_id(ui);
        nb_ui_push_id_int(ui, 2);
        res2 = nb_ui_button(ui, "Kick");
        nb_ui_pop_id(ui);
        nb_ui_panel_end(ui);
        nb_ui_end(ui);
        if (frame == 0) {
            assert_true(find_text(ui, "Kick", &first, NULL));
            nb_ui_input_mousedown(ui, first.x + 1, first.y + 1, NB_UI_MOUSE_LEFT);
        } else if (frame == 1) {
            assert_int_equal(res1, NB_UI_RES_ACTIVE);
            assert_int_equal(res2, 0);
            nb_ui_input_mouseup(ui, first.x + 1, first.y + 1, NB_UI_MOUSE_LEFT);
        }
    }
    assert_true(res1 & NB_UI_RES_SUBMIT);
    assert_int_equal(res2, 0);

    /* "##" hides the suffix but keeps the ids apart. */
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "panel", PANEL);
    nb_ui_button(ui, "Go##first");
    nb_ui_panel_end(ui);
    nb_ui_end(ui);
    assert_true(find_text(ui, "Go", NULL, NULL));
    assert_false(find_text(ui, "Go##first", NULL, NULL));
    nb_ui_destroy(ui);
}

static void test_commands_and_clip(void **state)
{
    nb_ui *ui = make_ui();
    nb_ui_begin(ui);
    nb_ui_panel_begin(ui, "panel", (nb_rect){ 10, 20, 100, 122 });
    nb_ui_label(ui, "short");
    nb_ui_label(ui, "a label much wider than the panel");
    nb_ui_button(ui, "Next");   /* its rect must not inherit the label's narrow clip */
    for (int i = 0; i < 10; i++) nb_ui_label(ui, "below");   /* rows past the bottom */
    nb_ui_panel_end(ui);
    nb_ui_end(ui);

    const nb_ui_cmd *c = NULL;
    int n = 0, texts = 0, clips = 0, below = 0;
    nb_rect clip = NB_UI_UNCLIPPED;
    while (nb_ui_next_command(ui, &c)) {
        assert_true(c->size >= (int)sizeof(nb_ui_cmd));
        assert_int_equal(c->size % 8, 0);
        if (n == 0) {   /* the panel background comes first */
            assert_int_equal(c->type, NB_UI_CMD_RECT);
            assert_int_equal(c->rect.x, 10);
            assert_int_equal(c->rect.w, 100);
        }
        if (c->type == NB_UI_CMD_CLIP) {
            clips++;
            clip = c->rect;
        } else if (c->type == NB_UI_CMD_RECT) {
            /* Rects are pre-clipped to the panel, and the clip in force never cuts them. */
            assert_true(c->rect.x >= clip.x && c->rect.x + c->rect.w <= clip.x + clip.w);
            assert_true(c->rect.y >= clip.y && c->rect.y + c->rect.h <= clip.y + clip.h);
            assert_true(c->rect.x >= 10 && c->rect.x + c->rect.w <= 110);
            assert_true(c->rect.y >= 20 && c->rect.y + c->rect.h <= 142);
        } else if (c->type == NB_UI_CMD_TEXT) {
            texts++;
            assert_int_equal((int)strlen(c->text), c->len);
            if (strcmp(c->text, "below") == 0) below++;
            if (c->text[0] == 'a') {
                /* Overflowing text comes with a clip inside the panel that cuts it. */
                assert_true(clip.x >= 10 && clip.x + clip.w <= 110);
                assert_true(c->rect.x + c->rect.w > clip.x + clip.w);
                assert_true(c->rect.y < clip.y + clip.h && c->rect.y + c->rect.h > clip.y);
            } else {
                /* Text that fits needs no clip. */
                assert_true(c->rect.x >= 10 && c->rect.x + c->rect.w <= 110);
                assert_true(c->rect.y >= 20 && c->rect.y + c->rect.h <= 142);
            }
        }
        n++;
    }
    assert_true(clips >= 1);
    assert_true(texts >= 2);
    assert_int_equal(below, 0);   /* rows below the panel emit nothing */
    assert_int_equal(nb_ui_dropped_commands(ui), 0);
    nb_ui_destroy(ui);
}

static void test_command_overflow(void **state)
{
    nb_ui *ui = make_ui();
    char big[NB_UI_MAX_TEXT * 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    nb_ui_begin(ui);
    for (int i = 0; i < 2000; i++) nb_ui_draw_text(ui, NB_UI_FONT_SANS, big, (int)strlen(big), 0, 0, (nb_color){ 1, 1, 1, 255 }, 0);
    nb_ui_end(ui);
    assert_true(nb_ui_dropped_commands(ui) > 0);
    const nb_ui_cmd *c = NULL;
    int n = 0;
    while (nb_ui_next_command(ui, &c)) {
        assert_int_equal(c->len, NB_UI_MAX_TEXT);   /* long texts are cut */
        n++;
    }
    assert_int_equal(n + nb_ui_dropped_commands(ui), 2000);
    nb_ui_destroy(ui);
}

static void test_layout_and_scale(void **state)
{
    nb_ui *ui = make_ui();
    nb_rect r[4], big;
    for (int pass = 0; pass < 2; pass++) {
        nb_ui_begin(ui);
        nb_ui_panel_begin(ui, pass ? "panel2" : "panel", PANEL);   /* fresh scroll state */
        nb_ui_layout_row(ui, 3, (int[]){ 50, -60, 0 }, 0);
        for (int i = 0; i < 4; i++) r[i] = nb_ui_layout_next(ui);
        nb_ui_layout_row(ui, 1, (int[]){ 0 }, -10);
        big = nb_ui_layout_next(ui);
        nb_ui_panel_end(ui);
        nb_ui_end(ui);
        float s = pass == 0 ? 1.0f : 2.0f;
        int pad = (int)(7 * s) * 2, sp = (int)(6 * s);
        assert_int_equal(r[0].x, pad);
        assert_int_equal(r[0].y, pad);
        assert_int_equal(r[0].w, (int)(50 * s));
        assert_int_equal(r[1].x, r[0].x + r[0].w + sp);
        assert_int_equal(r[1].x + r[1].w, 300 - pad - (int)(60 * s));   /* fill minus 60 */
        assert_int_equal(r[2].x, r[1].x + r[1].w + sp);
        assert_int_equal(r[2].w, (int)(60 * s) - sp);    /* the 60 left after -60 */
        assert_int_equal(r[3].y, r[0].y + r[0].h + sp);  /* wrapped onto a new row */
        assert_int_equal(r[3].x, pad);
        assert_int_equal(r[0].h, CH + 2 * (int)(7 * s));
        /* Fill-height row reaches the panel bottom minus 10. */
        assert_int_equal(big.y + big.h, 400 - pad - (int)(10 * s));
        nb_ui_set_scale(ui, 2.0f);
    }
    nb_ui_set_scale(ui, 100.0f);
    assert_true(nb_ui_theme_get(ui)->scale == 4.0f);
    nb_ui_destroy(ui);
}

static void test_panel_scroll(void **state)
{
    nb_ui *ui = make_ui();
    nb_rect first = { 0 };
    for (int frame = 0; frame < 3; frame++) {
        nb_ui_begin(ui);
        nb_ui_panel_begin(ui, "panel", (nb_rect){ 0, 0, 200, 100 });
        first = nb_ui_layout_next(ui);
        for (int i = 0; i < 20; i++) nb_ui_label(ui, "row");
        nb_ui_panel_end(ui);
        nb_ui_end(ui);
        if (frame == 0) {
            assert_int_equal(first.y, 14);
            nb_ui_input_mousemove(ui, 50, 50);
            nb_ui_input_scroll(ui, 0, -1);
        }
    }
    assert_true(first.y < 14);
    assert_true(nb_ui_captures_mouse(ui));
    nb_ui_input_mousemove(ui, 250, 50);
    assert_false(nb_ui_captures_mouse(ui));
    nb_ui_destroy(ui);
}

/* Random input for many frames over every widget: nothing crashes, the textbox stays
 * valid UTF-8 within its capacity, values stay in range. */
static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void test_random_input(void **state)
{
    static const char *const names[] = { "a", "b" };
    nb_ui *ui = make_ui();
    char small[8] = "", text[24];
    int check = 0, mode = 0, ms = 0, tab = 0;
    float f = 0;
    nb_ui_ring_init(&ring, ring_store, 100, 64);
    for (int frame = 0; frame < 3000; frame++) {
        int x = (int)(rnd() % 340) - 20, y = (int)(rnd() % 440) - 20;
        switch (rnd() % 8) {
        case 0: nb_ui_input_mousedown(ui, x, y, 1 << (rnd() % 3)); break;
        case 1: nb_ui_input_mouseup(ui, x, y, 1 << (rnd() % 3)); break;
        case 2: nb_ui_input_scroll(ui, 0, (int)(rnd() % 21) - 10); break;
        case 3: nb_ui_input_keydown(ui, (int)(rnd() % 14), (int)(rnd() % 4)); break;
        case 4:
            for (size_t i = 0; i < sizeof text - 1; i++) text[i] = (char)(rnd() % 255 + 1);
            text[rnd() % sizeof text] = '\0';
            text[sizeof text - 1] = '\0';
            if (rnd() % 2) nb_ui_input_text(ui, text);
            else nb_ui_input_textedit(ui, text, (int)(rnd() % 5));
            break;
        case 5: nb_ui_ring_push(&ring, text); break;
        default: nb_ui_input_mousemove(ui, x, y); break;
        }
        nb_strlcpy(clip_buf, text, sizeof clip_buf);
        nb_ui_begin(ui);
        nb_ui_panel_begin(ui, "fuzz", PANEL);
        tab = nb_ui_tabs(ui, names, 2, tab);
        nb_ui_textbox(ui, small, (int)sizeof small);
        nb_ui_checkbox(ui, "c", &check);
        nb_ui_radio(ui, "r", &mode, 1);
        nb_ui_slider_int(ui, &ms, 0, 1000, NULL);
        nb_ui_slider(ui, &f, 0, 1, 0, NULL);
        nb_ui_layout_row(ui, 1, (int[]){ 0 }, 120);
        nb_ui_log(ui, "log", &ring, 0);
        nb_ui_panel_end(ui);
        nb_ui_end(ui);
        assert_true(strlen(small) < sizeof small);
        for (size_t i = 0; small[i];) {
            int k = nb_ui_utf8_decode(small + i, (int)(strlen(small) - i), NULL);
            assert_true(k > 0);
            i += (size_t)k;
        }
        assert_in_range(ms, 0, 1000);
        assert_true(f >= 0 && f <= 1);
        assert_in_range(tab, 0, 1);
    }
    nb_ui_destroy(ui);
}

/* Misuse aborts (NB_ASSERT): run it in a child and expect SIGABRT. */
static void expect_abort(void (*fn)(nb_ui *))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = dup2(open("/dev/null", 1), 2);
        (void)devnull;
        nb_ui *ui = make_ui();
        fn(ui);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void unbalanced_id(nb_ui *ui) { nb_ui_begin(ui); nb_ui_push_id_str(ui, "x"); nb_ui_end(ui); }
static void unbalanced_panel(nb_ui *ui) { nb_ui_begin(ui); nb_ui_panel_begin(ui, "p", PANEL); nb_ui_end(ui); }
static void double_begin(nb_ui *ui) { nb_ui_begin(ui); nb_ui_begin(ui); }
static void pop_empty(nb_ui *ui) { nb_ui_begin(ui); nb_ui_pop_clip(ui); }

static void test_misuse_asserts(void **state)
{
    expect_abort(unbalanced_id);
    expect_abort(unbalanced_panel);
    expect_abort(double_begin);
    expect_abort(pop_empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_button_click),
        cmocka_unit_test(test_disabled_button),
        cmocka_unit_test(test_checkbox_and_radio),
        cmocka_unit_test(test_tabs),
        cmocka_unit_test(test_slider),
        cmocka_unit_test(test_swatch),
        cmocka_unit_test(test_textbox_typing),
        cmocka_unit_test(test_textbox_limits_and_bad_utf8),
        cmocka_unit_test(test_textbox_clipboard),
        cmocka_unit_test(test_textbox_composition),
        cmocka_unit_test(test_textbox_click_places_cursor),
        cmocka_unit_test(test_log_scroll),
        cmocka_unit_test(test_log_copy),
        cmocka_unit_test(test_ring),
        cmocka_unit_test(test_id_stack),
        cmocka_unit_test(test_commands_and_clip),
        cmocka_unit_test(test_command_overflow),
        cmocka_unit_test(test_layout_and_scale),
        cmocka_unit_test(test_panel_scroll),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_misuse_asserts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
