/* nb_rawclient.h — the raw TCP client of the seed: connect to any host:port off the UI
 * thread, send text with the seed's exact bytes and no type byte (FIXED: 32 bytes
 * NUL-padded; VAR: text '\n'; MIX: u32 big-endian length + text), optionally half-close
 * after sending, and report what comes back as escaped text plus hexdump lines. Owns its
 * thread, socket and event queue.
 *
 * DESIGN: as nb_client. The receive thread owns the socket: it connects, then polls
 * {socket, wake eventfd}. Thread, event queue, eventfd and lock are an nb_worker
 * (nb_clientio.h). The caller's thread appends to `out` under `w.lock` and writes the
 * eventfd; the thread moves the bytes out under the lock and writes them unlocked.
 * Events go to the caller through the worker's nb_queue. Stop (nb_worker_stop) sets
 * `w.stopping`, wakes the thread, closes the queue and joins (at most one connect
 * attempt, connect_timeout_ms). */
#ifndef NB_RAWCLIENT_H
#define NB_RAWCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"

typedef struct nb_rawclient nb_rawclient;

#define NB_RAW_FIXED 'F'
#define NB_RAW_VAR 'V'
#define NB_RAW_MIX 'M'
#define NB_RAW_FIXED_LEN 32
#define NB_RAW_SEND_MAX (1u << 20)        /* text bytes per send */

#define NB_RAW_CLOSE_AFTER (1 << 0)       /* shutdown(SHUT_WR) once these bytes are out */

typedef struct nb_rawclient_opts {
    const char *host;          /* required */
    int port;                  /* required, 1..65535 */
    int connect_timeout_ms;    /* 0: 3000 */
    size_t queue_capacity;     /* events; 0: 1024 */
} nb_rawclient_opts;

typedef enum nb_rawclient_event_kind {
    NB_RAW_EV_CONNECTED = 1,   /* text: peer address */
    NB_RAW_EV_DATA,            /* bytes received: data/len/offset, text, hex */
    NB_RAW_EV_WRITE_CLOSED,    /* close-after-send done; text: how many bytes were sent */
    NB_RAW_EV_CLOSED,          /* connection over (or never made); text: why */
} nb_rawclient_event_kind;

typedef struct nb_rawclient_event {
    uint8_t kind;
    uint64_t offset;           /* DATA: stream offset of data[0] */
    size_t len;                /* DATA: bytes */
    uint8_t *data;             /* DATA: the bytes as received */
    char *text;                /* DATA: escaped (nb_text_escape); others: message
                                  (NULL only if memory ran out) */
    char *hex;                 /* DATA: hexdump -C lines with stream offsets */
} nb_rawclient_event;

/* Encode text in a framing into out[cap]: the exact bytes send puts on the wire.
 * Returns the length, or -1 with err filled (FIXED over 32 bytes, unknown framing,
 * text over NB_RAW_SEND_MAX, cap too small). */
int nb_rawclient_encode(char framing, const char *text, size_t len, uint8_t *out, size_t cap,
                        char *err);

nb_rawclient *nb_rawclient_start(const nb_rawclient_opts *o, char *err);
void nb_rawclient_stop(nb_rawclient *c);     /* NULL-tolerant */

/* Never blocks: queues the bytes (sent once connected). -1 with err filled when the
 * text is refused, the connection is over or the write side was closed. */
int nb_rawclient_send(nb_rawclient *c, char framing, const char *text, size_t len, int flags,
                      char *err);

size_t nb_rawclient_drain(nb_rawclient *c, nb_rawclient_event *out, size_t max);
void nb_rawclient_event_free(nb_rawclient_event *ev);

#endif
