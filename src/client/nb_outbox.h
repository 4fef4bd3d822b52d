/* nb_outbox.h — the ordered log of board-changing frames (S non-laser, U, R, C) this
 * session sent, offline ones included, indexed by session sequence number. After a
 * (re)connect the server's W says how many it holds (`held`); exactly the entries with
 * index >= held go out again. Pure logic: no sockets, no locks (nb_client locks it). */
#ifndef NB_OUTBOX_H
#define NB_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "nb_proto.h"

/* One logged frame (28 bytes): the type and the fields the frame needs. */
typedef struct nb_outbox_item {
    uint8_t type;                 /* 'S' 'U' 'R' 'C' */
    union {
        nb_segment seg;           /* S */
        uint32_t stroke;          /* U R */
    } u;
} nb_outbox_item;

typedef struct nb_outbox {
    nb_outbox_item *items;
    size_t len, cap;
    size_t next;                  /* first entry not yet handed to the wire */
    size_t handed;                /* high-water mark of entries ever handed out */
    uint64_t resent;              /* entries handed out a second time (or more) */
    uint64_t base;                /* frames of this token the server held before us */
    int based;                    /* base is known (a first W was seen) */
} nb_outbox;

void nb_outbox_init(nb_outbox *o);
void nb_outbox_free(nb_outbox *o);

/* Append a frame for which nb_frame_changes_board is true (misuse otherwise). Authors are not
 * kept: the server stamps the sender's id. 0, or -1 when out of memory. */
int nb_outbox_append(nb_outbox *o, const nb_frame *f);

/* A new connection's W says the server holds `held` frames of this session token. The
 * first W fixes `base` = held: frames an earlier process sent with the same token (none
 * for a fresh token); ours are numbered after them. Later, held - base of ours are held
 * and the next entry to send is min(held - base, len). A server that restarted and holds
 * fewer than base has lost the earlier frames and then ours: base drops to held and
 * everything goes out again. Returns the index of the next entry to send. */
size_t nb_outbox_resume(nb_outbox *o, uint64_t held);

/* Entries not yet handed to the wire on this connection. */
size_t nb_outbox_pending(const nb_outbox *o);

/* Take the next pending entry as a frame (author 0) and advance. 1, or 0 if none. */
int nb_outbox_take(nb_outbox *o, nb_frame *out);

/* Entry i (0 <= i < len) as a frame, without moving anything. */
void nb_outbox_get(const nb_outbox *o, size_t i, nb_frame *out);

#endif
