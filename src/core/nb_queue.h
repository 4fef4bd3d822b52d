/* nb_queue.h — bounded multi-producer / single-consumer queue of fixed-size items,
 * the hand-off from network threads to the render loop.
 *
 * DESIGN: one mutex guards the ring; two condition variables wake a producer waiting for
 * room and the consumer waiting for items. Producers copy an item in under the lock; the
 * consumer moves everything out in one lock hold (nb_queue_drain_all) and processes it
 * unlocked, so a burst of network input costs the render thread one lock per frame.
 * Policy when full: nothing is ever dropped silently. nb_queue_push waits up to
 * `timeout_ms` for room (the producer — a socket reader — stops reading, and TCP flow
 * control slows the sender), then fails with NB_QUEUE_FULL so the caller decides.
 * After nb_queue_close, pushes fail with NB_QUEUE_CLOSED and waiters wake; items already
 * queued can still be drained. */
#ifndef NB_QUEUE_H
#define NB_QUEUE_H

#include <stddef.h>
#include <stdint.h>

typedef struct nb_queue nb_queue;

enum { NB_QUEUE_OK = 0, NB_QUEUE_FULL = -1, NB_QUEUE_CLOSED = -2 };

typedef struct nb_queue_stats {
    uint64_t pushed;        /* items accepted since creation */
    uint64_t drained;       /* items handed to the consumer */
    uint64_t full_waits;    /* pushes that found the queue full and had to wait or fail */
    size_t high_water;      /* largest length seen */
} nb_queue_stats;

/* NULL on allocation failure. item_size and capacity must be > 0. */
nb_queue *nb_queue_create(size_t item_size, size_t capacity);
void nb_queue_destroy(nb_queue *q);

/* Any thread. timeout_ms: 0 = try once, < 0 = wait for room forever (until close). */
int nb_queue_push(nb_queue *q, const void *item, int timeout_ms);

/* Consumer. Moves up to `max` items into `out` (item_size each) in one lock hold and
 * returns how many; never blocks. */
size_t nb_queue_drain_all(nb_queue *q, void *out, size_t max);

/* Consumer. Like drain_all but first waits up to timeout_ms (< 0: forever) for an item
 * or for close. Returns 0 on timeout or when closed and empty. */
size_t nb_queue_wait_drain(nb_queue *q, void *out, size_t max, int timeout_ms);

void nb_queue_close(nb_queue *q);
int nb_queue_is_closed(nb_queue *q);
size_t nb_queue_len(nb_queue *q);
size_t nb_queue_capacity(const nb_queue *q);
void nb_queue_get_stats(nb_queue *q, nb_queue_stats *out);

#endif
