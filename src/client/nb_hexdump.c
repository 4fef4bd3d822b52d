/* nb_hexdump.c — hexdump -C lines and escaped text; see nb_hexdump.h. */
#include "nb_hexdump.h"

static const char hexd[] = "0123456789abcdef";

/* Appends one byte if it fits (keeping room for the NUL); always counts it. */
typedef struct sink { char *out; size_t cap, n; } sink;

static void put(sink *s, char ch)
{
    if (s->n + 1 < s->cap) s->out[s->n] = ch;
    s->n++;
}

static void put_hex(sink *s, uint64_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--) put(s, hexd[(v >> (4 * i)) & 0xf]);
}

static void finish(sink *s)
{
    if (s->cap) s->out[s->n < s->cap ? s->n : s->cap - 1] = '\0';
}

static int printable(uint8_t b) { return b >= 0x20 && b < 0x7f; }

size_t nb_hexdump_size(size_t len)
{
    size_t full = len / NB_HEXDUMP_BYTES_PER_LINE, rest = len % NB_HEXDUMP_BYTES_PER_LINE;
    /* every line has the fixed hex area (8+2+48+1) plus " |", "|\n" and one char per byte */
    size_t fixed = 8 + 2 + 3 * NB_HEXDUMP_BYTES_PER_LINE + 1 + 2 + 2;
    return full * (fixed + NB_HEXDUMP_BYTES_PER_LINE) + (rest ? fixed + rest : 0);
}

size_t nb_hexdump(const uint8_t *data, size_t len, uint64_t offset, char *out, size_t cap)
{
    sink s = { out, cap, 0 };
    for (size_t line = 0; line < len; line += NB_HEXDUMP_BYTES_PER_LINE) {
        size_t n = len - line < NB_HEXDUMP_BYTES_PER_LINE ? len - line : NB_HEXDUMP_BYTES_PER_LINE;
        put_hex(&s, offset + line, 8);
        put(&s, ' ');
        put(&s, ' ');
        for (size_t i = 0; i < NB_HEXDUMP_BYTES_PER_LINE; i++) {
            if (i < n) {
                put_hex(&s, data[line + i], 2);
            } else {
                put(&s, ' ');
                put(&s, ' ');
            }
            put(&s, ' ');
            if (i == 7) put(&s, ' ');
        }
        put(&s, ' ');
        put(&s, '|');
        for (size_t i = 0; i < n; i++) put(&s, printable(data[line + i]) ? (char)data[line + i] : '.');
        put(&s, '|');
        put(&s, '\n');
    }
    finish(&s);
    return s.n;
}

size_t nb_text_escape(const uint8_t *data, size_t len, char *out, size_t cap)
{
    sink s = { out, cap, 0 };
    for (size_t i = 0; i < len; i++) {
        uint8_t b = data[i];
        char esc = b == '\n' ? 'n' : b == '\r' ? 'r' : b == '\t' ? 't' : b == '\\' ? '\\' : 0;
        if (esc) {
            put(&s, '\\');
            put(&s, esc);
        } else if (printable(b)) {
            put(&s, (char)b);
        } else {
            put(&s, '\\');
            put(&s, 'x');
            put_hex(&s, b, 2);
        }
    }
    finish(&s);
    return s.n;
}
