/* nb_ui_ring.c — fixed ring of log lines; see nb_ui_ring.h. */
#include "nb_ui_ring.h"
#include "nb_common.h"

#include <string.h>

void nb_ui_ring_init(nb_ui_ring *r, char *store, int max_lines, int line_cap)
{
    NB_ASSERT(r && store && max_lines > 0 && line_cap > 1);
    memset(r, 0, sizeof *r);
    r->store = store;
    r->max_lines = max_lines;
    r->line_cap = line_cap;
}

void nb_ui_ring_clear(nb_ui_ring *r)
{
    r->head = 0;
    r->count = 0;
}

static void push_one(nb_ui_ring *r, const char *s, size_t n)
{
    int slot;
    if (r->count == r->max_lines) {
        slot = r->head;
        r->head = (r->head + 1) % r->max_lines;
    } else {
        slot = (r->head + r->count) % r->max_lines;
        r->count++;
    }
    if (n > (size_t)r->line_cap - 1) {
        n = (size_t)r->line_cap - 1;
        /* Cut before a continuation byte run so the stored line stays valid UTF-8. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    char *dst = r->store + (size_t)slot * (size_t)r->line_cap;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;   /* tabs, CR: keep one line */
    }
    dst[n] = '\0';
    r->total++;
}

void nb_ui_ring_push(nb_ui_ring *r, const char *text)
{
    NB_ASSERT(r && r->store && text);
    for (;;) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        push_one(r, text, n);
        if (!nl || !nl[1]) break;
        text = nl + 1;
    }
}

const char *nb_ui_ring_line(const nb_ui_ring *r, int i)
{
    if (i < 0 || i >= r->count) return NULL;
    return r->store + (size_t)((r->head + i) % r->max_lines) * (size_t)r->line_cap;
}
