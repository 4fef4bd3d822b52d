/* nb_common.c — error buffer and assertion helpers shared by every module. */
#include "nb_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "netboard: assertion failed: %s (%s:%d)\n", expr, file, line);
    abort();
}

void nb_set_error(char *err, const char *fmt, ...)
{
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, NB_ERR_LEN, fmt, ap);
    va_end(ap);
}

size_t nb_strlcpy(char *dst, const char *src, size_t cap)
{
    size_t n = strlen(src);
    if (cap) {
        size_t k = n < cap - 1 ? n : cap - 1;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}
