/* nb_tcpinfo.c — TCP_INFO read and formatting; see nb_tcpinfo.h. Uses <linux/tcp.h>
 * because glibc's struct tcp_info stops before the byte counters. */
#include "nb_tcpinfo.h"
#include "nb_netstat.h"

#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int nb_tcpinfo_get(int fd, nb_tcp_stats *out, char *err)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    memset(out, 0, sizeof *out);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0) {
        nb_set_error(err, "getsockopt(TCP_INFO): %s", strerror(errno));
        return -1;
    }
    out->state = ti.tcpi_state;
    out->ca_state = ti.tcpi_ca_state;
    out->retransmits = ti.tcpi_retransmits;
    out->rtt_us = ti.tcpi_rtt;
    out->rttvar_us = ti.tcpi_rttvar;
    out->rto_us = ti.tcpi_rto;
    out->snd_cwnd = ti.tcpi_snd_cwnd;
    out->snd_ssthresh = ti.tcpi_snd_ssthresh;
    out->snd_mss = ti.tcpi_snd_mss;
    out->rcv_mss = ti.tcpi_rcv_mss;
    out->pmtu = ti.tcpi_pmtu;
    out->unacked = ti.tcpi_unacked;
    out->lost = ti.tcpi_lost;
    out->total_retrans = ti.tcpi_total_retrans;
    /* bytes_sent is the newest of the three (Linux 4.19); acked/received came in 4.1. */
    if (len >= offsetof(struct tcp_info, tcpi_bytes_received) + sizeof ti.tcpi_bytes_received) {
        out->has_bytes = 1;
        out->bytes_acked = ti.tcpi_bytes_acked;
        out->bytes_received = ti.tcpi_bytes_received;
        if (len >= offsetof(struct tcp_info, tcpi_bytes_sent) + sizeof ti.tcpi_bytes_sent)
            out->bytes_sent = ti.tcpi_bytes_sent;
    }
    return 0;
}

static const char *ca_state_name(int s)
{
    static const char *const names[] = { "open", "disorder", "cwr", "recovery", "loss" };
    return s >= 0 && (size_t)s < NB_ARRAY_LEN(names) ? names[s] : "?";
}

void nb_tcpinfo_format(const nb_tcp_stats *s, nb_diag_emit emit, void *ud)
{
    char ssthresh[16] = "inf";
    if (s->snd_ssthresh < 0x7fffffffu) snprintf(ssthresh, sizeof ssthresh, "%u", (unsigned)s->snd_ssthresh);
    nb_diag_emitf(emit, ud, "state %s, congestion state %s", nb_netstat_state_name(s->state),
                  ca_state_name(s->ca_state));
    nb_diag_emitf(emit, ud, "rtt %.3f ms, rttvar %.3f ms, rto %.1f ms", s->rtt_us / 1000.0,
                  s->rttvar_us / 1000.0, s->rto_us / 1000.0);
    nb_diag_emitf(emit, ud, "cwnd %u segments, ssthresh %s, mss %u send / %u receive, pmtu %u",
                  (unsigned)s->snd_cwnd, ssthresh, (unsigned)s->snd_mss, (unsigned)s->rcv_mss,
                  (unsigned)s->pmtu);
    nb_diag_emitf(emit, ud, "retransmits %d now, %u in total; unacked %u, lost %u", s->retransmits,
                  (unsigned)s->total_retrans, (unsigned)s->unacked, (unsigned)s->lost);
    if (s->has_bytes)
        nb_diag_emitf(emit, ud, "bytes sent %llu, acked %llu, received %llu",
                      (unsigned long long)s->bytes_sent, (unsigned long long)s->bytes_acked,
                      (unsigned long long)s->bytes_received);
    else
        nb_diag_emitf(emit, ud, "bytes sent/acked/received: not reported by this kernel");
}
