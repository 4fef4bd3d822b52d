/* nb_path.h — where netboard finds its assets and keeps its files: the data directory
 * (fonts, icons) in the build tree or under /usr/share/netboard, and the XDG config and
 * data directories. Owns nothing. */
#ifndef NB_PATH_H
#define NB_PATH_H

#include <stddef.h>

/* Directory holding fonts/ and the other assets, without trailing slash. Tries, in order:
 * $NETBOARD_DATA_DIR, <exe dir>/../share/netboard, <exe dir>/assets, the source tree's
 * assets/ (compiled in). Returns 0 and fills `out`, or -1 if none holds fonts/. */
int nb_path_data_dir(char *out, size_t cap);

/* Full path of an asset, e.g. nb_path_asset("fonts/DejaVuSans.ttf", buf, sizeof buf). */
int nb_path_asset(const char *rel, char *out, size_t cap);

/* $XDG_CONFIG_HOME/netboard (or ~/.config/netboard) and $XDG_DATA_HOME/netboard
 * (or ~/.local/share/netboard); created with mode 0700 if missing. 0 or -1. */
int nb_path_config_dir(char *out, size_t cap);
int nb_path_user_data_dir(char *out, size_t cap);

#endif
