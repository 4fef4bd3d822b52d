/* nb_diag.h — the network diagnostics suite: every diagnostic writes its lines through
 * an emit callback, so the CLI (`netboard diag ...`), the app's Diagnostics tab and the
 * tests share one engine. The command table drives the CLI and the app alike.
 * Lines that report a failure start with NB_DIAG_ERR_PREFIX ("error: ").
 * Owns nothing: every diagnostic opens and closes what it needs within the call. */
#ifndef NB_DIAG_H
#define NB_DIAG_H

#include <stddef.h>

#include "nb_common.h"

#define NB_DIAG_LINE_MAX 256        /* longest line, NUL included; longer lines are cut */
#define NB_DIAG_ERR_PREFIX "error: "
#define NB_DIAG_USAGE (-2)          /* returned by nb_diag_cmd.run for bad arguments */
#define NB_DIAG_TIMEOUT_MS 3000     /* default connect timeout of port / sockbuf / tcpinfo */

/* Called once per output line (no trailing newline). Any thread: the one running the
 * diagnostic. */
typedef void (*nb_diag_emit)(void *ud, const char *line);

/* Format a line (cut at NB_DIAG_LINE_MAX - 1) and emit it. */
void nb_diag_emitf(nb_diag_emit emit, void *ud, const char *fmt, ...) NB_PRINTF(3, 4);
/* Emit "error: <formatted>" and return -1, so a diagnostic can `return nb_diag_fail(...)`. */
int nb_diag_fail(nb_diag_emit emit, void *ud, const char *fmt, ...) NB_PRINTF(3, 4);

/* "7f 00 00 01": n bytes as lowercase hex pairs, cut to fit cap. Returns out. */
char *nb_diag_hex(const void *bytes, size_t n, char *out, size_t cap);

/* --- the diagnostics: each returns 0, or -1 after emitting its error line --- */
int nb_diag_ifaces(nb_diag_emit emit, void *ud);
int nb_diag_byteorder(nb_diag_emit emit, void *ud);
int nb_diag_pton(const char *text, nb_diag_emit emit, void *ud);
int nb_diag_dns(const char *name, nb_diag_emit emit, void *ud);
int nb_diag_reverse(const char *addr, nb_diag_emit emit, void *ud);
/* timeout_ms <= 0: NB_DIAG_TIMEOUT_MS. port: 0 when open; refused / timeout /
 * unreachable / resolve-failed come as the error line (-1), like `nc -z`. */
int nb_diag_port(const char *host, int port, int timeout_ms, nb_diag_emit emit, void *ud);
int nb_diag_netstat(int port /* 0: every socket */, nb_diag_emit emit, void *ud);
/* host NULL: a loopback pair made on the spot stands in for the connected socket. */
int nb_diag_sockbuf(const char *host, int port, int timeout_ms, nb_diag_emit emit, void *ud);
int nb_diag_tcpinfo(const char *host, int port, int timeout_ms, nb_diag_emit emit, void *ud);
int nb_diag_udp_echo(nb_diag_emit emit, void *ud);
int nb_diag_sockopts(nb_diag_emit emit, void *ud);
/* For the app's live board connection: addresses, SO_SNDBUF / SO_RCVBUF and TCP_INFO. */
int nb_diag_fd_report(int fd, nb_diag_emit emit, void *ud);

/* --- the command table --- */
#define NB_DIAG_MAX_ARGS 4

/* A command's arguments once options are taken out. */
typedef struct nb_diag_args {
    int argc;
    const char *argv[NB_DIAG_MAX_ARGS];  /* positional words after the command name */
    int timeout_ms;                      /* --timeout MS; 0: NB_DIAG_TIMEOUT_MS */
} nb_diag_args;

typedef struct nb_diag_cmd {
    const char *name;       /* "dns" */
    const char *args;       /* "NAME" — for usage text and the app's field labels */
    const char *summary;    /* one line for --help */
    int min_args, max_args; /* positional words (options not counted) */
    int takes_timeout;      /* accepts --timeout MS */
    /* 0, -1 (error line emitted) or NB_DIAG_USAGE (nothing emitted: show the usage) */
    int (*run)(const nb_diag_args *a, nb_diag_emit emit, void *ud);
} nb_diag_cmd;

/* The table, terminated by an entry whose name is NULL. */
const nb_diag_cmd *nb_diag_commands(void);
/* NULL if unknown. */
const nb_diag_cmd *nb_diag_find(const char *name);
/* Splits `argv` (the words after the command name) into an nb_diag_args: 0, or
 * NB_DIAG_USAGE for an unknown option, a bad --timeout or a wrong word count. */
int nb_diag_parse_args(const nb_diag_cmd *cmd, int argc, const char *const *argv, nb_diag_args *out);
/* Parses, then runs: 0, -1 (error line emitted) or NB_DIAG_USAGE (nothing emitted). */
int nb_diag_run(const nb_diag_cmd *cmd, int argc, const char *const *argv, nb_diag_emit emit, void *ud);
/* "port HOST PORT [--timeout MS]" into out; returns out. */
const char *nb_diag_usage_line(const nb_diag_cmd *cmd, char *out, size_t cap);

#endif
