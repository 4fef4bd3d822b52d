/* client_harness.c — headless board peer; see client_harness.h. */
#include "client_harness.h"

#include <poll.h>
#include <string.h>

#include "nb_time.h"

int th_peer_start(th_peer *p, const nb_client_opts *o, char *err)
{
    memset(p, 0, sizeof *p);
    nb_boardsync_init(&p->sync);
    p->board = nb_board_create(NULL);
    if (!p->board) {
        nb_set_error(err, "board: out of memory");
        return -1;
    }
    p->c = nb_client_start(o, err);
    if (!p->c) {
        nb_board_destroy(p->board);
        p->board = NULL;
        return -1;
    }
    return 0;
}

void th_peer_stop(th_peer *p)
{
    nb_client_stop(p->c);
    nb_board_destroy(p->board);
    p->c = NULL;
    p->board = NULL;
}

static void apply_frame(th_peer *p, const nb_client_event *ev)
{
    const nb_frame *f = &ev->u.frame;
    p->frames++;
    if (ev->history) p->history_seen++;
    switch (f->type) {
    case NB_FT_CHAT_DELIVERED:
        if (p->nchat < TH_CHATS) {
            th_chat *c = &p->chat[p->nchat++];
            c->author = f->u.chat.author;
            c->framing = f->u.chat.framing;
            c->len = f->text_len;
            nb_strlcpy(c->text, f->text, sizeof c->text);
        }
        break;
    default: break;
    }
}

size_t th_peer_pump(th_peer *p)
{
    nb_client_event evs[64];
    size_t total = 0, n;
    for (int round = 0; round < 1000 && (n = nb_client_drain(p->c, evs, 64)) > 0; round++) {
        for (size_t i = 0; i < n; i++) {
            nb_client_event *ev = &evs[i];
            nb_boardsync_apply(&p->sync, p->c, p->board, ev);
            switch (ev->kind) {
            case NB_CLIENT_EV_STATE:
                p->state = ev->u.state.state;
                if (p->state == NB_CLIENT_DISCONNECTED) {
                    p->disconnects++;
                    nb_strlcpy(p->last_reason, nb_client_event_text(ev), sizeof p->last_reason);
                }
                break;
            case NB_CLIENT_EV_WELCOME:
                p->welcomes++;
                p->author = ev->u.welcome.author;
                p->history_expected = ev->u.welcome.history;
                p->history_seen = 0;
                p->synced = 0;
                break;
            case NB_CLIENT_EV_SYNCED: p->synced = 1; break;
            case NB_CLIENT_EV_FRAME: apply_frame(p, ev); break;
            case NB_CLIENT_EV_ERROR:
                p->errors++;
                nb_strlcpy(p->last_reason, nb_client_event_text(ev), sizeof p->last_reason);
                break;
            }
            nb_client_event_free(ev);
        }
        total += n;
    }
    return total;
}

int th_wait(th_peer **peers, size_t n, int (*pred)(void *ctx), void *ctx, int timeout_ms)
{
    uint64_t deadline = nb_time_ms() + (uint64_t)timeout_ms;
    for (;;) {
        for (size_t i = 0; i < n; i++) th_peer_pump(peers[i]);
        if (pred(ctx)) return 1;
        if (nb_time_ms() >= deadline) return 0;
        poll(NULL, 0, 2);   /* pace the polling; the deadline bounds the loop */
    }
}

typedef struct conn_wait { th_peer *p; int welcomes; } conn_wait;

static int connected_pred(void *ctx)
{
    conn_wait *w = ctx;
    return w->p->welcomes >= w->welcomes && w->p->state == NB_CLIENT_CONNECTED && w->p->synced;
}

int th_wait_connected(th_peer *p, int welcomes, int timeout_ms)
{
    conn_wait w = { p, welcomes };
    return th_wait(&p, 1, connected_pred, &w, timeout_ms);
}

nb_segment th_peer_draw(th_peer *p, uint32_t stroke, uint32_t i)
{
    nb_segment s = {
        .stroke = stroke,
        .x1 = (uint16_t)(stroke * 97 + i * 13), .y1 = (uint16_t)(i * 31),
        .x2 = (uint16_t)(stroke * 97 + i * 13 + 7), .y2 = (uint16_t)(i * 31 + 5),
        .rgba = 0x10203000u | (stroke & 0xff), .width = (uint8_t)(1 + i % 9), .flags = 0,
    };
    nb_boardsync_draw(&p->sync, p->c, p->board, &s);
    return s;
}

int64_t th_peer_undo(th_peer *p)
{
    return nb_boardsync_undo(&p->sync, p->c, p->board);
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const uint8_t *b = data;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t th_board_hash(const nb_board *b, int with_author, size_t *count)
{
    uint64_t sum = 0;
    size_t pos = 0, n = 0;
    nb_segment s;
    while (nb_board_next(b, &pos, &s)) {
        /* hash fields, not the struct: padding bytes are not part of a segment */
        uint64_t h = 14695981039346656037ull;
        uint16_t author = with_author ? s.author : 0;
        h = fnv1a(h, &author, sizeof author);
        h = fnv1a(h, &s.stroke, sizeof s.stroke);
        h = fnv1a(h, &s.x1, sizeof s.x1);
        h = fnv1a(h, &s.y1, sizeof s.y1);
        h = fnv1a(h, &s.x2, sizeof s.x2);
        h = fnv1a(h, &s.y2, sizeof s.y2);
        h = fnv1a(h, &s.rgba, sizeof s.rgba);
        h = fnv1a(h, &s.width, sizeof s.width);
        h = fnv1a(h, &s.flags, sizeof s.flags);
        sum += h;
        n++;
    }
    if (count) *count = n;
    return sum;
}
