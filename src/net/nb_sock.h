/* nb_sock.h — TCP socket stuff made a bit less boring (after Redis anet.c): listen,
 * connect with a timeout and an exact classification of the outcome, socket options,
 * and address formatting. Calls return an fd / 0 or -1 and fill a caller-owned
 * `char err[NB_ERR_LEN]` naming the address and the strerror/gai_strerror reason.
 * Owns nothing beyond the fds it returns. */
#ifndef NB_SOCK_H
#define NB_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include "nb_common.h"

struct sockaddr;

/* Longest string nb_sock_addr_str can produce ("[v6%scope]:65535" plus NUL). */
#define NB_SOCK_ADDR_LEN 80

typedef enum nb_sock_outcome {
    NB_SOCK_OPEN = 0,           /* connected */
    NB_SOCK_REFUSED,            /* ECONNREFUSED: host up, nothing listening (RST) */
    NB_SOCK_TIMEOUT,            /* no answer within timeout_ms (or ETIMEDOUT) */
    NB_SOCK_UNREACHABLE,        /* ENETUNREACH / EHOSTUNREACH (ICMP or no route) */
    NB_SOCK_RESOLVE_FAILED,     /* getaddrinfo failed */
    NB_SOCK_ERROR,              /* anything else (socket() failed, EACCES, ...) */
} nb_sock_outcome;

typedef struct nb_sock_result {
    nb_sock_outcome outcome;    /* of the last address tried (OPEN if any succeeded) */
    int sys_errno;              /* errno of that outcome: 0 for OPEN, ETIMEDOUT when poll ran out */
    int elapsed_ms;             /* whole call, resolver included */
    int addrs_tried;            /* addresses attempted */
    char addr[NB_SOCK_ADDR_LEN];/* address of the last attempt ("1.2.3.4:5", "[::1]:5") */
} nb_sock_result;

/* Listening TCP socket (SO_REUSEADDR, CLOEXEC, blocking). bind_addr NULL or "" binds
 * every address: "::" dual-stack (IPV6_V6ONLY off) where IPv6 exists, else 0.0.0.0.
 * port 0 binds an ephemeral port (see nb_sock_local_port). backlog <= 0 → 511. */
int nb_sock_listen(const char *bind_addr, int port, int backlog, char *err);

/* Connect to host:port, trying each getaddrinfo(AF_UNSPEC) result with a non-blocking
 * connect and poll, each address bounded by what is left of timeout_ms (<= 0 → 5000).
 * Returns a connected, blocking, CLOEXEC fd or -1. `res` (may be NULL) gets the
 * classified outcome and the elapsed time either way. */
int nb_sock_connect(const char *host, int port, int timeout_ms, nb_sock_result *res, char *err);

int nb_sock_set_nonblock(int fd, int on, char *err);
int nb_sock_set_nodelay(int fd, int on, char *err);
/* SO_KEEPALIVE plus TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT (values <= 0 keep the
 * kernel default for that knob). */
int nb_sock_set_keepalive(int fd, int idle_s, int intvl_s, int cnt, char *err);

/* "1.2.3.4:5" or "[::1]:5" (v4-mapped v6 shown as v4); "?" for other families.
 * Returns out. */
char *nb_sock_addr_str(const struct sockaddr *sa, char *out, size_t cap);
/* The peer's / the local address of fd; 0 or -1 (out gets "?"). */
int nb_sock_peer_str(int fd, char *out, size_t cap);
int nb_sock_local_str(int fd, char *out, size_t cap);
/* Local port of a bound socket, or -1. */
int nb_sock_local_port(int fd);

const char *nb_sock_outcome_name(nb_sock_outcome o);  /* "open", "refused", ... */

#endif
