/* nb_boardsync.h — keeps the render thread's nb_board equal to the relay's board through
 * a board client's events. Each W announces that the history after it is the whole
 * board, so the board is cleared and rebuilt from it; at SYNCED the own frames the server
 * did not hold yet (resent by the client) are re-applied on top. Local drawing goes
 * through here too, so board and outbox see the same frames. Render thread only; owns
 * nothing (the board and the client belong to the caller). */
#ifndef NB_BOARDSYNC_H
#define NB_BOARDSYNC_H

#include <stddef.h>
#include <stdint.h>

#include "nb_board.h"
#include "nb_client.h"

typedef struct nb_boardsync {
    uint16_t author;           /* own id from the last W; 0 before the first */
    int synced;                /* the last W's history has been applied */
    size_t replay_from, replay_to;   /* own outbox entries to re-apply at SYNCED */
} nb_boardsync;

void nb_boardsync_init(nb_boardsync *s);

/* Apply one drained event to the board. Returns 1 if the board changed (a renderer
 * redraws on a new nb_board_epoch anyway; this is for counters and tests). */
int nb_boardsync_apply(nb_boardsync *s, nb_client *c, nb_board *b, const nb_client_event *ev);

/* Local actions: applied to the board at once, then handed to the client (never
 * blocks). draw stamps seg->author with the own id. undo/redo return the stroke id or -1
 * when there is nothing to undo/redo. 0 / -1 (out of memory) for draw and clear. */
int nb_boardsync_draw(nb_boardsync *s, nb_client *c, nb_board *b, nb_segment *seg);
int64_t nb_boardsync_undo(nb_boardsync *s, nb_client *c, nb_board *b);
int64_t nb_boardsync_redo(nb_boardsync *s, nb_client *c, nb_board *b);
int nb_boardsync_clear(nb_boardsync *s, nb_client *c, nb_board *b);

#endif
