/* nb_settings.h — the user's preferences, kept between runs in
 * $XDG_CONFIG_HOME/netboard/settings.ini as `key=value` lines. A plain struct, a pure
 * parser and formatter (tested on buffers), and load/save that never leave a half-written
 * file behind. Owns nothing at run time. */
#ifndef NB_SETTINGS_H
#define NB_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"

#define NB_SETTINGS_PALETTE 8
#define NB_SETTINGS_NAME_MAX 32     /* bytes, as NB_NAME_MAX on the wire */
#define NB_SETTINGS_HOST_MAX 255    /* bytes, a DNS name at most */
#define NB_SETTINGS_FILE "settings.ini"
#define NB_SETTINGS_FILE_MAX 65536  /* a bigger file is not ours: load refuses it */

typedef struct nb_settings {
    char name[NB_SETTINGS_NAME_MAX + 1];        /* display name; empty: $USER */
    char server_host[NB_SETTINGS_HOST_MAX + 1]; /* last board joined; empty: none */
    int server_port;                            /* 1..65535 */
    uint32_t pen_rgba;                          /* 0xRRGGBBAA */
    int pen_width;                              /* 1/1000 of the board height, 1..255 */
    uint32_t palette[NB_SETTINGS_PALETTE];      /* 0xRRGGBBAA each */
    int window_w, window_h;                     /* at least 320x240, at most 16384 */
    int fullscreen, announce, overlay;          /* 0 or 1 */
} nb_settings;

/* Factory values: port 49001, black 4/1000 pen, 1280x720 window, announce on. */
void nb_settings_defaults(nb_settings *out);

/* Parse settings text into *out, starting from defaults. `text` need not be
 * NUL-terminated and may hold anything: lines are `key = value` (spaces around both
 * trimmed, CRLF accepted); `#` and `;` lines and `[section]` lines are skipped; unknown
 * keys are ignored; a value out of range or malformed keeps that field's default.
 * Returns the number of keys that were applied. */
int nb_settings_parse(const char *text, size_t len, nb_settings *out);

/* Write *s as settings text that nb_settings_parse reads back to the same struct
 * (control characters in strings are dropped). Like snprintf: returns the length it
 * needs; the output is truncated (and NUL-terminated if cap > 0) when that is >= cap. */
size_t nb_settings_format(const nb_settings *s, char *buf, size_t cap);

/* Load from the config directory. A missing file is not an error (defaults, 0). On
 * error returns -1 with `err` filled and *out holding defaults. */
int nb_settings_load(nb_settings *out, char *err);

/* Save to the config directory: write a temporary file beside it, fsync, rename, so a
 * crash leaves either the old file or the new one. 0 or -1 with `err` filled. */
int nb_settings_save(const nb_settings *s, char *err);

#endif
