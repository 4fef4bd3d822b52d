/* nb_app_net.c — the app's side of the network: hosting a board with an in-process relay,
 * joining one with nb_client, and applying what arrives (drained once per frame from the
 * client's queue) to the board, the chat log and the peer list. Render thread. */
#include "nb_app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nb_log.h"
#include "nb_path.h"
#include "nb_time.h"

const char *nb_app_peer_name(nb_app *a, uint16_t author)
{
    if (author == a->sync.author && author) return a->name_text;
    for (int i = 0; i < a->n_peers; i++)
        if (a->peers[i].author == author) return a->peers[i].name;
    return "?";
}

/* A stable, distinct colour per author for cursors and the peer list. */
uint32_t nb_app_peer_color(uint16_t author)
{
    static const uint32_t colors[] = { 0xE6194BFF, 0x3CB44BFF, 0x4363D8FF, 0xF58231FF,
                                       0x911EB4FF, 0x42D4F4FF, 0xF032E6FF, 0x9A6324FF };
    return colors[author % NB_ARRAY_LEN(colors)];
}

static nb_peer *peer_get(nb_app *a, uint16_t author, int create)
{
    for (int i = 0; i < a->n_peers; i++)
        if (a->peers[i].author == author) return &a->peers[i];
    if (!create || a->n_peers == NB_APP_MAX_PEERS) return NULL;
    nb_peer *p = &a->peers[a->n_peers++];
    memset(p, 0, sizeof *p);
    p->author = author;
    return p;
}

static void peer_remove(nb_app *a, uint16_t author)
{
    for (int i = 0; i < a->n_peers; i++) {
        if (a->peers[i].author != author) continue;
        a->peers[i] = a->peers[--a->n_peers];
        return;
    }
}

int nb_app_host(nb_app *a, int port, char *err)
{
    /* A second netboard on the same machine hosts on the next free port instead of
     * failing: try a few before giving up. The board is journaled per port under
     * $XDG_DATA_HOME/netboard/, so a crash or a restart of the app loses nothing. */
    char dir[512], journal[600];
    int have_dir = nb_path_user_data_dir(dir, sizeof dir) == 0;
    for (int p = port; p < port + 10 && p <= 65535; p++) {
        snprintf(journal, sizeof journal, "%s/board-%d.nbj", dir, p);
        a->server = nb_server_start(&(nb_server_opts){ .port = p, .name = a->board_name,
                                                       .host_token = a->settings_session,
                                                       .allow_clear_from_host_only = a->host_only_clear,
                                                       .journal_path = have_dir ? journal : NULL },
                                    err);
        if (a->server) {
            snprintf(a->server_port_text, sizeof a->server_port_text, "%d", p);
            nb_app_logf(&a->app_log, "hosting board \"%s\" on port %d", a->board_name, p);
            nb_app_refresh_share(a, p);
            return p;
        }
    }
    nb_app_logf(&a->app_log, "could not host: %s", err);
    return -1;
}

void nb_app_stop_hosting(nb_app *a)
{
    if (!a->server) return;
    nb_server_stop(a->server);
    a->server = NULL;
    nb_app_logf(&a->app_log, "server stopped");
}

int nb_app_join(nb_app *a, const char *host, int port, char *err)
{
    nb_app_leave(a);
    a->client = nb_client_start(&(nb_client_opts){ .host = host, .port = port,
                                                   .name = a->name_text,
                                                   .session = a->settings_session,
                                                   .counters = &a->ov.counters,
                                                   .capture = a->ov.capture },
                                err);
    if (!a->client) {
        nb_app_logf(&a->app_log, "join %s:%d failed: %s", host, port, err);
        return -1;
    }
    nb_client_stats st;
    nb_boardsync_init(&a->sync);
    nb_client_get_stats(a->client, &st);
    a->settings_session = st.session;    /* same token when re-joining: same author id */
    a->client_state = NB_CLIENT_CONNECTING;
    if (a->ov.delay_ms || a->ov.rate_pps)
        nb_client_set_shaping(a->client, (uint32_t)a->ov.delay_ms, (uint32_t)a->ov.rate_pps);
    snprintf(a->client_reason, sizeof a->client_reason, "connecting to %s:%d", host, port);
    nb_app_logf(&a->app_log, "joining %s:%d as %s", host, port, a->name_text);
    return 0;
}

void nb_app_leave(nb_app *a)
{
    if (!a->client) return;
    size_t n;
    while ((n = nb_client_drain(a->client, a->events, NB_ARRAY_LEN(a->events))) > 0)
        for (size_t i = 0; i < n; i++) nb_client_event_free(&a->events[i]);
    nb_client_stop(a->client);
    a->client = NULL;
    a->client_state = NB_CLIENT_DISCONNECTED;
    nb_strlcpy(a->client_reason, "not connected", sizeof a->client_reason);
    a->n_peers = 0;
}

static void on_frame(nb_app *a, const nb_client_event *ev)
{
    const nb_frame *f = &ev->u.frame;
    const char *text = nb_client_event_text(ev);
    switch (f->type) {
    case NB_FT_SEGMENT:      /* board frames are applied by boardsync (on_event) */
        if (f->u.seg.flags & NB_SEG_LASER) nb_app_laser(a, &f->u.seg);
        break;
    case NB_FT_CLEAR:
        if (!ev->history)
            nb_app_logf(&a->chat_log, "* %s cleared the board", nb_app_peer_name(a, f->u.peer.author));
        break;
    case NB_FT_CHAT_DELIVERED:
        nb_app_logf(&a->chat_log, "%s [%c]: %s", nb_app_peer_name(a, f->u.chat.author),
                    f->u.chat.framing, text);
        break;
    case NB_FT_JOIN: {
        nb_peer *p = peer_get(a, f->u.peer.author, 1);
        if (p) nb_strlcpy(p->name, text, sizeof p->name);
        if (!ev->history) nb_app_logf(&a->chat_log, "* %s joined", text);
        break;
    }
    case NB_FT_LEAVE:
        nb_app_logf(&a->chat_log, "* %s left", nb_app_peer_name(a, f->u.peer.author));
        peer_remove(a, f->u.peer.author);
        break;
    case NB_FT_CURSOR: {
        nb_peer *p = peer_get(a, f->u.cursor.author, 0);
        if (p) {
            p->x = f->u.cursor.x;
            p->y = f->u.cursor.y;
            p->cursor_visible = f->u.cursor.flags & 1;
            p->cursor_ms = nb_time_ms();
        }
        break;
    }
    case NB_FT_ERROR:
        nb_app_logf(&a->app_log, "server error %u: %s", f->u.error.code, text);
        break;
    default:
        break;
    }
}

static void on_event(nb_app *a, const nb_client_event *ev)
{
    const char *text = nb_client_event_text(ev);
    nb_boardsync_apply(&a->sync, a->client, a->board, ev);
    switch (ev->kind) {
    case NB_CLIENT_EV_STATE:
        a->client_state = ev->u.state.state;
        if (ev->u.state.state == NB_CLIENT_DISCONNECTED) {
            snprintf(a->client_reason, sizeof a->client_reason, "%s — retrying in %.1f s", text,
                     ev->u.state.retry_ms / 1000.0);
            a->n_peers = 0;
        } else {
            nb_strlcpy(a->client_reason, text, sizeof a->client_reason);
        }
        nb_app_logf(&a->app_log, "%s: %s", nb_client_state_name(ev->u.state.state), text);
        break;
    case NB_CLIENT_EV_WELCOME:
        /* boardsync rebuilt the board from the history that follows W and re-applies
         * our own frames the server lacked at SYNCED: nothing drawn offline is lost. */
        nb_strlcpy(a->board_name, text, sizeof a->board_name);
        nb_app_logf(&a->app_log, "joined \"%s\" as #%u (%u history frames)", text,
                    ev->u.welcome.author, ev->u.welcome.history);
        break;
    case NB_CLIENT_EV_FRAME:
        on_frame(a, ev);
        break;
    case NB_CLIENT_EV_ERROR:
        nb_app_logf(&a->app_log, "client: %s", text);
        break;
    }
}

void nb_app_net_iterate(nb_app *a)
{
    a->ov.drained_frame = 0;
    if (!a->client) return;
    /* Bounded per frame so a huge history can't stall one frame for long; the rest
     * waits in the queue for the next frame. */
    for (int round = 0; round < 64; round++) {
        size_t n = nb_client_drain(a->client, a->events, NB_ARRAY_LEN(a->events));
        a->ov.drained_frame += (uint32_t)n;
        for (size_t i = 0; i < n; i++) {
            on_event(a, &a->events[i]);
            nb_client_event_free(&a->events[i]);
        }
        if (n < NB_ARRAY_LEN(a->events)) break;
    }
    if (a->opts.chat[0] && !a->chat_sent && a->client_state == NB_CLIENT_CONNECTED) {
        char err[NB_ERR_LEN];
        a->chat_sent = 1;
        if (nb_client_send_chat(a->client, 'V', a->opts.chat, err) < 0)
            nb_app_logf(&a->chat_log, "not sent: %s", err);
    }
}

/* The frame type each chat mode sends: FIXED F, VAR V, MIX M. */
char nb_app_chat_framing(int mode)
{
    static const char framing[] = { 'F', 'V', 'M' };
    return framing[NB_CLAMP(mode, NB_MODE_FIXED, NB_MODE_MIX)];
}

void nb_app_send_chat(nb_app *a)
{
    char err[NB_ERR_LEN];
    if (!a->chat_text[0]) return;
    if (!a->client) {
        nb_app_logf(&a->chat_log, "not sent: not connected to a board");
        return;
    }
    if (nb_client_send_chat(a->client, nb_app_chat_framing(a->chat_mode), a->chat_text, err) < 0) {
        nb_app_logf(&a->chat_log, "not sent: %s", err);
        return;
    }
    a->chat_text[0] = '\0';
}
