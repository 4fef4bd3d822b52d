/* diag_capture.h — test helper: an nb_diag_emit sink that keeps the lines, and
 * searches over them. Header-only so every diag test shares one copy. */
#ifndef DIAG_CAPTURE_H
#define DIAG_CAPTURE_H

#include <stdlib.h>
#include <string.h>

#include "nb_diag.h"

#define CAP_LINES 1024

typedef struct capture {
    char lines[CAP_LINES][NB_DIAG_LINE_MAX];
    size_t n, dropped;
} capture;

static inline capture *capture_new(void)
{
    capture *c = calloc(1, sizeof *c);
    if (!c) abort();
    return c;
}

static inline void capture_emit(void *ud, const char *line)
{
    capture *c = ud;
    if (c->n < CAP_LINES) {
        strncpy(c->lines[c->n], line, NB_DIAG_LINE_MAX - 1);
        c->n++;
    } else {
        c->dropped++;
    }
}

/* Index of the first line containing `needle`, or -1. */
static inline int capture_find(const capture *c, const char *needle)
{
    for (size_t i = 0; i < c->n; i++)
        if (strstr(c->lines[i], needle)) return (int)i;
    return -1;
}

/* Number of error lines. */
static inline size_t capture_errors(const capture *c)
{
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        if (strncmp(c->lines[i], NB_DIAG_ERR_PREFIX, strlen(NB_DIAG_ERR_PREFIX)) == 0) k++;
    return k;
}

#endif
