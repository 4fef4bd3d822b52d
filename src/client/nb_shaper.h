/* nb_shaper.h — network conditions for teaching: holds this client's outgoing frames
 * for a fixed delay and releases them no faster than a packet rate (token bucket), in
 * order, never dropping one. Pure: no threads, no clock (the caller passes now_ms), so
 * tests run ten simulated seconds in microseconds. Owns a copy of every queued frame.
 * Single-threaded: the client's net thread owns it; the sliders reach it through
 * nb_shaper_set, called by that thread with values it read from atomics. */
#ifndef NB_SHAPER_H
#define NB_SHAPER_H

#include <stddef.h>
#include <stdint.h>

#define NB_SHAPER_DELAY_MAX 1000   /* ms, the slider's range */

enum { NB_SHAPER_OK = 0, NB_SHAPER_FULL = -1 };

typedef struct nb_shaper_opts {
    uint32_t delay_ms;     /* added to every frame; clamped to NB_SHAPER_DELAY_MAX */
    uint32_t rate_pps;     /* packets per second; 0 = unlimited */
    size_t max_bytes;      /* queued bytes before push reports full; 0: 1 MiB */
} nb_shaper_opts;

typedef struct nb_shaper nb_shaper;

nb_shaper *nb_shaper_create(const nb_shaper_opts *o);   /* o may be NULL; NULL on OOM */
void nb_shaper_destroy(nb_shaper *s);                    /* NULL-tolerant */

/* Change delay and rate; queued frames follow the new values (a frame is due at its
 * push time + the current delay). */
void nb_shaper_set(nb_shaper *s, uint32_t delay_ms, uint32_t rate_pps);

/* Queue a copy of one encoded frame (len > 0). NB_SHAPER_FULL when the queued bytes
 * would pass max_bytes (the caller keeps the frame and retries after a release; an
 * empty shaper accepts any size so a large frame can't wedge it) or when out of
 * memory. */
int nb_shaper_push(nb_shaper *s, uint64_t now_ms, const uint8_t *bytes, size_t len);

/* Receives a released frame. Return 0 if it was taken; non-zero to stop (the socket
 * buffer is full): that frame stays first in the queue and uses no rate token. */
typedef int (*nb_shaper_out)(void *ud, const uint8_t *bytes, size_t len);

/* Release, in order, every frame whose delay has passed while the rate allows (token
 * bucket: bursts of at most max(1, rate/50) packets, i.e. 20 ms worth).
 * Returns how many frames out_cb took. */
size_t nb_shaper_ready(nb_shaper *s, uint64_t now_ms, nb_shaper_out out_cb, void *ud);

/* Milliseconds until nb_shaper_ready can release the next frame: -1 when the queue is
 * empty (sleep on other events), 0 when one is ready now. Use as the poll timeout. */
int nb_shaper_next_deadline(const nb_shaper *s, uint64_t now_ms);

size_t nb_shaper_frames(const nb_shaper *s);   /* queued */
size_t nb_shaper_bytes(const nb_shaper *s);    /* queued frame bytes */

#endif
