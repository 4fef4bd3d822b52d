/* nb_netstat.c — /proc/net/tcp{,6} parser and formatting; see nb_netstat.h. */
#include "nb_netstat.h"
#include "nb_diag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLURP_MAX (8u << 20)

/* A cursor over one line: [p, end). Every reader stops at end, so a line cut short
 * fails the parse instead of reading the next one. */
typedef struct cursor { const char *p, *end; } cursor;

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void skip_spaces(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t')) c->p++;
}

static int expect(cursor *c, char ch)
{
    if (c->p >= c->end || *c->p != ch) return -1;
    c->p++;
    return 0;
}

/* Exactly `digits` hex digits (<= 16). */
static int hex_fixed(cursor *c, int digits, uint64_t *out)
{
    uint64_t v = 0;
    if (c->end - c->p < digits) return -1;
    for (int i = 0; i < digits; i++) {
        int d = hexval(c->p[i]);
        if (d < 0) return -1;
        v = (v << 4) | (uint64_t)d;
    }
    c->p += digits;
    *out = v;
    return 0;
}

/* 1..16 hex digits, as many as there are. */
static int hex_var(cursor *c, uint64_t *out)
{
    int n = 0;
    uint64_t v = 0;
    while (c->p < c->end && hexval(*c->p) >= 0 && n < 16) {
        v = (v << 4) | (uint64_t)hexval(*c->p++);
        n++;
    }
    *out = v;
    return n ? 0 : -1;
}

static int dec(cursor *c, uint64_t *out)
{
    int n = 0;
    uint64_t v = 0;
    skip_spaces(c);
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && n < 19) {
        v = v * 10 + (uint64_t)(*c->p++ - '0');
        n++;
    }
    *out = v;
    return n ? 0 : -1;
}

/* "0100007F:1F90": the kernel prints each 32-bit word of the address with %08X, i.e. the
 * word's value in host (little-endian) order; reversing each word's bytes gives the
 * address in network order again. */
static int endpoint(cursor *c, int v6, uint8_t *addr, uint16_t *port)
{
    uint64_t w, p;
    skip_spaces(c);
    for (int i = 0; i < (v6 ? 4 : 1); i++) {
        if (hex_fixed(c, 8, &w) < 0) return -1;
        for (int b = 0; b < 4; b++) addr[i * 4 + b] = (uint8_t)(w >> (8 * b));
    }
    if (expect(c, ':') < 0 || hex_fixed(c, 4, &p) < 0) return -1;
    *port = (uint16_t)p;
    return 0;
}

static int parse_line(cursor *c, int v6, nb_tcp_entry *e)
{
    uint64_t sl, st, tx, rx, skip, uid, inode;
    memset(e, 0, sizeof *e);
    e->v6 = v6;
    if (dec(c, &sl) < 0 || expect(c, ':') < 0) return -1;
    if (endpoint(c, v6, e->local, &e->local_port) < 0) return -1;
    if (endpoint(c, v6, e->remote, &e->remote_port) < 0) return -1;
    skip_spaces(c);
    if (hex_fixed(c, 2, &st) < 0 || st == 0) return -1;
    skip_spaces(c);
    if (hex_fixed(c, 8, &tx) < 0 || expect(c, ':') < 0 || hex_fixed(c, 8, &rx) < 0) return -1;
    /* tr:tm->when and retrnsmt: timers, not shown */
    skip_spaces(c);
    if (hex_var(c, &skip) < 0 || expect(c, ':') < 0 || hex_var(c, &skip) < 0) return -1;
    skip_spaces(c);
    if (hex_var(c, &skip) < 0) return -1;
    if (dec(c, &uid) < 0 || dec(c, &skip) < 0 || dec(c, &inode) < 0) return -1;
    e->state = (int)st;
    e->tx_queue = (uint32_t)tx;
    e->rx_queue = (uint32_t)rx;
    e->uid = (uint32_t)uid;
    e->inode = inode;
    return 0;
}

size_t nb_netstat_parse(const char *text, int v6, nb_tcp_entry *out, size_t max)
{
    size_t n = 0;
    NB_ASSERT(text && (out || max == 0));
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        const char *end = nl ? nl : line + strlen(line);
        cursor c = { line, end };
        nb_tcp_entry e;
        if (parse_line(&c, v6, &e) == 0) {
            if (n < max) out[n] = e;
            n++;
        }
        line = nl ? nl + 1 : end;
    }
    return n;
}

const char *nb_netstat_state_name(int state)
{
    static const char *const names[] = {
        "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    };
    return state > 0 && (size_t)state < NB_ARRAY_LEN(names) ? names[state] : names[0];
}

char *nb_netstat_endpoint(const uint8_t *addr, int v6, uint16_t port, char *out, size_t cap)
{
    char host[INET6_ADDRSTRLEN];
    char portbuf[8] = "*";
    inet_ntop(v6 ? AF_INET6 : AF_INET, addr, host, sizeof host);
    if (port) snprintf(portbuf, sizeof portbuf, "%u", (unsigned)port);
    snprintf(out, cap, v6 ? "[%s]:%s" : "%s:%s", host, portbuf);
    return out;
}

char *nb_netstat_format(const nb_tcp_entry *e, char *out, size_t cap)
{
    char l[INET6_ADDRSTRLEN + 10], r[INET6_ADDRSTRLEN + 10];
    nb_netstat_endpoint(e->local, e->v6, e->local_port, l, sizeof l);
    nb_netstat_endpoint(e->remote, e->v6, e->remote_port, r, sizeof r);
    snprintf(out, cap, "%-5s %-30s  %-30s  %-11s  rx %u tx %u", e->v6 ? "tcp6" : "tcp", l, r,
             nb_netstat_state_name(e->state), (unsigned)e->rx_queue, (unsigned)e->tx_queue);
    return out;
}

char *nb_netstat_slurp(const char *path, char *err)
{
    size_t cap = 16384, len = 0;
    char *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        nb_set_error(err, "open %s: %s", path, strerror(errno));
        goto fail;
    }
    if (!(buf = malloc(cap))) goto oom;
    for (;;) {
        if (cap - len < 2) {
            if (cap >= SLURP_MAX) {
                nb_set_error(err, "%s: larger than %u bytes", path, SLURP_MAX);
                goto fail;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) goto oom;
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            nb_set_error(err, "read %s: %s", path, strerror(errno));
            goto fail;
        }
        if (r == 0) break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    close(fd);
    return buf;
oom:
    nb_set_error(err, "%s: out of memory", path);
fail:
    if (fd >= 0) close(fd);
    free(buf);
    return NULL;
}

int nb_netstat_read(nb_tcp_entry *out, size_t max, size_t *count, char *err)
{
    static const char *const paths[2] = { "/proc/net/tcp", "/proc/net/tcp6" };
    size_t total = 0;
    for (int v6 = 0; v6 < 2; v6++) {
        char *text = nb_netstat_slurp(paths[v6], err);
        if (!text) {
            if (v6 && access(paths[v6], F_OK) < 0) break;  /* kernel without IPv6 */
            return -1;
        }
        size_t room = total < max ? max - total : 0;
        total += nb_netstat_parse(text, v6, room ? out + total : NULL, room);
        free(text);
    }
    *count = total;
    return 0;
}

/* Sockets beyond this are counted but not listed: a busy server has thousands and the
 * Diagnostics tab is for looking at a few. */
#define NETSTAT_MAX 65536

int nb_diag_netstat(int port, nb_diag_emit emit, void *ud)
{
    char err[NB_ERR_LEN], line[NB_DIAG_LINE_MAX];
    size_t n = 0, shown = 0;
    nb_tcp_entry *e = malloc(NETSTAT_MAX * sizeof *e);
    if (!e) return nb_diag_fail(emit, ud, "netstat: out of memory");
    if (nb_netstat_read(e, NETSTAT_MAX, &n, err) < 0) {
        free(e);
        return nb_diag_fail(emit, ud, "netstat: %s", err);
    }
    nb_diag_emitf(emit, ud, "%-5s %-30s  %-30s  %-11s  queues", "proto", "local", "remote", "state");
    for (size_t i = 0; i < NB_MIN(n, (size_t)NETSTAT_MAX); i++) {
        if (port && e[i].local_port != port && e[i].remote_port != port) continue;
        emit(ud, nb_netstat_format(&e[i], line, sizeof line));
        shown++;
    }
    if (n > NETSTAT_MAX)
        nb_diag_emitf(emit, ud, "(%zu sockets, first %d read)", n, NETSTAT_MAX);
    nb_diag_emitf(emit, ud, "%zu socket%s%s", shown, shown == 1 ? "" : "s",
                  port ? " on that port" : "");
    free(e);
    return 0;
}
