/* nb_path.c — asset and XDG directory lookup; see nb_path.h. */
#include "nb_path.h"
#include "nb_common.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NB_SOURCE_ASSETS
#define NB_SOURCE_ASSETS ""
#endif

static int has_fonts(const char *dir)
{
    char p[PATH_MAX + 64];
    struct stat st;
    if (!dir || !*dir) return 0;
    snprintf(p, sizeof p, "%s/fonts", dir);
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exe_dir(char *out, size_t cap)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return -1;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash) return -1;
    *slash = '\0';
    nb_strlcpy(out, buf, cap);
    return 0;
}

int nb_path_data_dir(char *out, size_t cap)
{
    char exe[PATH_MAX], cand[PATH_MAX + 32];
    const char *env = getenv("NETBOARD_DATA_DIR");
    if (has_fonts(env)) {
        nb_strlcpy(out, env, cap);
        return 0;
    }
    if (exe_dir(exe, sizeof exe) == 0) {
        snprintf(cand, sizeof cand, "%s/../share/netboard", exe);
        if (has_fonts(cand)) {
            nb_strlcpy(out, cand, cap);
            return 0;
        }
        snprintf(cand, sizeof cand, "%s/assets", exe);
        if (has_fonts(cand)) {
            nb_strlcpy(out, cand, cap);
            return 0;
        }
    }
    if (has_fonts(NB_SOURCE_ASSETS)) {
        nb_strlcpy(out, NB_SOURCE_ASSETS, cap);
        return 0;
    }
    return -1;
}

int nb_path_asset(const char *rel, char *out, size_t cap)
{
    char dir[PATH_MAX + 64];
    if (nb_path_data_dir(dir, sizeof dir) < 0) return -1;
    int n = snprintf(out, cap, "%s/%s", dir, rel);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

/* mkdir -p for a path we build ourselves (at most a few components below $HOME). */
static int make_dirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(path, 0700) < 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return (mkdir(path, 0700) < 0 && errno != EEXIST) ? -1 : 0;
}

static int xdg_dir(const char *var, const char *fallback, char *out, size_t cap)
{
    const char *base = getenv(var);
    const char *home = getenv("HOME");
    int n;
    if (base && base[0] == '/')
        n = snprintf(out, cap, "%s/netboard", base);
    else if (home && *home)
        n = snprintf(out, cap, "%s/%s/netboard", home, fallback);
    else
        return -1;
    if (n < 0 || (size_t)n >= cap) return -1;
    return make_dirs(out);
}

int nb_path_config_dir(char *out, size_t cap) { return xdg_dir("XDG_CONFIG_HOME", ".config", out, cap); }
int nb_path_user_data_dir(char *out, size_t cap) { return xdg_dir("XDG_DATA_HOME", ".local/share", out, cap); }
