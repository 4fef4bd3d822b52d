/* nb_ifaces.c — interface list from getifaddrs, and its formatting; see nb_ifaces.h. */
#include "nb_ifaces.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define IFACES_MAX 64

int nb_ifaces_prefix_len(const uint8_t *mask, size_t len)
{
    int bits = 0;
    for (size_t i = 0; i < len; i++)
        for (int b = 7; b >= 0 && (mask[i] >> b) & 1; b--) bits++;
    return bits;
}

char *nb_ifaces_flags_str(unsigned flags, char *out, size_t cap)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        { IFF_UP, "UP" }, { IFF_BROADCAST, "BROADCAST" }, { IFF_LOOPBACK, "LOOPBACK" },
        { IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_RUNNING, "RUNNING" },
        { IFF_NOARP, "NOARP" }, { IFF_PROMISC, "PROMISC" }, { IFF_MULTICAST, "MULTICAST" },
    };
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < NB_ARRAY_LEN(names); i++) {
        if (!(flags & names[i].bit) || len >= cap) continue;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "," : "", names[i].name);
    }
    return out;
}

char *nb_ifaces_addr_str(const nb_iface_addr *a, char *out, size_t cap)
{
    char txt[INET6_ADDRSTRLEN], brd[INET_ADDRSTRLEN];
    if (a->family == AF_INET) {
        inet_ntop(AF_INET, a->addr, txt, sizeof txt);
        if (a->has_brd) {
            inet_ntop(AF_INET, a->brd, brd, sizeof brd);
            snprintf(out, cap, "inet %s/%d brd %s", txt, a->prefix, brd);
        } else {
            snprintf(out, cap, "inet %s/%d", txt, a->prefix);
        }
    } else {
        const struct in6_addr *a6 = (const struct in6_addr *)a->addr;
        const char *scope = IN6_IS_ADDR_LOOPBACK(a6) ? "host"
                          : IN6_IS_ADDR_LINKLOCAL(a6) ? "link" : "global";
        inet_ntop(AF_INET6, a->addr, txt, sizeof txt);
        snprintf(out, cap, "inet6 %s/%d scope %s", txt, a->prefix, scope);
    }
    return out;
}

void nb_ifaces_format(const nb_iface *list, size_t n, nb_diag_emit emit, void *ud)
{
    char flags[128], mtu[16], line[NB_DIAG_LINE_MAX], hex[32];
    for (size_t i = 0; i < n; i++) {
        const nb_iface *f = &list[i];
        if (f->mtu >= 0) snprintf(mtu, sizeof mtu, "%d", f->mtu);
        else nb_strlcpy(mtu, "?", sizeof mtu);
        nb_diag_emitf(emit, ud, "%s: <%s> mtu %s", f->name,
                      nb_ifaces_flags_str(f->flags, flags, sizeof flags), mtu);
        if (f->has_mac) {
            nb_diag_hex(f->mac, 6, hex, sizeof hex);
            for (char *p = hex; *p; p++) if (*p == ' ') *p = ':';
            nb_diag_emitf(emit, ud, "    link %s", hex);
        }
        for (size_t k = 0; k < f->naddrs; k++)
            nb_diag_emitf(emit, ud, "    %s", nb_ifaces_addr_str(&f->addrs[k], line, sizeof line));
        if (f->dropped) nb_diag_emitf(emit, ud, "    (%zu more addresses not shown)", f->dropped);
    }
    if (n == 0) nb_diag_emitf(emit, ud, "no interfaces");
}

/* The entry for `name`, appended if new; NULL when the list is full. */
static nb_iface *find_or_add(nb_iface *out, size_t max, size_t *count, const char *name)
{
    for (size_t i = 0; i < NB_MIN(*count, max); i++)
        if (strcmp(out[i].name, name) == 0) return &out[i];
    if ((*count)++ >= max) return NULL;
    nb_iface *f = &out[*count - 1];
    memset(f, 0, sizeof *f);
    nb_strlcpy(f->name, name, sizeof f->name);
    f->mtu = -1;
    return f;
}

static void add_addr(nb_iface *f, const struct ifaddrs *ifa)
{
    nb_iface_addr a = { .family = ifa->ifa_addr->sa_family };
    if (a.family == AF_INET) {
        memcpy(a.addr, &((struct sockaddr_in *)ifa->ifa_addr)->sin_addr, 4);
        if (ifa->ifa_netmask)
            a.prefix = nb_ifaces_prefix_len((uint8_t *)&((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr, 4);
        if ((ifa->ifa_flags & IFF_BROADCAST) && ifa->ifa_broadaddr) {
            a.has_brd = 1;
            memcpy(a.brd, &((struct sockaddr_in *)ifa->ifa_broadaddr)->sin_addr, 4);
        }
    } else {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ifa->ifa_addr;
        memcpy(a.addr, &s6->sin6_addr, 16);
        a.scope_id = s6->sin6_scope_id;
        if (ifa->ifa_netmask)
            a.prefix = nb_ifaces_prefix_len(((struct sockaddr_in6 *)ifa->ifa_netmask)->sin6_addr.s6_addr, 16);
    }
    if (f->naddrs < NB_IFACE_MAX_ADDRS) f->addrs[f->naddrs++] = a;
    else f->dropped++;
}

int nb_ifaces_collect(nb_iface *out, size_t max, size_t *count, char *err)
{
    struct ifaddrs *ifs = NULL;
    int sfd = -1, rc = -1;
    *count = 0;
    if (getifaddrs(&ifs) < 0) {
        nb_set_error(err, "getifaddrs: %s", strerror(errno));
        goto fail;
    }
    for (struct ifaddrs *ifa = ifs; ifa; ifa = ifa->ifa_next) {
        nb_iface *f = find_or_add(out, max, count, ifa->ifa_name);
        if (!f) continue;
        f->flags = ifa->ifa_flags;
        if (!ifa->ifa_addr) continue;
        int fam = ifa->ifa_addr->sa_family;
        if (fam == AF_INET || fam == AF_INET6) {
            add_addr(f, ifa);
        } else if (fam == AF_PACKET) {
            const struct sockaddr_ll *ll = (const struct sockaddr_ll *)ifa->ifa_addr;
            if (ll->sll_halen == 6) {
                f->has_mac = 1;
                memcpy(f->mac, ll->sll_addr, 6);
            }
        }
    }
    /* getifaddrs has no MTU; SIOCGIFMTU on any socket asks the kernel by name. An
     * interface whose MTU can't be read keeps -1 ("?"), not an error for the list. */
    sfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    for (size_t i = 0; sfd >= 0 && i < NB_MIN(*count, max); i++) {
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        nb_strlcpy(ifr.ifr_name, out[i].name, sizeof ifr.ifr_name);
        if (ioctl(sfd, SIOCGIFMTU, &ifr) == 0) out[i].mtu = ifr.ifr_mtu;
    }
    rc = 0;
fail:
    if (sfd >= 0) close(sfd);
    if (ifs) freeifaddrs(ifs);
    return rc;
}

int nb_diag_ifaces(nb_diag_emit emit, void *ud)
{
    char err[NB_ERR_LEN];
    size_t n;
    nb_iface *list = malloc(IFACES_MAX * sizeof *list);
    if (!list) return nb_diag_fail(emit, ud, "ifaces: out of memory");
    if (nb_ifaces_collect(list, IFACES_MAX, &n, err) < 0) {
        free(list);
        return nb_diag_fail(emit, ud, "ifaces: %s", err);
    }
    nb_ifaces_format(list, NB_MIN(n, (size_t)IFACES_MAX), emit, ud);
    if (n > IFACES_MAX) nb_diag_emitf(emit, ud, "(%zu interfaces, first %d shown)", n, IFACES_MAX);
    free(list);
    return 0;
}
