/* nb_boardsync.c — W / history / SYNCED handling for a board; see nb_boardsync.h. */
#include "nb_boardsync.h"

#include <string.h>

void nb_boardsync_init(nb_boardsync *s) { memset(s, 0, sizeof *s); }

/* Board-changing frames only; author already stamped. 1 if the board changed. */
static int apply_frame(nb_board *b, const nb_frame *f)
{
    switch (f->type) {
    case NB_FT_SEGMENT: return nb_board_add_segment(b, &f->u.seg) == 1;
    case NB_FT_UNDO: return nb_board_apply_undo(b, f->u.undo.author, f->u.undo.stroke) == 1;
    case NB_FT_REDO: return nb_board_apply_redo(b, f->u.undo.author, f->u.undo.stroke) == 1;
    case NB_FT_CLEAR: nb_board_clear(b); return 1;
    default: return 0;
    }
}

/* Own frames the server lacked at W: it gets them after its history, so they go on
 * top of the rebuilt board in the order they were drawn. */
static int replay_own(nb_boardsync *s, nb_client *c, nb_board *b)
{
    nb_frame f[128];
    int changed = 0;
    size_t at = s->replay_from;
    while (at < s->replay_to) {
        size_t want = NB_MIN(s->replay_to - at, NB_ARRAY_LEN(f));
        size_t n = nb_client_outbox_read(c, at, f, want);
        if (n == 0) break;
        for (size_t i = 0; i < n; i++) {
            if (f[i].type == NB_FT_SEGMENT) f[i].u.seg.author = s->author;
            else f[i].u.undo.author = s->author;   /* U R C: author is the first field */
            changed |= apply_frame(b, &f[i]);
        }
        at += n;
    }
    return changed;
}

int nb_boardsync_apply(nb_boardsync *s, nb_client *c, nb_board *b, const nb_client_event *ev)
{
    switch (ev->kind) {
    case NB_CLIENT_EV_WELCOME:
        /* Entries up to the current outbox length are already on this board; the clear
         * drops them, so those the server lacks are re-applied at SYNCED. Frames drawn
         * after this point go on the rebuilt board directly. */
        s->author = ev->u.welcome.author;
        s->synced = 0;
        s->replay_from = (size_t)ev->u.welcome.resend_from;
        s->replay_to = nb_client_outbox_len(c);
        nb_board_clear(b);
        return 1;
    case NB_CLIENT_EV_SYNCED:
        s->synced = 1;
        return replay_own(s, c, b);
    case NB_CLIENT_EV_FRAME: return apply_frame(b, &ev->u.frame);
    default: return 0;
    }
}

int nb_boardsync_draw(nb_boardsync *s, nb_client *c, nb_board *b, nb_segment *seg)
{
    seg->author = s->author;
    if (nb_board_add_segment(b, seg) < 0) return -1;
    return nb_client_send_segment(c, seg);
}

int64_t nb_boardsync_undo(nb_boardsync *s, nb_client *c, nb_board *b)
{
    int64_t stroke = nb_board_undo(b, s->author);
    if (stroke >= 0 && nb_client_send_undo(c, (uint32_t)stroke) != 0) return -1;
    return stroke;
}

int64_t nb_boardsync_redo(nb_boardsync *s, nb_client *c, nb_board *b)
{
    int64_t stroke = nb_board_redo(b, s->author);
    if (stroke >= 0 && nb_client_send_redo(c, (uint32_t)stroke) != 0) return -1;
    return stroke;
}

int nb_boardsync_clear(nb_boardsync *s, nb_client *c, nb_board *b)
{
    (void)s;
    nb_board_clear(b);
    return nb_client_send_clear(c);
}
