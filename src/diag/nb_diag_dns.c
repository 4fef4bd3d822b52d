/* nb_diag_dns.c — resolver diagnostics: getaddrinfo (dns) and getnameinfo (reverse),
 * timed. Both block for as long as the resolver takes; the app runs them through
 * nb_diag_job, off the render thread. */
#include "nb_diag.h"
#include "nb_time.h"

#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const char *family_name(int f)
{
    return f == AF_INET ? "IPv4" : f == AF_INET6 ? "IPv6" : "other";
}

static const char *socktype_name(int t)
{
    switch (t) {
    case SOCK_STREAM: return "SOCK_STREAM";
    case SOCK_DGRAM: return "SOCK_DGRAM";
    case SOCK_RAW: return "SOCK_RAW";
    default: return "?";
    }
}

/* getprotobynumber is not thread-safe and reads /etc/protocols: the three that
 * getaddrinfo returns are enough. */
static const char *proto_name(int p)
{
    switch (p) {
    case IPPROTO_TCP: return "tcp";
    case IPPROTO_UDP: return "udp";
    case 0: return "ip";
    default: return "?";
    }
}

static double ms_since(uint64_t t0) { return (double)(nb_time_ns() - t0) / 1e6; }

int nb_diag_dns(const char *name, nb_diag_emit emit, void *ud)
{
    /* The flags getent ahosts uses, so the two agree: AI_ADDRCONFIG drops IPv6 results on
     * a host with no IPv6 address (other than ::1), as most clients see it. */
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_flags = AI_CANONNAME | AI_ADDRCONFIG | AI_V4MAPPED };
    struct addrinfo *res = NULL;
    char host[NI_MAXHOST];
    NB_ASSERT(name);
    uint64_t t0 = nb_time_ns();
    int rc = getaddrinfo(name, NULL, &hints, &res);
    double ms = ms_since(t0);
    if (rc != 0)
        return nb_diag_fail(emit, ud, "dns: getaddrinfo(\"%.100s\"): %s (after %.1f ms)", name,
                            gai_strerror(rc), ms);
    int n = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) n++;
    nb_diag_emitf(emit, ud, "getaddrinfo(\"%.100s\"): %d result%s in %.1f ms", name, n,
                  n == 1 ? "" : "s", ms);
    nb_diag_emitf(emit, ud, "canonical name: %.200s",
                  res->ai_canonname ? res->ai_canonname : "(none)");
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int g = getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST);
        nb_diag_emitf(emit, ud, "  %-4s  %-39s  %-11s  %s", family_name(ai->ai_family),
                      g == 0 ? host : gai_strerror(g), socktype_name(ai->ai_socktype),
                      proto_name(ai->ai_protocol));
    }
    freeaddrinfo(res);
    return 0;
}

int nb_diag_reverse(const char *addr, nb_diag_emit emit, void *ud)
{
    /* AI_NUMERICHOST: the input must already be an address (scope ids allowed), so this
     * step never touches the network and a typo fails at once. */
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_flags = AI_NUMERICHOST };
    struct addrinfo *res = NULL;
    char host[NI_MAXHOST], num[NI_MAXHOST];
    int ret = -1;
    NB_ASSERT(addr);
    int rc = getaddrinfo(addr, NULL, &hints, &res);
    if (rc != 0) {
        nb_diag_fail(emit, ud, "reverse: \"%.100s\" is not a numeric address: %s", addr, gai_strerror(rc));
        goto fail;
    }
    getnameinfo(res->ai_addr, res->ai_addrlen, num, sizeof num, NULL, 0, NI_NUMERICHOST);
    uint64_t t0 = nb_time_ns();
    rc = getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof host, NULL, 0, NI_NAMEREQD);
    double ms = ms_since(t0);
    if (rc != 0) {
        nb_diag_fail(emit, ud, "reverse: getnameinfo(%s): %s (after %.1f ms)", num, gai_strerror(rc), ms);
        goto fail;
    }
    nb_diag_emitf(emit, ud, "getnameinfo(%s): %.200s in %.1f ms", num, host, ms);
    nb_diag_emitf(emit, ud, "family: %s", family_name(res->ai_family));
    ret = 0;
fail:
    if (res) freeaddrinfo(res);
    return ret;
}
