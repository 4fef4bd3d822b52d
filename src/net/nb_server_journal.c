/* nb_server_journal.c — the relay's side of nb_journal: rebuild the board history and the
 * session table (author ids, frames held) from the journal on start, record each
 * accepted board change, compact on clear. I/O thread (or start, before the threads). */
#include "nb_server_int.h"

#include <stdlib.h>

#include "nb_log.h"

int nb_server_sessions_reserve(nb_server *s, uint32_t n)
{
    if (n > s->sessions_cap) {
        uint32_t cap = s->sessions_cap ? s->sessions_cap : 64;
        while (cap < n) cap *= 2;
        session *p = realloc(s->sessions, cap * sizeof *p);
        if (!p) return -1;
        s->sessions = p;
        s->sessions_cap = cap;
    }
    while (s->nsessions < n) s->sessions[s->nsessions++] = (session){ 0 };
    return 0;
}

typedef struct replay {
    nb_server *s;
    uint32_t cur;      /* session index + 1 of the frames being read; 0 = none */
    int failed;
} replay;

static void on_session(void *ctx, const nb_journal_session *ss)
{
    replay *r = ctx;
    r->cur = 0;
    if (ss->author == 0 || nb_server_sessions_reserve(r->s, ss->author) != 0) return;
    r->s->sessions[ss->author - 1] = (session){ .token = ss->token, .held = ss->held };
    r->cur = ss->author;
}

static uint16_t frame_author(const nb_frame *f)
{
    switch (f->type) {
    case NB_FT_SEGMENT: return f->u.seg.author;
    case NB_FT_UNDO:
    case NB_FT_REDO: return f->u.undo.author;
    default: return f->u.peer.author;   /* C */
    }
}

static void on_frame(void *ctx, const nb_frame *f, const uint8_t *enc, size_t n)
{
    replay *r = ctx;
    nb_server *s = r->s;
    /* new sessions must not reuse an author id that appears on the board */
    uint16_t a = frame_author(f);
    if (a && nb_server_sessions_reserve(s, a) != 0) r->failed = 1;
    if (r->cur) s->sessions[r->cur - 1].held++;
    if (f->type == NB_FT_CLEAR) {
        s->history.len = 0;
        s->history_frames = s->segments = 0;
        return;
    }
    if (nb_buf_append(&s->history, enc, n) != 0) {
        r->failed = 1;
        return;
    }
    s->history_frames++;
    if (f->type == NB_FT_SEGMENT) s->segments++;
}

int nb_server_journal_open(nb_server *s, const char *path, char *err)
{
    replay r = { .s = s };
    nb_journal_sink sink = { .ctx = &r, .session = on_session, .frame = on_frame };
    s->journal = nb_journal_open(path, s->board_name, &sink, err);
    if (!s->journal) return -1;
    if (r.failed) {
        nb_set_error(err, "journal %s: out of memory while replaying", path);
        nb_journal_close(s->journal);
        s->journal = NULL;
        return -1;
    }
    nb_info("server: journal %s: %u history frames (%u segments), %u sessions", path,
            s->history_frames, s->segments, s->nsessions);
    return 0;
}

static nb_journal_session journal_session(const nb_server *s, uint32_t idx)
{
    return (nb_journal_session){ .token = s->sessions[idx].token,
                                 .author = (uint16_t)(idx + 1),
                                 .held = s->sessions[idx].held };
}

/* After a clear the file keeps only what "held" needs: one record per resumable
 * session that has drawn, then the clearer's record and its C. */
static void compact(nb_server *s, const conn *c, const uint8_t *enc, size_t n)
{
    nb_journal_session stack[64], *ss = stack;
    if (s->nsessions + 1 > NB_ARRAY_LEN(stack)) {
        ss = malloc((s->nsessions + 1) * sizeof *ss);
        if (!ss) {   /* keep the full log: correct, only larger */
            nb_journal_session me = journal_session(s, c->session);
            nb_journal_append(s->journal, &me, enc, n);
            return;
        }
    }
    size_t k = 0;
    for (uint32_t i = 0; i < s->nsessions; i++)
        if (i != c->session && s->sessions[i].token && s->sessions[i].held)
            ss[k++] = journal_session(s, i);
    ss[k++] = journal_session(s, c->session);
    nb_journal_rewrite(s->journal, ss, k, enc, n);
    if (ss != stack) free(ss);
}

void nb_server_journal_change(nb_server *s, const conn *c, const nb_frame *f,
                              const uint8_t *enc, size_t n)
{
    if (!s->journal) return;
    if (f->type == NB_FT_CLEAR) {
        compact(s, c, enc, n);
        return;
    }
    nb_journal_session me = journal_session(s, c->session);
    nb_journal_append(s->journal, &me, enc, n);
}
