/* nb_client.h — the board client: one connection to a relay server over NBP/1, kept
 * alive across drops (reconnect with backoff, resend what the server lacks), with a
 * render-thread side that never blocks. Owns its network thread, the socket, the
 * decoder, the outbox of frames sent this session and the event queue.
 *
 * DESIGN: two threads touch a client. The network thread ("net thread" in comments) owns the
 * socket and the decoder: it connects with nb_sock_connect, sends the signature and H,
 * waits for W, then polls {socket, wake eventfd} with a timeout that is the next ping.
 * The render thread calls send_* and drain. The thread, the event queue, the eventfd
 * and the lock live in an nb_worker `w` (nb_clientio.h). `w.lock` guards the outbox,
 * the outbound buffer of ephemeral frames (chat, cursor, laser), the stats and the fd
 * as seen by nb_client_tcp_info; send_* append under it and write the eventfd, so they
 * never wait for the network. The net thread moves pending bytes out under the lock
 * and writes them unlocked. Events travel net -> render through an nb_queue (its own
 * lock); drain moves them all out in one lock hold. Stop (nb_worker_stop) sets
 * `w.stopping`, writes the eventfd and closes the queue (a net thread blocked on a full
 * queue wakes up), then joins: every wait in the net thread is a poll on the eventfd,
 * so stop takes at most one connect attempt slice (connect_timeout_ms, default 900 ms). */
#ifndef NB_CLIENT_H
#define NB_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"
#include "nb_proto.h"

struct tcp_info;
struct nb_counters;
struct nb_capture;

typedef struct nb_client nb_client;

typedef struct nb_client_opts {
    const char *host;          /* NULL or "": "127.0.0.1" */
    int port;                  /* 0: 49001 */
    const char *name;          /* display name, <= NB_NAME_MAX bytes; NULL: "anonymous" */
    uint64_t session;          /* 0: random (getrandom); keep it to be recognised later */
    size_t queue_capacity;     /* events; 0: 4096 */
    int connect_timeout_ms;    /* per attempt; 0: 900 (bounds how long stop can take) */
    int ping_interval_ms;      /* 0: 1000 */
    int idle_timeout_ms;       /* nothing received for this long = lost; 0: 10000 */
    int backoff_min_ms;        /* first retry delay; 0: 250 (doubles up to backoff_max) */
    int backoff_max_ms;        /* 0: 5000 */
    size_t send_buffer_max;    /* ephemeral bytes waiting (chat, cursor); 0: 1 MiB */
    struct nb_counters *counters; /* optional, caller-owned: frames/bytes in and out by class */
    struct nb_capture *capture;   /* optional, caller-owned: the last frames for an inspector */
} nb_client_opts;

typedef enum nb_client_state {
    NB_CLIENT_CONNECTING = 0,  /* resolving, connecting or waiting for W */
    NB_CLIENT_CONNECTED,       /* W received */
    NB_CLIENT_DISCONNECTED,    /* lost or refused; retrying after retry_ms */
    NB_CLIENT_STOPPED,         /* only in stats after the thread gave up (never by itself) */
} nb_client_state;

typedef enum nb_client_event_kind {
    NB_CLIENT_EV_STATE = 1,    /* u.state; text: reason (DISCONNECTED) or server address */
    NB_CLIENT_EV_WELCOME,      /* u.welcome; text: board name */
    NB_CLIENT_EV_FRAME,        /* u.frame (text in u.frame.text / text) */
    NB_CLIENT_EV_ERROR,        /* text */
    NB_CLIENT_EV_SYNCED,       /* the last history frame of this W has been delivered */
} nb_client_event_kind;

#define NB_CLIENT_INLINE_TEXT 40   /* text up to this many bytes lives in the event */

typedef struct nb_client_event {
    uint8_t kind;              /* nb_client_event_kind */
    uint8_t history;           /* FRAME: part of the history after W */
    union {
        struct { uint8_t state; int retry_ms; } state;
        struct {
            uint16_t author;
            uint64_t held;         /* as the server said */
            uint32_t history;      /* FRAME events with history = 1 follow, then SYNCED */
            uint64_t resend_from;  /* first own outbox entry the server lacks */
        } welcome;
        nb_frame frame;        /* frame.text == nb_client_event_text(ev) after drain */
    } u;
    uint32_t text_len;
    char *heap;                /* private: text longer than the inline buffer */
    char inline_text[NB_CLIENT_INLINE_TEXT + 1];
} nb_client_event;

typedef struct nb_client_stats {
    uint8_t state;             /* nb_client_state */
    uint16_t author;           /* from the last W; 0 before */
    uint64_t session;
    uint32_t rtt_last_us, rtt_min_us, rtt_avg_us, rtt_max_us;
    uint64_t rtt_samples;
    uint64_t frames_in, frames_out, bytes_in, bytes_out;
    uint64_t connects;         /* successful handshakes */
    uint64_t outbox_len, outbox_resent;
    char server_addr[80];      /* address of the current / last connection */
    int fd;                    /* connected socket, -1 when none (for display only) */
} nb_client_stats;

/* render thread */
nb_client *nb_client_start(const nb_client_opts *o, char *err);
void nb_client_stop(nb_client *c);              /* NULL-tolerant; joins within ~1 s */

/* Never block. Board-changing frames are logged in the outbox and sent (or resent
 * after a reconnect) whether or not the link is up; laser segments and cursors are
 * dropped while disconnected. 0, or -1 when out of memory. */
int nb_client_send_segment(nb_client *c, const nb_segment *seg);
int nb_client_send_undo(nb_client *c, uint32_t stroke);
int nb_client_send_redo(nb_client *c, uint32_t stroke);
int nb_client_send_clear(nb_client *c);
int nb_client_send_cursor(nb_client *c, uint16_t x, uint16_t y, uint8_t flags);
/* framing 'F' (<= 32 bytes), 'V' (<= 1024, no '\n'), 'M' (<= 65536); valid UTF-8 without
 * NUL. -1 with a message in err when the text breaks a limit or no link is up. */
int nb_client_send_chat(nb_client *c, char framing, const char *text, char *err);
/* The limits send_chat applies, for a UI that wants to warn while the user types. */
int nb_client_chat_check(char framing, const char *text, size_t len, char *err);

/* Move up to max pending events into out in one lock hold; never blocks. Free each with
 * nb_client_event_free after use. */
size_t nb_client_drain(nb_client *c, nb_client_event *out, size_t max);
void nb_client_event_free(nb_client_event *ev);
const char *nb_client_event_text(const nb_client_event *ev);   /* "" if none */
const char *nb_client_state_name(int state);

/* The own board-changing frames, in the order sent: entries [from, from + max) of the
 * outbox copied to out (author 0: stamp the W's author). Returns how many; with
 * nb_client_outbox_len (the number of entries) this lets the render thread re-apply the
 * frames a reconnected server lacks (see nb_boardsync.h). */
size_t nb_client_outbox_read(nb_client *c, size_t from, nb_frame *out, size_t max);
size_t nb_client_outbox_len(nb_client *c);

/* Teaching aid: hold this client's outgoing board frames (S, U, R, C) for delay_ms and
 * release at most rate_pps per second (0: no delay / no cap). Nothing is dropped; held
 * frames go out later, in order. Any thread. */
void nb_client_set_shaping(nb_client *c, uint32_t delay_ms, uint32_t rate_pps);
size_t nb_client_shaper_held(nb_client *c);   /* frames waiting in the shaper */

/* Any thread. */
void nb_client_get_stats(nb_client *c, nb_client_stats *out);
/* TCP_INFO and SO_SNDBUF / SO_RCVBUF of the live socket (read under the lock; any
 * pointer may be NULL). 0, or -1 with err filled when not connected. */
int nb_client_tcp_info(nb_client *c, struct tcp_info *out, int *sndbuf, int *rcvbuf, char *err);

#endif
