/* nb_rate.c — rate windows, frame-time window, min/max tracker and traffic counters.
 * Slots are rings indexed by (second or tick) modulo their count and tagged with the
 * second / tick they hold (+1, so a zeroed slot is empty): a slot whose tag is stale is
 * reset on write and ignored on read, so no timer has to clear old slots. */
#include "nb_rate.h"

#include <string.h>

#include "nb_common.h"

/* ---- rates ---------------------------------------------------------------------- */

void nb_rate_add(nb_rate *r, uint64_t now_ms, uint64_t count, uint64_t bytes)
{
    NB_ASSERT(r);
    uint64_t sec = now_ms / 1000, tick = now_ms / NB_RATE_TICK_MS;
    size_t s = (size_t)(sec % NB_RATE_HISTORY), t = (size_t)(tick % NB_RATE_TICKS);
    if (r->sec_tag[s] != sec + 1) {
        r->sec_tag[s] = sec + 1;
        r->sec_count[s] = r->sec_bytes[s] = 0;
    }
    r->sec_count[s] += count;
    r->sec_bytes[s] += bytes;
    if (r->tick_tag[t] != tick + 1) {
        r->tick_tag[t] = tick + 1;
        r->tick_count[t] = r->tick_bytes[t] = 0;
    }
    r->tick_count[t] += count;
    r->tick_bytes[t] += bytes;
}

/* 1 if a slot tagged `tag` holds a key in (now_key - n, now_key]. */
static int in_window(uint64_t tag, uint64_t now_key, uint64_t n)
{
    return tag != 0 && tag - 1 <= now_key && now_key - (tag - 1) < n;
}

void nb_rate_per_sec(const nb_rate *r, uint64_t now_ms, double *count_ps, double *bytes_ps)
{
    NB_ASSERT(r);
    uint64_t tick = now_ms / NB_RATE_TICK_MS, c = 0, b = 0;
    for (size_t i = 0; i < NB_RATE_TICKS; i++)
        if (in_window(r->tick_tag[i], tick, NB_RATE_TICKS)) {
            c += r->tick_count[i];
            b += r->tick_bytes[i];
        }
    /* The ticks cover exactly one second (the current one partly), so sums are per second. */
    if (count_ps) *count_ps = (double)c;
    if (bytes_ps) *bytes_ps = (double)b;
}

static void series(const uint64_t *tags, const uint64_t *vals, uint64_t now_ms, float *out)
{
    uint64_t sec = now_ms / 1000;
    for (int i = 0; i < NB_RATE_HISTORY; i++) {
        uint64_t want = sec - (uint64_t)(NB_RATE_HISTORY - i);   /* out[59] = sec - 1 */
        size_t s = (size_t)(want % NB_RATE_HISTORY);
        out[i] = sec >= (uint64_t)(NB_RATE_HISTORY - i) && tags[s] == want + 1 ? (float)vals[s] : 0.0f;
    }
}

void nb_rate_series(const nb_rate *r, uint64_t now_ms, float out[NB_RATE_HISTORY])
{
    NB_ASSERT(r && out);
    series(r->sec_tag, r->sec_count, now_ms, out);
}

void nb_rate_series_bytes(const nb_rate *r, uint64_t now_ms, float out[NB_RATE_HISTORY])
{
    NB_ASSERT(r && out);
    series(r->sec_tag, r->sec_bytes, now_ms, out);
}

/* ---- gauge ---------------------------------------------------------------------- */

void nb_gauge_set(nb_gauge *g, uint64_t now_ms, float value)
{
    NB_ASSERT(g);
    uint64_t sec = now_ms / 1000;
    size_t s = (size_t)(sec % NB_RATE_HISTORY);
    if (g->tag[s] != sec + 1) {
        g->tag[s] = sec + 1;
        g->value[s] = value;
    } else if (value > g->value[s]) {
        g->value[s] = value;
    }
}

void nb_gauge_series(const nb_gauge *g, uint64_t now_ms, float out[NB_RATE_HISTORY])
{
    NB_ASSERT(g && out);
    uint64_t sec = now_ms / 1000;
    for (int i = 0; i < NB_RATE_HISTORY; i++) {
        uint64_t back = (uint64_t)(NB_RATE_HISTORY - 1 - i);   /* out[59] = now's second */
        uint64_t want = sec - back;
        size_t s = (size_t)(want % NB_RATE_HISTORY);
        out[i] = sec >= back && g->tag[s] == want + 1 ? g->value[s] : 0.0f;
    }
}

/* ---- frame times ---------------------------------------------------------------- */

void nb_frametime_add(nb_frametime *t, uint64_t now_ms, uint32_t frame_us)
{
    NB_ASSERT(t);
    uint64_t tick = now_ms / NB_RATE_TICK_MS;
    size_t i = (size_t)(tick % NB_RATE_TICKS);
    if (t->tag[i] != tick + 1) {
        t->tag[i] = tick + 1;
        t->frames[i] = 0;
        t->sum_us[i] = 0;
        t->worst_us[i] = 0;
    }
    t->frames[i]++;
    t->sum_us[i] += frame_us;
    if (frame_us > t->worst_us[i]) t->worst_us[i] = frame_us;
}

nb_frametime_stats nb_frametime_get(const nb_frametime *t, uint64_t now_ms)
{
    NB_ASSERT(t);
    nb_frametime_stats st = { 0 };
    uint64_t tick = now_ms / NB_RATE_TICK_MS, sum = 0;
    for (size_t i = 0; i < NB_RATE_TICKS; i++) {
        if (!in_window(t->tag[i], tick, NB_RATE_TICKS)) continue;
        st.frames += t->frames[i];
        sum += t->sum_us[i];
        if (t->worst_us[i] > st.worst_us) st.worst_us = t->worst_us[i];
    }
    if (st.frames) st.avg_us = (uint32_t)(sum / st.frames);
    return st;
}

/* ---- min / avg / max ------------------------------------------------------------ */

void nb_minmax_add(nb_minmax *m, double v)
{
    NB_ASSERT(m);
    if (!m->n || v < m->min) m->min = v;
    if (!m->n || v > m->max) m->max = v;
    m->last = v;
    m->sum += v;
    m->n++;
}

double nb_minmax_avg(const nb_minmax *m)
{
    NB_ASSERT(m);
    return m->n ? m->sum / (double)m->n : 0.0;
}

/* ---- traffic counters ----------------------------------------------------------- */

nb_class nb_class_of(uint8_t type_byte)
{
    switch (type_byte) {
    case 'S': return NB_CLASS_SEGMENT;
    case 'F': case 'V': case 'M': case 'T': return NB_CLASS_CHAT;
    case 'P': case 'Q': return NB_CLASS_PING;
    default: return NB_CLASS_CONTROL;
    }
}

const char *nb_class_name(nb_class cls)
{
    static const char *const names[NB_CLASS_COUNT] = { "segments", "chat", "ping", "control" };
    return (unsigned)cls < NB_CLASS_COUNT ? names[cls] : "?";
}

void nb_counters_init(nb_counters *c)
{
    NB_ASSERT(c);
    for (int d = 0; d < NB_DIR_COUNT; d++)
        for (int k = 0; k < NB_CLASS_COUNT; k++) {
            atomic_init(&c->frames[d][k], 0);
            atomic_init(&c->bytes[d][k], 0);
        }
}

void nb_counters_add(nb_counters *c, nb_dir dir, uint8_t type_byte, uint64_t bytes)
{
    NB_ASSERT(c && (unsigned)dir < NB_DIR_COUNT);
    nb_class k = nb_class_of(type_byte);
    atomic_fetch_add_explicit(&c->frames[dir][k], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->bytes[dir][k], bytes, memory_order_relaxed);
}

void nb_counters_snapshot(const nb_counters *c, nb_counters_snap *out)
{
    NB_ASSERT(c && out);
    for (int d = 0; d < NB_DIR_COUNT; d++)
        for (int k = 0; k < NB_CLASS_COUNT; k++) {
            out->frames[d][k] = atomic_load_explicit(&c->frames[d][k], memory_order_relaxed);
            out->bytes[d][k] = atomic_load_explicit(&c->bytes[d][k], memory_order_relaxed);
        }
}

void nb_traffic_update(nb_traffic *t, uint64_t now_ms, const nb_counters_snap *s)
{
    NB_ASSERT(t && s);
    if (t->primed) {
        for (int d = 0; d < NB_DIR_COUNT; d++)
            for (int k = 0; k < NB_CLASS_COUNT; k++) {
                /* Totals only grow; a smaller one (counters reset) restarts from it. */
                uint64_t df = s->frames[d][k] >= t->last.frames[d][k]
                                  ? s->frames[d][k] - t->last.frames[d][k] : s->frames[d][k];
                uint64_t db = s->bytes[d][k] >= t->last.bytes[d][k]
                                  ? s->bytes[d][k] - t->last.bytes[d][k] : s->bytes[d][k];
                if (df || db) nb_rate_add(&t->rate[d][k], now_ms, df, db);
            }
    }
    t->last = *s;
    t->primed = 1;
}
