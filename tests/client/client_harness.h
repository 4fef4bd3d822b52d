/* client_harness.h — a headless board peer for tests and benchmarks: an nb_client whose
 * events go through nb_boardsync into its own nb_board exactly as the app's render loop
 * does (local strokes on the board at once and sent; W rebuilds from the history; T
 * kept), plus an order-independent hash of a board's visible segments so tests can
 * compare boards. Single-threaded use: one thread owns a th_peer. */
#ifndef CLIENT_HARNESS_H
#define CLIENT_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "nb_board.h"
#include "nb_boardsync.h"
#include "nb_client.h"

#define TH_CHATS 16

typedef struct th_chat {
    uint16_t author;
    uint8_t framing;
    uint32_t len;
    char text[80];             /* first bytes of the text */
} th_chat;

typedef struct th_peer {
    nb_client *c;
    nb_board *board;
    nb_boardsync sync;
    uint16_t author;           /* from the last W */
    int state;                 /* last STATE event */
    int welcomes, disconnects, synced;
    uint32_t history_expected, history_seen;   /* of the last W */
    uint64_t frames;           /* FRAME events applied */
    th_chat chat[TH_CHATS];
    int nchat;
    int errors;
    char last_reason[NB_ERR_LEN];
} th_peer;

/* 0, or -1 with err filled. */
int th_peer_start(th_peer *p, const nb_client_opts *o, char *err);
void th_peer_stop(th_peer *p);

/* Drain and apply every pending event; returns how many. */
size_t th_peer_pump(th_peer *p);

/* Pump the peers every few ms until pred(ctx) holds or timeout_ms passes. 1 if it
 * held. Bounded in time (and so in rounds). */
int th_wait(th_peer **peers, size_t n, int (*pred)(void *ctx), void *ctx, int timeout_ms);
int th_wait_connected(th_peer *p, int welcomes, int timeout_ms);

/* Draw segment i of a stroke the way the app does: into the own board at once (with the
 * own author id), then to the client. Returns the segment. */
nb_segment th_peer_draw(th_peer *p, uint32_t stroke, uint32_t i);
/* Undo the own latest stroke locally and send it; the stroke id or -1. */
int64_t th_peer_undo(th_peer *p);

/* Order-independent digest of the visible segments (a sum of per-segment FNV-1a
 * hashes, so arrival order does not matter) and their count. with_author 0 leaves the
 * author out (to compare against a server that renumbered). */
uint64_t th_board_hash(const nb_board *b, int with_author, size_t *count);

#endif
