/* test_journal.c — the server's journal: parsing (records, torn tails, corruption),
 * replay into a restarted in-process server (history, author ids, frames held),
 * compaction on clear, and a torn last record cut on start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nb_journal.h"
#include "nb_log.h"
#include "nb_server.h"
#include "nb_testclient.h"

typedef struct seen {
    int sessions, frames;
    nb_journal_session last;
} seen;

static void on_session(void *ctx, const nb_journal_session *ss)
{
    seen *s = ctx;
    s->sessions++;
    s->last = *ss;
}

static void on_frame(void *ctx, const nb_frame *f, const uint8_t *enc, size_t n)
{
    (void)f;
    (void)enc;
    (void)n;
    ((seen *)ctx)->frames++;
}

static size_t put(uint8_t *out, const nb_frame *f)
{
    int n = nb_encode(f, out, NB_FRAME_MAX, NULL);
    assert_true(n > 0);
    return (size_t)n;
}

static size_t header_end, rec_end;   /* offsets in what build writes */

/* header + P(7) W(3, 5) + 2 segments */
static size_t build(uint8_t *buf)
{
    size_t n = (size_t)nb_boardfile_header("b", buf, 256, NULL);
    header_end = n;
    n += put(buf + n, &(nb_frame){ .type = NB_FT_PING, .u.token = 7 });
    n += put(buf + n, &(nb_frame){ .type = NB_FT_WELCOME, .u.welcome = { 3, 5, 0 } });
    rec_end = n;
    nb_frame s = { .type = NB_FT_SEGMENT, .u.seg = { .author = 3, .stroke = 1, .width = 2 } };
    n += put(buf + n, &s);
    n += put(buf + n, &s);
    return n;
}

static void test_parse_records(void **state)
{
    (void)state;
    uint8_t buf[1024];
    size_t n = build(buf), valid = 0;
    char name[NB_BOARD_NAME_MAX + 1], err[NB_ERR_LEN];
    seen sn = { 0 };
    nb_journal_sink sink = { &sn, on_session, on_frame };
    assert_int_equal(nb_journal_parse(buf, n, &sink, &valid, name, err), 0);
    assert_int_equal(valid, n);
    assert_string_equal(name, "b");
    assert_int_equal(sn.sessions, 1);
    assert_int_equal(sn.frames, 2);
    assert_int_equal(sn.last.token, 7);
    assert_int_equal(sn.last.author, 3);
    assert_int_equal(sn.last.held, 5);
}

/* Every cut inside the data is torn (never corrupt) and valid ends on a whole record. */
static void test_parse_every_cut(void **state)
{
    (void)state;
    uint8_t buf[1024];
    size_t n = build(buf);
    size_t seg = 21;
    assert_int_equal(n, rec_end + 2 * seg);
    for (size_t cut = 0; cut < n; cut++) {
        size_t valid = 99;
        char name[NB_BOARD_NAME_MAX + 1], err[NB_ERR_LEN] = "";
        seen sn = { 0 };
        nb_journal_sink sink = { &sn, on_session, on_frame };
        int rc = nb_journal_parse(buf, cut, &sink, &valid, name, err);
        if (cut == NB_SIG_LEN || cut == header_end || cut == rec_end || cut == rec_end + seg) {
            assert_int_equal(rc, 0);
            assert_int_equal(valid, cut);
        } else {
            assert_int_equal(rc, NB_BF_TORN);
            assert_true(valid < cut || cut == 0);
            assert_true(err[0] != '\0');
        }
        /* a session record cut between P and W is not whole */
        if (cut > header_end && cut < rec_end) assert_int_equal(valid, header_end);
    }
}

static void test_parse_corrupt(void **state)
{
    (void)state;
    uint8_t buf[1024];
    size_t n = build(buf), valid = 0;
    char name[NB_BOARD_NAME_MAX + 1], err[NB_ERR_LEN] = "";
    /* a chat frame does not belong */
    size_t m = n + put(buf + n, &(nb_frame){ .type = NB_FT_CHAT_VAR, .text = "x", .text_len = 1 });
    assert_int_equal(nb_journal_parse(buf, m, NULL, &valid, name, err), NB_BF_CORRUPT);
    assert_int_equal(valid, n);
    /* a W without its P, and an unknown type byte */
    m = n + put(buf + n, &(nb_frame){ .type = NB_FT_WELCOME });
    assert_int_equal(nb_journal_parse(buf, m, NULL, &valid, name, err), NB_BF_CORRUPT);
    buf[n] = 0xff;
    assert_int_equal(nb_journal_parse(buf, n + 1, NULL, &valid, name, err), NB_BF_CORRUPT);
    assert_int_equal(valid, n);
    /* a P followed by a segment */
    memcpy(buf, "\x89NB1", 4);
    size_t k = 4 + put(buf + 4, &(nb_frame){ .type = NB_FT_PING, .u.token = 1 });
    k += put(buf + k, &(nb_frame){ .type = NB_FT_SEGMENT, .u.seg = { .width = 1 } });
    assert_int_equal(nb_journal_parse(buf, k, NULL, &valid, name, err), NB_BF_CORRUPT);
    assert_int_equal(valid, 4);
    assert_int_equal(nb_journal_parse((const uint8_t *)"GIF89a", 6, NULL, &valid, name, err),
                     NB_BF_CORRUPT);
    assert_int_equal(valid, 0);
}

/* ---- against a live server ---------------------------------------------------------- */

typedef struct fx {
    char dir[64], path[128];
    nb_server *s;
} fx;

static nb_server *start(fx *x)
{
    char err[NB_ERR_LEN];
    x->s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                              .name = "durable", .journal_path = x->path },
                           err);
    if (!x->s) fprintf(stderr, "start: %s\n", err);
    assert_non_null(x->s);
    return x->s;
}

static int setup(void **state)
{
    nb_log_set_level(NB_LOG_ERROR);
    fx *x = calloc(1, sizeof *x);
    snprintf(x->dir, sizeof x->dir, "/tmp/nbj-XXXXXX");
    if (!mkdtemp(x->dir)) return -1;
    snprintf(x->path, sizeof x->path, "%s/board.nbj", x->dir);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    nb_server_stop(x->s);
    char p[200];
    const char *sfx[] = { "", ".tmp", ".bad" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", x->path, sfx[i]);
        unlink(p);
    }
    rmdir(x->dir);
    free(x);
    return 0;
}

static void restart(fx *x)
{
    nb_server_stop(x->s);
    x->s = NULL;
    start(x);
}

static void draw(tc *c, int n, uint32_t stroke)
{
    for (int i = 0; i < n; i++) assert_int_equal(tc_send_segment(c, 0, stroke, 0), 0);
    assert_int_equal(tc_sync(c), 0);
}

static void test_restart_keeps_board_and_sessions(void **state)
{
    fx *x = *state;
    start(x);
    tc a, b, anon;
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa11ce, "alice"), 0);
    assert_int_equal(tc_join(&b, nb_server_port(x->s), 0xb0b, "bob"), 0);
    uint16_t author_a = a.author, author_b = b.author;
    draw(&a, 30, 1);
    draw(&b, 20, 2);
    draw(&a, 5, 3);
    assert_int_equal(tc_send(&b, &(nb_frame){ .type = NB_FT_UNDO, .u.undo = { 0, 2 } }), 0);
    assert_int_equal(tc_sync(&b), 0);
    assert_int_equal(tc_join(&anon, nb_server_port(x->s), 0, "anon"), 0);
    draw(&anon, 4, 9);
    tc_close(&a);
    tc_close(&b);
    tc_close(&anon);
    restart(x);

    nb_server_status st;
    nb_server_status_get(x->s, &st);
    assert_int_equal(st.history_frames, 60);
    assert_int_equal(st.segments, 59);
    assert_int_equal(tc_join(&b, nb_server_port(x->s), 0xb0b, "bob"), 0);
    assert_int_equal(b.author, author_b);
    assert_int_equal(b.held, 21);
    assert_int_equal(b.history, 60);
    assert_string_equal(b.board, "durable");
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa11ce, "alice"), 0);
    assert_int_equal(a.author, author_a);
    assert_int_equal(a.held, 35);
    /* a new session never reuses an author id found on the board */
    assert_int_equal(tc_join(&anon, nb_server_port(x->s), 0, "anon"), 0);
    assert_true(anon.author != author_a && anon.author != author_b);
    assert_true(anon.author > 3);
    tc_close(&a);
    tc_close(&b);
    tc_close(&anon);
}

static off_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : -1;
}

static void test_clear_compacts(void **state)
{
    fx *x = *state;
    start(x);
    tc a, b;
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa, "a"), 0);
    assert_int_equal(tc_join(&b, nb_server_port(x->s), 0xb, "b"), 0);
    draw(&a, 200, 1);
    draw(&b, 100, 2);
    off_t before = file_size(x->path);
    assert_true(before > 300 * 21);
    assert_int_equal(tc_send(&b, &(nb_frame){ .type = NB_FT_CLEAR }), 0);
    assert_int_equal(tc_sync(&b), 0);
    off_t after = file_size(x->path);
    assert_true(after > 0 && after < 200);   /* header, two records, one C */
    draw(&a, 3, 4);
    tc_close(&a);
    tc_close(&b);
    restart(x);
    nb_server_status st;
    nb_server_status_get(x->s, &st);
    assert_int_equal(st.history_frames, 3);
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa, "a"), 0);
    assert_int_equal(a.held, 203);
    assert_int_equal(tc_join(&b, nb_server_port(x->s), 0xb, "b"), 0);
    assert_int_equal(b.held, 101);   /* the C counts */
    tc_close(&a);
    tc_close(&b);
}

static void append_bytes(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, p, n), (ssize_t)n);
    close(fd);
}

static void test_torn_tail_cut(void **state)
{
    fx *x = *state;
    start(x);
    tc a;
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa, "a"), 0);
    draw(&a, 10, 1);
    tc_close(&a);
    nb_server_stop(x->s);
    x->s = NULL;
    off_t whole = file_size(x->path);
    append_bytes(x->path, "S\0\1\0\0", 5);   /* a segment cut after 5 of 21 bytes */
    start(x);
    assert_int_equal(file_size(x->path), whole);
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa, "a"), 0);
    assert_int_equal(a.held, 10);
    assert_int_equal(a.history, 10);
    draw(&a, 1, 2);   /* appending after the cut makes a clean file */
    tc_close(&a);
    restart(x);
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa, "a"), 0);
    assert_int_equal(a.held, 11);
    tc_close(&a);
}

static void test_corrupt_tail_saved_and_cut(void **state)
{
    fx *x = *state;
    start(x);
    tc a;
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa, "a"), 0);
    draw(&a, 4, 1);
    tc_close(&a);
    nb_server_stop(x->s);
    x->s = NULL;
    off_t whole = file_size(x->path);
    append_bytes(x->path, "Zjunk", 5);
    start(x);
    assert_int_equal(file_size(x->path), whole);
    char bad[200];
    snprintf(bad, sizeof bad, "%s.bad", x->path);
    assert_int_equal(file_size(bad), whole + 5);
    assert_int_equal(tc_join(&a, nb_server_port(x->s), 0xa, "a"), 0);
    assert_int_equal(a.history, 4);
    tc_close(&a);
}

static void test_not_a_journal_refused(void **state)
{
    fx *x = *state;
    FILE *fp = fopen(x->path, "w");
    assert_non_null(fp);
    fputs("my thesis, do not overwrite", fp);
    fclose(fp);
    char err[NB_ERR_LEN] = "";
    nb_server *s = nb_server_start(&(nb_server_opts){ .ephemeral = 1, .bind = "127.0.0.1",
                                                      .journal_path = x->path }, err);
    assert_null(s);
    assert_non_null(strstr(err, "not a netboard journal"));
    assert_int_equal(file_size(x->path), 27);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_records),
        cmocka_unit_test(test_parse_every_cut),
        cmocka_unit_test(test_parse_corrupt),
        cmocka_unit_test_setup_teardown(test_restart_keeps_board_and_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_compacts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_tail_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_tail_saved_and_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_journal_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
