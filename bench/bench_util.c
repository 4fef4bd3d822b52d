/* bench_util.c — shared benchmark plumbing (see bench_util.h). */
#include "bench_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nb_log.h"
#include "nb_server.h"
#include "nb_time.h"

void bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

long bench_arg_long(int argc, char **argv, const char *name, long def)
{
    size_t nl = strlen(name);
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (!strcmp(argv[i], name) && i + 1 < argc) v = argv[i + 1];
        else if (!strncmp(argv[i], name, nl) && argv[i][nl] == '=') v = argv[i] + nl + 1;
        if (!v) continue;
        char *end;
        errno = 0;
        long x = strtol(v, &end, 10);
        if (errno || end == v || *end || x < 0) bench_die("%s: '%s' is not a count", name, v);
        return x;
    }
    return def;
}

int bench_arg_flag(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], name)) return 1;
    return 0;
}

void bench_result(const char *name, double value, const char *unit)
{
    if (value >= 1000 || value == (double)(long long)value) printf("%s %.0f %s\n", name, value, unit);
    else printf("%s %.4g %s\n", name, value, unit);
    fflush(stdout);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
    if (!n) return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- relays ------------------------------------------------------------------------- */

const char *bench_relay_name(bench_relay_kind kind)
{
    return kind == BENCH_RELAY_NCAT ? "ncat" : "netboard";
}

int bench_relay_flush_delay_us;

/* The child's whole life: serve until the parent closes ctl (or dies). */
static void netboard_child(int port_fd, int ctl_fd, int max_clients)
{
    char err[NB_ERR_LEN];
    nb_log_set_level(NB_LOG_WARN);
    nb_server *s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                                      .max_clients = max_clients,
                                                      .flush_delay_us = bench_relay_flush_delay_us }, err);
    int port = s ? nb_server_port(s) : -1;
    if (!s) fprintf(stderr, "bench: relay child: %s\n", err);
    if (write(port_fd, &port, sizeof port) != (ssize_t)sizeof port) _exit(1);
    char b;
    ssize_t r = 0;
    do r = s ? read(ctl_fd, &b, 1) : 0;
    while (r < 0 && errno == EINTR);
    nb_server_stop(s);
    _exit(s ? 0 : 1);
}

/* A free loopback port for ncat: bind port 0, read it back, close (racy only against
 * other programs grabbing the same ephemeral port in the next milliseconds). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        bench_die("free port: %s", strerror(errno));
    close(fd);
    return ntohs(a.sin_port);
}

static int try_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0) return fd;
    if (fd >= 0) close(fd);
    return -1;
}

void bench_relay_start(bench_relay *r, bench_relay_kind kind, int max_clients)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->ctl = -1;
    if (kind == BENCH_RELAY_NETBOARD) {
        int pp[2], cp[2];
        if (pipe(pp) != 0 || pipe(cp) != 0) bench_die("pipe: %s", strerror(errno));
        r->pid = fork();
        if (r->pid < 0) bench_die("fork: %s", strerror(errno));
        if (r->pid == 0) {
            close(pp[0]);
            close(cp[1]);
            netboard_child(pp[1], cp[0], max_clients);
        }
        close(pp[1]);
        close(cp[0]);
        r->ctl = cp[1];
        if (read(pp[0], &r->port, sizeof r->port) != (ssize_t)sizeof r->port || r->port <= 0)
            bench_die("netboard relay child did not start");
        close(pp[0]);
        return;
    }
    r->port = free_port();
    char port[16], conns[16];
    snprintf(port, sizeof port, "%d", r->port);
    snprintf(conns, sizeof conns, "%d", max_clients + 8);
    r->pid = fork();
    if (r->pid < 0) bench_die("fork: %s", strerror(errno));
    if (r->pid == 0) {
        execlp("ncat", "ncat", "--broker", "--max-conns", conns, "-l", "127.0.0.1", port,
               (char *)NULL);
        fprintf(stderr, "bench: exec ncat: %s\n", strerror(errno));
        _exit(127);
    }
    /* ncat has no readiness signal: probe until it accepts (bounded: 5 s). The probe
     * connection joins the broker for a moment; it sends nothing, so it relays nothing. */
    uint64_t deadline = nb_time_ms() + 5000;
    for (;;) {
        int fd = try_connect(r->port);
        if (fd >= 0) {
            close(fd);
            return;
        }
        if (nb_time_ms() > deadline || waitpid(r->pid, NULL, WNOHANG) == r->pid)
            bench_die("ncat did not start on port %d", r->port);
        nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    }
}

void bench_relay_stop(bench_relay *r)
{
    if (r->pid <= 0) return;
    if (r->kind == BENCH_RELAY_NETBOARD) close(r->ctl);
    else kill(r->pid, SIGTERM);
    waitpid(r->pid, NULL, 0);
    r->pid = 0;
}

uint64_t bench_proc_cpu_ns(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    /* Fields after the ")" that closes comm: state is field 3, utime 14, stime 15. */
    const char *p = strrchr(buf, ')');
    if (!p) return 0;
    unsigned long long ut = 0, st = 0;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return 0;
    long hz = sysconf(_SC_CLK_TCK);
    return (ut + st) * (1000000000ull / (uint64_t)(hz > 0 ? hz : 100));
}

long bench_proc_rss_kb(pid_t pid)
{
    char path[64], line[256];
    if (pid) snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    else snprintf(path, sizeof path, "/proc/self/status");
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1) break;
    if (f) fclose(f);
    return kb;
}

/* ---- sockets -------------------------------------------------------------------------- */

int bench_connect(int port)
{
    int fd = try_connect(port);
    if (fd < 0) bench_die("connect 127.0.0.1:%d: %s", port, strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

void bench_write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) bench_die("write: %s", strerror(errno));
        b += w;
        n -= (size_t)w;
    }
}

uint32_t bench_handshake(int fd, nb_decoder *d, const char *name)
{
    uint8_t out[128];
    char err[NB_ERR_LEN];
    nb_frame h = { .type = NB_FT_HELLO, .u.hello = { NB_PROTO_VERSION, 0 },
                   .text = name, .text_len = (uint32_t)strlen(name) };
    memcpy(out, NB_SIGNATURE, NB_SIG_LEN);
    int n = nb_encode(&h, out + NB_SIG_LEN, sizeof out - NB_SIG_LEN, err);
    if (n < 0) bench_die("encode hello: %s", err);
    bench_write_all(fd, out, NB_SIG_LEN + (size_t)n);
    for (int i = 0; i < 4096; i++) {   /* W is far shorter; bounded against a bad relay */
        uint8_t b;
        ssize_t r = recv(fd, &b, 1, 0);
        if (r <= 0) bench_die("handshake: relay closed (%s)", r ? strerror(errno) : "eof");
        size_t used;
        nb_frame f;
        int rc = nb_decoder_feed(d, &b, 1, &used, &f, err);
        if (rc == NB_DEC_ERROR) bench_die("handshake: %s", err);
        if (rc == NB_DEC_FRAME && f.type == NB_FT_WELCOME) return f.u.welcome.history;
        if (rc == NB_DEC_FRAME && f.type == NB_FT_ERROR) bench_die("handshake: E %.*s",
                                                                  (int)f.text_len, f.text);
    }
    bench_die("handshake: no W in 4096 bytes");
}

void bench_walk_init(bench_walk *w)
{
    *w = (bench_walk){ 0, 32768, 32768, 12345 };
}

void bench_walk_next(bench_walk *w, nb_segment *out)
{
    w->rnd = w->rnd * 1103515245u + 12345u;
    uint32_t nx = (w->x + (w->rnd >> 16 & 511) - 256) & 0xFFFF;
    uint32_t ny = (w->y + (w->rnd >> 7 & 511) - 256) & 0xFFFF;
    *out = (nb_segment){ .stroke = (uint32_t)(w->i / 100), .x1 = (uint16_t)w->x, .y1 = (uint16_t)w->y,
                         .x2 = (uint16_t)nx, .y2 = (uint16_t)ny, .rgba = 0x1060C0FF, .width = 3 };
    w->x = nx;
    w->y = ny;
    w->i++;
}

void bench_load_history(int port, uint64_t segments)
{
    enum { CHUNK = 3000 };
    static uint8_t buf[CHUNK * BENCH_SEG_LEN];
    nb_decoder d;
    nb_decoder_init(&d, NB_DEC_EXPECT_SIGNATURE);
    int fd = bench_connect(port);
    bench_handshake(fd, &d, "loader");
    bench_walk w;
    bench_walk_init(&w);
    for (uint64_t i = 0; i < segments;) {
        size_t k = 0;
        for (; k < CHUNK && i < segments; k++, i++) {
            nb_frame f = { .type = NB_FT_SEGMENT };
            bench_walk_next(&w, &f.u.seg);
            if (nb_encode(&f, buf + k * BENCH_SEG_LEN, BENCH_SEG_LEN, NULL) != BENCH_SEG_LEN)
                bench_die("encode segment");
        }
        bench_write_all(fd, buf, k * BENCH_SEG_LEN);
    }
    uint8_t ping[16];
    nb_frame p = { .type = NB_FT_PING, .u.token = 0xBE7C4u };
    int n = nb_encode(&p, ping, sizeof ping, NULL);
    bench_write_all(fd, ping, (size_t)n);
    uint64_t deadline = nb_time_ms() + 60000;
    for (;;) {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r <= 0 || nb_time_ms() > deadline) bench_die("loader: no Q from the relay");
        for (size_t off = 0; off < (size_t)r;) {
            size_t used;
            nb_frame f;
            int rc = nb_decoder_feed(&d, buf + off, (size_t)r - off, &used, &f, NULL);
            off += used;
            if (rc == NB_DEC_ERROR) bench_die("loader: bad stream from the relay");
            if (rc == NB_DEC_FRAME && f.type == NB_FT_ERROR) bench_die("loader: E %.*s", (int)f.text_len, f.text);
            if (rc == NB_DEC_FRAME && f.type == NB_FT_PONG && f.u.token == p.u.token) {
                nb_decoder_free(&d);
                close(fd);
                return;
            }
        }
    }
}

/* ---- stamps and histogram ------------------------------------------------------------- */

#define STAMP_MASK ((1ull << 48) - 1)

void bench_seg_encode(uint8_t out[BENCH_SEG_LEN], uint64_t stamp_ns, uint16_t tag)
{
    uint64_t t = stamp_ns & STAMP_MASK;
    nb_frame f = { .type = NB_FT_SEGMENT, .u.seg = {
        .stroke = (uint32_t)(t >> 16), .x1 = (uint16_t)t, .y1 = tag,
        .x2 = (uint16_t)(t >> 5), .y2 = (uint16_t)(tag + 64), .rgba = 0x202020FF, .width = 3 } };
    if (nb_encode(&f, out, BENCH_SEG_LEN, NULL) != BENCH_SEG_LEN) bench_die("encode segment");
}

uint64_t bench_seg_age_ns(const nb_segment *seg, uint64_t now_ns)
{
    uint64_t t = ((uint64_t)seg->stroke << 16) | seg->x1;
    return (now_ns - t) & STAMP_MASK;
}

void bench_hist_init(bench_hist *h)
{
    h->count = calloc(BENCH_HIST_BUCKETS + 1, sizeof *h->count);
    if (!h->count) bench_die("out of memory");
    h->n = h->max_ns = 0;
}

void bench_hist_free(bench_hist *h)
{
    free(h->count);
    h->count = NULL;
}

void bench_hist_add(bench_hist *h, uint64_t ns)
{
    uint64_t us = ns / 1000;
    h->count[us < BENCH_HIST_BUCKETS ? us : BENCH_HIST_BUCKETS]++;
    h->n++;
    if (ns > h->max_ns) h->max_ns = ns;
}

void bench_hist_merge(bench_hist *into, const bench_hist *from)
{
    for (size_t i = 0; i <= BENCH_HIST_BUCKETS; i++) into->count[i] += from->count[i];
    into->n += from->n;
    if (from->max_ns > into->max_ns) into->max_ns = from->max_ns;
}

double bench_hist_pct_ms(const bench_hist *h, double pct)
{
    if (!h->n) return 0;
    uint64_t want = (uint64_t)((double)h->n * pct / 100.0 + 0.5), seen = 0;
    if (want < 1) want = 1;
    for (size_t i = 0; i <= BENCH_HIST_BUCKETS; i++) {
        seen += h->count[i];
        if (seen >= want) return i == BENCH_HIST_BUCKETS ? (double)h->max_ns / 1e6 : (double)(i + 1) / 1000.0;
    }
    return (double)h->max_ns / 1e6;
}
