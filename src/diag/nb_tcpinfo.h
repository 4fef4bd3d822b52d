/* nb_tcpinfo.h — TCP_INFO of a connected socket as a plain struct (the fields the
 * course talks about), read with getsockopt and formatted by a pure function so tests
 * can feed made-up values. Owns nothing. */
#ifndef NB_TCPINFO_H
#define NB_TCPINFO_H

#include <stdint.h>

#include "nb_common.h"
#include "nb_diag.h"

typedef struct nb_tcp_stats {
    int state;                  /* NB_TCP_* (nb_netstat.h): same numbering as the kernel's */
    int ca_state;               /* congestion-avoidance state: 0 open .. 4 loss */
    int retransmits;            /* consecutive unanswered retransmissions of the head segment */
    uint32_t rtt_us, rttvar_us, rto_us;
    uint32_t snd_cwnd;          /* segments */
    uint32_t snd_ssthresh;      /* segments; >= 0x7fffffff: not set yet ("inf") */
    uint32_t snd_mss, rcv_mss, pmtu;
    uint32_t unacked, lost, total_retrans;
    int has_bytes;              /* the kernel's struct was long enough for the byte counters */
    uint64_t bytes_sent, bytes_acked, bytes_received;
} nb_tcp_stats;

/* getsockopt(TCP_INFO). Older kernels (and sandboxes) return a shorter struct: the byte
 * counters are then marked absent, not zero. 0 or -1 with err. */
int nb_tcpinfo_get(int fd, nb_tcp_stats *out, char *err);

/* The lines of `diag tcpinfo`. Pure. */
void nb_tcpinfo_format(const nb_tcp_stats *s, nb_diag_emit emit, void *ud);

#endif
