/* nb_diag_sock.c — socket diagnostics: port (connect check), sockbuf, tcpinfo,
 * udp-echo, sockopts and the app's live-connection report. Connecting with a timeout
 * and classifying the outcome is nb_sock_connect's job (src/net); this file only
 * reports. Every socket opened here is closed before the call returns. */
#include "nb_diag.h"
#include "nb_sock.h"
#include "nb_tcpinfo.h"
#include "nb_time.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define ECHO_ROUNDS 5
#define ECHO_WAIT_MS 1000       /* per datagram: loopback answers in microseconds */
#define DEMO_RCVTIMEO_MS 50
#define BUF_REQUEST 65536

static int get_int(int fd, int level, int opt, int *out)
{
    socklen_t len = sizeof *out;
    return getsockopt(fd, level, opt, out, &len);
}

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

int nb_diag_port(const char *host, int port, int timeout_ms, nb_diag_emit emit, void *ud)
{
    char err[NB_ERR_LEN] = "";
    nb_sock_result r;
    NB_ASSERT(host && port > 0 && port <= 65535);
    memset(&r, 0, sizeof r);
    int fd = nb_sock_connect(host, port, timeout_ms > 0 ? timeout_ms : NB_DIAG_TIMEOUT_MS, &r, err);
    if (fd < 0)
        return nb_diag_fail(emit, ud, "port %.100s %d: %s after %d ms (%d address%s tried%s%s): %s",
                            host, port, nb_sock_outcome_name(r.outcome), r.elapsed_ms, r.addrs_tried,
                            r.addrs_tried == 1 ? "" : "es", r.addrs_tried ? ", last " : "",
                            r.addrs_tried ? r.addr : "", err);
    nb_diag_emitf(emit, ud, "port %.100s %d: open, connected to %s in %d ms (%d address%s tried)",
                  host, port, r.addr, r.elapsed_ms, r.addrs_tried, r.addrs_tried == 1 ? "" : "es");
    close(fd);
    return 0;
}

static void emit_bufs(int fd, const char *what, nb_diag_emit emit, void *ud)
{
    int snd = -1, rcv = -1;
    get_int(fd, SOL_SOCKET, SO_SNDBUF, &snd);
    get_int(fd, SOL_SOCKET, SO_RCVBUF, &rcv);
    nb_diag_emitf(emit, ud, "%s: SO_SNDBUF %d, SO_RCVBUF %d", what, snd, rcv);
}

/* Set both buffers to `req` on a fresh socket and show what the kernel kept. */
static void emit_set_bufs(int req, nb_diag_emit emit, void *ud)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    int snd = -1, rcv = -1;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &req, sizeof req);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &req, sizeof req);
    get_int(fd, SOL_SOCKET, SO_SNDBUF, &snd);
    get_int(fd, SOL_SOCKET, SO_RCVBUF, &rcv);
    nb_diag_emitf(emit, ud, "set both to %d: SO_SNDBUF reads %d, SO_RCVBUF reads %d%s", req, snd, rcv,
                  snd == 2 * req ? " (doubled: the kernel adds room for its bookkeeping, socket(7))"
                  : snd > 2 * req ? " (raised to the kernel's minimum)" : "");
    close(fd);
}

/* A connected TCP pair on 127.0.0.1: the stand-in for "a connected socket" when no
 * host is given. *client and *server are -1 on failure. */
static int loopback_pair(int *client, int *server, char *err)
{
    int lfd = -1;
    *client = *server = -1;
    if ((lfd = nb_sock_listen("127.0.0.1", 0, 1, err)) < 0) goto fail;
    if ((*client = nb_sock_connect("127.0.0.1", nb_sock_local_port(lfd), NB_DIAG_TIMEOUT_MS, NULL, err)) < 0)
        goto fail;
    /* connect returned, so the handshake is done and accept does not wait. */
    if ((*server = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
        nb_set_error(err, "accept on 127.0.0.1: %s", strerror(errno));
        goto fail;
    }
    close(lfd);
    return 0;
fail:
    close_fd(&lfd);
    close_fd(client);
    return -1;
}

int nb_diag_sockbuf(const char *host, int port, int timeout_ms, nb_diag_emit emit, void *ud)
{
    char err[NB_ERR_LEN] = "", peer[NB_SOCK_ADDR_LEN];
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), other = -1;
    if (fd < 0) return nb_diag_fail(emit, ud, "sockbuf: socket: %s", strerror(errno));
    emit_bufs(fd, "fresh TCP socket", emit, ud);
    close(fd);
    emit_set_bufs(BUF_REQUEST, emit, ud);
    emit_set_bufs(1, emit, ud);

    if (host) {
        nb_sock_result r;
        fd = nb_sock_connect(host, port, timeout_ms > 0 ? timeout_ms : NB_DIAG_TIMEOUT_MS, &r, err);
    } else {
        loopback_pair(&fd, &other, err);   /* fd stays -1 on failure */
    }
    if (fd < 0) return nb_diag_fail(emit, ud, "sockbuf: %s", err);
    nb_sock_peer_str(fd, peer, sizeof peer);
    char what[NB_SOCK_ADDR_LEN + 32];
    snprintf(what, sizeof what, "connected to %s", peer);
    emit_bufs(fd, what, emit, ud);
    nb_diag_emitf(emit, ud, "(TCP autotuning grows buffers between tcp_rmem/tcp_wmem min and max "
                  "unless SO_*BUF was set)");
    close(fd);
    if (other >= 0) close(other);
    return 0;
}

int nb_diag_tcpinfo(const char *host, int port, int timeout_ms, nb_diag_emit emit, void *ud)
{
    char err[NB_ERR_LEN] = "";
    nb_sock_result r;
    NB_ASSERT(host);
    int fd = nb_sock_connect(host, port, timeout_ms > 0 ? timeout_ms : NB_DIAG_TIMEOUT_MS, &r, err);
    if (fd < 0) return nb_diag_fail(emit, ud, "tcpinfo: %s", err);
    nb_diag_emitf(emit, ud, "connected to %s in %d ms", r.addr, r.elapsed_ms);
    int rc = nb_diag_fd_report(fd, emit, ud);
    close(fd);
    return rc;
}

int nb_diag_fd_report(int fd, nb_diag_emit emit, void *ud)
{
    char err[NB_ERR_LEN], local[NB_SOCK_ADDR_LEN], peer[NB_SOCK_ADDR_LEN];
    int type = 0, nodelay = 0;
    nb_tcp_stats st;
    if (get_int(fd, SOL_SOCKET, SO_TYPE, &type) < 0)
        return nb_diag_fail(emit, ud, "fd %d: not a socket: %s", fd, strerror(errno));
    nb_sock_local_str(fd, local, sizeof local);
    nb_sock_peer_str(fd, peer, sizeof peer);
    nb_diag_emitf(emit, ud, "fd %d: %s -> %s", fd, local, peer);
    emit_bufs(fd, "buffers", emit, ud);
    if (type != SOCK_STREAM) return 0;
    get_int(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay);
    nb_diag_emitf(emit, ud, "TCP_NODELAY %s", nodelay ? "on" : "off (Nagle)");
    if (nb_tcpinfo_get(fd, &st, err) < 0) return nb_diag_fail(emit, ud, "%s", err);
    nb_tcpinfo_format(&st, emit, ud);
    return 0;
}

/* Wait up to ECHO_WAIT_MS for fd to be readable. */
static int wait_readable(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int rc;
    do rc = poll(&p, 1, ECHO_WAIT_MS); while (rc < 0 && errno == EINTR);
    return rc == 1 ? 0 : -1;
}

/* One family's echo rounds: the server socket answers in this thread between the
 * client's send and receive, so no second thread is needed. */
static int echo_rounds(int family, nb_diag_emit emit, void *ud)
{
    const char *name = family == AF_INET ? "127.0.0.1" : "::1";
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char buf[64], msg[64], addr[NB_SOCK_ADDR_LEN];
    double min = 1e9, max = 0, sum = 0;
    int srv = -1, cli = -1, rc = -1;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sl = sizeof *s4;
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_addr = in6addr_loopback;
        sl = sizeof *s6;
    }
    if ((srv = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(srv, (struct sockaddr *)&ss, sl) < 0 ||
        getsockname(srv, (struct sockaddr *)&ss, &sl) < 0 ||
        (cli = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(cli, (struct sockaddr *)&ss, sl) < 0) {
        nb_diag_fail(emit, ud, "udp-echo %s: %s", name, strerror(errno));
        goto fail;
    }
    nb_diag_emitf(emit, ud, "udp-echo server %s", nb_sock_addr_str((struct sockaddr *)&ss, addr, sizeof addr));
    for (int i = 1; i <= ECHO_ROUNDS; i++) {
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        int len = snprintf(msg, sizeof msg, "netboard echo %d", i);
        uint64_t t0 = nb_time_ns();
        if (send(cli, msg, (size_t)len, 0) != len) goto io_fail;
        if (wait_readable(srv) < 0) goto timeout;
        ssize_t n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n < 0 || sendto(srv, buf, (size_t)n, 0, (struct sockaddr *)&from, fl) != n) goto io_fail;
        if (wait_readable(cli) < 0) goto timeout;
        n = recv(cli, buf, sizeof buf, 0);
        double ms = (double)(nb_time_ns() - t0) / 1e6;
        if (n != len || memcmp(buf, msg, (size_t)len) != 0) {
            nb_diag_fail(emit, ud, "udp-echo %s: round %d came back different", name, i);
            goto fail;
        }
        if (i == 1)
            nb_diag_emitf(emit, ud, "client %s", nb_sock_addr_str((struct sockaddr *)&from, addr, sizeof addr));
        nb_diag_emitf(emit, ud, "  %d bytes round %d: rtt %.3f ms", len, i, ms);
        min = NB_MIN(min, ms);
        max = NB_MAX(max, ms);
        sum += ms;
    }
    nb_diag_emitf(emit, ud, "rtt min/avg/max %.3f/%.3f/%.3f ms over %d rounds", min,
                  sum / ECHO_ROUNDS, max, ECHO_ROUNDS);
    rc = 0;
    goto fail;
timeout:
    nb_diag_fail(emit, ud, "udp-echo %s: no datagram within %d ms", name, ECHO_WAIT_MS);
    goto fail;
io_fail:
    nb_diag_fail(emit, ud, "udp-echo %s: %s", name, strerror(errno));
fail:
    close_fd(&srv);
    close_fd(&cli);
    return rc;
}

int nb_diag_udp_echo(nb_diag_emit emit, void *ud)
{
    if (echo_rounds(AF_INET, emit, ud) < 0) return -1;
    /* A machine without IPv6 still passes: the v4 part is the lesson. */
    int probe = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (probe < 0) {
        nb_diag_emitf(emit, ud, "no IPv6 here: %s", strerror(errno));
        return 0;
    }
    close(probe);
    return echo_rounds(AF_INET6, emit, ud);
}

int nb_diag_sockopts(nb_diag_emit emit, void *ud)
{
    static const struct { int level, opt; const char *name; } ints[] = {
        { SOL_SOCKET, SO_TYPE, "SO_TYPE" },          { SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR" },
        { SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT" }, { SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE" },
        { SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF" },      { SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF" },
        { SOL_SOCKET, SO_RCVLOWAT, "SO_RCVLOWAT" },  { IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY" },
        { IPPROTO_TCP, TCP_MAXSEG, "TCP_MAXSEG" },   { IPPROTO_IP, IP_TTL, "IP_TTL" },
    };
    int tcp = -1, udp = -1, rc = -1, v;
    struct timeval tv;
    struct linger lg;
    socklen_t len;
    char buf[16];
    if ((tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        nb_diag_fail(emit, ud, "sockopts: socket: %s", strerror(errno));
        goto fail;
    }
    nb_diag_emitf(emit, ud, "fresh TCP socket (AF_INET, SOCK_STREAM):");
    for (size_t i = 0; i < NB_ARRAY_LEN(ints); i++) {
        if (get_int(tcp, ints[i].level, ints[i].opt, &v) == 0)
            nb_diag_emitf(emit, ud, "  %-13s %d", ints[i].name, v);
        else
            nb_diag_emitf(emit, ud, "  %-13s unavailable: %s", ints[i].name, strerror(errno));
    }
    len = sizeof tv;
    if (getsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0)
        nb_diag_emitf(emit, ud, "  %-13s %ld.%06ld s (0: wait forever)", "SO_RCVTIMEO", (long)tv.tv_sec, (long)tv.tv_usec);
    len = sizeof tv;
    if (getsockopt(tcp, SOL_SOCKET, SO_SNDTIMEO, &tv, &len) == 0)
        nb_diag_emitf(emit, ud, "  %-13s %ld.%06ld s", "SO_SNDTIMEO", (long)tv.tv_sec, (long)tv.tv_usec);
    len = sizeof lg;
    if (getsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, &len) == 0)
        nb_diag_emitf(emit, ud, "  %-13s %s, %d s", "SO_LINGER", lg.l_onoff ? "on" : "off", lg.l_linger);
    int fl = fcntl(tcp, F_GETFL);
    nb_diag_emitf(emit, ud, "  %-13s %s", "O_NONBLOCK", fl >= 0 && (fl & O_NONBLOCK) ? "set" : "clear (blocking)");

    /* The blocking vs non-blocking demo on an empty UDP socket: recv can't wait for a
     * peer that doesn't exist, so the outcome shows the mode alone. */
    struct sockaddr_in lo = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if ((udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(udp, (struct sockaddr *)&lo, sizeof lo) < 0) {
        nb_diag_fail(emit, ud, "sockopts: UDP socket on 127.0.0.1: %s", strerror(errno));
        goto fail;
    }
    fl = fcntl(udp, F_GETFL);
    fcntl(udp, F_SETFL, fl | O_NONBLOCK);
    uint64_t t0 = nb_time_ns();
    ssize_t n = recv(udp, buf, sizeof buf, 0);
    int e = errno;
    nb_diag_emitf(emit, ud, "non-blocking recv on an empty socket: %zd, errno %s (%s) after %.3f ms", n,
                  e == EAGAIN ? "EAGAIN" : "?", strerror(e), (double)(nb_time_ns() - t0) / 1e6);
    fcntl(udp, F_SETFL, fl & ~O_NONBLOCK);
    tv.tv_sec = 0;
    tv.tv_usec = DEMO_RCVTIMEO_MS * 1000;
    setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    t0 = nb_time_ns();
    n = recv(udp, buf, sizeof buf, 0);
    e = errno;
    nb_diag_emitf(emit, ud, "blocking recv with SO_RCVTIMEO %d ms: %zd, errno %s (%s) after %.1f ms", DEMO_RCVTIMEO_MS,
                  n, e == EAGAIN ? "EAGAIN" : "?", strerror(e), (double)(nb_time_ns() - t0) / 1e6);
    rc = 0;
fail:
    close_fd(&tcp);
    close_fd(&udp);
    return rc;
}
