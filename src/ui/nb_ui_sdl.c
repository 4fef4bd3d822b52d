/* nb_ui_sdl.c — SDL backend for nb_ui; see nb_ui_sdl.h. Text is rendered white with
 * TTF_RenderUTF8_Blended once per (string, font, pixel size) and tinted at draw time with
 * the texture colour/alpha mod, which gives the same pixels as rendering in the colour
 * but lets a hover colour change reuse the texture. */
#include "nb_ui_sdl.h"
#include "nb_log.h"
#include "nb_path.h"

#include <SDL_ttf.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RUNS 32
#define MAX_RUN_BYTES 1024
#define MAX_TEXT_PX 8192   /* wider text is cut: textures beyond that fail on many GPUs */

typedef struct cache_entry {
    uint64_t hash;
    char *text;
    int len, font, px;
    SDL_Texture *tex;
    int w, h;
    uint64_t last_used;
} cache_entry;

#define WIDTH_CACHE 1024   /* direct-mapped; measuring is the UI's hottest call */

typedef struct width_entry { uint64_t hash; int w; } width_entry;

struct nb_ui_sdl {
    SDL_Renderer *renderer;
    TTF_Font *font[NB_UI_FONT_COUNT];
    TTF_Font *fallback;
    char fallback_path[PATH_MAX];
    int pt_size, px;           /* base size and the size the fonts are at now */
    cache_entry cache[NB_UI_SDL_CACHE];
    width_entry widths[WIDTH_CACHE];
    uint64_t tick;
    nb_ui_sdl_stats stats;
    int text_input_on;
    SDL_Rect input_rect;
};

typedef struct run { int start, len; TTF_Font *font; } run;

static const char *const cjk_fonts[] = {
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKkr-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
};

void nb_ui_sdl_set_hints(void)
{
    SDL_SetHint(SDL_HINT_IME_SHOW_UI, "1");
}

/* ---- fonts and runs --------------------------------------------------------------- */

static int file_exists(const char *p)
{
    SDL_RWops *rw = SDL_RWFromFile(p, "rb");
    if (!rw) return 0;
    SDL_RWclose(rw);
    return 1;
}

static void open_fallback(nb_ui_sdl *be)
{
    const char *env = SDL_getenv("NETBOARD_CJK_FONT");
    if (env && *env && file_exists(env)) {
        be->fallback = TTF_OpenFont(env, be->px);
        if (be->fallback) nb_strlcpy(be->fallback_path, env, sizeof be->fallback_path);
    }
    for (size_t i = 0; !be->fallback && i < NB_ARRAY_LEN(cjk_fonts); i++) {
        if (!file_exists(cjk_fonts[i])) continue;
        be->fallback = TTF_OpenFont(cjk_fonts[i], be->px);
        if (be->fallback) nb_strlcpy(be->fallback_path, cjk_fonts[i], sizeof be->fallback_path);
    }
    if (!be->fallback) nb_info("ui: no CJK fallback font installed; Korean shows as boxes");
}

static TTF_Font *font_for(nb_ui_sdl *be, TTF_Font *primary, uint32_t cp)
{
    if (cp < 0x80 || !be->fallback || TTF_GlyphIsProvided32(primary, cp)) return primary;
    return TTF_GlyphIsProvided32(be->fallback, cp) ? be->fallback : primary;
}

/* Splits s into runs that each use one font: the primary unless it lacks the glyph. */
static int split_runs(nb_ui_sdl *be, int font, const char *s, int len, run *runs)
{
    TTF_Font *primary = be->font[font];
    int n = 0;
    for (int i = 0; i < len;) {
        uint32_t cp = 0xFFFD;
        int k = nb_ui_utf8_decode(s + i, len - i, &cp);
        if (k == 0) k = 1;   /* invalid byte: TTF shows it as the missing-glyph box */
        TTF_Font *f = font_for(be, primary, cp);
        if (n > 0 && runs[n - 1].font == f && (runs[n - 1].len + k <= MAX_RUN_BYTES || n == MAX_RUNS)) {
            runs[n - 1].len += k;
        } else if (n < MAX_RUNS) {
            runs[n++] = (run){ i, k, f };
        } else {
            runs[n - 1].len += k;   /* out of runs: the rest stays in the last font */
        }
        i += k;
    }
    return n;
}

static const char *run_text(const char *s, const run *r, char *tmp)
{
    int n = NB_MIN(r->len, MAX_RUN_BYTES);
    memcpy(tmp, s + r->start, (size_t)n);
    tmp[n] = '\0';
    return tmp;
}

static uint64_t text_hash(const char *s, int len, int font, int px);

/* Widths are cached by a 64-bit hash of (text, font, size): a collision would only
 * misplace a caret by a few pixels, and the table is flushed when the size changes. */
static int measure(void *ud, int font, const char *s, int len)
{
    nb_ui_sdl *be = ud;
    run runs[MAX_RUNS];
    char tmp[MAX_RUN_BYTES + 1];
    uint64_t h = text_hash(s, len, font, be->px) | 1;   /* 0 marks an empty slot */
    width_entry *we = &be->widths[h % WIDTH_CACHE];
    if (we->hash == h) return we->w;
    int total = 0, nr = split_runs(be, font, s, len, runs);
    for (int i = 0; i < nr; i++) {
        int w = 0, th = 0;
        if (TTF_SizeUTF8(runs[i].font, run_text(s, &runs[i], tmp), &w, &th) == 0) total += w;
    }
    *we = (width_entry){ h, total };
    return total;
}

static int line_height(void *ud, int font)
{
    nb_ui_sdl *be = ud;
    return TTF_FontHeight(be->font[font]);
}

/* Renders s white onto one surface, runs side by side on a shared baseline. */
static SDL_Surface *render_text(nb_ui_sdl *be, int font, const char *s, int len)
{
    run runs[MAX_RUNS];
    SDL_Surface *parts[MAX_RUNS] = { 0 };
    char tmp[MAX_RUN_BYTES + 1];
    const SDL_Color white = { 255, 255, 255, 255 };
    SDL_Surface *out = NULL;
    int nr = split_runs(be, font, s, len, runs);
    int asc = 0, desc = 0, w = 0, used = 0;
    for (int i = 0; i < nr && w < MAX_TEXT_PX; i++, used++) {
        TTF_Font *f = runs[i].font;
        parts[i] = TTF_RenderUTF8_Blended(f, run_text(s, &runs[i], tmp), white);
        if (!parts[i]) goto fail;
        w += parts[i]->w;
        asc = NB_MAX(asc, TTF_FontAscent(f));
        desc = NB_MAX(desc, TTF_FontHeight(f) - TTF_FontAscent(f));
    }
    if (used == 1 && w <= MAX_TEXT_PX) {   /* the common case: one font, use as is */
        out = parts[0];
        parts[0] = NULL;
        goto fail;
    }
    out = SDL_CreateRGBSurfaceWithFormat(0, NB_MIN(w, MAX_TEXT_PX), NB_MAX(1, asc + desc), 32,
                                         SDL_PIXELFORMAT_ARGB8888);
    if (!out) goto fail;
    SDL_FillRect(out, NULL, 0);
    for (int i = 0, x = 0; i < used; i++) {
        /* Copy coverage as is (no blending), baseline-aligned. */
        SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
        SDL_Rect dst = { x, asc - TTF_FontAscent(runs[i].font), parts[i]->w, parts[i]->h };
        SDL_BlitSurface(parts[i], NULL, out, &dst);
        x += parts[i]->w;
    }
fail:
    for (int i = 0; i < used; i++) SDL_FreeSurface(parts[i]);
    return out;
}

/* ---- texture cache ---------------------------------------------------------------- */

static uint64_t text_hash(const char *s, int len, int font, int px)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    h = (h ^ (uint64_t)font) * 1099511628211ull;
    return (h ^ (uint64_t)px) * 1099511628211ull;
}

static void entry_free(cache_entry *e)
{
    if (e->tex) SDL_DestroyTexture(e->tex);
    free(e->text);
    memset(e, 0, sizeof *e);
}

static void cache_flush(nb_ui_sdl *be)
{
    for (int i = 0; i < NB_UI_SDL_CACHE; i++) entry_free(&be->cache[i]);
    memset(be->widths, 0, sizeof be->widths);
    be->stats.entries = 0;
}

static cache_entry *cache_get(nb_ui_sdl *be, int font, const char *s, int len)
{
    uint64_t h = text_hash(s, len, font, be->px);
    cache_entry *victim = &be->cache[0];
    for (int i = 0; i < NB_UI_SDL_CACHE; i++) {
        cache_entry *e = &be->cache[i];
        if (e->tex && e->hash == h && e->len == len && e->font == font && e->px == be->px &&
            memcmp(e->text, s, (size_t)len) == 0) {
            e->last_used = ++be->tick;
            be->stats.hits++;
            return e;
        }
        if (!e->tex) victim = e;   /* a free slot beats evicting */
        else if (victim->tex && e->last_used < victim->last_used) victim = e;
    }
    be->stats.misses++;
    if (victim->tex) {
        be->stats.evictions++;
        be->stats.entries--;
        entry_free(victim);
    }
    SDL_Surface *surf = render_text(be, font, s, len);
    if (!surf) return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(be->renderer, surf);
    char *copy = malloc((size_t)len + 1);
    if (!tex || !copy) {
        if (tex) SDL_DestroyTexture(tex);
        free(copy);
        SDL_FreeSurface(surf);
        return NULL;
    }
    memcpy(copy, s, (size_t)len);
    copy[len] = '\0';
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    *victim = (cache_entry){ .hash = h, .text = copy, .len = len, .font = font, .px = be->px,
                             .tex = tex, .w = surf->w, .h = surf->h, .last_used = ++be->tick };
    be->stats.entries++;
    SDL_FreeSurface(surf);
    return victim;
}

/* ---- lifecycle -------------------------------------------------------------------- */

static int open_fonts(nb_ui_sdl *be, const char *font_path, char *err)
{
    char sans[PATH_MAX], mono[PATH_MAX];
    if (font_path) nb_strlcpy(sans, font_path, sizeof sans);
    else if (nb_path_asset("fonts/DejaVuSans.ttf", sans, sizeof sans) != 0) {
        nb_set_error(err, "ui: cannot find assets/fonts (set NETBOARD_DATA_DIR)");
        return -1;
    }
    if (nb_path_asset("fonts/DejaVuSansMono.ttf", mono, sizeof mono) != 0) nb_strlcpy(mono, sans, sizeof mono);
    be->font[NB_UI_FONT_SANS] = TTF_OpenFont(sans, be->px);
    if (!be->font[NB_UI_FONT_SANS]) {
        nb_set_error(err, "ui: cannot open font %s: %s", sans, TTF_GetError());
        return -1;
    }
    be->font[NB_UI_FONT_MONO] = TTF_OpenFont(mono, be->px);
    if (!be->font[NB_UI_FONT_MONO]) {
        nb_warn("ui: cannot open mono font %s: %s; using %s", mono, TTF_GetError(), sans);
        be->font[NB_UI_FONT_MONO] = TTF_OpenFont(sans, be->px);
        if (!be->font[NB_UI_FONT_MONO]) {
            nb_set_error(err, "ui: cannot open font %s: %s", sans, TTF_GetError());
            return -1;
        }
    }
    for (int i = 0; i < NB_UI_FONT_COUNT; i++) TTF_SetFontHinting(be->font[i], TTF_HINTING_LIGHT);
    open_fallback(be);
    return 0;
}

nb_ui_sdl *nb_ui_sdl_create(SDL_Renderer *renderer, const char *font_path, int pt_size, char *err)
{
    NB_ASSERT(renderer);
    nb_ui_sdl *be = calloc(1, sizeof *be);
    if (!be) {
        nb_set_error(err, "ui: out of memory");
        return NULL;
    }
    if (TTF_Init() != 0) {   /* reference-counted: paired with TTF_Quit in destroy */
        nb_set_error(err, "ui: TTF_Init: %s", TTF_GetError());
        free(be);
        return NULL;
    }
    be->renderer = renderer;
    be->pt_size = pt_size > 0 ? pt_size : nb_ui_theme_default().font_px;
    be->px = be->pt_size;
    if (open_fonts(be, font_path, err) != 0) goto fail;
    /* Text input (and so the IME) only while a textbox has focus: otherwise a Korean IME
     * would swallow the board's single-key shortcuts. */
    if (SDL_WasInit(SDL_INIT_VIDEO)) SDL_StopTextInput();
    return be;
fail:
    nb_ui_sdl_destroy(be);
    return NULL;
}

void nb_ui_sdl_destroy(nb_ui_sdl *be)
{
    if (!be) return;
    cache_flush(be);
    for (int i = 0; i < NB_UI_FONT_COUNT; i++)
        if (be->font[i]) TTF_CloseFont(be->font[i]);
    if (be->fallback) TTF_CloseFont(be->fallback);
    TTF_Quit();
    free(be);
}

static void clip_set(void *ud, const char *text)
{
    if (SDL_SetClipboardText(text) != 0) nb_warn("ui: clipboard: %s", SDL_GetError());
}

static int clip_get(void *ud, char *out, int cap)
{
    char *t = SDL_GetClipboardText();   /* "" (never NULL in practice) when empty */
    int n = 0;
    if (t) {
        nb_strlcpy(out, t, (size_t)cap);
        n = (int)strlen(out);
        SDL_free(t);
    } else if (cap > 0) {
        out[0] = '\0';
    }
    return n;
}

void nb_ui_sdl_fill_opts(nb_ui_sdl *be, nb_ui_opts *opts)
{
    opts->text_width = measure;
    opts->text_height = line_height;
    opts->clipboard_set = clip_set;
    opts->clipboard_get = clip_get;
    opts->ud = be;
}

int nb_ui_sdl_set_scale(nb_ui_sdl *be, nb_ui *ui, float scale, char *err)
{
    nb_ui_set_scale(ui, scale);
    int px = (int)lroundf((float)be->pt_size * nb_ui_theme_get(ui)->scale);
    if (px == be->px) return 0;
    for (int i = 0; i < NB_UI_FONT_COUNT; i++) {
        if (TTF_SetFontSize(be->font[i], px) != 0) {
            nb_set_error(err, "ui: font size %d: %s", px, TTF_GetError());
            return -1;
        }
    }
    if (be->fallback && TTF_SetFontSize(be->fallback, px) != 0) {
        TTF_CloseFont(be->fallback);
        be->fallback = NULL;
    }
    be->px = px;
    cache_flush(be);   /* every texture is the old size now */
    return 0;
}

void nb_ui_sdl_get_stats(const nb_ui_sdl *be, nb_ui_sdl_stats *out)
{
    *out = be->stats;
}

const char *nb_ui_sdl_fallback_path(const nb_ui_sdl *be)
{
    return be->fallback ? be->fallback_path : NULL;
}

/* ---- events ----------------------------------------------------------------------- */

static int map_button(Uint8 b)
{
    switch (b) {
    case SDL_BUTTON_LEFT: return NB_UI_MOUSE_LEFT;
    case SDL_BUTTON_RIGHT: return NB_UI_MOUSE_RIGHT;
    case SDL_BUTTON_MIDDLE: return NB_UI_MOUSE_MIDDLE;
    default: return 0;
    }
}

static int map_key(const SDL_Keysym *k, int *mods)
{
    int ctrl = (k->mod & (KMOD_CTRL | KMOD_GUI)) != 0;
    *mods = ((k->mod & KMOD_SHIFT) ? NB_UI_MOD_SHIFT : 0) | (ctrl ? NB_UI_MOD_CTRL : 0);
    switch (k->sym) {
    case SDLK_BACKSPACE: return NB_UI_KEY_BACKSPACE;
    case SDLK_DELETE: return (k->mod & KMOD_SHIFT) ? NB_UI_KEY_CUT : NB_UI_KEY_DELETE;
    case SDLK_RETURN: case SDLK_KP_ENTER: return NB_UI_KEY_RETURN;
    case SDLK_ESCAPE: return NB_UI_KEY_ESCAPE;
    case SDLK_LEFT: return NB_UI_KEY_LEFT;
    case SDLK_RIGHT: return NB_UI_KEY_RIGHT;
    case SDLK_HOME: return NB_UI_KEY_HOME;
    case SDLK_END: return NB_UI_KEY_END;
    case SDLK_INSERT: return ctrl ? NB_UI_KEY_COPY : (k->mod & KMOD_SHIFT) ? NB_UI_KEY_PASTE : 0;
    case SDLK_a: return ctrl ? NB_UI_KEY_SELECT_ALL : 0;
    case SDLK_c: return ctrl ? NB_UI_KEY_COPY : 0;
    case SDLK_x: return ctrl ? NB_UI_KEY_CUT : 0;
    case SDLK_v: return ctrl ? NB_UI_KEY_PASTE : 0;
    default: return 0;
    }
}

int nb_ui_sdl_feed_event(nb_ui_sdl *be, nb_ui *ui, const SDL_Event *e)
{
    int mods = 0, key, b;
    switch (e->type) {
    case SDL_MOUSEMOTION:
        nb_ui_input_mousemove(ui, e->motion.x, e->motion.y);
        return nb_ui_captures_mouse(ui);
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        b = map_button(e->button.button);
        if (!b) return nb_ui_captures_mouse(ui);
        if (e->type == SDL_MOUSEBUTTONDOWN) {
            nb_ui_input_mousemove(ui, e->button.x, e->button.y);
            int mine = nb_ui_captures_mouse(ui);   /* decided where the press lands */
            nb_ui_input_mousedown(ui, e->button.x, e->button.y, b);
            return mine;
        }
        {
            int mine = nb_ui_captures_mouse(ui);
            nb_ui_input_mouseup(ui, e->button.x, e->button.y, b);
            return mine;
        }
    case SDL_MOUSEWHEEL: {
        int dy = e->wheel.y, dx = e->wheel.x;
        if (e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED) dy = -dy, dx = -dx;
        nb_ui_input_scroll(ui, dx, dy);
        return nb_ui_captures_mouse(ui);
    }
    case SDL_KEYDOWN:
        key = map_key(&e->key.keysym, &mods);
        if (key) nb_ui_input_keydown(ui, key, mods);
        return nb_ui_captures_keyboard(ui);
    case SDL_KEYUP:
        return nb_ui_captures_keyboard(ui);
    case SDL_TEXTINPUT:
        nb_ui_input_text(ui, e->text.text);
        return nb_ui_captures_keyboard(ui);
    case SDL_TEXTEDITING:
        nb_ui_input_textedit(ui, e->edit.text, e->edit.start);
        return nb_ui_captures_keyboard(ui);
    case SDL_WINDOWEVENT:
        /* The mouse left the window: nothing stays hovered. */
        if (e->window.event == SDL_WINDOWEVENT_LEAVE) nb_ui_input_mousemove(ui, INT_MIN / 2, INT_MIN / 2);
        return 0;
    default:
        (void)be;
        return 0;
    }
}

/* ---- drawing ---------------------------------------------------------------------- */

static void draw_circle(SDL_Renderer *r, nb_rect b)
{
    float rad = (float)NB_MIN(b.w, b.h) / 2.0f, cx = (float)b.x + (float)b.w / 2.0f;
    float cy = (float)b.y + (float)b.h / 2.0f;
    for (int y = 0; y < b.h; y++) {
        float dy = (float)y + 0.5f - (float)b.h / 2.0f;
        if (fabsf(dy) > rad) continue;
        float half = sqrtf(rad * rad - dy * dy);
        SDL_FRect row = { cx - half, cy + dy - 0.5f, 2 * half, 1 };
        SDL_RenderFillRectF(r, &row);
    }
}

static void draw_check(SDL_Renderer *r, nb_rect b)
{
    float w = (float)b.w, h = (float)b.h, t = NB_MAX(2.0f, w / 8.0f);
    SDL_FPoint p[3] = { { (float)b.x + 0.22f * w, (float)b.y + 0.52f * h },
                        { (float)b.x + 0.42f * w, (float)b.y + 0.72f * h },
                        { (float)b.x + 0.78f * w, (float)b.y + 0.30f * h } };
    for (float o = -t / 2; o <= t / 2; o += 0.5f) {
        SDL_RenderDrawLineF(r, p[0].x, p[0].y + o, p[1].x, p[1].y + o);
        SDL_RenderDrawLineF(r, p[1].x, p[1].y + o, p[2].x, p[2].y + o);
    }
}

static void update_ime(nb_ui_sdl *be, nb_ui *ui)
{
    nb_rect r;
    if (!nb_ui_text_input_rect(ui, &r)) {
        if (be->text_input_on) SDL_StopTextInput();
        be->text_input_on = 0;
        return;
    }
    SDL_Rect sr = { r.x, r.y, r.w, r.h };
    if (!be->text_input_on) SDL_StartTextInput();
    if (!be->text_input_on || memcmp(&sr, &be->input_rect, sizeof sr) != 0) SDL_SetTextInputRect(&sr);
    be->text_input_on = 1;
    be->input_rect = sr;
}

void nb_ui_sdl_draw(nb_ui_sdl *be, nb_ui *ui)
{
    SDL_Renderer *r = be->renderer;
    const nb_ui_cmd *c = NULL;
    SDL_RenderSetClipRect(r, NULL);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    while (nb_ui_next_command(ui, &c)) {
        SDL_Rect rect = { c->rect.x, c->rect.y, c->rect.w, c->rect.h };
        switch (c->type) {
        case NB_UI_CMD_CLIP:
            if (c->rect.w >= NB_UI_UNCLIPPED.w) SDL_RenderSetClipRect(r, NULL);
            else SDL_RenderSetClipRect(r, &rect);
            break;
        case NB_UI_CMD_RECT:
            SDL_SetRenderDrawColor(r, c->color.r, c->color.g, c->color.b, c->color.a);
            SDL_RenderFillRect(r, &rect);
            break;
        case NB_UI_CMD_TEXT: {
            cache_entry *e = cache_get(be, c->font, c->text, c->len);
            if (!e) break;
            SDL_SetTextureColorMod(e->tex, c->color.r, c->color.g, c->color.b);
            SDL_SetTextureAlphaMod(e->tex, c->color.a);
            SDL_Rect dst = { c->rect.x, c->rect.y, e->w, e->h };
            SDL_RenderCopy(r, e->tex, NULL, &dst);
            if (c->flags & NB_UI_TEXT_UNDERLINE) {
                int t = NB_MAX(1, be->px / 14);
                SDL_Rect u = { c->rect.x, c->rect.y + TTF_FontAscent(be->font[c->font]) + t + 1, e->w, t };
                SDL_SetRenderDrawColor(r, c->color.r, c->color.g, c->color.b, c->color.a);
                SDL_RenderFillRect(r, &u);
            }
            break;
        }
        case NB_UI_CMD_ICON:
            SDL_SetRenderDrawColor(r, c->color.r, c->color.g, c->color.b, c->color.a);
            if (c->icon == NB_UI_ICON_CHECK) draw_check(r, c->rect);
            else if (c->icon == NB_UI_ICON_CIRCLE) draw_circle(r, c->rect);
            break;
        default:
            break;
        }
    }
    SDL_RenderSetClipRect(r, NULL);
    if (SDL_WasInit(SDL_INIT_VIDEO)) update_ime(be, ui);
}
