/* nb_shaper.c — delay + token-bucket shaper over a FIFO of encoded frames. The queue is
 * one growable byte buffer of records (push time, length, bytes) consumed from the head
 * and compacted when the tail runs out of room, so a push costs no malloc in the steady
 * state. Tokens are counted in thousandths of a packet so refills at integer
 * milliseconds are exact for any packets-per-second rate. */
#include "nb_shaper.h"

#include <stdlib.h>
#include <string.h>

#include "nb_common.h"

#define DEFAULT_MAX_BYTES (1u << 20)
#define TOKEN 1000u          /* one packet, in milli-packets */
#define BURST_DIV 50         /* bucket holds rate/50 packets (20 ms worth), at least 1 */

typedef struct rec_hdr { uint64_t push_ms; size_t len; } rec_hdr;

struct nb_shaper {
    size_t max_bytes;
    uint32_t delay_ms, rate_pps;
    uint8_t *buf;
    size_t cap, head, tail;     /* records live in buf[head, tail) */
    size_t frames, bytes;
    uint64_t tokens;            /* milli-packets */
    uint64_t refilled_ms;
    int bucket_primed;          /* 0: fill the bucket on next use */
};

/* The burst, plus the fraction of a packet that accrues in the millisecond a wake-up
 * can be late by (next_deadline rounds up): capping at the burst alone would throw that
 * fraction away on every packet and send slower than the rate (294 instead of 300 in
 * 10 s at 30/s). */
static uint64_t bucket_cap(uint32_t rate)
{
    return (uint64_t)NB_MAX(1u, rate / BURST_DIV) * TOKEN + (rate ? rate - 1 : 0);
}

nb_shaper *nb_shaper_create(const nb_shaper_opts *o)
{
    nb_shaper *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->max_bytes = o && o->max_bytes ? o->max_bytes : DEFAULT_MAX_BYTES;
    nb_shaper_set(s, o ? o->delay_ms : 0, o ? o->rate_pps : 0);
    return s;
}

void nb_shaper_destroy(nb_shaper *s)
{
    if (!s) return;
    free(s->buf);
    free(s);
}

void nb_shaper_set(nb_shaper *s, uint32_t delay_ms, uint32_t rate_pps)
{
    NB_ASSERT(s);
    s->delay_ms = NB_MIN(delay_ms, (uint32_t)NB_SHAPER_DELAY_MAX);
    if (rate_pps != s->rate_pps) {
        /* Turning a cap on starts with a full bucket; changing it keeps what is saved. */
        if (!s->rate_pps) s->bucket_primed = 0;
        s->rate_pps = rate_pps;
        s->tokens = NB_MIN(s->tokens, bucket_cap(rate_pps));
    }
}

int nb_shaper_push(nb_shaper *s, uint64_t now_ms, const uint8_t *bytes, size_t len)
{
    NB_ASSERT(s && bytes && len > 0);
    if (s->frames && (len > s->max_bytes || s->bytes > s->max_bytes - len)) return NB_SHAPER_FULL;
    size_t need = sizeof(rec_hdr) + len;
    if (s->cap - s->tail < need && s->head > 0) {
        memmove(s->buf, s->buf + s->head, s->tail - s->head);
        s->tail -= s->head;
        s->head = 0;
    }
    if (s->cap - s->tail < need) {
        size_t ncap = NB_MAX(NB_MAX(s->cap * 2, s->tail + need), (size_t)4096);
        uint8_t *nb = realloc(s->buf, ncap);
        if (!nb) return NB_SHAPER_FULL;
        s->buf = nb;
        s->cap = ncap;
    }
    rec_hdr h = { now_ms, len };
    memcpy(s->buf + s->tail, &h, sizeof h);
    memcpy(s->buf + s->tail + sizeof h, bytes, len);
    s->tail += need;
    s->frames++;
    s->bytes += len;
    return NB_SHAPER_OK;
}

/* Tokens as of now_ms (not stored: next_deadline is a query). */
static uint64_t tokens_at(const nb_shaper *s, uint64_t now_ms)
{
    uint64_t cap = bucket_cap(s->rate_pps);
    if (!s->bucket_primed) return cap;
    if (now_ms <= s->refilled_ms) return s->tokens;
    uint64_t dt = now_ms - s->refilled_ms;
    /* dt * rate overflows only after ~2^32 s at 4e9 pps; clamp dt anyway. */
    dt = NB_MIN(dt, (uint64_t)3600000);
    return NB_MIN(cap, s->tokens + dt * s->rate_pps);
}

static void refill(nb_shaper *s, uint64_t now_ms)
{
    s->tokens = tokens_at(s, now_ms);
    s->refilled_ms = now_ms;
    s->bucket_primed = 1;
}

static rec_hdr head_hdr(const nb_shaper *s)
{
    rec_hdr h;
    memcpy(&h, s->buf + s->head, sizeof h);
    return h;
}

size_t nb_shaper_ready(nb_shaper *s, uint64_t now_ms, nb_shaper_out out_cb, void *ud)
{
    NB_ASSERT(s && out_cb);
    size_t released = 0;
    if (s->rate_pps) refill(s, now_ms);
    while (s->frames) {
        rec_hdr h = head_hdr(s);
        if (now_ms < h.push_ms + s->delay_ms) break;
        if (s->rate_pps && s->tokens < TOKEN) break;
        if (out_cb(ud, s->buf + s->head + sizeof h, h.len) != 0) break;
        if (s->rate_pps) s->tokens -= TOKEN;
        s->head += sizeof h + h.len;
        s->frames--;
        s->bytes -= h.len;
        released++;
    }
    if (!s->frames) s->head = s->tail = 0;
    return released;
}

int nb_shaper_next_deadline(const nb_shaper *s, uint64_t now_ms)
{
    NB_ASSERT(s);
    if (!s->frames) return -1;
    uint64_t due = head_hdr(s).push_ms + s->delay_ms;
    uint64_t wait = due > now_ms ? due - now_ms : 0;
    if (s->rate_pps) {
        uint64_t t = tokens_at(s, now_ms);
        if (t < TOKEN) {
            uint64_t w = (TOKEN - t + s->rate_pps - 1) / s->rate_pps;   /* ceil */
            wait = NB_MAX(wait, w);
        }
    }
    return (int)NB_MIN(wait, (uint64_t)60000);
}

size_t nb_shaper_frames(const nb_shaper *s) { NB_ASSERT(s); return s->frames; }
size_t nb_shaper_bytes(const nb_shaper *s) { NB_ASSERT(s); return s->bytes; }
