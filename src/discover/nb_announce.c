/* nb_announce.c — LAN discovery datagram codec and the table of boards heard. Pure. */
#include "nb_announce.h"

#include <string.h>

#include "nb_proto.h"   /* nb_utf8_valid */

static const uint8_t MAGIC[4] = { 'N', 'B', 'D', '1' };

static void put_u16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static uint16_t get_u16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

/* One check shared by both directions, so the encoder refuses exactly what the decoder
 * refuses. `what` names the field in the message. */
static int check_name(const char *what, const char *s, size_t len, size_t min, size_t max,
                      char *err)
{
    if (len < min || len > max) {
        nb_set_error(err, "%s name is %zu bytes (allowed %zu..%zu)", what, len, min, max);
        return -1;
    }
    if (!nb_utf8_valid(s, len)) {
        nb_set_error(err, "%s name is not valid UTF-8", what);
        return -1;
    }
    return 0;
}

size_t nb_announce_encode(const nb_announce *a, uint8_t *out, size_t cap, char *err)
{
    NB_ASSERT(a && (out || cap == 0));
    size_t blen = strnlen(a->board, sizeof a->board);
    size_t hlen = strnlen(a->host, sizeof a->host);
    if (a->instance == 0) { nb_set_error(err, "instance id is 0"); return 0; }
    if (a->port == 0) { nb_set_error(err, "TCP port is 0"); return 0; }
    if (check_name("board", a->board, blen, 1, NB_ANNOUNCE_BOARD_MAX, err) < 0) return 0;
    if (check_name("host", a->host, hlen, 0, NB_ANNOUNCE_HOST_MAX, err) < 0) return 0;
    size_t n = 20 + blen + hlen;
    if (cap < n) {
        nb_set_error(err, "datagram needs %zu bytes, buffer has %zu", n, cap);
        return 0;
    }
    memcpy(out, MAGIC, 4);
    out[4] = NB_ANNOUNCE_VERSION;
    out[5] = a->flags & NB_ANNOUNCE_BYE;
    put_u64(out + 6, a->instance);
    put_u16(out + 14, a->port);
    put_u16(out + 16, a->peers);
    out[18] = (uint8_t)blen;
    memcpy(out + 19, a->board, blen);
    out[19 + blen] = (uint8_t)hlen;
    memcpy(out + 20 + blen, a->host, hlen);
    return n;
}

int nb_announce_decode(const uint8_t *buf, size_t len, nb_announce *out, char *err)
{
    NB_ASSERT(out && (buf || len == 0));
    memset(out, 0, sizeof *out);
    if (len < 4 || memcmp(buf, MAGIC, 4) != 0) {
        nb_set_error(err, "not a netboard announcement (magic)");
        return -1;
    }
    if (len < NB_ANNOUNCE_MIN) {
        nb_set_error(err, "truncated: %zu bytes, header needs %d", len, NB_ANNOUNCE_MIN);
        return -1;
    }
    if (buf[4] != NB_ANNOUNCE_VERSION) {
        nb_set_error(err, "unsupported version %u", buf[4]);
        return -1;
    }
    out->flags = buf[5] & NB_ANNOUNCE_BYE;
    out->instance = get_u64(buf + 6);
    out->port = get_u16(buf + 14);
    out->peers = get_u16(buf + 16);
    if (out->instance == 0) { nb_set_error(err, "instance id is 0"); return -1; }
    if (out->port == 0) { nb_set_error(err, "TCP port is 0"); return -1; }

    size_t blen = buf[18];
    /* 19 + blen is the host length byte; it must exist. */
    if (len < 20 + blen) {
        nb_set_error(err, "truncated: board name of %zu bytes in %zu", blen, len);
        return -1;
    }
    const char *board = (const char *)buf + 19;
    if (check_name("board", board, blen, 1, NB_ANNOUNCE_BOARD_MAX, err) < 0) return -1;
    size_t hlen = buf[19 + blen];
    if (len < 20 + blen + hlen) {
        nb_set_error(err, "truncated: host name of %zu bytes in %zu", hlen, len);
        return -1;
    }
    if (len > 20 + blen + hlen) {
        nb_set_error(err, "%zu trailing bytes", len - (20 + blen + hlen));
        return -1;
    }
    const char *host = (const char *)buf + 20 + blen;
    if (check_name("host", host, hlen, 0, NB_ANNOUNCE_HOST_MAX, err) < 0) return -1;
    memcpy(out->board, board, blen);
    memcpy(out->host, host, hlen);
    return 0;
}

/* ---- table --------------------------------------------------------------------------- */

void nb_discover_table_init(nb_discover_table *t)
{
    NB_ASSERT(t);
    memset(t, 0, sizeof *t);
}

static long find_index(const nb_discover_table *t, uint64_t instance)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->e[i].ann.instance == instance) return (long)i;
    return -1;
}

static void remove_at(nb_discover_table *t, size_t i)
{
    memmove(&t->e[i], &t->e[i + 1], (t->count - i - 1) * sizeof t->e[0]);
    t->count--;
}

nb_discover_update nb_discover_table_update(nb_discover_table *t, const nb_announce *a,
                                            const char *addr, uint64_t now_ms)
{
    NB_ASSERT(t && a && addr && t->count <= NB_DISCOVER_TABLE_MAX);
    long i = find_index(t, a->instance);
    if (a->flags & NB_ANNOUNCE_BYE) {
        if (i < 0) return NB_DISCOVER_IGNORED;
        remove_at(t, (size_t)i);
        return NB_DISCOVER_REMOVED;
    }
    nb_discover_update r = NB_DISCOVER_REFRESHED;
    if (i < 0) {
        if (t->count == NB_DISCOVER_TABLE_MAX) return NB_DISCOVER_FULL;
        i = (long)t->count++;
        t->e[i].first_ms = now_ms;
        r = NB_DISCOVER_ADDED;
    }
    nb_discover_entry *e = &t->e[i];
    e->ann = *a;
    /* A board that moved address (DHCP renewal, second interface) is joined where it was
     * last heard. */
    nb_strlcpy(e->addr, addr, sizeof e->addr);
    e->last_ms = now_ms;
    return r;
}

size_t nb_discover_table_expire(nb_discover_table *t, uint64_t now_ms, uint64_t ttl_ms)
{
    NB_ASSERT(t);
    if (ttl_ms == 0) ttl_ms = NB_DISCOVER_TTL_MS;
    size_t kept = 0, dropped = 0;
    for (size_t i = 0; i < t->count; i++) {
        const nb_discover_entry *e = &t->e[i];
        /* now < last (a clock the caller reset) counts as just heard. */
        if (now_ms > e->last_ms && now_ms - e->last_ms >= ttl_ms) {
            dropped++;
            continue;
        }
        if (kept != i) t->e[kept] = *e;
        kept++;
    }
    t->count = kept;
    return dropped;
}

size_t nb_discover_table_count(const nb_discover_table *t)
{
    NB_ASSERT(t);
    return t->count;
}

const nb_discover_entry *nb_discover_table_at(const nb_discover_table *t, size_t i)
{
    NB_ASSERT(t && i < t->count);
    return &t->e[i];
}

const nb_discover_entry *nb_discover_table_find(const nb_discover_table *t, uint64_t instance)
{
    NB_ASSERT(t);
    long i = find_index(t, instance);
    return i < 0 ? NULL : &t->e[i];
}
