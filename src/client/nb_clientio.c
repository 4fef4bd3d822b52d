/* nb_clientio.c — outbound byte buffer, eventfd wake-ups and the network-thread skeleton;
 * see nb_clientio.h. */
#include "nb_clientio.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

int nb_bytes_append(nb_bytes *b, const void *data, size_t n)
{
    if (b->off && b->off == b->len) b->off = b->len = 0;
    if (b->len + n > b->cap) {
        if (b->off) {               /* slide the pending bytes down before growing */
            memmove(b->p, b->p + b->off, b->len - b->off);
            b->len -= b->off;
            b->off = 0;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        if (cap != b->cap) {
            uint8_t *p = realloc(b->p, cap);
            if (!p) return -1;
            b->p = p;
            b->cap = cap;
        }
    }
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

int nb_bytes_move(nb_bytes *dst, nb_bytes *src)
{
    if (nb_bytes_pending(dst) == 0) {
        nb_bytes t = *dst;          /* common case: hand the whole buffer over */
        *dst = *src;
        *src = t;
        nb_bytes_reset(src);
        return 0;
    }
    if (nb_bytes_append(dst, src->p + src->off, nb_bytes_pending(src)) != 0) return -1;
    nb_bytes_reset(src);
    return 0;
}

void nb_bytes_reset(nb_bytes *b) { b->off = b->len = 0; }

void nb_bytes_free(nb_bytes *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

ssize_t nb_bytes_send(nb_bytes *b, int fd, char *err)
{
    size_t n = nb_bytes_pending(b);
    if (!n) return 0;
    ssize_t w;
    do {
        w = send(fd, b->p + b->off, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (w < 0 && errno == EINTR);
    if (w < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        nb_set_error(err, "send on fd %d: %s", fd, strerror(errno));
        return -1;
    }
    b->off += (size_t)w;
    if (b->off == b->len) b->off = b->len = 0;
    return w;
}

int nb_wake_open(char *err)
{
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) nb_set_error(err, "eventfd: %s", strerror(errno));
    return fd;
}

void nb_wake_signal(int fd)
{
    uint64_t one = 1;
    /* EAGAIN means the counter is already huge: the thread is awake anyway */
    ssize_t w = write(fd, &one, sizeof one);
    (void)w;
}

void nb_wake_clear(int fd)
{
    uint64_t v;
    ssize_t r = read(fd, &v, sizeof v);
    (void)r;
}

/* ---- worker ---------------------------------------------------------------------- */

#define DRAIN_BYTES 4096   /* stop drains leftovers through a stack buffer this big */

int nb_worker_start(nb_worker *w, size_t item_size, size_t capacity, void *(*fn)(void *),
                    void *arg, const char *what, char *err)
{
    NB_ASSERT(w && item_size > 0 && item_size <= DRAIN_BYTES && capacity > 0 && fn && what);
    w->wake_fd = -1;
    w->item_size = item_size;
    pthread_mutex_init(&w->lock, NULL);
    w->events = nb_queue_create(item_size, capacity);
    if (!w->events) {
        nb_set_error(err, "%s: out of memory for the event queue", what);
        goto fail;
    }
    w->wake_fd = nb_wake_open(err);
    if (w->wake_fd < 0) goto fail;
    int rc = pthread_create(&w->thread, NULL, fn, arg);
    if (rc != 0) {
        nb_set_error(err, "%s: pthread_create: %s", what, strerror(rc));
        goto fail;
    }
    return 0;
fail:
    if (w->wake_fd >= 0) close(w->wake_fd);
    nb_queue_destroy(w->events);
    pthread_mutex_destroy(&w->lock);
    return -1;
}

void nb_worker_stop(nb_worker *w, void (*free_item)(void *item))
{
    atomic_store(&w->stopping, 1);
    nb_wake_signal(w->wake_fd);
    nb_queue_close(w->events);
    pthread_join(w->thread, NULL);
    _Alignas(max_align_t) unsigned char buf[DRAIN_BYTES];
    size_t max = sizeof buf / w->item_size;
    for (size_t n; (n = nb_queue_drain_all(w->events, buf, max)) > 0;)
        for (size_t i = 0; i < n; i++) free_item(buf + i * w->item_size);
    nb_queue_destroy(w->events);
    close(w->wake_fd);
    pthread_mutex_destroy(&w->lock);
}
