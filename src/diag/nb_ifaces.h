/* nb_ifaces.h — the machine's network interfaces as a plain in-memory list: collected
 * from getifaddrs (+ SIOCGIFMTU), formatted as `diag ifaces` lines by a pure function
 * so tests can feed it made-up interfaces. Owns nothing. */
#ifndef NB_IFACES_H
#define NB_IFACES_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"
#include "nb_diag.h"

#define NB_IFACE_NAME_LEN 16     /* IF_NAMESIZE */
#define NB_IFACE_MAX_ADDRS 16    /* per interface; more are counted in `dropped` */

typedef struct nb_iface_addr {
    int family;          /* AF_INET or AF_INET6 */
    uint8_t addr[16];    /* network order; 4 bytes used for AF_INET */
    int prefix;          /* netmask length */
    int has_brd;         /* AF_INET with IFF_BROADCAST */
    uint8_t brd[4];
    uint32_t scope_id;   /* AF_INET6 link-local: interface index */
} nb_iface_addr;

typedef struct nb_iface {
    char name[NB_IFACE_NAME_LEN];
    unsigned flags;      /* IFF_* from <net/if.h> */
    int mtu;             /* -1: unknown */
    int has_mac;
    uint8_t mac[6];
    size_t naddrs, dropped;
    nb_iface_addr addrs[NB_IFACE_MAX_ADDRS];
} nb_iface;

/* Fills up to max interfaces in getifaddrs order (one entry per name). *count is the
 * number of interfaces seen (may exceed max). 0 or -1 with err. */
int nb_ifaces_collect(nb_iface *out, size_t max, size_t *count, char *err);

/* Number of leading one bits of a netmask of `len` bytes. */
int nb_ifaces_prefix_len(const uint8_t *mask, size_t len);

/* "UP,BROADCAST,RUNNING,MULTICAST" into out. Returns out. */
char *nb_ifaces_flags_str(unsigned flags, char *out, size_t cap);

/* "inet 192.0.2.2/24 brd 192.0.2.255", "inet6 fe80::1/64 scope link". Returns out. */
char *nb_ifaces_addr_str(const nb_iface_addr *a, char *out, size_t cap);

/* The lines of `diag ifaces` for a list. Pure. */
void nb_ifaces_format(const nb_iface *list, size_t n, nb_diag_emit emit, void *ud);

#endif
