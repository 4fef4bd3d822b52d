/* nb_server_conn.c — one relay connection's protocol (I/O thread, server lock held):
 * board-or-raw detection, signature and hello, sessions and author ids, relaying with
 * the author rewritten, the board history, chat fan-out, and errors that close only the
 * offending connection. */
#include "nb_server_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nb_log.h"
#include "nb_time.h"

#define LINGER_MS 2000        /* how long an errored peer gets to read its error */
#define MAX_AUTHORS 65535     /* author ids are u16; 0 means "unknown" */

conn *nb_conn_new(nb_server *s, int fd)
{
    conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->fd = fd;
    c->state = CONN_FIRST;
    c->deadline_ms = nb_time_ms() + (uint64_t)s->opts.raw_detect_ms;
    nb_strlcpy(c->name, "?", sizeof c->name);
    nb_decoder_init(&c->dec, 0);
    return c;
}

void nb_conn_free(conn *c)
{
    close(c->fd);
    nb_decoder_free(&c->dec);
    free(c->lb);
    nb_buf_free(&c->pre);
    nb_buf_free(&c->out);
    free(c);
}

static int is_board_member(const conn *c) { return c->state == CONN_BOARD && c->joined; }
static int is_raw_member(const conn *c) { return c->state == CONN_RAW && c->joined; }

/* Encodes f into s->enc; 0 if the frame can't be encoded (a bug upstream: logged). */
static size_t encode(nb_server *s, const nb_frame *f)
{
    char err[NB_ERR_LEN];
    int n = nb_encode(f, s->enc, sizeof s->enc, err);
    if (n < 0) {
        nb_error("server: cannot encode '%c' frame: %s", f->type, err);
        return 0;
    }
    return (size_t)n;
}

static void to_board_members(nb_server *s, const conn *except, const void *p, size_t n,
                             uint32_t frames)
{
    for (int i = 0; i < s->nconns; i++) {
        conn *o = s->conns[i];
        if (o != except && is_board_member(o)) nb_server_send(s, o, p, n, frames);
    }
}

/* Relayed frames from one sender are gathered in s->batch and appended to each peer once
 * per read chunk (3,000 segments cost 32 appends, not 96,000). Anything else that sends
 * flushes the batch first, so every peer still sees one global order. */
void nb_conn_batch_flush(nb_server *s)
{
    if (!s->batch.len) return;
    to_board_members(s, s->batch_from, s->batch.p, s->batch.len, s->batch_frames);
    s->batch.len = 0;
    s->batch_frames = 0;
}

static void send_frame(nb_server *s, conn *c, const nb_frame *f)
{
    nb_conn_batch_flush(s);
    size_t n = encode(s, f);
    if (n) nb_server_send(s, c, s->enc, n, 1);
}

#define BATCH_MAX (64 * 1024)

/* s->enc[0..n) to every joined board client except `except` (NULL: all of them). */
static void relay_encoded(nb_server *s, const conn *except, size_t n)
{
    if (s->batch.len && (s->batch_from != except || s->batch.len + n > BATCH_MAX))
        nb_conn_batch_flush(s);
    if (!except || nb_buf_append(&s->batch, s->enc, n) != 0) {
        to_board_members(s, except, s->enc, n, 1);
        return;
    }
    s->batch_from = except;
    s->batch_frames++;
}

/* A text line to every joined raw peer except `except`. */
static void raw_broadcast(nb_server *s, const conn *except, const char *line, size_t n)
{
    nb_conn_batch_flush(s);
    for (int i = 0; i < s->nconns; i++) {
        conn *o = s->conns[i];
        if (o != except && is_raw_member(o)) nb_server_send(s, o, line, n, 1);
    }
}

static void raw_notice(nb_server *s, const conn *except, const char *fmt, ...) NB_PRINTF(3, 4);
static void raw_notice(nb_server *s, const conn *except, const char *fmt, ...)
{
    char line[NB_SERVER_NAME_LEN + 64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0) raw_broadcast(s, except, line, NB_MIN((size_t)n, sizeof line - 1));
}

/* Bad input: tell the peer why when it can understand us (E frame, or an `error:` line
 * for raw peers), stop relaying to it, and close once it has read that. */
static void conn_fail(nb_server *s, conn *c, nb_proto_error code, const char *fmt, ...)
    NB_PRINTF(4, 5);
static void conn_fail(nb_server *s, conn *c, nb_proto_error code, const char *fmt, ...)
{
    nb_conn_batch_flush(s);   /* membership or history changes: earlier relays first */
    char text[NB_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    nb_warn("server: %s (%s): %s — closing", c->addr, c->name, text);
    s->dropped++;
    conn_state was = c->state;
    c->state = CONN_LINGER;   /* first, so the leave announcement skips it */
    nb_conn_leave(s, c);
    if (was == CONN_RAW) {
        char line[NB_ERROR_TEXT_MAX + 16];
        int n = snprintf(line, sizeof line, "error: %s\n", text);
        nb_buf_append(&c->out, line, NB_MIN((size_t)n, sizeof line - 1));
    } else if (was == CONN_HELLO || was == CONN_BOARD) {
        nb_frame e = { .type = NB_FT_ERROR, .u.error.code = (uint16_t)code,
                       .text = text, .text_len = (uint32_t)strlen(text) };
        size_t n = encode(s, &e);
        if (n) nb_buf_append(&c->out, s->enc, n);   /* past out_limit on purpose: it's the last */
    } else {
        nb_server_kill(s, c, NULL);
        return;
    }
    c->deadline_ms = nb_time_ms() + LINGER_MS;
    nb_server_mark_dirty(s, c);
}

void nb_conn_leave(nb_server *s, conn *c)
{
    nb_conn_batch_flush(s);   /* membership or history changes: earlier relays first */
    if (!c->joined) return;
    c->joined = 0;
    s->clients--;
    nb_info("server: %s (author %u, %s) left", c->name, c->author, c->addr);
    nb_frame l = { .type = NB_FT_LEAVE, .u.peer.author = c->author };
    size_t n = encode(s, &l);
    if (n) relay_encoded(s, c, n);
    raw_notice(s, c, "* %s left\n", c->name);
}

/* Author id for a session token; 0 tokens are anonymous and always get a fresh id. */
static int session_for(nb_server *s, uint64_t token, uint32_t *out)
{
    if (token)
        for (uint32_t i = 0; i < s->nsessions; i++)
            if (s->sessions[i].token == token) {
                *out = i;
                return 0;
            }
    if (s->nsessions >= MAX_AUTHORS || nb_server_sessions_reserve(s, s->nsessions + 1) != 0)
        return -1;
    *out = s->nsessions - 1;
    s->sessions[*out].token = token;
    return 0;
}

/* Joins c (board or raw): author id, counters, J to everyone else. */
static int join(nb_server *s, conn *c, uint64_t token)
{
    nb_conn_batch_flush(s);   /* membership or history changes: earlier relays first */
    if (s->clients >= s->opts.max_clients) {
        conn_fail(s, c, NB_PERR_SERVER_FULL, "server full (%d clients)", s->opts.max_clients);
        return -1;
    }
    if (session_for(s, token, &c->session) != 0) {
        conn_fail(s, c, NB_PERR_SERVER_FULL, "no author ids left");
        return -1;
    }
    c->author = (uint16_t)(c->session + 1);
    if (!c->name[0]) snprintf(c->name, sizeof c->name, "peer%u", c->author);
    c->joined = 1;
    c->deadline_ms = 0;
    s->clients++;
    nb_info("server: %s joined as author %u from %s (%s)", c->name, c->author, c->addr,
            c->state == CONN_RAW ? "raw" : "board");
    nb_frame j = { .type = NB_FT_JOIN, .u.peer.author = c->author,
                   .text = c->name, .text_len = (uint32_t)strlen(c->name) };
    size_t n = encode(s, &j);
    if (n) relay_encoded(s, c, n);
    raw_notice(s, c, "* %s joined\n", c->name);
    return 0;
}

static void on_hello(nb_server *s, conn *c, const nb_frame *f)
{
    if (f->u.hello.version != NB_PROTO_VERSION) {
        conn_fail(s, c, NB_PERR_BAD_VERSION, "protocol version %u, this server speaks %d",
                  f->u.hello.version, NB_PROTO_VERSION);
        return;
    }
    if (f->text_len > NB_NAME_MAX || !nb_utf8_valid(f->text ? f->text : "", f->text_len)) {
        conn_fail(s, c, NB_PERR_BAD_TEXT, "display name is not valid UTF-8 of <= %d bytes",
                  NB_NAME_MAX);
        return;
    }
    memcpy(c->name, f->text ? f->text : "", f->text_len);
    c->name[f->text_len] = '\0';
    c->state = CONN_BOARD;
    if (join(s, c, f->u.hello.session) != 0) return;
    uint64_t token = f->u.hello.session;
    if (!s->host_author && (s->opts.host_token ? token == s->opts.host_token : 1))
        s->host_author = c->author;

    /* W (after the signature in pre), then the history replay by offset, then J for the
     * peers already here in the live buffer; live frames follow in order. */
    nb_frame w = { .type = NB_FT_WELCOME, .u.welcome = { c->author,
                   s->sessions[c->session].held, s->history_frames },
                   .text = s->board_name, .text_len = (uint32_t)strlen(s->board_name) };
    size_t n = encode(s, &w);
    if (!n || nb_buf_append(&c->pre, s->enc, n) != 0) {
        nb_server_kill(s, c, "cannot build welcome");
        return;
    }
    c->hist_off = 0;
    c->hist_end = s->history.len;
    /* W and the history replay bypass nb_server_send (they go out from `pre` and by
     * offset), so they are counted here: status must match what the client decodes. */
    c->frames_out += 1 + (uint64_t)s->history_frames;
    s->frames_out += 1 + (uint64_t)s->history_frames;
    for (int i = 0; i < s->nconns; i++) {
        conn *o = s->conns[i];
        if (o == c || !o->joined || o->state == CONN_LINGER || o->state == CONN_DEAD) continue;
        nb_frame j = { .type = NB_FT_JOIN, .u.peer.author = o->author,
                       .text = o->name, .text_len = (uint32_t)strlen(o->name) };
        send_frame(s, c, &j);
    }
    nb_server_mark_dirty(s, c);
}

static void join_raw(nb_server *s, conn *c)
{
    c->state = CONN_RAW;
    c->lb = malloc(sizeof *c->lb);
    if (!c->lb) {
        nb_server_kill(s, c, "out of memory");
        return;
    }
    nb_linebuf_init(c->lb);
    snprintf(c->name, sizeof c->name, "raw@%s", c->addr);
    join(s, c, 0);
}

/* Empty the history: joiners still replaying it get their unsent part copied first. */
static void clear_history(nb_server *s)
{
    nb_conn_batch_flush(s);   /* membership or history changes: earlier relays first */
    for (int i = 0; i < s->nconns; i++) {
        conn *o = s->conns[i];
        if (o->hist_off < o->hist_end &&
            nb_buf_append(&o->pre, s->history.p + o->hist_off, o->hist_end - o->hist_off) != 0)
            nb_server_kill(s, o, "out of memory");
        o->hist_off = o->hist_end = 0;
    }
    s->history.len = 0;
    s->history_frames = 0;
    s->segments = 0;
    if (s->history.cap > ((size_t)1 << 20)) nb_buf_free(&s->history);   /* give memory back */
}

/* S (non-laser), U, R, C: count it for the sender's session, keep it for late joiners
 * (C keeps nothing: it empties the board), relay it. */
static void board_change(nb_server *s, conn *c, const nb_frame *f)
{
    size_t n = encode(s, f);
    if (!n) return;
    if (f->type == NB_FT_CLEAR) {
        clear_history(s);
    } else {
        if (s->history.len + n > s->opts.history_limit_bytes) {
            nb_frame e = { .type = NB_FT_ERROR, .u.error.code = NB_PERR_NOT_ALLOWED,
                           .text = "board history full", .text_len = 18 };
            send_frame(s, c, &e);
            return;
        }
        if (nb_buf_append(&s->history, s->enc, n) != 0) {
            nb_error("server: out of memory for the board history");
            return;
        }
        s->history_frames++;
        if (f->type == NB_FT_SEGMENT) s->segments++;
    }
    nb_server_journal_change(s, c, f, s->enc, n);
    s->sessions[c->session].held++;
    relay_encoded(s, c, n);
}

/* F V M from a board client, or a raw line: T to every board client (sender included,
 * so its log shows delivery), `name: text` to raw peers. */
static void chat(nb_server *s, conn *c, uint8_t framing, const char *text, uint32_t len)
{
    nb_frame t = { .type = NB_FT_CHAT_DELIVERED, .u.chat = { c->author, framing },
                   .text = text, .text_len = len };
    size_t n = encode(s, &t);
    if (n) relay_encoded(s, NULL, n);
    size_t name_len = strlen(c->name);
    char *line = (char *)s->enc;   /* T bytes are already queued: reuse the scratch */
    NB_ASSERT(name_len + 2 + len + 1 <= sizeof s->enc);
    memcpy(line, c->name, name_len);
    memcpy(line + name_len, ": ", 2);
    for (uint32_t i = 0; i < len; i++) {   /* one message, one line */
        char ch = text[i];
        line[name_len + 2 + i] = ch == '\n' || ch == '\r' ? ' ' : ch;
    }
    line[name_len + 2 + len] = '\n';
    raw_broadcast(s, c, line, name_len + 3 + len);
}

static void on_frame(nb_server *s, conn *c, nb_frame *f)
{
    c->frames_in++;
    s->frames_in++;
    if (c->state == CONN_HELLO) {
        if (f->type == NB_FT_HELLO)
            on_hello(s, c, f);
        else
            conn_fail(s, c, NB_PERR_HELLO_MISSING, "expected H first, got '%c' (%s)",
                      f->type, nb_frame_type_name(f->type));
        return;
    }
    switch (f->type) {
    case NB_FT_HELLO:
        conn_fail(s, c, NB_PERR_HELLO_REPEATED, "second H on one connection");
        break;
    case NB_FT_SEGMENT:
        f->u.seg.author = c->author;   /* nobody draws as someone else */
        if (f->u.seg.flags & NB_SEG_LASER) {
            size_t n = encode(s, f);
            if (n) relay_encoded(s, c, n);
        } else {
            board_change(s, c, f);
        }
        break;
    case NB_FT_UNDO:
    case NB_FT_REDO:
        f->u.undo.author = c->author;
        board_change(s, c, f);
        break;
    case NB_FT_CLEAR:
        f->u.peer.author = c->author;
        if (s->opts.allow_clear_from_host_only && c->author != s->host_author) {
            nb_frame e = { .type = NB_FT_ERROR, .u.error.code = NB_PERR_NOT_ALLOWED,
                           .text = "only the host may clear the board", .text_len = 33 };
            send_frame(s, c, &e);
            break;
        }
        board_change(s, c, f);
        break;
    case NB_FT_CURSOR: {
        f->u.cursor.author = c->author;
        size_t n = encode(s, f);
        if (n) relay_encoded(s, c, n);
        break;
    }
    case NB_FT_PING: {
        nb_frame q = { .type = NB_FT_PONG, .u.token = f->u.token };
        send_frame(s, c, &q);
        break;
    }
    case NB_FT_CHAT_FIXED:
    case NB_FT_CHAT_VAR:
    case NB_FT_CHAT_MIX:
        chat(s, c, f->type, f->text ? f->text : "", f->text_len);
        break;
    case NB_FT_PONG:
        break;
    case NB_FT_ERROR:
        nb_info("server: %s (%s) reports error %u: %.*s", c->addr, c->name, f->u.error.code,
                (int)f->text_len, f->text ? f->text : "");
        break;
    default:
        conn_fail(s, c, NB_PERR_NOT_ALLOWED, "'%c' (%s) is a server-to-client frame",
                  f->type, nb_frame_type_name(f->type));
        break;
    }
}

static void on_raw_line(nb_server *s, conn *c, const char *line, uint32_t len)
{
    if (len == 0) return;
    if (!nb_utf8_valid(line, len)) {
        conn_fail(s, c, NB_PERR_BAD_TEXT, "line is not valid UTF-8");
        return;
    }
    c->frames_in++;
    s->frames_in++;
    chat(s, c, NB_FT_CHAT_VAR, line, len);
}

void nb_conn_feed(nb_server *s, conn *c, const uint8_t *data, size_t len)
{
    size_t i = 0;
    /* every pass consumes at least one byte or leaves the loop */
    while (i < len) {
        size_t used = 0;
        switch (c->state) {
        case CONN_FIRST:
            if (data[i] == NB_SIGNATURE[0]) {
                c->state = CONN_SIG;
                c->deadline_ms = nb_time_ms() + (uint64_t)s->opts.handshake_timeout_ms;
            } else {
                join_raw(s, c);
            }
            break;
        case CONN_SIG:
            used = NB_MIN(len - i, (size_t)(NB_SIG_LEN - c->sig_have));
            memcpy(c->sig + c->sig_have, data + i, used);
            c->sig_have += (uint32_t)used;
            i += used;
            if (c->sig_have < NB_SIG_LEN) break;
            if (memcmp(c->sig, NB_SIGNATURE, NB_SIG_LEN) != 0) {
                nb_warn("server: %s sent a bad signature %02x %02x %02x %02x — closing",
                        c->addr, c->sig[0], c->sig[1], c->sig[2], c->sig[3]);
                s->dropped++;
                nb_server_kill(s, c, NULL);
                goto out;
            }
            nb_buf_append(&c->pre, NB_SIGNATURE, NB_SIG_LEN);
            nb_server_mark_dirty(s, c);
            c->state = CONN_HELLO;
            break;
        case CONN_HELLO:
        case CONN_BOARD: {
            nb_frame f;
            char err[NB_ERR_LEN] = "";
            int rc = nb_decoder_feed(&c->dec, data + i, len - i, &used, &f, err);
            if (rc == NB_DEC_ERROR) {
                conn_fail(s, c, c->dec.error ? c->dec.error : NB_PERR_BAD_BODY, "%s",
                          err[0] ? err : "malformed frame");
                goto out;
            }
            i += used;
            if (rc == NB_DEC_FRAME)
                on_frame(s, c, &f);
            else if (used == 0)
                goto out;   /* defensive: the decoder must consume when it wants more */
            break;
        }
        case CONN_RAW: {
            const char *line;
            uint32_t line_len;
            int rc = nb_linebuf_feed(c->lb, data + i, len - i, &used, &line, &line_len);
            if (rc < 0) {
                conn_fail(s, c, NB_PERR_LINE_TOO_LONG, "line longer than %d bytes",
                          NB_RAW_LINE_MAX);
                goto out;
            }
            i += used;
            if (rc == 1)
                on_raw_line(s, c, line, line_len);
            else if (used == 0)
                goto out;
            break;
        }
        case CONN_LINGER:
        case CONN_DEAD:
            goto out;
        }
    }
out:
    nb_conn_batch_flush(s);
}

void nb_conn_tick(nb_server *s, conn *c, uint64_t now_ms)
{
    if (!c->deadline_ms || now_ms < c->deadline_ms) return;
    c->deadline_ms = 0;
    if (c->state == CONN_FIRST)
        join_raw(s, c);   /* a silent peer is a raw listener (nc host port), not a client */
    else if (c->state == CONN_HELLO)
        conn_fail(s, c, NB_PERR_TIMEOUT, "no hello within %d ms", s->opts.handshake_timeout_ms);
    else
        nb_server_kill(s, c, c->state == CONN_LINGER ? "did not close after the error"
                                                      : "handshake timeout");
}

void nb_conn_shutdown_notice(nb_server *s, conn *c)
{
    /* Best effort, once, never blocking: only when nothing else is owed, so the notice
     * lands on a frame boundary. */
    if (nb_buf_pending(&c->pre) || c->hist_off < c->hist_end || nb_buf_pending(&c->out)) return;
    if (c->state == CONN_BOARD) {
        nb_frame e = { .type = NB_FT_ERROR, .u.error.code = NB_PERR_SHUTDOWN,
                       .text = "server shutting down", .text_len = 20 };
        size_t n = encode(s, &e);
        if (n && send(c->fd, s->enc, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
            /* peer gone: nothing to tell */
        }
    } else if (c->state == CONN_RAW) {
        static const char bye[] = "* server shutting down\n";
        if (send(c->fd, bye, sizeof bye - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) { /* same */ }
    }
}
