/* nb_server.c — the relay's threads: accept loop, epoll I/O loop, one sendmsg per dirty
 * peer when it is due (coalesced by flush_delay_us), deferred closing, status snapshots,
 * start and stop. The protocol itself lives in nb_server_conn.c. */
#include "nb_server_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "nb_log.h"
#include "nb_time.h"

#define DEFAULT_MAX_CLIENTS 64
#define DEFAULT_OUT_LIMIT (8u << 20)
#define DEFAULT_HISTORY_LIMIT ((size_t)256 << 20)
#define DEFAULT_HANDSHAKE_MS 10000
#define READ_BUDGET (256 * 1024)   /* per socket per wake-up, so one sender can't starve others */
#define MAX_EVENTS 256
#define TICK_MS 100          /* deadlines */
#define RATE_MS 1000         /* per-client rates */
#define DEFAULT_RAW_DETECT_MS 250
#define DEFAULT_USER_TIMEOUT_MS 20000
#define DEFAULT_FLUSH_DELAY_US 500
#define FLUSH_BYTES (16 * 1024)   /* this much live output is sent without waiting */
/* Sockets beyond the joined-client limit still get a chance to be told "server full";
 * past this many open sockets new ones are closed on arrival. */
#define EXTRA_SOCKETS 64

static int tag_stop, tag_handoff;   /* epoll data.ptr markers for the two control fds */

/* ---- nb_buf ------------------------------------------------------------------- */

int nb_buf_append(nb_buf *b, const void *data, size_t n)
{
    if (b->off == b->len) b->off = b->len = 0;
    if (b->len + n > b->cap) {
        if (b->off > 0 && b->off >= b->len / 2) {   /* reclaim the sent prefix first */
            memmove(b->p, b->p + b->off, b->len - b->off);
            b->len -= b->off;
            b->off = 0;
        }
        if (b->len + n > b->cap) {
            size_t cap = b->cap ? b->cap : 4096;
            while (cap < b->len + n) cap += cap / 2;
            uint8_t *p = realloc(b->p, cap);
            if (!p) return -1;
            b->p = p;
            b->cap = cap;
        }
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

void nb_buf_consume(nb_buf *b, size_t n)
{
    NB_ASSERT(n <= nb_buf_pending(b));
    b->off += n;
    if (b->off == b->len) b->off = b->len = 0;
}

void nb_buf_free(nb_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ---- services for nb_server_conn.c --------------------------------------------- */

void nb_server_mark_dirty(nb_server *s, conn *c)
{
    if (c->dirty || c->state == CONN_DEAD) return;
    c->dirty = 1;
    c->next_dirty = s->dirty_head;
    s->dirty_head = c;
}

void nb_server_kill(nb_server *s, conn *c, const char *why)
{
    if (c->state == CONN_DEAD) return;
    if (why) nb_info("server: closing %s (%s): %s", c->addr, c->name, why);
    c->state = CONN_DEAD;
    c->next_dead = s->dead_head;
    s->dead_head = c;
}

void nb_server_send(nb_server *s, conn *c, const void *data, size_t n, uint32_t frames)
{
    if (c->state == CONN_DEAD) return;
    if (nb_buf_pending(&c->out) + n > s->opts.out_limit_bytes) {
        s->dropped++;
        nb_warn("server: %s (%s) stopped reading: %zu bytes queued, dropping it",
                c->addr, c->name, nb_buf_pending(&c->out));
        nb_server_kill(s, c, NULL);
        return;
    }
    if (nb_buf_append(&c->out, data, n) != 0) {
        nb_server_kill(s, c, "out of memory");
        return;
    }
    c->frames_out += frames;
    s->frames_out += frames;
    /* E and Q (sent alone, never batched) answer this peer: not worth holding. Raw peers'
     * bytes are text, not frames. */
    if (n && c->state != CONN_RAW && (*(const uint8_t *)data == NB_FT_ERROR ||
                                      *(const uint8_t *)data == NB_FT_PONG))
        c->urgent = 1;
    nb_server_mark_dirty(s, c);
}

/* ---- I/O thread ------------------------------------------------------------------ */

static void set_epollout(nb_server *s, conn *c, int on)
{
    if (c->epollout == on) return;
    struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) == 0) c->epollout = on;
}

/* One gathering sendmsg of everything owed to c, in order: pre (signature, W), the
 * history replay, live frames. */
static void conn_flush(nb_server *s, conn *c, uint64_t now_ns)
{
    c->urgent = 0;
    c->last_send_ns = now_ns;
    for (int round = 0; round < 4 && c->state != CONN_DEAD; round++) {
        struct iovec iov[3];
        int n = 0;
        if (nb_buf_pending(&c->pre))
            iov[n++] = (struct iovec){ c->pre.p + c->pre.off, nb_buf_pending(&c->pre) };
        if (c->hist_off < c->hist_end)
            iov[n++] = (struct iovec){ s->history.p + c->hist_off, c->hist_end - c->hist_off };
        if (nb_buf_pending(&c->out))
            iov[n++] = (struct iovec){ c->out.p + c->out.off, nb_buf_pending(&c->out) };
        if (n == 0) break;
        /* sendmsg rather than writev: MSG_NOSIGNAL, so a vanished peer is EPIPE, not SIGPIPE */
        struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)n };
        ssize_t w = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (w < 0) {
            nb_server_kill(s, c, strerror(errno));
            return;
        }
        size_t left = (size_t)w;
        c->bytes_out += left;
        s->bytes_out += left;
        size_t k = NB_MIN(left, nb_buf_pending(&c->pre));
        nb_buf_consume(&c->pre, k);
        left -= k;
        k = NB_MIN(left, c->hist_end - c->hist_off);
        c->hist_off += k;
        left -= k;
        nb_buf_consume(&c->out, left);
    }
    if (c->state == CONN_DEAD) return;
    int owed = nb_buf_pending(&c->pre) || c->hist_off < c->hist_end || nb_buf_pending(&c->out);
    set_epollout(s, c, owed);
    if (!owed && c->state == CONN_LINGER && !c->wr_shut) {
        /* The error frame is out; the peer reads it, then sees EOF. Closing now would
         * RST away the error if the peer's unread data is still in our receive queue. */
        shutdown(c->fd, SHUT_WR);
        c->wr_shut = 1;
    }
}

static void conn_read(nb_server *s, conn *c)
{
    size_t total = 0;
    while (total < READ_BUDGET && c->state != CONN_DEAD) {
        ssize_t r = read(c->fd, s->rbuf, sizeof s->rbuf);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (r <= 0) {
            nb_server_kill(s, c, c->state == CONN_LINGER ? NULL
                                 : r == 0 ? "connection closed by peer" : strerror(errno));
            return;
        }
        total += (size_t)r;
        c->bytes_in += (size_t)r;
        s->bytes_in += (size_t)r;
        if (c->state != CONN_LINGER) nb_conn_feed(s, c, s->rbuf, (size_t)r);
        /* A short read drained the socket (as far as it matters): epoll is level-triggered
         * and reports anything newer, so the read that would say EAGAIN is saved. */
        if ((size_t)r < sizeof s->rbuf) return;
    }
}

static void conn_add(nb_server *s, int fd)
{
    char addr[NB_SOCK_ADDR_LEN];
    nb_sock_peer_str(fd, addr, sizeof addr);
    s->accepted++;
    if (s->nconns >= s->opts.max_clients + EXTRA_SOCKETS) {
        nb_warn("server: %s refused: %d sockets open", addr, s->nconns);
        close(fd);
        return;
    }
    if (s->nconns == s->conns_cap) {
        int cap = s->conns_cap ? s->conns_cap * 2 : 16;
        conn **p = realloc(s->conns, (size_t)cap * sizeof *p);
        if (!p) goto fail;
        s->conns = p;
        s->conns_cap = cap;
    }
    conn *c = nb_conn_new(s, fd);
    if (!c) goto fail;
    nb_strlcpy(c->addr, addr, sizeof c->addr);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        nb_conn_free(c);
        goto fail;
    }
    c->idx = s->nconns;
    s->conns[s->nconns++] = c;
    nb_debug("server: connection from %s", addr);
    return;
fail:
    nb_warn("server: %s refused: %s", addr, strerror(errno ? errno : ENOMEM));
    close(fd);
}

static void drain_handoff(nb_server *s)
{
    int fds[64];
    for (int round = 0; round < 16; round++) {
        ssize_t r = read(s->handoff[0], fds, sizeof fds);
        if (r <= 0) return;
        for (size_t i = 0; i < (size_t)r / sizeof(int); i++) conn_add(s, fds[i]);
    }
}

static void unlink_dirty(nb_server *s, conn *c)
{
    for (conn **pp = &s->dirty_head; *pp; pp = &(*pp)->next_dirty)
        if (*pp == c) {
            *pp = c->next_dirty;
            c->dirty = 0;
            return;
        }
}

static void reap(nb_server *s)
{
    /* Announcing a leave may overflow (and so kill) another slow peer: loop until quiet;
     * each conn dies once, so this ends. */
    while (s->dead_head) {
        conn *c = s->dead_head;
        s->dead_head = c->next_dead;
        nb_conn_leave(s, c);
        if (c->dirty) unlink_dirty(s, c);   /* marked before it died */
        epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
        int last = s->nconns - 1;
        s->conns[c->idx] = s->conns[last];
        s->conns[c->idx]->idx = c->idx;
        s->nconns = last;
        nb_conn_free(c);
    }
}

/* How long c's flush may still wait (ns), 0 = now. Only live frames to a joined peer
 * that was sent something less than flush_delay ago wait, and for the rest of that delay:
 * a storm's peer gets one sendmsg per delay instead of one per frame, a quiet peer's first
 * frame goes at once, and no byte waits longer than the delay. Handshakes, the history
 * replay, E and Q, lingering peers and full sockets (EPOLLOUT) are never held. */
static uint64_t flush_wait_ns(const nb_server *s, const conn *c, uint64_t now)
{
    if (!s->flush_delay_ns || c->urgent || c->epollout ||
        (c->state != CONN_BOARD && c->state != CONN_RAW) || nb_buf_pending(&c->pre) ||
        c->hist_off < c->hist_end || nb_buf_pending(&c->out) >= FLUSH_BYTES)
        return 0;
    uint64_t due = c->last_send_ns + s->flush_delay_ns;
    return due > now ? due - now : 0;
}

/* Flushes every dirty peer that is due (all of them if `all`); the others stay on the
 * dirty list. Returns when the earliest of those is due (nb_time_ns), 0 if none. */
static uint64_t flush_dirty(nb_server *s, int all)
{
    uint64_t now = nb_time_ns(), next = 0;
    conn *keep = NULL;
    while (s->dirty_head) {
        conn *c = s->dirty_head;
        s->dirty_head = c->next_dirty;
        uint64_t wait = all || c->state == CONN_DEAD ? 0 : flush_wait_ns(s, c, now);
        if (wait) {
            c->next_dirty = keep;
            keep = c;
            if (!next || now + wait < next) next = now + wait;
            continue;
        }
        c->dirty = 0;
        if (c->state != CONN_DEAD) conn_flush(s, c, now);
    }
    s->dirty_head = keep;
    return next;
}

static void tick(nb_server *s, uint64_t now, int rates)
{
    for (int i = 0; i < s->nconns; i++) {
        conn *c = s->conns[i];
        if (rates) {
            uint64_t cur[4] = { c->frames_in, c->frames_out, c->bytes_in, c->bytes_out };
            for (int k = 0; k < 4; k++) {
                uint64_t d = cur[k] - c->last[k];
                c->rate[k] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
                c->last[k] = cur[k];
            }
        }
        nb_conn_tick(s, c, now);
    }
}

/* epoll_wait with a µs-precise timeout (epoll_wait's ms would hold flushes up to 1 ms
 * too long); kernels before 5.11 get epoll_wait with the timeout rounded up. */
static int wait_events(nb_server *s, struct epoll_event *evs, uint64_t timeout_ns)
{
    if (!s->no_pwait2) {
        struct timespec ts = { (time_t)(timeout_ns / 1000000000u),
                               (long)(timeout_ns % 1000000000u) };
        int n = epoll_pwait2(s->epoll_fd, evs, MAX_EVENTS, &ts, NULL);
        if (n >= 0 || errno != ENOSYS) return n;
        s->no_pwait2 = 1;
        nb_debug("server: no epoll_pwait2, flush delays rounded up to ms");
    }
    return epoll_wait(s->epoll_fd, evs, MAX_EVENTS, (int)((timeout_ns + 999999) / 1000000));
}

static void *io_main(void *arg)
{
    nb_server *s = arg;
    struct epoll_event evs[MAX_EVENTS];
    uint64_t next_tick = nb_time_ms() + TICK_MS, next_rates = nb_time_ms() + RATE_MS;
    uint64_t next_flush = 0;   /* nb_time_ns when a held flush is due, 0 = none */
    for (int stop = 0; !stop;) {
        uint64_t now = nb_time_ms();
        uint64_t timeout = now >= next_tick ? 0 : (next_tick - now) * 1000000u;
        if (next_flush) {
            uint64_t now_ns = nb_time_ns();
            timeout = NB_MIN(timeout, next_flush > now_ns ? next_flush - now_ns : 0);
        }
        int n = wait_events(s, evs, timeout);
        if (n < 0 && errno != EINTR) {
            nb_error("server: epoll_wait: %s", strerror(errno));
            break;
        }
        pthread_mutex_lock(&s->lock);
        for (int i = 0; i < n; i++) {
            void *tag = evs[i].data.ptr;
            if (tag == &tag_stop) {
                stop = 1;
            } else if (tag == &tag_handoff) {
                drain_handoff(s);
            } else {
                conn *c = tag;
                if (c->state == CONN_DEAD) continue;   /* killed earlier in this batch */
                if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) conn_read(s, c);
                if (c->state != CONN_DEAD && (evs[i].events & EPOLLOUT))
                    nb_server_mark_dirty(s, c);
            }
        }
        /* on disk (page cache) before any peer is sent it: a killed server has every
         * frame it relayed (nb_journal.h) */
        if (s->journal) nb_journal_flush(s->journal);
        now = nb_time_ms();
        if (now >= next_tick) {
            int rates = now >= next_rates;
            tick(s, now, rates);
            next_tick = now + TICK_MS;
            if (rates) next_rates = now + RATE_MS;
        }
        /* Reaping announces leaves (new output); flushing may find dead peers. Each pass
         * that continues has killed a peer, and each peer dies once: bounded by nconns.
         * Stopping sends everything still held. */
        do {
            reap(s);
            next_flush = flush_dirty(s, stop);
        } while (s->dead_head);
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

/* ---- accept thread ------------------------------------------------------------- */

/* A peer that vanishes without FIN (Wi-Fi gone, cable cut) is dropped within about
 * user_timeout_ms: keepalive probes start after a third of it when the link is idle, and
 * TCP_USER_TIMEOUT bounds both unanswered probes and unacknowledged data. */
static void set_liveness(int fd, int user_timeout_ms)
{
    int idle = NB_MAX(1, user_timeout_ms / 3000), intvl = NB_MAX(1, user_timeout_ms / 6000);
    unsigned int uto = (unsigned int)user_timeout_ms;
    nb_sock_set_keepalive(fd, idle, intvl, 4, NULL);
    if (setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &uto, sizeof uto) != 0)
        nb_debug("server: TCP_USER_TIMEOUT: %s", strerror(errno));
}

static void *accept_main(void *arg)
{
    nb_server *s = arg;
    struct pollfd pfd[2] = { { .fd = s->stop_fd, .events = POLLIN },
                             { .fd = s->listen_fd, .events = POLLIN } };
    int nfds = 2;
    for (;;) {
        int n = poll(pfd, (nfds_t)nfds, nfds == 2 ? -1 : 100);
        if (n < 0 && errno != EINTR) break;
        if (pfd[0].revents) break;
        nfds = 2;
        if (n <= 0 || !pfd[1].revents) continue;
        for (int k = 0; k < 64; k++) {
            int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    /* can't accept: wait on the stop event only, briefly, instead of spinning */
                    nb_warn("server: accept: %s", strerror(errno));
                    nfds = 1;
                }
                break;
            }
            nb_sock_set_nodelay(fd, 1, NULL);
            set_liveness(fd, s->opts.user_timeout_ms);
            if (write(s->handoff[1], &fd, sizeof fd) != (ssize_t)sizeof fd) {
                nb_warn("server: hand-off full, closing new connection");
                close(fd);
            }
        }
    }
    return NULL;
}

/* ---- start / stop / status ------------------------------------------------------- */

static void destroy(nb_server *s)
{
    if (s->threads_started >= 1) pthread_join(s->accept_thread, NULL);
    if (s->threads_started >= 2) pthread_join(s->io_thread, NULL);
    /* both threads are gone: the rest is single-threaded */
    for (int i = 0; i < s->nconns; i++) nb_conn_shutdown_notice(s, s->conns[i]);
    for (int i = 0; i < s->nconns; i++) {
        shutdown(s->conns[i]->fd, SHUT_RDWR);
        nb_conn_free(s->conns[i]);
    }
    if (s->handoff[0] >= 0) {   /* accepted but never handed over */
        int fd;
        while (read(s->handoff[0], &fd, sizeof fd) == (ssize_t)sizeof fd) close(fd);
    }
    int fds[] = { s->listen_fd, s->stop_fd, s->epoll_fd, s->handoff[0], s->handoff[1] };
    for (size_t i = 0; i < NB_ARRAY_LEN(fds); i++)
        if (fds[i] >= 0) close(fds[i]);
    nb_journal_close(s->journal);
    free(s->conns);
    free(s->sessions);
    nb_buf_free(&s->history);
    nb_buf_free(&s->batch);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

nb_server *nb_server_start(const nb_server_opts *opts, char *err)
{
    nb_server *s = calloc(1, sizeof *s);
    if (!s) {
        nb_set_error(err, "server: out of memory");
        return NULL;
    }
    s->opts = opts ? *opts : (nb_server_opts){ 0 };
    nb_server_opts *o = &s->opts;
    if (o->port == 0) o->port = NB_SERVER_DEFAULT_PORT;
    if (o->max_clients <= 0) o->max_clients = DEFAULT_MAX_CLIENTS;
    if (o->out_limit_bytes == 0) o->out_limit_bytes = DEFAULT_OUT_LIMIT;
    if (o->history_limit_bytes == 0) o->history_limit_bytes = DEFAULT_HISTORY_LIMIT;
    if (o->handshake_timeout_ms <= 0) o->handshake_timeout_ms = DEFAULT_HANDSHAKE_MS;
    if (o->raw_detect_ms <= 0) o->raw_detect_ms = DEFAULT_RAW_DETECT_MS;
    nb_strlcpy(s->board_name, o->name && *o->name ? o->name : "netboard", sizeof s->board_name);
    if (o->user_timeout_ms <= 0) o->user_timeout_ms = DEFAULT_USER_TIMEOUT_MS;
    if (o->flush_delay_us == 0) o->flush_delay_us = DEFAULT_FLUSH_DELAY_US;
    s->flush_delay_ns = o->flush_delay_us > 0 ? (uint64_t)o->flush_delay_us * 1000u : 0;
    o->name = NULL;   /* not kept: the caller's string may go away */
    o->bind = NULL;
    o->journal_path = NULL;
    NB_ASSERT(o->port > 0 && o->port <= 65535);
    s->listen_fd = s->stop_fd = s->epoll_fd = s->handoff[0] = s->handoff[1] = -1;
    pthread_mutex_init(&s->lock, NULL);

    if (opts && opts->journal_path && *opts->journal_path &&
        nb_server_journal_open(s, opts->journal_path, err) != 0)
        goto fail;
    s->listen_fd = nb_sock_listen(opts ? opts->bind : NULL, o->ephemeral ? 0 : o->port, 0, err);
    if (s->listen_fd < 0) goto fail;
    s->port = nb_sock_local_port(s->listen_fd);
    if (nb_sock_set_nonblock(s->listen_fd, 1, err) != 0) goto fail;
    s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (s->stop_fd < 0 || s->epoll_fd < 0 || pipe2(s->handoff, O_CLOEXEC | O_NONBLOCK) != 0) {
        nb_set_error(err, "server: eventfd/epoll/pipe: %s", strerror(errno));
        goto fail;
    }
    struct epoll_event ev_stop = { .events = EPOLLIN, .data.ptr = &tag_stop };
    struct epoll_event ev_ho = { .events = EPOLLIN, .data.ptr = &tag_handoff };
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->stop_fd, &ev_stop) != 0 ||
        epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->handoff[0], &ev_ho) != 0) {
        nb_set_error(err, "server: epoll_ctl: %s", strerror(errno));
        goto fail;
    }
    int rc = pthread_create(&s->accept_thread, NULL, accept_main, s);
    if (rc == 0) {
        s->threads_started = 1;
        rc = pthread_create(&s->io_thread, NULL, io_main, s);
        if (rc == 0) s->threads_started = 2;
    }
    if (rc != 0) {
        nb_set_error(err, "server: pthread_create: %s", strerror(rc));
        goto fail;
    }
    nb_info("server: board \"%s\" listening on port %d", s->board_name, s->port);
    return s;
fail:
    if (s->threads_started) {
        uint64_t one = 1;
        if (write(s->stop_fd, &one, sizeof one) < 0) { /* the join below would hang: abort */
            NB_ASSERT(!"cannot signal the stop event");
        }
    }
    destroy(s);
    return NULL;
}

void nb_server_stop(nb_server *s)
{
    if (!s) return;
    uint64_t one = 1;
    ssize_t w = write(s->stop_fd, &one, sizeof one);
    NB_ASSERT(w == (ssize_t)sizeof one);   /* an eventfd write can't fail below its max */
    destroy(s);
    nb_info("server: stopped");
}

int nb_server_port(const nb_server *s) { return s->port; }

void nb_server_status_get(nb_server *s, nb_server_status *st)
{
    memset(st, 0, sizeof *st);
    pthread_mutex_lock(&s->lock);
    st->port = s->port;
    st->connections = s->nconns;
    st->clients = s->clients;
    st->accepted = s->accepted;
    st->frames_in = s->frames_in;
    st->frames_out = s->frames_out;
    st->bytes_in = s->bytes_in;
    st->bytes_out = s->bytes_out;
    st->dropped = s->dropped;
    st->history_frames = s->history_frames;
    st->segments = s->segments;
    st->history_bytes = s->history.len;
    int k = 0;
    for (int i = 0; i < s->nconns && k < NB_SERVER_STATUS_CLIENTS; i++) {
        const conn *c = s->conns[i];
        if (!c->joined) continue;
        nb_server_client_status *o = &st->client[k++];
        o->author = c->author;
        o->kind = c->state == CONN_RAW ? NB_PEER_RAW : NB_PEER_BOARD;
        nb_strlcpy(o->name, c->name, sizeof o->name);
        nb_strlcpy(o->addr, c->addr, sizeof o->addr);
        o->frames_in = c->frames_in;
        o->frames_out = c->frames_out;
        o->bytes_in = c->bytes_in;
        o->bytes_out = c->bytes_out;
        o->fps_in = c->rate[0];
        o->fps_out = c->rate[1];
        o->bps_in = c->rate[2];
        o->bps_out = c->rate[3];
        o->out_queued = nb_buf_pending(&c->out);
    }
    pthread_mutex_unlock(&s->lock);
}
