/* nb_utf8.c — strict UTF-8 validation for every text field of NBP/1: shortest form only,
 * no surrogates, nothing above U+10FFFF, and no NUL (text is handed out NUL-terminated,
 * so an inner NUL would silently cut it). Owns nothing. */
#include "nb_proto.h"

#include <string.h>

int nb_utf8_valid(const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + len;
    while (p < end) {
        /* ASCII fast path, 8 bytes at a time: chat text is mostly ASCII. */
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            /* high bit set anywhere, or any zero byte (classic haszero trick) */
            if ((w & 0x8080808080808080ull) ||
                ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
                break;
            p += 8;
        }
        if (p >= end) break;
        uint8_t c = *p;
        if (c < 0x80) {
            if (c == 0) return 0;
            p++;
            continue;
        }
        size_t n;
        uint8_t lo = 0x80, hi = 0xbf;   /* allowed range of the second byte */
        if (c >= 0xc2 && c <= 0xdf) n = 2;
        else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            if (c == 0xe0) lo = 0xa0;          /* overlong */
            else if (c == 0xed) hi = 0x9f;     /* surrogates U+D800..DFFF */
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            if (c == 0xf0) lo = 0x90;          /* overlong */
            else if (c == 0xf4) hi = 0x8f;     /* above U+10FFFF */
        } else {
            return 0;                          /* continuation byte, C0/C1, F5..FF */
        }
        if ((size_t)(end - p) < n) return 0;   /* truncated sequence */
        if (p[1] < lo || p[1] > hi) return 0;
        for (size_t i = 2; i < n; i++)
            if ((p[i] & 0xc0) != 0x80) return 0;
        p += n;
    }
    return 1;
}
