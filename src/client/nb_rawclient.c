/* nb_rawclient.c — the raw TCP client's thread and API; DESIGN in nb_rawclient.h. */
#include "nb_rawclient.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_clientio.h"
#include "nb_hexdump.h"
#include "nb_queue.h"
#include "nb_sock.h"

struct nb_rawclient {
    char host[256];
    int port, connect_timeout_ms;
    nb_worker w;               /* receive thread, events, wake fd, stopping; w.lock */

    /* w.lock guards the fields below */
    nb_bytes out;              /* bytes queued by send, not yet taken by the thread */
    uint64_t queued;           /* total bytes ever queued */
    uint64_t close_at;         /* shut the write side after this many bytes; 0: never */
    int over;                  /* connection finished (or failed): sends are refused */
};

int nb_rawclient_encode(char framing, const char *text, size_t len, uint8_t *out, size_t cap,
                        char *err)
{
    size_t need;
    if (len > NB_RAW_SEND_MAX) {
        nb_set_error(err, "text is %zu bytes; at most %u per send", len, NB_RAW_SEND_MAX);
        return -1;
    }
    switch (framing) {
    case NB_RAW_FIXED:
        if (len > NB_RAW_FIXED_LEN) {
            nb_set_error(err, "FIXED framing holds at most %d bytes; this text has %zu",
                         NB_RAW_FIXED_LEN, len);
            return -1;
        }
        need = NB_RAW_FIXED_LEN;
        break;
    case NB_RAW_VAR: need = len + 1; break;
    case NB_RAW_MIX: need = 4 + len; break;
    default:
        nb_set_error(err, "unknown framing '%c' (use F, V or M)", framing);
        return -1;
    }
    if (need > cap) {
        nb_set_error(err, "encode: %zu bytes needed, buffer holds %zu", need, cap);
        return -1;
    }
    uint8_t *p = out;
    if (framing == NB_RAW_MIX) {
        p[0] = (uint8_t)(len >> 24);
        p[1] = (uint8_t)(len >> 16);
        p[2] = (uint8_t)(len >> 8);
        p[3] = (uint8_t)len;
        p += 4;
    }
    if (len) memcpy(p, text, len);
    if (framing == NB_RAW_FIXED) memset(p + len, 0, NB_RAW_FIXED_LEN - len);
    if (framing == NB_RAW_VAR) p[len] = '\n';
    return (int)need;
}

/* ---- events --------------------------------------------------------------------- */

void nb_rawclient_event_free(nb_rawclient_event *ev)
{
    free(ev->data);
    free(ev->text);
    free(ev->hex);
    ev->data = NULL;
    ev->text = ev->hex = NULL;
}

static void free_event(void *ev) { nb_rawclient_event_free(ev); }

static void push(nb_rawclient *c, nb_rawclient_event *ev)
{
    if (nb_queue_push(c->w.events, ev, -1) != NB_QUEUE_OK) nb_rawclient_event_free(ev);
}

static void push_msg(nb_rawclient *c, nb_rawclient_event_kind kind, const char *msg)
{
    nb_rawclient_event ev = { .kind = (uint8_t)kind, .text = strdup(msg) };
    push(c, &ev);
}

/* One read's worth of bytes, with both renderings made here, off the UI thread. */
static void push_data(nb_rawclient *c, const uint8_t *buf, size_t n, uint64_t offset)
{
    nb_rawclient_event ev = { .kind = NB_RAW_EV_DATA, .offset = offset, .len = n };
    size_t tlen = nb_text_escape(buf, n, NULL, 0), hlen = nb_hexdump_size(n);
    ev.data = malloc(n);
    ev.text = malloc(tlen + 1);
    ev.hex = malloc(hlen + 1);
    if (!ev.data || !ev.text || !ev.hex) {
        nb_rawclient_event_free(&ev);
        push_msg(c, NB_RAW_EV_CLOSED, "out of memory for received data");
        return;
    }
    memcpy(ev.data, buf, n);
    nb_text_escape(buf, n, ev.text, tlen + 1);
    nb_hexdump(buf, n, offset, ev.hex, hlen + 1);
    push(c, &ev);
}

size_t nb_rawclient_drain(nb_rawclient *c, nb_rawclient_event *out, size_t max)
{
    return nb_queue_drain_all(c->w.events, out, max);
}

/* ---- thread ----------------------------------------------------------------------- */

/* The connected loop. Returns with why[] filled when the connection is over. */
static void run(nb_rawclient *c, int fd, char *why)
{
    nb_bytes wbuf = { 0 };
    uint64_t sent = 0, received = 0;
    int write_closed = 0;
    char err[NB_ERR_LEN];
    while (!atomic_load(&c->w.stopping)) {
        pthread_mutex_lock(&c->w.lock);
        int moved = nb_bytes_move(&wbuf, &c->out);
        uint64_t close_at = c->close_at;
        pthread_mutex_unlock(&c->w.lock);
        if (moved != 0) {
            nb_set_error(why, "out of memory for the send buffer");
            break;
        }
        if (!write_closed && close_at && sent >= close_at) {
            shutdown(fd, SHUT_WR);
            write_closed = 1;
            char msg[64];
            snprintf(msg, sizeof msg, "write side closed after %llu bytes",
                     (unsigned long long)sent);
            push_msg(c, NB_RAW_EV_WRITE_CLOSED, msg);
        }
        struct pollfd p[2] = {
            { .fd = fd, .events = POLLIN | (nb_bytes_pending(&wbuf) ? POLLOUT : 0) },
            { .fd = c->w.wake_fd, .events = POLLIN },
        };
        int n = poll(p, 2, -1);   /* every event that matters wakes us: data, wake fd */
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            nb_set_error(why, "poll: %s", strerror(errno));
            break;
        }
        if (p[1].revents) nb_wake_clear(c->w.wake_fd);
        if (p[0].revents & POLLOUT) {
            ssize_t w = nb_bytes_send(&wbuf, fd, err);
            if (w < 0) {
                nb_set_error(why, "%s", err);
                break;
            }
            sent += (uint64_t)w;
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            uint8_t buf[4096];
            ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (r == 0) {
                nb_set_error(why, "peer closed the connection after %llu bytes in, %llu out",
                             (unsigned long long)received, (unsigned long long)sent);
                break;
            }
            if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                nb_set_error(why, "receive: %s", strerror(errno));
                break;
            }
            if (r > 0) {
                push_data(c, buf, (size_t)r, received);
                received += (uint64_t)r;
            }
        }
    }
    if (atomic_load(&c->w.stopping)) nb_set_error(why, "stopped");
    nb_bytes_free(&wbuf);
}

static void *raw_main(void *arg)
{
    nb_rawclient *c = arg;
    char why[NB_ERR_LEN];
    nb_sock_result res;
    int fd = nb_sock_connect(c->host, c->port, c->connect_timeout_ms, &res, why);
    if (fd >= 0) {
        push_msg(c, NB_RAW_EV_CONNECTED, res.addr);
        run(c, fd, why);
    }
    pthread_mutex_lock(&c->w.lock);
    c->over = 1;
    nb_bytes_reset(&c->out);
    pthread_mutex_unlock(&c->w.lock);
    if (fd >= 0) close(fd);
    push_msg(c, NB_RAW_EV_CLOSED, why);
    return NULL;
}

/* ---- API ------------------------------------------------------------------------ */

nb_rawclient *nb_rawclient_start(const nb_rawclient_opts *o, char *err)
{
    NB_ASSERT(o && o->host && o->port > 0 && o->port <= 65535);
    if (strlen(o->host) >= sizeof ((nb_rawclient *)0)->host) {
        nb_set_error(err, "host name is too long (%zu bytes)", strlen(o->host));
        return NULL;
    }
    nb_rawclient *c = calloc(1, sizeof *c);
    if (!c) {
        nb_set_error(err, "raw client: out of memory");
        return NULL;
    }
    nb_strlcpy(c->host, o->host, sizeof c->host);
    c->port = o->port;
    c->connect_timeout_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 3000;
    size_t capacity = o->queue_capacity ? o->queue_capacity : 1024;
    if (nb_worker_start(&c->w, sizeof(nb_rawclient_event), capacity, raw_main, c, "raw client",
                        err) == 0)
        return c;
    free(c);      /* the worker released what it made */
    return NULL;
}

void nb_rawclient_stop(nb_rawclient *c)
{
    if (!c) return;
    nb_worker_stop(&c->w, free_event);
    nb_bytes_free(&c->out);
    free(c);
}

int nb_rawclient_send(nb_rawclient *c, char framing, const char *text, size_t len, int flags,
                      char *err)
{
    size_t cap = len + 4 > NB_RAW_FIXED_LEN ? len + 4 : NB_RAW_FIXED_LEN;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        nb_set_error(err, "raw client: out of memory");
        return -1;
    }
    int rc = -1, n = nb_rawclient_encode(framing, text, len, buf, cap, err);
    if (n < 0) goto done;
    pthread_mutex_lock(&c->w.lock);
    if (c->close_at) {         /* checked first: the stabler reason once both hold */
        nb_set_error(err, "the write side is closed (close after send); nothing sent");
    } else if (c->over) {
        nb_set_error(err, "the connection is closed; nothing sent");
    } else if (nb_bytes_pending(&c->out) + (size_t)n > 4 * NB_RAW_SEND_MAX) {
        nb_set_error(err, "send buffer full; nothing sent");
    } else if (nb_bytes_append(&c->out, buf, (size_t)n) != 0) {
        nb_set_error(err, "raw client: out of memory");
    } else {
        c->queued += (uint64_t)n;
        if (flags & NB_RAW_CLOSE_AFTER) c->close_at = c->queued;
        rc = 0;
    }
    pthread_mutex_unlock(&c->w.lock);
    if (rc == 0) nb_wake_signal(c->w.wake_fd);
done:
    free(buf);
    return rc;
}
