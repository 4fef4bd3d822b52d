/* nb_server.h — the NBP/1 relay: accepts board clients and raw text peers, rewrites
 * authors, relays segments/undo/clear/cursors/chat, keeps the board history for late
 * joiners and reports live status. Owns its listening socket, connections and threads.
 *
 * DESIGN. Two threads. The accept thread polls the listening socket and the stop eventfd;
 * each accepted fd (non-blocking, TCP_NODELAY, keepalive) is written as an int into a
 * hand-off pipe, so accepting never takes the lock. The I/O thread owns everything else:
 * one level-triggered epoll over the hand-off pipe, the stop eventfd and every connection;
 * each connection's state machine (first byte 0x89 → board client with nb_decoder; any
 * other byte, or raw_detect_ms of silence → raw text peer with nb_linebuf), its outbound
 * buffer, the session table and the board history (one contiguous buffer of encoded
 * frames; a joiner is sent W, then the history by offset straight from that buffer, then
 * live frames from its own buffer, all in one gathering write). Per wake-up the I/O thread
 * takes the server lock once, reads every ready socket (bounded per socket), relays into
 * the peers' buffers, flushes each touched peer that is due with one sendmsg (a peer sent
 * less than flush_delay_us ago stays dirty and the wait is shortened to when it is due;
 * handshakes, history, E, Q and closing peers are never held), reaps closed ones and
 * drops the lock before epoll_pwait2 again. The lock guards what nb_server_status_get reads
 * (connection list, counters, history size); the status reader is the only other thread
 * that takes it. nb_server_stop writes the stop eventfd, joins both threads (each wakes
 * at once), then closes every socket on the caller's thread. */
#ifndef NB_SERVER_H
#define NB_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"
#include "nb_proto.h"
#include "nb_sock.h"

#define NB_SERVER_DEFAULT_PORT 49001
#define NB_SERVER_STATUS_CLIENTS 64   /* per-client lines in one status snapshot */
#define NB_SERVER_NAME_LEN (NB_NAME_MAX + NB_SOCK_ADDR_LEN)  /* display name or "raw@ip:port" */

typedef struct nb_server nb_server;

typedef struct nb_server_opts {
    int port;                  /* 0 → NB_SERVER_DEFAULT_PORT (49001) */
    int ephemeral;             /* 1 → bind port 0 (tests); read it back with nb_server_port */
    const char *bind;          /* NULL/"" → "::" dual-stack (0.0.0.0 if no IPv6) */
    const char *name;          /* board name sent in W; NULL → "netboard" */
    int max_clients;           /* joined peers (board + raw); 0 → 64 */
    size_t out_limit_bytes;    /* per-peer live outbound bound, history replay excluded; 0 → 8 MiB */
    size_t history_limit_bytes;/* board history bound; 0 → 256 MiB (then board changes are refused) */
    int allow_clear_from_host_only; /* C from anyone but the host → E NOT_ALLOWED */
    uint64_t host_token;       /* the host's session token; 0 → the first session to say H */
    int handshake_timeout_ms;  /* no complete hello in time → closed; 0 → 10000 */
    int raw_detect_ms;         /* silent this long after connecting → raw peer; 0 → 250 */
    const char *journal_path;  /* NULL/"" → no journal; else the board and its sessions are
                                  appended there, replayed on start (nb_journal.h) */
    int user_timeout_ms;       /* TCP_USER_TIMEOUT + keepalive bound on a vanished peer; 0 → 20000 */
    int flush_delay_us;        /* live frames to a joined peer sent within this long of its
                                  previous send wait for it (or 16 KiB), so a storm costs one
                                  send per peer per delay, not one per frame; an idle peer is
                                  sent at once. 0 → 500, negative → always at once */
} nb_server_opts;

typedef enum { NB_PEER_BOARD = 0, NB_PEER_RAW = 1 } nb_peer_kind;

typedef struct nb_server_client_status {
    uint16_t author;
    nb_peer_kind kind;
    char name[NB_SERVER_NAME_LEN];     /* raw peers: "raw@ip:port" */
    char addr[NB_SOCK_ADDR_LEN];
    uint64_t frames_in, frames_out, bytes_in, bytes_out;   /* since it connected */
    uint32_t fps_in, fps_out, bps_in, bps_out;             /* over the last second */
    size_t out_queued;                 /* live bytes waiting in its outbound buffer */
} nb_server_client_status;

typedef struct nb_server_status {
    int port;
    int connections;           /* open sockets, handshaking and closing ones included */
    int clients;               /* joined peers (board + raw); `client` lists the first 64 */
    uint64_t accepted;         /* connections accepted since start */
    uint64_t frames_in, frames_out, bytes_in, bytes_out;
    uint64_t dropped;          /* peers closed for bad input or slow reading */
    uint32_t history_frames;   /* board history: frames a joiner is sent */
    uint32_t segments;         /* of which S frames */
    size_t history_bytes;
    nb_server_client_status client[NB_SERVER_STATUS_CLIENTS];
} nb_server_status;

/* Binds, starts both threads and returns the server, or NULL with err filled. */
nb_server *nb_server_start(const nb_server_opts *opts, char *err);

/* Signals the stop event, shuts every connection down (board clients get E SHUTDOWN
 * when their buffer has room), joins both threads and frees everything. NULL is a no-op. */
void nb_server_stop(nb_server *s);

int nb_server_port(const nb_server *s);

/* Consistent snapshot taken under the server lock; any thread. */
void nb_server_status_get(nb_server *s, nb_server_status *st);

#endif
