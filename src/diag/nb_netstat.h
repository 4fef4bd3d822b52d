/* nb_netstat.h — TCP sockets as Linux lists them in /proc/net/tcp and /proc/net/tcp6:
 * a pure parser over captured text, the state names, and one-line formatting. Reading
 * the live files is nb_netstat_read. Owns nothing. */
#ifndef NB_NETSTAT_H
#define NB_NETSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"

/* Kernel TCP states as numbered in include/net/tcp_states.h (the `st` column). */
enum {
    NB_TCP_ESTABLISHED = 1, NB_TCP_SYN_SENT, NB_TCP_SYN_RECV, NB_TCP_FIN_WAIT1,
    NB_TCP_FIN_WAIT2, NB_TCP_TIME_WAIT, NB_TCP_CLOSE, NB_TCP_CLOSE_WAIT, NB_TCP_LAST_ACK,
    NB_TCP_LISTEN, NB_TCP_CLOSING, NB_TCP_NEW_SYN_RECV
};

typedef struct nb_tcp_entry {
    int v6;                         /* 0: 4-byte addresses in local[0..3] */
    uint8_t local[16], remote[16];  /* network byte order, as in sin_addr / sin6_addr */
    uint16_t local_port, remote_port;
    int state;                      /* NB_TCP_* */
    uint32_t tx_queue, rx_queue;    /* bytes: unsent/unacked, unread (LISTEN: backlog) */
    uint32_t uid;
    uint64_t inode;
} nb_tcp_entry;

/* Parses the text of /proc/net/tcp (v6 = 0) or /proc/net/tcp6 (v6 = 1): a header line,
 * then one socket per line. Addresses are hex of 32-bit words in the byte order of the
 * machine that wrote the text — little-endian here (x86, arm64) — which this decodes.
 * Malformed lines are skipped. Stores up to `max` entries and returns how many valid
 * lines there were (like snprintf: more than max means `out` was too small). */
size_t nb_netstat_parse(const char *text, int v6, nb_tcp_entry *out, size_t max);

/* "ESTABLISHED", "LISTEN", "TIME_WAIT"...; "UNKNOWN" outside the table. */
const char *nb_netstat_state_name(int state);

/* "127.0.0.1:49001", "[::1]:49001", "0.0.0.0:*" (port 0 shown as *). Returns out. */
char *nb_netstat_endpoint(const uint8_t *addr, int v6, uint16_t port, char *out, size_t cap);

/* One table row: "tcp6  [::1]:49001  [::1]:50312  ESTABLISHED  rx 0 tx 0". Returns out. */
char *nb_netstat_format(const nb_tcp_entry *e, char *out, size_t cap);

/* Reads and parses both live files into out (tcp first, then tcp6; a missing tcp6 —
 * no IPv6 in the kernel — is not an error). *count as for nb_netstat_parse summed.
 * 0 or -1 with err. */
int nb_netstat_read(nb_tcp_entry *out, size_t max, size_t *count, char *err);

/* The whole text of a /proc file (which stat() says is 0 bytes long) into a malloc'd,
 * NUL-terminated buffer, at most 8 MiB. NULL with err. */
char *nb_netstat_slurp(const char *path, char *err);

#endif
