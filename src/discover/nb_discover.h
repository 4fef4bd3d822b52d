/* nb_discover.h — LAN board discovery: announce the board this netboard hosts on UDP
 * multicast (IPv4, group 239.255.49.1:49003 by default) and list the boards others
 * announce, so peers join with one click. Owns two UDP sockets, an eventfd, one thread
 * and the table of boards heard. Datagram: nb_announce.h / docs/protocol.md.
 *
 * DESIGN: one discovery thread owns the sockets. It polls the receive socket and a wake
 * eventfd with a timeout = time to the next announcement, decodes datagrams and records
 * them in the table, and sends the current announcement every interval (and at once when
 * it changes). The table, the announcement, the stats and the stop flag live under one
 * mutex; the app's threads only take it briefly (nb_discover_list copies a snapshot,
 * nb_discover_set_announce copies the new announcement and writes the eventfd). */
#ifndef NB_DISCOVER_H
#define NB_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#include "nb_announce.h"
#include "nb_common.h"

#define NB_DISCOVER_GROUP "239.255.49.1"   /* organisation-local scope (RFC 2365) */
#define NB_DISCOVER_PORT 49003

/* nb_discover_opts.flags */
#define NB_DISCOVER_NO_LISTEN (1 << 0)     /* announce only: no receive socket, empty list */
#define NB_DISCOVER_NO_LOOP (1 << 1)       /* IP_MULTICAST_LOOP off: this host won't hear us */
#define NB_DISCOVER_IGNORE_SELF (1 << 2)   /* drop datagrams carrying our own instance id */

typedef struct nb_discover_opts {
    const char *group;          /* IPv4 multicast group; NULL → NB_DISCOVER_GROUP */
    uint16_t port;              /* UDP port; 0 → NB_DISCOVER_PORT */
    int ttl;                    /* IP_MULTICAST_TTL; 0 → 1 (stays on the local segment) */
    int interval_ms;            /* between announcements; 0 → 1000 */
    int expire_ms;              /* drop boards not heard for this long; 0 → 3500 */
    const char *iface;          /* IPv4 address of the interface to send and join on
                                   ("127.0.0.1" in tests); NULL → INADDR_ANY (the kernel
                                   picks by route) */
    const nb_announce *announce;/* board to announce from the start; NULL → none until
                                   nb_discover_set_announce */
    int flags;                  /* NB_DISCOVER_* */
} nb_discover_opts;

typedef struct nb_discover_stats {
    uint64_t sent, send_errors; /* announcements sent / failed (e.g. no multicast route) */
    uint64_t received, bad;     /* datagrams received / rejected by the decoder */
    uint64_t self, dropped;     /* own datagrams ignored / new boards dropped, table full */
} nb_discover_stats;

typedef struct nb_discover nb_discover;

/* Open the sockets (join the group unless NO_LISTEN) and start the thread. NULL with
 * `err` filled when a socket can't be set up (e.g. no multicast route in a sandbox,
 * port in use without SO_REUSEPORT). Discovery is optional: the app logs err and goes on. */
nb_discover *nb_discover_start(const nb_discover_opts *o, char *err);

/* Stop the thread (returns within a second), send a BYE if we were announcing, close
 * everything. NULL is a no-op. */
void nb_discover_stop(nb_discover *d);

/* Announce `a` from now on (encoded and copied; a->instance is replaced by this
 * instance's random id and BYE is cleared). A change is sent at once, though at most
 * four times per interval, so the others see peer counts promptly. NULL stops announcing
 * (no BYE: the board expires from the others' lists). 0, or -1 with `err` when `a` can't
 * be encoded (empty or overlong name, invalid UTF-8, port 0); the previous announcement
 * then stays. Any thread. */
int nb_discover_set_announce(nb_discover *d, const nb_announce *a, char *err);

/* Snapshot of the boards heard (expired ones dropped first), in the order first heard.
 * Returns how many were copied (at most max). Render thread, or any. */
size_t nb_discover_list(nb_discover *d, nb_discover_entry *out, size_t max);

/* This instance's random id (as announced; compare with entries to spot our own board). */
uint64_t nb_discover_instance(const nb_discover *d);
void nb_discover_get_stats(nb_discover *d, nb_discover_stats *out);

#endif
