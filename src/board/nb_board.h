/* nb_board.h — the board model: every stored segment in arrival order, grouped into
 * strokes (author, stroke id), with per-author undo/redo and a clear. Pure C, no SDL.
 * Owns the segment, stroke and author tables. Not thread-safe: one thread (the render
 * thread in the app, the relay thread in the server) owns a board.
 *
 * Change tracking for renderers: segments only ever append, so a renderer that remembers
 * how many it drew (nb_board_count) can draw the rest incrementally as long as the
 * board's epoch is unchanged. Undo, redo and clear change pixels already drawn, so they
 * move the board to a new epoch, which means "redraw everything". */
#ifndef NB_BOARD_H
#define NB_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "nb_types.h"

typedef struct nb_board nb_board;

typedef struct nb_board_opts {
    size_t max_segments;     /* 0: NB_BOARD_DEFAULT_MAX_SEGMENTS; adds beyond it fail */
} nb_board_opts;

#define NB_BOARD_DEFAULT_MAX_SEGMENTS (8u * 1024u * 1024u)

/* opts may be NULL (all defaults). NULL on allocation failure. */
nb_board *nb_board_create(const nb_board_opts *opts);
void nb_board_destroy(nb_board *b);

/* Append one segment (amortised O(1)). A segment whose (author, stroke) is new starts a
 * stroke and clears that author's redo stack. A segment of a stroke that is undone is
 * stored hidden. Laser segments are never stored. Returns 1 stored, 0 ignored (laser),
 * -1 on allocation failure or when max_segments is reached (board unchanged). */
int nb_board_add_segment(nb_board *b, const nb_segment *seg);

/* Hide `author`'s most recent visible stroke and push it on their redo stack. Returns the
 * stroke id hidden, or -1 if the author has nothing to undo. Cost: O(1) plus one step per
 * already-undone stroke of that author walked past. */
int64_t nb_board_undo(nb_board *b, uint16_t author);

/* Show again the stroke on top of `author`'s redo stack. Returns its id, or -1. O(1). */
int64_t nb_board_redo(nb_board *b, uint16_t author);

/* Apply an undo / redo of an explicit stroke, as received from the network. Idempotent:
 * returns 1 if visibility changed, 0 if the stroke was already in that state or is
 * unknown. apply_undo leaves the stroke on the author's redo stack, exactly as
 * nb_board_undo would have; apply_redo takes it off (O(redo stack depth)). */
int nb_board_apply_undo(nb_board *b, uint16_t author, uint32_t stroke);
int nb_board_apply_redo(nb_board *b, uint16_t author, uint32_t stroke);

/* Forget every segment, stroke and redo stack (capacity is kept for reuse). */
void nb_board_clear(nb_board *b);

/* Iterate visible segments in arrival order from index *pos (0 for all, or a previous
 * nb_board_count for the ones appended since). Returns 1 and fills *out, advancing *pos
 * past it; returns 0 at the end.
 *     size_t pos = 0; nb_segment s;
 *     while (nb_board_next(b, &pos, &s)) draw(&s); */
int nb_board_next(const nb_board *b, size_t *pos, nb_segment *out);

size_t nb_board_count(const nb_board *b);          /* stored segments, hidden included */
size_t nb_board_visible_count(const nb_board *b);  /* segments of visible strokes */
size_t nb_board_stroke_count(const nb_board *b);
size_t nb_board_memory(const nb_board *b);         /* bytes allocated by the tables */

/* Epoch: changes whenever already-drawn pixels may be wrong (undo, redo, clear); unique
 * across all boards in the process, so a renderer can also tell two boards apart.
 * Revision: changes on every modification, appends included. */
uint64_t nb_board_epoch(const nb_board *b);
uint64_t nb_board_revision(const nb_board *b);

#endif
