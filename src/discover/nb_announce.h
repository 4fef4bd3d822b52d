/* nb_announce.h — the LAN discovery datagram (a hosting netboard says "board X, TCP port
 * P, N peers" on UDP multicast) and the table of boards heard, keyed by instance id and
 * expired by a caller-supplied clock. Pure: no sockets, no threads, no clock reads, so
 * tests feed captured datagrams and fake times. Owns nothing beyond the caller's table.
 *
 * Datagram (big-endian, exactly 20 + B + H bytes, at most NB_ANNOUNCE_MAX = 116):
 *   off  len  field
 *    0    4   magic "NBD1"
 *    4    1   version (NB_ANNOUNCE_VERSION = 1; others are rejected)
 *    5    1   flags: bit 0 NB_ANNOUNCE_BYE (board closing); other bits sent 0, ignored
 *    6    8   instance id u64, random per running netboard, never 0
 *   14    2   TCP port of the board u16, never 0
 *   16    2   peers u16 (people on the board now)
 *   18    1   B = board name length, 1..64
 *   19    B   board name, UTF-8 (no NUL)
 *  19+B   1   H = host display name length, 0..32
 *  20+B   H   host display name, UTF-8 (no NUL)
 * docs/protocol.md "LAN discovery" is the contract. */
#ifndef NB_ANNOUNCE_H
#define NB_ANNOUNCE_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"

#define NB_ANNOUNCE_VERSION 1
#define NB_ANNOUNCE_BOARD_MAX 64       /* bytes of UTF-8 */
#define NB_ANNOUNCE_HOST_MAX 32
#define NB_ANNOUNCE_MIN 21             /* one-byte board name, no host name */
#define NB_ANNOUNCE_MAX (20 + NB_ANNOUNCE_BOARD_MAX + NB_ANNOUNCE_HOST_MAX)

#define NB_ANNOUNCE_BYE (1u << 0)      /* flag: the board is closing, forget it now */

typedef struct nb_announce {
    uint64_t instance;                 /* != 0 */
    uint16_t port;                     /* != 0 */
    uint16_t peers;
    uint8_t flags;                     /* NB_ANNOUNCE_*; decode keeps only known bits */
    char board[NB_ANNOUNCE_BOARD_MAX + 1];   /* NUL-terminated, non-empty */
    char host[NB_ANNOUNCE_HOST_MAX + 1];     /* NUL-terminated, may be empty */
} nb_announce;

/* Encode into out[cap]. Returns the datagram length, or 0 when a field is out of range
 * (instance or port 0, board empty or over 64 bytes, host over 32, invalid UTF-8) or cap
 * is too small; `err` (may be NULL) says which. Whatever it writes decodes back equal. */
size_t nb_announce_encode(const nb_announce *a, uint8_t *out, size_t cap, char *err);

/* Decode one datagram. 0, or -1 with `err` naming the reason (foreign magic, truncated,
 * overlong or invalid name, trailing bytes, ...); *out is then unspecified. */
int nb_announce_decode(const uint8_t *buf, size_t len, nb_announce *out, char *err);

/* ---- the table of boards heard ---------------------------------------------------- */

#define NB_DISCOVER_TABLE_MAX 32
#define NB_DISCOVER_ADDR_LEN 46        /* INET6_ADDRSTRLEN: the sender's address */
#define NB_DISCOVER_TTL_MS 3500        /* three missed announcements at 1 s, plus slack */

typedef struct nb_discover_entry {
    nb_announce ann;                   /* latest announcement (flags without BYE) */
    char addr[NB_DISCOVER_ADDR_LEN];   /* sender address: join addr:ann.port */
    uint64_t first_ms, last_ms;        /* when first and last heard (caller's clock) */
} nb_discover_entry;

typedef struct nb_discover_table {
    nb_discover_entry e[NB_DISCOVER_TABLE_MAX];   /* [0, count), in order first heard */
    size_t count;
} nb_discover_table;

typedef enum nb_discover_update {
    NB_DISCOVER_FULL = -1,             /* new board, but the table is full: dropped */
    NB_DISCOVER_REFRESHED = 0,         /* known board, entry updated */
    NB_DISCOVER_ADDED = 1,             /* new board */
    NB_DISCOVER_REMOVED = 2,           /* a BYE for a known board */
    NB_DISCOVER_IGNORED = 3,           /* a BYE for a board not in the table */
} nb_discover_update;

void nb_discover_table_init(nb_discover_table *t);
/* Record an announcement heard from `addr` at now_ms (a BYE removes the entry). */
nb_discover_update nb_discover_table_update(nb_discover_table *t, const nb_announce *a,
                                            const char *addr, uint64_t now_ms);
/* Drop entries not heard for ttl_ms or more (ttl_ms 0 → NB_DISCOVER_TTL_MS); keeps
 * the order of the others. Returns how many were dropped. */
size_t nb_discover_table_expire(nb_discover_table *t, uint64_t now_ms, uint64_t ttl_ms);
size_t nb_discover_table_count(const nb_discover_table *t);
const nb_discover_entry *nb_discover_table_at(const nb_discover_table *t, size_t i);
/* Entry for an instance id, or NULL. */
const nb_discover_entry *nb_discover_table_find(const nb_discover_table *t, uint64_t instance);

#endif
