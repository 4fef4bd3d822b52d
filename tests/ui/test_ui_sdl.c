/* test_ui_sdl.c — the SDL backend without a window: SDL_VIDEODRIVER=dummy and a software
 * renderer on a surface. Real SDL_Event structs go through nb_ui_sdl_feed_event; the
 * checks read the pixels back, and the text cache must hit on the second frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <string.h>

#include "nb_path.h"
#include "nb_ui_sdl.h"

#define W 360
#define H 320

typedef struct fixture {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    nb_ui_sdl *be;
    nb_ui *ui;
} fixture;

static int setup(void **state)
{
    static fixture f;
    char err[NB_ERR_LEN] = "";
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) return -1;
    f.surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    f.ren = f.surf ? SDL_CreateSoftwareRenderer(f.surf) : NULL;
    if (!f.ren) return -1;
    f.be = nb_ui_sdl_create(f.ren, NULL, 0, err);
    if (!f.be) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    nb_ui_opts o = { 0 };
    nb_ui_sdl_fill_opts(f.be, &o);
    f.ui = nb_ui_create(&o);
    *state = &f;
    return f.ui ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nb_ui_destroy(f->ui);
    nb_ui_sdl_destroy(f->be);
    SDL_DestroyRenderer(f->ren);
    SDL_FreeSurface(f->surf);
    SDL_Quit();
    return 0;
}

static char box[64];

/* One frame: clear to black, a panel with a button and a textbox, draw, flush. */
static int frame(fixture *f)
{
    nb_ui_begin(f->ui);
    nb_ui_panel_begin(f->ui, "panel", (nb_rect){ 0, 0, W, H });
    int res = nb_ui_button(f->ui, "Hello");
    nb_ui_textbox(f->ui, box, (int)sizeof box);
    nb_ui_panel_end(f->ui);
    nb_ui_end(f->ui);
    SDL_SetRenderDrawColor(f->ren, 0, 0, 0, 255);
    SDL_RenderClear(f->ren);
    nb_ui_sdl_draw(f->be, f->ui);
    SDL_RenderFlush(f->ren);   /* the renderer batches: make the pixels land */
    return res;
}

static uint32_t pixel(fixture *f, int x, int y)
{
    return ((const uint32_t *)f->surf->pixels)[y * (f->surf->pitch / 4) + x];
}

static int find_text(nb_ui *ui, const char *s, nb_rect *out)
{
    const nb_ui_cmd *c = NULL;
    *out = (nb_rect){ -1, -1, 0, 0 };
    while (nb_ui_next_command(ui, &c))
        if (c->type == NB_UI_CMD_TEXT && strcmp(c->text, s) == 0) {
            *out = c->rect;
            return 1;
        }
    return 0;
}

/* Counts pixels in r that differ from `bg` and are bright (text is near white). */
static int bright_pixels(fixture *f, nb_rect r, uint32_t bg)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            uint32_t p = pixel(f, x, y);
            if (p != bg && ((p >> 8) & 0xff) > 150) n++;
        }
    return n;
}

static void test_draws_button_text_and_caches(void **state)
{
    fixture *f = *state;
    nb_ui_sdl_stats s1, s2;
    box[0] = '\0';
    frame(f);
    nb_rect t;
    assert_true(find_text(f->ui, "Hello", &t));
    assert_true(t.w > 20 && t.h >= 14);
    nb_color btn = nb_ui_theme_get(f->ui)->colors[NB_UI_COLOR_BUTTON];
    uint32_t bg = SDL_MapRGB(f->surf->format, btn.r, btn.g, btn.b);
    /* The button background surrounds the text, and the glyphs are drawn on it. */
    assert_int_equal(pixel(f, t.x - 2, t.y + t.h / 2), bg);
    int lit = bright_pixels(f, t, bg);
    assert_true(lit > 20);
    assert_true(lit < t.w * t.h);
    /* Outside the panel nothing was drawn (the panel covers the surface; check a corner
     * of the panel's own colour instead). */
    nb_color pc = nb_ui_theme_get(f->ui)->colors[NB_UI_COLOR_PANEL];
    assert_int_equal(pixel(f, 2, 2), SDL_MapRGB(f->surf->format, pc.r, pc.g, pc.b));

    nb_ui_sdl_get_stats(f->be, &s1);
    assert_true(s1.misses >= 1);
    frame(f);
    nb_ui_sdl_get_stats(f->be, &s2);
    assert_int_equal(s2.misses, s1.misses);   /* nothing re-rendered */
    assert_true(s2.hits > s1.hits);
    assert_int_equal(s2.entries, s1.entries);
    assert_int_equal(bright_pixels(f, t, bg), lit);
}

static SDL_Event mouse_button(Uint32 type, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    return e;
}

static void test_events_click_and_type(void **state)
{
    fixture *f = *state;
    nb_rect t;
    box[0] = '\0';
    frame(f);
    assert_true(find_text(f->ui, "Hello", &t));
    SDL_Event down = mouse_button(SDL_MOUSEBUTTONDOWN, t.x + 2, t.y + 2);
    SDL_Event up = mouse_button(SDL_MOUSEBUTTONUP, t.x + 2, t.y + 2);
    assert_int_equal(nb_ui_sdl_feed_event(f->be, f->ui, &down), 1);   /* over the panel */
    assert_int_equal(nb_ui_sdl_feed_event(f->be, f->ui, &up), 1);
    assert_true(frame(f) & NB_UI_RES_SUBMIT);

    /* Focus the textbox (the row below the button) and type through SDL events. */
    int ty = t.y + t.h + 30;
    down = mouse_button(SDL_MOUSEBUTTONDOWN, 40, ty);
    up = mouse_button(SDL_MOUSEBUTTONUP, 40, ty);
    nb_ui_sdl_feed_event(f->be, f->ui, &down);
    nb_ui_sdl_feed_event(f->be, f->ui, &up);
    frame(f);
    assert_true(nb_ui_captures_keyboard(f->ui));
    assert_true(SDL_IsTextInputActive());   /* started for the focused box */

    SDL_Event text;
    memset(&text, 0, sizeof text);
    text.type = SDL_TEXTINPUT;
    strcpy(text.text.text, "안녕 hi");
    assert_int_equal(nb_ui_sdl_feed_event(f->be, f->ui, &text), 1);
    SDL_Event key;
    memset(&key, 0, sizeof key);
    key.type = SDL_KEYDOWN;
    key.key.keysym.sym = SDLK_BACKSPACE;
    nb_ui_sdl_feed_event(f->be, f->ui, &key);
    frame(f);
    assert_string_equal(box, "안녕 h");

    /* Ctrl+A, Ctrl+C through the real clipboard, then paste it back twice. */
    key.key.keysym.sym = SDLK_a;
    key.key.keysym.mod = KMOD_LCTRL;
    nb_ui_sdl_feed_event(f->be, f->ui, &key);
    key.key.keysym.sym = SDLK_c;
    nb_ui_sdl_feed_event(f->be, f->ui, &key);
    frame(f);
    char *clip = SDL_GetClipboardText();
    assert_non_null(clip);
    int have_clipboard = strcmp(clip, "안녕 h") == 0;   /* the dummy driver may keep it */
    SDL_free(clip);
    if (!have_clipboard) print_message("no clipboard under this video driver: paste not tested\n");
    if (have_clipboard) {
        key.key.keysym.sym = SDLK_END;
        key.key.keysym.mod = 0;
        nb_ui_sdl_feed_event(f->be, f->ui, &key);
        key.key.keysym.sym = SDLK_v;
        key.key.keysym.mod = KMOD_LCTRL;
        nb_ui_sdl_feed_event(f->be, f->ui, &key);
        frame(f);
        assert_string_equal(box, "안녕 h안녕 h");
    }

    /* IME composition: shown in the box, underlined, buffer unchanged. */
    SDL_Event edit;
    memset(&edit, 0, sizeof edit);
    edit.type = SDL_TEXTEDITING;
    strcpy(edit.edit.text, "한");
    edit.edit.start = 1;
    nb_ui_sdl_feed_event(f->be, f->ui, &edit);
    char before[64];
    strcpy(before, box);
    frame(f);
    assert_string_equal(box, before);
    nb_rect c;
    assert_true(find_text(f->ui, "한", &c));
    nb_color acc = nb_ui_theme_get(f->ui)->colors[NB_UI_COLOR_TEXT];
    uint32_t text_px = SDL_MapRGB(f->surf->format, acc.r, acc.g, acc.b);
    int underline = 0;
    for (int y = c.y + c.h / 2; y < c.y + c.h + 3 && y < H; y++) {
        int run = 0;
        for (int x = c.x; x < c.x + c.w; x++) run += pixel(f, x, y) == text_px;
        if (run >= c.w - 1) underline = 1;   /* a full-width line of text colour */
    }
    assert_true(underline);

    /* Clicking outside drops focus and turns text input off again. */
    down = mouse_button(SDL_MOUSEBUTTONDOWN, 100, H - 5);
    up = mouse_button(SDL_MOUSEBUTTONUP, 100, H - 5);
    nb_ui_sdl_feed_event(f->be, f->ui, &down);
    nb_ui_sdl_feed_event(f->be, f->ui, &up);
    frame(f);
    assert_false(nb_ui_captures_keyboard(f->ui));
    assert_false(SDL_IsTextInputActive());
}

static void test_korean_uses_fallback(void **state)
{
    fixture *f = *state;
    const char *fb = nb_ui_sdl_fallback_path(f->be);
    if (!fb) {
        print_message("no CJK font installed: fallback not tested\n");
        skip();
    }
    /* The measure of Hangul equals the fallback font's own measure at the same size. */
    nb_ui_opts o = { 0 };
    nb_ui_sdl_fill_opts(f->be, &o);
    TTF_Font *k = TTF_OpenFont(fb, nb_ui_theme_default().font_px);
    assert_non_null(k);
    int w = 0, h = 0;
    assert_int_equal(TTF_SizeUTF8(k, "안녕", &w, &h), 0);
    TTF_CloseFont(k);
    assert_int_equal(o.text_width(o.ud, NB_UI_FONT_SANS, "안녕", 6), w);
    /* Mixed text measures as the sum of its runs. */
    int latin = o.text_width(o.ud, NB_UI_FONT_SANS, "ab", 2);
    assert_int_equal(o.text_width(o.ud, NB_UI_FONT_SANS, "ab안녕", 8), latin + w);
    /* Invalid UTF-8 measures without crashing. */
    assert_true(o.text_width(o.ud, NB_UI_FONT_SANS, "\xff\xfe", 2) >= 0);
}

static void test_scale_and_cache_bound(void **state)
{
    fixture *f = *state;
    char err[NB_ERR_LEN];
    nb_ui_opts o = { 0 };
    nb_ui_sdl_fill_opts(f->be, &o);
    int h1 = o.text_height(o.ud, NB_UI_FONT_SANS);
    int w1 = o.text_width(o.ud, NB_UI_FONT_SANS, "Hello", 5);
    assert_int_equal(nb_ui_sdl_set_scale(f->be, f->ui, 2.0f, err), 0);
    assert_true(nb_ui_theme_get(f->ui)->scale == 2.0f);
    int h2 = o.text_height(o.ud, NB_UI_FONT_SANS);
    assert_in_range(h2, 2 * h1 - 3, 2 * h1 + 3);
    /* No stale cached width survives the size change. */
    assert_in_range(o.text_width(o.ud, NB_UI_FONT_SANS, "Hello", 5), 2 * w1 - 4, 2 * w1 + 4);
    assert_int_equal(nb_ui_sdl_set_scale(f->be, f->ui, 1.0f, err), 0);
    assert_int_equal(o.text_height(o.ud, NB_UI_FONT_SANS), h1);

    /* Many distinct strings: the cache stays bounded and evicts. */
    char label[32];
    for (int round = 0; round < 3; round++) {
        nb_ui_begin(f->ui);
        nb_ui_panel_begin(f->ui, "many", (nb_rect){ 0, 0, W, H });
        for (int i = 0; i < 200; i++) {
            snprintf(label, sizeof label, "item %d/%d", round, i);
            nb_ui_draw_text(f->ui, i % 2, label, (int)strlen(label), 10, 10 + i % 20, (nb_color){ 255, 255, 255, 255 }, 0);
        }
        nb_ui_panel_end(f->ui);
        nb_ui_end(f->ui);
        nb_ui_sdl_draw(f->be, f->ui);
    }
    nb_ui_sdl_stats s;
    nb_ui_sdl_get_stats(f->be, &s);
    assert_true(s.entries <= NB_UI_SDL_CACHE);
    assert_true(s.evictions >= 600 - NB_UI_SDL_CACHE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draws_button_text_and_caches),
        cmocka_unit_test(test_events_click_and_type),
        cmocka_unit_test(test_korean_uses_fallback),
        cmocka_unit_test(test_scale_and_cache_bound),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
