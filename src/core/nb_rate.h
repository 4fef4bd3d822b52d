/* nb_rate.h — the numbers behind the live diagnostics overlay: per-second rate windows
 * with a 60-second history for sparklines, a frame-time window, a min/avg/max/last
 * tracker, and the traffic counters the network thread bumps. Pure: every function takes
 * `now_ms` from the caller (no clock inside), so tests feed made-up timestamps.
 *
 * DESIGN: nb_counters is the only shared object. The net thread adds with relaxed
 * atomics (no lock, no ordering needed: each counter is independent and only ever
 * grows); the render thread copies them once per frame with nb_counters_snapshot and
 * turns the totals into rates with nb_traffic_update. Everything else is render thread
 * only. */
#ifndef NB_RATE_H
#define NB_RATE_H

#include <stdatomic.h>
#include <stdint.h>

#define NB_RATE_HISTORY 60   /* seconds kept for sparklines, one slot each */
#define NB_RATE_TICKS 10     /* 100 ms ticks making up the rolling last second */
#define NB_RATE_TICK_MS 100

/* A counted stream (frames and bytes). Zero-initialised is empty and ready. */
typedef struct nb_rate {
    uint64_t sec_tag[NB_RATE_HISTORY];   /* second + 1 held by the slot; 0 = never */
    uint64_t sec_count[NB_RATE_HISTORY], sec_bytes[NB_RATE_HISTORY];
    uint64_t tick_tag[NB_RATE_TICKS];    /* 100 ms tick + 1 held by the slot */
    uint64_t tick_count[NB_RATE_TICKS], tick_bytes[NB_RATE_TICKS];
} nb_rate;

void nb_rate_add(nb_rate *r, uint64_t now_ms, uint64_t count, uint64_t bytes);
/* Sums over the rolling last second (the 10 ticks ending with now's): per second. */
void nb_rate_per_sec(const nb_rate *r, uint64_t now_ms, double *count_ps, double *bytes_ps);
/* The last 60 whole seconds before now's (out[59] the most recent, empty seconds 0). */
void nb_rate_series(const nb_rate *r, uint64_t now_ms, float out[NB_RATE_HISTORY]);
void nb_rate_series_bytes(const nb_rate *r, uint64_t now_ms, float out[NB_RATE_HISTORY]);

/* A sampled value (RTT) graphed per second: each slot keeps the largest sample of its
 * second, so a spike stays visible. Zero-initialised is empty. */
typedef struct nb_gauge {
    uint64_t tag[NB_RATE_HISTORY];
    float value[NB_RATE_HISTORY];
} nb_gauge;

void nb_gauge_set(nb_gauge *g, uint64_t now_ms, float value);
/* Like nb_rate_series, but includes now's second as out[59] (a gauge is not partial). */
void nb_gauge_series(const nb_gauge *g, uint64_t now_ms, float out[NB_RATE_HISTORY]);

/* Frame times over the rolling last second: frames counted (= fps), average and worst. */
typedef struct nb_frametime {
    uint64_t tag[NB_RATE_TICKS];
    uint32_t frames[NB_RATE_TICKS];
    uint64_t sum_us[NB_RATE_TICKS];
    uint32_t worst_us[NB_RATE_TICKS];
} nb_frametime;

typedef struct nb_frametime_stats {
    uint32_t frames;            /* frames ended in the last second */
    uint32_t avg_us, worst_us;  /* 0 when none */
} nb_frametime_stats;

void nb_frametime_add(nb_frametime *t, uint64_t now_ms, uint32_t frame_us);
nb_frametime_stats nb_frametime_get(const nb_frametime *t, uint64_t now_ms);

/* min / avg / max / last of every sample since zero-initialisation. */
typedef struct nb_minmax {
    double last, min, max, sum;
    uint64_t n;
} nb_minmax;

void nb_minmax_add(nb_minmax *m, double v);
double nb_minmax_avg(const nb_minmax *m);   /* 0 when empty */

/* ---- traffic counters (shared between the net thread and the render thread) ------- */

typedef enum nb_dir { NB_DIR_IN, NB_DIR_OUT, NB_DIR_COUNT } nb_dir;

/* Frame classes the overlay shows. segment: S (strokes, erasers, laser); chat: F V M T;
 * ping: P Q; control: everything else (H W J L E U R C K, unknown bytes). */
typedef enum nb_class {
    NB_CLASS_SEGMENT, NB_CLASS_CHAT, NB_CLASS_PING, NB_CLASS_CONTROL, NB_CLASS_COUNT
} nb_class;

nb_class nb_class_of(uint8_t type_byte);
const char *nb_class_name(nb_class cls);    /* "segments", "chat", "ping", "control" */

typedef struct nb_counters {
    _Atomic uint64_t frames[NB_DIR_COUNT][NB_CLASS_COUNT];
    _Atomic uint64_t bytes[NB_DIR_COUNT][NB_CLASS_COUNT];
} nb_counters;

typedef struct nb_counters_snap {
    uint64_t frames[NB_DIR_COUNT][NB_CLASS_COUNT];
    uint64_t bytes[NB_DIR_COUNT][NB_CLASS_COUNT];
} nb_counters_snap;

void nb_counters_init(nb_counters *c);     /* or static / calloc storage: zero is ready */
/* net thread: one frame of `bytes` encoded bytes whose first byte is `type_byte`. */
void nb_counters_add(nb_counters *c, nb_dir dir, uint8_t type_byte, uint64_t bytes);
/* render thread: copy every counter (each read is atomic; the set is not a single
 * instant, which a display does not need). */
void nb_counters_snapshot(const nb_counters *c, nb_counters_snap *out);

/* Rates per direction and class, fed from successive snapshots (render thread). The
 * first update only records the totals. Zero-initialised is ready. */
typedef struct nb_traffic {
    nb_rate rate[NB_DIR_COUNT][NB_CLASS_COUNT];
    nb_counters_snap last;
    int primed;
} nb_traffic;

void nb_traffic_update(nb_traffic *t, uint64_t now_ms, const nb_counters_snap *s);

#endif
