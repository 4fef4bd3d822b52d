/* nb_proto.c — NBP/1 frame table, names, the checks shared by encoder and decoder, and
 * the encoder. Owns nothing: frames are encoded into caller buffers. */
#include "nb_proto.h"

#include <string.h>

#include "nb_common.h"
#include "nb_proto_priv.h"

const uint8_t NB_SIGNATURE[NB_SIG_LEN] = { 0x89, 'N', 'B', '1' };

const nb_frame_info nb_frame_table[256] = {
    ['S'] = { 'f', 0, 20, 0, "segment" },
    ['F'] = { 'f', 1, NB_FIXED_CHAT_LEN, NB_FIXED_CHAT_LEN, "chat/fixed" },
    ['P'] = { 'f', 0, 8, 0, "ping" },
    ['Q'] = { 'f', 0, 8, 0, "pong" },
    ['V'] = { 'd', 1, 0, NB_VAR_MAX, "chat/var" },
    ['M'] = { 'p', 1, 0, NB_MIX_MAX, "chat/mix" },
    ['H'] = { 'p', 1, 1 + 8, NB_NAME_MAX, "hello" },
    ['W'] = { 'p', 1, 2 + 8 + 4, NB_BOARD_NAME_MAX, "welcome" },
    ['T'] = { 'p', 1, 2 + 1, NB_MIX_MAX, "chat/delivered" },
    ['J'] = { 'p', 1, 2, NB_NAME_MAX, "join" },
    ['L'] = { 'f', 0, 2, 0, "leave" },
    ['E'] = { 'p', 1, 2, NB_ERROR_TEXT_MAX, "error" },
    ['U'] = { 'f', 0, 6, 0, "undo" },
    ['R'] = { 'f', 0, 6, 0, "redo" },
    ['C'] = { 'f', 0, 2, 0, "clear" },
    ['K'] = { 'f', 0, 7, 0, "cursor" },
};

char nb_frame_framing(uint8_t type) { return nb_frame_table[type].framing; }

uint32_t nb_frame_fixed_len(uint8_t type)
{
    return nb_frame_table[type].framing == 'f' ? nb_frame_table[type].fixed : 0;
}

const char *nb_frame_type_name(uint8_t type)
{
    return nb_frame_table[type].framing ? nb_frame_table[type].name : "unknown";
}

const char *nb_proto_error_name(uint16_t code)
{
    static const char *const names[] = {
        "none", "unknown-type", "too-long", "line-too-long", "hello-missing",
        "hello-repeated", "server-full", "bad-signature", "bad-version", "bad-text",
        "bad-body", "slow-consumer", "not-allowed", "shutdown", "timeout", "no-memory",
    };
    return code < NB_ARRAY_LEN(names) ? names[code] : "unknown";
}

int nb_frame_changes_board(const nb_frame *f)
{
    switch (f->type) {
    case NB_FT_SEGMENT: return !(f->u.seg.flags & NB_SEG_LASER);
    case NB_FT_UNDO: case NB_FT_REDO: case NB_FT_CLEAR: return 1;
    default: return 0;
    }
}

/* Text limit of a T frame follows the framing its sender used. */
static uint32_t delivered_text_max(uint8_t framing)
{
    switch (framing) {
    case 'F': return NB_FIXED_CHAT_LEN;
    case 'V': return NB_VAR_MAX;
    case 'M': return NB_MIX_MAX;
    default: return 0;
    }
}

int nb_frame_check(const nb_frame *f, char *err)
{
    const nb_frame_info *fi = nb_frame_info_get(f->type);
    if (!fi) {
        nb_set_error(err, "unknown frame type 0x%02x", f->type);
        return NB_PERR_UNKNOWN_TYPE;
    }
    if (!fi->has_text) return NB_PERR_NONE;
    NB_ASSERT(f->text || f->text_len == 0);
    uint32_t max = fi->text_max;
    if (f->type == NB_FT_CHAT_DELIVERED) {
        uint8_t fr = f->u.chat.framing;
        max = delivered_text_max(fr);
        if (!max) {
            nb_set_error(err, "T framing 0x%02x ('%c') is not F, V or M", fr,
                         fr >= 0x20 && fr < 0x7f ? fr : '?');
            return NB_PERR_BAD_BODY;
        }
    }
    if (f->text_len > max) {
        nb_set_error(err, "%c text of %u bytes exceeds %u%s", f->type, f->text_len, max,
                     f->type == NB_FT_CHAT_FIXED ? " (send longer text as V or M)" : "");
        return NB_PERR_TOO_LONG;
    }
    if (f->type == NB_FT_HELLO && f->u.hello.version != NB_PROTO_VERSION) {
        nb_set_error(err, "H version %u unsupported (this side speaks %d)", f->u.hello.version,
                     NB_PROTO_VERSION);
        return NB_PERR_BAD_VERSION;
    }
    int line = f->type == NB_FT_CHAT_VAR ||
               (f->type == NB_FT_CHAT_DELIVERED && f->u.chat.framing == 'V');
    if (line && f->text_len && memchr(f->text, '\n', f->text_len)) {
        nb_set_error(err, "%c text contains '\\n' (V text ends at the first '\\n')", f->type);
        return NB_PERR_BAD_TEXT;
    }
    if (f->text_len && !nb_utf8_valid(f->text, f->text_len)) {
        nb_set_error(err, "%c text of %u bytes is not valid UTF-8 or contains NUL", f->type,
                     f->text_len);
        return NB_PERR_BAD_TEXT;
    }
    return NB_PERR_NONE;
}

/* ---- encoder ------------------------------------------------------------------ */

static size_t frame_size(const nb_frame_info *fi, const nb_frame *f)
{
    switch (fi->framing) {
    case 'f': return 1 + (size_t)fi->fixed;
    case 'd': return 1 + (size_t)f->text_len + 1;
    default: return 1 + 4 + (size_t)fi->fixed + f->text_len;
    }
}

size_t nb_encoded_size(const nb_frame *f)
{
    NB_ASSERT(f);
    return nb_frame_check(f, NULL) ? 0 : frame_size(nb_frame_info_get(f->type), f);
}

/* Fixed-framed bodies; F is handled by the caller (text + padding). */
static void put_fixed(const nb_frame *f, uint8_t *p)
{
    switch (f->type) {
    case NB_FT_SEGMENT: {
        const nb_segment *s = &f->u.seg;
        p = put16(p, s->author);
        p = put32(p, s->stroke);
        p = put16(p, s->x1); p = put16(p, s->y1); p = put16(p, s->x2); p = put16(p, s->y2);
        p = put32(p, s->rgba);
        p[0] = s->width; p[1] = s->flags;
        break;
    }
    case NB_FT_PING: case NB_FT_PONG: put64(p, f->u.token); break;
    case NB_FT_LEAVE: case NB_FT_CLEAR: put16(p, f->u.peer.author); break;
    case NB_FT_UNDO: case NB_FT_REDO: put32(put16(p, f->u.undo.author), f->u.undo.stroke); break;
    case NB_FT_CURSOR:
        p = put16(p, f->u.cursor.author);
        p = put16(p, f->u.cursor.x); p = put16(p, f->u.cursor.y);
        p[0] = f->u.cursor.flags;
        break;
    default: NB_ASSERT(!"not a fixed type");
    }
}

/* Fields of prefixed frames that come before the text. */
static void put_prefix_fields(const nb_frame *f, uint8_t *p)
{
    switch (f->type) {
    case NB_FT_CHAT_MIX: break;
    case NB_FT_HELLO: p[0] = f->u.hello.version; put64(p + 1, f->u.hello.session); break;
    case NB_FT_WELCOME:
        put32(put64(put16(p, f->u.welcome.author), f->u.welcome.held), f->u.welcome.history);
        break;
    case NB_FT_CHAT_DELIVERED: put16(p, f->u.chat.author)[0] = f->u.chat.framing; break;
    case NB_FT_JOIN: put16(p, f->u.peer.author); break;
    case NB_FT_ERROR: put16(p, f->u.error.code); break;
    default: NB_ASSERT(!"not a prefixed type");
    }
}

int nb_encode(const nb_frame *f, uint8_t *out, size_t cap, char *err)
{
    NB_ASSERT(f && (out || cap == 0));
    if (nb_frame_check(f, err)) return -1;
    const nb_frame_info *fi = nb_frame_info_get(f->type);
    size_t n = frame_size(fi, f);
    if (n > cap) {
        nb_set_error(err, "%c frame needs %zu bytes, buffer holds %zu", f->type, n, cap);
        return -1;
    }
    out[0] = f->type;
    if (f->type == NB_FT_CHAT_FIXED) {
        memset(out + 1, 0, NB_FIXED_CHAT_LEN);
        if (f->text_len) memcpy(out + 1, f->text, f->text_len);
    } else if (fi->framing == 'f') {
        put_fixed(f, out + 1);
    } else if (fi->framing == 'd') {
        if (f->text_len) memcpy(out + 1, f->text, f->text_len);
        out[1 + f->text_len] = '\n';
    } else {
        put32(out + 1, fi->fixed + f->text_len);
        put_prefix_fields(f, out + 5);
        if (f->text_len) memcpy(out + 5 + fi->fixed, f->text, f->text_len);
    }
    return (int)n;
}
