/* nb_diag.c — line helpers, argument parsing and the command table that maps each
 * subcommand to its diagnostic. */
#include "nb_diag.h"

#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_diag_emitf(nb_diag_emit emit, void *ud, const char *fmt, ...)
{
    char line[NB_DIAG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    emit(ud, line);
}

int nb_diag_fail(nb_diag_emit emit, void *ud, const char *fmt, ...)
{
    char line[NB_DIAG_LINE_MAX];
    size_t n = nb_strlcpy(line, NB_DIAG_ERR_PREFIX, sizeof line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - n, fmt, ap);
    va_end(ap);
    emit(ud, line);
    return -1;
}

char *nb_diag_hex(const void *bytes, size_t n, char *out, size_t cap)
{
    const uint8_t *b = bytes;
    size_t len = 0;
    NB_ASSERT(out && cap > 0);
    out[0] = '\0';
    for (size_t i = 0; i < n && len + 3 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, i ? " %02x" : "%02x", b[i]);
    return out;
}

/* Whole-string decimal in [lo, hi]; 0 or -1. */
static int parse_int(const char *s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

/* Port words are checked here rather than in each diagnostic so a typo gets the usage
 * line, not a half-run diagnostic. */
static int arg_port(const nb_diag_args *a, int i, int *port)
{
    return parse_int(a->argv[i], 1, 65535, port);
}

static int run_ifaces(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    return nb_diag_ifaces(emit, ud);
}

static int run_byteorder(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    return nb_diag_byteorder(emit, ud);
}

static int run_pton(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    return nb_diag_pton(a->argv[0], emit, ud);
}

static int run_dns(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    return nb_diag_dns(a->argv[0], emit, ud);
}

static int run_reverse(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    return nb_diag_reverse(a->argv[0], emit, ud);
}

static int run_port(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    int port;
    if (arg_port(a, 1, &port) < 0) return NB_DIAG_USAGE;
    return nb_diag_port(a->argv[0], port, a->timeout_ms, emit, ud);
}

static int run_netstat(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    int port = 0;
    if (a->argc == 1 && arg_port(a, 0, &port) < 0) return NB_DIAG_USAGE;
    return nb_diag_netstat(port, emit, ud);
}

static int run_sockbuf(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    int port = 0;
    if (a->argc == 1) return NB_DIAG_USAGE;  /* HOST without PORT */
    if (a->argc == 2 && arg_port(a, 1, &port) < 0) return NB_DIAG_USAGE;
    return nb_diag_sockbuf(a->argc ? a->argv[0] : NULL, port, a->timeout_ms, emit, ud);
}

static int run_tcpinfo(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    int port;
    if (arg_port(a, 1, &port) < 0) return NB_DIAG_USAGE;
    return nb_diag_tcpinfo(a->argv[0], port, a->timeout_ms, emit, ud);
}

static int run_udp_echo(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    return nb_diag_udp_echo(emit, ud);
}

static int run_sockopts(const nb_diag_args *a, nb_diag_emit emit, void *ud)
{
    return nb_diag_sockopts(emit, ud);
}

static const nb_diag_cmd commands[] = {
    { "ifaces", "", "interfaces: flags, MTU, MAC, IPv4/IPv6 addresses (getifaddrs)",
      0, 0, 0, run_ifaces },
    { "byteorder", "", "host endianness and htons/htonl/64-bit byte sequences",
      0, 0, 0, run_byteorder },
    { "pton", "ADDR", "inet_pton / inet_ntop round trip of an IPv4 or IPv6 address",
      1, 1, 0, run_pton },
    { "dns", "NAME", "getaddrinfo: every address, family, socktype, canonical name",
      1, 1, 0, run_dns },
    { "reverse", "ADDR", "getnameinfo: the name of an address",
      1, 1, 0, run_reverse },
    { "port", "HOST PORT", "TCP connect check: open, refused, timed out, unreachable",
      2, 2, 1, run_port },
    { "netstat", "[PORT]", "TCP sockets from /proc/net/tcp and tcp6",
      0, 1, 0, run_netstat },
    { "sockbuf", "[HOST PORT]", "SO_SNDBUF / SO_RCVBUF of a fresh and a connected socket",
      0, 2, 1, run_sockbuf },
    { "tcpinfo", "HOST PORT", "TCP_INFO of a live connection: rtt, cwnd, retransmits",
      2, 2, 1, run_tcpinfo },
    { "udp-echo", "", "UDP echo round trips on loopback, with RTT",
      0, 0, 0, run_udp_echo },
    { "sockopts", "", "socket options of a fresh TCP socket; non-blocking recv demo",
      0, 0, 0, run_sockopts },
    { NULL, NULL, NULL, 0, 0, 0, NULL },
};

const nb_diag_cmd *nb_diag_commands(void) { return commands; }

const nb_diag_cmd *nb_diag_find(const char *name)
{
    for (const nb_diag_cmd *c = commands; name && c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

int nb_diag_parse_args(const nb_diag_cmd *cmd, int argc, const char *const *argv, nb_diag_args *out)
{
    NB_ASSERT(cmd && out && (argc == 0 || argv));
    memset(out, 0, sizeof *out);
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        if (strcmp(w, "--timeout") == 0 || strncmp(w, "--timeout=", 10) == 0) {
            const char *v = w[9] == '=' ? w + 10 : (i + 1 < argc ? argv[++i] : NULL);
            if (!cmd->takes_timeout || !v || parse_int(v, 1, 600000, &out->timeout_ms) < 0)
                return NB_DIAG_USAGE;
        } else if (w[0] == '-' && w[1] == '-') {
            return NB_DIAG_USAGE;   /* "-1" stays a word: negative numbers are rejected later */
        } else {
            if (out->argc == NB_DIAG_MAX_ARGS) return NB_DIAG_USAGE;
            out->argv[out->argc++] = w;
        }
    }
    if (out->argc < cmd->min_args || out->argc > cmd->max_args) return NB_DIAG_USAGE;
    if (out->timeout_ms == 0) out->timeout_ms = NB_DIAG_TIMEOUT_MS;
    return 0;
}

int nb_diag_run(const nb_diag_cmd *cmd, int argc, const char *const *argv, nb_diag_emit emit, void *ud)
{
    nb_diag_args a;
    if (nb_diag_parse_args(cmd, argc, argv, &a) < 0) return NB_DIAG_USAGE;
    return cmd->run(&a, emit, ud);
}

const char *nb_diag_usage_line(const nb_diag_cmd *cmd, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s%s", cmd->name, cmd->args[0] ? " " : "", cmd->args,
             cmd->takes_timeout ? " [--timeout MS]" : "");
    return out;
}
