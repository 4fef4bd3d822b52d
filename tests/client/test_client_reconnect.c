/* test_client_reconnect.c — lost links: a TCP proxy in this file sits between a client
 * and the real relay so the test can swallow bytes and cut the link; the client must
 * report the loss, keep retrying, keep what is drawn offline, and after reconnecting
 * resend exactly what the server lacks (a late joiner then sees every segment once).
 * Also: the server itself restarts on the same port and has lost everything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client_harness.h"
#include "nb_clientio.h"
#include "nb_server.h"
#include "nb_sock.h"
#include "nb_time.h"

#define WAIT_MS 5000
#define MAX_PAIRS 4

/* ---- proxy: 127.0.0.1:port -> 127.0.0.1:target ------------------------------------ */

typedef struct proxy {
    int lfd, port, target, wake;
    pthread_t th;
    atomic_int stop, refuse, blackhole, cut_req;
    atomic_ullong swallowed;   /* client -> server bytes dropped while blackholing */
    int cfd[MAX_PAIRS], sfd[MAX_PAIRS], npairs;   /* proxy thread only */
} proxy;

static void close_pair(proxy *p, int i)
{
    close(p->cfd[i]);
    close(p->sfd[i]);
    p->npairs--;
    p->cfd[i] = p->cfd[p->npairs];
    p->sfd[i] = p->sfd[p->npairs];
}

static int forward(int from, int to)
{
    uint8_t buf[8192];
    ssize_t r = recv(from, buf, sizeof buf, MSG_DONTWAIT);
    if (r <= 0) return r == 0 || (errno != EAGAIN && errno != EINTR) ? -1 : 0;
    return send(to, buf, (size_t)r, MSG_NOSIGNAL) == r ? (int)r : -1;   /* loopback: small */
}

static void accept_one(proxy *p)
{
    int a = accept4(p->lfd, NULL, NULL, SOCK_CLOEXEC);
    if (a < 0) return;
    if (atomic_load(&p->refuse) || p->npairs == MAX_PAIRS) {
        close(a);
        return;
    }
    int s = nb_sock_connect("127.0.0.1", p->target, 1000, NULL, NULL);
    if (s < 0) {
        close(a);
        return;
    }
    p->cfd[p->npairs] = a;
    p->sfd[p->npairs++] = s;
}

static void *proxy_main(void *arg)
{
    proxy *p = arg;
    while (!atomic_load(&p->stop)) {
        if (atomic_load(&p->cut_req)) {
            while (p->npairs) close_pair(p, 0);
            atomic_store(&p->cut_req, 0);
        }
        struct pollfd fds[2 + 2 * MAX_PAIRS] = {
            { .fd = p->wake, .events = POLLIN }, { .fd = p->lfd, .events = POLLIN } };
        for (int i = 0; i < p->npairs; i++) {
            fds[2 + 2 * i] = (struct pollfd){ .fd = p->cfd[i], .events = POLLIN };
            fds[3 + 2 * i] = (struct pollfd){ .fd = p->sfd[i], .events = POLLIN };
        }
        int n = poll(fds, (nfds_t)(2 + 2 * p->npairs), 100);
        if (n <= 0) continue;
        if (fds[0].revents) nb_wake_clear(p->wake);
        for (int i = p->npairs - 1; i >= 0; i--) {
            int bad = 0;
            if (fds[2 + 2 * i].revents) {
                if (atomic_load(&p->blackhole)) {
                    uint8_t buf[8192];
                    ssize_t r = recv(p->cfd[i], buf, sizeof buf, MSG_DONTWAIT);
                    if (r > 0) atomic_fetch_add(&p->swallowed, (unsigned long long)r);
                    bad = r == 0;
                } else {
                    bad = forward(p->cfd[i], p->sfd[i]) < 0;
                }
            }
            if (!bad && fds[3 + 2 * i].revents) bad = forward(p->sfd[i], p->cfd[i]) < 0;
            if (bad) close_pair(p, i);
        }
        if (fds[1].revents) accept_one(p);
    }
    while (p->npairs) close_pair(p, 0);
    return NULL;
}

static void proxy_start(proxy *p, int target)
{
    char err[NB_ERR_LEN];
    memset(p, 0, sizeof *p);
    p->target = target;
    p->lfd = nb_sock_listen("127.0.0.1", 0, 8, err);
    assert_true(p->lfd >= 0);
    p->port = nb_sock_local_port(p->lfd);
    p->wake = nb_wake_open(err);
    assert_true(p->wake >= 0);
    assert_int_equal(pthread_create(&p->th, NULL, proxy_main, p), 0);
}

/* Close every proxied connection now; returns once the proxy has done it. */
static void proxy_cut(proxy *p)
{
    atomic_store(&p->cut_req, 1);
    nb_wake_signal(p->wake);
    uint64_t deadline = nb_time_ms() + WAIT_MS;
    while (atomic_load(&p->cut_req) && nb_time_ms() < deadline) poll(NULL, 0, 1);
    assert_int_equal(atomic_load(&p->cut_req), 0);
}

static void proxy_stop(proxy *p)
{
    atomic_store(&p->stop, 1);
    nb_wake_signal(p->wake);
    pthread_join(p->th, NULL);
    close(p->lfd);
    close(p->wake);
}

/* ---- helpers ---------------------------------------------------------------------- */

static nb_server *server_on(int port)
{
    char err[NB_ERR_LEN];
    nb_server_opts o = { .bind = "127.0.0.1", .port = port, .ephemeral = port == 0 };
    nb_server *s = nb_server_start(&o, err);
    if (!s) fail_msg("server: %s", err);
    return s;
}

static void peer_up(th_peer *p, int port, const char *name)
{
    char err[NB_ERR_LEN];
    nb_client_opts o = { .host = "127.0.0.1", .port = port, .name = name,
                         .backoff_min_ms = 20, .backoff_max_ms = 100 };
    if (th_peer_start(p, &o, err) != 0) fail_msg("client: %s", err);
    assert_true(th_wait_connected(p, 1, WAIT_MS));
}

typedef struct visible_ctx { th_peer *p; size_t n; } visible_ctx;

static int has_visible(void *ctx)
{
    visible_ctx *v = ctx;
    return nb_board_visible_count(v->p->board) == v->n;
}

static int disconnected(void *ctx) { return ((th_peer *)ctx)->disconnects > 0; }

typedef struct swallow_ctx { proxy *px; unsigned long long bytes; } swallow_ctx;

static int swallowed(void *ctx)
{
    swallow_ctx *s = ctx;
    return atomic_load(&s->px->swallowed) >= s->bytes;
}

/* A fresh peer straight to the server: its board is the server's history (`frames`
 * long) and must show the n visible segments of `want`. */
static void expect_server_board(int port, const nb_board *want, uint32_t frames, size_t n)
{
    th_peer late;
    peer_up(&late, port, "auditor");
    assert_int_equal(late.history_expected, frames);
    visible_ctx v = { &late, n };
    th_peer *pl = &late;
    assert_true(th_wait(&pl, 1, has_visible, &v, WAIT_MS));
    size_t got, exp;
    /* the auditor's copy carries the server's author ids, the drawer's its own: the same */
    assert_int_equal(th_board_hash(late.board, 1, &got), th_board_hash(want, 1, &exp));
    assert_int_equal(got, n);                 /* every segment exactly once */
    assert_int_equal(exp, n);
    assert_int_equal(late.history_seen, frames);
    th_peer_stop(&late);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_cut_link_resends_exactly_what_is_missing(void **state)
{
    (void)state;
    nb_server *s = server_on(0);
    proxy px;
    proxy_start(&px, nb_server_port(s));
    th_peer a, watcher;
    peer_up(&a, px.port, "alice");
    peer_up(&watcher, nb_server_port(s), "watcher");
    th_peer *both[] = { &a, &watcher };

    for (uint32_t i = 0; i < 10; i++) th_peer_draw(&a, 1, i);      /* delivered */
    for (uint32_t i = 0; i < 5; i++) th_peer_draw(&watcher, 1, i);
    visible_ctx v15 = { &watcher, 15 }, a15 = { &a, 15 };
    assert_true(th_wait(both, 2, has_visible, &v15, WAIT_MS));
    assert_true(th_wait(both, 2, has_visible, &a15, WAIT_MS));

    /* stroke 2 leaves the client but never reaches the server */
    atomic_store(&px.blackhole, 1);
    for (uint32_t i = 0; i < 10; i++) th_peer_draw(&a, 2, i);
    swallow_ctx sw = { &px, 10 * 21 };
    assert_true(th_wait(both, 2, swallowed, &sw, WAIT_MS));

    /* cut the link and refuse new ones: the client reports it and keeps retrying */
    atomic_store(&px.refuse, 1);
    proxy_cut(&px);
    assert_true(th_wait(both, 2, disconnected, &a, WAIT_MS));
    assert_int_equal(a.state, NB_CLIENT_DISCONNECTED);
    assert_true(strlen(a.last_reason) > 0);

    /* offline: a draws, undoes, draws; the watcher draws too */
    for (uint32_t i = 0; i < 10; i++) th_peer_draw(&a, 3, i);
    assert_int_equal(th_peer_undo(&a), 3);
    for (uint32_t i = 0; i < 10; i++) th_peer_draw(&a, 4, i);
    for (uint32_t i = 0; i < 5; i++) th_peer_draw(&watcher, 2, i);

    atomic_store(&px.blackhole, 0);
    atomic_store(&px.refuse, 0);
    assert_true(th_wait_connected(&a, 2, WAIT_MS));
    /* 10 + 10 + 0 (undone) + 10 of a's, 10 of the watcher's */
    visible_ctx v40 = { &watcher, 40 }, a40 = { &a, 40 };
    assert_true(th_wait(both, 2, has_visible, &v40, WAIT_MS));
    assert_true(th_wait(both, 2, has_visible, &a40, WAIT_MS));
    size_t na, nw;
    assert_int_equal(th_board_hash(a.board, 1, &na), th_board_hash(watcher.board, 1, &nw));
    assert_int_equal(na, 40);

    nb_client_stats st;
    nb_client_get_stats(a.c, &st);
    assert_int_equal(st.outbox_len, 41);
    assert_int_equal(st.outbox_resent, 10);   /* only stroke 2 went out twice */
    assert_true(st.connects >= 2);
    /* history: a's 41 frames (undo included) and the watcher's 10, each once */
    expect_server_board(nb_server_port(s), a.board, 51, 40);

    th_peer_stop(&watcher);
    th_peer_stop(&a);
    proxy_stop(&px);
    nb_server_stop(s);
}

static void test_server_restart_on_same_port(void **state)
{
    (void)state;
    nb_server *s = server_on(0);
    int port = nb_server_port(s);
    th_peer a;
    peer_up(&a, port, "alice");
    for (uint32_t i = 0; i < 15; i++) th_peer_draw(&a, 1, i);
    nb_server_status sst;
    uint64_t deadline = nb_time_ms() + WAIT_MS;
    do {
        nb_server_status_get(s, &sst);
        if (sst.history_frames < 15) poll(NULL, 0, 2);
    } while (sst.history_frames < 15 && nb_time_ms() < deadline);
    assert_int_equal(sst.history_frames, 15);

    nb_server_stop(s);                         /* the relay goes away, history and all */
    th_peer *pa = &a;
    assert_true(th_wait(&pa, 1, disconnected, &a, WAIT_MS));
    for (uint32_t i = 0; i < 5; i++) th_peer_draw(&a, 2, i);        /* offline */

    s = server_on(port);                       /* back on the same port, empty */
    assert_true(th_wait_connected(&a, 2, WAIT_MS));
    expect_server_board(port, a.board, 20, 20);    /* held 0: everything resent once */

    th_peer_stop(&a);
    nb_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_link_resends_exactly_what_is_missing),
        cmocka_unit_test(test_server_restart_on_same_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
