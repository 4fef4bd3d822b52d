/* proto_vectors.c — see proto_vectors.h. */
#include "proto_vectors.h"

#include <stdlib.h>
#include <string.h>

static char text_1024[NB_VAR_MAX + 1];
static char text_65536[NB_MIX_MAX + 1];

static void fill_texts(void)
{
    /* multi-byte characters at the edges so limits are counted in bytes */
    memset(text_1024, 'v', NB_VAR_MAX);
    memcpy(text_1024, "\xc3\xa9", 2);
    memset(text_65536, 'm', NB_MIX_MAX);
    memcpy(text_65536 + NB_MIX_MAX - 4, "\xf0\x9f\x98\x80", 4);
}

#define TXT(s) .text = (s), .text_len = (uint32_t)(sizeof(s) - 1)

size_t pv_frames(nb_frame *out, size_t cap)
{
    fill_texts();
    const nb_frame v[] = {
        { .type = 'S', .u.seg = { 7, 0x01020304u, 1, 2, 65535, 0x8000, 0xff8040c0u, 12, NB_SEG_ERASER } },
        { .type = 'S', .u.seg = { 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
        { .type = 'S', .u.seg = { 65535, 0xffffffffu, 9, 9, 9, 9, 0x000000ffu, 255, NB_SEG_LASER } },
        { .type = 'F', TXT("hello") },
        { .type = 'F', TXT("0123456789abcdef0123456789abcdef") },
        { .type = 'F', TXT("") },
        { .type = 'F', TXT("caf\xc3\xa9 \xe2\x9c\x93") },
        { .type = 'P', .u.token = 0x0102030405060708ull },
        { .type = 'Q', .u.token = 0xffffffffffffffffull },
        { .type = 'V', TXT("hi there \xe2\x9c\x93") },
        { .type = 'V', TXT("") },
        { .type = 'V', .text = text_1024, .text_len = NB_VAR_MAX },
        { .type = 'M', TXT("multi\nline\r\ntext") },
        { .type = 'M', TXT("") },
        { .type = 'M', .text = text_65536, .text_len = NB_MIX_MAX },
        { .type = 'H', .u.hello = { 1, 0xdeadbeefcafef00dull }, TXT("Ada") },
        { .type = 'H', .u.hello = { 1, 0 }, TXT("") },
        { .type = 'H', .u.hello = { 1, 1 }, TXT("0123456789abcdef0123456789abcdef") },
        { .type = 'W', .u.welcome = { 3, 42, 1000 }, TXT("Main board") },
        { .type = 'W', .u.welcome = { 0, 0, 0 }, TXT("") },
        { .type = 'T', .u.chat = { 3, 'V' }, TXT("hello") },
        { .type = 'T', .u.chat = { 4, 'M' }, TXT("two\nlines") },
        { .type = 'T', .u.chat = { 5, 'F' }, TXT("") },
        { .type = 'T', .u.chat = { 6, 'M' }, .text = text_65536, .text_len = NB_MIX_MAX },
        { .type = 'J', .u.peer = { 5 }, TXT("Bob") },
        { .type = 'L', .u.peer = { 5 } },
        { .type = 'E', .u.error = { NB_PERR_TOO_LONG }, TXT("M frame length 70000 exceeds 65536") },
        { .type = 'E', .u.error = { 999 }, TXT("") },
        { .type = 'U', .u.undo = { 1, 9 } },
        { .type = 'R', .u.undo = { 0xabcd, 0x80000001u } },
        { .type = 'C', .u.peer = { 2 } },
        { .type = 'K', .u.cursor = { 2, 100, 200, 1 } },
    };
    size_t n = sizeof v / sizeof v[0];
    if (n > cap) abort();
    memcpy(out, v, sizeof v);
    return n;
}

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static uint8_t v_1025[1 + NB_VAR_MAX + 1];

size_t pv_bad_inputs(const pv_bad **out)
{
    v_1025[0] = 'V';
    memset(v_1025 + 1, 'x', sizeof v_1025 - 1);
    static const pv_bad t[] = {
        { "unknown type", B("Z"), 0, NB_PERR_UNKNOWN_TYPE, "0x5a" },
        { "unknown type 0x00", B("\0"), 0, NB_PERR_UNKNOWN_TYPE, "0x00" },
        { "unknown type after a frame", B("P\0\0\0\0\0\0\0\1x"), 0, NB_PERR_UNKNOWN_TYPE, NULL },
        { "M length 65537", B("M\x00\x01\x00\x01"), 0, NB_PERR_TOO_LONG, "65537 exceeds 65536" },
        { "M length 2^32-1", B("M\xff\xff\xff\xff"), 0, NB_PERR_TOO_LONG,
          "M frame length 4294967295 exceeds 65536" },
        { "T length over 65539", B("T\x00\x01\x00\x04"), 0, NB_PERR_TOO_LONG, "65540 exceeds 65539" },
        { "E length over 258", B("E\x00\x00\x01\x03"), 0, NB_PERR_TOO_LONG, "259 exceeds 258" },
        { "V 1025 bytes without newline", v_1025, sizeof v_1025, 0, NB_PERR_LINE_TOO_LONG, "1024" },
        { "NUL in V text", B("Vab\0c\n"), 0, NB_PERR_BAD_TEXT, "UTF-8" },
        { "NUL in M text", B("M\0\0\0\3a\0b"), 0, NB_PERR_BAD_TEXT, NULL },
        { "overlong UTF-8", B("V\xc0\xaf\n"), 0, NB_PERR_BAD_TEXT, NULL },
        { "overlong 3-byte UTF-8", B("V\xe0\x80\xaf\n"), 0, NB_PERR_BAD_TEXT, NULL },
        { "surrogate UTF-8", B("V\xed\xa0\x80\n"), 0, NB_PERR_BAD_TEXT, NULL },
        { "above U+10FFFF", B("V\xf4\x90\x80\x80\n"), 0, NB_PERR_BAD_TEXT, NULL },
        { "truncated UTF-8", B("M\0\0\0\2a\xe2"), 0, NB_PERR_BAD_TEXT, NULL },
        { "lone continuation", B("V\x80\n"), 0, NB_PERR_BAD_TEXT, NULL },
        { "bad signature", B("GET / HTTP/1.1\r\n"), NB_DEC_EXPECT_SIGNATURE, NB_PERR_BAD_SIGNATURE,
          "0x47" },
        { "bad signature, last byte", B("\x89NB2"), NB_DEC_EXPECT_SIGNATURE, NB_PERR_BAD_SIGNATURE,
          "byte 3" },
        { "H version 2", B("H\0\0\0\x0c\x02\0\0\0\0\0\0\0\1Ada"), 0, NB_PERR_BAD_VERSION,
          "version 2" },
        { "H name 33 bytes", B("H\0\0\0\x2a\x01\0\0\0\0\0\0\0\1"
                               "0123456789abcdef0123456789abcdefX"), 0, NB_PERR_TOO_LONG,
          "42 exceeds 41" },
        { "H shorter than its fields", B("H\0\0\0\x03\x01\0\0"), 0, NB_PERR_BAD_BODY, "shorter" },
        { "W board name 65 bytes", B("W\0\0\0\x4f"), 0, NB_PERR_TOO_LONG, "79 exceeds 78" },
        { "T framing X", B("T\0\0\0\x05\0\1Xhi"), 0, NB_PERR_BAD_BODY, "'X'" },
        { "T framing F with 33 bytes", B("T\0\0\0\x24\0\1F0123456789abcdef0123456789abcdefX"), 0,
          NB_PERR_TOO_LONG, "33 bytes exceeds 32" },
        { "T framing V with newline", B("T\0\0\0\x06\0\1Va\nb"), 0, NB_PERR_BAD_TEXT, NULL },
        { "F garbage after NUL", B("Fhi\0x\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
          0, NB_PERR_BAD_TEXT, "padding" },
        { "F invalid UTF-8", B("F\xff\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
          0, NB_PERR_BAD_TEXT, NULL },
    };
    *out = t;
    return sizeof t / sizeof t[0];
}

int pv_frames_equal(const nb_frame *a, const nb_frame *b)
{
    size_t na = nb_encoded_size(a), nb = nb_encoded_size(b);
    if (!na || na != nb) return 0;
    uint8_t *ba = malloc(na), *bb = malloc(nb);
    int eq = ba && bb && nb_encode(a, ba, na, NULL) == (int)na &&
             nb_encode(b, bb, nb, NULL) == (int)nb && memcmp(ba, bb, na) == 0;
    free(ba);
    free(bb);
    return eq;
}
