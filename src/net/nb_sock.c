/* nb_sock.c — TCP helpers: listen, classified connect with timeout, options, names. */
#include "nb_sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_time.h"

#define DEFAULT_BACKLOG 511
#define DEFAULT_CONNECT_MS 5000

const char *nb_sock_outcome_name(nb_sock_outcome o)
{
    switch (o) {
    case NB_SOCK_OPEN: return "open";
    case NB_SOCK_REFUSED: return "refused";
    case NB_SOCK_TIMEOUT: return "timeout";
    case NB_SOCK_UNREACHABLE: return "unreachable";
    case NB_SOCK_RESOLVE_FAILED: return "resolve-failed";
    case NB_SOCK_ERROR: return "error";
    }
    return "?";
}

char *nb_sock_addr_str(const struct sockaddr *sa, char *out, size_t cap)
{
    NB_ASSERT(out && cap > 0);
    char host[INET6_ADDRSTRLEN + 16];
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        snprintf(out, cap, "%s:%u", host, (unsigned)ntohs(in->sin_port));
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            /* a v4 peer on a dual-stack socket: show it the way the user typed it */
            inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host, sizeof host);
            snprintf(out, cap, "%s:%u", host, (unsigned)ntohs(in6->sin6_port));
        } else {
            inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
            if (in6->sin6_scope_id)
                snprintf(out, cap, "[%s%%%u]:%u", host, (unsigned)in6->sin6_scope_id,
                         (unsigned)ntohs(in6->sin6_port));
            else
                snprintf(out, cap, "[%s]:%u", host, (unsigned)ntohs(in6->sin6_port));
        }
    } else {
        nb_strlcpy(out, "?", cap);
    }
    return out;
}

static int name_of(int fd, int peer, char *out, size_t cap)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int rc = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
                  : getsockname(fd, (struct sockaddr *)&ss, &len);
    if (rc != 0) {
        nb_strlcpy(out, "?", cap);
        return -1;
    }
    nb_sock_addr_str((struct sockaddr *)&ss, out, cap);
    return 0;
}

int nb_sock_peer_str(int fd, char *out, size_t cap) { return name_of(fd, 1, out, cap); }
int nb_sock_local_str(int fd, char *out, size_t cap) { return name_of(fd, 0, out, cap); }

int nb_sock_local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return -1;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

int nb_sock_set_nonblock(int fd, int on, char *err)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK)) < 0) {
        nb_set_error(err, "fcntl(O_NONBLOCK) on fd %d: %s", fd, strerror(errno));
        return -1;
    }
    return 0;
}

int nb_sock_set_nodelay(int fd, int on, char *err)
{
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) {
        nb_set_error(err, "setsockopt(TCP_NODELAY) on fd %d: %s", fd, strerror(errno));
        return -1;
    }
    return 0;
}

int nb_sock_set_keepalive(int fd, int idle_s, int intvl_s, int cnt, char *err)
{
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) != 0) goto fail;
    if (idle_s > 0 && setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s) != 0)
        goto fail;
    if (intvl_s > 0 && setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl_s, sizeof intvl_s) != 0)
        goto fail;
    if (cnt > 0 && setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt) != 0) goto fail;
    return 0;
fail:
    nb_set_error(err, "setsockopt(keepalive) on fd %d: %s", fd, strerror(errno));
    return -1;
}

/* ---- listen --------------------------------------------------------------------- */

static int listen_on(const struct sockaddr *sa, socklen_t salen, int backlog, char *err)
{
    char name[NB_SOCK_ADDR_LEN];
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) goto fail;
    int on = 1, off = 0;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) goto fail;
    /* "::" should also take IPv4 clients, whatever net.ipv6.bindv6only says */
    if (sa->sa_family == AF_INET6 &&
        IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)sa)->sin6_addr) &&
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0)
        goto fail;
    if (bind(fd, sa, salen) != 0) goto fail;
    if (listen(fd, backlog) != 0) goto fail;
    return fd;
fail:
    nb_set_error(err, "listen on %s: %s", nb_sock_addr_str(sa, name, sizeof name),
                 strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
}

int nb_sock_listen(const char *bind_addr, int port, int backlog, char *err)
{
    NB_ASSERT(port >= 0 && port <= 65535);
    if (backlog <= 0) backlog = DEFAULT_BACKLOG;
    if (!bind_addr || !*bind_addr) {
        struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
                                   .sin6_addr = IN6ADDR_ANY_INIT };
        int fd = listen_on((struct sockaddr *)&a6, sizeof a6, backlog, err);
        if (fd >= 0) return fd;
        /* no IPv6 in this kernel/container: fall back to every IPv4 address */
        struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_ANY) };
        return listen_on((struct sockaddr *)&a4, sizeof a4, backlog, err);
    }

    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *ai = NULL;
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    int fd = -1, rc = getaddrinfo(bind_addr, service, &hints, &ai);
    if (rc != 0) {
        nb_set_error(err, "resolve bind address %s: %s", bind_addr, gai_strerror(rc));
        goto fail;
    }
    for (struct addrinfo *p = ai; p && fd < 0; p = p->ai_next)
        fd = listen_on(p->ai_addr, p->ai_addrlen, backlog, err);
fail:
    if (ai) freeaddrinfo(ai);
    return fd;
}

/* ---- connect -------------------------------------------------------------------- */

static nb_sock_outcome classify(int e)
{
    switch (e) {
    case 0: return NB_SOCK_OPEN;
    case ECONNREFUSED: return NB_SOCK_REFUSED;
    case ETIMEDOUT: return NB_SOCK_TIMEOUT;
    case ENETUNREACH: case EHOSTUNREACH: case ENETDOWN: case EHOSTDOWN:
        return NB_SOCK_UNREACHABLE;
    default: return NB_SOCK_ERROR;
    }
}

/* One address: non-blocking connect, then poll until connected, failed or out of time.
 * Returns the fd (blocking again) or -1 with *out_errno set (ETIMEDOUT on poll timeout). */
static int connect_one(const struct addrinfo *p, uint64_t deadline_ms, int *out_errno)
{
    int fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, p->ai_protocol);
    if (fd < 0) goto fail;
    if (connect(fd, p->ai_addr, p->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) goto fail;
        for (;;) {
            uint64_t now = nb_time_ms();
            if (now >= deadline_ms) {
                errno = ETIMEDOUT;
                goto fail;
            }
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            int n = poll(&pfd, 1, (int)(deadline_ms - now));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) goto fail;
            if (n == 0) continue;   /* deadline re-checked above */
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) goto fail;
            if (soerr != 0) {
                errno = soerr;
                goto fail;
            }
            break;
        }
    }
    if (nb_sock_set_nonblock(fd, 0, NULL) != 0) goto fail;
    *out_errno = 0;
    return fd;
fail:
    *out_errno = errno;
    if (fd >= 0) close(fd);
    return -1;
}

int nb_sock_connect(const char *host, int port, int timeout_ms, nb_sock_result *res, char *err)
{
    NB_ASSERT(host && port >= 0 && port <= 65535);
    nb_sock_result local;
    if (!res) res = &local;
    memset(res, 0, sizeof *res);
    if (timeout_ms <= 0) timeout_ms = DEFAULT_CONNECT_MS;
    uint64_t t0 = nb_time_ms(), deadline = t0 + (uint64_t)timeout_ms;

    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV }, *ai = NULL;
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    int fd = -1, rc = getaddrinfo(host, service, &hints, &ai);
    if (rc != 0) {
        res->outcome = NB_SOCK_RESOLVE_FAILED;
        res->sys_errno = rc == EAI_SYSTEM ? errno : 0;
        snprintf(res->addr, sizeof res->addr, "%s:%d", host, port);
        nb_set_error(err, "resolve %s: %s", host, gai_strerror(rc));
        goto done;
    }
    for (struct addrinfo *p = ai; p && fd < 0; p = p->ai_next) {
        int e = 0;
        res->addrs_tried++;
        nb_sock_addr_str(p->ai_addr, res->addr, sizeof res->addr);
        fd = connect_one(p, deadline, &e);
        res->outcome = classify(e);
        res->sys_errno = e;
        if (fd < 0) nb_set_error(err, "connect %s (%s): %s", res->addr, host, strerror(e));
        if (res->outcome == NB_SOCK_TIMEOUT && nb_time_ms() >= deadline) break;
    }
done:
    if (ai) freeaddrinfo(ai);
    res->elapsed_ms = (int)(nb_time_ms() - t0);
    return fd;
}
