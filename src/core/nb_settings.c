/* nb_settings.c — settings.ini parsing, formatting, load and atomic save; see nb_settings.h.
 * One table describes every key, so the parser and the formatter cannot disagree. */
#include "nb_settings.h"
#include "nb_file.h"
#include "nb_path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum { K_STR, K_INT, K_BOOL, K_COLOR, K_PALETTE } field_kind;

typedef struct field {
    const char *key;
    field_kind kind;
    size_t off;
    int lo, hi;          /* K_INT: range; K_STR: hi = buffer size */
} field;

#define OFF(m) offsetof(nb_settings, m)
#define CAP(m) ((int)sizeof(((nb_settings *)0)->m))

static const field fields[] = {
    { "name", K_STR, OFF(name), 0, CAP(name) },
    { "server_host", K_STR, OFF(server_host), 0, CAP(server_host) },
    { "server_port", K_INT, OFF(server_port), 1, 65535 },
    { "pen_color", K_COLOR, OFF(pen_rgba), 0, 0 },
    { "pen_width", K_INT, OFF(pen_width), 1, 255 },    /* a segment carries it in a u8 */
    { "palette", K_PALETTE, OFF(palette), 0, 0 },
    { "window_width", K_INT, OFF(window_w), 320, 16384 },  /* the limits of --size */
    { "window_height", K_INT, OFF(window_h), 240, 16384 },
    { "fullscreen", K_BOOL, OFF(fullscreen), 0, 1 },
    { "announce", K_BOOL, OFF(announce), 0, 1 },
    { "overlay", K_BOOL, OFF(overlay), 0, 1 },
};

void nb_settings_defaults(nb_settings *out)
{
    /* black, red, blue, green, orange, purple, brown, yellow: readable on white */
    static const uint32_t palette[NB_SETTINGS_PALETTE] = {
        0x000000ff, 0xe53935ff, 0x1e88e5ff, 0x43a047ff,
        0xfb8c00ff, 0x8e24aaff, 0x6d4c41ff, 0xfdd835ff,
    };
    NB_ASSERT(out);
    memset(out, 0, sizeof *out);
    out->server_port = 49001;
    out->pen_rgba = palette[0];
    out->pen_width = 4;
    memcpy(out->palette, palette, sizeof palette);
    out->window_w = 1280;
    out->window_h = 720;
    out->announce = 1;
}

/* ---- parsing: every helper takes (pointer, length), the text is not NUL-terminated -- */

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s)) (*s)++, (*n)--;
    while (*n && is_space((*s)[*n - 1])) (*n)--;
}

static int token_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static int parse_int(const char *s, size_t n, int lo, int hi, int *out)
{
    long v = 0;
    if (n == 0 || n > 9) return -1;   /* 9 digits cannot overflow a long */
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int parse_bool(const char *s, size_t n, int *out)
{
    if (token_is(s, n, "1") || token_is(s, n, "true") || token_is(s, n, "yes") || token_is(s, n, "on"))
        *out = 1;
    else if (token_is(s, n, "0") || token_is(s, n, "false") || token_is(s, n, "no") || token_is(s, n, "off"))
        *out = 0;
    else
        return -1;
    return 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* "#RRGGBB" (opaque) or "#RRGGBBAA" */
static int parse_color(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    if ((n != 7 && n != 9) || s[0] != '#') return -1;
    for (size_t i = 1; i < n; i++) {
        int d = hex_digit(s[i]);
        if (d < 0) return -1;
        v = (v << 4) | (uint32_t)d;
    }
    *out = n == 7 ? (v << 8) | 0xff : v;
    return 0;
}

/* Exactly NB_SETTINGS_PALETTE colours separated by commas; anything else changes nothing. */
static int parse_palette(const char *s, size_t n, uint32_t *out)
{
    uint32_t tmp[NB_SETTINGS_PALETTE];
    size_t k = 0;
    for (;;) {
        const char *comma = memchr(s, ',', n);
        size_t part = comma ? (size_t)(comma - s) : n;
        const char *p = s;
        size_t pn = part;
        trim(&p, &pn);
        if (k == NB_SETTINGS_PALETTE || parse_color(p, pn, &tmp[k++]) < 0) return -1;
        if (!comma) break;
        s += part + 1;
        n -= part + 1;
    }
    if (k != NB_SETTINGS_PALETTE) return -1;
    memcpy(out, tmp, sizeof tmp);
    return 0;
}

/* Strings are one line of printable text: a control byte means the file is not ours. */
static int parse_str(const char *s, size_t n, int cap, char *out)
{
    if (n >= (size_t)cap) return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int apply(nb_settings *st, const field *f, const char *v, size_t n)
{
    char *base = (char *)st + f->off;
    switch (f->kind) {
    case K_STR: return parse_str(v, n, f->hi, base);
    case K_INT: return parse_int(v, n, f->lo, f->hi, (int *)base);
    case K_BOOL: return parse_bool(v, n, (int *)base);
    case K_COLOR: return parse_color(v, n, (uint32_t *)base);
    case K_PALETTE: return parse_palette(v, n, (uint32_t *)base);
    }
    return -1;
}

static int parse_line(nb_settings *st, const char *line, size_t n)
{
    trim(&line, &n);
    if (n == 0 || line[0] == '#' || line[0] == ';' || line[0] == '[') return 0;
    const char *eq = memchr(line, '=', n);
    if (!eq) return 0;
    const char *key = line, *val = eq + 1;
    size_t kn = (size_t)(eq - line), vn = n - kn - 1;
    trim(&key, &kn);
    trim(&val, &vn);
    for (size_t i = 0; i < NB_ARRAY_LEN(fields); i++)
        if (token_is(key, kn, fields[i].key)) return apply(st, &fields[i], val, vn) == 0;
    return 0;
}

int nb_settings_parse(const char *text, size_t len, nb_settings *out)
{
    int applied = 0;
    NB_ASSERT(out && (text || len == 0));
    nb_settings_defaults(out);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) text += 3, len -= 3;  /* UTF-8 BOM */
    while (len) {
        const char *nl = memchr(text, '\n', len);
        size_t n = nl ? (size_t)(nl - text) : len;
        applied += parse_line(out, text, n);
        text += n;
        len -= n;
        if (nl) text++, len--;
    }
    return applied;
}

/* ---- formatting ---------------------------------------------------------------- */

typedef struct sink { char *buf; size_t cap, len; } sink;

static void put(sink *o, const char *fmt, ...) NB_PRINTF(2, 3);
static void put(sink *o, const char *fmt, ...)
{
    va_list ap;
    int fits = o->len < o->cap;
    va_start(ap, fmt);
    int n = vsnprintf(fits ? o->buf + o->len : NULL, fits ? o->cap - o->len : 0, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n;
}

static void put_color(sink *o, uint32_t rgba) { put(o, "#%08x", (unsigned)rgba); }

static void put_str(sink *o, const char *s, size_t cap)
{
    for (size_t i = 0; i < cap && s[i]; i++)
        if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f) put(o, "%c", s[i]);
}

size_t nb_settings_format(const nb_settings *s, char *buf, size_t cap)
{
    sink o = { buf, cap, 0 };
    NB_ASSERT(s && (buf || cap == 0));
    if (cap) buf[0] = '\0';
    put(&o, "# netboard settings: key=value, unknown keys are ignored.\n");
    for (size_t i = 0; i < NB_ARRAY_LEN(fields); i++) {
        const field *f = &fields[i];
        const char *base = (const char *)s + f->off;
        put(&o, "%s=", f->key);
        switch (f->kind) {
        case K_STR: put_str(&o, base, (size_t)f->hi); break;
        case K_INT: put(&o, "%d", *(const int *)base); break;
        case K_BOOL: put(&o, "%d", *(const int *)base != 0); break;
        case K_COLOR: put_color(&o, *(const uint32_t *)base); break;
        case K_PALETTE:
            for (int k = 0; k < NB_SETTINGS_PALETTE; k++) {
                if (k) put(&o, ",");
                put_color(&o, ((const uint32_t *)base)[k]);
            }
            break;
        }
        put(&o, "\n");
    }
    return o.len;
}

/* ---- files ------------------------------------------------------------------- */

static int settings_path(char *out, size_t cap, char *err)
{
    char dir[PATH_MAX];
    errno = 0;   /* nb_path_config_dir fails without errno when neither variable is set */
    if (nb_path_config_dir(dir, sizeof dir) < 0) {
        nb_set_error(err, "no config directory: set $XDG_CONFIG_HOME or $HOME (%s)",
                     errno ? strerror(errno) : "both unset");
        return -1;
    }
    int n = snprintf(out, cap, "%s/" NB_SETTINGS_FILE, dir);
    if (n < 0 || (size_t)n >= cap) {
        nb_set_error(err, "config path too long: %s", dir);
        return -1;
    }
    return 0;
}

int nb_settings_load(nb_settings *out, char *err)
{
    char path[PATH_MAX];
    uint8_t *text = NULL;
    size_t have = 0;

    nb_settings_defaults(out);
    if (settings_path(path, sizeof path, err) < 0) return -1;
    if (nb_read_file(path, NB_SETTINGS_FILE_MAX, &text, &have, err) < 0)
        return errno == ENOENT ? 0 : -1;     /* ENOENT: first run */
    nb_settings_parse((const char *)text, have, out);
    free(text);
    return 0;
}

int nb_settings_save(const nb_settings *s, char *err)
{
    char path[PATH_MAX], tmp[PATH_MAX + 8];
    char text[2048];     /* the longest settings (full host and name) need under 1 KiB */
    int fd = -1, rc = -1, have_tmp = 0;

    size_t len = nb_settings_format(s, text, sizeof text);
    NB_ASSERT(len < sizeof text);
    if (settings_path(path, sizeof path, err) < 0) return -1;
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    fd = mkostemp(tmp, O_CLOEXEC);      /* mode 0600: a name and hosts are nobody else's */
    if (fd < 0) {
        nb_set_error(err, "create %s: %s", tmp, strerror(errno));
        goto fail;
    }
    have_tmp = 1;
    if (nb_write_all(fd, text, len) < 0 || fsync(fd) < 0) {
        nb_set_error(err, "write %s: %s", tmp, strerror(errno));
        goto fail;
    }
    if (close(fd) < 0) {
        fd = -1;
        nb_set_error(err, "close %s: %s", tmp, strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        nb_set_error(err, "rename %s to %s: %s", tmp, path, strerror(errno));
        goto fail;
    }
    have_tmp = 0;
    rc = 0;
fail:
    if (fd >= 0) close(fd);
    if (have_tmp) unlink(tmp);
    return rc;
}
