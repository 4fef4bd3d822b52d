/* nb_clientio.h — what the board client and the raw client threads share: a growable
 * byte buffer for outbound bytes, non-blocking writes from it, the eventfd that wakes
 * a network thread (new data to send, or stop), and nb_worker, the start/stop skeleton
 * of such a thread. Owns only the memory, fds and threads it creates.
 *
 * DESIGN (nb_worker): the owner embeds an nb_worker. `lock` guards whatever the owner
 * shares between its thread and the caller (the worker only creates and destroys it);
 * `events` (its own lock) carries events thread -> caller; `stopping` is atomic.
 * nb_worker_stop sets `stopping`, writes `wake_fd` and closes `events` (a thread blocked
 * on a full queue wakes up), joins, then frees the events nobody drained. */
#ifndef NB_CLIENTIO_H
#define NB_CLIENTIO_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nb_common.h"
#include "nb_queue.h"

typedef struct nb_bytes {
    uint8_t *p;
    size_t off, len, cap;      /* pending bytes are p[off .. len) */
} nb_bytes;

static inline size_t nb_bytes_pending(const nb_bytes *b) { return b->len - b->off; }

/* 0, or -1 when out of memory (buffer unchanged). */
int nb_bytes_append(nb_bytes *b, const void *data, size_t n);
/* Move everything pending in src to the end of dst; src becomes empty. 0 or -1. */
int nb_bytes_move(nb_bytes *dst, nb_bytes *src);
void nb_bytes_reset(nb_bytes *b);   /* drop the contents, keep the memory */
void nb_bytes_free(nb_bytes *b);

/* One non-blocking send() of the pending bytes (MSG_NOSIGNAL). Returns bytes sent
 * (0 if the socket buffer is full), or -1 with err filled. */
ssize_t nb_bytes_send(nb_bytes *b, int fd, char *err);

/* A non-blocking, CLOEXEC eventfd, or -1 with err filled. */
int nb_wake_open(char *err);
void nb_wake_signal(int fd);
void nb_wake_clear(int fd);

typedef struct nb_worker {
    pthread_mutex_t lock;      /* the owner's: guards what its thread shares with callers */
    nb_queue *events;          /* thread -> caller, item_size bytes each */
    int wake_fd;               /* nb_wake_signal it to wake the thread */
    atomic_int stopping;       /* set by nb_worker_stop; the thread returns soon after */
    pthread_t thread;
    size_t item_size;
} nb_worker;

/* Create lock, event queue (capacity items) and wake fd, then start fn(arg) on a thread
 * (w may be read by fn at once). 0, or -1 with err ("<what>: ...") and nothing left to
 * free. w must be zeroed. */
int nb_worker_start(nb_worker *w, size_t item_size, size_t capacity, void *(*fn)(void *),
                    void *arg, const char *what, char *err);
/* Stop and join the thread, free each undrained event with free_item, release all that
 * start created. The owner frees its own state afterwards. */
void nb_worker_stop(nb_worker *w, void (*free_item)(void *item));

#endif
