/* bench_join.h — a late joiner as the app is one: an nb_client whose drained events are
 * applied to an nb_board by nb_boardsync, timed from nb_client_start until the board holds
 * the whole history (SYNCED seen, segment count reached). Owns the client it starts. */
#ifndef BENCH_JOIN_H
#define BENCH_JOIN_H

#include <stdint.h>

#include "nb_board.h"

typedef struct bench_join {
    nb_board *board;           /* caller destroys it */
    double ms;                 /* nb_client_start to board complete */
    uint64_t events;           /* drained */
} bench_join;

/* Joins 127.0.0.1:port and waits (bounded: 60 s) for `segments` segments on the board.
 * Dies on failure. The client is stopped before returning. */
void bench_join_board(int port, uint64_t segments, bench_join *out);

#endif
