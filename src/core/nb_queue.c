/* nb_queue.c — ring buffer behind one mutex; see the DESIGN note in nb_queue.h. */
#include "nb_queue.h"
#include "nb_common.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct nb_queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    unsigned char *ring;
    size_t item_size, capacity;
    size_t head, len;       /* head: index of the oldest item */
    int closed;
    nb_queue_stats stats;
};

/* Absolute CLOCK_MONOTONIC deadline for pthread_cond_timedwait. */
static struct timespec deadline_after(int timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Wait on `cv` until woken, the deadline passes (returns ETIMEDOUT) or forever if !dl. */
static int wait_on(pthread_cond_t *cv, pthread_mutex_t *m, const struct timespec *dl)
{
    return dl ? pthread_cond_timedwait(cv, m, dl) : pthread_cond_wait(cv, m);
}

nb_queue *nb_queue_create(size_t item_size, size_t capacity)
{
    NB_ASSERT(item_size > 0 && capacity > 0);
    nb_queue *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->ring = malloc(item_size * capacity);
    if (!q->ring) {
        free(q);
        return NULL;
    }
    q->item_size = item_size;
    q->capacity = capacity;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->not_empty, &ca);
    pthread_cond_init(&q->not_full, &ca);
    pthread_condattr_destroy(&ca);
    return q;
}

void nb_queue_destroy(nb_queue *q)
{
    if (!q) return;
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
    free(q->ring);
    free(q);
}

int nb_queue_push(nb_queue *q, const void *item, int timeout_ms)
{
    struct timespec dl;
    const struct timespec *dlp = NULL;
    int rc = NB_QUEUE_OK;

    pthread_mutex_lock(&q->lock);
    if (!q->closed && q->len == q->capacity) {
        q->stats.full_waits++;
        if (timeout_ms > 0) {
            dl = deadline_after(timeout_ms);
            dlp = &dl;
        }
        while (timeout_ms != 0 && !q->closed && q->len == q->capacity) {
            if (wait_on(&q->not_full, &q->lock, dlp) == ETIMEDOUT) break;
        }
    }
    if (q->closed) {
        rc = NB_QUEUE_CLOSED;
    } else if (q->len == q->capacity) {
        rc = NB_QUEUE_FULL;
    } else {
        size_t tail = (q->head + q->len) % q->capacity;
        memcpy(q->ring + tail * q->item_size, item, q->item_size);
        q->len++;
        q->stats.pushed++;
        if (q->len > q->stats.high_water) q->stats.high_water = q->len;
        pthread_cond_signal(&q->not_empty);
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

/* Caller holds the lock. Copies out the oldest min(len, max) items, in at most two
 * memcpy calls (the ring may wrap). */
static size_t take_locked(nb_queue *q, void *out, size_t max)
{
    size_t n = NB_MIN(q->len, max);
    size_t first = NB_MIN(n, q->capacity - q->head);
    memcpy(out, q->ring + q->head * q->item_size, first * q->item_size);
    if (n > first)
        memcpy((unsigned char *)out + first * q->item_size, q->ring, (n - first) * q->item_size);
    q->head = (q->head + n) % q->capacity;
    q->len -= n;
    q->stats.drained += n;
    if (n) pthread_cond_broadcast(&q->not_full);
    return n;
}

size_t nb_queue_drain_all(nb_queue *q, void *out, size_t max)
{
    pthread_mutex_lock(&q->lock);
    size_t n = take_locked(q, out, max);
    pthread_mutex_unlock(&q->lock);
    return n;
}

size_t nb_queue_wait_drain(nb_queue *q, void *out, size_t max, int timeout_ms)
{
    struct timespec dl;
    const struct timespec *dlp = NULL;
    if (timeout_ms >= 0) {
        dl = deadline_after(timeout_ms);
        dlp = &dl;
    }
    pthread_mutex_lock(&q->lock);
    while (q->len == 0 && !q->closed && timeout_ms != 0) {
        if (wait_on(&q->not_empty, &q->lock, dlp) == ETIMEDOUT) break;
    }
    size_t n = take_locked(q, out, max);
    pthread_mutex_unlock(&q->lock);
    return n;
}

void nb_queue_close(nb_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->lock);
}

int nb_queue_is_closed(nb_queue *q)
{
    pthread_mutex_lock(&q->lock);
    int c = q->closed;
    pthread_mutex_unlock(&q->lock);
    return c;
}

size_t nb_queue_len(nb_queue *q)
{
    pthread_mutex_lock(&q->lock);
    size_t n = q->len;
    pthread_mutex_unlock(&q->lock);
    return n;
}

size_t nb_queue_capacity(const nb_queue *q) { return q->capacity; }

void nb_queue_get_stats(nb_queue *q, nb_queue_stats *out)
{
    pthread_mutex_lock(&q->lock);
    *out = q->stats;
    pthread_mutex_unlock(&q->lock);
}
