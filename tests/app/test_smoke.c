/* test_smoke.c — the real program under a display (xvfb-run): scripted drags through
 * SDL_PushEvent draw a stroke, the app saves a screenshot after N frames, and the PNG
 * must show the stroke's pixels on the white board and rendered text in the panel. A run
 * without the drag is the control: the same pixels must be white there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef NETBOARD_EXE
#error "NETBOARD_EXE must name the built binary"
#endif

#define WIN_W 1400
#define WIN_H 800

/* Runs the app with a unique port; returns its exit status. */
static int run_app(const char *png, const char *extra, int port)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "timeout 60 %s --size %dx%d --port %d --no-announce --name smoke --color 000000 "
             "--width 4 --screenshot %s --frames 40 %s > /dev/null 2>&1",
             NETBOARD_EXE, WIN_W, WIN_H, port, png, extra);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static Uint32 px(SDL_Surface *s, int x, int y)
{
    Uint8 r, g, b;
    const Uint8 *p = (const Uint8 *)s->pixels + y * s->pitch + x * s->format->BytesPerPixel;
    Uint32 v;
    memcpy(&v, p, sizeof v);
    SDL_GetRGB(v, s->format, &r, &g, &b);
    return ((Uint32)r << 16) | ((Uint32)g << 8) | b;
}

static int is_white(Uint32 c) { return c == 0xFFFFFF; }
static int is_dark(Uint32 c) { return ((c >> 16) & 0xFF) < 80 && ((c >> 8) & 0xFF) < 80 && (c & 0xFF) < 80; }

/* The white board: the white run along a row at 30% of the height (the drag is at 50%),
 * then the white run down the column through its middle. */
static SDL_Rect find_board(SDL_Surface *s)
{
    int y = s->h * 3 / 10, x0 = 0, x1, y0 = 0, y1;
    while (x0 < s->w && !is_white(px(s, x0, y))) x0++;
    x1 = x0;
    while (x1 + 1 < s->w && is_white(px(s, x1 + 1, y))) x1++;
    int cx = (x0 + x1) / 2;
    while (y0 < s->h && !is_white(px(s, cx, y0))) y0++;
    y1 = y0;
    while (y1 + 1 < s->h && is_white(px(s, cx, y1 + 1))) y1++;
    return (SDL_Rect){ x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
}

/* Dark pixels within r pixels of the board point (fx, fy). */
static int dark_near(SDL_Surface *s, SDL_Rect b, float fx, float fy, int r)
{
    int cx = b.x + (int)(fx * (float)(b.w - 1)), cy = b.y + (int)(fy * (float)(b.h - 1)), n = 0;
    for (int y = cy - r; y <= cy + r; y++)
        for (int x = cx - r; x <= cx + r; x++)
            if (x >= 0 && y >= 0 && x < s->w && y < s->h && is_dark(px(s, x, y))) n++;
    return n;
}

static void test_stroke_and_panel(void **state)
{
    (void)state;
    if (!getenv("DISPLAY")) skip();   /* the README's test command runs under xvfb-run */
#if defined(__SANITIZE_ADDRESS__)
    /* SDL dlopens the X11 extension libraries and unloads them at SDL_Quit, so what they
     * keep for the process's life shows up as leaks in an <unknown module> that no
     * suppression can name. ASan still checks every access of the app; leaks of our own
     * code are covered by the unit suites, which run with leak detection on. */
    setenv("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", 1);
#endif
    char with[256], without[256];
    snprintf(with, sizeof with, "/tmp/nb_smoke_%d_stroke.png", (int)getpid());
    snprintf(without, sizeof without, "/tmp/nb_smoke_%d_blank.png", (int)getpid());
    int port = 40000 + (int)(getpid() % 20000);
    /* The user's saved settings must not leak in (nor ours out). */
    char home[] = "/tmp/nb_smoke_home_XXXXXX";
    assert_non_null(mkdtemp(home));
    setenv("XDG_CONFIG_HOME", home, 1);
    setenv("XDG_DATA_HOME", home, 1);
    assert_int_equal(run_app(with, "--drag 0.1,0.5,0.9,0.5", port), 0);
    assert_int_equal(run_app(without, "", port + 1), 0);

    SDL_Surface *a = IMG_Load(with), *b = IMG_Load(without);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->w, WIN_W);
    assert_int_equal(a->h, WIN_H);

    /* The board is 16:9 and white. */
    SDL_Rect board = find_board(b);
    assert_true(board.w > 600);
    int ratio_x1000 = board.w * 1000 / board.h;
    assert_in_range(ratio_x1000, 1750, 1810);

    /* Along the drag: dark pixels in the stroke run, none in the control run. */
    const float xs[] = { 0.15f, 0.3f, 0.5f, 0.7f, 0.85f };
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        assert_true(dark_near(a, board, xs[i], 0.5f, 4) > 0);
        assert_int_equal(dark_near(b, board, xs[i], 0.5f, 4), 0);
    }
    /* Away from the drag the board stays white in both. */
    assert_int_equal(dark_near(a, board, 0.5f, 0.2f, 4), 0);

    /* The panel rendered text: many light pixels (glyphs) on the dark panel. */
    int light = 0;
    for (int y = 0; y < WIN_H; y++)
        for (int x = board.x + board.w + 10; x < WIN_W; x++) {
            Uint32 c = px(a, x, y);
            if (((c >> 16) & 0xFF) > 170 && ((c >> 8) & 0xFF) > 170 && (c & 0xFF) > 170) light++;
        }
    assert_true(light > 1000);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    remove(with);
    remove(without);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", home);
    assert_int_equal(system(cmd), 0);
}

/* Pixels close to an overlay colour (in: cyan, out: orange), anywhere in the window. */
static int count_near(SDL_Surface *s, Uint32 rgb)
{
    int n = 0;
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++) {
            Uint32 c = px(s, x, y);
            int dr = (int)((c >> 16) & 0xFF) - (int)((rgb >> 16) & 0xFF);
            int dg = (int)((c >> 8) & 0xFF) - (int)((rgb >> 8) & 0xFF);
            int db = (int)(c & 0xFF) - (int)(rgb & 0xFF);
            if (dr * dr + dg * dg + db * db < 30 * 30) n++;
        }
    return n;
}

/* The F3 overlay with real traffic: a host with --overlay while a second app joins and
 * draws. Its graphs and inspector rows use the in (cyan) and out (orange) colours; with
 * the overlay off those colours do not appear at all. */
static void test_overlay_with_two_clients(void **state)
{
    (void)state;
    if (!getenv("DISPLAY")) skip();
#if defined(__SANITIZE_ADDRESS__)
    setenv("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", 1);
#endif
    char home[] = "/tmp/nb_smoke_home_XXXXXX";
    assert_non_null(mkdtemp(home));
    setenv("XDG_CONFIG_HOME", home, 1);
    setenv("XDG_DATA_HOME", home, 1);
    char on[300], off[300], cmd[2048];
    snprintf(on, sizeof on, "%s/overlay_on.png", home);
    snprintf(off, sizeof off, "%s/overlay_off.png", home);
    int port = 20000 + (int)(getpid() % 15000);
    /* The guest joins after the host is up (it retries until the host listens) and keeps
     * drawing past the host's screenshot; both are bounded by timeout(1). */
    snprintf(cmd, sizeof cmd,
             "timeout 60 %s --join 127.0.0.1:%d --no-announce --name guest --frames 400 "
             "--drag 0.1,0.1,0.9,0.9 --drag 0.1,0.9,0.9,0.1 >/dev/null 2>&1 & "
             "timeout 60 %s --size %dx%d --port %d --no-announce --name host --overlay "
             "--screenshot %s --frames 150 >/dev/null 2>&1; st=$?; wait; exit $st",
             NETBOARD_EXE, port, NETBOARD_EXE, WIN_W, WIN_H, port, on);
    int st = system(cmd);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_int_equal(run_app(off, "", port + 1), 0);

    SDL_Surface *a = IMG_Load(on), *b = IMG_Load(off);
    assert_non_null(a);
    assert_non_null(b);
    int in_on = count_near(a, 0x50C8FF), out_on = count_near(a, 0xFFA640);
    int in_off = count_near(b, 0x50C8FF), out_off = count_near(b, 0xFFA640);
    assert_true(in_on > 200);
    assert_true(out_on > 200);
    assert_true(in_off < 20);
    assert_true(out_off < 20);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    snprintf(cmd, sizeof cmd, "rm -rf %s", home);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_stroke_and_panel),
                                        cmocka_unit_test(test_overlay_with_two_clients) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
