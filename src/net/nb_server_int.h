/* nb_server_int.h — the relay's private state, shared by nb_server.c (threads, epoll,
 * flushing, status) and nb_server_conn.c (per-connection protocol). Everything here is
 * touched only by the I/O thread, with the server lock held, except where noted. */
#ifndef NB_SERVER_INT_H
#define NB_SERVER_INT_H

#include <pthread.h>

#include "nb_journal.h"
#include "nb_server.h"

/* A byte buffer with a consumed prefix: data [off, len) is still to be sent. */
typedef struct nb_buf {
    uint8_t *p;
    size_t off, len, cap;
} nb_buf;

int nb_buf_append(nb_buf *b, const void *data, size_t n);   /* 0 / -1 (out of memory) */
static inline size_t nb_buf_pending(const nb_buf *b) { return b->len - b->off; }
void nb_buf_consume(nb_buf *b, size_t n);
void nb_buf_free(nb_buf *b);

typedef enum {
    CONN_FIRST,     /* nothing read yet: board (0x89) or raw? */
    CONN_SIG,       /* reading the 4-byte signature */
    CONN_HELLO,     /* signature answered, waiting for H */
    CONN_BOARD,     /* joined board client */
    CONN_RAW,       /* joined raw text peer */
    CONN_LINGER,    /* error sent: flush, shut down writing, discard input until EOF */
    CONN_DEAD,      /* queued for reaping at the end of this wake-up */
} conn_state;

typedef struct conn {
    int fd, idx;                  /* idx: position in server->conns */
    conn_state state;
    int joined;                   /* counted in clients, announced with J */
    int epollout;                 /* EPOLLOUT currently registered */
    int dirty;                    /* on the dirty list */
    int wr_shut;                  /* shutdown(SHUT_WR) done (lingering) */
    int urgent;                   /* an E or Q is queued: not held by flush_delay */
    uint64_t last_send_ns;        /* nb_time_ns of the last sendmsg, for flush_delay */
    struct conn *next_dirty, *next_dead;
    uint16_t author;
    uint32_t session;             /* index into server->sessions */
    char name[NB_SERVER_NAME_LEN];
    char addr[NB_SOCK_ADDR_LEN];
    uint8_t sig[NB_SIG_LEN];
    uint32_t sig_have;
    nb_decoder dec;
    nb_linebuf *lb;               /* raw peers only */
    nb_buf pre;                   /* signature + W (+ history copied on clear): before history */
    size_t hist_off, hist_end;    /* history replay still owed: [hist_off, hist_end) */
    nb_buf out;                   /* live frames, bounded by out_limit */
    uint64_t deadline_ms;         /* handshake or linger deadline, 0 = none */
    uint64_t frames_in, frames_out, bytes_in, bytes_out;
    uint64_t last[4];             /* the four counters at the previous one-second tick */
    uint32_t rate[4];             /* fps_in, fps_out, bps_in, bps_out */
} conn;

typedef struct session {
    uint64_t token;               /* 0: anonymous (raw peers, token-less clients) */
    uint64_t held;                /* board-changing frames accepted from this token */
} session;

struct nb_server {
    nb_server_opts opts;
    char board_name[NB_BOARD_NAME_MAX + 1];
    int port;
    int listen_fd, stop_fd, epoll_fd;
    int handoff[2];               /* accept thread writes fds into [1], I/O reads [0] */
    pthread_t accept_thread, io_thread;
    int threads_started;

    pthread_mutex_t lock;         /* status readers vs the I/O thread */
    /* ---- under lock (written by the I/O thread only) ---- */
    conn **conns;
    int nconns, conns_cap, clients;
    uint64_t accepted, frames_in, frames_out, bytes_in, bytes_out, dropped;
    nb_buf history;               /* encoded frames; off is always 0 */
    uint32_t history_frames, segments;
    /* ---- I/O thread only ---- */
    nb_journal *journal;          /* NULL without journal_path; opened before the threads */
    session *sessions;
    uint32_t nsessions, sessions_cap;
    uint16_t host_author;         /* 0 until known */
    conn *dirty_head, *dead_head;
    uint64_t flush_delay_ns;      /* 0: never hold a flush */
    int no_pwait2;                /* epoll_pwait2 said ENOSYS: epoll_wait, ms timeouts */
    nb_buf batch;                 /* consecutive relays from one sender, appended to each */
    const conn *batch_from;       /* peer at once instead of frame by frame (see relay) */
    uint32_t batch_frames;
    uint8_t rbuf[64 * 1024];
    uint8_t enc[NB_FRAME_MAX + 256];   /* one encoded frame, or one raw chat line */
};

/* nb_server_conn.c: protocol side, called by the I/O loop. */
conn *nb_conn_new(nb_server *s, int fd);
void nb_conn_free(conn *c);
void nb_conn_feed(nb_server *s, conn *c, const uint8_t *data, size_t len);
void nb_conn_tick(nb_server *s, conn *c, uint64_t now_ms);   /* deadlines */
void nb_conn_leave(nb_server *s, conn *c);   /* announce a departing joined peer */
void nb_conn_shutdown_notice(nb_server *s, conn *c);

/* nb_server.c: services the protocol side uses. */
void nb_server_mark_dirty(nb_server *s, conn *c);
void nb_server_kill(nb_server *s, conn *c, const char *why);  /* close at end of wake-up */
/* Append `frames` frames (n bytes) to a peer's live buffer; drops the peer (deferred)
 * when over out_limit. */
void nb_server_send(nb_server *s, conn *c, const void *data, size_t n, uint32_t frames);
void nb_conn_batch_flush(nb_server *s);
/* Grow the session table to hold n entries (new ones anonymous). 0 / -1. */
int nb_server_sessions_reserve(nb_server *s, uint32_t n);

/* nb_server_journal.c: the board's durability (no-ops without a journal). */
int nb_server_journal_open(nb_server *s, const char *path, char *err);   /* replays it */
/* Record an accepted board change (enc[0..n), author rewritten) before c's held count
 * is incremented; a C compacts the journal. */
void nb_server_journal_change(nb_server *s, const conn *c, const nb_frame *f,
                              const uint8_t *enc, size_t n);

#endif
