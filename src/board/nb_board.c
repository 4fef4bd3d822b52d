/* nb_board.c — segment log, stroke table and per-author undo/redo stacks.
 *
 * Layout, chosen so a million segments fit in ~21 MB: a segment record keeps only what
 * differs per segment (coordinates, colour, width, flags) plus the index of its stroke,
 * 20 bytes; author and stroke id live once in the stroke record. Visibility is a stroke
 * property, so undo flips one flag instead of touching segments. Each author has a chain
 * of their strokes (newest first, via stroke.prev) and a redo stack linked through
 * stroke.redo_next. A hash map finds a stroke by (author, id) for remote undo/redo and
 * for segments that arrive for a stroke other than the author's latest. */
#include "nb_board.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "nb_common.h"
#include "nb_proto.h"   /* NB_SEG_LASER */

#define NONE UINT32_MAX

typedef struct seg_rec {
    uint16_t x1, y1, x2, y2;
    uint32_t rgba;
    uint32_t stroke;        /* index into strokes */
    uint8_t width, flags;
} seg_rec;

typedef struct stroke_rec {
    uint32_t id;
    uint16_t author;
    uint8_t visible;
    uint32_t prev;          /* the author's previous stroke, or NONE */
    uint32_t redo_next;     /* next entry down the author's redo stack */
    uint32_t nseg;          /* segments stored, for the visible count */
} stroke_rec;

typedef struct author_rec {
    uint32_t last;          /* newest stroke, or NONE */
    uint32_t redo_top;      /* top of the redo stack, or NONE */
} author_rec;

/* Open-addressing map u64 -> u32 (no deletion: only a whole-board clear forgets). */
typedef struct idmap {
    uint64_t *keys;
    uint32_t *vals;         /* NONE marks an empty slot */
    uint32_t cap, len;      /* cap is 0 or a power of two */
} idmap;

struct nb_board {
    seg_rec *segs;
    size_t nseg, seg_cap, max_segs, visible;
    stroke_rec *strokes;
    uint32_t nstroke, stroke_cap;
    author_rec *authors;
    uint32_t nauthor, author_cap;
    idmap stroke_map;       /* (author << 32 | id) -> stroke index */
    idmap author_map;       /* author -> author index */
    uint64_t epoch, revision;
};

static _Atomic uint64_t epoch_source = 1;

static uint64_t next_epoch(void)
{
    return atomic_fetch_add(&epoch_source, 1);
}

/* ---- idmap ---------------------------------------------------------------------- */

static uint32_t slot_of(uint64_t key, uint32_t cap)
{
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static uint32_t map_get(const idmap *m, uint64_t key)
{
    if (!m->cap) return NONE;
    for (uint32_t i = slot_of(key, m->cap), n = 0; n < m->cap; i = (i + 1) & (m->cap - 1), n++) {
        if (m->vals[i] == NONE) return NONE;
        if (m->keys[i] == key) return m->vals[i];
    }
    return NONE;
}

static void map_put_slot(idmap *m, uint64_t key, uint32_t val)
{
    uint32_t i = slot_of(key, m->cap);
    while (m->vals[i] != NONE && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
    if (m->vals[i] == NONE) m->len++;
    m->keys[i] = key;
    m->vals[i] = val;
}

/* Make room for one more key (load factor <= 1/2). 0 or -1 (map unchanged). */
static int map_reserve(idmap *m)
{
    if ((m->len + 1) * 2 <= m->cap) return 0;
    uint32_t cap = m->cap ? m->cap * 2 : 64;
    if (cap < m->cap) return -1;
    idmap n = { malloc(cap * sizeof *n.keys), malloc(cap * sizeof *n.vals), cap, 0 };
    if (!n.keys || !n.vals) goto fail;
    memset(n.vals, 0xFF, cap * sizeof *n.vals);
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->vals[i] != NONE) map_put_slot(&n, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    *m = n;
    return 0;
fail:
    free(n.keys);
    free(n.vals);
    return -1;
}

static void map_reset(idmap *m)
{
    if (m->cap) memset(m->vals, 0xFF, m->cap * sizeof *m->vals);
    m->len = 0;
}

static void map_free(idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Grow *arr (of elements of `size`) so it holds at least need. 0 or -1 (unchanged). */
static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    void *p = realloc(*arr, n * size);
    if (!p) return -1;
    *arr = p;
    *cap = n;
    return 0;
}

static int grow32(void **arr, uint32_t *cap, size_t need, size_t size)
{
    size_t c = *cap;
    if (need >= NONE) return -1;
    if (grow(arr, &c, need, size) < 0) return -1;
    *cap = (uint32_t)NB_MIN(c, (size_t)NONE - 1);
    return 0;
}

/* ---- board ---------------------------------------------------------------------- */

nb_board *nb_board_create(const nb_board_opts *opts)
{
    nb_board *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->max_segs = opts && opts->max_segments ? opts->max_segments : NB_BOARD_DEFAULT_MAX_SEGMENTS;
    if (b->max_segs >= NONE) b->max_segs = NONE - 1;
    b->epoch = next_epoch();
    return b;
}

void nb_board_destroy(nb_board *b)
{
    if (!b) return;
    free(b->segs);
    free(b->strokes);
    free(b->authors);
    map_free(&b->stroke_map);
    map_free(&b->author_map);
    free(b);
}

static uint64_t stroke_key(uint16_t author, uint32_t id)
{
    return ((uint64_t)author << 32) | id;
}

static author_rec *find_author(const nb_board *b, uint16_t author)
{
    uint32_t i = map_get(&b->author_map, author);
    return i == NONE ? NULL : &b->authors[i];
}

static uint32_t find_stroke(const nb_board *b, uint16_t author, uint32_t id)
{
    return map_get(&b->stroke_map, stroke_key(author, id));
}

static void set_visible(nb_board *b, uint32_t s, int visible)
{
    stroke_rec *st = &b->strokes[s];
    st->visible = (uint8_t)visible;
    if (visible) b->visible += st->nseg;
    else b->visible -= st->nseg;
    b->epoch = next_epoch();
    b->revision++;
}

/* The author's record, created if new. NULL on allocation failure. */
static author_rec *author_for_add(nb_board *b, uint16_t author)
{
    author_rec *a = find_author(b, author);
    if (a) return a;
    if (grow32((void **)&b->authors, &b->author_cap, b->nauthor + 1, sizeof *b->authors) < 0 ||
        map_reserve(&b->author_map) < 0)
        return NULL;
    a = &b->authors[b->nauthor];
    a->last = a->redo_top = NONE;
    map_put_slot(&b->author_map, author, b->nauthor++);
    return a;
}

/* Index of the segment's stroke, started if new. NONE on allocation failure. */
static uint32_t stroke_for_add(nb_board *b, author_rec *a, const nb_segment *seg)
{
    if (a->last != NONE && b->strokes[a->last].id == seg->stroke) return a->last;
    uint32_t s = find_stroke(b, seg->author, seg->stroke);
    if (s != NONE) return s;
    if (grow32((void **)&b->strokes, &b->stroke_cap, b->nstroke + 1, sizeof *b->strokes) < 0 ||
        map_reserve(&b->stroke_map) < 0)
        return NONE;
    s = b->nstroke++;
    b->strokes[s] = (stroke_rec){ .id = seg->stroke, .author = seg->author, .visible = 1,
                                  .prev = a->last, .redo_next = NONE };
    map_put_slot(&b->stroke_map, stroke_key(seg->author, seg->stroke), s);
    a->last = s;
    a->redo_top = NONE;   /* a new stroke ends the author's redo history, as in any editor */
    return s;
}

int nb_board_add_segment(nb_board *b, const nb_segment *seg)
{
    NB_ASSERT(b && seg);
    if (seg->flags & NB_SEG_LASER) return 0;
    if (b->nseg >= b->max_segs) return -1;
    if (grow((void **)&b->segs, &b->seg_cap, b->nseg + 1, sizeof *b->segs) < 0) return -1;
    author_rec *a = author_for_add(b, seg->author);
    if (!a) return -1;
    uint32_t s = stroke_for_add(b, a, seg);
    if (s == NONE) return -1;
    b->segs[b->nseg++] = (seg_rec){ seg->x1, seg->y1, seg->x2, seg->y2, seg->rgba, s,
                                    seg->width, seg->flags };
    b->strokes[s].nseg++;
    if (b->strokes[s].visible) b->visible++;
    b->revision++;
    return 1;
}

static void push_redo(nb_board *b, uint16_t author, uint32_t s)
{
    author_rec *a = find_author(b, author);
    NB_ASSERT(a);   /* a stroke exists only with its author */
    b->strokes[s].redo_next = a->redo_top;
    a->redo_top = s;
}

int64_t nb_board_undo(nb_board *b, uint16_t author)
{
    NB_ASSERT(b);
    author_rec *a = find_author(b, author);
    if (!a) return -1;
    uint32_t s = a->last;
    while (s != NONE && !b->strokes[s].visible) s = b->strokes[s].prev;
    if (s == NONE) return -1;
    set_visible(b, s, 0);
    push_redo(b, author, s);
    return b->strokes[s].id;
}

int64_t nb_board_redo(nb_board *b, uint16_t author)
{
    NB_ASSERT(b);
    author_rec *a = find_author(b, author);
    if (!a || a->redo_top == NONE) return -1;
    uint32_t s = a->redo_top;
    a->redo_top = b->strokes[s].redo_next;
    set_visible(b, s, 1);
    return b->strokes[s].id;
}

int nb_board_apply_undo(nb_board *b, uint16_t author, uint32_t stroke)
{
    NB_ASSERT(b);
    uint32_t s = find_stroke(b, author, stroke);
    if (s == NONE || !b->strokes[s].visible) return 0;
    set_visible(b, s, 0);
    push_redo(b, author, s);
    return 1;
}

int nb_board_apply_redo(nb_board *b, uint16_t author, uint32_t stroke)
{
    NB_ASSERT(b);
    uint32_t s = find_stroke(b, author, stroke);
    if (s == NONE || b->strokes[s].visible) return 0;
    /* Unlink it from the redo stack if it is still there (a new stroke may have cut the
     * stack; then it is simply not found). Hidden strokes are the only stack entries and
     * each is pushed once, so the walk ends within the number of strokes. */
    author_rec *a = find_author(b, author);
    uint32_t *link = &a->redo_top;
    for (uint32_t n = 0; *link != NONE && n < b->nstroke; n++) {
        if (*link == s) {
            *link = b->strokes[s].redo_next;
            break;
        }
        link = &b->strokes[*link].redo_next;
    }
    set_visible(b, s, 1);
    return 1;
}

void nb_board_clear(nb_board *b)
{
    NB_ASSERT(b);
    b->nseg = b->visible = 0;
    b->nstroke = b->nauthor = 0;
    map_reset(&b->stroke_map);
    map_reset(&b->author_map);
    b->epoch = next_epoch();
    b->revision++;
}

int nb_board_next(const nb_board *b, size_t *pos, nb_segment *out)
{
    NB_ASSERT(b && pos && out);
    for (size_t i = *pos; i < b->nseg; i++) {
        const seg_rec *r = &b->segs[i];
        const stroke_rec *s = &b->strokes[r->stroke];
        if (!s->visible) continue;
        *out = (nb_segment){ .author = s->author, .stroke = s->id, .x1 = r->x1, .y1 = r->y1,
                             .x2 = r->x2, .y2 = r->y2, .rgba = r->rgba, .width = r->width,
                             .flags = r->flags };
        *pos = i + 1;
        return 1;
    }
    if (*pos < b->nseg) *pos = b->nseg;
    return 0;
}

size_t nb_board_count(const nb_board *b) { return b->nseg; }
size_t nb_board_visible_count(const nb_board *b) { return b->visible; }
size_t nb_board_stroke_count(const nb_board *b) { return b->nstroke; }
uint64_t nb_board_epoch(const nb_board *b) { return b->epoch; }
uint64_t nb_board_revision(const nb_board *b) { return b->revision; }

size_t nb_board_memory(const nb_board *b)
{
    return sizeof *b + b->seg_cap * sizeof *b->segs + b->stroke_cap * sizeof *b->strokes +
           b->author_cap * sizeof *b->authors +
           (size_t)b->stroke_map.cap * (sizeof(uint64_t) + sizeof(uint32_t)) +
           (size_t)b->author_map.cap * (sizeof(uint64_t) + sizeof(uint32_t));
}
