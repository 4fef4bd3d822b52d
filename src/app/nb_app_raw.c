/* nb_app_raw.c — the Client tab's raw TCP client (the seed's client: any host:port, the
 * seed's exact FIXED / VAR / MIX bytes, close after send, replies as text and hex), the
 * addresses others can join this board with, and the board connection's own socket
 * diagnostics. Render thread. */
#include "nb_app_int.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nb_diag.h"
#include "nb_ifaces.h"

void nb_app_log_init(nb_app_log *l) { nb_ui_ring_init(&l->ring, l->store, NB_LOG_LINES, NB_LOG_LINE_CAP); }

void nb_app_logf(nb_app_log *l, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    nb_ui_ring_push(&l->ring, buf);
}

/* Log lines wider than the log view are wrapped (at a UTF-8 boundary, continuation lines
 * indented) so nothing of a diagnostic's output is cut off on screen. */
void nb_app_log_wrapped(nb_app *a, nb_app_log *l, const char *text)
{
    const nb_ui_theme *t = nb_ui_theme_get(a->ui);
    int cw = a->ui_opts.text_width(a->ui_opts.ud, NB_UI_FONT_MONO, "M", 1);
    int width = a->panel_rect.w - (int)(80 * t->scale);
    int cols = cw > 0 ? width / cw : 60;
    if (cols < 20) cols = 20;
    char buf[NB_LOG_LINE_CAP];
    const char *p = text;
    int first = 1;
    while (*p) {
        int indent = first ? 0 : 2, room = cols - indent, n = 0, chars = 0;
        while (p[n] && chars < room && n < (int)sizeof buf - 4) {
            n++;
            while (((unsigned char)p[n] & 0xC0) == 0x80) n++;   /* whole code points */
            chars++;
        }
        snprintf(buf, sizeof buf, "%*s%.*s", indent, "", n, p);
        nb_ui_ring_push(&l->ring, buf);
        p += n;
        first = 0;
    }
    if (first) nb_ui_ring_push(&l->ring, "");
}

/* Addresses of this machine's interfaces that others could reach, "host:port" each.
 * Loopback last: it is what works on this machine only. */
void nb_app_refresh_share(nb_app *a, int port)
{
    nb_iface ifs[16];
    size_t n = 0;
    char err[NB_ERR_LEN];
    a->n_share = 0;
    if (nb_ifaces_collect(ifs, NB_ARRAY_LEN(ifs), &n, err) < 0) return;
    n = NB_MIN(n, NB_ARRAY_LEN(ifs));
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            int loop = (ifs[i].flags & IFF_LOOPBACK) != 0;
            if (loop != pass || !(ifs[i].flags & IFF_UP)) continue;
            for (size_t k = 0; k < ifs[i].naddrs && a->n_share < NB_APP_MAX_SHARE; k++) {
                const nb_iface_addr *ad = &ifs[i].addrs[k];
                char txt[INET6_ADDRSTRLEN];
                if (ad->family == AF_INET6 && ad->scope_id) continue;   /* link-local */
                inet_ntop(ad->family, ad->addr, txt, sizeof txt);
                snprintf(a->share[a->n_share++], sizeof a->share[0],
                         ad->family == AF_INET6 ? "[%s]:%d" : "%s:%d", txt, port);
            }
        }
    }
}

static void diag_emit(void *ud, const char *line)
{
    nb_app *a = ud;
    nb_app_log_wrapped(a, &a->diag_log, line);
}

void nb_app_diag_board_connection(nb_app *a)
{
    nb_client_stats st;
    if (!a->client) {
        nb_app_logf(&a->diag_log, "error: not connected to a board");
        return;
    }
    nb_client_get_stats(a->client, &st);
    nb_app_logf(&a->diag_log, "$ board connection to %s", st.server_addr);
    if (st.fd < 0) {
        nb_app_logf(&a->diag_log, "error: not connected right now");
        return;
    }
    /* The fd is read on this thread while the client thread may close it on a drop; the
     * report only calls getsockopt, which fails cleanly (EBADF) on a closed fd. */
    nb_diag_fd_report(st.fd, diag_emit, a);
}

static void raw_drain(nb_app *a)
{
    nb_rawclient_event ev[32];
    size_t n;
    if (!a->raw) return;
    while ((n = nb_rawclient_drain(a->raw, ev, NB_ARRAY_LEN(ev))) > 0) {
        for (size_t i = 0; i < n; i++) {
            switch (ev[i].kind) {
            case NB_RAW_EV_CONNECTED: nb_app_logf(&a->raw_log, "connected to %s", ev[i].text); break;
            case NB_RAW_EV_DATA:
                nb_app_logf(&a->raw_log, "<< %zu bytes:", ev[i].len);
                nb_app_log_wrapped(a, &a->raw_log, ev[i].text);
                nb_app_logf(&a->raw_log, "%s", ev[i].hex);
                break;
            case NB_RAW_EV_WRITE_CLOSED: nb_app_logf(&a->raw_log, "write side closed: %s", ev[i].text); break;
            case NB_RAW_EV_CLOSED: nb_app_logf(&a->raw_log, "closed: %s", ev[i].text); break;
            }
            nb_rawclient_event_free(&ev[i]);
        }
        if (n < NB_ARRAY_LEN(ev)) break;
    }
}

void nb_app_raw_iterate(nb_app *a) { raw_drain(a); }

void nb_app_raw_panel(nb_app *a)
{
    static const char framing[] = { NB_RAW_FIXED, NB_RAW_VAR, NB_RAW_MIX };
    char err[NB_ERR_LEN];
    nb_ui_header(a->ui, "Raw TCP client (no type byte)");
    nb_ui_layout_row(a->ui, 4, (const int[]){ 60, -160, 50, -1 }, 0);
    nb_ui_label(a->ui, "Host");
    nb_ui_textbox(a->ui, a->raw_host, sizeof a->raw_host);
    nb_ui_label(a->ui, "Port");
    nb_ui_textbox(a->ui, a->raw_port, sizeof a->raw_port);
    nb_ui_layout_row(a->ui, 2, (const int[]){ 226, -1 }, 0);
    if (nb_ui_button(a->ui, a->raw ? "Reconnect##raw" : "Connect##raw") & NB_UI_RES_SUBMIT) {
        nb_rawclient_stop(a->raw);
        a->raw = nb_rawclient_start(&(nb_rawclient_opts){ .host = a->raw_host,
                                                           .port = atoi(a->raw_port) }, err);
        nb_app_logf(&a->raw_log, a->raw ? "connecting to %s:%s" : "error: %s",
                    a->raw ? a->raw_host : err, a->raw_port);
    }
    if (nb_ui_button_ex(a->ui, "Close##raw", a->raw ? 0 : NB_UI_OPT_DISABLED) & NB_UI_RES_SUBMIT) {
        nb_rawclient_stop(a->raw);
        a->raw = NULL;
        nb_app_logf(&a->raw_log, "closed by you");
    }
    nb_ui_layout_row(a->ui, 4, (const int[]){ 80, 70, 70, -1 }, 0);
    nb_ui_radio(a->ui, "FIXED##raw", &a->raw_mode, NB_MODE_FIXED);
    nb_ui_radio(a->ui, "VAR##raw", &a->raw_mode, NB_MODE_VAR);
    nb_ui_radio(a->ui, "MIX##raw", &a->raw_mode, NB_MODE_MIX);
    nb_ui_checkbox(a->ui, "close after send", &a->raw_close_after);
    nb_ui_layout_row(a->ui, 2, (const int[]){ -80, -1 }, 0);
    int r = nb_ui_textbox(a->ui, a->raw_text, sizeof a->raw_text);
    if ((nb_ui_button_ex(a->ui, "Send##raw", a->raw ? NB_UI_OPT_ACCENT : NB_UI_OPT_DISABLED) |
         (r & NB_UI_RES_SUBMIT)) & NB_UI_RES_SUBMIT && a->raw) {
        if (nb_rawclient_send(a->raw, framing[a->raw_mode], a->raw_text, strlen(a->raw_text),
                              a->raw_close_after ? NB_RAW_CLOSE_AFTER : 0, err) < 0)
            nb_app_logf(&a->raw_log, "not sent: %s", err);
        else
            nb_app_logf(&a->raw_log, ">> %s", a->raw_text);
    }
    nb_ui_layout_row(a->ui, 1, (const int[]){ -1 }, 220);
    nb_ui_log(a->ui, "rawlog", &a->raw_log.ring, NB_UI_OPT_MONO);
}
