/* bench_util.h — what the benchmark programs share: `--key value` options, the one-line
 * result format, relays run as child processes (netboard's nb_server in a forked child,
 * or `ncat --broker`) with their CPU time and RSS read from /proc, blocking loopback
 * sockets with the NBP/1 handshake, timestamped segments and a latency histogram.
 * Bench code only: asserts instead of error paths where a failure ends the run anyway. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nb_proto.h"

/* ---- options and results --------------------------------------------------------- */

/* Value of `--name N` (or `--name=N`) in argv, else def. Exits with usage on a bad number. */
long bench_arg_long(int argc, char **argv, const char *name, long def);
/* 1 if the flag `--name` is present. */
int bench_arg_flag(int argc, char **argv, const char *name);
/* One machine-readable line on stdout: `name value unit`, flushed. */
void bench_result(const char *name, double value, const char *unit);
/* Fatal error: message on stderr, exit 1. */
void bench_die(const char *fmt, ...) NB_PRINTF(1, 2) __attribute__((noreturn));

double bench_median(double *v, size_t n);   /* sorts v */

/* ---- relays as child processes --------------------------------------------------- */

typedef enum { BENCH_RELAY_NETBOARD = 0, BENCH_RELAY_NCAT = 1 } bench_relay_kind;

typedef struct bench_relay {
    bench_relay_kind kind;
    pid_t pid;
    int port;
    int ctl;                  /* netboard: write end of the pipe whose close stops the child */
} bench_relay;

/* Starts the relay on 127.0.0.1 and returns once it accepts connections. Call before the
 * parent starts threads (fork). max_clients bounds joined peers (netboard) / connections
 * (ncat --max-conns). */
void bench_relay_start(bench_relay *r, bench_relay_kind kind, int max_clients);
void bench_relay_stop(bench_relay *r);
const char *bench_relay_name(bench_relay_kind kind);   /* "netboard" / "ncat" */
/* nb_server_opts.flush_delay_us for netboard relays started after it is set (0 = the
 * server's default); benches set it from --flush-delay-us. */
extern int bench_relay_flush_delay_us;
uint64_t bench_proc_cpu_ns(pid_t pid);   /* utime + stime of every thread, from /proc */
long bench_proc_rss_kb(pid_t pid);       /* VmRSS; 0 for the calling process */

/* ---- sockets ------------------------------------------------------------------------ */

/* Blocking TCP connection to 127.0.0.1:port with TCP_NODELAY. Dies on failure. */
int bench_connect(int port);
/* Board handshake: signature + H, then reads byte by byte until W, so no byte after W is
 * consumed. d must be initialised with NB_DEC_EXPECT_SIGNATURE; returns W's history count. */
uint32_t bench_handshake(int fd, nb_decoder *d, const char *name);
void bench_write_all(int fd, const void *p, size_t n);

/* ---- timestamped segments ----------------------------------------------------------- */

#define BENCH_SEG_LEN 21   /* encoded S frame */

/* An S frame carrying a 48-bit CLOCK_MONOTONIC ns stamp in stroke (high 32) + x1 (low 16). */
void bench_seg_encode(uint8_t out[BENCH_SEG_LEN], uint64_t stamp_ns, uint16_t tag);
/* Nanoseconds from the stamp in seg to now_ns (both taken modulo 2^48). */
uint64_t bench_seg_age_ns(const nb_segment *seg, uint64_t now_ns);

/* Reproducible scribbles: strokes of 100 segments of a random walk, width 3 (LCG). */
typedef struct bench_walk { uint64_t i; uint32_t x, y, rnd; } bench_walk;
void bench_walk_init(bench_walk *w);
void bench_walk_next(bench_walk *w, nb_segment *out);

/* Board history for late-join and memory runs: a board client on `port` sends `segments`
 * S frames of a bench_walk, then a P, and returns once
 * the Q is back, i.e. once the relay has stored every one. */
void bench_load_history(int port, uint64_t segments);

/* ---- latency histogram: 1 us buckets up to 1 s, one overflow bucket ------------------ */

#define BENCH_HIST_BUCKETS 1000000
typedef struct bench_hist {
    uint32_t *count;          /* BENCH_HIST_BUCKETS + 1 */
    uint64_t n, max_ns;
} bench_hist;

void bench_hist_init(bench_hist *h);
void bench_hist_free(bench_hist *h);
void bench_hist_add(bench_hist *h, uint64_t ns);
void bench_hist_merge(bench_hist *into, const bench_hist *from);
double bench_hist_pct_ms(const bench_hist *h, double pct);   /* bucket upper bound, ms */

#endif
