/* nb_testclient.c — blocking NBP/1 and raw test clients over loopback. */
#include "nb_testclient.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_sock.h"
#include "nb_time.h"

int tc_connect(tc *c, int port, int rcvbuf)
{
    memset(c, 0, sizeof *c);
    nb_decoder_init(&c->dec, NB_DEC_EXPECT_SIGNATURE);
    c->fd = -1;
    if (rcvbuf > 0) {
        /* the receive buffer must be set before connect to bound the TCP window */
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            close(fd);
            return -1;
        }
        c->fd = fd;
        return 0;
    }
    c->fd = nb_sock_connect("127.0.0.1", port, TC_WAIT_MS, NULL, NULL);
    return c->fd >= 0 ? 0 : -1;
}

void tc_close(tc *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    nb_decoder_free(&c->dec);
}

int tc_send_bytes(tc *c, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint64_t deadline = nb_time_ms() + TC_WAIT_MS;
    while (n > 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0 || nb_time_ms() > deadline) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int tc_send(tc *c, const nb_frame *f)
{
    uint8_t buf[NB_FRAME_MAX];
    int n = nb_encode(f, buf, sizeof buf, NULL);
    return n < 0 ? -1 : tc_send_bytes(c, buf, (size_t)n);
}

int tc_send_hello(tc *c, uint64_t token, const char *name)
{
    nb_frame h = { .type = NB_FT_HELLO, .u.hello = { NB_PROTO_VERSION, token },
                   .text = name, .text_len = (uint32_t)strlen(name) };
    return tc_send(c, &h);
}

int tc_send_segment(tc *c, uint16_t author, uint32_t stroke, uint8_t flags)
{
    nb_frame s = { .type = NB_FT_SEGMENT,
                   .u.seg = { author, stroke, 1, 2, 3, 4, 0x11223344u, 5, flags } };
    return tc_send(c, &s);
}

int tc_send_text(tc *c, uint8_t type, const char *text)
{
    nb_frame f = { .type = type, .text = text, .text_len = (uint32_t)strlen(text) };
    return tc_send(c, &f);
}

int tc_join(tc *c, int port, uint64_t token, const char *name)
{
    if (tc_connect(c, port, 0) != 0) return -1;
    if (tc_send_bytes(c, NB_SIGNATURE, NB_SIG_LEN) != 0 || tc_send_hello(c, token, name) != 0)
        return -1;
    nb_frame w;
    if (tc_recv(c, &w, TC_WAIT_MS) != 1 || w.type != NB_FT_WELCOME) return -1;
    c->author = w.u.welcome.author;
    c->held = w.u.welcome.held;
    c->history = w.u.welcome.history;
    size_t n = w.text_len < sizeof c->board ? w.text_len : sizeof c->board - 1;
    memcpy(c->board, w.text, n);
    c->board[n] = '\0';
    return 0;
}

/* Waits up to the deadline for readable data; 1 readable, 0 timeout. */
static int wait_readable(int fd, uint64_t deadline)
{
    for (;;) {
        uint64_t now = nb_time_ms();
        if (now >= deadline) return 0;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int n = poll(&p, 1, (int)(deadline - now));
        if (n > 0) return 1;
        if (n < 0 && errno != EINTR) return 0;
    }
}

int tc_recv(tc *c, nb_frame *f, int timeout_ms)
{
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    for (;;) {
        while (c->pos < c->len) {
            size_t used = 0;
            int rc = nb_decoder_feed(&c->dec, c->buf + c->pos, c->len - c->pos, &used, f, NULL);
            if (rc == NB_DEC_ERROR) return -1;
            c->pos += used;
            if (rc == NB_DEC_FRAME) return 1;
        }
        c->pos = c->len = 0;
        if (!wait_readable(c->fd, deadline)) return 0;
        ssize_t r = read(c->fd, c->buf, sizeof c->buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        c->len = (size_t)r;
    }
}

int tc_recv_type(tc *c, uint8_t type, nb_frame *f, int timeout_ms)
{
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    for (;;) {
        uint64_t now = nb_time_ms();
        int rc = tc_recv(c, f, now >= deadline ? 0 : (int)(deadline - now));
        if (rc != 1 || f->type == type) return rc;
    }
}

int tc_sync(tc *c)
{
    static uint64_t next = 0x5eed;
    uint64_t token = ++next;
    nb_frame p = { .type = NB_FT_PING, .u.token = token }, q;
    if (tc_send(c, &p) != 0) return -1;
    uint64_t deadline = nb_time_ms() + TC_WAIT_MS;
    while (nb_time_ms() < deadline) {
        if (tc_recv_type(c, NB_FT_PONG, &q, TC_WAIT_MS) != 1) return -1;
        if (q.u.token == token) return 0;
    }
    return -1;
}

int tc_wait_closed(tc *c, int timeout_ms)
{
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    uint8_t buf[4096];
    for (;;) {
        if (!wait_readable(c->fd, deadline)) return 0;
        ssize_t r = read(c->fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return 1;
    }
}

int raw_connect(rawc *r, int port)
{
    memset(r, 0, sizeof *r);
    r->fd = nb_sock_connect("127.0.0.1", port, TC_WAIT_MS, NULL, NULL);
    return r->fd >= 0 ? 0 : -1;
}

int raw_send(rawc *r, const char *text)
{
    size_t n = strlen(text);
    while (n > 0) {
        ssize_t w = send(r->fd, text, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        text += w;
        n -= (size_t)w;
    }
    return 0;
}

int raw_readline(rawc *r, char *out, size_t cap, int timeout_ms)
{
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    for (;;) {
        char *nl = memchr(r->buf, '\n', r->len);
        if (nl) {
            size_t n = (size_t)(nl - r->buf);
            size_t k = n < cap - 1 ? n : cap - 1;
            memcpy(out, r->buf, k);
            out[k] = '\0';
            memmove(r->buf, nl + 1, r->len - n - 1);
            r->len -= n + 1;
            return 1;
        }
        if (r->len == sizeof r->buf) return -1;   /* a line longer than the test expects */
        if (!wait_readable(r->fd, deadline)) return 0;
        ssize_t k = read(r->fd, r->buf + r->len, sizeof r->buf - r->len);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        r->len += (size_t)k;
    }
}

int raw_expect(rawc *r, const char *prefix, char *out, size_t cap, int timeout_ms)
{
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    for (;;) {
        uint64_t now = nb_time_ms();
        int rc = raw_readline(r, out, cap, now >= deadline ? 0 : (int)(deadline - now));
        if (rc != 1 || strncmp(out, prefix, strlen(prefix)) == 0) return rc;
    }
}

void raw_close(rawc *r)
{
    if (r->fd >= 0) close(r->fd);
    r->fd = -1;
}
