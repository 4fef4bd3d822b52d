/* nb_client.c — the board client's network thread and its render-thread API; the
 * DESIGN note is in nb_client.h. */
#include "nb_client.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_clientio.h"
#include "nb_log.h"
#include "nb_inspect.h"
#include "nb_outbox.h"
#include "nb_queue.h"
#include "nb_rate.h"
#include "nb_shaper.h"
#include "nb_sock.h"
#include "nb_time.h"

#define DEFAULT_PORT 49001
#define WBUF_HIGH (256u * 1024u)   /* stop refilling the wire buffer above this */
#define SHAPER_MAX (4u << 20)      /* bytes the shaper may hold before the outbox waits */

struct nb_client {
    nb_client_opts o;              /* defaults filled in; host/name point below */
    char host[256];
    char name[NB_NAME_MAX + 1];
    nb_worker w;                   /* net thread, events, wake fd, stopping; w.lock */
    atomic_uint shape_delay_ms, shape_rate_pps;
    atomic_size_t shaper_held;

    /* w.lock guards everything below */
    nb_outbox outbox;
    nb_bytes eph;                  /* encoded chat / cursor / laser frames waiting */
    int linked;                    /* W received on the current connection */
    nb_client_stats st;
    uint64_t rtt_sum_us;
};

/* State of one connection, owned by the net thread. */
typedef struct conn {
    int fd;
    nb_decoder dec;
    nb_bytes wbuf;
    nb_shaper *shaper;             /* outgoing board frames when shaping is on */
    int welcomed;
    uint32_t history_left;
    uint64_t t_start, last_rx, next_ping;
    char reason[NB_ERR_LEN];
} conn;

const char *nb_client_state_name(int state)
{
    switch (state) {
    case NB_CLIENT_CONNECTING: return "connecting";
    case NB_CLIENT_CONNECTED: return "connected";
    case NB_CLIENT_DISCONNECTED: return "disconnected";
    case NB_CLIENT_STOPPED: return "stopped";
    default: return "?";
    }
}

/* ---- events --------------------------------------------------------------------- */

static int carries_text(uint8_t type)
{
    return strchr("FVMHWTJE", type) != NULL && type != 0;
}

const char *nb_client_event_text(const nb_client_event *ev)
{
    return ev->heap ? ev->heap : ev->inline_text;
}

void nb_client_event_free(nb_client_event *ev)
{
    free(ev->heap);
    ev->heap = NULL;
    ev->text_len = 0;
    ev->inline_text[0] = '\0';
}

static void free_event(void *ev) { nb_client_event_free(ev); }

/* Copy text into the event: inline when short, else on the heap (cut to the inline size
 * if memory is short, rather than losing the event). */
static void set_text(nb_client_event *ev, const char *text, size_t len)
{
    ev->heap = NULL;
    if (len > NB_CLIENT_INLINE_TEXT) {
        ev->heap = malloc(len + 1);
        if (!ev->heap) len = NB_CLIENT_INLINE_TEXT;
    }
    char *dst = ev->heap ? ev->heap : ev->inline_text;
    if (len) memcpy(dst, text, len);
    dst[len] = '\0';
    ev->text_len = (uint32_t)len;
}

/* net thread. Waits for room (the render thread drains every frame); fails only after
 * stop closed the queue. */
static int push_event(nb_client *c, nb_client_event *ev)
{
    if (ev->kind == NB_CLIENT_EV_FRAME) ev->u.frame.text = NULL;  /* re-pointed by drain */
    if (nb_queue_push(c->w.events, ev, -1) != NB_QUEUE_OK) {
        nb_client_event_free(ev);
        return -1;
    }
    return 0;
}

static void push_state(nb_client *c, nb_client_state s, int retry_ms, const char *text)
{
    pthread_mutex_lock(&c->w.lock);
    c->st.state = (uint8_t)s;
    pthread_mutex_unlock(&c->w.lock);
    nb_client_event ev = { .kind = NB_CLIENT_EV_STATE };
    ev.u.state.state = (uint8_t)s;
    ev.u.state.retry_ms = retry_ms;
    set_text(&ev, text, strlen(text));
    push_event(c, &ev);
}

static void push_error(nb_client *c, const char *text)
{
    nb_client_event ev = { .kind = NB_CLIENT_EV_ERROR };
    set_text(&ev, text, strlen(text));
    push_event(c, &ev);
}

size_t nb_client_drain(nb_client *c, nb_client_event *out, size_t max)
{
    size_t n = nb_queue_drain_all(c->w.events, out, max);
    for (size_t i = 0; i < n; i++) {
        nb_client_event *ev = &out[i];
        if (ev->kind == NB_CLIENT_EV_FRAME)
            ev->u.frame.text = carries_text(ev->u.frame.type) ? nb_client_event_text(ev) : NULL;
    }
    return n;
}

/* ---- the wire (net thread) ------------------------------------------------------ */

/* Counters and the inspector's capture see every frame that goes out or comes in (one
 * relaxed atomic add, and a short mutex hold when an inspector is attached). */
static void observe(nb_client *c, int dir, const uint8_t *bytes, size_t n)
{
    if (c->o.counters) nb_counters_add(c->o.counters, (nb_dir)dir, bytes[0], n);
    if (c->o.capture) nb_capture_push(c->o.capture, dir, nb_time_ms(), bytes, n);
}

/* Encode f into tmp[64]. Frames built here are always encodable, so failure is a bug
 * in the codec, logged rather than fatal. */
static int encode_small(const nb_frame *f, uint8_t tmp[64])
{
    char err[NB_ERR_LEN];
    int n = nb_encode(f, tmp, 64, err);
    if (n < 0) nb_warn("client: cannot encode '%c': %s", f->type, err);
    return n;
}

static int append_frame(nb_client *c, nb_bytes *b, const nb_frame *f)
{
    uint8_t tmp[64];
    int n = encode_small(f, tmp);
    if (n < 0) return -1;
    observe(c, NB_DIR_OUT, tmp, (size_t)n);
    return nb_bytes_append(b, tmp, (size_t)n);
}

/* A control frame the net thread writes itself (H, P, Q): counted like the others. */
static void append_control(nb_client *c, conn *l, const nb_frame *f)
{
    if (append_frame(c, &l->wbuf, f) != 0) return;
    pthread_mutex_lock(&c->w.lock);
    c->st.frames_out++;
    pthread_mutex_unlock(&c->w.lock);
}

typedef struct { nb_client *c; conn *l; } shaper_ctx;

/* The shaper releases a frame: onto the wire buffer (1 = stop, the buffer is full). */
static int shaped_out(void *ud, const uint8_t *bytes, size_t len)
{
    shaper_ctx *x = ud;
    if (nb_bytes_pending(&x->l->wbuf) >= WBUF_HIGH) return 1;
    if (nb_bytes_append(&x->l->wbuf, bytes, len) != 0) return 1;
    observe(x->c, NB_DIR_OUT, bytes, len);
    x->c->st.frames_out++;
    return 0;
}

/* Move what the render thread queued into the wire buffer: ephemeral bytes, then
 * outbox entries not yet sent on this connection, while the buffer is not too full. */
static void refill(nb_client *c, conn *l)
{
    pthread_mutex_lock(&c->w.lock);
    if (nb_bytes_pending(&c->eph) && nb_bytes_move(&l->wbuf, &c->eph) != 0)
        nb_warn("client: out of memory for the send buffer");
    nb_frame f;
    uint32_t delay = atomic_load(&c->shape_delay_ms), rate = atomic_load(&c->shape_rate_pps);
    if (!delay && !rate && (!l->shaper || !nb_shaper_frames(l->shaper))) {
        while (nb_bytes_pending(&l->wbuf) < WBUF_HIGH && nb_outbox_take(&c->outbox, &f)) {
            if (append_frame(c, &l->wbuf, &f) == 0) c->st.frames_out++;
        }
    } else if (l->shaper || (l->shaper = nb_shaper_create(&(nb_shaper_opts){ .max_bytes = SHAPER_MAX }))) {
        /* Shaped: frames wait in the shaper (in order) until their delay has passed
         * and the rate allows; the outbox still holds them for a resend if the link
         * drops meanwhile, so nothing is lost. */
        uint64_t now = nb_time_ms();
        uint8_t tmp[64];
        nb_shaper_set(l->shaper, delay, rate);
        while (nb_shaper_bytes(l->shaper) + 64 <= SHAPER_MAX && nb_outbox_take(&c->outbox, &f)) {
            int n = encode_small(&f, tmp);
            if (n > 0) nb_shaper_push(l->shaper, now, tmp, (size_t)n);
        }
        shaper_ctx x = { c, l };
        nb_shaper_ready(l->shaper, now, shaped_out, &x);
    }
    atomic_store(&c->shaper_held, l->shaper ? nb_shaper_frames(l->shaper) : 0);
    c->st.outbox_resent = c->outbox.resent;
    pthread_mutex_unlock(&c->w.lock);
}

static void on_pong(nb_client *c, uint64_t token)
{
    uint64_t now = nb_time_ns();
    if (token > now || now - token > 60ull * 1000000000ull) return;   /* not ours */
    uint32_t us = (uint32_t)((now - token) / 1000);
    pthread_mutex_lock(&c->w.lock);
    nb_client_stats *st = &c->st;
    st->rtt_last_us = us;
    if (!st->rtt_samples || us < st->rtt_min_us) st->rtt_min_us = us;
    if (us > st->rtt_max_us) st->rtt_max_us = us;
    st->rtt_samples++;
    c->rtt_sum_us += us;
    st->rtt_avg_us = (uint32_t)(c->rtt_sum_us / st->rtt_samples);
    pthread_mutex_unlock(&c->w.lock);
}

static void push_synced(nb_client *c)
{
    nb_client_event ev = { .kind = NB_CLIENT_EV_SYNCED };
    push_event(c, &ev);
}

static void on_welcome(nb_client *c, conn *l, const nb_frame *f)
{
    l->welcomed = 1;
    l->history_left = f->u.welcome.history;
    pthread_mutex_lock(&c->w.lock);
    size_t from = nb_outbox_resume(&c->outbox, f->u.welcome.held);
    size_t pending = nb_outbox_pending(&c->outbox);
    c->linked = 1;
    c->st.author = f->u.welcome.author;
    c->st.connects++;
    char addr[sizeof c->st.server_addr];
    memcpy(addr, c->st.server_addr, sizeof addr);
    pthread_mutex_unlock(&c->w.lock);
    nb_info("client: connected to %s as author %u, %zu frame(s) to (re)send",
            addr, f->u.welcome.author, pending);
    nb_client_event ev = { .kind = NB_CLIENT_EV_WELCOME };
    ev.u.welcome.author = f->u.welcome.author;
    ev.u.welcome.held = f->u.welcome.held;
    ev.u.welcome.history = f->u.welcome.history;
    ev.u.welcome.resend_from = from;
    set_text(&ev, f->text ? f->text : "", f->text ? f->text_len : 0);
    push_event(c, &ev);
    push_state(c, NB_CLIENT_CONNECTED, 0, addr);
    if (!l->history_left) push_synced(c);
}

/* One decoded frame. Returns -1 (reason filled) to drop the connection. */
static int on_frame(nb_client *c, conn *l, const nb_frame *f)
{
    if (!l->welcomed && f->type != NB_FT_WELCOME && f->type != NB_FT_ERROR) {
        nb_set_error(l->reason, "protocol: expected W first, got '%c'", f->type);
        return -1;
    }
    switch (f->type) {
    case NB_FT_WELCOME:
        if (l->welcomed) {
            nb_set_error(l->reason, "protocol: second W");
            return -1;
        }
        on_welcome(c, l, f);
        return 0;
    case NB_FT_PONG:
        on_pong(c, f->u.token);
        return 0;
    case NB_FT_PING: {
        nb_frame q = { .type = NB_FT_PONG, .u.token = f->u.token };
        append_control(c, l, &q);
        return 0;
    }
    default: break;
    }
    nb_client_event ev = { .kind = NB_CLIENT_EV_FRAME, .u.frame = *f };
    int last_of_history = 0;
    if (l->history_left) {
        ev.history = 1;
        last_of_history = --l->history_left == 0;
    }
    set_text(&ev, f->text ? f->text : "", f->text ? f->text_len : 0);
    int rc = push_event(c, &ev);
    if (rc == 0 && last_of_history) push_synced(c);
    return rc == 0 || atomic_load(&c->w.stopping) ? 0 : -1;
}

/* Read what is there and decode it. -1 (reason filled) when the conn is gone. */
static int read_some(nb_client *c, conn *l)
{
    uint8_t buf[16384];
    ssize_t r;
    do {
        r = recv(l->fd, buf, sizeof buf, MSG_DONTWAIT);
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
        nb_set_error(l->reason, "server closed the connection");
        return -1;
    }
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        nb_set_error(l->reason, "receive: %s", strerror(errno));
        return -1;
    }
    l->last_rx = nb_time_ms();
    uint64_t frames = 0;
    size_t off = 0;
    int rc = 0;
    while (off < (size_t)r && rc == 0) {
        size_t used = 0;
        nb_frame f;
        char err[NB_ERR_LEN];
        int d = nb_decoder_feed(&l->dec, buf + off, (size_t)r - off, &used, &f, err);
        if (d == NB_DEC_ERROR) {
            nb_set_error(l->reason, "protocol: %s", err);
            rc = -1;
            break;
        }
        off += used;
        if (d == NB_DEC_FRAME) {
            frames++;
            if (c->o.counters) nb_counters_add(c->o.counters, NB_DIR_IN, f.type, nb_encoded_size(&f));
            if (c->o.capture) nb_capture_push_frame(c->o.capture, NB_CAPTURE_IN, l->last_rx, &f);
            rc = on_frame(c, l, &f);
        } else if (used == 0) {
            break;   /* defensive: a decoder that makes no progress must not spin */
        }
    }
    pthread_mutex_lock(&c->w.lock);
    c->st.bytes_in += (uint64_t)r;
    c->st.frames_in += frames;
    pthread_mutex_unlock(&c->w.lock);
    return rc;
}

static int write_some(nb_client *c, conn *l)
{
    char err[NB_ERR_LEN];
    ssize_t w = nb_bytes_send(&l->wbuf, l->fd, err);
    if (w < 0) {
        nb_set_error(l->reason, "%s", err);
        return -1;
    }
    pthread_mutex_lock(&c->w.lock);
    c->st.bytes_out += (uint64_t)w;
    pthread_mutex_unlock(&c->w.lock);
    return 0;
}

static int start_link(nb_client *c, conn *l)
{
    char err[NB_ERR_LEN];
    nb_sock_result res;
    l->fd = nb_sock_connect(c->host, c->o.port, c->o.connect_timeout_ms, &res, err);
    pthread_mutex_lock(&c->w.lock);
    nb_strlcpy(c->st.server_addr, res.addr, sizeof c->st.server_addr);
    pthread_mutex_unlock(&c->w.lock);
    if (l->fd < 0) {
        nb_set_error(l->reason, "%s", err);
        return -1;
    }
    nb_sock_set_nodelay(l->fd, 1, NULL);   /* strokes are small and latency-bound */
    nb_frame h = { .type = NB_FT_HELLO, .text = c->name, .text_len = (uint32_t)strlen(c->name) };
    h.u.hello.version = NB_PROTO_VERSION;
    h.u.hello.session = c->o.session;
    if (nb_bytes_append(&l->wbuf, NB_SIGNATURE, NB_SIG_LEN) != 0 || append_frame(c, &l->wbuf, &h) != 0) {
        nb_set_error(l->reason, "cannot build the hello frame");
        return -1;
    }
    pthread_mutex_lock(&c->w.lock);
    c->st.frames_out++;
    pthread_mutex_unlock(&c->w.lock);
    pthread_mutex_lock(&c->w.lock);
    c->st.fd = l->fd;
    pthread_mutex_unlock(&c->w.lock);
    return 0;
}

/* Poll timeout until the next timer (ping, idle or handshake limit). */
static int next_timeout(const nb_client *c, const conn *l, uint64_t now)
{
    uint64_t due = l->last_rx + (uint64_t)c->o.idle_timeout_ms;
    if (l->welcomed && l->next_ping < due) due = l->next_ping;
    return due > now ? (int)NB_MIN(due - now, 60000u) : 0;
}

/* Timers: ping when due, give up when the server has been silent too long. */
static int on_timers(nb_client *c, conn *l, uint64_t now)
{
    if (now >= l->last_rx + (uint64_t)c->o.idle_timeout_ms) {
        nb_set_error(l->reason, "%s for %d ms",
                 l->welcomed ? "no data from the server" : "no welcome from the server",
                 c->o.idle_timeout_ms);
        return -1;
    }
    if (l->welcomed && now >= l->next_ping) {
        nb_frame p = { .type = NB_FT_PING, .u.token = nb_time_ns() };
        append_control(c, l, &p);
        l->next_ping = now + (uint64_t)c->o.ping_interval_ms;
    }
    return 0;
}

/* One connection from connect to loss. Returns 1 if it got as far as W. */
static int run_link(nb_client *c, conn *l)
{
    memset(l, 0, sizeof *l);
    l->fd = -1;
    nb_decoder_init(&l->dec, NB_DEC_EXPECT_SIGNATURE);
    l->t_start = l->last_rx = l->next_ping = nb_time_ms();
    if (start_link(c, l) != 0) goto done;
    while (!atomic_load(&c->w.stopping)) {
        if (l->welcomed) refill(c, l);
        uint64_t now = nb_time_ms();
        if (on_timers(c, l, now) != 0) break;
        struct pollfd p[2] = {
            { .fd = l->fd, .events = POLLIN | (nb_bytes_pending(&l->wbuf) ? POLLOUT : 0) },
            { .fd = c->w.wake_fd, .events = POLLIN },
        };
        int timeout = next_timeout(c, l, now);
        int shaped = l->shaper ? nb_shaper_next_deadline(l->shaper, now) : -1;
        if (shaped >= 0 && (timeout < 0 || shaped < timeout)) timeout = shaped;
        int n = poll(p, 2, timeout);
        if (n < 0 && errno != EINTR) {
            nb_set_error(l->reason, "poll: %s", strerror(errno));
            break;
        }
        if (n <= 0) continue;
        if (p[1].revents) nb_wake_clear(c->w.wake_fd);
        if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && read_some(c, l) != 0) break;
        if ((p[0].revents & POLLOUT) && write_some(c, l) != 0) break;
    }
done:
    pthread_mutex_lock(&c->w.lock);
    c->linked = 0;
    c->st.fd = -1;
    nb_bytes_reset(&c->eph);        /* chat and cursors are not replayed on a new conn */
    pthread_mutex_unlock(&c->w.lock);
    if (l->fd >= 0) close(l->fd);
    nb_decoder_free(&l->dec);
    nb_bytes_free(&l->wbuf);
    nb_shaper_destroy(l->shaper);   /* held frames are still in the outbox: resent later */
    atomic_store(&c->shaper_held, 0);
    return l->welcomed;
}

/* Wait up to ms for stop; other wake-ups (render-thread sends) are absorbed. */
static void backoff_wait(nb_client *c, int ms)
{
    uint64_t deadline = nb_time_ms() + (uint64_t)ms;
    for (int rounds = 0; rounds < 10000 && !atomic_load(&c->w.stopping); rounds++) {
        uint64_t now = nb_time_ms();
        if (now >= deadline) break;
        struct pollfd p = { .fd = c->w.wake_fd, .events = POLLIN };
        if (poll(&p, 1, (int)(deadline - now)) > 0) nb_wake_clear(c->w.wake_fd);
    }
}

static void *net_main(void *arg)
{
    nb_client *c = arg;
    int backoff = c->o.backoff_min_ms;
    char where[300];
    snprintf(where, sizeof where, "%s:%d", c->host, c->o.port);
    conn *l = malloc(sizeof *l);
    if (!l) {
        push_error(c, "client: out of memory");
        return NULL;
    }
    while (!atomic_load(&c->w.stopping)) {
        push_state(c, NB_CLIENT_CONNECTING, 0, where);
        if (run_link(c, l)) backoff = c->o.backoff_min_ms;
        if (atomic_load(&c->w.stopping)) break;
        nb_info("client: %s: %s; retrying in %d ms", where, l->reason, backoff);
        push_state(c, NB_CLIENT_DISCONNECTED, backoff, l->reason);
        backoff_wait(c, backoff);
        backoff = NB_MIN(backoff * 2, c->o.backoff_max_ms);
    }
    free(l);
    return NULL;
}

/* ---- render-thread API ------------------------------------------------------------ */

static uint64_t random_session(void)
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
        v = nb_time_ns() ^ ((uint64_t)getpid() << 32);   /* no entropy: still unique enough */
    return v ? v : 1;
}

nb_client *nb_client_start(const nb_client_opts *o, char *err)
{
    NB_ASSERT(o);
    nb_client *c = calloc(1, sizeof *c);
    if (!c) {
        nb_set_error(err, "client: out of memory");
        return NULL;
    }
    c->o = *o;
    nb_strlcpy(c->host, o->host && *o->host ? o->host : "127.0.0.1", sizeof c->host);
    const char *name = o->name ? o->name : "anonymous";
    if (strlen(name) > NB_NAME_MAX || !nb_utf8_valid(name, strlen(name))) {
        nb_set_error(err, "display name must be UTF-8 of at most %d bytes (got %zu bytes)",
                     NB_NAME_MAX, strlen(name));
        goto fail;
    }
    nb_strlcpy(c->name, name, sizeof c->name);
    c->o.host = c->host;
    c->o.name = c->name;
    if (!c->o.port) c->o.port = DEFAULT_PORT;
    if (!c->o.session) c->o.session = random_session();
    if (!c->o.queue_capacity) c->o.queue_capacity = 4096;
    if (c->o.connect_timeout_ms <= 0) c->o.connect_timeout_ms = 900;
    if (c->o.ping_interval_ms <= 0) c->o.ping_interval_ms = 1000;
    if (c->o.idle_timeout_ms <= 0) c->o.idle_timeout_ms = 10000;
    if (c->o.backoff_min_ms <= 0) c->o.backoff_min_ms = 250;
    if (c->o.backoff_max_ms <= 0) c->o.backoff_max_ms = 5000;
    if (c->o.backoff_min_ms > c->o.backoff_max_ms) c->o.backoff_min_ms = c->o.backoff_max_ms;
    if (!c->o.send_buffer_max) c->o.send_buffer_max = 1u << 20;
    NB_ASSERT(c->o.port > 0 && c->o.port <= 65535);

    nb_outbox_init(&c->outbox);
    c->st.session = c->o.session;
    c->st.fd = -1;
    char where[300];
    snprintf(where, sizeof where, "%s:%d", c->host, c->o.port);
    nb_strlcpy(c->st.server_addr, where, sizeof c->st.server_addr);
    if (nb_worker_start(&c->w, sizeof(nb_client_event), c->o.queue_capacity, net_main, c,
                        "client", err) < 0)
        goto fail;
    return c;
fail:
    free(c);
    return NULL;
}

void nb_client_stop(nb_client *c)
{
    if (!c) return;
    nb_worker_stop(&c->w, free_event);
    nb_outbox_free(&c->outbox);
    nb_bytes_free(&c->eph);
    free(c);
}

/* Log a board-changing frame, or queue an ephemeral one if a conn is up. */
static int send_frame(nb_client *c, const nb_frame *f)
{
    int rc = 0;
    pthread_mutex_lock(&c->w.lock);
    if (nb_frame_changes_board(f)) {
        rc = nb_outbox_append(&c->outbox, f);
        c->st.outbox_len = c->outbox.len;
    } else if (c->linked && nb_bytes_pending(&c->eph) < c->o.send_buffer_max) {
        if (append_frame(c, &c->eph, f) == 0) c->st.frames_out++;
    }
    pthread_mutex_unlock(&c->w.lock);
    nb_wake_signal(c->w.wake_fd);
    return rc;
}

int nb_client_send_segment(nb_client *c, const nb_segment *seg)
{
    nb_frame f = { .type = NB_FT_SEGMENT, .u.seg = *seg };
    return send_frame(c, &f);
}

int nb_client_send_undo(nb_client *c, uint32_t stroke)
{
    nb_frame f = { .type = NB_FT_UNDO, .u.undo.stroke = stroke };
    return send_frame(c, &f);
}

int nb_client_send_redo(nb_client *c, uint32_t stroke)
{
    nb_frame f = { .type = NB_FT_REDO, .u.undo.stroke = stroke };
    return send_frame(c, &f);
}

int nb_client_send_clear(nb_client *c)
{
    nb_frame f = { .type = NB_FT_CLEAR };
    return send_frame(c, &f);
}

int nb_client_send_cursor(nb_client *c, uint16_t x, uint16_t y, uint8_t flags)
{
    nb_frame f = { .type = NB_FT_CURSOR };
    f.u.cursor.x = x;
    f.u.cursor.y = y;
    f.u.cursor.flags = flags;
    return send_frame(c, &f);
}

int nb_client_chat_check(char framing, const char *text, size_t len, char *err)
{
    switch (framing) {
    case 'F':
        if (len > NB_FIXED_CHAT_LEN) {
            nb_set_error(err, "fixed chat holds at most %d bytes; this text has %zu "
                         "(use V or M framing for longer text)", NB_FIXED_CHAT_LEN, len);
            return -1;
        }
        break;
    case 'V':
        if (len > NB_VAR_MAX) {
            nb_set_error(err, "line chat holds at most %d bytes; this text has %zu",
                         NB_VAR_MAX, len);
            return -1;
        }
        if (memchr(text, '\n', len)) {
            nb_set_error(err, "line chat cannot contain a newline (use M framing)");
            return -1;
        }
        break;
    case 'M':
        if (len > NB_MIX_MAX) {
            nb_set_error(err, "long chat holds at most %d bytes; this text has %zu",
                         NB_MIX_MAX, len);
            return -1;
        }
        break;
    default:
        nb_set_error(err, "unknown chat framing '%c' (use F, V or M)", framing);
        return -1;
    }
    if (!nb_utf8_valid(text, len)) {
        nb_set_error(err, "chat text is not valid UTF-8");
        return -1;
    }
    return 0;
}

int nb_client_send_chat(nb_client *c, char framing, const char *text, char *err)
{
    size_t len = strlen(text);
    if (nb_client_chat_check(framing, text, len, err) != 0) return -1;
    nb_frame f = { .type = (uint8_t)framing, .text = text, .text_len = (uint32_t)len };
    size_t need = nb_encoded_size(&f);
    uint8_t *buf = need ? malloc(need) : NULL;
    if (!buf) {
        nb_set_error(err, need ? "chat: out of memory" : "chat: text cannot be encoded");
        return -1;
    }
    int rc = -1, n = nb_encode(&f, buf, need, err);
    if (n < 0) goto done;
    pthread_mutex_lock(&c->w.lock);
    if (!c->linked) {
        nb_set_error(err, "not connected to the server; message not sent");
    } else if (nb_bytes_pending(&c->eph) + (size_t)n > c->o.send_buffer_max) {
        nb_set_error(err, "send buffer full (%zu bytes waiting); message not sent",
                     nb_bytes_pending(&c->eph));
    } else if (nb_bytes_append(&c->eph, buf, (size_t)n) != 0) {
        nb_set_error(err, "chat: out of memory");
    } else {
        c->st.frames_out++;
        observe(c, NB_DIR_OUT, buf, (size_t)n);
        rc = 0;
    }
    pthread_mutex_unlock(&c->w.lock);
    if (rc == 0) nb_wake_signal(c->w.wake_fd);
done:
    free(buf);
    return rc;
}

void nb_client_set_shaping(nb_client *c, uint32_t delay_ms, uint32_t rate_pps)
{
    atomic_store(&c->shape_delay_ms, delay_ms);
    atomic_store(&c->shape_rate_pps, rate_pps);
    nb_wake_signal(c->w.wake_fd);
}

size_t nb_client_shaper_held(nb_client *c) { return atomic_load(&c->shaper_held); }

size_t nb_client_outbox_read(nb_client *c, size_t from, nb_frame *out, size_t max)
{
    size_t n = 0;
    pthread_mutex_lock(&c->w.lock);
    for (; n < max && from + n < c->outbox.len; n++) nb_outbox_get(&c->outbox, from + n, &out[n]);
    pthread_mutex_unlock(&c->w.lock);
    return n;
}

size_t nb_client_outbox_len(nb_client *c)
{
    pthread_mutex_lock(&c->w.lock);
    size_t n = c->outbox.len;
    pthread_mutex_unlock(&c->w.lock);
    return n;
}

void nb_client_get_stats(nb_client *c, nb_client_stats *out)
{
    pthread_mutex_lock(&c->w.lock);
    *out = c->st;
    out->outbox_len = c->outbox.len;
    pthread_mutex_unlock(&c->w.lock);
}

int nb_client_tcp_info(nb_client *c, struct tcp_info *out, int *sndbuf, int *rcvbuf, char *err)
{
    int rc = -1;
    pthread_mutex_lock(&c->w.lock);
    int fd = c->st.fd;     /* the net thread closes it only after clearing st.fd here */
    if (fd < 0) {
        nb_set_error(err, "not connected");
        goto done;
    }
    socklen_t len = sizeof(struct tcp_info);
    if (out && getsockopt(fd, IPPROTO_TCP, TCP_INFO, out, &len) != 0) goto fail;
    len = sizeof(int);
    if (sndbuf && getsockopt(fd, SOL_SOCKET, SO_SNDBUF, sndbuf, &len) != 0) goto fail;
    len = sizeof(int);
    if (rcvbuf && getsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, &len) != 0) goto fail;
    rc = 0;
    goto done;
fail:
    nb_set_error(err, "getsockopt on fd %d (%s): %s", fd, c->st.server_addr, strerror(errno));
done:
    pthread_mutex_unlock(&c->w.lock);
    return rc;
}
