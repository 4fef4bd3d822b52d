/* nb_discover.c — the multicast sockets and the discovery thread (see DESIGN in
 * nb_discover.h). */
#include "nb_discover.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_log.h"
#include "nb_time.h"

#define RECV_BATCH 64   /* datagrams drained per wake-up, so a flood can't starve sends */

struct nb_discover {
    /* set by start, read-only afterwards */
    int rx, tx, wake;                  /* rx is -1 with NB_DISCOVER_NO_LISTEN */
    struct sockaddr_in group;          /* destination of announcements */
    uint64_t instance;
    int interval_ms, expire_ms;
    int ignore_self;
    pthread_t thread;

    pthread_mutex_t mu;                /* guards everything below */
    int stopping;
    int dirty;                         /* announcement changed: send it soon */
    size_t dgram_len;                  /* 0: not announcing */
    uint8_t dgram[NB_ANNOUNCE_MAX];
    nb_discover_table table;
    nb_discover_stats stats;
};

static uint64_t random_instance(const void *salt)
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v) {
        /* No entropy yet (early boot): splitmix64 over the clock, pid and an address is
         * still unique enough to tell two boards apart. */
        v = nb_time_ns() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)salt;
        v += 0x9e3779b97f4a7c15ull;
        v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ull;
        v = (v ^ (v >> 27)) * 0x94d049bb133111ebull;
        v ^= v >> 31;
    }
    return v ? v : 1;
}

/* Encode a with our instance id into d->dgram; caller holds d->mu. */
static int store_announce(nb_discover *d, const nb_announce *a, char *err)
{
    nb_announce copy = *a;
    copy.instance = d->instance;
    copy.flags &= (uint8_t)~NB_ANNOUNCE_BYE;
    uint8_t buf[NB_ANNOUNCE_MAX];
    size_t n = nb_announce_encode(&copy, buf, sizeof buf, err);
    if (n == 0) return -1;
    if (n != d->dgram_len || memcmp(buf, d->dgram, n) != 0) d->dirty = 1;
    memcpy(d->dgram, buf, n);
    d->dgram_len = n;
    return 0;
}

static void wake(nb_discover *d)
{
    uint64_t one = 1;
    /* Can only fail with EAGAIN when the counter is saturated: the thread is awake then. */
    if (write(d->wake, &one, sizeof one) < 0) nb_debug("discover: wake: %s", strerror(errno));
}

/* Discovery thread: send d->dgram (or a BYE built from it) once. */
static void send_dgram(nb_discover *d, const uint8_t *buf, size_t len, int *warned)
{
    ssize_t n = sendto(d->tx, buf, len, 0, (const struct sockaddr *)&d->group, sizeof d->group);
    int e = errno;
    pthread_mutex_lock(&d->mu);
    if (n == (ssize_t)len) d->stats.sent++;
    else d->stats.send_errors++;
    pthread_mutex_unlock(&d->mu);
    if (n != (ssize_t)len) {
        /* Once at warn (no multicast route, interface down), then quietly: it repeats
         * every interval. */
        char gs[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &d->group.sin_addr, gs, sizeof gs);
        nb_log(*warned ? NB_LOG_DEBUG : NB_LOG_WARN, "discover: announcing to %s:%u: %s",
               gs, ntohs(d->group.sin_port), n < 0 ? strerror(e) : "short send");
        *warned = 1;
    }
}

/* Discovery thread: one received datagram. */
static void handle_dgram(nb_discover *d, const uint8_t *buf, ssize_t n, size_t cap,
                         const struct sockaddr_in *from)
{
    char addr[NB_DISCOVER_ADDR_LEN], err[NB_ERR_LEN];
    inet_ntop(AF_INET, &from->sin_addr, addr, sizeof addr);
    nb_announce a;
    int rc = -1;
    if ((size_t)n > cap) nb_set_error(err, "oversized (%zd bytes)", n);
    else rc = nb_announce_decode(buf, (size_t)n, &a, err);
    nb_discover_update up = NB_DISCOVER_IGNORED;
    pthread_mutex_lock(&d->mu);
    d->stats.received++;
    if (rc < 0) {
        d->stats.bad++;
    } else if (d->ignore_self && a.instance == d->instance) {
        d->stats.self++;
    } else {
        up = nb_discover_table_update(&d->table, &a, addr, nb_time_ms());
        if (up == NB_DISCOVER_FULL) d->stats.dropped++;
    }
    pthread_mutex_unlock(&d->mu);

    if (rc < 0) nb_debug("discover: bad datagram from %s:%u: %s", addr, ntohs(from->sin_port), err);
    else if (up == NB_DISCOVER_ADDED)
        nb_info("discover: found board \"%s\" at %s:%u (%s)", a.board, addr, a.port, a.host);
    else if (up == NB_DISCOVER_REMOVED)
        nb_info("discover: board \"%s\" at %s:%u closed", a.board, addr, a.port);
    else if (up == NB_DISCOVER_FULL)
        nb_debug("discover: table full, board \"%s\" at %s dropped", a.board, addr);
}

static void drain(nb_discover *d)
{
    uint8_t buf[NB_ANNOUNCE_MAX + 1];   /* one spare byte: longer datagrams are refused */
    for (int i = 0; i < RECV_BATCH; i++) {
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        /* MSG_TRUNC: the real length, so an oversized datagram isn't mistaken for a
         * valid prefix. */
        ssize_t n = recvfrom(d->rx, buf, sizeof buf, MSG_TRUNC, (struct sockaddr *)&from, &fl);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                nb_debug("discover: recvfrom: %s", strerror(errno));
            return;
        }
        if (fl < sizeof from || from.sin_family != AF_INET) continue;
        handle_dgram(d, buf, n, sizeof buf, &from);
    }
}

static void *run(void *arg)
{
    nb_discover *d = arg;
    int warned = 0;
    uint64_t next = 0, last_sent = 0;
    for (;;) {
        uint8_t dgram[NB_ANNOUNCE_MAX];
        pthread_mutex_lock(&d->mu);
        int stopping = d->stopping;
        size_t len = d->dgram_len;
        memcpy(dgram, d->dgram, len);
        if (d->dirty) {
            /* A change goes out soon, but at most four times per interval. */
            uint64_t soon = last_sent + (uint64_t)d->interval_ms / 4;
            if (soon < next) next = soon;
            d->dirty = 0;
        }
        nb_discover_table_expire(&d->table, nb_time_ms(), (uint64_t)d->expire_ms);
        pthread_mutex_unlock(&d->mu);
        if (stopping) break;

        uint64_t now = nb_time_ms();
        if (len && now >= next) {
            send_dgram(d, dgram, len, &warned);
            last_sent = now;
            next = now + (uint64_t)d->interval_ms;
        }
        int timeout = d->interval_ms;
        if (len) timeout = (int)(next > now ? next - now : 0);

        struct pollfd p[2] = { { .fd = d->wake, .events = POLLIN },
                               { .fd = d->rx, .events = POLLIN } };   /* fd -1: ignored */
        int r = poll(p, 2, timeout);
        if (r < 0 && errno != EINTR) {
            nb_error("discover: poll: %s", strerror(errno));
            break;
        }
        if (r <= 0) continue;
        if (p[0].revents & POLLIN) {
            uint64_t v;
            if (read(d->wake, &v, sizeof v) < 0 && errno != EAGAIN)
                nb_debug("discover: wake read: %s", strerror(errno));
        }
        if (p[1].revents & POLLIN) drain(d);
    }
    return NULL;
}

static int setopt(int fd, int level, int name, const void *v, socklen_t len, const char *what,
                  char *err)
{
    if (setsockopt(fd, level, name, v, len) == 0) return 0;
    nb_set_error(err, "discover: %s: %s", what, strerror(errno));
    return -1;
}

/* The sending socket: unbound (ephemeral port), TTL, loop and interface set. */
static int open_tx(const nb_discover_opts *o, struct in_addr ifa, int ttl, char *err)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        nb_set_error(err, "discover: socket: %s", strerror(errno));
        return -1;
    }
    unsigned char t = (unsigned char)ttl, loop = !(o->flags & NB_DISCOVER_NO_LOOP);
    if (setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &t, sizeof t, "IP_MULTICAST_TTL", err) < 0 ||
        setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop, "IP_MULTICAST_LOOP", err) < 0)
        goto fail;
    if (ifa.s_addr != htonl(INADDR_ANY) &&
        setopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof ifa, "IP_MULTICAST_IF", err) < 0)
        goto fail;
    return fd;
fail:
    close(fd);
    return -1;
}

/* The receiving socket: bound to group:port (so only the group's datagrams arrive), shared
 * with other netboards on this host, member of the group on the interface. */
static int open_rx(const struct sockaddr_in *group, struct in_addr ifa, char *err)
{
    int one = 1;
    char gs[INET_ADDRSTRLEN], is[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &group->sin_addr, gs, sizeof gs);
    inet_ntop(AF_INET, &ifa, is, sizeof is);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        nb_set_error(err, "discover: socket: %s", strerror(errno));
        return -1;
    }
    if (setopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one, "SO_REUSEADDR", err) < 0 ||
        setopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one, "SO_REUSEPORT", err) < 0)
        goto fail;
    if (bind(fd, (const struct sockaddr *)group, sizeof *group) < 0) {
        nb_set_error(err, "discover: bind %s:%u: %s", gs, ntohs(group->sin_port), strerror(errno));
        goto fail;
    }
    struct ip_mreq mr = { .imr_multiaddr = group->sin_addr, .imr_interface = ifa };
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
        nb_set_error(err, "discover: joining %s on interface %s: %s (no multicast route?)",
                     gs, is, strerror(errno));
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return -1;
}

nb_discover *nb_discover_start(const nb_discover_opts *o, char *err)
{
    static const nb_discover_opts defaults;
    if (!o) o = &defaults;
    const char *group = o->group ? o->group : NB_DISCOVER_GROUP;
    int ttl = o->ttl ? o->ttl : 1;
    NB_ASSERT(ttl > 0 && ttl < 256 && o->interval_ms >= 0 && o->expire_ms >= 0);

    nb_discover *d = calloc(1, sizeof *d);
    if (!d) {
        nb_set_error(err, "discover: out of memory");
        return NULL;
    }
    d->rx = d->tx = d->wake = -1;
    pthread_mutex_init(&d->mu, NULL);
    nb_discover_table_init(&d->table);
    d->instance = random_instance(d);
    d->interval_ms = o->interval_ms ? o->interval_ms : 1000;
    d->expire_ms = o->expire_ms ? o->expire_ms : NB_DISCOVER_TTL_MS;
    d->ignore_self = !!(o->flags & NB_DISCOVER_IGNORE_SELF);

    d->group.sin_family = AF_INET;
    d->group.sin_port = htons(o->port ? o->port : NB_DISCOVER_PORT);
    if (inet_pton(AF_INET, group, &d->group.sin_addr) != 1 ||
        !IN_MULTICAST(ntohl(d->group.sin_addr.s_addr))) {
        nb_set_error(err, "discover: \"%s\" is not an IPv4 multicast group", group);
        goto fail;
    }
    struct in_addr ifa = { .s_addr = htonl(INADDR_ANY) };
    if (o->iface && inet_pton(AF_INET, o->iface, &ifa) != 1) {
        nb_set_error(err, "discover: interface \"%s\" is not an IPv4 address", o->iface);
        goto fail;
    }
    if (o->announce && store_announce(d, o->announce, err) < 0) goto fail;
    if ((d->tx = open_tx(o, ifa, ttl, err)) < 0) goto fail;
    if (!(o->flags & NB_DISCOVER_NO_LISTEN) && (d->rx = open_rx(&d->group, ifa, err)) < 0)
        goto fail;
    if ((d->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
        nb_set_error(err, "discover: eventfd: %s", strerror(errno));
        goto fail;
    }
    int rc = pthread_create(&d->thread, NULL, run, d);
    if (rc != 0) {
        nb_set_error(err, "discover: pthread_create: %s", strerror(rc));
        goto fail;
    }
    nb_debug("discover: %s on %s:%u, instance %016llx", d->rx < 0 ? "announcing" : "listening",
             group, ntohs(d->group.sin_port), (unsigned long long)d->instance);
    return d;
fail:
    if (d->rx >= 0) close(d->rx);
    if (d->tx >= 0) close(d->tx);
    if (d->wake >= 0) close(d->wake);
    pthread_mutex_destroy(&d->mu);
    free(d);
    return NULL;
}

void nb_discover_stop(nb_discover *d)
{
    if (!d) return;
    pthread_mutex_lock(&d->mu);
    d->stopping = 1;
    pthread_mutex_unlock(&d->mu);
    wake(d);
    pthread_join(d->thread, NULL);

    /* The thread is gone: the sockets are ours. A BYE lets the others drop us now
     * instead of after their expiry. */
    if (d->dgram_len) {
        int warned = 1;
        d->dgram[5] |= NB_ANNOUNCE_BYE;   /* flags byte, see nb_announce.h */
        send_dgram(d, d->dgram, d->dgram_len, &warned);
    }
    if (d->rx >= 0) close(d->rx);
    close(d->tx);
    close(d->wake);
    pthread_mutex_destroy(&d->mu);
    free(d);
}

int nb_discover_set_announce(nb_discover *d, const nb_announce *a, char *err)
{
    NB_ASSERT(d);
    int rc = 0;
    pthread_mutex_lock(&d->mu);
    if (a) {
        rc = store_announce(d, a, err);
    } else {
        d->dgram_len = 0;
    }
    int dirty = d->dirty;
    pthread_mutex_unlock(&d->mu);
    if (dirty || !a) wake(d);
    return rc;
}

size_t nb_discover_list(nb_discover *d, nb_discover_entry *out, size_t max)
{
    NB_ASSERT(d && (out || max == 0));
    pthread_mutex_lock(&d->mu);
    nb_discover_table_expire(&d->table, nb_time_ms(), (uint64_t)d->expire_ms);
    size_t n = NB_MIN(max, d->table.count);
    memcpy(out, d->table.e, n * sizeof *out);
    pthread_mutex_unlock(&d->mu);
    return n;
}

uint64_t nb_discover_instance(const nb_discover *d)
{
    NB_ASSERT(d);
    return d->instance;   /* set before the thread starts, never written again */
}

void nb_discover_get_stats(nb_discover *d, nb_discover_stats *out)
{
    NB_ASSERT(d && out);
    pthread_mutex_lock(&d->mu);
    *out = d->stats;
    pthread_mutex_unlock(&d->mu);
}
