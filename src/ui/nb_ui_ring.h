/* nb_ui_ring.h — a fixed ring of text lines for the log view: the caller provides the
 * storage, pushes lines (the oldest is dropped when full) and nb_ui_log reads them.
 * Not thread-safe: push from the render thread (drain the log queue there). */
#ifndef NB_UI_RING_H
#define NB_UI_RING_H

#include <stdint.h>

typedef struct nb_ui_ring {
    char *store;        /* max_lines * line_cap bytes, caller-owned */
    int line_cap;       /* bytes per line including the NUL */
    int max_lines;
    int head;           /* slot of the oldest line */
    int count;
    uint64_t total;     /* lines ever pushed: line i has sequence number total - count + i */
} nb_ui_ring;

void nb_ui_ring_init(nb_ui_ring *r, char *store, int max_lines, int line_cap);
void nb_ui_ring_clear(nb_ui_ring *r);
/* Appends one line per '\n'-separated part; long lines are cut at a UTF-8 boundary. */
void nb_ui_ring_push(nb_ui_ring *r, const char *text);
const char *nb_ui_ring_line(const nb_ui_ring *r, int i);   /* 0 = oldest, NULL if out of range */

#endif
