/* nb_testclient.h — a small blocking NBP/1 client for the relay tests: connect, hello,
 * send frames, receive frames with a poll timeout (bounded, never hangs), raw text peers.
 * Test-only; every wait is bounded by a deadline. */
#ifndef NB_TESTCLIENT_H
#define NB_TESTCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "nb_proto.h"

#define TC_WAIT_MS 3000   /* default bound on any wait */

typedef struct tc {
    int fd;
    nb_decoder dec;
    uint8_t buf[64 * 1024];
    size_t pos, len;              /* buffered, not yet decoded: buf[pos, len) */
    /* from W */
    uint16_t author;
    uint64_t held;
    uint32_t history;
    char board[NB_BOARD_NAME_MAX + 1];
} tc;

/* Connect to 127.0.0.1:port; expect_sig: decoder consumes the server's signature. */
int tc_connect(tc *c, int port, int rcvbuf);
/* Connect, send signature + H, read the signature and W. 0 / -1. */
int tc_join(tc *c, int port, uint64_t token, const char *name);
void tc_close(tc *c);

int tc_send_bytes(tc *c, const void *data, size_t n);
int tc_send(tc *c, const nb_frame *f);
int tc_send_hello(tc *c, uint64_t token, const char *name);
int tc_send_segment(tc *c, uint16_t author, uint32_t stroke, uint8_t flags);
int tc_send_text(tc *c, uint8_t type, const char *text);   /* F V M */

/* 1 frame (text valid until the next call), 0 timeout, -1 EOF / error / bad stream. */
int tc_recv(tc *c, nb_frame *f, int timeout_ms);
/* Skips other frames (J, L, ...) until one of `type`; 1 / 0 / -1 like tc_recv. */
int tc_recv_type(tc *c, uint8_t type, nb_frame *f, int timeout_ms);
/* P → Q round trip: everything sent before has been processed by the server. 0 / -1. */
int tc_sync(tc *c);
/* Reads (skipping frames) until EOF: 1 closed, 0 still open at the deadline. */
int tc_wait_closed(tc *c, int timeout_ms);

/* Raw text peer. */
typedef struct rawc {
    int fd;
    char buf[4096];
    size_t len;
} rawc;

int raw_connect(rawc *r, int port);
int raw_send(rawc *r, const char *text);
/* Next '\n' line without the '\n' into out[cap]: 1, 0 timeout, -1 EOF. */
int raw_readline(rawc *r, char *out, size_t cap, int timeout_ms);
/* Skips lines until one starting with `prefix`: 1 / 0 / -1. */
int raw_expect(rawc *r, const char *prefix, char *out, size_t cap, int timeout_ms);
void raw_close(rawc *r);

#endif
