/* nb_outbox.c — the resend log; see nb_outbox.h. */
#include "nb_outbox.h"

#include <stdlib.h>
#include <string.h>

#include "nb_common.h"

void nb_outbox_init(nb_outbox *o) { memset(o, 0, sizeof *o); }

void nb_outbox_free(nb_outbox *o)
{
    free(o->items);
    memset(o, 0, sizeof *o);
}

int nb_outbox_append(nb_outbox *o, const nb_frame *f)
{
    NB_ASSERT(nb_frame_changes_board(f));
    if (o->len == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        nb_outbox_item *p = realloc(o->items, cap * sizeof *p);
        if (!p) return -1;
        o->items = p;
        o->cap = cap;
    }
    nb_outbox_item *it = &o->items[o->len++];
    memset(it, 0, sizeof *it);
    it->type = f->type;
    if (f->type == NB_FT_SEGMENT) {
        it->u.seg = f->u.seg;
        it->u.seg.author = 0;
    } else if (f->type != NB_FT_CLEAR) {
        it->u.stroke = f->u.undo.stroke;
    }
    return 0;
}

size_t nb_outbox_resume(nb_outbox *o, uint64_t held)
{
    if (!o->based || held < o->base) {
        o->base = held;
        o->based = 1;
    }
    uint64_t ours = held - o->base;
    o->next = ours < o->len ? (size_t)ours : o->len;
    return o->next;
}

size_t nb_outbox_pending(const nb_outbox *o) { return o->len - o->next; }

void nb_outbox_get(const nb_outbox *o, size_t i, nb_frame *out)
{
    NB_ASSERT(i < o->len);
    const nb_outbox_item *it = &o->items[i];
    memset(out, 0, sizeof *out);
    out->type = it->type;
    if (it->type == NB_FT_SEGMENT) out->u.seg = it->u.seg;
    else if (it->type != NB_FT_CLEAR) out->u.undo.stroke = it->u.stroke;
}

int nb_outbox_take(nb_outbox *o, nb_frame *out)
{
    if (o->next >= o->len) return 0;
    if (o->next < o->handed) o->resent++;
    nb_outbox_get(o, o->next++, out);
    if (o->next > o->handed) o->handed = o->next;
    return 1;
}
