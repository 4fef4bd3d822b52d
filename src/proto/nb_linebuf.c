/* nb_linebuf.c — splits a raw text peer's byte stream into '\n'-terminated lines of at
 * most NB_RAW_LINE_MAX bytes, dropping a trailing '\r'. Owns only its fixed line buffer. */
#include "nb_proto.h"

#include <string.h>

#include "nb_common.h"

void nb_linebuf_init(nb_linebuf *lb)
{
    NB_ASSERT(lb);
    memset(lb, 0, sizeof *lb);
}

int nb_linebuf_feed(nb_linebuf *lb, const uint8_t *data, size_t len, size_t *consumed,
                    const char **line, uint32_t *line_len)
{
    NB_ASSERT(lb && consumed && line && line_len && (data || len == 0));
    size_t pos = 0;
    while (pos < len) {
        const uint8_t *p = data + pos;
        if (lb->overflow) {
            /* Discarding the rest of an over-long line. */
            const uint8_t *nl = memchr(p, '\n', len - pos);
            if (!nl) { pos = len; break; }
            pos += (size_t)(nl - p) + 1;
            lb->overflow = 0;
            lb->len = 0;
            continue;
        }
        size_t room = NB_RAW_LINE_MAX + 1 - lb->len, n = NB_MIN(len - pos, room);
        const uint8_t *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) : n;
        if (!nl && lb->len + take > NB_RAW_LINE_MAX) {
            *consumed = pos + take;
            lb->overflow = 1;
            lb->len = 0;
            return -1;
        }
        memcpy(lb->line + lb->len, p, take);
        lb->len += (uint32_t)take;
        pos += take;
        if (!nl) break;
        pos++;
        uint32_t n_out = lb->len;
        if (n_out && lb->line[n_out - 1] == '\r') n_out--;
        lb->line[n_out] = '\0';
        lb->len = 0;
        *consumed = pos;
        *line = lb->line;
        *line_len = n_out;
        return 1;
    }
    *consumed = pos;
    return 0;
}
