/* test_settings.c — settings.ini: defaults, parse/format round trip, bad values keeping
 * defaults, garbage never crashing, and save/load in a private XDG_CONFIG_HOME. */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "nb_settings.h"

static void assert_same(const nb_settings *a, const nb_settings *b)
{
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->server_host, b->server_host);
    assert_int_equal(a->server_port, b->server_port);
    assert_int_equal(a->pen_rgba, b->pen_rgba);
    assert_int_equal(a->pen_width, b->pen_width);
    assert_memory_equal(a->palette, b->palette, sizeof a->palette);
    assert_int_equal(a->window_w, b->window_w);
    assert_int_equal(a->window_h, b->window_h);
    assert_int_equal(a->fullscreen, b->fullscreen);
    assert_int_equal(a->announce, b->announce);
    assert_int_equal(a->overlay, b->overlay);
}

static nb_settings custom(void)
{
    nb_settings s;
    nb_settings_defaults(&s);
    strcpy(s.name, "Ada Lovelace");
    strcpy(s.server_host, "fe80::1%eth0");
    s.server_port = 50123;
    s.pen_rgba = 0x12345678;
    s.pen_width = 255;
    for (int i = 0; i < NB_SETTINGS_PALETTE; i++) s.palette[i] = 0x01020300u + (uint32_t)i;
    s.window_w = 1920;
    s.window_h = 1080;
    s.fullscreen = 1;
    s.announce = 0;
    s.overlay = 1;
    return s;
}

static int parse_str(const char *text, nb_settings *s) { return nb_settings_parse(text, strlen(text), s); }

static void test_defaults(void **state)
{
    nb_settings s;
    memset(&s, 0x5a, sizeof s);
    nb_settings_defaults(&s);
    assert_string_equal(s.name, "");
    assert_string_equal(s.server_host, "");
    assert_int_equal(s.server_port, 49001);
    assert_int_equal(s.pen_rgba, 0x000000ff);
    assert_int_equal(s.pen_rgba, s.palette[0]);
    assert_int_equal(s.pen_width, 4);
    assert_int_equal(s.window_w, 1280);
    assert_int_equal(s.window_h, 720);
    assert_int_equal(s.fullscreen, 0);
    assert_int_equal(s.announce, 1);
    assert_int_equal(s.overlay, 0);
    /* empty text gives defaults too */
    nb_settings p;
    assert_int_equal(nb_settings_parse(NULL, 0, &p), 0);
    assert_same(&s, &p);
}

static void test_round_trip(void **state)
{
    nb_settings a = custom(), b;
    char buf[2048];
    size_t n = nb_settings_format(&a, buf, sizeof buf);
    assert_true(n > 0 && n < sizeof buf);
    assert_int_equal(strlen(buf), n);
    assert_non_null(strstr(buf, "\nserver_port=50123\n"));
    assert_non_null(strstr(buf, "\npen_color=#12345678\n"));
    assert_int_equal(nb_settings_parse(buf, n, &b), 11);
    assert_same(&a, &b);

    /* defaults survive a round trip as well */
    nb_settings_defaults(&a);
    n = nb_settings_format(&a, buf, sizeof buf);
    nb_settings_parse(buf, n, &b);
    assert_same(&a, &b);
}

static void test_format_truncates(void **state)
{
    nb_settings a = custom();
    char full[2048], small[40];
    size_t need = nb_settings_format(&a, full, sizeof full);
    assert_int_equal(nb_settings_format(&a, NULL, 0), need);
    memset(small, 'x', sizeof small);
    assert_int_equal(nb_settings_format(&a, small, sizeof small), need);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_memory_equal(small, full, sizeof small - 1);
}

static void test_format_drops_control_chars(void **state)
{
    nb_settings a, b;
    char buf[2048];
    nb_settings_defaults(&a);
    strcpy(a.name, "evil\nserver_port=1");
    size_t n = nb_settings_format(&a, buf, sizeof buf);
    nb_settings_parse(buf, n, &b);
    assert_string_equal(b.name, "evilserver_port=1");
    assert_int_equal(b.server_port, 49001);
}

static void test_parse_syntax(void **state)
{
    nb_settings s;
    const char text[] = "\xef\xbb\xbf# comment\r\n"
                        "; also a comment\n"
                        "[netboard]\n"
                        "  Name  =  Grace Hopper  \r\n"
                        "SERVER_HOST=lab.example.org\n"
                        "no equals sign here\n"
                        "unknown_key=42\n"
                        "pen_color = #FF8000\n"
                        "palette = #000000, #111111,#222222 ,#333333,#444444,#555555,#666666,#777777ff\n"
                        "fullscreen=yes\n"
                        "announce=Off\n"
                        "overlay=true\n"
                        "window_width=320\n"
                        "window_height=16384";          /* no final newline */
    assert_int_equal(parse_str(text, &s), 9);
    assert_string_equal(s.name, "Grace Hopper");
    assert_string_equal(s.server_host, "lab.example.org");
    assert_int_equal(s.pen_rgba, 0xff8000ff);
    assert_int_equal(s.palette[0], 0x000000ff);
    assert_int_equal(s.palette[3], 0x333333ff);
    assert_int_equal(s.palette[7], 0x777777ff);
    assert_int_equal(s.fullscreen, 1);
    assert_int_equal(s.announce, 0);
    assert_int_equal(s.overlay, 1);
    assert_int_equal(s.window_w, 320);
    assert_int_equal(s.window_h, 16384);

    /* a later line wins; an empty string value is valid for strings */
    assert_int_equal(parse_str("server_port=1\nserver_port=65535\nname=\n", &s), 3);
    assert_int_equal(s.server_port, 65535);
    assert_string_equal(s.name, "");
}

static void test_bad_values_keep_defaults(void **state)
{
    static const char *bad[] = {
        "server_port=0", "server_port=65536", "server_port=-1", "server_port=abc",
        "server_port=", "server_port=99999999999999999999", "server_port=12 34", "server_port=0x10",
        "pen_width=0", "pen_width=256", "window_width=319", "window_height=16385",
        "fullscreen=maybe", "announce=2", "overlay=",
        "pen_color=#12345", "pen_color=123456", "pen_color=#gg0000", "pen_color=#1234567",
        "pen_color=#123456789",
        "palette=#000000,#111111,#222222,#333333,#444444,#555555,#666666",
        "palette=#000000,#111111,#222222,#333333,#444444,#555555,#666666,#777777,#888888",
        "palette=#000000,#111111,#222222,#333333,#444444,#555555,#666666,",
        "palette=#000000,,#222222,#333333,#444444,#555555,#666666,#777777",
        "palette=,,,,,,,", "palette=",
        "name=0123456789012345678901234567890123",      /* 34 bytes > 32 */
        "name=tab\there", "name=del\x7f",
    };
    nb_settings def, s;
    nb_settings_defaults(&def);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse_str(bad[i], &s), 0);
        assert_same(&def, &s);
    }
    /* a NUL inside a value is a control byte too */
    const char nul[] = "name=a\0b\nserver_port=7\n";
    assert_int_equal(nb_settings_parse(nul, sizeof nul - 1, &s), 1);
    assert_string_equal(s.name, "");
    assert_int_equal(s.server_port, 7);
    /* exactly 32 bytes fit */
    assert_int_equal(parse_str("name=01234567890123456789012345678901", &s), 1);
    assert_int_equal(strlen(s.name), 32);
}

static void check_invariants(const nb_settings *s)
{
    assert_true(memchr(s->name, '\0', sizeof s->name) != NULL);
    assert_true(memchr(s->server_host, '\0', sizeof s->server_host) != NULL);
    assert_in_range(s->server_port, 1, 65535);
    assert_in_range(s->pen_width, 1, 255);
    assert_in_range(s->window_w, 320, 16384);
    assert_in_range(s->window_h, 240, 16384);
    assert_in_range(s->fullscreen, 0, 1);
    assert_in_range(s->announce, 0, 1);
    assert_in_range(s->overlay, 0, 1);
}

/* Random bytes and random mixes of real keys with junk: no crash, fields stay in range. */
static void test_garbage(void **state)
{
    static const char *pieces[] = { "name", "server_host", "server_port", "pen_color", "pen_width",
        "palette", "window_width", "window_height", "fullscreen", "announce", "overlay",
        "=", "\n", "\r", " ", "#", ",", "#ffffff", "65535", "0", "1", "[x]", ";", "\xff", "\0" };
    char buf[600];
    uint32_t seed = 12345;
    nb_settings s;
    for (int iter = 0; iter < 4000; iter++) {
        size_t len = 0;
        while (len < 500) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 8;
            if (iter & 1) {
                buf[len++] = (char)r;
            } else {
                const char *p = pieces[r % (sizeof pieces / sizeof pieces[0])];
                size_t pl = *p ? strlen(p) : 1;
                memcpy(buf + len, p, pl);
                len += pl;
            }
            if ((r >> 16) % 64 == 0) break;
        }
        nb_settings_parse(buf, len, &s);
        check_invariants(&s);
    }
    /* one giant line without a newline, and a text of nothing but separators */
    char *big = malloc(1 << 20);
    assert_non_null(big);
    memset(big, 'a', 1 << 20);
    memcpy(big, "name=", 5);
    assert_int_equal(nb_settings_parse(big, 1 << 20, &s), 0);
    memset(big, '\n', 1 << 20);
    assert_int_equal(nb_settings_parse(big, 1 << 20, &s), 0);
    free(big);
}

/* ---- files: a private XDG_CONFIG_HOME per test ------------------------------------ */

typedef struct fixture { char root[64]; char dir[128]; char file[160]; } fixture;

static int setup_dir(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    strcpy(f->root, "/tmp/nb-settings-XXXXXX");
    if (!mkdtemp(f->root)) return -1;
    snprintf(f->dir, sizeof f->dir, "%s/netboard", f->root);
    snprintf(f->file, sizeof f->file, "%s/settings.ini", f->dir);
    setenv("XDG_CONFIG_HOME", f->root, 1);
    *state = f;
    return 0;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static int teardown_dir(void **state)
{
    fixture *f = *state;
    DIR *d = opendir(f->dir);
    if (d) {
        char p[512];
        for (struct dirent *e; (e = readdir(d));) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            if (unlink(p) < 0) rmdir(p);
        }
        closedir(d);
    }
    rmdir(f->dir);
    rmdir(f->root);
    unsetenv("XDG_CONFIG_HOME");
    free(f);
    return 0;
}

static void test_save_load(void **state)
{
    fixture *f = *state;
    char err[NB_ERR_LEN] = "";
    nb_settings a = custom(), b, def;
    struct stat st;

    nb_settings_defaults(&def);
    assert_int_equal(nb_settings_load(&b, err), 0);      /* first run: no file */
    assert_same(&def, &b);

    assert_int_equal(nb_settings_save(&a, err), 0);
    assert_int_equal(stat(f->file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(count_entries(f->dir), 1);          /* no temporary left over */
    assert_int_equal(nb_settings_load(&b, err), 0);
    assert_same(&a, &b);

    a.server_port = 4242;                                 /* overwrite replaces */
    assert_int_equal(nb_settings_save(&a, err), 0);
    assert_int_equal(nb_settings_load(&b, err), 0);
    assert_int_equal(b.server_port, 4242);
    assert_int_equal(count_entries(f->dir), 1);
}

static void test_load_rejects_oversized(void **state)
{
    fixture *f = *state;
    char err[NB_ERR_LEN] = "";
    nb_settings s;
    assert_int_equal(nb_settings_save(&(nb_settings){ 0 }, err), 0);  /* creates the dir */
    FILE *fp = fopen(f->file, "w");
    assert_non_null(fp);
    fputs("server_port=7\n", fp);
    for (int i = 0; i < NB_SETTINGS_FILE_MAX; i++) fputc('#', fp);
    fclose(fp);
    s.server_port = 1;
    assert_int_equal(nb_settings_load(&s, err), -1);
    assert_non_null(strstr(err, "larger than"));
    assert_int_equal(s.server_port, 49001);               /* defaults on error */
}

static void test_save_fails_cleanly(void **state)
{
    fixture *f = *state;
    char err[NB_ERR_LEN] = "";
    nb_settings s;
    nb_settings_defaults(&s);
    assert_int_equal(nb_settings_save(&s, err), 0);
    assert_int_equal(unlink(f->file), 0);
    assert_int_equal(mkdir(f->file, 0700), 0);           /* settings.ini is a directory */
    assert_int_equal(nb_settings_save(&s, err), -1);
    assert_non_null(strstr(err, "rename"));
    assert_int_equal(count_entries(f->dir), 1);          /* the temporary was removed */
    err[0] = '\0';
    assert_int_equal(nb_settings_load(&s, err), -1);
    assert_non_null(strstr(err, "settings.ini"));
}

static void test_no_config_dir(void **state)
{
    char err[NB_ERR_LEN] = "";
    nb_settings s;
    char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    unsetenv("HOME");
    setenv("XDG_CONFIG_HOME", "relative/ignored", 1);   /* XDG says: relative paths are invalid */
    assert_int_equal(nb_settings_load(&s, err), -1);
    assert_non_null(strstr(err, "config directory"));
    assert_int_equal(nb_settings_save(&s, err), -1);
    if (home) setenv("HOME", home, 1);
    free(home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_format_truncates),
        cmocka_unit_test(test_format_drops_control_chars),
        cmocka_unit_test(test_parse_syntax),
        cmocka_unit_test(test_bad_values_keep_defaults),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test_setup_teardown(test_save_load, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_load_rejects_oversized, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_save_fails_cleanly, setup_dir, teardown_dir),
        cmocka_unit_test(test_no_config_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
